// The worker thread of one chip: runs one experiment at a time through @bss2/pynn (a built-in simulated chip
// per job, as `bss2 run` does) and answers with the results JSON text or the typed error. It runs off the
// ChipWorker's event loop, so BullMQ's lock renewal goes on however long a run takes.
import { parentPort } from 'node:worker_threads';
import { parseExperiment, resultsToJSON, runExperiment } from '@bss2/pynn';
import type { ThreadReply, ThreadRequest } from './thread-protocol.js';

const port = parentPort;
if (port === null) throw new Error('experiment-thread.js is a worker thread entry; ChipWorker starts it');

port.on('message', (request: ThreadRequest) => {
  void (async (): Promise<ThreadReply> => {
    try {
      const parsed = parseExperiment(request.experiment, request.source);
      const experiment = request.chipSeed === undefined ? parsed : { ...parsed, setup: { ...parsed.setup, chipSeed: request.chipSeed } };
      const results = await runExperiment(experiment);
      return { ok: true, results: resultsToJSON(results) };
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      return { ok: false, name: failure.name, message: failure.message };
    }
  })().then((reply) => port.postMessage(reply));
});
