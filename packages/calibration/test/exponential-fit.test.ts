import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TooFewSamplesError, fitExponential } from '../src/index.js';

fc.configureGlobal({ seed: 0xf17, numRuns: 60 });

describe('fitExponential', () => {
  it('recovers τ, amplitude and asymptote of exact decays and rises', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 60, noNaN: true }),
        fc.double({ min: -150, max: 150, noNaN: true }).filter((a) => Math.abs(a) > 5),
        fc.double({ min: 0, max: 200, noNaN: true }),
        (tau, amplitude, offset) => {
          const t = Float64Array.from({ length: 20 }, (_, k) => 0.1 + (3 * tau * k) / 19);
          const v = Float64Array.from(t, (x) => offset + amplitude * Math.exp(-(x - t[0]!) / tau));
          const fit = fitExponential(t, v, { tauMin: 0.1, tauMax: 2000 });
          expect(Math.abs(fit.tau / tau - 1)).toBeLessThan(1e-4);
          expect(fit.amplitude).toBeCloseTo(amplitude, 2);
          expect(fit.offset).toBeCloseTo(offset, 2);
        },
      ),
    );
  });

  it('stays within a percent on 8-bit quantised samples of a 130 LSB decay', () => {
    const t = Float64Array.from({ length: 20 }, (_, k) => 0.2 + 30 * (k / 19) ** 1.5);
    const v = Float64Array.from(t, (x) => Math.round(170 - 130 * Math.exp(-x / 10)));
    expect(Math.abs(fitExponential(t, v, { tauMin: 0.1, tauMax: 2000 }).tau / 10 - 1)).toBeLessThan(0.01);
  });

  it('needs three samples with a free asymptote, two with a known one', () => {
    expect(() => fitExponential([0, 1], [1, 0.5], { tauMin: 0.1, tauMax: 10 })).toThrow(TooFewSamplesError);
    expect(fitExponential([0, 1], [1, Math.exp(-1)], { tauMin: 0.1, tauMax: 10, offset: 0 }).tau).toBeCloseTo(1, 4);
  });
});
