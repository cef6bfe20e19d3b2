// The training worker: @bss2/spiking (tfjs with its wasm backend, h5wasm for NIR, and — for hardware in the loop —
// the chip simulator) off the main thread. Started when the Yin-Yang page opens; terminated to stop a run.
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { LabRequestError } from '../src/errors.js';
import { serializeError, type TrainingRequest, type TrainingResponse } from '../src/protocol.js';
import { runYinYangTraining } from '../src/training.js';

// In a bundle the backend cannot find its .wasm files next to its own script: give it their URLs on this origin.
// (Without cross-origin isolation there is no SharedArrayBuffer, so it picks the SIMD build, as Node does.)
setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd });

const scope = self as unknown as { postMessage(message: TrainingResponse, transfer?: Transferable[]): void; onmessage: ((event: MessageEvent<TrainingRequest>) => void) | null };

// One training at a time (the page sends the next only after the last answered).
let queue: Promise<void> = Promise.resolve();

scope.onmessage = (event) => {
  const request = event.data;
  queue = queue.then(() => train(request));
};

async function train(request: TrainingRequest): Promise<void> {
  const id = typeof request?.id === 'number' ? request.id : -1;
  try {
    if (request.type !== 'train') throw new LabRequestError(`unknown request type ${JSON.stringify((request as { type?: unknown }).type)}; known: train`);
    const { results, nir } = await runYinYangTraining(request.settings, {
      onBatch: (info) => scope.postMessage({ id, type: 'batch', ...info }),
      onEpoch: (report) => scope.postMessage({ id, type: 'epoch', report }),
      onEvaluation: () => scope.postMessage({ id, type: 'evaluating' }),
    });
    const bytes = nir.slice(); // its own buffer, moved to the page
    scope.postMessage({ id, type: 'trained', results, nir: bytes }, [bytes.buffer]);
  } catch (error) {
    scope.postMessage({ id, type: 'error', error: serializeError(error) });
  }
}
