import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHIP_FILLING_EXCITATORY, CHIP_FILLING_NEURONS, chipFillingNetwork } from '../src/chip-filling.js';
import { bestOf, machine, median, seededUniform } from '../src/index.js';

function draw(seed: number, count: number): number[] {
  const next = seededUniform(seed);
  return Array.from({ length: count }, () => next());
}

describe('seededUniform', () => {
  it('repeats its sequence for a seed, stays in [0, 1) and differs between seeds', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const values = draw(seed, 64);
        expect(draw(seed, 64)).toEqual(values);
        for (const x of values) expect(x >= 0 && x < 1).toBe(true);
        expect(draw(seed + 1, 64)).not.toEqual(values);
      }),
      { numRuns: 200 },
    );
  });

  it('is uniform: ten equal bins within 3 % of 10 000 draws each', () => {
    const bins = new Array<number>(10).fill(0);
    for (const x of draw(2026, 100_000)) bins[Math.floor(x * 10)]!++;
    for (const count of bins) expect(Math.abs(count - 10_000)).toBeLessThan(300);
  });
});

describe('bestOf', () => {
  it('warms up once, then times each repeat', () => {
    let calls = 0;
    const seconds = bestOf(4, () => calls++);
    expect(calls).toBe(5);
    expect(seconds).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(seconds)).toBe(true);
  });
});

describe('machine', () => {
  it('names the CPU, its cores and the Node version', () => {
    const facts = machine();
    expect(facts.cores).toBeGreaterThan(0);
    expect(facts.node).toBe(process.version);
    expect(typeof facts.cpu).toBe('string');
  });
});

describe('chipFillingNetwork', () => {
  it('gives every neuron k distinct inputs, excitatory exactly from the excitatory neurons, weights 1..63', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 256 }), fc.integer(), (k, seed) => {
        const network = chipFillingNetwork(k, seed);
        const pres = Array.from({ length: CHIP_FILLING_NEURONS }, () => new Set<number>());
        for (const projection of network.projections) {
          for (const { pre, post, weight } of projection.connections) {
            if (pre < CHIP_FILLING_EXCITATORY !== (projection.receptor === 'excitatory')) return false;
            if (!Number.isInteger(weight) || weight < 1 || weight > 63 || pres[post]!.has(pre)) return false;
            pres[post]!.add(pre);
          }
        }
        return pres.every((inputs) => inputs.size === k);
      }),
      { numRuns: 20 },
    );
  });

  it('is the same network for the same fan-in and seed, another one for another seed', () => {
    expect(chipFillingNetwork(100, 7)).toEqual(chipFillingNetwork(100, 7));
    expect(chipFillingNetwork(100, 8)).not.toEqual(chipFillingNetwork(100, 7));
  });
});

describe('median', () => {
  it('is the middle value, the mean of the two middle ones for an even count, whatever the order', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 20 }), (values) => {
        const m = median(values);
        expect(values.filter((v) => v < m).length).toBeLessThanOrEqual(values.length / 2);
        expect(values.filter((v) => v > m).length).toBeLessThanOrEqual(values.length / 2);
        expect(median([...values].reverse())).toBe(m);
      }),
      { seed: 7 },
    );
  });

  it('refuses an empty list', () => {
    expect(() => median([])).toThrow(RangeError);
  });
});
