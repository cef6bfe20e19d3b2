import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Conv1d, Conv2d, ConvertingReLU, Flatten, Linear, Sequential, convGeometry, convertingRelu, initTensorBackend, injectConvolution, injectMatmul, matmul, mockBackend, tf } from '../src/index.js';
import { SEED, values } from './helpers.js';

await initTensorBackend();

const close = (a: number[], b: number[]) => {
  expect(a.length).toBe(b.length);
  a.forEach((v, k) => expect(v).toBeCloseTo(b[k]!, 3));
};

const floats = (n: number, min: number, max: number) => fc.array(fc.float({ min, max, noNaN: true }), { minLength: n, maxLength: n });

describe('injected ops: the device value forward, the mock gradient backward', () => {
  it('injectMatmul has the value given and the gradient of x·W·numSends·gain (tf.grad)', () => {
    const shapes = fc.record({ batch: fc.integer({ min: 1, max: 4 }), rows: fc.integer({ min: 1, max: 6 }), columns: fc.integer({ min: 1, max: 5 }), numSends: fc.integer({ min: 1, max: 20 }), gain: fc.double({ min: 1e-4, max: 0.1, noNaN: true }) });
    fc.assert(
      fc.property(
        shapes.chain((s) => fc.tuple(fc.constant(s), floats(s.batch * s.rows, 0, 31), floats(s.rows * s.columns, -63, 63), floats(s.batch * s.columns, -128, 127), floats(s.batch * s.columns, -2, 2))),
        ([s, xs, ws, hw, upstream]) => {
          const x = tf.tensor2d(xs, [s.batch, s.rows]);
          const w = tf.tensor2d(ws, [s.rows, s.columns]);
          const hardware = tf.tensor2d(hw, [s.batch, s.columns]);
          const r = tf.tensor2d(upstream, [s.batch, s.columns]);
          const model = { numSends: s.numSends, gain: s.gain };
          expect(values(injectMatmul(x, w, hardware, model))).toEqual(values(hardware));
          const injected = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(injectMatmul(a as tf.Tensor2D, b as tf.Tensor2D, hardware, model), r)))([x, w]);
          const mock = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.mul(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D), s.numSends * s.gain), r)))([x, w]);
          close(values(injected[0]!), values(mock[0]!));
          close(values(injected[1]!), values(mock[1]!));
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('injectConvolution has the gradient of tfjs’ own conv1d/conv2d times numSends·gain', async () => {
    // The reference's gradients (Conv2DBackpropFilter) have no wasm kernel: compare on the cpu backend.
    await initTensorBackend('cpu');
    try {
      convolutionGradients();
    } finally {
      await initTensorBackend('wasm');
    }
  });
  it('convertingRelu passes dy / 2^shift where it is linear, 0 where it clamps', () => {
    const x = tf.tensor1d([-5, 0, 3, 64, 127]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(convertingRelu(v, { shift: 1 })))(x);
    // shift 1: linear for 0 < x < 64 (64 >> 1 = 32 clamps to 31).
    expect(values(g)).toEqual([0, 0, 0.5, 0, 0]);
  });
});

