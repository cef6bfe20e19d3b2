// A stack of layers with the chip in the loop: the forward pass runs on the backend (asynchronous), the backward
// pass replays it synchronously inside tf.variableGrads with the device's values injected (hardware.md §11.2).
import { tf } from '@bss2/tensor';
import { type BackendOptions, type PerceptronBackend, resolveBackend } from './backend.js';
import type { Layer } from './layers.js';

export interface ValueAndGrads {
  /** The loss of the device's output. */
  readonly value: tf.Scalar;
  /** ∂loss/∂variable by variable name, ready for `optimizer.applyGradients`. */
  readonly grads: tf.NamedTensorMap;
  /** The device's output of the last layer. */
  readonly output: tf.Tensor;
}

export class Sequential {
  readonly layers: readonly Layer[];

  constructor(layers: readonly Layer[]) {
    this.layers = [...layers];
  }

  get variables(): tf.Variable[] {
    return this.layers.flatMap((layer) => [...layer.variables]);
  }

  /** The output of every layer for input `x` (integers 0..31), on the backend. */
  private async run(x: tf.Tensor, backend: PerceptronBackend): Promise<tf.Tensor[]> {
    const outputs: tf.Tensor[] = [];
    try {
      for (const layer of this.layers) outputs.push(await layer.forward(outputs.at(-1) ?? x, backend));
    } catch (error) {
      tf.dispose(outputs);
      throw error;
    }
    return outputs;
  }

  /** The network's output on the backend (`backend`, `mock: true`, or initHardware's). */
  async forward(x: tf.Tensor, options: BackendOptions = {}): Promise<tf.Tensor> {
    const outputs = await this.run(x, resolveBackend('Sequential.forward', options));
    tf.dispose(outputs.slice(0, -1));
    return outputs.at(-1) ?? tf.clone(x);
  }

  /**
   * `loss(output)` and its gradients: the forward pass on the backend, then the backward pass through the mock
   * model at the device's values (hxtorch's hardware in the loop). `loss` must be synchronous tf code.
   */
  async valueAndGrads(x: tf.Tensor, loss: (output: tf.Tensor) => tf.Scalar, options: BackendOptions = {}): Promise<ValueAndGrads> {
    const backend = resolveBackend('Sequential.valueAndGrads', options);
    const outputs = await this.run(x, backend);
    try {
      const { value, grads } = tf.tidy(() =>
        tf.variableGrads(() => {
          let t = tf.cast(x, 'float32');
          this.layers.forEach((layer, k) => (t = layer.replay(t, outputs[k]!, backend)));
          return loss(t);
        }, this.variables),
      );
      return { value, grads, output: tf.clone(outputs.at(-1) ?? x) };
    } finally {
      tf.dispose(outputs);
    }
  }

  /** Clamps every MAC layer's weights to ±63 (after an optimiser step). */
  clampWeights(): void {
    for (const layer of this.layers) layer.clampWeights?.();
  }

  dispose(): void {
    for (const layer of this.layers) layer.dispose();
  }
}
