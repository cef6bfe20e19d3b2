import { type SynapseQuad, nominal } from '@bss2/lola';
import { ChipSimArgumentError } from '../errors.js';
import type { SynapseStorage } from '../synapse-storage.js';
import { RECEPTOR_EXCITATORY, RECEPTOR_INHIBITORY } from './routing-table.js';
import type { EventTopology } from './topology.js';

/** The largest 6-bit weight: a synapse's pulse is `weight / 63` of the full DAC current (hardware.md §8.2). */
const WEIGHT_MAX = nominal.synapseWeightMax;

type SynapseField = keyof typeof SynapseQuad.fields;
const WEIGHTS: SynapseField = 'weights';
const LABELS: SynapseField = 'labels';

/**
 * Which synapses of a row answer which 6-bit address, in CSR form (style.md, "The simulator's hot loop").
 * Each SynapseRowOnDLS `r` owns the entries `r · 256 .. r · 256 + 255` (one per column); inside them the
 * columns are grouped by label, and inside a group the synapses with a non-zero weight come first:
 *
 * * `groupStart[r · 65 + a] .. groupStart[r · 65 + a + 1]` (row-relative) — every synapse labelled `a`
 *   (the correlation sensors see the event whatever the weight, §8.2);
 * * `groupStart[r · 65 + a] .. groupWeighted[r · 64 + a]` — those that emit a current (weight > 0).
 *
 * `weightFactor` holds `weight / 63 · synapse weight gain` (§8.4). Rows are rebuilt lazily: a write to the
 * synapse array marks its row, the first event reaching the row rebuilds it (256 synapses, a counting sort).
 *
 * The fan-out is the same grouping compiled for delivery: per row, in label order, one entry per weighted
 * synapse and receptor its row mode and column switch let through — `fanTarget` = `receptor · 512 + circuit`
 * (AtomicNeuronOnDLS below the column; 0 excitatory, 1 inhibitory) and `fanWeight` = `weightFactor`; the
 * entries of address `a` are `fanStart[r · 65 + a] .. fanStart[r · 65 + a + 1]` (absolute, row `r` owns
 * `r · 512 ..`). A change of the row's mode or of a column switch marks the row as a synapse write does.
 */
export class SynapseRowTable {
  readonly column: Uint8Array;
  readonly weightFactor: Float32Array;
  readonly groupStart: Uint16Array;
  readonly groupWeighted: Uint16Array;
  readonly fanTarget: Uint16Array;
  readonly fanWeight: Float32Array;
  readonly fanStart: Uint32Array;
  private readonly dirty: Uint8Array;
  private readonly weights: Uint8Array;
  private readonly labels: Uint8Array;
  private readonly columns: number;
  private readonly labelCount: number;
  private readonly count: Uint16Array;
  private readonly fill: Uint16Array;
  private readonly fillZero: Uint16Array;

  constructor(
    storage: SynapseStorage,
    private readonly topology: EventTopology,
    private readonly weightGain: Float32Array | Float64Array,
    /** Receptors per SynapseRowOnDLS (row mode) and per column slot (column current switches), as compiled by the routing table. */
    private readonly rowReceptors: Uint8Array,
    private readonly columnReceptors: Uint8Array,
    /** Where the fan-out is compiled to (rows · 2 · columns entries each); default: new arrays. */
    fanOut?: { readonly target: Uint16Array; readonly weight: Float32Array },
  ) {
    const { rows, columns, labels } = topology;
    this.columns = columns;
    this.labelCount = labels;
    this.weights = storage.field(WEIGHTS);
    this.labels = storage.field(LABELS);
    this.column = new Uint8Array(rows * columns);
    this.weightFactor = new Float32Array(rows * columns);
    this.groupStart = new Uint16Array(rows * (labels + 1));
    this.groupWeighted = new Uint16Array(rows * labels);
    const entries = rows * 2 * columns;
    if (fanOut !== undefined && (fanOut.target.length !== entries || fanOut.weight.length !== entries)) {
      throw new ChipSimArgumentError('fanOut', fanOut.target.length, `${entries} entries (rows × 2 × columns)`);
    }
    this.fanTarget = fanOut?.target ?? new Uint16Array(entries);
    this.fanWeight = fanOut?.weight ?? new Float32Array(entries);
    this.fanStart = new Uint32Array(rows * (labels + 1));
    this.dirty = new Uint8Array(rows).fill(1);
    this.count = new Uint16Array(labels);
    this.fill = new Uint16Array(labels);
    this.fillZero = new Uint16Array(labels);
  }

