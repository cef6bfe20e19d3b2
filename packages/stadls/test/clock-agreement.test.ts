// stadls is where the two chains meet: fisch (depends on nothing) counts FPGA cycles on the wire, lola's nominal
// states the clocks. The wire format's own numbers must agree with the datasheet's clocks.
import { CHIP_TIMESTAMP_TICKS_PER_CYCLE, EVENT_TIMESTAMP_BITS, EVENT_TIMESTAMP_PERIOD_CYCLES, MAX_WAIT_CYCLES } from '@bss2/fisch';
import { TimerValue, nominal } from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import { LATENESS_WARNING_CYCLES, SETTLE_CYCLES } from '../src/index.js';

describe('fisch wire format and lola nominal clocks', () => {
  it('chip timestamps tick at the 250 MHz clock, twice per FPGA cycle', () => {
    expect(CHIP_TIMESTAMP_TICKS_PER_CYCLE).toBe(nominal.chipTimestampTicksPerFpgaCycle);
    const timestampTurn_ns = (2 ** EVENT_TIMESTAMP_BITS * 1e9) / nominal.ppuClock_hz;
    expect(EVENT_TIMESTAMP_PERIOD_CYCLES * nominal.fpgaCycle_ns).toBe(timestampTurn_ns);
  });

  it('a wait and the timer span the same 32 bits of FPGA cycles', () => {
    expect(MAX_WAIT_CYCLES).toBe(TimerValue.max);
  });

  it('durations in µs of the datasheet become FPGA cycles at the nominal clock', () => {
    expect(SETTLE_CYCLES).toBe(100 * 125);
    expect(LATENESS_WARNING_CYCLES).toBe(10 * 125);
  });
});
