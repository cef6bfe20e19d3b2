// Layers (hxtorch.perceptron.nn): Linear, Conv1d, Conv2d hold trained float weights in chip units (LSB) and send
// them quantised to 6 bit; ReLU, ConvertingReLU and Flatten are digital. Each layer has an asynchronous forward
// (the device) and a synchronous replay (the same values, differentiable through the mock model).
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { tf } from '@bss2/tensor';
import { convertingReluGradient, injectConvolution, injectMatmul } from './autograd.js';
import type { PerceptronBackend } from './backend.js';
import { PerceptronShapeError, PerceptronValueError } from './errors.js';
import { DEFAULT_CONVERTING_SHIFT, WEIGHT_MAX } from './limits.js';
import { checkShift, convertingRelu, convolutionGeometry, macConvolve, macMatmul, relu } from './ops.js';
import { quantizeWeights } from './quantize.js';
import { type MacCallOptions, checkCount, macOptions } from './validate.js';
import { seededGenerator } from './random.js';

export interface Layer {
  readonly name: string;
  readonly variables: readonly tf.Variable[];
  /** The forward pass on integer values: on the backend for MAC layers, digital otherwise. */
  forward(x: tf.Tensor, backend: PerceptronBackend): Promise<tf.Tensor>;
  /** The same pass, synchronous and differentiable: `output` (forward's result for x's values) is the value. */
  replay(x: tf.Tensor, output: tf.Tensor, backend: PerceptronBackend): tf.Tensor;
  /** Keeps trained weights within the chip's range (MAC layers). */
  clampWeights?(): void;
  dispose(): void;
}

export interface MacLayerOptions extends MacCallOptions {
  /** Initial weights in LSB, row-major in the weight's shape; default uniform in ±initBound, seeded. */
  readonly weight?: ArrayLike<number>;
  /** Half-width of the default initialisation in LSB; default 63·√(3 / fanIn), at most 63. */
  readonly initBound?: number;
  /** Seed of the default initialisation (xoroshiro128+); default 0. Give each layer its own. */
  readonly seed?: number;
}

/** The trained weights of a MAC layer: floats in LSB, clamped to ±63 by clampWeights, quantised for the device. */
abstract class MacLayer implements Layer {
  readonly weight: tf.Variable;
  readonly numSends: number;
  readonly waitBetweenEvents: number;

  protected constructor(
    readonly name: string,
    shape: readonly number[],
    fanIn: number,
    options: MacLayerOptions,
  ) {
    ({ numSends: this.numSends, waitBetweenEvents: this.waitBetweenEvents } = macOptions(name, options));
    this.weight = tf.variable(tf.tensor(initialWeights(name, shape, fanIn, options), [...shape], 'float32'), true);
  }

  get variables(): readonly tf.Variable[] {
    return [this.weight];
  }

  /** The weights the device gets: clamped to ±63 and rounded half away from zero. */
  quantizedWeight(): tf.Tensor {
    return tf.tensor(Float32Array.from(quantizeWeights(this.weight.dataSync())), this.weight.shape, 'float32');
  }

  /** Clamps the trained weights to ±63 in place (hxtorch's `clamp_weight_`), so they stay where a step moves them. */
  clampWeights(): void {
    // The variable takes the clipped tensor's data; tidy disposes the tensor itself.
    tf.tidy(() => this.weight.assign(tf.clipByValue(this.weight, -WEIGHT_MAX, WEIGHT_MAX)));
  }

  protected get mac() {
    return { numSends: this.numSends, waitBetweenEvents: this.waitBetweenEvents };
  }

  abstract forward(x: tf.Tensor, backend: PerceptronBackend): Promise<tf.Tensor>;
  abstract replay(x: tf.Tensor, output: tf.Tensor, backend: PerceptronBackend): tf.Tensor;

  dispose(): void {
    this.weight.dispose();
  }
}

function initialWeights(name: string, shape: readonly number[], fanIn: number, { weight, initBound, seed = 0 }: MacLayerOptions): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  if (weight !== undefined) {
    if (weight.length !== size) throw new PerceptronShapeError(name, 'weight.length', weight.length, `${size} values (shape [${shape.join(', ')}])`);
    for (let k = 0; k < size; k++) if (!Number.isFinite(weight[k]!)) throw new PerceptronValueError(name, `weight[${k}]`, weight[k], 'a finite number (LSB)');
    return Float32Array.from(weight);
  }
  const bound = initBound ?? Math.min(WEIGHT_MAX, WEIGHT_MAX * Math.sqrt(3 / fanIn));
  if (!(Number.isFinite(bound) && bound >= 0)) throw new PerceptronValueError(name, 'initBound', bound, 'a finite number ≥ 0 (LSB)');
  if (!(Number.isSafeInteger(seed) && seed >= -(2 ** 31) && seed < 2 ** 32)) throw new PerceptronValueError(name, 'seed', seed, 'an integer in −2³¹..2³² − 1');
  const rng = seededGenerator(seed);
  const out = new Float32Array(size);
  for (let k = 0; k < size; k++) out[k] = (2 * uniformFloat64(rng) - 1) * bound;
  return out;
}

