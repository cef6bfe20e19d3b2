/**
 * The training front ends' one door to tfjs: every file of `spiking` and `perceptron` imports `tf` from here,
 * so the process has a single engine instance and one place that chooses its backend.
 */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core registers no gradients of its own ops; the union package registers them all (its Node bundle loads
// in plain Node, unlike tfjs-core's extension-less `dist/register_all_gradients` ESM files). Same engine.
import '@tensorflow/tfjs';

export { tf };

export type TensorBackendName = 'wasm' | 'cpu';

/** No tfjs backend could be initialised (the cpu fallback failed too). */
export class TensorBackendError extends Error {
  override name = 'TensorBackendError';
}

let active: Promise<TensorBackendName> | undefined;

/**
 * Selects the tfjs backend: `wasm` (default) when it initialises, else `cpu`. Idempotent: a later call
 * without a preference, or with the backend already active, returns the active backend without touching
 * the engine; calls are serialised. In Node the wasm backend loads its `.wasm` files from its own package
 * directory; a browser bundle has to serve them (tfjs-backend-wasm's `setWasmPaths`).
 */
export function initTensorBackend(preferred?: TensorBackendName): Promise<TensorBackendName> {
  const previous = active;
  active = (async () => {
    const current = await previous?.catch(() => undefined);
    if (current !== undefined && (preferred === undefined || preferred === current)) return current;
    return activate(preferred ?? 'wasm');
  })();
  return active;
}

async function activate(preferred: TensorBackendName): Promise<TensorBackendName> {
  // PROD silences tfjs' console advice (e.g. "install tfjs-node") and skips its debug-only checks.
  tf.env().set('PROD', true);
  if (preferred === 'wasm' && (await tryBackend('wasm', () => import('@tensorflow/tfjs-backend-wasm')))) return 'wasm';
  if (await tryBackend('cpu', () => import('@tensorflow/tfjs-backend-cpu'))) return 'cpu';
  throw new TensorBackendError('tfjs: neither the wasm nor the cpu backend could be initialised; is @tensorflow/tfjs-backend-cpu installed?');
}

/** Registers a backend by importing its module (a side effect) and switches the engine to it. */
async function tryBackend(name: TensorBackendName, register: () => Promise<unknown>): Promise<boolean> {
  try {
    await register();
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}
