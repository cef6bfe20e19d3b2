// The client side of batch jobs: submit an experiment or a sweep (checked before anything is enqueued), ask
// for a job's status, wait for its result, follow a sweep's progress. Results live in Redis hashes keyed by job
// id (written once, with HSETNX, by whichever worker finished the job first), so a client reads each result
// exactly once however often a job ran.
import { randomUUID } from 'node:crypto';
import { parseExperiment } from '@bss2/pynn';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { JobFailedError, JobNotFoundError, JobOptionError, JobTimeoutError } from './errors.js';
import { DEFAULT_QUEUE_NAME, type ExperimentJobData, type JobFailure, connectRedis, jobKeys } from './queue-options.js';
import { type GridAxis, type SweepPoint, sweepPoints } from './sweep.js';

/** Where a job is: waiting for a chip, running on one, done with a result, or failed for good. */
export type JobState = 'queued' | 'running' | 'completed' | 'failed';

export interface JobStatus {
  readonly id: string;
  readonly state: JobState;
  /** How many times a worker started it (2 or more after a worker died while running it). */
  readonly runs: number;
  /** The typed error of a failed job. */
  readonly failure?: JobFailure;
}

export interface SubmitOptions {
  /** Names the experiment in messages (a file name); default 'experiment'. */
  readonly source?: string;
  /** The experiment's name when the file has none (`bss2 run` uses the file's base name). */
  readonly defaultName?: string;
}

export interface SweepPointInfo {
  readonly index: number;
  readonly jobId: string;
  readonly assignments: Readonly<Record<string, unknown>>;
}

export interface SubmittedSweep {
  readonly id: string;
  readonly experiment: string;
  readonly points: readonly SweepPointInfo[];
}

export interface SweepProgress {
  readonly id: string;
  readonly experiment: string;
  readonly total: number;
  readonly completed: number;
  readonly failed: number;
  readonly points: readonly (SweepPointInfo & { readonly state: 'pending' | 'completed' | 'failed'; readonly failure?: JobFailure })[];
}

export interface WaitOptions {
  /** Give up waiting after this long (the job stays queued); default: wait indefinitely. */
  readonly timeout_ms?: number;
  /** How often Redis is asked; default 100 ms. */
  readonly pollInterval_ms?: number;
}

export interface ExperimentQueueOptions {
  /** redis://host:port of the Redis every worker reaches. */
  readonly redis: string;
  /** Default DEFAULT_QUEUE_NAME; workers must use the same. */
  readonly queueName?: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Ids this queue hands out: `e-<uuid>` for experiments, `s-<uuid>` for sweeps, `s-<uuid>-p<k>` for their points. */
const JOB_ID_PATTERN = /^[es]-[0-9a-f-]{36}(-p\d+)?$/;

function checkId(id: string, what: 'experiment' | 'sweep'): string {
  if (typeof id !== 'string' || !JOB_ID_PATTERN.test(id) || (what === 'sweep' && !id.startsWith('s-'))) throw new JobNotFoundError(String(id), what);
  return id;
}

/** A client of the experiment queue (one Redis connection for BullMQ, one for the result keys). */
export class ExperimentQueue {
  readonly queueName: string;
  private readonly queue: Queue<ExperimentJobData>;
  private readonly redis: Redis;
  private readonly queueConnection: Redis;
  private readonly keys: ReturnType<typeof jobKeys>;

  constructor(options: ExperimentQueueOptions) {
    this.queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
    if (!/^[\w.-]{1,64}$/.test(this.queueName)) throw new JobOptionError(`queue name '${this.queueName}' must be 1..64 of letters, digits, '_', '.', '-'`);
    this.redis = connectRedis(options.redis);
    this.queueConnection = connectRedis(options.redis);
    this.queue = new Queue<ExperimentJobData>(this.queueName, { connection: this.queueConnection });
    this.keys = jobKeys(this.queueName);
  }

  /**
   * Checks `experiment` (an experiment file's JSON; an ExperimentError lists every issue by JSON path) and
   * enqueues it; resolves with its job id once Redis has accepted it (with `appendfsync always`, on disk).
   */
  async submitExperiment(experiment: unknown, options: SubmitOptions = {}): Promise<string> {
    const source = options.source ?? 'experiment';
    parseExperiment(experiment, source);
    const file = experiment as Record<string, unknown>;
    const named = file.name === undefined && options.defaultName !== undefined ? { ...file, name: options.defaultName } : file;
    const id = `e-${randomUUID()}`;
    await this.queue.add('experiment', { experiment: named, source }, { jobId: id, ...jobRetention });
    return id;
  }

