import { describe, expect, it } from 'vitest';
import { DatasetError, YIN_YANG_SPLITS, encodeSpikeTimes, yinYang } from '../src/data/index.js';

const testSplit = yinYang(YIN_YANG_SPLITS.test);

describe('encodeSpikeTimes', () => {
  const encoding = { tEarly: 0.12, tLate: 2, bias: 0.9, steps: 25, dt: 0.1 };
  const span = encoding.tLate - encoding.tEarly;

  it('puts one spike per input at tEarly + feature·(tLate − tEarly), in the nearest bin', () => {
    const features = new Float32Array([0, 1, 0.5, 0.25, 0.2, 0.8, 0.8, 0.2]);
    const { spikes, shape, times } = encodeSpikeTimes(features, encoding);
    expect(shape).toEqual([25, 2, 5]);
    expect(times[0]).toEqual([0.12, 2, 0.12 + 0.5 * span, 0.12 + 0.25 * span, 0.9]);
    expect(times[1]!.map((t) => t.toFixed(6))).toEqual(['0.496000', '1.624000', '1.624000', '0.496000', '0.900000']);
    const bins = (b: number): number[] =>
      [0, 1, 2, 3, 4].map((j) => {
        const hits = Array.from({ length: 25 }, (_, t) => t).filter((t) => spikes[(t * 2 + b) * 5 + j] === 1);
        expect(hits.length).toBe(1);
        return hits[0]!;
      });
    // 0.12 → bin 1, 2 → 20, 1.06 → 11, 0.59 → 6, the bias 0.9 → 9; 0.496 → 5, 1.624 → 16.
    expect(bins(0)).toEqual([1, 20, 11, 6, 9]);
    expect(bins(1)).toEqual([5, 16, 16, 5, 9]);
    expect(spikes.reduce((sum, s) => sum + s, 0)).toBe(10);
  });

  it('encodes a whole split, the bias at tEarly by default', () => {
    const { spikes, shape, times } = encodeSpikeTimes(testSplit.features, { tEarly: 0, tLate: 1, steps: 11, dt: 0.1 });
    expect(shape).toEqual([11, 1000, 5]);
    expect(spikes.reduce((sum, s) => sum + s, 0)).toBe(5000);
    expect(times.every((sample) => sample.length === 5 && sample[4] === 0)).toBe(true);
  });

  it('rejects spikes beyond the last bin, bad times and bad features', () => {
    expect(() => encodeSpikeTimes(new Float32Array(4), { ...encoding, steps: 20 })).toThrow(/latest spike \(t = 2\) falls in bin 20/);
    expect(() => encodeSpikeTimes(new Float32Array(4), { ...encoding, tLate: 0.1 })).toThrow(DatasetError);
    expect(() => encodeSpikeTimes(new Float32Array(4), { ...encoding, dt: 0 })).toThrow(DatasetError);
    expect(() => encodeSpikeTimes(new Float32Array(3), encoding)).toThrow(/features.length = 3/);
    expect(() => encodeSpikeTimes(new Float32Array([0, 0, 1.5, 0]), encoding)).toThrow(/features\[2\] = 1.5/);
  });
});