/** y = x·Wᵀ on the MAC: x [batch, inFeatures] (0..31), weight [outFeatures, inFeatures] as torch's. No bias. */
export class Linear extends MacLayer {
  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: MacLayerOptions = {},
  ) {
    const name = `Linear(${inFeatures} → ${outFeatures})`;
    checkCount(name, 'inFeatures', inFeatures);
    checkCount(name, 'outFeatures', outFeatures);
    super(name, [outFeatures, inFeatures], inFeatures, options);
  }

  private checkInput(x: tf.Tensor): void {
    if (x.rank !== 2 || x.shape[1] !== this.inFeatures) throw new PerceptronShapeError(this.name, 'x.shape', [...x.shape], `[batch, ${this.inFeatures}]`);
  }

  async forward(x: tf.Tensor, backend: PerceptronBackend): Promise<tf.Tensor> {
    this.checkInput(x);
    const w = tf.tidy(() => tf.transpose(this.quantizedWeight()));
    try {
      return await macMatmul(this.name, x, w, { ...this.mac, backend });
    } finally {
      w.dispose();
    }
  }

  replay(x: tf.Tensor, output: tf.Tensor, backend: PerceptronBackend): tf.Tensor {
    this.checkInput(x);
    return injectMatmul(x as tf.Tensor2D, tf.transpose(this.weight) as tf.Tensor2D, output, { numSends: this.numSends, gain: backend.gain });
  }
}

export interface Conv1dLayerOptions extends MacLayerOptions {
  readonly stride?: number;
}

export interface Conv2dLayerOptions extends MacLayerOptions {
  readonly stride?: number | readonly [number, number];
}

abstract class ConvLayer extends MacLayer {
  protected abstract readonly dims: number;
  protected abstract readonly stride: readonly number[];

  async forward(x: tf.Tensor, backend: PerceptronBackend): Promise<tf.Tensor> {
    const w = this.quantizedWeight();
    try {
      return await macConvolve(this.name, x, w, this.dims, this.stride, { ...this.mac, backend });
    } finally {
      w.dispose();
    }
  }

  replay(x: tf.Tensor, output: tf.Tensor, backend: PerceptronBackend): tf.Tensor {
    const geometry = convolutionGeometry(this.name, x.shape, this.weight.shape, this.dims, this.stride);
    return injectConvolution(x, this.weight, output, geometry, { numSends: this.numSends, gain: backend.gain });
  }
}

/** conv1d on the MAC: x [batch, inChannels, length], weight [outChannels, inChannels, kernelSize]. No padding, no bias. */
export class Conv1d extends ConvLayer {
  protected readonly dims = 1;
  protected readonly stride: readonly number[];
  constructor(inChannels: number, outChannels: number, kernelSize: number, options: Conv1dLayerOptions = {}) {
    const name = `Conv1d(${inChannels} → ${outChannels}, kernel ${kernelSize})`;
    for (const [key, value] of [['inChannels', inChannels], ['outChannels', outChannels], ['kernelSize', kernelSize]] as const) checkCount(name, key, value);
    super(name, [outChannels, inChannels, kernelSize], inChannels * kernelSize, options);
    this.stride = [checkCount(name, 'stride', options.stride ?? 1)];
  }
}

/** conv2d on the MAC: x [batch, inChannels, height, width], weight [outChannels, inChannels, kh, kw]. */
export class Conv2d extends ConvLayer {
  protected readonly dims = 2;
  protected readonly stride: readonly number[];
  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly [number, number], options: Conv2dLayerOptions = {}) {
    const kernel = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : [...kernelSize];
    const name = `Conv2d(${inChannels} → ${outChannels}, kernel ${kernel.join('×')})`;
    checkCount(name, 'inChannels', inChannels);
    checkCount(name, 'outChannels', outChannels);
    if (kernel.length !== 2) throw new PerceptronValueError(name, 'kernelSize', kernelSize, 'an integer ≥ 1 or a pair of them');
    kernel.forEach((k, d) => checkCount(name, `kernelSize[${d}]`, k));
    super(name, [outChannels, inChannels, ...kernel], inChannels * kernel[0]! * kernel[1]!, options);
    const stride = options.stride ?? 1;
    const pair = typeof stride === 'number' ? [stride, stride] : [...stride];
    if (pair.length !== 2) throw new PerceptronValueError(name, 'stride', stride, 'an integer ≥ 1 or a pair of them');
    this.stride = pair.map((s, d) => checkCount(name, `stride[${d}]`, s));
  }
}

/** Digital layers: no weights, the same function forward and in replay. */
abstract class DigitalLayer implements Layer {
  readonly variables: readonly tf.Variable[] = [];
  abstract readonly name: string;
  abstract forward(x: tf.Tensor): Promise<tf.Tensor>;
  abstract replay(x: tf.Tensor): tf.Tensor;
  dispose(): void {}
}

/** max(x, 0) on int8 values. */
export class ReLU extends DigitalLayer {
  readonly name = 'ReLU';
  async forward(x: tf.Tensor): Promise<tf.Tensor> {
    return relu(x);
  }
  replay(x: tf.Tensor): tf.Tensor {
    return tf.relu(x);
  }
}

/** int8 → inputs 0..31 for the next MAC layer: clamp(max(x, 0) >> shift, 0, 31), shift default 2. */
export class ConvertingReLU extends DigitalLayer {
  readonly name: string;
  readonly shift: number;
  constructor({ shift = DEFAULT_CONVERTING_SHIFT }: { shift?: number } = {}) {
    super();
    this.name = `ConvertingReLU(shift ${shift})`;
    this.shift = checkShift(this.name, shift);
  }
  async forward(x: tf.Tensor): Promise<tf.Tensor> {
    return convertingRelu(x, { shift: this.shift });
  }
  replay(x: tf.Tensor): tf.Tensor {
    return convertingReluGradient(x, this.shift);
  }
}

/** [batch, …] → [batch, product of …]: from convolutions to Linear. */
export class Flatten extends DigitalLayer {
  readonly name = 'Flatten';
  async forward(x: tf.Tensor): Promise<tf.Tensor> {
    return this.replay(x);
  }
  replay(x: tf.Tensor): tf.Tensor {
    if (x.rank < 1) throw new PerceptronShapeError(this.name, 'x.shape', [...x.shape], '[batch, …]');
    return tf.reshape(x, [x.shape[0]!, -1]);
  }
}
