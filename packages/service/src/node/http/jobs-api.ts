// The HTTP API of batch jobs and sweeps (hono): submit an experiment file or a sweep, follow it, fetch its
// results. Every route but /health needs `Authorization: Bearer <token>` (a service token, verifyToken); every
// error is JSON `{ error: <typed error name>, message }` with the status that fits.
import { ExperimentError } from '@bss2/pynn';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AuthenticationError, type ServicePublicKey, verifyToken } from '../../auth.js';
import { JobError, JobNotFoundError, JobOptionError, SweepGridError } from '../jobs/errors.js';
import type { ExperimentQueue } from '../jobs/experiment-queue.js';
import { type GridAxis, parseGridSpec } from '../jobs/sweep.js';

/** Default request body limit: an experiment file is a few kB; the pynn file limit is far above any real one. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface JobsApiOptions {
  readonly queue: ExperimentQueue;
  /** The service's public key: tokens it signed are accepted. */
  readonly publicKey: ServicePublicKey;
  /** Requests with larger bodies are refused with 413 before they are read whole (default DEFAULT_MAX_BODY_BYTES). */
  readonly maxBodyBytes?: number;
  /** Prometheus text for GET /metrics (e.g. the interactive service's metricsText); absent: 404. */
  readonly metrics?: () => string;
}

type Status = 400 | 401 | 404 | 409 | 413 | 422 | 500 | 503;

function errorResponse(c: Context, status: Status, name: string, message: string, extra: Record<string, unknown> = {}) {
  return c.json({ error: name, message, ...extra }, status);
}

async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new RequestBodyError(`the request body is not JSON: ${(error as Error).message}`);
  }
}

/** A request body that is not what the route takes. */
export class RequestBodyError extends JobError {
  override name = 'RequestBodyError';
}

/** A sweep request's grid: `path=v1,v2` strings or `{ path, values }` objects. */
function gridOf(value: unknown): GridAxis[] {
  if (!Array.isArray(value)) throw new RequestBodyError("'grid' must be an array of 'path=v1,v2,…' strings or { path, values } objects");
  return value.map((axis: unknown, k) => {
    if (typeof axis === 'string') return parseGridSpec(axis);
    const entry = axis as { path?: unknown; values?: unknown } | null;
    if (typeof entry === 'object' && entry !== null && typeof entry.path === 'string' && Array.isArray(entry.values)) return { path: entry.path, values: entry.values };
    throw new RequestBodyError(`grid[${k}] must be a 'path=v1,v2,…' string or { path, values }`);
  });
}

/** The hono app of the jobs API (serve it with serveJobsApi, or mount it in another app). */
export function createJobsApi(options: JobsApiOptions): Hono<{ Variables: { user: string } }> {
  const { queue, publicKey } = options;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!(Number.isInteger(maxBodyBytes) && maxBodyBytes > 0)) throw new JobOptionError(`maxBodyBytes must be a positive integer, got ${maxBodyBytes}`);
  const app = new Hono<{ Variables: { user: string } }>();

  app.onError((error, c) => {
    if (error instanceof ExperimentError) return errorResponse(c, 400, error.name, error.message, { issues: error.issues });
    if (error instanceof SweepGridError) return errorResponse(c, 400, error.name, error.message, { path: error.path });
    if (error instanceof RequestBodyError) return errorResponse(c, 400, error.name, error.message);
    if (error instanceof JobNotFoundError) return errorResponse(c, 404, error.name, error.message);
    if (error instanceof AuthenticationError) return errorResponse(c, 401, error.name, error.message);
    return errorResponse(c, 500, error.name, error.message);
  });
  app.notFound((c) => errorResponse(c, 404, 'NotFound', `no route ${c.req.method} ${c.req.path}; routes: POST /experiments, GET /experiments/:id, GET /experiments/:id/results, POST /sweeps, GET /sweeps/:id, GET /health, GET /metrics`));

  app.get('/health', async (c) => {
    try {
      await Promise.race([queue.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 2 s')), 2000).unref())]);
      return c.json({ status: 'ok', redis: 'ok' });
    } catch (error) {
      return errorResponse(c, 503, 'RedisUnavailable', `Redis does not answer: ${(error as Error).message}`);
    }
  });

  // Authentication before anything is read or queued.
  app.use('*', async (c, next) => {
    const header = c.req.header('authorization');
    const token = header === undefined ? undefined : /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (header !== undefined && token === undefined) throw new AuthenticationError("HTTP Authorization header: expected 'Bearer <token>'");
    const { user } = await verifyToken(publicKey, token, 'HTTP Authorization header');
    c.set('user', user);
    await next();
  });
  app.use(
    '*',
    bodyLimit({ maxSize: maxBodyBytes, onError: (c) => errorResponse(c, 413, 'PayloadTooLarge', `the request body exceeds ${maxBodyBytes} bytes`) }),
  );

  app.get('/metrics', (c) => {
    if (options.metrics === undefined) return errorResponse(c, 404, 'NotFound', 'this server has no metrics');
    return c.text(options.metrics(), 200, { 'content-type': 'text/plain; version=0.0.4' });
  });

  app.post('/experiments', async (c) => {
    const name = c.req.query('name');
    const id = await queue.submitExperiment(await jsonBody(c), { source: `POST /experiments by ${c.get('user')}`, ...(name === undefined ? {} : { defaultName: name }) });
    return c.json({ id }, 201);
  });

  app.get('/experiments/:id', async (c) => c.json(await queue.getJobStatus(c.req.param('id'))));

  app.get('/experiments/:id/results', async (c) => {
    const id = c.req.param('id');
    const results = await queue.getResult(id);
    if (results !== undefined) return c.body(results, 200, { 'content-type': 'application/json' });
    const status = await queue.getJobStatus(id);
    if (status.state === 'failed') return errorResponse(c, 422, status.failure!.name, status.failure!.message, { id });
    return errorResponse(c, 409, 'ResultNotReady', `job '${id}' is ${status.state}; its results are not there yet`, { state: status.state });
  });

  app.post('/sweeps', async (c) => {
    const body = (await jsonBody(c)) as { experiment?: unknown; grid?: unknown; name?: unknown } | null;
    if (typeof body !== 'object' || body === null || body.experiment === undefined) throw new RequestBodyError("a sweep request is { experiment, grid: ['path=v1,v2', …] }");
    const sweep = await queue.submitSweep(body.experiment, gridOf(body.grid), {
      source: `POST /sweeps by ${c.get('user')}`,
      ...(typeof body.name === 'string' ? { defaultName: body.name } : {}),
    });
    return c.json(sweep, 201);
  });

  app.get('/sweeps/:id', async (c) => c.json(await queue.sweepProgress(c.req.param('id'))));

  return app;
}
