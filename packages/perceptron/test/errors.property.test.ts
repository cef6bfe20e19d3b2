import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Conv2d,
  Linear,
  NoBackendError,
  PerceptronError,
  PerceptronShapeError,
  PerceptronValueError,
  add,
  argmax,
  chipBackend,
  conv1d,
  conv2d,
  convertingRelu,
  initTensorBackend,
  matmul,
  mockBackend,
  releaseHardware,
  relu,
  tf,
} from '../src/index.js';
import { SEED } from './helpers.js';

await initTensorBackend();

const backend = mockBackend({ noiseStd: 0 });

/** The error `promise` rejects with, for field checks. */
async function rejection(promise: Promise<unknown>): Promise<PerceptronError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PerceptronError);
    return error as PerceptronError;
  }
  throw new Error('expected a rejection');
}

function thrown(f: () => unknown): PerceptronError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(PerceptronError);
    return error as PerceptronError;
  }
  throw new Error('expected an error');
}

// Values as a float32 tensor stores them: what rounds to an integer there is not a bad value.
const badInput = fc.oneof(fc.integer({ min: 32, max: 1000 }), fc.integer({ min: -1000, max: -1 }), fc.double({ min: 0.01, max: 30.99, noNaN: true }).filter((v) => !Number.isInteger(Math.fround(v))), fc.constant(Number.NaN));
const badWeight = fc.oneof(fc.integer({ min: 64, max: 1000 }), fc.integer({ min: -1000, max: -64 }), fc.double({ min: -62.9, max: 62.9, noNaN: true }).filter((v) => !Number.isInteger(Math.fround(v))));