  /**
   * Expands `grid` over `experiment`, checks every point (sweepPoints: SweepGridError naming the path), then
   * enqueues one job per point in one transaction.
   */
  async submitSweep(experiment: unknown, grid: readonly GridAxis[], options: SubmitOptions = {}): Promise<SubmittedSweep> {
    const source = options.source ?? 'experiment';
    const points: SweepPoint[] = sweepPoints(experiment, grid, source, options.defaultName);
    const id = `s-${randomUUID()}`;
    const infos = points.map((point) => ({ index: point.index, jobId: `${id}-p${point.index}`, assignments: point.assignments }));
    const name = String(points[0]!.experiment.name).replace(/\.point-0$/, '');
    // The sweep's record first: a job of it can be reported on as soon as it exists.
    await this.redis.hset(this.keys.sweep(id), { experiment: name, points: JSON.stringify(infos), createdAt_ms: Date.now() });
    try {
      await this.queue.addBulk(points.map((point, k) => ({ name: 'experiment', data: { experiment: point.experiment, source, sweep: { id, index: point.index } }, opts: { jobId: infos[k]!.jobId, ...jobRetention } })));
    } catch (error) {
      await this.redis.del(this.keys.sweep(id));
      throw error;
    }
    return { id, experiment: name, points: infos };
  }

  /** The results JSON text of a completed job, or undefined while it has none. */
  async getResult(id: string): Promise<string | undefined> {
    return (await this.redis.hget(this.keys.results, checkId(id, 'experiment'))) ?? undefined;
  }

  /** Where job `id` is; JobNotFoundError for an id this queue never accepted. */
  async getJobStatus(id: string): Promise<JobStatus> {
    checkId(id, 'experiment');
    const [[, hasResult], [, failure], [, runs]] = (await this.redis.multi().hexists(this.keys.results, id).hget(this.keys.failures, id).hget(this.keys.runs, id).exec())! as [[unknown, number], [unknown, string | null], [unknown, string | null]];
    const runCount = runs === null ? 0 : Number(runs);
    if (hasResult === 1) return { id, state: 'completed', runs: runCount };
    if (failure !== null) return { id, state: 'failed', runs: runCount, failure: JSON.parse(failure) as JobFailure };
    const state = await this.queue.getJobState(id);
    switch (state) {
      case 'active':
        return { id, state: 'running', runs: runCount };
      case 'waiting':
      case 'delayed':
      case 'prioritized':
      case 'waiting-children':
        return { id, state: 'queued', runs: runCount };
      case 'failed':
        // Failed by BullMQ itself (stalled too often) before a worker could store a failure.
        return { id, state: 'failed', runs: runCount, failure: { name: 'JobStalledError', message: (await this.queue.getJob(id))?.failedReason ?? 'the job stalled more often than allowed' } };
      default:
        // Completed jobs are removed once their result is stored; anything else is unknown.
        throw new JobNotFoundError(id);
    }
  }

  /** Waits for job `id`'s results JSON text; JobFailedError with the run's typed error when it failed. */
  async waitForResult(id: string, options: WaitOptions = {}): Promise<string> {
    const pollInterval_ms = options.pollInterval_ms ?? 100;
    const deadline = options.timeout_ms === undefined ? Infinity : Date.now() + options.timeout_ms;
    for (;;) {
      const result = await this.getResult(id);
      if (result !== undefined) return result;
      const status = await this.getJobStatus(id);
      if (status.state === 'failed') throw new JobFailedError(id, status.failure!.name, status.failure!.message);
      // Completed between the two reads: the result is there now.
      if (status.state === 'completed') return (await this.getResult(id))!;
      if (Date.now() >= deadline) throw new JobTimeoutError(id, options.timeout_ms!);
      await sleep(Math.min(pollInterval_ms, Math.max(0, deadline - Date.now())));
    }
  }

  /** Points done, failed and pending of sweep `id`. */
  async sweepProgress(id: string): Promise<SweepProgress> {
    checkId(id, 'sweep');
    const record = await this.redis.hgetall(this.keys.sweep(id));
    if (record.points === undefined) throw new JobNotFoundError(id, 'sweep');
    const infos = JSON.parse(record.points) as SweepPointInfo[];
    const pipeline = this.redis.pipeline();
    for (const info of infos) pipeline.hexists(this.keys.results, info.jobId).hget(this.keys.failures, info.jobId);
    const replies = (await pipeline.exec())!;
    let completed = 0;
    let failed = 0;
    const points = infos.map((info, k) => {
      if (replies[2 * k]![1] === 1) {
        completed++;
        return { ...info, state: 'completed' as const };
      }
      const failure = replies[2 * k + 1]![1] as string | null;
      if (failure !== null) {
        failed++;
        return { ...info, state: 'failed' as const, failure: JSON.parse(failure) as JobFailure };
      }
      return { ...info, state: 'pending' as const };
    });
    return { id, experiment: record.experiment ?? 'experiment', total: infos.length, completed, failed, points };
  }

  /** Answers when Redis does (for health checks). */
  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    await this.queue.close();
    await Promise.allSettled([this.redis.quit(), this.queueConnection.quit()]);
  }
}

/**
 * Completed jobs leave BullMQ's sets: their result is in the results hash. Failed ones stay (the last 1,000), so
 * a job BullMQ failed itself (stalled too often) still reports why. A job is tried once (`attempts: 1`): a run
 * error is final; only a worker's death puts it back (the stalled check).
 */
const jobRetention = { attempts: 1, removeOnComplete: true, removeOnFail: { count: 1000 } } as const;
