// A Redis restart loses no accepted job: jobs and a sweep are accepted (append-only file, fsync on every write),
// Redis is killed with SIGKILL and started again on the same directory, and only then does a worker start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExperimentQueue, parseGridSpec } from '../src/node/index.js';
import { RedisHarness, WorkerProcess, redisAvailable, tinyExperiment } from './redis-harness.js';

describe.skipIf(!redisAvailable)('Redis killed and restarted on its append-only file', () => {
  let redis: RedisHarness;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    redis = await RedisHarness.start();
  }, 60_000);

  afterAll(async () => {
    await worker?.kill('SIGTERM');
    await redis?.stop();
  });

  it('every job accepted before the kill is run after the restart', async () => {
    const queue = new ExperimentQueue({ redis: redis.url });
    try {
      const ids = [];
      for (let k = 0; k < 6; k++) ids.push(await queue.submitExperiment({ ...tinyExperiment(), name: `accepted-${k}` }));
      const sweep = await queue.submitSweep(tinyExperiment(), [parseGridSpec('populations[1].parameters.v_thresh=-56,-55,-54,-53')]);

      await redis.kill('SIGKILL');
      await redis.launch();

      worker = await WorkerProcess.start({ redis: redis.url });
      // The client's connections reconnect on their own.
      for (const [k, id] of ids.entries()) expect((JSON.parse(await queue.waitForResult(id, { timeout_ms: 120_000 })) as { experiment: string }).experiment).toBe(`accepted-${k}`);
      for (const point of sweep.points) await queue.waitForResult(point.jobId, { timeout_ms: 120_000 });
      const progress = await queue.sweepProgress(sweep.id);
      expect(progress).toMatchObject({ total: 4, completed: 4, failed: 0 });
      expect(progress.points.map((p) => p.assignments['populations[1].parameters.v_thresh'])).toEqual([-56, -55, -54, -53]);
    } finally {
      await queue.close();
    }
  }, 180_000);
});
