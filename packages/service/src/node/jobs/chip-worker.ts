// A chip worker: a BullMQ Worker with concurrency 1 (one job at a time per chip) whose experiments run in a
// worker thread of their own. It may run on any machine that reaches the queue's Redis. Results are stored
// with HSETNX keyed by job id, so a job that runs twice (its first worker died after storing, or mid-run)
// still has exactly one result.
import { Worker as Thread } from 'node:worker_threads';
import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { DEFAULT_QUEUE_NAME, type ExperimentJobData, WORKER_DEFAULTS, checkInteger, connectRedis, jobKeys } from './queue-options.js';
import type { ThreadReply, ThreadRequest } from './thread-protocol.js';

export interface ChipWorkerOptions {
  /** redis://host:port of the queue. */
  readonly redis: string;
  /** Default DEFAULT_QUEUE_NAME. */
  readonly queueName?: string;
  /** Runs every job on a simulated chip of this seed (overriding the file's setup.chipSeed); default: the file's. */
  readonly chipSeed?: number;
  /** See WORKER_DEFAULTS. */
  readonly lockDuration_ms?: number;
  readonly stalledInterval_ms?: number;
  readonly maxStalledCount?: number;
  /** Told what the worker does (job started, finished, failed; connection errors). */
  readonly onEvent?: (event: ChipWorkerEvent) => void;
}

export type ChipWorkerEvent =
  | { readonly kind: 'started' | 'completed' | 'skipped'; readonly jobId: string }
  | { readonly kind: 'failed'; readonly jobId: string; readonly name: string; readonly message: string }
  | { readonly kind: 'error'; readonly message: string };

/** What a processed job returns to BullMQ: whether this run stored the result (false: a previous run had). */
export interface ChipJobOutcome {
  readonly stored: boolean;
}

/** One experiment thread, restarted after it dies. */
class ExperimentThread {
  private thread: Thread | undefined;

  run(request: ThreadRequest): Promise<ThreadReply> {
    const thread = (this.thread ??= new Thread(new URL('./experiment-thread.js', import.meta.url)));
    return new Promise<ThreadReply>((resolve) => {
      const finish = (reply: ThreadReply) => {
        thread.off('message', finish);
        thread.off('error', crashed);
        thread.off('exit', exited);
        resolve(reply);
      };
      const crashed = (error: Error) => {
        this.thread = undefined;
        void thread.terminate();
        finish({ ok: false, name: 'ExperimentThreadError', message: `the experiment thread crashed: ${error.name}: ${error.message}` });
      };
      const exited = (code: number) => {
        this.thread = undefined;
        finish({ ok: false, name: 'ExperimentThreadError', message: `the experiment thread exited with code ${code} during the run` });
      };
      thread.on('message', finish);
      thread.on('error', crashed);
      thread.on('exit', exited);
      thread.postMessage(request);
    });
  }

  async close(): Promise<void> {
    await this.thread?.terminate();
    this.thread = undefined;
  }
}

export class ChipWorker {
  private readonly thread = new ExperimentThread();
  private readonly redis: Redis;
  private readonly connection: Redis;
  private readonly worker: Worker<ExperimentJobData, ChipJobOutcome>;

  constructor(options: ChipWorkerOptions) {
    const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
    const keys = jobKeys(queueName);
    const chipSeed = options.chipSeed === undefined ? undefined : checkInteger(options.chipSeed, 0, 0xffff_ffff, 'chipSeed');
    const lockDuration = checkInteger(options.lockDuration_ms ?? WORKER_DEFAULTS.lockDuration_ms, 100, 3_600_000, 'lockDuration_ms');
    const stalledInterval = checkInteger(options.stalledInterval_ms ?? WORKER_DEFAULTS.stalledInterval_ms, 100, 3_600_000, 'stalledInterval_ms');
    const maxStalledCount = checkInteger(options.maxStalledCount ?? WORKER_DEFAULTS.maxStalledCount, 0, 1000, 'maxStalledCount');
    const tell = options.onEvent ?? (() => undefined);
    this.redis = connectRedis(options.redis);
    this.connection = connectRedis(options.redis);
    this.worker = new Worker<ExperimentJobData, ChipJobOutcome>(
      queueName,
      async (job) => {
        const id = job.id!;
        const [[, hasResult], [, hasFailure]] = (await this.redis.multi().hexists(keys.results, id).hexists(keys.failures, id).exec())! as [[unknown, number], [unknown, number]];
        // A redelivery of a job whose previous worker stored the outcome and died before telling BullMQ.
        if (hasResult === 1 || hasFailure === 1) {
          tell({ kind: 'skipped', jobId: id });
          if (hasFailure === 1) throw new UnrecoverableError(`job ${id} failed in an earlier run`);
          return { stored: false };
        }
        await this.redis.hincrby(keys.runs, id, 1);
        tell({ kind: 'started', jobId: id });
        const reply = await this.thread.run({ experiment: job.data.experiment, source: job.data.source, chipSeed });
        if (reply.ok) {
          const stored = (await this.redis.hsetnx(keys.results, id, reply.results)) === 1;
          tell({ kind: 'completed', jobId: id });
          return { stored };
        }
        await this.redis.hsetnx(keys.failures, id, JSON.stringify({ name: reply.name, message: reply.message }));
        tell({ kind: 'failed', jobId: id, name: reply.name, message: reply.message });
        // Final: the same experiment on another chip would fail the same way.
        throw new UnrecoverableError(`${reply.name}: ${reply.message}`);
      },
      { connection: this.connection, concurrency: 1, lockDuration, stalledInterval, maxStalledCount, autorun: true },
    );
    this.worker.on('error', (error) => tell({ kind: 'error', message: `${error.name}: ${error.message}` }));
  }

  /** Resolves once the worker is connected and taking jobs. */
  async ready(): Promise<void> {
    await this.worker.waitUntilReady();
  }

  /** Finishes the running job (if any), then stops taking jobs and closes the thread and connections. */
  async close(): Promise<void> {
    await this.worker.close();
    await this.thread.close();
    await Promise.allSettled([this.redis.quit(), this.connection.quit()]);
  }
}

export interface ChipWorkerPool {
  readonly workers: readonly ChipWorker[];
  close(): Promise<void>;
}

/** `chips` chip workers in this process, one thread each (`bss2 service worker --chips N`). */
export async function startChipWorkers(options: ChipWorkerOptions & { readonly chips?: number }): Promise<ChipWorkerPool> {
  const chips = checkInteger(options.chips ?? 1, 1, 64, 'chips');
  const workers = Array.from({ length: chips }, () => new ChipWorker(options));
  await Promise.all(workers.map((worker) => worker.ready()));
  return { workers, close: async () => void (await Promise.all(workers.map((worker) => worker.close()))) };
}
