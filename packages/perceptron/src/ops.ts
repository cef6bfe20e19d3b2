// The perceptron ops (hxtorch.perceptron, hardware.md §11.2). matmul and the convolutions run on the backend and
// are asynchronous; relu, convertingRelu, add and argmax are digital (the PPU's job in the reference), exact and
// synchronous. Values are integers in float32 tensors (tfjs' default dtype, and what gradients need).
import { tf } from '@bss2/tensor';
import { type BackendOptions, resolveBackend } from './backend.js';
import { PerceptronShapeError, PerceptronValueError } from './errors.js';
import { convertingReluGradient } from './autograd.js';
import { DEFAULT_CONVERTING_SHIFT, OUTPUT_MAX, OUTPUT_MIN } from './limits.js';
import { type ConvGeometry, convGeometry, unfold } from './unfold.js';
import { INPUT_RULE, INT8_RULE, type IntegerRule, type MacCallOptions, WEIGHT_RULE, checkCount, checkIntegers, checkPositiveDims, checkRank, macOptions } from './validate.js';

export interface MatmulOptions extends MacCallOptions, BackendOptions {}

async function integers(op: string, name: string, t: tf.Tensor, rule: IntegerRule): Promise<Float32Array | Int32Array | Uint8Array> {
  const values = (await t.data()) as Float32Array | Int32Array | Uint8Array;
  checkIntegers(op, name, values, t.shape, rule);
  return values;
}

/**
 * x·w on the analog MAC: x [batch, rows] or [rows] with integers 0..31, w [rows, columns] or [rows] with integers
 * −63..63 (torch.matmul's shapes). Result int8 values; any size, split into 128-row blocks and 256-column passes,
 * the blocks summed and clamped.
 */
export async function matmul(x: tf.Tensor, w: tf.Tensor, options: MatmulOptions = {}): Promise<tf.Tensor> {
  return macMatmul('matmul', x, w, options);
}

/** matmul, its errors naming `op` (a layer calls it under its own name). */
export async function macMatmul(op: string, x: tf.Tensor, w: tf.Tensor, options: MatmulOptions): Promise<tf.Tensor> {
  checkRank(op, 'x', x.shape, [1, 2], '[rows] or [batch, rows]');
  checkRank(op, 'w', w.shape, [1, 2], '[rows, columns] or [rows]');
  checkPositiveDims(op, 'x', x.shape);
  checkPositiveDims(op, 'w', w.shape);
  const rows = x.shape.at(-1)!;
  if (w.shape[0] !== rows) throw new PerceptronShapeError(op, 'w.shape', [...w.shape], `${rows} rows, as x's last dimension (x.shape = [${x.shape.join(', ')}])`);
  const mac = macOptions(op, options);
  const batch = x.rank === 2 ? x.shape[0]! : 1;
  const columns = w.rank === 2 ? w.shape[1]! : 1;
  const inputs = Uint8Array.from(await integers(op, 'x', x, INPUT_RULE));
  const weights = Int8Array.from(await integers(op, 'w', w, WEIGHT_RULE));
  const backend = resolveBackend(op, options);
  const out = await backend.multiply({ inputs, weights, batch, rows, columns }, mac, op);
  const shape = [...(x.rank === 2 ? [batch] : []), ...(w.rank === 2 ? [columns] : [])];
  return tf.tensor(Float32Array.from(out), shape, 'float32');
}

export interface Conv1dOptions extends MatmulOptions {
  /** Step between output positions, an integer ≥ 1 (default 1). No padding (as hxtorch). */
  readonly stride?: number;
}

export interface Conv2dOptions extends MatmulOptions {
  /** Step between output positions, one for both axes or [vertical, horizontal] (default 1). */
  readonly stride?: number | readonly [number, number];
}

/** conv1d on the MAC: x [batch, inChannels, length] (0..31), w [outChannels, inChannels, kernel] (−63..63). */
export async function conv1d(x: tf.Tensor, w: tf.Tensor, options: Conv1dOptions = {}): Promise<tf.Tensor> {
  const stride = [checkCount('conv1d', 'stride', options.stride ?? 1)];
  return macConvolve('conv1d', x, w, 1, stride, options);
}

/** conv2d on the MAC: x [batch, inChannels, height, width] (0..31), w [outChannels, inChannels, kh, kw] (−63..63). */
export async function conv2d(x: tf.Tensor, w: tf.Tensor, options: Conv2dOptions = {}): Promise<tf.Tensor> {
  const given = options.stride ?? 1;
  const pair = typeof given === 'number' ? [given, given] : given;
  if (!Array.isArray(pair) || pair.length !== 2) throw new PerceptronValueError('conv2d', 'stride', given, 'an integer ≥ 1 or a pair of them');
  const stride = pair.map((s, d) => checkCount('conv2d', `stride[${d}]`, s));
  return macConvolve('conv2d', x, w, 2, stride, options);
}

