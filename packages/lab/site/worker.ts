// The Web Worker: the whole stack (pynn → execution → in-process chip-sim with its wasm engine) off the main thread.
import { parseExperimentText } from '@bss2/pynn';
import { checkedValues, singleNeuronPage } from '../src/pages.js';
import { runLabExperiment } from '../src/runner.js';
import { serializeError, type WorkerRequest, type WorkerResponse } from '../src/protocol.js';

const scope = self as unknown as { postMessage(message: WorkerResponse): void; onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null };
const post = (message: WorkerResponse): void => scope.postMessage(message);

// Requests run one after another: pynn keeps one simulator per thread.
let queue: Promise<void> = Promise.resolve();

scope.onmessage = (event) => {
  const request = event.data;
  queue = queue.then(() => handle(request));
};

async function handle(request: WorkerRequest): Promise<void> {
  const id = typeof request?.id === 'number' ? request.id : -1;
  try {
    if (request.type === 'run') {
      const results = await runLabExperiment(request.experiment, (step, fraction) => post({ id, type: 'progress', step, fraction }));
      post({ id, type: 'result', results });
    } else if (request.type === 'validate') {
      try {
        parseExperimentText(request.text);
        post({ id, type: 'issues', issues: [] });
      } catch (error) {
        const serialized = serializeError(error);
        if (serialized.issues === undefined) throw error;
        post({ id, type: 'issues', issues: serialized.issues });
      }
    } else {
      post({ id, type: 'error', error: { name: 'LabRequestError', message: `unknown request type ${JSON.stringify((request as { type?: unknown }).type)}; known: run, validate` } });
    }
  } catch (error) {
    post({ id, type: 'error', error: serializeError(error) });
  }
}

/**
 * A short run of the first page's experiment before the worker reports ready: it loads the simulator's chunk and
 * lets the JIT compile the stack's hot paths while the visitor reads the page, so the first click runs warm
 * (≈ 0.7 s instead of ≈ 2 s on a 2-core machine, bench/lab.bench.ts). Its results are discarded; every run sets
 * up a fresh simulated chip, so nothing of it carries over.
 */
async function warmUp(): Promise<void> {
  const experiment = singleNeuronPage.build(checkedValues(singleNeuronPage, {}));
  if (experiment.kind === 'file') await runLabExperiment({ ...experiment, file: { ...experiment.file, duration_ms: 20 } });
}

queue = warmUp().then(
  () => post({ id: 0, type: 'ready' }),
  (error: unknown) => post({ id: 0, type: 'error', error: serializeError(error) }),
);
