import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DatasetError, YIN_YANG_CLASSES, YIN_YANG_SPLITS, yinYang, yinYangClass } from '../src/index.js';

const SEED = 1;

const splits = {
  train: yinYang(YIN_YANG_SPLITS.train),
  validation: yinYang(YIN_YANG_SPLITS.validation),
  test: yinYang(YIN_YANG_SPLITS.test),
};

const counts = (labels: Int32Array): number[] => [0, 1, 2].map((c) => labels.filter((l) => l === c).length);

describe('yinYangClass (the reference’s which_class)', () => {
  it('classifies hand-picked points', () => {
    // The dots, radius 0.1 around (0.25, 0.5) and (0.75, 0.5).
    expect(yinYangClass(0.25, 0.5)).toBe(2);
    expect(yinYangClass(0.75, 0.5)).toBe(2);
    expect(yinYangClass(0.78, 0.45)).toBe(2);
    // Around the left dot, within 0.25 of it: label 1, above and below the axis alike.
    expect(yinYangClass(0.25, 0.65)).toBe(1);
    expect(yinYangClass(0.25, 0.35)).toBe(1);
    // Around the right dot, within 0.25 of it: label 0.
    expect(yinYangClass(0.75, 0.65)).toBe(0);
    expect(yinYangClass(0.75, 0.35)).toBe(0);
    // Away from both half-discs: the upper half is label 1, the lower half label 0.
    expect(yinYangClass(0.5, 0.9)).toBe(1);
    expect(yinYangClass(0.5, 0.1)).toBe(0);
    expect(YIN_YANG_CLASSES).toEqual(['yin', 'yang', 'dot']);
  });

  it('is point-symmetric about the centre outside the dots (yin ↔ yang)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (x, y) => {
        const label = yinYangClass(x, y);
        const mirrored = yinYangClass(1 - x, 1 - y);
        // Stay off the class boundaries, where floating-point rounding decides.
        const edges = [Math.hypot(x - 0.25, y - 0.5), Math.hypot(x - 0.75, y - 0.5)].flatMap((d) => [d - 0.1, d - 0.25]);
        fc.pre(Math.abs(y - 0.5) > 1e-9 && edges.every((e) => Math.abs(e) > 1e-9));
        expect(mirrored).toBe(label === 2 ? 2 : 1 - label);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});

describe('yinYang', () => {
  it('generates the reference splits with their sizes', () => {
    for (const [name, split] of Object.entries(splits)) {
      const { size } = YIN_YANG_SPLITS[name as keyof typeof splits];
      expect(split.size).toBe(size);
      expect(split.features.length).toBe(4 * size);
      expect(split.labels.length).toBe(size);
    }
  });

  it('balances the classes to a third each, ±1', () => {
    for (const split of Object.values(splits)) {
      for (const count of counts(split.labels)) expect(Math.abs(count - split.size / 3)).toBeLessThanOrEqual(1);
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer(), (size, seed) => {
        for (const count of counts(yinYang({ size, seed }).labels)) expect(Math.abs(count - size / 3)).toBeLessThanOrEqual(1);
      }),
      { seed: SEED, numRuns: 50 },
    );
  });

  it('has features (x, y, 1 − x, 1 − y) inside the big circle, labelled by which_class', () => {
    for (const { features, labels, size } of Object.values(splits)) {
      const bad: number[] = [];
      for (let s = 0; s < size; s++) {
        const [x, y, xFlipped, yFlipped] = features.subarray(4 * s, 4 * s + 4) as unknown as [number, number, number, number];
        const ok =
          x >= 0 &&
          y >= 0 &&
          Math.hypot(x - 0.5, y - 0.5) <= 0.5 + 1e-7 &&
          Math.abs(x + xFlipped - 1) < 1e-7 &&
          Math.abs(y + yFlipped - 1) < 1e-7 &&
          labels[s] === yinYangClass(x, y);
        if (!ok) bad.push(s);
      }
      expect(bad).toEqual([]);
    }
  });

  it('is deterministic per seed and pinned to its generator', () => {
    expect(yinYang(YIN_YANG_SPLITS.test)).toEqual(splits.test);
    // Sample 0 of the training split: a change here means the generator or the algorithm changed.
    expect(Array.from(splits.train.features.subarray(0, 4))).toEqual([0.32730647921562195, 0.2608250677585602, 0.6726934909820557, 0.7391749024391174]);
    expect(Array.from(splits.train.labels.subarray(0, 6))).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('differs between seeds', () => {
    const a = splits.validation.features;
    const b = splits.test.features;
    expect(a.filter((value, k) => value === b[k]).length).toBe(0);
  });

  it('rejects invalid sizes and seeds', () => {
    expect(() => yinYang({ size: -1, seed: 1 })).toThrow(DatasetError);
    expect(() => yinYang({ size: 2.5, seed: 1 })).toThrow(/size = 2.5 is invalid/);
    expect(() => yinYang({ size: 3, seed: 0.5 })).toThrow(DatasetError);
    expect(() => yinYang({ size: 3, seed: 2 ** 40 })).toThrow(DatasetError);
  });
});
