// Convolution as matrix multiply (hxtorch's conv ops do the same): every output position's receptive field,
// across all input channels, is one input vector; the kernels are the weight matrix's columns.
import { PerceptronShapeError } from './errors.js';

export interface ConvGeometry {
  readonly channels: number;
  /** The input's spatial size ([length] or [height, width]) and the output's. */
  readonly spatial: readonly number[];
  readonly outSpatial: readonly number[];
  /** Output positions per sample (the product of outSpatial) and the size of one receptive field. */
  readonly positions: number;
  readonly patch: number;
  /** Values per sample: channels × spatial. */
  readonly sampleSize: number;
  /**
   * positions × patch, row-major: for each output position and each (channel, kernel offset…) of its field, the
   * index of that input value in one sample (channels × spatial, row-major).
   */
  readonly table: Int32Array;
}

const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** Row-major multi-index of `k` in `shape`, into `out`. */
function unravel(k: number, shape: readonly number[], out: number[]): void {
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = k % shape[d]!;
    k = Math.floor(k / shape[d]!);
  }
}

/** The unfolding of a `channels × spatial` sample by a kernel of `kernel` with `stride` and no padding. */
export function convGeometry(op: string, channels: number, spatial: readonly number[], kernel: readonly number[], stride: readonly number[]): ConvGeometry {
  const outSpatial = spatial.map((size, d) => {
    if (kernel[d]! > size) {
      throw new PerceptronShapeError(op, 'the kernel', [...kernel], `no larger than the input's spatial size [${spatial.join(', ')}] (no padding)`);
    }
    return Math.floor((size - kernel[d]!) / stride[d]!) + 1;
  });
  const positions = product(outSpatial);
  const kernelSize = product(kernel);
  const patch = channels * kernelSize;
  const sampleSize = channels * product(spatial);
  // Row-major strides of the spatial dimensions within one channel.
  const spatialStrides = spatial.map((_, d) => product(spatial.slice(d + 1)));
  const table = new Int32Array(positions * patch);
  const position: number[] = [];
  const offset: number[] = [];
  for (let p = 0; p < positions; p++) {
    unravel(p, outSpatial, position);
    for (let k = 0; k < kernelSize; k++) {
      unravel(k, kernel, offset);
      let index = 0;
      for (let d = 0; d < spatial.length; d++) index += (position[d]! * stride[d]! + offset[d]!) * spatialStrides[d]!;
      for (let c = 0; c < channels; c++) table[p * patch + c * kernelSize + k] = c * (sampleSize / channels) + index;
    }
  }
  return { channels, spatial, outSpatial, positions, patch, sampleSize, table };
}

/** Samples (batch × sampleSize) → receptive fields ((batch · positions) × patch), the device's input vectors. */
export function unfold(values: ArrayLike<number>, batch: number, { positions, patch, sampleSize, table }: ConvGeometry): Uint8Array {
  const out = new Uint8Array(batch * positions * patch);
  for (let n = 0; n < batch; n++) {
    const sample = n * sampleSize;
    const base = n * positions * patch;
    for (let i = 0; i < positions * patch; i++) out[base + i] = values[sample + table[i]!]!;
  }
  return out;
}