describe('bad values name the value, its place and the rule', () => {
  it('inputs of matmul: non-integers and values outside 0..31', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5 }), fc.nat(), badInput, async (batch, rows, at, bad) => {
        const xs = new Array<number>(batch * rows).fill(3);
        const k = at % xs.length;
        xs[k] = bad;
        const error = await rejection(matmul(tf.tensor2d(xs, [batch, rows]), tf.ones([rows, 2]), { backend }));
        expect(error).toBeInstanceOf(PerceptronValueError);
        // float32 storage: the value as the tensor holds it.
        const stored = Math.fround(bad);
        expect(error.value).toBe(stored);
        expect(error.parameter).toBe(`x[${Math.floor(k / rows)}, ${k % rows}]`);
        expect(error.rule).toMatch(/integers in 0\.\.31/);
        expect(error.message).toContain(`x[${Math.floor(k / rows)}, ${k % rows}] = ${Number.isNaN(stored) ? 'NaN' : stored} is invalid`);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('weights of matmul: non-integers and values outside −63..63', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.nat(), badWeight, async (rows, columns, at, bad) => {
        const ws = new Array<number>(rows * columns).fill(-2);
        const k = at % ws.length;
        ws[k] = bad;
        const error = await rejection(matmul(tf.ones([1, rows]), tf.tensor2d(ws, [rows, columns]), { backend }));
        expect(error).toBeInstanceOf(PerceptronValueError);
        expect(error.parameter).toBe(`w[${Math.floor(k / columns)}, ${k % columns}]`);
        expect(error.value).toBe(Math.fround(bad));
        expect(error.message).toMatch(/weights are integers in −63\.\.63.*quantizeWeights/);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('int8 values of the digital ops, named with their index', () => {
    expect(thrown(() => relu(tf.tensor1d([1, 128]))).message).toBe('relu: x[1] = 128 is invalid: values are integers in -128..127 (int8, the MAC\'s output range)');
    expect(thrown(() => convertingRelu(tf.tensor2d([[0, 0], [-129, 0]]))).parameter).toBe('x[1, 0]');
    expect(thrown(() => add(tf.tensor1d([1]), tf.tensor1d([0.5]))).message).toContain('add: y[0] = 0.5 is invalid');
  });

  it('options: numSends, waitBetweenEvents, stride, shift, alpha, axis, mock parameters', async () => {
    const x = tf.ones([1, 2]);
    const w = tf.ones([2, 2]);
    const cases: [Promise<unknown> | (() => unknown), string][] = [
      [matmul(x, w, { backend, numSends: 0 }), 'matmul: numSends = 0 is invalid: an integer in 1..255'],
      [matmul(x, w, { backend, numSends: 256 }), 'matmul: numSends = 256 is invalid'],
      [matmul(x, w, { backend, waitBetweenEvents: 0 }), 'matmul: waitBetweenEvents = 0 is invalid'],
      [matmul(x, w, { backend, numSends: 1.5 }), 'numSends = 1.5'],
      [matmul(x, w, { backend, waitBetweenEvents: -1 }), 'matmul: waitBetweenEvents = -1 is invalid: an integer in 1..1000 (FPGA cycles'],
      [conv1d(tf.ones([1, 1, 4]), tf.ones([1, 1, 2]), { backend, stride: 0 }), 'conv1d: stride = 0 is invalid'],
      [conv2d(tf.ones([1, 1, 4, 4]), tf.ones([1, 1, 2, 2]), { backend, stride: [1, 0] }), 'conv2d: stride[1] = 0 is invalid'],
      [() => convertingRelu(tf.ones([1]), { shift: 8 }), 'convertingRelu: shift = 8 is invalid: an integer in 0..7'],
      [() => add(tf.ones([1]), tf.ones([1]), { alpha: 0.5 }), 'add: alpha = 0.5 is invalid'],
      [() => argmax(tf.ones([2, 2]), { axis: 2 }), 'argmax: axis = 2 is invalid: an integer in −2..1'],
      [() => mockBackend({ gain: 0 }), 'mockBackend: gain = 0 is invalid'],
      [() => mockBackend({ noiseStd: -1 }), 'mockBackend: noiseStd = -1 is invalid'],
      [() => mockBackend({ seed: 0.5 }), 'mockBackend: seed = 0.5 is invalid'],
      [() => chipBackend({} as never), 'chipBackend: device = an object (Object) is invalid: a MacDevice'],
      [() => new Linear(5, 3, { weight: [1, 2] }), 'Linear(5 → 3): weight.length is 2, expected 15 values (shape [3, 5])'],
      [() => new Linear(0, 3), 'Linear(0 → 3): inFeatures = 0 is invalid'],
      [() => new Conv2d(1, 1, [2, 2, 2] as never), 'kernelSize = [2, 2, 2] is invalid: an integer ≥ 1 or a pair of them'],
    ];
    for (const [call, message] of cases) {
      const error = typeof call === 'function' ? thrown(call) : await rejection(call);
      expect(error.message).toContain(message);
    }
  });
});

describe('shapes that do not fit', () => {
  it('are PerceptronShapeErrors naming the shapes and the rule', async () => {
    const cases: [Promise<unknown> | (() => unknown), string][] = [
      [matmul(tf.ones([2, 3]), tf.ones([4, 2]), { backend }), 'matmul: w.shape is [4, 2], expected 3 rows, as x\'s last dimension (x.shape = [2, 3])'],
      [matmul(tf.ones([1, 2, 3]), tf.ones([3, 2]), { backend }), 'matmul: x.shape is [1, 2, 3], expected rank 1 or 2'],
      [matmul(tf.ones([2]), tf.ones([2, 2, 2]), { backend }), 'matmul: w.shape is [2, 2, 2], expected rank 1 or 2'],
      [matmul(tf.ones([0, 2]), tf.ones([2, 2]), { backend }), 'x.shape is [0, 2], expected every dimension ≥ 1'],
      [conv1d(tf.ones([1, 2, 5]), tf.ones([3, 1, 2]), { backend }), 'conv1d: w.shape is [3, 1, 2], expected 2 input channels, as x'],
      [conv1d(tf.ones([1, 1, 2]), tf.ones([1, 1, 3]), { backend }), 'conv1d: the kernel is [3], expected no larger than the input\'s spatial size [2] (no padding)'],
      [conv1d(tf.ones([2, 5]), tf.ones([1, 1, 3]), { backend }), 'conv1d: x.shape is [2, 5], expected rank 3: [batch, inChannels, length]'],
      [conv2d(tf.ones([1, 1, 4, 4]), tf.ones([1, 1, 5]), { backend }), 'conv2d: w.shape is [1, 1, 5], expected rank 4: [outChannels, inChannels, kernelHeight, kernelWidth]'],
      [() => add(tf.ones([2, 3]), tf.ones([2])), 'add: y.shape is [2], expected a shape that broadcasts with x.shape = [2, 3]'],
      [() => add(tf.ones([3]), tf.ones([2, 3])), 'add: y.shape is [2, 3], expected a shape that broadcasts to x.shape = [3]'],
      [new Linear(4, 2).forward(tf.ones([3, 5]), backend), 'Linear(4 → 2): x.shape is [3, 5], expected [batch, 4]'],
    ];
    for (const [call, message] of cases) {
      const error = typeof call === 'function' ? thrown(call) : await rejection(call);
      expect(error).toBeInstanceOf(PerceptronShapeError);
      expect(error.message).toContain(message);
    }
  });
});

describe('no backend', () => {
  it('is a NoBackendError saying how to get one', async () => {
    releaseHardware();
    const error = await rejection(matmul(tf.ones([1, 1]), tf.ones([1, 1])));
    expect(error).toBeInstanceOf(NoBackendError);
    expect(error.message).toBe('matmul: no hardware is initialised; a backend: pass { backend } or { mock: true }, or call initHardware({ device }) first');
  });
});
