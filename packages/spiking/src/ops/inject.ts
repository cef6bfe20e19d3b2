import { tf } from '@bss2/tensor';
import { checkSameShape } from './parameters.js';

/**
 * The reference's `Unterjubel` (hardware.md §11.2): forward returns `hardware`'s values, the gradient
 * goes to `model` unchanged. `hardware` is a constant (it receives no gradient). Shapes must match.
 */
export function inject<T extends tf.Tensor>(model: T, hardware: tf.Tensor): T {
  checkSameShape('hardware', hardware, model.shape);
  const op = tf.customGrad((...args) => {
    const [m] = args as [tf.Tensor];
    return { value: tf.cast(hardware, m.dtype), gradFunc: (dy: tf.Tensor) => tf.clone(dy) };
  });
  return op(model) as T;
}

/** Forward the values of `x`, no gradient back (torch's `detach`): for the reset, whose spike is a constant. */
export function detach<T extends tf.Tensor>(x: T): T {
  const op = tf.customGrad((...args) => {
    const [input] = args as [tf.Tensor];
    return { value: tf.clone(input), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
  });
  return op(x) as T;
}
