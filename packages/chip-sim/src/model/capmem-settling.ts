import { nominal } from '@bss2/lola';

/**
 * **Choice** (hardware.md §3.8): a written CapMem cell approaches its new value exponentially with τ = 2 ms.
 * The circuits see the approach as a staircase: on a fixed grid of `CAPMEM_UPDATE_PERIOD_NS` (1 ms of chip
 * time) each settling cell takes the whole LSB nearest to its exponential level; once the level is within half
 * an LSB of the target the cell holds the target exactly. A full-range step settles within
 * τ · ln(2 · 1022) ≈ 15.2 ms plus one grid period — inside the 20 ms the software waits (§3.8), so after that
 * wait every cell is exact. The staircase keeps the number of parameter updates small (≤ 17 per write burst):
 * each one recomputes the touched circuits and rebuilds the neuron engine's propagators.
 */
export const CAPMEM_SETTLING_TAU_NS = 1000 * nominal.capMemSettlingTau_us;
export const CAPMEM_UPDATE_PERIOD_NS = 1000 * nominal.capMemUpdatePeriod_us;
/** Distance to the target (LSB) below which a cell counts as settled and holds the exact target. */
const SETTLED_LSB = 0.5;

/** Where settled values go: the cell's owner (a circuit parameter or a shared quadrant bias) is marked dirty. */
export interface CapMemValueListener {
  capMemValueChanged(cell: number): void;
}

/**
 * The analog level of the CapMem cells that drive circuits (a subset of the 12 480 cells, by
 * CapMemCellOnDLS enum), the target each one approaches and the whole-LSB value the circuits currently see
 * (`applied`). Cells outside the subset are stored by the register file and have no effect (§2.6).
 */
export class CapMemSettling {
  /** The value (CapMem LSB) the circuits see, per CapMemCellOnDLS. */
  readonly applied: Float64Array;
  /** Earliest grid time (chip ns) at which a settling cell moves; +∞ when nothing settles. */
  nextUpdate_ns = Infinity;
  private readonly level: Float64Array;
  private readonly levelTime_ns: Float64Array;
  private readonly target: Float64Array;
  private readonly settling: Int32Array;
  private readonly isSettling: Uint8Array;
  private settlingCount = 0;

  constructor(
    cells: number,
    private readonly listener: CapMemValueListener,
  ) {
    this.applied = new Float64Array(cells);
    this.level = new Float64Array(cells);
    this.levelTime_ns = new Float64Array(cells);
    this.target = new Float64Array(cells);
    this.settling = new Int32Array(cells);
    this.isSettling = new Uint8Array(cells);
  }

  /** Power-on or chip reset: every cell at 0 (the reset value), nothing settling. */
  reset(): void {
    this.applied.fill(0);
    this.level.fill(0);
    this.levelTime_ns.fill(0);
    this.target.fill(0);
    this.isSettling.fill(0);
    this.settlingCount = 0;
    this.nextUpdate_ns = Infinity;
  }

  /** `cell` holds `value` (LSB), settled, from time 0 on (power-on state). */
  hold(cell: number, value: number): void {
    this.applied[cell] = value;
    this.level[cell] = value;
    this.levelTime_ns[cell] = 0;
    this.target[cell] = value;
  }

  /** The analog level of `cell` at chip time `time_ns` (LSB). */
  levelAt(cell: number, time_ns: number): number {
    const target = this.target[cell]!;
    const elapsed = time_ns - this.levelTime_ns[cell]!;
    return target + (this.level[cell]! - target) * Math.exp(-Math.max(0, elapsed) / CAPMEM_SETTLING_TAU_NS);
  }

  /** The target of `cell`. */
  targetOf(cell: number): number {
    return this.target[cell]!;
  }

  /**
   * From `time_ns` on `cell` approaches `target` (LSB); `undefined` freezes it at its present level rounded to
   * an LSB (the "do not refresh" code keeps the charge the cell holds, §3.8).
   */
  setTarget(cell: number, target: number | undefined, time_ns: number): void {
    const level = this.levelAt(cell, time_ns);
    const next = target ?? Math.round(level);
    if (next === this.target[cell] && this.isSettling[cell] === 0 && this.applied[cell] === next) return;
    this.level[cell] = level;
    this.levelTime_ns[cell] = time_ns;
    this.target[cell] = next;
    if (this.isSettling[cell] === 0) {
      this.isSettling[cell] = 1;
      this.settling[this.settlingCount++] = cell;
    }
    // The first grid point after the write: no cell moves between writes and grid points.
    const update = (Math.floor(time_ns / CAPMEM_UPDATE_PERIOD_NS) + 1) * CAPMEM_UPDATE_PERIOD_NS;
    if (update < this.nextUpdate_ns) this.nextUpdate_ns = update;
  }

  /** The grid update at `nextUpdate_ns`: settling cells take their staircase value; owners hear of changes. */
  update(): void {
    const time = this.nextUpdate_ns;
    let kept = 0;
    for (let i = 0; i < this.settlingCount; i++) {
      const cell = this.settling[i]!;
      const target = this.target[cell]!;
      const level = this.levelAt(cell, time);
      let value: number;
      if (Math.abs(level - target) < SETTLED_LSB) {
        value = target;
        this.level[cell] = target;
        this.levelTime_ns[cell] = time;
        this.isSettling[cell] = 0;
      } else {
        value = Math.round(level);
        this.settling[kept++] = cell;
      }
      if (value !== this.applied[cell]) {
        this.applied[cell] = value;
        this.listener.capMemValueChanged(cell);
      }
    }
    this.settlingCount = kept;
    this.nextUpdate_ns = kept > 0 ? time + CAPMEM_UPDATE_PERIOD_NS : Infinity;
  }
}
