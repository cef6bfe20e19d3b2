import { describe, expect, it } from 'vitest';
import {
  CalibrationNotSupportedError,
  CalibrationTargetError,
  type LIFCalibrationTarget,
  calibrateLIF,
  feasibleRanges,
  hardwareToModelTarget,
  modelRangeOf,
  modelToHardwareTarget,
  potentialToLsb,
  resolveTarget,
  spiking2Target,
  spikingTarget,
  targetParameters,
} from '../src/index.js';
import type { Connection } from '@bss2/hxcomm';

/** A connection that fails the test if anything is sent: target errors must come before any measurement. */
const untouchable: Connection = {
  identity: { protocolVersion: 1, chipSeed: 0, simulatorVersion: 'test', responseLatency_cycles: 0, kind: 'zero-mock' },
  closed: false,
  execute: () => Promise.reject(new Error('a program was sent before the target was checked')),
  reset: () => Promise.resolve(),
  close: () => Promise.resolve(),
};

describe('targets (hardware.md §9.3)', () => {
  it('the presets are feasible and have the datasheet values', () => {
    expect(resolveTarget(spikingTarget).leak_lsb[0]).toBe(80);
    expect(resolveTarget(spiking2Target).threshold_lsb[511]).toBe(150);
    expect(spiking2Target).toMatchObject({ reset_lsb: 80, tauMembrane_us: 6, tauSynExc_us: 6, synapseDacBias_lsb: 1000 });
  });

  it.each(targetParameters.map((p) => [p]))('%s outside its range throws before any measurement, naming parameter, value and range', async (parameter) => {
    const range = feasibleRanges[parameter];
    for (const value of [range.min - 1, range.max + 1.5, NaN]) {
      const target = { ...spikingTarget, [parameter]: value } as LIFCalibrationTarget;
      let error: unknown;
      try {
        await calibrateLIF(untouchable, target);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CalibrationTargetError);
      const e = error as CalibrationTargetError;
      expect(e.parameter).toBe(parameter);
      expect(Object.is(e.value, value)).toBe(true);
      expect(e.range).toEqual(range);
      expect(e.message).toContain(parameter);
      expect(e.message).toContain(`${range.min}..${range.max} ${range.unit}`);
    }
  });

  it('names the neuron of a bad per-neuron value and checks the array length', () => {
    const leak = new Array(512).fill(80);
    leak[300] = 161;
    expect(() => resolveTarget({ ...spikingTarget, leak_lsb: leak })).toThrow(/leak_lsb \(neuron 300\) = 161/);
    expect(() => resolveTarget({ ...spikingTarget, leak_lsb: [80, 80] })).toThrow(/exactly 512 values/);
  });

  it('refuses unknown and missing parameters, non-integer settings and inconsistent pairs', () => {
    expect(() => resolveTarget({ ...spikingTarget, leakk_lsb: 80 } as unknown as LIFCalibrationTarget)).toThrow(/leakk_lsb .*no such parameter/);
    const { leak_lsb: _leak, ...missing } = spikingTarget;
    expect(() => resolveTarget(missing as LIFCalibrationTarget)).toThrow(/leak_lsb .*missing/);
    expect(() => resolveTarget({ ...spikingTarget, synapticGm_lsb: 500.5 })).toThrow(/an integer/);
    expect(() => resolveTarget({ ...spikingTarget, reset_lsb: 130 })).toThrow(/threshold_lsb .*above reset_lsb/);
    expect(() => resolveTarget({ ...spikingTarget, leak_lsb: 150, threshold_lsb: 140 })).toThrow(/above leak_lsb/);
    expect(() => resolveTarget({ ...spikingTarget, holdoffTime_us: 3, refractoryTime_us: 2 })).toThrow(/holdoffTime_us .*below refractoryTime_us/);
  });

  it('refuses unsupported options before any measurement', async () => {
    await expect(calibrateLIF(untouchable, spikingTarget, { cadcSamples: 0 })).rejects.toThrow(CalibrationNotSupportedError);
    await expect(calibrateLIF(untouchable, spikingTarget, { cadcSamples: 1.5 })).rejects.toThrow(/cadcSamples = 1.5/);
  });

  it('reports an unrealisable refractory/hold-off pair before any measurement', async () => {
    await expect(calibrateLIF(untouchable, { ...spikingTarget, refractoryTime_us: 0.04, holdoffTime_us: 0.039 })).rejects.toThrow(CalibrationTargetError);
  });
});

describe('model units (architecture.md "Units")', () => {
  it('maps PyNN-like defaults onto the spiking preset', () => {
    const hw = modelToHardwareTarget({ v_rest: -65, v_reset: -68.333333333, v_thresh: -50, tau_m: 10, tau_syn_E: 10, tau_syn_I: 10, tau_refrac: 2 });
    expect(hw.leak_lsb).toBe(80);
    expect(hw.threshold_lsb).toBe(125);
    expect(hw.reset_lsb as number).toBeCloseTo(70, 6);
    expect(hw.tauMembrane_us).toBe(10);
    expect(hw.membraneCapacitance_lsb).toBe(63);
    expect(hw.synapticGm_lsb).toBe(500);
  });

  it('converts back and forth', () => {
    const model = hardwareToModelTarget(spikingTarget);
    const again = modelToHardwareTarget(model);
    for (const p of targetParameters) expect(again[p] as number).toBeCloseTo(spikingTarget[p] as number, 9);
    expect(potentialToLsb(-75)).toBe(50);
    const leak = modelRangeOf('leak_lsb');
    expect([leak.min, leak.unit]).toEqual([-75, 'mV']);
    expect(leak.max).toBeCloseTo(-38.3333, 3);
  });

  it('an impossible model value is reported with the hardware parameter and range', () => {
    expect(() => resolveTarget(modelToHardwareTarget({ ...hardwareToModelTarget(spikingTarget), tau_m: 100 }))).toThrow(/tauMembrane_us = 100 .*0.5..60 µs/);
    expect(() => modelToHardwareTarget({ ...hardwareToModelTarget(spikingTarget), v_rest: Number.NaN })).toThrow(/v_rest/);
  });
});
