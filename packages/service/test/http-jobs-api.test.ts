// The jobs HTTP API on a real Redis and a chip-worker process: token refusals before anything is queued,
// validation errors at their JSON path, body limits, submit → result and sweep round trips, JSON errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateServiceKeys, issueToken } from '../src/index.js';
import { ExperimentQueue, JobsApiError, JobsHttpClient, type JobsApiServer, serveJobsApi } from '../src/node/index.js';
import { RedisHarness, WorkerProcess, redisAvailable, tinyExperiment } from './redis-harness.js';

describe.skipIf(!redisAvailable)('jobs HTTP API', () => {
  let redis: RedisHarness;
  let worker: WorkerProcess;
  let queue: ExperimentQueue;
  let server: JobsApiServer;
  let token: string;
  let foreignToken: string;
  let expiredToken: string;

  beforeAll(async () => {
    redis = await RedisHarness.start();
    worker = await WorkerProcess.start({ redis: redis.url });
    queue = new ExperimentQueue({ redis: redis.url });
    const keys = await generateServiceKeys();
    token = await issueToken(keys.privateKey, { user: 'alice', expiresIn_s: 3600 });
    expiredToken = await issueToken(keys.privateKey, { user: 'alice', expiresIn_s: 60, now_s: Math.floor(Date.now() / 1000) - 3600 });
    foreignToken = await issueToken((await generateServiceKeys()).privateKey, { user: 'mallory', expiresIn_s: 3600 });
    server = await serveJobsApi({ queue, publicKey: keys.publicKey, maxBodyBytes: 64 * 1024, metrics: () => 'bss2_queue_depth 0\n' });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await queue?.close();
    await worker?.kill('SIGTERM');
    await redis?.stop();
  });

  const post = (path: string, body: string, headers: Record<string, string> = { authorization: `Bearer ${token}` }) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('listens on loopback; /health answers without a token', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', redis: 'ok' });
  });

  it('refuses missing, malformed, foreign and expired tokens with 401 before anything is queued', async () => {
    const body = JSON.stringify(tinyExperiment());
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /no token given/],
      [{ authorization: 'Basic YWxpY2U6cHc=' }, /expected 'Bearer <token>'/],
      [{ authorization: 'Bearer not-a-jwt' }, /malformed token/],
      [{ authorization: `Bearer ${foreignToken}` }, /HTTP Authorization header/],
      [{ authorization: `Bearer ${expiredToken}` }, /expired/],
    ];
    for (const [headers, message] of cases) {
      const response = await post('/experiments', body, headers);
      expect(response.status).toBe(401);
      const answer = (await response.json()) as { error: string; message: string };
      expect(answer.error).toBe('AuthenticationError');
      expect(answer.message).toMatch(message);
    }
    expect((await fetch(`${server.url}/sweeps/s-00000000-0000-4000-8000-000000000000`)).status).toBe(401);
    expect(await queue['queue'].getJobCounts('waiting', 'active', 'completed')).toEqual({ waiting: 0, active: 0, completed: 0 });
  });

  it('400 with every issue at its JSON path; 400 for bad JSON; 413 for a body over the limit', async () => {
    const bad = tinyExperiment();
    (bad.populations as { parameters: Record<string, unknown> }[])[1]!.parameters.tau_m = 'ten';
    const invalid = await post('/experiments', JSON.stringify(bad));
    expect(invalid.status).toBe(400);
    const answer = (await invalid.json()) as { error: string; message: string; issues: { path: string; message: string }[] };
    expect(answer.error).toBe('ExperimentError');
    expect(answer.issues.map((issue) => issue.path)).toEqual(['populations[1].parameters.tau_m']);
    const notJson = await post('/experiments', '{"populations": [');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toBe('RequestBodyError');
    const large = await post('/experiments', JSON.stringify({ ...tinyExperiment(), description: 'x'.repeat(70 * 1024) }));
    expect(large.status).toBe(413);
    expect(await large.json()).toEqual({ error: 'PayloadTooLarge', message: 'the request body exceeds 65536 bytes' });
  });

  it('submit → status → results round trip; unknown ids are 404 JSON errors', async () => {
    const client = new JobsHttpClient({ server: server.url, token });
    const id = await client.submitExperiment({ ...tinyExperiment(), name: undefined }, 'named-by-query');
    const results = await client.waitForResult(id, 50);
    expect(results).toBe(await queue.getResult(id));
    expect((JSON.parse(results) as { experiment: string }).experiment).toBe('named-by-query');
    expect(await client.getJobStatus(id)).toEqual({ id, state: 'completed', runs: 1 });
    const missing = await client.getJobStatus('e-00000000-0000-4000-8000-000000000000').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(JobsApiError);
    expect(missing).toMatchObject({ status: 404, errorName: 'JobNotFoundError' });
    const route = await fetch(`${server.url}/nothing`, { headers: { authorization: `Bearer ${token}` } });
    expect(route.status).toBe(404);
    expect(((await route.json()) as { error: string }).error).toBe('NotFound');
  });

  it("a failed run's results are a 422 carrying the run's typed error", async () => {
    const client = new JobsHttpClient({ server: server.url, token });
    const failing = tinyExperiment();
    (failing.populations as { parameters: Record<string, unknown> }[])[1]!.parameters.tau_m = 100_000;
    const id = await client.submitExperiment(failing);
    const error = await client.waitForResult(id, 50).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, errorName: 'ParameterError' });
    expect((error as Error).message).toMatch(/tau_m = 100000/);
  });

  it('sweeps: a bad grid path is a 400 naming it; a good one runs one job per point', async () => {
    const client = new JobsHttpClient({ server: server.url, token });
    const bad = await client.submitSweep(tinyExperiment(), ['populations[5].parameters.tau_m=5,10']).catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 400, errorName: 'SweepGridError', details: { path: 'populations[5].parameters.tau_m' } });
    const sweep = await client.submitSweep(tinyExperiment(), ['populations[1].cellParams.tau_m=5,10,20']);
    expect(sweep.points.map((p) => p.assignments)).toEqual([5, 10, 20].map((v) => ({ 'populations[1].cellParams.tau_m': v })));
    let progress = await client.sweepProgress(sweep.id);
    while (progress.completed + progress.failed < 3) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      progress = await client.sweepProgress(sweep.id);
    }
    expect(progress).toMatchObject({ id: sweep.id, experiment: 'tiny', total: 3, completed: 3, failed: 0 });
  });

  it('GET /metrics serves the given text (behind the token)', async () => {
    const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('bss2_queue_depth 0\n');
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
  });
});
