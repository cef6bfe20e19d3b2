/**
 * A simulated chip in a `node:worker_threads` worker: one job at a time (restore, program, snapshot), so chips
 * run in parallel on the machine's cores while the service's event loop only routes bytes.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface ChipIdentity {
  readonly chipSeed: number;
  readonly simulatorVersion: string;
  readonly protocolVersion: number;
  readonly responseLatency_cycles: number;
}

export interface ChipJob {
  /** Power-on reset before anything else (the chip changes users, or the user asked for a reset). */
  readonly reset: boolean;
  /** Programs restoring the user's state after the reset; their answers are dropped. */
  readonly restore: readonly Uint8Array[];
  readonly program: Uint8Array | undefined;
  /** Uploaded snapshot program, run after the program (it takes chip time, as the user chose). */
  readonly snapshot: Uint8Array | undefined;
  /**
   * The default snapshot: omnibus addresses read after the program straight from the simulated chip
   * (`readWord`), which takes no chip time, so a user's consecutive programs see chip time exactly as in-process.
   */
  readonly snapshotAddresses: Uint32Array | undefined;
}

export interface ChipJobResult {
  readonly responses: Uint8Array | undefined;
  readonly snapshotResponses: Uint8Array | undefined;
  readonly snapshotValues: Uint32Array | undefined;
  /** Time the worker spent on the job (reset, restore, program, snapshot), ms. */
  readonly run_ms: number;
  readonly restore_ms: number;
}

/** The chip rejected a program, or the worker failed; `remoteName` is the chip's error name. */
export class ChipJobError extends Error {
  override readonly name = 'ChipJobError';
  constructor(
    readonly remoteName: string,
    readonly remoteMessage: string,
  ) {
    super(`${remoteName}: ${remoteMessage}`);
  }
}

// CommonJS source, evaluated by the worker: it loads chip-sim from the path the main thread resolved, so the
// same code runs from the sources (tests) and from dist.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const copy = (bytes) => { const out = new Uint8Array(bytes.length); out.set(bytes); return out; };
import(workerData.chipSimUrl).then(({ SimulatedChip }) => {
  const chip = new SimulatedChip(workerData.chipOptions);
  parentPort.postMessage({ type: 'ready', identity: { ...chip.identity } });
  parentPort.on('message', (job) => {
    const start = performance.now();
    try {
      if (job.reset) chip.reset();
      for (const program of job.restore) chip.execute(program);
      const restored = performance.now();
      const responses = job.program === undefined ? undefined : copy(chip.execute(job.program));
      const snapshotResponses = job.snapshot === undefined ? undefined : copy(chip.execute(job.snapshot));
      let snapshotValues;
      if (job.snapshotAddresses !== undefined) {
        snapshotValues = new Uint32Array(job.snapshotAddresses.length);
        for (let i = 0; i < snapshotValues.length; i++) snapshotValues[i] = chip.readWord(job.snapshotAddresses[i]);
      }
      const transfer = [responses, snapshotResponses, snapshotValues].filter((b) => b !== undefined).map((b) => b.buffer);
      parentPort.postMessage({ type: 'done', responses, snapshotResponses, snapshotValues, restore_ms: restored - start, run_ms: performance.now() - start }, transfer);
    } catch (error) {
      parentPort.postMessage({ type: 'failed', name: error && error.name || 'Error', message: error && error.message || String(error) });
    }
  });
}).catch((error) => parentPort.postMessage({ type: 'fatal', name: error && error.name || 'Error', message: error && error.message || String(error) }));
`;

export interface ChipWorkerOptions {
  readonly seed: number;
  /** Options of chip-sim's analog model (step, ideal, temporal noise). */
  readonly analog?: Record<string, unknown>;
}

export class ChipWorker {
  private readonly worker: Worker;
  private current: { resolve(result: ChipJobResult): void; reject(error: Error): void } | undefined;
  private dead: Error | undefined;
  readonly ready: Promise<ChipIdentity>;

  constructor(
    readonly index: number,
    options: ChipWorkerOptions,
  ) {
    const chipSimUrl = pathToFileURL(createRequire(import.meta.url).resolve('@bss2/chip-sim')).href;
    const chipOptions = { seed: options.seed, ...(options.analog === undefined ? {} : { analog: options.analog }) };
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { chipSimUrl, chipOptions } });
    this.ready = new Promise<ChipIdentity>((resolve, reject) => {
      const onMessage = (message: { type: string; identity?: ChipIdentity; name?: string; message?: string }) => {
        if (message.type === 'ready') resolve(message.identity!);
        else if (message.type === 'fatal') reject(new ChipJobError(message.name!, `chip ${index} could not start: ${message.message}`));
        else this.answer(message as never);
      };
      this.worker.on('message', onMessage);
      this.worker.once('error', (error) => {
        this.die(error);
        reject(error);
      });
      this.worker.once('exit', (code) => this.die(new ChipJobError('WorkerExit', `chip ${index}'s worker exited (code ${code})`)));
    });
    // A start failure surfaces where `ready` is awaited; an unhandled rejection here would crash the service.
    this.ready.catch(() => {});
  }

  get alive(): boolean {
    return this.dead === undefined;
  }

  /** Runs one job; the scheduler never gives a chip a second job before the first finished. */
  run(job: ChipJob): Promise<ChipJobResult> {
    if (this.dead !== undefined) return Promise.reject(this.dead);
    if (this.current !== undefined) return Promise.reject(new ChipJobError('ChipBusy', `chip ${this.index} already runs a job`));
    return new Promise<ChipJobResult>((resolve, reject) => {
      this.current = { resolve, reject };
      this.worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    this.die(new ChipJobError('ServiceClosed', 'the service is shutting down'));
    await this.worker.terminate();
  }

  private answer(message: { type: 'done' | 'failed'; name?: string; message?: string } & Partial<ChipJobResult>): void {
    const current = this.current;
    this.current = undefined;
    if (current === undefined) return;
    if (message.type === 'failed') current.reject(new ChipJobError(message.name!, message.message!));
    else current.resolve({ responses: message.responses, snapshotResponses: message.snapshotResponses, snapshotValues: message.snapshotValues, run_ms: message.run_ms!, restore_ms: message.restore_ms! });
  }

  private die(error: Error): void {
    this.dead ??= error;
    const current = this.current;
    this.current = undefined;
    current?.reject(error);
  }
}
