import { tf } from '@bss2/tensor';
import { DEFAULT_SUPERSPIKE_ALPHA, checkAlpha } from './parameters.js';

/**
 * SuperSpike (Zenke & Ganguli 2018; hardware.md §11.2): forward the Heaviside step H(x), 1 iff x > 0
 * (strictly, as the reference's `threshold`), backward the surrogate `dy / (α|x| + 1)²`.
 */
export function superSpike<T extends tf.Tensor>(x: T, alpha: number = DEFAULT_SUPERSPIKE_ALPHA): T {
  checkAlpha(alpha);
  const op = tf.customGrad((...args) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([input]);
    return {
      value: tf.cast(tf.greater(input, 0), 'float32'),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [saw] = saved as [tf.Tensor];
        return tf.div(dy, tf.square(tf.add(tf.mul(alpha, tf.abs(saw)), 1)));
      },
    };
  });
  return op(x) as T;
}

/** The surrogate derivative dH/dx ≈ 1/(α|x| + 1)² on one value: the fused scans' copy of `superSpike`'s backward. */
export function superSpikeDerivative(x: number, alpha: number): number {
  const s = alpha * Math.abs(x) + 1;
  return 1 / (s * s);
}
