// The simulator's own transfer Choices (transfer.ts); the datasheet's §8.3 table and the backend clock arithmetic
// are lola's `nominal`, tested there.
import { nominal } from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import { LARGE_CAPACITANCE_STEP_FACTOR, SUPPLY_MAX_MV, synapticShiftOffset_nA } from '../../src/analog/index.js';

describe('transfer Choices of the simulated chip', () => {
  it('the supply rails are the MADC range, 0..1.2 V', () => {
    expect(SUPPLY_MAX_MV).toBe(1200);
    expect(nominal.madcCode(SUPPLY_MAX_MV / 1000)).toBe(nominal.madcCodeMax_lsb);
  });

  it('the large integrator capacitance shrinks the step by the factor it lengthens τ_syn', () => {
    expect(LARGE_CAPACITANCE_STEP_FACTOR).toBe(0.25);
    const tauRatio = nominal.synapticTimeConstant_us(100, false, false) / nominal.synapticTimeConstant_us(100, true, false);
    expect(LARGE_CAPACITANCE_STEP_FACTOR * tauRatio).toBe(1);
  });

  it('i_shift_reference nulls ±2 nA around 500', () => {
    expect(synapticShiftOffset_nA(500)).toBe(0);
    expect(synapticShiftOffset_nA(0)).toBeCloseTo(2, 12);
    expect(synapticShiftOffset_nA(1000)).toBeCloseTo(-2, 12);
  });
});