/** The geometry of a convolution of x by w, checked: ranks, channels, kernel sizes. */
export function convolutionGeometry(op: string, xShape: readonly number[], wShape: readonly number[], dims: number, stride: readonly number[]): ConvGeometry {
  const spatialNames = dims === 1 ? 'length' : 'height, width';
  const kernelNames = dims === 1 ? 'kernel' : 'kernelHeight, kernelWidth';
  checkRank(op, 'x', xShape, [dims + 2], `[batch, inChannels, ${spatialNames}]`);
  checkRank(op, 'w', wShape, [dims + 2], `[outChannels, inChannels, ${kernelNames}]`);
  checkPositiveDims(op, 'x', xShape);
  checkPositiveDims(op, 'w', wShape);
  const channels = xShape[1]!;
  if (wShape[1] !== channels) throw new PerceptronShapeError(op, 'w.shape', [...wShape], `${channels} input channels, as x (x.shape = [${xShape.join(', ')}])`);
  return convGeometry(op, channels, xShape.slice(2), wShape.slice(2), stride);
}

/** A convolution of `dims` spatial dimensions on the MAC, its errors naming `op`. */
export async function macConvolve(op: string, x: tf.Tensor, w: tf.Tensor, dims: number, stride: readonly number[], options: MatmulOptions): Promise<tf.Tensor> {
  const geometry = convolutionGeometry(op, x.shape, w.shape, dims, stride);
  const mac = macOptions(op, options);
  const batch = x.shape[0]!;
  const outChannels = w.shape[0]!;
  const { positions, patch } = geometry;
  const inputs = unfold(await integers(op, 'x', x, INPUT_RULE), batch, geometry);
  const kernels = await integers(op, 'w', w, WEIGHT_RULE);
  // Column o of the weight matrix is kernel o, flattened as the field is (channel, then kernel offsets).
  const weights = new Int8Array(patch * outChannels);
  for (let o = 0; o < outChannels; o++) for (let j = 0; j < patch; j++) weights[j * outChannels + o] = kernels[o * patch + j]!;
  const backend = resolveBackend(op, options);
  const out = await backend.multiply({ inputs, weights, batch: batch * positions, rows: patch, columns: outChannels }, mac, op);
  const result = new Float32Array(batch * outChannels * positions);
  for (let n = 0; n < batch; n++) {
    for (let p = 0; p < positions; p++) {
      for (let o = 0; o < outChannels; o++) result[(n * outChannels + o) * positions + p] = out[(n * positions + p) * outChannels + o]!;
    }
  }
  return tf.tensor(result, [batch, outChannels, ...geometry.outSpatial], 'float32');
}

/** max(x, 0) on int8 values. */
export function relu(x: tf.Tensor): tf.Tensor {
  checkIntegers('relu', 'x', x.dataSync(), x.shape, INT8_RULE);
  return tf.relu(x);
}

export function checkShift(op: string, shift: number): number {
  if (!(Number.isInteger(shift) && shift >= 0 && shift <= 7)) throw new PerceptronValueError(op, 'shift', shift, 'an integer in 0..7 (a right shift of an int8 value)');
  return shift;
}

/**
 * int8 → the next layer's inputs (hxtorch's `converting_relu`): clamp(max(x, 0) >> shift, 0, 31). The default
 * shift 2 maps 0..127 onto 0..31. Differentiable: the gradient of its linear part, dy / 2^shift where not clamped.
 */
export function convertingRelu(x: tf.Tensor, { shift = DEFAULT_CONVERTING_SHIFT }: { shift?: number } = {}): tf.Tensor {
  checkShift('convertingRelu', shift);
  checkIntegers('convertingRelu', 'x', x.dataSync(), x.shape, INT8_RULE);
  return tf.tidy(() => convertingReluGradient(tf.cast(x, 'float32'), shift));
}

/** x + alpha·y on int8 values, clamped to −128..127; y broadcasts to x's shape as in tfjs (e.g. a bias [columns]). */
export function add(x: tf.Tensor, y: tf.Tensor, { alpha = 1 }: { alpha?: number } = {}): tf.Tensor {
  const op = 'add';
  if (!Number.isSafeInteger(alpha)) throw new PerceptronValueError(op, 'alpha', alpha, 'an integer (the multiplier of y)');
  checkIntegers(op, 'x', x.dataSync(), x.shape, INT8_RULE);
  checkIntegers(op, 'y', y.dataSync(), y.shape, INT8_RULE);
  let shape: number[];
  try {
    shape = tf.backend_util.assertAndGetBroadcastShape(x.shape, y.shape);
  } catch {
    throw new PerceptronShapeError(op, 'y.shape', [...y.shape], `a shape that broadcasts with x.shape = [${x.shape.join(', ')}]`);
  }
  if (shape.length !== x.rank || shape.some((d, k) => d !== x.shape[k])) {
    throw new PerceptronShapeError(op, 'y.shape', [...y.shape], `a shape that broadcasts to x.shape = [${x.shape.join(', ')}]`);
  }
  return tf.tidy(() => tf.clipByValue(tf.add(tf.cast(x, 'float32'), tf.mul(tf.cast(y, 'float32'), alpha)), OUTPUT_MIN, OUTPUT_MAX));
}

/** Index of the largest value (the first of equals), along `axis` or over the flattened tensor (as torch's). */
export function argmax(x: tf.Tensor, { axis }: { axis?: number } = {}): tf.Tensor {
  if (x.size === 0) throw new PerceptronShapeError('argmax', 'x.shape', [...x.shape], 'at least one value');
  if (axis === undefined) return tf.tidy(() => tf.argMax(tf.reshape(x, [-1])));
  if (!(Number.isInteger(axis) && axis >= -x.rank && axis < x.rank)) throw new PerceptronValueError('argmax', 'axis', axis, `an integer in −${x.rank}..${x.rank - 1}`);
  return tf.argMax(x, axis);
}
