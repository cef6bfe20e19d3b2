import { describe, expect, it } from 'vitest';
import { initTensorBackend, tf } from '../src/index.js';

describe('initTensorBackend', () => {
  it('selects wasm by default, is idempotent and switches on request', async () => {
    expect(await initTensorBackend()).toBe('wasm');
    expect(await initTensorBackend()).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.env().getBool('PROD')).toBe(true);
    expect(await initTensorBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(await initTensorBackend()).toBe('cpu');
    expect(await initTensorBackend('wasm')).toBe('wasm');
  });

  it('brings the gradients of the core ops (registered by the union package) on both backends', async () => {
    for (const backend of ['cpu', 'wasm'] as const) {
      await initTensorBackend(backend);
      const x = tf.tensor1d([-1, 2, 3]);
      // d/dx Σ relu(x)·x² = relu'(x)·x² + 2x·relu(x): 0, 4 + 8, 9 + 18.
      const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.relu(v), tf.square(v))))(x);
      expect(Array.from(g.dataSync())).toEqual([0, 12, 27]);
    }
  });
});
