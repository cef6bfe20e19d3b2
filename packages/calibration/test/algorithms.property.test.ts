// The searches of hardware.md §9.2 on synthetic "chips": per instance a monotone transfer function with its
// own gain and offset (fixed-pattern variation), optionally quantised, as pure functions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AlgorithmError, BinarySearch, LinearPrediction, LinearSearch, NoisyBinarySearch, ParameterRange, type SearchProblem } from '../src/index.js';

fc.configureGlobal({ seed: 0x6ca11b, numRuns: 40 });

const variation = fc.record({
  n: fc.integer({ min: 1, max: 64 }),
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  gainSd: fc.double({ min: 0, max: 0.2, noNaN: true }),
  offsetSd: fc.double({ min: 0, max: 30, noNaN: true }),
});

/** Deterministic pseudo-normal draws for instance parameters. */
function draws(seed: number, n: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: n }, () => {
    let sum = 0;
    for (let k = 0; k < 12; k++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      sum += s / 2 ** 32;
    }
    return sum - 6;
  });
}

/** A chip: result = gain_i · setting / 4 + offset_i (a potential in CADC-like units), optionally rounded. */
function linearChip(v: { n: number; seed: number; gainSd: number; offsetSd: number }, quantised = false, inverted = false) {
  const g = draws(v.seed, v.n);
  const o = draws(v.seed + 1, v.n);
  let calls = 0;
  const f = (s: number, i: number) => {
    const x = (1 + v.gainSd * g[i]!) * (inverted ? (1022 - s) : s) / 4 + v.offsetSd * o[i]!;
    return quantised ? Math.round(x) : x;
  };
  return { f, measure: (s: Int32Array) => (calls++, Float64Array.from(s, (x, i) => f(x, i))), calls: () => calls };
}

const range = ParameterRange.capMem;

describe('BinarySearch', () => {
  it('lands within one setting step of the target for every instance', async () => {
    await fc.assert(
      fc.asyncProperty(variation, fc.double({ min: 60, max: 190, noNaN: true }), async (v, t) => {
        const chip = linearChip(v);
        const problem: SearchProblem = { target: new Float64Array(v.n).fill(t), range, measure: chip.measure };
        const out = await new BinarySearch().run(problem);
        expect(out.measurements).toBe(new BinarySearch().steps(range.size) + 1);
        for (let i = 0; i < v.n; i++) {
          const step = Math.abs(chip.f(out.settings[i]! + 1, i) - chip.f(out.settings[i]!, i));
          if (out.success[i]) expect(Math.abs(out.results[i]! - t)).toBeLessThanOrEqual(step + 1e-9);
          expect(out.results[i]).toBe(chip.f(out.settings[i]!, i));
        }
      }),
    );
  });

  it('follows the inverted flag', async () => {
    const v = { n: 16, seed: 5, gainSd: 0.1, offsetSd: 10 };
    const chip = linearChip(v, false, true);
    const out = await new BinarySearch().run({ target: new Float64Array(16).fill(120), range, inverted: true, measure: chip.measure });
    for (let i = 0; i < 16; i++) expect(Math.abs(out.results[i]! - 120)).toBeLessThan(0.4);
  });

  it('clamps to the range and marks instances whose target lies beyond it unsuccessful', async () => {
    const chip = linearChip({ n: 4, seed: 3, gainSd: 0, offsetSd: 0 });
    const out = await new BinarySearch().run({ target: Float64Array.of(-50, 100, 400, 0), range: new ParameterRange(100, 900), measure: chip.measure });
    expect(Array.from(out.settings)).toEqual([100, 400, 900, 100]);
    expect(Array.from(out.success)).toEqual([0, 1, 0, 0]);
  });
});

describe('NoisyBinarySearch', () => {
  it('converges with noisy measurements and spreads equal instances over several settings', async () => {
    const n = 128;
    let s = 7;
    const noise = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32 - 0.5) * 0.6;
    const measure = (x: Int32Array) => Float64Array.from(x, (value) => value / 4 + noise());
    const out = await new NoisyBinarySearch({ seed: 11 }).run({ target: new Float64Array(n).fill(100.1), range, measure });
    for (let i = 0; i < n; i++) expect(Math.abs(out.settings[i]! / 4 - 100.1)).toBeLessThanOrEqual(1);
    expect(new Set(out.settings).size).toBeGreaterThan(1);
    expect(out.measurements).toBe(new BinarySearch().steps(range.size) + 2);
  });
});

describe('LinearSearch', () => {
  it('steps until the target is crossed and keeps the closer side', async () => {
    await fc.assert(
      fc.asyncProperty(variation, async (v) => {
        const chip = linearChip(v);
        const target = new Float64Array(v.n).fill(128);
        const out = await new LinearSearch({ start: 512, step_lsb: 8, maxSteps: 200 }).run({ target, range, measure: chip.measure });
        for (let i = 0; i < v.n; i++) {
          if (out.success[i]) expect(Math.abs(out.results[i]! - 128)).toBeLessThanOrEqual(Math.abs(chip.f(8, i) - chip.f(0, i)) / 2 + 1e-9);
        }
      }),
    );
  });

  it('rejects a step of zero', () => {
    expect(() => new LinearSearch({ step_lsb: 0, maxSteps: 3 })).toThrow(AlgorithmError);
  });
});

describe('LinearPrediction', () => {
  it('hits a linear transfer function within the quantisation after two rounds, in four measurements', async () => {
    await fc.assert(
      fc.asyncProperty(variation, fc.double({ min: 60, max: 190, noNaN: true }), async (v, t) => {
        const chip = linearChip(v, true);
        const out = await new LinearPrediction({ probes: [400, (s, r, goal) => s + (goal - r) * 4], iterations: 2 }).run({
          target: new Float64Array(v.n).fill(t),
          range,
          measure: chip.measure,
        });
        expect(out.measurements).toBe(4);
        for (let i = 0; i < v.n; i++) if (out.success[i]) expect(Math.abs(out.results[i]! - t)).toBeLessThanOrEqual(1.5);
      }),
    );
  });

  it('finds time constants through the reciprocal (τ = k / bias, inverted)', async () => {
    const k = Float64Array.from(draws(9, 64), (d) => 2400 * Math.exp(0.2 * d));
    const measure = (s: Int32Array) => Float64Array.from(s, (x, i) => k[i]! / x);
    const out = await new LinearPrediction({ probes: [240, (s, tau, goal) => (s * tau) / goal], iterations: 1, linearize: (tau) => 1 / tau }).run({
      target: new Float64Array(64).fill(10),
      range: new ParameterRange(1, 1022),
      inverted: true,
      measure,
    });
    for (let i = 0; i < 64; i++) expect(Math.abs(out.results[i]! / 10 - 1)).toBeLessThan(0.005);
  });

  it('moves a second probe that equals the first by one LSB (a line needs two points)', async () => {
    const seen: number[] = [];
    const measure = (s: Int32Array) => (seen.push(s[0]!), Float64Array.from(s, (x) => x / 4));
    await new LinearPrediction({ probes: [400, () => 400], iterations: 1 }).run({ target: Float64Array.of(100), range, measure });
    expect(seen.slice(0, 2)).toEqual([400, 401]);
  });

  it('rejects a negative number of iterations', () => {
    expect(() => new LinearPrediction({ probes: [1, 2], iterations: -1 })).toThrow(AlgorithmError);
  });
});
