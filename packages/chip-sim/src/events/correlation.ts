import { type SynapseQuad, nominal } from '@bss2/lola';
import { ChipSimArgumentError } from '../errors.js';
import type { SynapseStorage } from '../synapse-storage.js';
import type { SynapseRowTable } from './synapse-rows.js';
import type { EventTopology } from './topology.js';

/** Nominal constants of the correlation sensors (hardware.md §8.2 Choice). */
export interface CorrelationParameters {
  /** Correlation time constant τ_c of an untrimmed sensor, µs hw (§8.2: ≈ 5 µs). */
  readonly tau_us: number;
  /** Amplitude A of one pre/post pair at Δt = 0 for an untrimmed sensor, in CADC LSB. */
  readonly amplitude_lsb: number;
  /** CADC code of a sensor that has accumulated nothing (codes fall as correlation grows). */
  readonly baseline_lsb: number;
}

/**
 * **Choice:** τ_c = 5 µs; A = 2 LSB, so about a hundred coincident pairs take a channel from the baseline
 * 200 to the bottom of the CADC's reliable range (§8.3).
 */
export const defaultCorrelationParameters: CorrelationParameters = Object.freeze({ tau_us: 5, amplitude_lsb: 2, baseline_lsb: 200 });

/**
 * **Choice:** each step of the 2-bit `time_calib` shortens τ_c by 0.8×, each step of `amp_calib` lowers A by
 * 0.8× (§3.5: more trim bits, shorter time constant and lower amplitude), so trims reach 0.51× of nominal.
 */
export const CORRELATION_TRIM_STEP = 0.8;
const TRIM_FACTOR = Float64Array.from({ length: 4 }, (_, code) => CORRELATION_TRIM_STEP ** code);

/** Pairs further apart than this many time constants add less than e^−40 of A: skipped. */
const HORIZON_TAUS = 40;
/** Largest 8-bit CADC code. */
const CADC_MAX = nominal.cadcCodeMax_lsb;

/** Fixed-pattern gains per circuit (driver, synapse, sensor): a typed array of either precision. */
export type GainTable = Float32Array | Float64Array;

/**
 * Per-sensor fixed-pattern gains (hardware.md §8.4: log-normal τ and amplitude, σ = 0.2), separately for the
 * causal and the acausal branch; the analog engine's `ChipVariation.correlationSensors` has this shape.
 */
export interface CorrelationGains {
  readonly tauGainCausal: GainTable;
  readonly tauGainAcausal: GainTable;
  readonly amplitudeGainCausal: GainTable;
  readonly amplitudeGainAcausal: GainTable;
}

type SynapseField = keyof typeof SynapseQuad.fields;
const TIME_CALIBS: SynapseField = 'timeCalibs';
const AMP_CALIBS: SynapseField = 'ampCalibs';

/**
 * The per-synapse correlation sensors (hardware.md §8.2 Choice: nearest-neighbour pairing). A post-pulse at
 * column c adds `A·exp(−Δt/τ_c)` to the causal accumulator of every synapse of the column that saw a pre
 * event before (Δt since its last one); a pre event adds to the acausal accumulator with Δt since the
 * column's last post-pulse. τ_c and A per synapse and branch: nominal × trim (`time_calib`, `amp_calib`,
 * read live from the synapse array) × the caller's per-sensor log-normal gains (§8.4). Accumulators in CADC LSB, indexed by
 * SynapseOnDLS; times in FPGA cycles. Last pre times are kept per synapse (a row's synapses see different
 * addresses), last post times per column.
 */