describe('layers and Sequential with the backend in the loop', () => {
  it('Linear forward is matmul of the quantised weights; its gradient the mock’s at the device’s value', async () => {
    const backend = mockBackend({ seed: 3 });
    const layer = new Linear(4, 3, { weight: [10.4, -20.6, 63, 70, 0, 1, 2, 3, -63, -80, 5, 6], numSends: 4 });
    const model = new Sequential([layer]);
    const x = tf.tensor2d([[1, 2, 3, 4], [31, 0, 31, 0]]);
    const y = await model.forward(x, { backend: mockBackend({ seed: 3 }) });
    const expected = await matmul(x, tf.transpose(tf.tensor2d([10, -21, 63, 63, 0, 1, 2, 3, -63, -63, 5, 6], [3, 4])), { backend: mockBackend({ seed: 3 }), numSends: 4 });
    expect(values(y)).toEqual(values(expected));
    const target = tf.tensor2d([[1, 0, 0], [0, 0, 1]]);
    const loss = (out: tf.Tensor) => tf.losses.softmaxCrossEntropy(target, tf.mul(out, 0.1)) as tf.Scalar;
    const { value, grads, output } = await model.valueAndGrads(x, loss, { backend });
    // Same seed, same call sequence: the first device pass of `backend` is `y`.
    expect(values(output)).toEqual(values(y));
    expect(value.dataSync()[0]).toBeCloseTo(loss(output).dataSync()[0]!, 5);
    // ∂loss/∂W = (x·Wᵀ·k·g)' → dyᵀ·x·k·g, dy the loss gradient at the device's output.
    const dy = tf.grad(loss)(output);
    close(values(grads[layer.weight.name]!), values(tf.mul(tf.matMul(dy, x, true, false), 4 * 0.002)));
    model.dispose();
  });

  it('conv layers replay to the device values and clamp their trained weights to ±63', async () => {
    const backend = mockBackend({ seed: 4 });
    const conv1 = new Conv1d(2, 3, 3, { stride: 2, seed: 1, initBound: 80 });
    const conv2 = new Conv2d(1, 2, [2, 2], { seed: 2 });
    const x1 = tf.randomUniform([2, 2, 9], 0, 32, 'int32', 1);
    const { output } = await new Sequential([conv1]).valueAndGrads(x1, (y) => tf.sum(y), { backend });
    expect(output.shape).toEqual([2, 3, 4]);
    const x2 = tf.randomUniform([1, 1, 4, 4], 0, 32, 'int32', 2);
    const { grads } = await new Sequential([conv2]).valueAndGrads(x2, (y) => tf.sum(y), { backend });
    expect(grads[conv2.weight.name]!.shape).toEqual([2, 1, 2, 2]);
    // A stack whose second convolution sends its gradient back to the first: every kernel exists on wasm.
    const stack = new Sequential([new Conv2d(1, 2, 2, { seed: 3 }), new ConvertingReLU({ shift: 0 }), new Conv2d(2, 2, 2, { seed: 4, numSends: 10 }), new ConvertingReLU({ shift: 0 }), new Flatten(), new Linear(8, 2, { seed: 5 })]);
    const stacked = await stack.valueAndGrads(x2, (y) => tf.sum(y), { backend });
    expect(tf.getBackend()).toBe('wasm');
    expect(stack.variables.map((v) => stacked.grads[v.name]!.shape)).toEqual([[2, 1, 2, 2], [2, 2, 2, 2], [2, 8]]);
    expect(values(stacked.grads[stack.variables[0]!.name]!).some((g) => g !== 0)).toBe(true);
    expect(Math.max(...values(conv1.weight).map(Math.abs))).toBeGreaterThan(63);
    conv1.clampWeights();
    expect(Math.max(...values(conv1.weight).map(Math.abs))).toBeLessThanOrEqual(63);
  });
});

function convolutionGradients(): void {
  const model = { numSends: 3, gain: 0.01 };
  const scale = model.numSends * model.gain;
  // conv1d: x [2, 3, 7], w [4, 3, 3], stride 2 → [2, 4, 3].
  const x1 = tf.randomUniform([2, 3, 7], 0, 31, 'float32', 1);
  const w1 = tf.randomUniform([4, 3, 3], -63, 63, 'float32', 2);
  const g1 = convGeometry('test', 3, [7], [3], [2]);
  const hw1 = tf.randomUniform([2, 4, 3], -128, 127, 'float32', 3);
  const r1 = tf.randomUniform([2, 4, 3], -1, 1, 'float32', 4);
  // tfjs' conv1d is channels-last with filters [k, in, out].
  const reference1 = (x: tf.Tensor, w: tf.Tensor) =>
    tf.transpose(tf.conv1d(tf.transpose(x, [0, 2, 1]) as tf.Tensor3D, tf.transpose(w, [2, 1, 0]) as tf.Tensor3D, 2, 'valid'), [0, 2, 1]);
  const injected1 = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(injectConvolution(x, w, hw1, g1, model), r1)))([x1, w1]);
  const mock1 = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(tf.mul(reference1(x, w), scale), r1)))([x1, w1]);
  close(values(injected1[0]!), values(mock1[0]!));
  close(values(injected1[1]!), values(mock1[1]!));
  expect(values(injectConvolution(x1, w1, hw1, g1, model))).toEqual(values(hw1));
  // conv2d: x [1, 2, 5, 6], w [3, 2, 2, 3], stride [1, 2] → [1, 3, 4, 2].
  const x2 = tf.randomUniform([1, 2, 5, 6], 0, 31, 'float32', 5);
  const w2 = tf.randomUniform([3, 2, 2, 3], -63, 63, 'float32', 6);
  const g2 = convGeometry('test', 2, [5, 6], [2, 3], [1, 2]);
  const hw2 = tf.randomUniform([1, 3, 4, 2], -128, 127, 'float32', 7);
  const r2 = tf.randomUniform([1, 3, 4, 2], -1, 1, 'float32', 8);
  const reference2 = (x: tf.Tensor, w: tf.Tensor) =>
    tf.transpose(tf.conv2d(tf.transpose(x, [0, 2, 3, 1]) as tf.Tensor4D, tf.transpose(w, [2, 3, 1, 0]) as tf.Tensor4D, [1, 2], 'valid'), [0, 3, 1, 2]);
  const injected2 = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(injectConvolution(x, w, hw2, g2, model), r2)))([x2, w2]);
  const mock2 = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(tf.mul(reference2(x, w), scale), r2)))([x2, w2]);
  close(values(injected2[0]!), values(mock2[0]!));
  close(values(injected2[1]!), values(mock2[1]!));
}
