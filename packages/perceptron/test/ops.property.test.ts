import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, argmax, conv1d, conv2d, convertingRelu, initTensorBackend, matmul, mockBackend, relu, tf } from '../src/index.js';
import { SEED, values } from './helpers.js';

await initTensorBackend();

const noiseless = () => mockBackend({ noiseStd: 0 });
const ints = (n: number, min: number, max: number) => fc.array(fc.integer({ min, max }), { minLength: n, maxLength: n });

/** out[n, o, position] by the definition, each output vector one matmul of its receptive field (batch 1). */
async function convReference(x: number[], xShape: number[], w: number[], wShape: number[], stride: number[], numSends: number): Promise<{ values: number[]; shape: number[] }> {
  const [batch, channels, ...spatial] = xShape as [number, number, ...number[]];
  const [outChannels, , ...kernel] = wShape as [number, number, ...number[]];
  const outSpatial = spatial.map((s, d) => Math.floor((s - kernel[d]!) / stride[d]!) + 1);
  const [kh, kw] = kernel.length === 1 ? [1, kernel[0]!] : (kernel as [number, number]);
  const [oh, ow] = outSpatial.length === 1 ? [1, outSpatial[0]!] : (outSpatial as [number, number]);
  const [sh, sw] = stride.length === 1 ? [1, stride[0]!] : (stride as [number, number]);
  const [h, wd] = spatial.length === 1 ? [1, spatial[0]!] : (spatial as [number, number]);
  const patch = channels * kh * kw;
  // W[c·kh·kw + a·kw + b, o] = w[o, c, a, b]
  const matrix: number[] = [];
  for (let j = 0; j < patch; j++) for (let o = 0; o < outChannels; o++) matrix.push(w[o * patch + j]!);
  const out = new Array<number>(batch * outChannels * oh * ow).fill(0);
  for (let n = 0; n < batch; n++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const field: number[] = [];
        for (let c = 0; c < channels; c++) for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) field.push(x[((n * channels + c) * h + i * sh + a) * wd + j * sw + b]!);
        const y = values(await matmul(tf.tensor2d([field]), tf.tensor2d(matrix, [patch, outChannels]), { backend: noiseless(), numSends }));
        for (let o = 0; o < outChannels; o++) out[((n * outChannels + o) * oh + i) * ow + j] = y[o]!;
      }
    }
  }
  return { values: out, shape: [batch, outChannels, ...outSpatial] };
}

describe('matmul', () => {
  it('takes torch.matmul shapes: [b, r]·[r, c], [r]·[r, c], [b, r]·[r], [r]·[r]', async () => {
    const backend = mockBackend({ gain: 1, noiseStd: 0 });
    const x = [[1, 2], [3, 4]];
    const w = [[1, -1], [2, 0]];
    const shapeAndValues = async (a: tf.Tensor, b: tf.Tensor) => {
      const y = await matmul(a, b, { backend });
      return [y.shape, values(y)];
    };
    expect(await shapeAndValues(tf.tensor2d(x), tf.tensor2d(w))).toEqual([[2, 2], [5, -1, 11, -3]]);
    expect(await shapeAndValues(tf.tensor1d([1, 2]), tf.tensor2d(w))).toEqual([[2], [5, -1]]);
    expect(await shapeAndValues(tf.tensor2d(x), tf.tensor1d([1, 2]))).toEqual([[2], [5, 11]]);
    expect(await shapeAndValues(tf.tensor1d([1, 2]), tf.tensor1d([1, 2]))).toEqual([[], [5]]);
  });

  it('accepts int32 tensors and returns float32 integers', async () => {
    const y = await matmul(tf.tensor2d([[31]], undefined, 'int32'), tf.tensor2d([[-63]], undefined, 'int32'), { backend: mockBackend({ gain: 0.01, noiseStd: 0 }) });
    expect(y.dtype).toBe('float32');
    expect(values(y)).toEqual([Math.floor(-1953 * 0.01)]);
  });
});