export class CorrelationSensors {
  /** Accumulated causal / acausal correlation per SynapseOnDLS, LSB. */
  readonly causal: Float32Array;
  readonly acausal: Float32Array;
  readonly lastPre_cycles: Float64Array;
  /** Per `synram · 256 + column`. */
  readonly lastPost_cycles: Float64Array;
  readonly parameters: CorrelationParameters;
  private readonly timeCalibs: Uint8Array;
  private readonly ampCalibs: Uint8Array;
  private readonly tau_cycles: number;
  /** Per column slot: the latest pre event of any of its synapses (a post-pulse beyond the horizon pairs with none). */
  private readonly latestPre_cycles: Float64Array;
  /** The longest causal horizon of any sensor: HORIZON_TAUS · τ_c · largest causal τ gain (untrimmed). */
  private readonly causalHorizon_cycles: number;
  /**
   * Until the first post-pulse after a reset no pre event can add anything (the acausal branch needs a post
   * before it), so a row event records one time per (row, address) group instead of one per synapse: the
   * group's synapses all see the same writes, last one wins. `flushRow` / the first post-pulse write the group
   * times into `lastPre_cycles` (through the row table's grouping, which matches the labels the events saw).
   */
  private grouped = true;
  private readonly groupPre_cycles: Float64Array;
  /** Groups holding a time, per row (a flush skips the others). */
  private readonly rowHasGroups: Uint8Array;
  /**
   * Rows (SynapseRowOnDLS) where some synapse has a pre time since the reset, listed per synram (slots
   * `synram · rowsPerSynram …`, `seenRowCount` of them): a post-pulse pairs only there — every other row's
   * synapses have no pre event to pair with — so it visits these instead of all 256 rows.
   */
  private readonly seenRows: Uint16Array;
  private readonly seenRowCount: Int32Array;
  private readonly rowSeen: Uint8Array;
  /** Per `SynapseOnDLS / columns`: its row (SynapseRowOnDLS). */
  private readonly rowOfSynapseBlock: Uint16Array;

  constructor(
    storage: SynapseStorage,
    private readonly topology: EventTopology,
    private readonly gains: CorrelationGains,
    parameters: Partial<CorrelationParameters> = {},
    /** The synapse row grouping of the event path; without it every pre event is kept per synapse. */
    private readonly rows?: SynapseRowTable,
  ) {
    const p = { ...defaultCorrelationParameters, ...parameters };
    positive('correlation.tau_us', p.tau_us);
    positive('correlation.amplitude_lsb', p.amplitude_lsb);
    if (!(p.baseline_lsb >= 0 && p.baseline_lsb <= CADC_MAX)) {
      throw new ChipSimArgumentError('correlation.baseline_lsb', p.baseline_lsb, `a CADC code in 0..${CADC_MAX}`);
    }
    this.parameters = Object.freeze(p);
    this.tau_cycles = p.tau_us * nominal.fpgaClockCyclesPerUs;
    this.timeCalibs = storage.field(TIME_CALIBS);
    this.ampCalibs = storage.field(AMP_CALIBS);
    this.causal = new Float32Array(topology.synapses);
    this.acausal = new Float32Array(topology.synapses);
    this.lastPre_cycles = new Float64Array(topology.synapses);
    this.lastPost_cycles = new Float64Array(topology.synrams * topology.columns);
    this.latestPre_cycles = new Float64Array(topology.synrams * topology.columns);
    this.groupPre_cycles = new Float64Array(rows === undefined ? 0 : topology.rows * topology.labels);
    this.rowHasGroups = new Uint8Array(rows === undefined ? 0 : topology.rows);
    this.seenRows = new Uint16Array(topology.rows);
    this.seenRowCount = new Int32Array(topology.synrams);
    this.rowSeen = new Uint8Array(topology.rows);
    this.rowOfSynapseBlock = new Uint16Array(topology.synapses / topology.columns);
    for (let row = 0; row < topology.rows; row++) {
      const base = topology.rowSynapseBase[row]!;
      if (base % topology.columns !== 0) throw new Error('@bss2/halco SynapseOnDLS rows do not start at multiples of the row length');
      this.rowOfSynapseBlock[base / topology.columns] = row;
    }
    let maxTauGain = 0;
    for (let i = 0; i < gains.tauGainCausal.length; i++) maxTauGain = Math.max(maxTauGain, gains.tauGainCausal[i]!);
    this.causalHorizon_cycles = HORIZON_TAUS * this.tau_cycles * maxTauGain;
    this.reset();
  }

