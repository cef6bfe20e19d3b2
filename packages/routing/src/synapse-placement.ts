import { ColumnCurrentQuadOnDLS, SynapseDriverOnDLS, type NeuronColumnOnDLS } from '@bss2/halco';
import { ColumnCurrentQuad, SynapseDriverConfig, SynapseMatrix, type SynapseDriverRowMode } from '@bss2/lola';
import { BUSES_PER_HEMISPHERE, COLUMNS, HEMISPHERE_COUNT, ROWS_PER_BUS, columnOfCircuit, hemisphereOfCircuit } from './bus-load.js';
import { CHUNK_SIZE, type Chunking, type SynapsesBySource } from './chunks.js';
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

/** Per ColumnCurrentQuadOnDLS value: its hemisphere and neuron columns, from halco's mapping (once per module). */
const QUAD_COLUMNS = [...ColumnCurrentQuadOnDLS.all()].map((quad) => ({
  hemisphere: quad.toSynramOnDLS().value,
  columns: quad.toSynapseQuadColumnOnDLS().toNeuronColumnOnDLS().map((c: NeuronColumnOnDLS) => c.value),
}));

/** What placing a chunk's synapses reads and writes; per chunk, `rowsOf` holds its rows and `counts` starts at 0. */
interface PlacementArrays {
  readonly start: Int32Array;
  readonly ids: Int32Array;
  readonly slot: Uint16Array;
  readonly weight: Uint8Array;
  readonly labelOf: Int32Array;
  /** The chunk's rows per hemisphere and receptor: `rowsOf[(2·h + receptor) · ROWS_PER_BUS + k]` is its k-th row. */
  readonly rowsOf: Int32Array;
  /** Per slot `2 · circuit + receptor`: the chunk's synapses placed so far. */
  readonly counts: Int32Array;
  readonly placedRow: Uint8Array;
  readonly receives: Uint8Array;
  /** Per hemisphere: the synapse matrix's weights and labels. */
  readonly weights: readonly Uint8Array[];
  readonly labels: readonly Uint8Array[];
}

/**
 * The k-th synapse of the chunk onto a column with a receptor takes the chunk's k-th row of that receptor. A
 * function of its own, with nothing after the loop, for V8's on-stack replacement (see chunks.ts).
 */
function placeChunkSynapses(arrays: PlacementArrays, members: readonly number[]): void {
  const { start, ids, slot, weight, labelOf, rowsOf, counts, placedRow, receives, weights, labels } = arrays;
  for (let m = 0; m < members.length; m++) {
    const source = members[m]!;
    const label = labelOf[source]!;
    for (let k = start[source]!; k < start[source + 1]!; k++) {
      const s = ids[k]!;
      const key = slot[k]!;
      const target = key >> 1;
      const h = hemisphereOfCircuit(target);
      const column = columnOfCircuit(target);
      const rec = key & 1;
      const row = rowsOf[(2 * h + rec) * ROWS_PER_BUS + counts[key]!++]!;
      placedRow[s] = row;
      const at = row * COLUMNS + column;
      weights[h]![at] = weight[s]!;
      labels[h]![at] = label;
      receives[h * COLUMNS + column]! |= 1 << rec;
    }
  }
}

/**
 * Places every hardware synapse: a chunk's drivers give it rows (excitatory rows first, then inhibitory,
 * in driver order, top row first); the k-th synapse of the chunk onto a column with a receptor takes the
 * chunk's k-th row of that receptor. Each synapse gets its weight and its source's label; column current
 * switches open for the receptors a column receives (§3.5: they are closed at reset).
 */
export function placeSynapses(chunking: Chunking, allocation: DriverAllocation, synapses: SynapseList, bySource: SynapsesBySource): SynapseConfiguration {
  const matrices = [new SynapseMatrix(), new SynapseMatrix()];
  const configured: (SynapseDriverConfig | undefined)[] = new Array<SynapseDriverConfig | undefined>(SynapseDriverOnDLS.size).fill(undefined);
  const arrays: PlacementArrays = {
    start: bySource.start,
    ids: bySource.ids,
    slot: bySource.slot,
    weight: synapses.weight,
    labelOf: chunking.labelOf,
    rowsOf: new Int32Array(HEMISPHERE_COUNT * 2 * ROWS_PER_BUS),
    counts: new Int32Array(HEMISPHERE_COUNT * COLUMNS * 2),
    placedRow: new Uint8Array(synapses.count),
    receives: new Uint8Array(HEMISPHERE_COUNT * COLUMNS),
    weights: matrices.map((m) => m.weights),
    labels: matrices.map((m) => m.labels),
  };
  const { rowsOf, labels, placedRow, receives } = arrays;
  let rowsUsed = 0;
  let driversUsed = 0;

  for (let id = 0; id < chunking.chunks.length; id++) {
    const chunk = chunking.chunks[id]!;
    const r = allocation.rowSelect[id]!;
    const spare = spareLabel(chunk.label);
    for (let h = 0; h < HEMISPHERE_COUNT; h++) {
      const rowList = allocation.drivers[id]![h]!.flatMap((k) => rowsOfDriver(BUSES_PER_HEMISPHERE * k + chunk.bus));
      const exc = rowList.slice(0, chunk.rows[2 * h]!);
      const inh = rowList.slice(exc.length, exc.length + chunk.rows[2 * h + 1]!);
      rowsOf.set(exc, 2 * h * ROWS_PER_BUS);
      rowsOf.set(inh, (2 * h + 1) * ROWS_PER_BUS);
      const mode = new Map<number, SynapseDriverRowMode>();
      exc.forEach((row) => mode.set(row, RECEPTOR_MODES[0]!));
      inh.forEach((row) => mode.set(row, RECEPTOR_MODES[1]!));
      rowsUsed += exc.length + inh.length;
      for (const k of allocation.drivers[id]![h]!) {
        const d = BUSES_PER_HEMISPHERE * k + chunk.bus;
        const [top, bottom] = rowsOfDriver(d);
        configured[DRIVERS_PER_BLOCK * h + d] = new SynapseDriverConfig({
          enableReceiver: true,
          rowAddressCompareMask: compareMask(k, r),
          rowModeTop: mode.get(top) ?? 'disabled',
          rowModeBottom: mode.get(bottom) ?? 'disabled',
        });
        driversUsed++;
        // Idle synapses of the group's rows answer a label nobody sends (weight 0 either way).
        if (spare !== undefined) for (const row of [top, bottom]) labels[h]!.fill(spare, row * COLUMNS, (row + 1) * COLUMNS);
      }
    }
    arrays.counts.fill(0);
    placeChunkSynapses(arrays, chunk.members);
  }

  // Unused drivers stay in their reset state (receiver off).
  const drivers = configured.map((config) => config ?? new SynapseDriverConfig());
  const columnQuads = QUAD_COLUMNS.map(({ hemisphere, columns }) => {
    const open = (rec: number) => columns.map((c) => (receives[hemisphere * COLUMNS + c]! & (1 << rec)) !== 0);
    return new ColumnCurrentQuad({ enableSynapticCurrentExcitatory: open(0), enableSynapticCurrentInhibitory: open(1) });
  });
  return { matrices, drivers, columnQuads, placedRow, rowsUsed, driversUsed };
}
