// The timing of a run's program on the chip: settling, the segment clock, lookahead and stale-event bases, and
// when a run may continue the previous one's clock (hardware.md §1.1, §3.8, §5.2).
import type { CalibrationResult } from '@bss2/calibration';
import type { AtomicNeuron } from '@bss2/lola';
import type { PlacedNeuron } from './neurons.js';
import { CYCLES_PER_US } from './units.js';

/** CapMem cells settle for 20 ms of chip time before an experiment (hardware.md §3.8). */
export const SETTLE_CYCLES = 20_000 * CYCLES_PER_US;
/** The 32-bit FPGA timer bounds one program (hardware.md §11.1: runtime > 2^32 cycles is an error). */
export const MAX_PROGRAM_CYCLES = 2 ** 32 - 1;
/**
 * The systime at timer value 0 of the experiment phase: SystimeSync sets systime 0 from the next instruction,
 * the Timer reset that follows starts the timer one cycle after itself.
 */
export const SYSTIME_AT_TIMER_ZERO = 1;
/** Timer value of the segment start when background generators are (re)started first: room for their writes. */
export const ORIGIN_AFTER_GENERATORS = 64;
/** Inputs this many cycles beyond a run's end are sent with it: the next program starts that much later. */
export const LOOKAHEAD_CYCLES = 64;
/** Instructions a continuing run may write before its start (weight updates): well inside the lookahead. */
export const CONTINUOUS_WRITE_BUDGET = 32;
/** Systime base while a program configures and settles (2^42 of the 43-bit counter); events then are stale. */
export const STALE_SYSTIME_BASE = 2 ** 42;
/** Events stamped this late lie in the stale base (a segment's clock stays below 2^32 cycles). */
export const STALE_SYSTIME = 2 ** 41;
/** The built-in chip's analog step (chip-sim's default), also assumed for chips reached through a connection. */
export const ANALOG_STEP_NS = 100;
/** A new segment without CapMem changes waits this many of the slowest time constant for the neurons to rest. */
export const RELAX_TIME_CONSTANTS = 10;

/** Cycles for every neuron to return to rest: 10 × the slowest membrane, synaptic or adaptation time constant. */
export function relaxCycles(placed: readonly PlacedNeuron[], calibration: CalibrationResult): number {
  const target = calibration.target as unknown as Record<string, number | readonly number[]>;
  const max = (v: number | readonly number[]) => (typeof v === 'number' ? v : Math.max(...v));
  let slowest_us = Math.max(max(target.tauMembrane_us!), max(target.tauSynExc_us!), max(target.tauSynInh_us!));
  for (const n of placed) {
    if (n.population.cellType.parameterNames.includes('tau_w')) slowest_us = Math.max(slowest_us, n.population.parameterValue('tau_w', n.index) as number);
  }
  return Math.min(SETTLE_CYCLES, Math.ceil(RELAX_TIME_CONSTANTS * slowest_us * CYCLES_PER_US));
}

/** Whether two neurons differ in a CapMem cell (such a change needs the settling wait). */
export function capMemDiffers(a: AtomicNeuron, b: AtomicNeuron): boolean {
  const x = a.toCapMemCells();
  const y = b.toCapMemCells();
  return x.some((cell, i) => !cell.equals(y[i]!));
}