  /** The accumulators of one synram (65 536, indexed by SynapseOnSynram), e.g. for a CADC model. */
  causalOf(synram: number): Float32Array {
    const n = this.topology.synapses / this.topology.synrams;
    return this.causal.subarray(synram * n, (synram + 1) * n);
  }

  acausalOf(synram: number): Float32Array {
    const n = this.topology.synapses / this.topology.synrams;
    return this.acausal.subarray(synram * n, (synram + 1) * n);
  }

  /** Whether pre events are recorded per (row, address) group (`preGroup`) rather than per synapse (`pre`). */
  get groupsPreEvents(): boolean {
    return this.grouped;
  }

  /**
   * A pre event reached every synapse of `row` labelled `address` at `cycle` (only while `groupsPreEvents`; the
   * row's grouping in the row table is current).
   */
  preGroup(row: number, address: number, cycle: number): void {
    this.groupPre_cycles[row * this.topology.labels + address] = cycle;
    this.rowHasGroups[row] = 1;
  }

  /** The labels of `row` are about to change: its group times go to its synapses under the grouping they were taken with. */
  flushRow(row: number): void {
    if (this.rows === undefined || this.rowHasGroups[row] === 0) return;
    this.rowHasGroups[row] = 0;
    const t = this.topology;
    const rows = this.rows!;
    const entryBase = row * t.columns;
    const synapseBase = t.rowSynapseBase[row]!;
    const columnBase = t.rowSynram[row]! * t.columns;
    for (let a = 0; a < t.labels; a++) {
      const group = row * t.labels + a;
      const cycle = this.groupPre_cycles[group]!;
      if (cycle === Number.NEGATIVE_INFINITY) continue;
      this.groupPre_cycles[group] = Number.NEGATIVE_INFINITY;
      const startSlot = row * (t.labels + 1) + a;
      for (let k = rows.groupStart[startSlot]!, end = rows.groupStart[startSlot + 1]!; k < end; k++) {
        const column = rows.column[entryBase + k]!;
        this.lastPre_cycles[synapseBase + column] = cycle;
        if (cycle > this.latestPre_cycles[columnBase + column]!) this.latestPre_cycles[columnBase + column] = cycle;
      }
      if (this.rowSeen[row] === 0) this.markSeen(row);
    }
  }

  /** `row` (SynapseRowOnDLS) holds a pre time from now on: post-pulses visit it. */
  private markSeen(row: number): void {
    const synram = this.topology.rowSynram[row]!;
    this.rowSeen[row] = 1;
    this.seenRows[synram * (this.topology.rows / this.topology.synrams) + this.seenRowCount[synram]!] = row;
    this.seenRowCount[synram]!++;
  }

  /** A pre event reached `synapse` (SynapseOnDLS) of column slot `columnSlot` at `cycle`. */
  pre(synapse: number, columnSlot: number, cycle: number): void {
    this.lastPre_cycles[synapse] = cycle;
    const row = this.rowOfSynapseBlock[Math.floor(synapse / this.topology.columns)]!;
    if (this.rowSeen[row] === 0) this.markSeen(row);
    if (cycle > this.latestPre_cycles[columnSlot]!) this.latestPre_cycles[columnSlot] = cycle;
    const elapsed = cycle - this.lastPost_cycles[columnSlot]!;
    if (!(elapsed >= 0 && elapsed < Infinity)) return;
    const g = this.gains;
    const x = elapsed / (this.tau_cycles * TRIM_FACTOR[this.timeCalibs[synapse]!]! * g.tauGainAcausal[synapse]!);
    if (x < HORIZON_TAUS) {
      this.acausal[synapse]! += this.parameters.amplitude_lsb * TRIM_FACTOR[this.ampCalibs[synapse]!]! * g.amplitudeGainAcausal[synapse]! * Math.exp(-x);
    }
  }

