// The simulator's own transfer Choices (transfer.ts); the datasheet's §8.3 table and the backend clock arithmetic
// are lola's `nominal`, tested there.
import { AtomicNeuron, nominal } from '@bss2/lola';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LARGE_CAPACITANCE_STEP_FACTOR, NeuronParameters, SUPPLY_MAX_MV, synapticShiftOffset_nA } from '../../src/analog/index.js';

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

describe('per-parameter voltage transfer (lola neuronVoltageTransfers, issue 19)', () => {
  const madc = (V: number) => Math.round((1023 * V) / nominal.madcFullScale_V);

  it('puts the tutorial settings where the reference chip has them (MADC LSB)', () => {
    expect(madc(nominal.neuronVoltage_V('leak', 700))).toBe(375);
    expect(madc(nominal.neuronVoltage_V('reset', 400))).toBe(232);
    expect(madc(nominal.neuronVoltage_V('threshold', 300))).toBe(400);
    // A threshold of 300 is near a leak of 700 in volts, not near a leak of 300.
    expect(Math.abs(nominal.neuronVoltage_V('threshold', 300) - nominal.neuronVoltage_V('leak', 700))).toBeLessThan(0.05);
  });

  it('rises monotonically; the leak saturates at both ends of its range', () => {
    for (const kind of ['leak', 'reset', 'threshold'] as const) {
      for (let v = 1; v <= 1022; v++) expect(nominal.neuronVoltage_V(kind, v)).toBeGreaterThan(nominal.neuronVoltage_V(kind, v - 1));
    }
    const mid = nominal.neuronVoltageSlope_V_per_lsb('leak', 704);
    expect(nominal.neuronVoltageSlope_V_per_lsb('leak', 0)).toBeLessThan(mid / 5);
    expect(nominal.neuronVoltageSlope_V_per_lsb('leak', 1022)).toBeLessThan(mid / 2.5);
  });

  it('inverts exactly, and the slope is the derivative', () => {
    fc.assert(
      fc.property(fc.constantFrom('leak' as const, 'reset' as const, 'threshold' as const), fc.double({ min: 0, max: 1022, noNaN: true }), (kind, v) => {
        const V = nominal.neuronVoltage_V(kind, v);
        expect(nominal.neuronVoltageSetting_lsb(kind, V)).toBeCloseTo(v, 6);
        const h = 1e-3;
        const numeric = (nominal.neuronVoltage_V(kind, v + h) - nominal.neuronVoltage_V(kind, v - h)) / (2 * h);
        expect(nominal.neuronVoltageSlope_V_per_lsb(kind, v)).toBeCloseTo(numeric, 9);
      }),
      { seed: 19, numRuns: 300 },
    );
    expect(nominal.neuronVoltageSetting_lsb('leak', 0.1)).toBe(-Infinity);
    expect(nominal.neuronVoltageSetting_lsb('leak', 0.9)).toBe(Infinity);
  });

  it('is what the ideal chip applies; the datasheet choice sends every cell through 1.2 V · value / 1022', () => {
    const n = new AtomicNeuron({ leak: { vLeak: 700 }, reset: { vReset: 400 }, threshold: { vThreshold: 300 }, exponential: { vExp: 500 } });
    const perParameter = new NeuronParameters(undefined, Array(512).fill(n));
    const datasheet = new NeuronParameters(undefined, Array(512).fill(n), 'datasheet');
    expect(perParameter.leakPotential_mV[3]).toBeCloseTo(1000 * nominal.neuronVoltage_V('leak', 700), 12);
    expect(perParameter.resetPotential_mV[3]).toBeCloseTo(1000 * nominal.neuronVoltage_V('reset', 400), 12);
    expect(perParameter.thresholdPotential_mV[3]).toBeCloseTo(1000 * nominal.neuronVoltage_V('threshold', 300), 12);
    expect(datasheet.leakPotential_mV[3]).toBeCloseTo(nominal.capMemVoltage_mV(700), 12);
    expect(datasheet.thresholdPotential_mV[3]).toBeCloseTo(nominal.capMemVoltage_mV(300), 12);
    // The other voltage cells are plain CapMem cells either way.
    expect(perParameter.exponentialPotential_mV[3]).toBe(datasheet.exponentialPotential_mV[3]);
  });
});
