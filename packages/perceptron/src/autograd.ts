// The training path: ops whose forward value is given (the device's) and whose gradient is the mock model's, as
// hxtorch's autograd functions do (hardware.md §11.2: forward values are the chip's, backward flows through the
// model). Synchronous, so they run inside tf.variableGrads after the asynchronous device pass.
import { tf } from '@bss2/tensor';
import { PerceptronShapeError } from './errors.js';
import { INPUT_MAX } from './limits.js';
import type { ConvGeometry } from './unfold.js';

export interface LinearModel {
  readonly numSends: number;
  /** Output LSB per input·weight LSB per send (the backend's gain). */
  readonly gain: number;
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, k) => d === b[k]);

/**
 * x·W with the value `hardware` (batch × columns, the device's output for x and the quantised W) and the gradient
 * of the linear mock x·W·numSends·gain, to x and to W. Weights enter as trained floats: their quantisation is
 * passed straight through.
 */
export function injectMatmul(x: tf.Tensor2D, w: tf.Tensor2D, hardware: tf.Tensor, { numSends, gain }: LinearModel): tf.Tensor2D {
  const op = 'injectMatmul';
  if (x.rank !== 2 || w.rank !== 2 || x.shape[1] !== w.shape[0]) {
    throw new PerceptronShapeError(op, 'x.shape, w.shape', [[...x.shape], [...w.shape]], '[batch, rows] and [rows, columns]');
  }
  const expected = [x.shape[0], w.shape[1]];
  if (!sameShape(hardware.shape, expected)) throw new PerceptronShapeError(op, 'hardware.shape', [...hardware.shape], `[${expected.join(', ')}] (batch × columns)`);
  const scale = numSends * gain;
  const f = tf.customGrad((...args) => {
    const [input, weight, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    save([input, weight]);
    return {
      value: tf.cast(hardware, 'float32').clone(),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
        return [tf.mul(tf.matMul(dy as tf.Tensor2D, ws, false, true), scale), tf.mul(tf.matMul(xs, dy as tf.Tensor2D, true, false), scale)];
      },
    };
  });
  return f(x, w) as tf.Tensor2D;
}

/**
 * A convolution as unfolded matmul, differentiable: x [batch, channels, …spatial], w [out, channels, …kernel],
 * `hardware` [batch, out, …outSpatial] (the device's result).
 */
export function injectConvolution(x: tf.Tensor, w: tf.Tensor, hardware: tf.Tensor, geometry: ConvGeometry, model: LinearModel): tf.Tensor {
  const batch = x.shape[0]!;
  const out = w.shape[0]!;
  const { positions, patch, sampleSize, outSpatial } = geometry;
  const fields = tf.reshape(unfoldTensor(tf.reshape(x, [batch, sampleSize]) as tf.Tensor2D, geometry), [batch * positions, patch]) as tf.Tensor2D;
  const weights = tf.transpose(tf.reshape(w, [out, patch])) as tf.Tensor2D;
  const rows = (t: tf.Tensor) => tf.reshape(tf.transpose(tf.reshape(t, [batch, out, positions]), [0, 2, 1]), [batch * positions, out]);
  const y = injectMatmul(fields, weights, rows(hardware), model);
  return tf.reshape(tf.transpose(tf.reshape(y, [batch, positions, out]), [0, 2, 1]), [batch, out, ...outSpatial]);
}

/**
 * Samples [batch, sampleSize] → their receptive fields [batch, positions · patch], differentiable. The backward pass
 * scatter-adds on the host: tf.gather's own gradient needs UnsortedSegmentSum, which the wasm backend lacks.
 */
function unfoldTensor(x: tf.Tensor2D, { table, sampleSize }: ConvGeometry): tf.Tensor2D {
  const f = tf.customGrad((...args) => {
    const [input] = args as [tf.Tensor2D, tf.GradSaveFunc];
    return {
      value: tf.gather(input, tf.tensor1d(table, 'int32'), 1),
      gradFunc: (dy: tf.Tensor) => {
        const upstream = dy.dataSync();
        const batch = dy.shape[0]!;
        const dx = new Float32Array(batch * sampleSize);
        for (let n = 0; n < batch; n++) {
          const from = n * table.length;
          const to = n * sampleSize;
          for (let i = 0; i < table.length; i++) dx[to + table[i]!]! += upstream[from + i]!;
        }
        return tf.tensor2d(dx, [batch, sampleSize]);
      },
    };
  });
  return f(x) as tf.Tensor2D;
}

/** clamp(⌊max(x, 0) / 2^shift⌋, 0, 31), differentiable as its linear part: dy / 2^shift where not clamped. */
export function convertingReluGradient(x: tf.Tensor, shift: number): tf.Tensor {
  const divisor = 2 ** shift;
  const f = tf.customGrad((...args) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([input]);
    return {
      value: tf.clipByValue(tf.floor(tf.div(tf.relu(input), divisor)), 0, INPUT_MAX),
      gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => {
        const linear = tf.logicalAnd(tf.greater(saved!, 0), tf.less(saved!, (INPUT_MAX + 1) * divisor));
        return tf.mul(tf.div(dy, divisor), tf.cast(linear, 'float32'));
      },
    };
  });
  return f(x);
}
