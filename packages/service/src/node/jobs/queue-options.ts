// What the client and the chip workers agree on: the queue's name, the Redis keys beside it, the job data, and
// the worker timing defaults; and the one way both connect to Redis.
import { Redis } from 'ioredis';
import { JobOptionError } from './errors.js';

/** Default BullMQ queue name (and prefix of the result keys). */
export const DEFAULT_QUEUE_NAME = 'bss2-experiments';

/**
 * Worker timing defaults. A worker's lock on its job lasts `lockDuration_ms` and is renewed every half of it
 * while the job runs (the experiment runs in a worker thread, so a long run never starves the renewal); a
 * worker that dies (SIGKILL, power loss) stops renewing, and within `lockDuration_ms + stalledInterval_ms` the
 * stalled check of any live worker puts its job back in the queue. `maxStalledCount` such recoveries are
 * allowed per job before it counts as failed (a job that kills every worker it lands on must end).
 */
export const WORKER_DEFAULTS = {
  lockDuration_ms: 5_000,
  stalledInterval_ms: 2_500,
  maxStalledCount: 3,
} as const;

/** The data of one experiment job: the experiment file's JSON, already checked by parseExperiment. */
export interface ExperimentJobData {
  readonly experiment: Record<string, unknown>;
  /** Where it came from (a file name, `HTTP POST /experiments`), for error messages. */
  readonly source: string;
  /** The sweep it belongs to, and its point index there. */
  readonly sweep?: { readonly id: string; readonly index: number };
}

/** A job's final failure as stored: the typed error's name and message. */
export interface JobFailure {
  readonly name: string;
  readonly message: string;
}

/** Redis keys of a queue's results, failures, run counts and sweeps. */
export function jobKeys(queueName: string) {
  const prefix = `bss2:{${queueName}}`;
  return {
    /** Hash job id → results JSON text (HSETNX: the first stored result is the only one). */
    results: `${prefix}:results`,
    /** Hash job id → JobFailure JSON (HSETNX). */
    failures: `${prefix}:failures`,
    /** Hash job id → how many times a worker started it (> 1 after a worker died mid-job). */
    runs: `${prefix}:runs`,
    /** Hash of one sweep: `experiment` (name), `points` (JSON), `createdAt_ms`. */
    sweep: (id: string) => `${prefix}:sweep:${id}`,
  };
}

/**
 * A Redis connection for BullMQ and for the result keys. `maxRetriesPerRequest: null` (BullMQ's requirement):
 * commands wait through a Redis restart instead of failing, and ioredis reconnects on its own.
 */
export function connectRedis(url: string, source = 'redis URL'): Redis {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new JobOptionError(`${source} '${url}' is not a URL; expected redis://host:port (e.g. redis://127.0.0.1:6379)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new JobOptionError(`${source} '${url}' has protocol '${parsed.protocol}'; expected redis:// or rediss://`);
  }
  return new Redis(url, { maxRetriesPerRequest: null, connectionName: 'bss2-jobs' });
}

/** Checks a whole-number option in [min, max]; `source` names it. */
export function checkInteger(value: number, min: number, max: number, source: string): number {
  if (!(Number.isInteger(value) && value >= min && value <= max)) throw new JobOptionError(`${source} must be an integer in ${min}..${max}, got ${value}`);
  return value;
}
