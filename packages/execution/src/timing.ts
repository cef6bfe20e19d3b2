// The timing of a run's program on the chip: settling, the segment clock, lookahead and systime bases, and how
// long after a cycle its events have reached the host (hardware.md §1.1, §3.8, §5.2).
import type { CalibrationResult } from '@bss2/calibration';
import { nominal } from '@bss2/lola';

/** FPGA cycles per µs of chip time (hardware.md §1.1). */
export const CYCLES_PER_US = nominal.fpgaClockCyclesPerUs;
/** CapMem cells settle before an experiment (hardware.md §3.8). */
export const SETTLE_CYCLES = nominal.capMemSettle_us * CYCLES_PER_US;
/** The 32-bit FPGA timer bounds one run (hardware.md §11.1: runtime > 2^32 cycles is an error). */
export const MAX_RUN_CYCLES = 2 ** 32 - 1;
/**
 * The systime at timer value 0 of the experiment phase: SystimeSync sets systime to its base from the next
 * instruction, the Timer reset that follows starts the timer one cycle after itself.
 */
export const SYSTIME_AT_TIMER_ZERO = 1;
/** Timer value of the segment start when background generators are (re)started first: room for their writes. */
export const ORIGIN_AFTER_GENERATORS = 64;
/** Inputs this many cycles beyond a run's end are sent with it: the next program starts that much later. */
export const LOOKAHEAD_CYCLES = 64;
/** Instructions a continuing run may write before its start (weight updates): well inside the lookahead. */
export const CONTINUOUS_WRITE_BUDGET = 32;
/**
 * Systime bases. Batch entry k of a program runs on base `k · ENTRY_SYSTIME_SPAN` (each entry's clock stays
 * below 2^32 cycles), so every event names its entry; while a program configures and settles, systime runs
 * on `STALE_SYSTIME_BASE` (2^42 of the 43-bit counter), and whatever arrives then is no entry's.
 */
export const ENTRY_SYSTIME_SPAN = 2 ** 33;
export const STALE_SYSTIME_BASE = 2 ** 42;
/** Batch entries one program can hold before the entry bases reach the stale base. */
export const MAX_ENTRIES_PER_PROGRAM = STALE_SYSTIME_BASE / ENTRY_SYSTIME_SPAN;
/** A new segment without CapMem changes waits this many of the slowest time constant for the neurons to rest. */
export const RELAX_TIME_CONSTANTS = 10;

/** Whole FPGA cycles of a chip time (µs), on the cycle grid. */
export function usToCycles(t_us: number): number {
  return Math.round(t_us * CYCLES_PER_US);
}

/** Chip time (µs) of a cycle count (may be fractional). */
export function cyclesToUs(cycles: number): number {
  return cycles / CYCLES_PER_US;
}

/** Cycles for every neuron to return to rest: 10 × the slowest time constant, at most the CapMem settling. */
export function relaxCycles(calibration: CalibrationResult, adaptationTaus_us: readonly number[]): number {
  const target = calibration.target as unknown as Record<string, number | readonly number[]>;
  const max = (v: number | readonly number[]) => (typeof v === 'number' ? v : Math.max(...v));
  let slowest_us = Math.max(max(target.tauMembrane_us!), max(target.tauSynExc_us!), max(target.tauSynInh_us!));
  for (const tau of adaptationTaus_us) slowest_us = Math.max(slowest_us, tau);
  return Math.min(SETTLE_CYCLES, Math.ceil(RELAX_TIME_CONSTANTS * slowest_us * CYCLES_PER_US));
}

/**
 * FPGA cycles after which every event of a cycle has reached the host: the device reports it in its identity
 * (a simulated chip integrates in analog steps and answers a step late). A device that does not report it is
 * taken to answer within a cycle.
 */
export function responseLatencyOf(connection: { readonly identity: object }): number {
  const latency = (connection.identity as { responseLatency_cycles?: unknown }).responseLatency_cycles;
  return typeof latency === 'number' && Number.isSafeInteger(latency) && latency >= 0 ? latency : 1;
}