describe('convolutions equal the explicit loop through the same matmul', () => {
  it('conv1d', async () => {
    const geometry = fc.record({ batch: fc.integer({ min: 1, max: 2 }), channels: fc.integer({ min: 1, max: 3 }), out: fc.integer({ min: 1, max: 3 }), kernel: fc.integer({ min: 1, max: 4 }), extra: fc.integer({ min: 0, max: 6 }), stride: fc.integer({ min: 1, max: 3 }), numSends: fc.integer({ min: 1, max: 20 }) });
    await fc.assert(
      fc.asyncProperty(
        geometry.chain((g) => fc.tuple(fc.constant(g), ints(g.batch * g.channels * (g.kernel + g.extra), 0, 31), ints(g.out * g.channels * g.kernel, -63, 63))),
        async ([g, x, w]) => {
          const xShape = [g.batch, g.channels, g.kernel + g.extra];
          const wShape = [g.out, g.channels, g.kernel];
          const y = await conv1d(tf.tensor(x, xShape), tf.tensor(w, wShape), { stride: g.stride, numSends: g.numSends, backend: noiseless() });
          const reference = await convReference(x, xShape, w, wShape, [g.stride], g.numSends);
          expect(y.shape).toEqual(reference.shape);
          expect(values(y)).toEqual(reference.values);
        },
      ),
      { seed: SEED, numRuns: 25 },
    );
  });

  it('conv2d, also with fields over 128 rows (several blocks)', async () => {
    const geometry = fc.record({ batch: fc.integer({ min: 1, max: 2 }), channels: fc.integer({ min: 1, max: 9 }), out: fc.integer({ min: 1, max: 3 }), kh: fc.integer({ min: 1, max: 4 }), kw: fc.integer({ min: 1, max: 4 }), eh: fc.integer({ min: 0, max: 3 }), ew: fc.integer({ min: 0, max: 3 }), sh: fc.integer({ min: 1, max: 2 }), sw: fc.integer({ min: 1, max: 3 }), numSends: fc.integer({ min: 1, max: 5 }) });
    await fc.assert(
      fc.asyncProperty(
        geometry.chain((g) => fc.tuple(fc.constant(g), ints(g.batch * g.channels * (g.kh + g.eh) * (g.kw + g.ew), 0, 31), ints(g.out * g.channels * g.kh * g.kw, -63, 63))),
        async ([g, x, w]) => {
          const xShape = [g.batch, g.channels, g.kh + g.eh, g.kw + g.ew];
          const wShape = [g.out, g.channels, g.kh, g.kw];
          const stride = [g.sh, g.sw] as const;
          const y = await conv2d(tf.tensor(x, xShape), tf.tensor(w, wShape), { stride, numSends: g.numSends, backend: noiseless() });
          const reference = await convReference(x, xShape, w, wShape, [...stride], g.numSends);
          expect(y.shape).toEqual(reference.shape);
          expect(values(y)).toEqual(reference.values);
        },
      ),
      { seed: SEED, numRuns: 25 },
    );
  });
});

describe('digital ops', () => {
  const int8 = fc.array(fc.integer({ min: -128, max: 127 }), { minLength: 1, maxLength: 50 });

  it('relu clamps negatives; convertingRelu shifts right and clamps to 0..31', () => {
    fc.assert(
      fc.property(int8, fc.integer({ min: 0, max: 7 }), (xs, shift) => {
        const x = tf.tensor1d(xs);
        expect(values(relu(x))).toEqual(xs.map((v) => Math.max(v, 0)));
        expect(values(convertingRelu(x, { shift }))).toEqual(xs.map((v) => Math.min(31, Math.max(v, 0) >> shift)));
      }),
      { seed: SEED, numRuns: 100 },
    );
    // The default shift 2 maps the positive int8 range exactly onto the inputs.
    expect(values(convertingRelu(tf.tensor1d([127, 4, 3, -5])))).toEqual([31, 1, 0, 0]);
  });

  it('add saturates to int8 and broadcasts y', () => {
    fc.assert(
      fc.property(int8, int8, fc.integer({ min: -3, max: 3 }), (xs, ys, alpha) => {
        const n = Math.min(xs.length, ys.length);
        const y = values(add(tf.tensor1d(xs.slice(0, n)), tf.tensor1d(ys.slice(0, n)), { alpha }));
        expect(y).toEqual(xs.slice(0, n).map((v, k) => Math.min(127, Math.max(-128, v + alpha * ys[k]!))));
      }),
      { seed: SEED, numRuns: 100 },
    );
    expect(values(add(tf.tensor2d([[1, 2], [120, -120]]), tf.tensor1d([10, -10])))).toEqual([11, -8, 127, -128]);
  });

  it('argmax takes the first maximum, flattened or along an axis', () => {
    const x = tf.tensor2d([[1, 5, 5], [7, -1, 7]]);
    expect(values(argmax(x))).toEqual([3]);
    expect(values(argmax(x, { axis: 1 }))).toEqual([1, 0]);
    expect(values(argmax(x, { axis: 0 }))).toEqual([1, 0, 1]);
    expect(values(argmax(tf.tensor1d([2, 2, 2])))).toEqual([0]);
  });
});
