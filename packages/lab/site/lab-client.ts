// The page's side of the worker: one request at a time per id, progress callbacks, typed errors back as Errors.
import type { LabExperiment, LabResults } from '../src/experiment.js';
import type { SerializedError, WorkerRequest, WorkerResponse } from '../src/protocol.js';

export class WorkerError extends Error {
  readonly issues: readonly { readonly path: string; readonly message: string }[];
  constructor(error: SerializedError) {
    super(error.message);
    this.name = error.name;
    this.issues = error.issues ?? [];
  }
}

/** A request without its id (the client numbers them). */
type WorkerRequestBody = { type: 'run'; experiment: LabExperiment } | { type: 'validate'; text: string };

interface Pending {
  resolve(response: WorkerResponse): void;
  reject(error: Error): void;
  progress?: (step: string, fraction: number) => void;
}

export class LabClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readyPromise: Promise<void> | undefined;

  /** Starts the worker (downloading the stack) once; later calls return the same promise. */
  start(): Promise<void> {
    this.readyPromise ??= new Promise<void>((resolve, reject) => {
      const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'bss2-lab' });
      this.worker = worker;
      worker.onmessage = (event: MessageEvent<WorkerResponse>) => {
        const message = event.data;
        if (message.type === 'ready') return resolve();
        if (message.id === 0 && message.type === 'error') return reject(new WorkerError(message.error));
        const pending = this.pending.get(message.id);
        if (pending === undefined) return;
        if (message.type === 'progress') return pending.progress?.(message.step, message.fraction);
        this.pending.delete(message.id);
        if (message.type === 'error') pending.reject(new WorkerError(message.error));
        else pending.resolve(message);
      };
      worker.onerror = (event) => {
        const error = new Error(`the lab's worker failed: ${event.message}`);
        reject(error);
        for (const pending of this.pending.values()) pending.reject(error);
        this.pending.clear();
      };
    });
    return this.readyPromise;
  }

  private async request(body: WorkerRequestBody, progress?: (step: string, fraction: number) => void): Promise<WorkerResponse> {
    await this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...(progress === undefined ? {} : { progress }) });
      this.worker!.postMessage({ ...body, id } as WorkerRequest);
    });
  }

  async run(experiment: LabExperiment, progress?: (step: string, fraction: number) => void): Promise<LabResults> {
    const response = await this.request({ type: 'run', experiment }, progress);
    if (response.type !== 'result') throw new Error(`unexpected worker answer ${response.type}`);
    return response.results;
  }

  async validate(text: string): Promise<readonly { readonly path: string; readonly message: string }[]> {
    const response = await this.request({ type: 'validate', text });
    if (response.type !== 'issues') throw new Error(`unexpected worker answer ${response.type}`);
    return response.issues;
  }
}
