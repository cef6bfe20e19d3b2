import { ColumnCurrentQuadOnDLS, SynapseDriverOnDLS, type NeuronColumnOnDLS } from '@bss2/halco';
import { ColumnCurrentQuad, SynapseDriverConfig, SynapseMatrix, type SynapseDriverRowMode } from '@bss2/lola';
import { BUSES_PER_HEMISPHERE, COLUMNS, HEMISPHERE_COUNT, columnOfCircuit, hemisphereOfCircuit } from './bus-load.js';
import { CHUNK_SIZE, type Chunking } from './chunks.js';
import type { SynapseList } from './connection-split.js';
import type { DriverAllocation } from './driver-allocation.js';
import { compareMask } from './driver-matching.js';

const DRIVERS_PER_BLOCK = SynapseDriverOnDLS.size / HEMISPHERE_COUNT;
const RECEPTOR_MODES: readonly SynapseDriverRowMode[] = ['excitatory', 'inhibitory'];

/** Synapse array, drivers and column switches of a routed network (steps 6–7 of hardware.md §10.2). */
export interface SynapseConfiguration {
  /** Per hemisphere (SynramOnDLS value). */
  readonly matrices: readonly SynapseMatrix[];
  /** Per SynapseDriverOnDLS value; unused drivers in their reset state (receiver off: they ignore every event). */
  readonly drivers: readonly SynapseDriverConfig[];
  /** Per ColumnCurrentQuadOnDLS value. */
  readonly columnQuads: readonly ColumnCurrentQuad[];
  /** Per hardware synapse: its row (SynapseRowOnSynram); hemisphere and column follow from its circuit. */
  readonly placedRow: Uint8Array;
  readonly rowsUsed: number;
  readonly driversUsed: number;
}

/** The rows of a driver, top (2d + 1) first (hardware.md §2.7). */
function rowsOfDriver(d: number): [number, number] {
  return [2 * d + 1, 2 * d];
}

/** A label no member of the group sends, for the idle synapses of its rows (none when all 64 are taken). */
function spareLabel(labels: readonly number[]): number | undefined {
  if (labels.length >= CHUNK_SIZE) return undefined;
  const taken = new Set(labels);
  for (let l = 0; l < CHUNK_SIZE; l++) if (!taken.has(l)) return l;
  return undefined;
}

/**
 * Places every hardware synapse: a chunk's drivers give it rows (excitatory rows first, then inhibitory,
 * in driver order, top row first); the k-th synapse of the chunk onto a column with a receptor takes the
 * chunk's k-th row of that receptor. Each synapse gets its weight and its source's label; column current
 * switches open for the receptors a column receives (§3.5: they are closed at reset).
 */
export function placeSynapses(chunking: Chunking, allocation: DriverAllocation, synapses: SynapseList, bySource: { start: Int32Array; ids: Int32Array }): SynapseConfiguration {
  const matrices = [new SynapseMatrix(), new SynapseMatrix()];
  const drivers = Array.from({ length: SynapseDriverOnDLS.size }, () => new SynapseDriverConfig());
  const placedRow = new Uint8Array(synapses.count);
  const receives = new Uint8Array(HEMISPHERE_COUNT * COLUMNS);
  const counts = new Int32Array(HEMISPHERE_COUNT * COLUMNS * 2);
  let rowsUsed = 0;
  let driversUsed = 0;

  chunking.chunks.forEach((chunk, id) => {
    const r = allocation.rowSelect[id]!;
    const rowsOf: number[][][] = [];
    const spare = spareLabel(chunk.label);
    for (let h = 0; h < HEMISPHERE_COUNT; h++) {
      const rowList = allocation.drivers[id]![h]!.flatMap((k) => rowsOfDriver(BUSES_PER_HEMISPHERE * k + chunk.bus));
      const exc = rowList.slice(0, chunk.rows[2 * h]!);
      const inh = rowList.slice(exc.length, exc.length + chunk.rows[2 * h + 1]!);
      rowsOf.push([exc, inh]);
      const mode = new Map<number, SynapseDriverRowMode>();
      exc.forEach((row) => mode.set(row, RECEPTOR_MODES[0]!));
      inh.forEach((row) => mode.set(row, RECEPTOR_MODES[1]!));
      rowsUsed += exc.length + inh.length;
      for (const k of allocation.drivers[id]![h]!) {
        const d = BUSES_PER_HEMISPHERE * k + chunk.bus;
        const [top, bottom] = rowsOfDriver(d);
        drivers[DRIVERS_PER_BLOCK * h + d] = new SynapseDriverConfig({
          enableReceiver: true,
          rowAddressCompareMask: compareMask(k, r),
          rowModeTop: mode.get(top) ?? 'disabled',
          rowModeBottom: mode.get(bottom) ?? 'disabled',
        });
        driversUsed++;
        // Idle synapses of the group's rows answer a label nobody sends (weight 0 either way).
        if (spare !== undefined) for (const row of [top, bottom]) matrices[h]!.labels.fill(spare, row * COLUMNS, (row + 1) * COLUMNS);
      }
    }
    counts.fill(0);
    for (const source of chunk.members) {
      const label = chunking.labelOf[source]!;
      for (let k = bySource.start[source]!; k < bySource.start[source + 1]!; k++) {
        const s = bySource.ids[k]!;
        const circuit = synapses.circuit[s]!;
        const h = hemisphereOfCircuit(circuit);
        const column = columnOfCircuit(circuit);
        const receptor = synapses.receptor[s]!;
        const row = rowsOf[h]![receptor]![counts[(h * COLUMNS + column) * 2 + receptor]!++]!;
        placedRow[s] = row;
        const at = row * COLUMNS + column;
        matrices[h]!.weights[at] = synapses.weight[s]!;
        matrices[h]!.labels[at] = label;
        receives[h * COLUMNS + column]! |= 1 << receptor;
      }
    }
  });

  const columnQuads = [...ColumnCurrentQuadOnDLS.all()].map((quad) => {
    const h = quad.toSynramOnDLS().value;
    const columns = quad.toSynapseQuadColumnOnDLS().toNeuronColumnOnDLS();
    const open = (receptor: number) => columns.map((c: NeuronColumnOnDLS) => (receives[h * COLUMNS + c.value]! & (1 << receptor)) !== 0);
    return new ColumnCurrentQuad({ enableSynapticCurrentExcitatory: open(0), enableSynapticCurrentInhibitory: open(1) });
  });
  return { matrices, drivers, columnQuads, placedRow, rowsUsed, driversUsed };
}
