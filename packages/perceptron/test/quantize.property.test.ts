import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PerceptronValueError, quantizeInputs, quantizeWeights } from '../src/index.js';
import { SEED } from './helpers.js';

const offset = fc.double({ min: -0.49, max: 0.49, noNaN: true });

describe('quantisation', () => {
  it('weights: chip weights round-trip, and anything within ½ of one rounds to it', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -63, max: 63 }), offset), { maxLength: 50 }), (pairs) => {
        const q = pairs.map(([w]) => w);
        expect(Array.from(quantizeWeights(q))).toEqual(q);
        expect(Array.from(quantizeWeights(quantizeWeights(q)))).toEqual(q);
        expect(Array.from(quantizeWeights(pairs.map(([w, d]) => w + d)))).toEqual(q);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('weights: clamp to ±63, halves away from zero (hardware.md §11.2)', () => {
    expect(Array.from(quantizeWeights([100, -100, 63.4, -63.6, 0.5, -0.5, 1.5, -2.5, 0.49]))).toEqual([63, -63, 63, -63, 1, -1, 2, -3, 0]);
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (w) => {
        const [q] = quantizeWeights([w]);
        expect(Math.abs(q!)).toBeLessThanOrEqual(63);
        if (Math.abs(w) <= 62.5) expect(Math.abs(q! - w)).toBeLessThanOrEqual(0.5);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('inputs: value·scale rounded and clamped to 0..31; chip inputs round-trip', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 31 }), offset), { maxLength: 50 }), fc.integer({ min: 1, max: 8 }), (pairs, scale) => {
        const q = pairs.map(([x]) => x);
        expect(Array.from(quantizeInputs(q))).toEqual(q);
        expect(Array.from(quantizeInputs(pairs.map(([x, d]) => (x + d) / scale), { scale }))).toEqual(q);
      }),
      { seed: SEED, numRuns: 200 },
    );
    expect(Array.from(quantizeInputs([0, 0.5, 1, -0.2, 1.7], { scale: 31 }))).toEqual([0, 16, 31, 0, 31]);
  });

  it('refuses non-finite values and scales, naming them', () => {
    expect(() => quantizeWeights([1, Number.NaN])).toThrow(PerceptronValueError);
    expect(() => quantizeWeights([1, Number.NaN])).toThrow('quantizeWeights: values[1] = NaN is invalid: a finite number');
    expect(() => quantizeInputs([Infinity])).toThrow('values[0] = Infinity');
    expect(() => quantizeInputs([1], { scale: 0 })).toThrow('quantizeInputs: scale = 0 is invalid: a finite number > 0');
  });
});
