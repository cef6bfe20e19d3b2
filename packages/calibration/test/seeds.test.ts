// Issue 6: calibrations of different chip seeds give different CapMem values and equally good results.
import { connectInProcess } from '@bss2/hxcomm/in-process';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CalibrationResult, type NeuronSettingField, calibrateLIF, spikingTarget, standardDeviation } from '../src/index.js';

describe('two chip seeds', () => {
  let a: CalibrationResult;
  let b: CalibrationResult;

  beforeAll(async () => {
    a = await calibrateLIF(connectInProcess({ seed: 11 }), spikingTarget);
    b = await calibrateLIF(connectInProcess({ seed: 12 }), spikingTarget);
  });

  it.each(['leak.vLeak', 'reset.vReset', 'threshold.vThreshold', 'leak.iBias', 'excitatoryInput.iBiasTau', 'inhibitoryInput.iBiasTau', 'excitatoryInput.iBiasGm', 'inhibitoryInput.iBiasGm'] as const)(
    'give different %s settings for most neurons',
    (field: NeuronSettingField) => {
      const differing = a.neurons[field].reduce((count, v, i) => count + (v !== b.neurons[field][i] ? 1 : 0), 0);
      expect(differing).toBeGreaterThan(512 / 2);
    },
  );

  it('are equally good: every parameter within a tenth of its own uncalibrated spread, on both chips', () => {
    expect(a.identity.chipSeed).not.toBe(b.identity.chipSeed);
    for (const p of a.parameters) {
      const q = b.parameter(p.parameter)!;
      for (const r of [p, q]) {
        expect(r.success.reduce((s, x) => s + x, 0), `${r.parameter} successes`).toBeGreaterThanOrEqual(r.success.length - 2);
        if (standardDeviation(r.before) > 1e-9) expect(standardDeviation(r.achieved), r.parameter).toBeLessThanOrEqual(standardDeviation(r.before) / 10);
      }
      // Per-neuron parameters: the spreads after calibration agree within a factor of 2.5, above the floor of one
      // neuron one CADC LSB off (the read noise of the last probe): 1 / √512 ≈ 0.044.
      if (p.achieved.length === 512 && standardDeviation(p.before) > 1e-9) {
        const [sa, sb] = [standardDeviation(p.achieved), standardDeviation(q.achieved)];
        expect(Math.max(sa, sb), p.parameter).toBeLessThanOrEqual(2.5 * Math.min(sa, sb) + 0.05);
      }
    }
  });
});
