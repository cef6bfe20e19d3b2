// Experiment jobs on a real Redis with a chip-worker process: submit → result like `bss2 run`'s, checked before
// enqueueing, final failures with the run's typed error, statuses, waits that time out.
import { ExperimentError, parseExperiment, resultsToJSON, runExperiment } from '@bss2/pynn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExperimentQueue, JobFailedError, JobNotFoundError, JobOptionError, JobTimeoutError } from '../src/node/index.js';
import { RedisHarness, WorkerProcess, redisAvailable, tinyExperiment, withoutDurations } from './redis-harness.js';

describe.skipIf(!redisAvailable)('experiment jobs on Redis', () => {
  let redis: RedisHarness;
  let worker: WorkerProcess;
  let queue: ExperimentQueue;

  beforeAll(async () => {
    redis = await RedisHarness.start();
    worker = await WorkerProcess.start({ redis: redis.url });
    queue = new ExperimentQueue({ redis: redis.url });
  }, 60_000);

  afterAll(async () => {
    await queue?.close();
    await worker?.kill('SIGTERM');
    await redis?.stop();
  });

  it('submit → result: the same results JSON as running the experiment directly', async () => {
    const id = await queue.submitExperiment(tinyExperiment(), { source: 'tiny.json' });
    expect(id).toMatch(/^e-[0-9a-f-]{36}$/);
    const json = await queue.waitForResult(id, { timeout_ms: 50_000 });
    const direct = resultsToJSON(await runExperiment(parseExperiment(tinyExperiment())));
    expect(withoutDurations(json)).toEqual(withoutDurations(direct));
    const results = JSON.parse(json) as { experiment: string; segments: { populations: { neuron: { spikes: number[][] } } }[] };
    expect(results.experiment).toBe('tiny');
    expect(results.segments[0]!.populations.neuron.spikes.flat().length).toBeGreaterThan(0);
    expect(await queue.getJobStatus(id)).toEqual({ id, state: 'completed', runs: 1 });
    expect(await queue.getResult(id)).toBe(json);
  });

  it('a file without a name gets the default name', async () => {
    const { name: _name, ...unnamed } = tinyExperiment();
    const id = await queue.submitExperiment(unnamed, { defaultName: 'from-file' });
    expect((JSON.parse(await queue.waitForResult(id, { timeout_ms: 50_000 })) as { experiment: string }).experiment).toBe('from-file');
  });

  it('an invalid experiment is refused before anything is enqueued, every issue by JSON path', async () => {
    const bad = tinyExperiment();
    (bad.populations as { size: number }[])[1]!.size = 0;
    (bad.populations as { parameters: Record<string, unknown> }[])[1]!.parameters.tau_m = 'ten';
    const error = await queue.submitExperiment(bad, { source: 'bad.json' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExperimentError);
    expect((error as ExperimentError).issues.map((issue) => issue.path)).toEqual(expect.arrayContaining(['populations[1].size', 'populations[1].parameters.tau_m']));
    expect((error as Error).message).toMatch(/^bad\.json is invalid/);
    expect(await queue['queue'].getJobCounts('waiting', 'active', 'delayed')).toEqual({ waiting: 0, active: 0, delayed: 0 });
  });

  it('a run error is a final failure with the typed error, not retried', async () => {
    // Valid as a file, refused when run: a membrane time constant beyond what the chip realises.
    const failing = tinyExperiment();
    (failing.populations as { parameters: Record<string, unknown> }[])[1]!.parameters.tau_m = 100_000;
    const id = await queue.submitExperiment(failing);
    const error = await queue.waitForResult(id, { timeout_ms: 50_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    const failure = error as JobFailedError;
    expect(failure.failureName).toBe('ParameterError');
    expect(failure.failureMessage).toMatch(/^tau_m = 100000 of population 'neuron' neuron 0 is outside what the chip realises/);
    const status = await queue.getJobStatus(id);
    expect(status).toEqual({ id, state: 'failed', runs: 1, failure: { name: failure.failureName, message: failure.failureMessage } });
  });

  it('unknown ids and sweeps are JobNotFoundError; a wait can time out while the job stays queued', async () => {
    await expect(queue.getJobStatus('e-00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(JobNotFoundError);
    await expect(queue.getJobStatus('../../etc')).rejects.toBeInstanceOf(JobNotFoundError);
    await expect(queue.sweepProgress('s-00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(JobNotFoundError);
    // A queue no worker serves: the job waits.
    const idle = new ExperimentQueue({ redis: redis.url, queueName: 'nobody-serves-this' });
    try {
      const id = await idle.submitExperiment(tinyExperiment());
      await expect(idle.waitForResult(id, { timeout_ms: 200, pollInterval_ms: 20 })).rejects.toBeInstanceOf(JobTimeoutError);
      expect(await idle.getJobStatus(id)).toEqual({ id, state: 'queued', runs: 0 });
    } finally {
      await idle.close();
    }
  });

  it('bad options are JobOptionError naming the option', () => {
    expect(() => new ExperimentQueue({ redis: 'http://127.0.0.1:1' })).toThrow(JobOptionError);
    expect(() => new ExperimentQueue({ redis: 'not a url' })).toThrow(/redis URL 'not a url' is not a URL/);
    expect(() => new ExperimentQueue({ redis: redis.url, queueName: 'a:b' })).toThrow(/queue name 'a:b'/);
  });
});
