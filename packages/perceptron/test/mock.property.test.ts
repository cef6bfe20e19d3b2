import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK_ROWS, initTensorBackend, matmul, mockBackend, mockDevice, tf } from '../src/index.js';
import { SEED, clampInt8, exactProduct, problem, values, w2d, x2d } from './helpers.js';

await initTensorBackend();

const noiseless = (gain = 0.002) => mockBackend({ gain, noiseStd: 0 });

describe('the mock (hardware.md §11.2)', () => {
  it('is the exact product when noise is off, nothing saturates and the gain leaves integers', async () => {
    await fc.assert(
      fc.asyncProperty(problem({ inputMax: 1, weightMax: 1, maxRows: 400 }), async (p) => {
        const blocks = Array.from({ length: Math.ceil(p.rows / BLOCK_ROWS) }, (_, k) => exactProduct(p, k * BLOCK_ROWS, Math.min(p.rows, (k + 1) * BLOCK_ROWS)));
        const total = exactProduct(p);
        fc.pre([...blocks.flat(), ...total].every((v) => v >= -128 && v <= 127));
        const out = await matmul(x2d(p), w2d(p), { backend: noiseless(1) });
        expect(values(out)).toEqual(total);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('splits into 128-row blocks, each floored and clamped, then sums and clamps (block by block = unsplit)', async () => {
    await fc.assert(
      fc.asyncProperty(problem({ maxRows: 400 }), fc.integer({ min: 1, max: 12 }), async (p, numSends) => {
        const backend = noiseless();
        const whole = values(await matmul(x2d(p), w2d(p), { backend, numSends }));
        const sum = new Array<number>(p.batch * p.columns).fill(0);
        for (let first = 0; first < p.rows; first += BLOCK_ROWS) {
          const end = Math.min(p.rows, first + BLOCK_ROWS);
          const x = tf.tensor2d(Array.from({ length: p.batch }, (_, b) => p.inputs.slice(b * p.rows + first, b * p.rows + end)));
          const w = tf.tensor2d(p.weights.slice(first * p.columns, end * p.columns), [end - first, p.columns]);
          // Each block on its own: at most 128 rows, so the mock does not split it.
          const block = values(await matmul(x, w, { backend, numSends }));
          const exact = exactProduct(p, first, end);
          block.forEach((v, k) => {
            expect(v).toBe(clampInt8(Math.floor(exact[k]! * numSends * 0.002)));
            sum[k]! += v;
          });
        }
        expect(whole).toEqual(sum.map(clampInt8));
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('saturates each block before the sum, and the sum again', async () => {
    const backend = noiseless();
    const ones = (n: number, v: number) => new Array<number>(n).fill(v);
    // 256 rows of 31 × 63: each block floor(128 · 1953 · 0.002) = 499 → 127; the sum 254 → 127.
    expect(values(await matmul(tf.tensor2d([ones(256, 31)]), tf.tensor2d(ones(256, 63), [256, 1]), { backend }))).toEqual([127]);
    expect(values(await matmul(tf.tensor2d([ones(256, 31)]), tf.tensor2d(ones(256, -63), [256, 1]), { backend }))).toEqual([-128]);
    // Block 0 saturates at +127, block 1 gives floor(40 · 1953 · −0.002) = −157 → −128: the sum is −1, not 342.
    const w = [...ones(128, 63), ...ones(40, -63)];
    expect(values(await matmul(tf.tensor2d([ones(168, 31)]), tf.tensor2d(w, [168, 1]), { backend }))).toEqual([-1]);
    // One block exactly at the edges: 127 and −128 pass, 128 and −129 clamp.
    const edge = async (sum: number) => values(await matmul(tf.tensor2d([[1]]), tf.tensor2d([[sum > 0 ? 1 : -1]]), { backend: mockBackend({ gain: Math.abs(sum), noiseStd: 0 }) }))[0];
    expect([await edge(127), await edge(128), await edge(-128), await edge(-129)]).toEqual([127, 127, -128, -128]);
  });

  it('adds Gaussian noise of σ per block and output, floored, seeded and deterministic', async () => {
    const x = tf.tensor2d(new Array(4000).fill(0), [4000, 1]);
    const w = tf.tensor2d([[0]]);
    const a = values(await matmul(x, w, { backend: mockBackend({ noiseStd: 2, seed: 7 }) }));
    const b = values(await matmul(x, w, { backend: mockBackend({ noiseStd: 2, seed: 7 }) }));
    const c = values(await matmul(x, w, { backend: mockBackend({ noiseStd: 2, seed: 8 }) }));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    // floor(N(0, 2)): mean −0.5, variance 4 + 1/12.
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    const variance = a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length;
    expect(mean).toBeCloseTo(-0.5, 1);
    expect(Math.sqrt(variance)).toBeGreaterThan(1.9);
    expect(Math.sqrt(variance)).toBeLessThan(2.15);
  });

  it('starts every small seed with ordinary draws (a freshly seeded xoroshiro128+ does not)', async () => {
    const x = tf.zeros([1, 1]);
    const w = tf.zeros([1, 4]);
    const first: number[] = [];
    for (let seed = 0; seed < 50; seed++) first.push(...values(await matmul(x, w, { backend: mockBackend({ seed }) })));
    // 200 draws of floor(N(0, 2)): none beyond 4.5σ.
    expect(Math.max(...first.map(Math.abs))).toBeLessThan(9);
  });

  it('as a MacDevice returns one clamped block per 128 rows (the last one partial: floor(10 · 31 · 63 · 0.002) = 39)', async () => {
    const device = mockDevice({ noiseStd: 0 });
    const rows = 266;
    const { blocks } = await device.multiply({ inputs: new Uint8Array(rows).fill(31), weights: new Int8Array(rows * 2).fill(63), batch: 1, rows, columns: 2 }, { numSends: 1, waitBetweenEvents: 5 });
    expect(blocks.map((b) => Array.from(b))).toEqual([[127, 127], [127, 127], [39, 39]]);
    expect(device.parameter).toEqual({ gain: 0.002, noiseStd: 0, seed: 0 });
  });
});