  /** A post-pulse reached column slot `columnSlot` (`synram · 256 + column`) at `cycle`. */
  post(columnSlot: number, cycle: number): void {
    const t = this.topology;
    if (this.grouped) {
      // From the first post-pulse on, pre events may pair: every synapse keeps its own time again.
      for (let row = 0; row < t.rows; row++) this.flushRow(row);
      this.grouped = false;
    }
    this.lastPost_cycles[columnSlot] = cycle;
    // No synapse of the column saw a pre event within reach: nothing to pair (the common case of a firing
    // neuron whose column is silent), without visiting its 256 rows.
    if (!(cycle - this.latestPre_cycles[columnSlot]! < this.causalHorizon_cycles)) return;
    const synram = Math.floor(columnSlot / t.columns);
    const column = columnSlot - synram * t.columns;
    const rowsPerSynram = t.rows / t.synrams;
    const amplitude = this.parameters.amplitude_lsb;
    const tauGain = this.gains.tauGainCausal;
    const amplitudeGain = this.gains.amplitudeGainCausal;
    // Only rows with a pre time can pair (in any order: each synapse adds its own term).
    const seenRows = this.seenRows;
    for (let i = synram * rowsPerSynram, end = i + this.seenRowCount[synram]!; i < end; i++) {
      const s = t.rowSynapseBase[seenRows[i]!]! + column;
      const elapsed = cycle - this.lastPre_cycles[s]!;
      if (!(elapsed >= 0)) continue;
      const x = elapsed / (this.tau_cycles * TRIM_FACTOR[this.timeCalibs[s]!]! * tauGain[s]!);
      if (x < HORIZON_TAUS) this.causal[s]! += amplitude * TRIM_FACTOR[this.ampCalibs[s]!]! * amplitudeGain[s]! * Math.exp(-x);
    }
  }

  /** Clears both accumulators of one synapse (CorrelationReset, NeuronResetQuad row 0, §3.4/§3.5). */
  resetSynapse(synapse: number): void {
    this.causal[synapse] = 0;
    this.acausal[synapse] = 0;
  }

  /**
   * Clears both accumulators of the `count` synapses `first`, `first + stride`, … (SynapseOnDLS) — a half row
   * of a PPU's read-and-reset window is `(row base + parity, 128, 2)`; the same as `resetSynapse` on each.
   */
  resetSynapses(first: number, count: number, stride: number): void {
    if (!(Number.isInteger(count) && count >= 0 && Number.isInteger(stride) && stride >= 1)) {
      throw new ChipSimArgumentError('correlation reset count / stride', `${count} / ${stride}`, 'a count ≥ 0 and a stride ≥ 1 (integers)');
    }
    const last = first + (count - 1) * stride;
    if (count > 0 && !(Number.isInteger(first) && first >= 0 && last < this.causal.length)) {
      throw new ChipSimArgumentError('correlation reset synapses', `${first}..${last}`, `SynapseOnDLS values in 0..${this.causal.length - 1}`);
    }
    const causal = this.causal;
    const acausal = this.acausal;
    for (let s = first, k = 0; k < count; k++, s += stride) {
      causal[s] = 0;
      acausal[s] = 0;
    }
  }

  /** Chip reset: accumulators cleared, no pre or post event seen yet. */
  reset(): void {
    this.causal.fill(0);
    this.acausal.fill(0);
    this.lastPre_cycles.fill(Number.NEGATIVE_INFINITY);
    this.lastPost_cycles.fill(Number.NEGATIVE_INFINITY);
    this.latestPre_cycles.fill(Number.NEGATIVE_INFINITY);
    this.groupPre_cycles.fill(Number.NEGATIVE_INFINITY);
    this.rowHasGroups.fill(0);
    this.rowSeen.fill(0);
    this.seenRowCount.fill(0);
    this.grouped = this.rows !== undefined;
  }

  /** The causal channel's CADC code of `synapse`: `baseline − accumulated`, floored at 0 (§8.2). */
  causalCode(synapse: number): number {
    return this.code(this.causal[synapse]!);
  }

  acausalCode(synapse: number): number {
    return this.code(this.acausal[synapse]!);
  }

  private code(accumulated: number): number {
    return Math.max(0, Math.round(this.parameters.baseline_lsb - accumulated));
  }
}

function positive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) throw new ChipSimArgumentError(name, value, 'a finite number > 0');
}