  /** The synapse array of `row` changed (weights or labels). */
  markRow(row: number): void {
    this.dirty[row] = 1;
  }

  /** Every row changed (chip reset, new weight gains). */
  markAll(): void {
    this.dirty.fill(1);
  }

  /** Brings `row` up to date with the synapse array; call before reading its entries. */
  ensure(row: number): void {
    if (this.dirty[row] === 1) this.rebuild(row);
  }

  private rebuild(row: number): void {
    const { columns, labelCount, count, fill, fillZero, weights, labels } = this;
    const synapseBase = this.topology.rowSynapseBase[row]!;
    const entryBase = row * columns;
    const startBase = row * (labelCount + 1);
    count.fill(0);
    for (let c = 0; c < columns; c++) count[labels[synapseBase + c]!]!++;
    // Counting sort: the weighted synapses of a group are placed from its start (`fill`), then the silent
    // ones after them (`fillZero`), each in column order.
    let offset = 0;
    for (let a = 0; a < labelCount; a++) {
      this.groupStart[startBase + a] = offset;
      fill[a] = offset;
      offset += count[a]!;
    }
    this.groupStart[startBase + labelCount] = offset;
    for (let c = 0; c < columns; c++) {
      if (weights[synapseBase + c]! === 0) continue;
      const label = labels[synapseBase + c]!;
      const k = fill[label]!++;
      this.column[entryBase + k] = c;
      this.weightFactor[entryBase + k] = (weights[synapseBase + c]! / WEIGHT_MAX) * this.weightGain[synapseBase + c]!;
    }
    for (let a = 0; a < labelCount; a++) {
      this.groupWeighted[row * labelCount + a] = fill[a]!;
      fillZero[a] = fill[a]!;
    }
    for (let c = 0; c < columns; c++) {
      if (weights[synapseBase + c]! !== 0) continue;
      const k = fillZero[labels[synapseBase + c]!]!++;
      this.column[entryBase + k] = c;
      this.weightFactor[entryBase + k] = 0;
    }
    this.compileFanOut(row);
    this.dirty[row] = 0;
  }

  private compileFanOut(row: number): void {
    const t = this.topology;
    const { columns, labelCount } = this;
    const entryBase = row * columns;
    const startBase = row * (labelCount + 1);
    const receptors = this.rowReceptors[row]!;
    const columnBase = t.rowSynram[row]! * columns;
    let n = 2 * row * columns;
    for (let a = 0; a < labelCount; a++) {
      this.fanStart[startBase + a] = n;
      if (receptors === 0) continue;
      for (let k = this.groupStart[startBase + a]!, end = this.groupWeighted[row * labelCount + a]!; k < end; k++) {
        const columnSlot = columnBase + this.column[entryBase + k]!;
        const open = receptors & this.columnReceptors[columnSlot]!;
        if (open === 0) continue;
        const circuit = t.circuitOfColumn[columnSlot]!;
        const weight = this.weightFactor[entryBase + k]!;
        if (open & RECEPTOR_EXCITATORY) {
          this.fanTarget[n] = circuit;
          this.fanWeight[n++] = weight;
        }
        if (open & RECEPTOR_INHIBITORY) {
          this.fanTarget[n] = t.circuits + circuit;
          this.fanWeight[n++] = weight;
        }
      }
    }
    this.fanStart[startBase + labelCount] = n;
  }
}
