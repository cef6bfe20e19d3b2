// Nominal transfer functions (hardware.md §8.3) and backend clock arithmetic (§1.1, §8.1).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adaptationConductance_nS,
  adaptationIncrement_nA,
  adaptationTimeConstant_us,
  backendClockFrequency_MHz,
  backendClockPeriod_ns,
  cadcCode,
  capMemVoltage_V,
  cobaVoltageScale_mV,
  exponentialCurrent_nA,
  interCompartmentConductance_nS,
  leakConductance_nS,
  madcCode,
  membraneCapacitance_pF,
  offsetCurrent_nA,
  refractoryPeriod_ns,
  resetDuration_ns,
  synapseDacGain,
  synapticShiftOffset_nA,
  synapticTimeConstant_us,
  synapticTransconductance,
} from '../../src/analog/index.js';

describe('nominal transfer functions', () => {
  it('match the table of §8.3', () => {
    expect(capMemVoltage_V(1022)).toBe(1.2);
    expect(capMemVoltage_V(511)).toBeCloseTo(0.6, 15);
    expect(membraneCapacitance_pF(0)).toBe(0.1);
    expect(membraneCapacitance_pF(63)).toBeCloseTo(2.2, 15);
    expect(leakConductance_nS(100, false, false)).toBe(100);
    expect(leakConductance_nS(100, false, true)).toBe(800);
    expect(leakConductance_nS(100, true, false)).toBe(12.5);
    expect(interCompartmentConductance_nS(100, true, false)).toBe(25);
    expect(interCompartmentConductance_nS(100, false, true)).toBe(400);
    expect(synapticTimeConstant_us(60, true, false)).toBe(5);
    expect(synapticTimeConstant_us(60, false, false)).toBe(20);
    expect(synapticTimeConstant_us(60, true, true)).toBe(40);
    expect(synapticTimeConstant_us(0, true, false)).toBe(Infinity);
    expect(synapticTransconductance(500)).toBe(1);
    expect(synapseDacGain(600)).toBe(1);
    expect(synapticShiftOffset_nA(500)).toBe(0);
    expect(cobaVoltageScale_mV(500)).toBe(300);
    expect(adaptationTimeConstant_us(100)).toBe(100);
    expect(adaptationConductance_nS(10)).toBe(1);
    expect(adaptationIncrement_nA(20)).toBe(1);
    expect(exponentialCurrent_nA(10)).toBe(1);
    expect(madcCode(0)).toBe(0);
    expect(madcCode(1.2)).toBe(1023);
    expect(cadcCode(0.15)).toBe(20);
    expect(cadcCode(1.05)).toBe(220);
  });

  it('offset current: 0.1 nA/LSB up to 800, then compressing, continuous and monotonic', () => {
    expect(offsetCurrent_nA(600)).toBeCloseTo(60, 12);
    expect(offsetCurrent_nA(800)).toBeCloseTo(80, 12);
    expect(offsetCurrent_nA(801) - offsetCurrent_nA(800)).toBeCloseTo(0.1, 3);
    expect(offsetCurrent_nA(1022)).toBeLessThan(102.2);
    for (let v = 800; v < 1022; v++) expect(offsetCurrent_nA(v + 1)).toBeGreaterThan(offsetCurrent_nA(v));
  });
});

describe('backend clocks and refractory timing', () => {
  it('clock s runs at 250 MHz / 2^(s+1)', () => {
    expect(backendClockFrequency_MHz(0)).toBe(125);
    expect(backendClockPeriod_ns(0)).toBe(8);
    expect(backendClockFrequency_MHz(15) * 1e6).toBeCloseTo(3814.7, 1);
  });

  it('τ_ref = refractory_time / f and the reset ends 0x1F − 2·hold-off cycles earlier', () => {
    expect(refractoryPeriod_ns(250, 0)).toBe(2000);
    expect(resetDuration_ns(251, 15, 0)).toBe(2000);
    expect(resetDuration_ns(100, 0, 1)).toBe((100 - 31) * 16);
    expect(resetDuration_ns(10, 0, 0)).toBeLessThanOrEqual(0); // no reset
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 }), (time, holdoff, scale) => {
        const f_hz = backendClockFrequency_MHz(scale) * 1e6;
        expect(refractoryPeriod_ns(time, scale)).toBeCloseTo((time / f_hz) * 1e9, 6);
        expect(refractoryPeriod_ns(time, scale) - resetDuration_ns(time, holdoff, scale)).toBeCloseTo(((0x1f - 2 * holdoff) / f_hz) * 1e9, 6);
      }),
      { seed: 0x7ef, numRuns: 300 },
    );
  });
});
