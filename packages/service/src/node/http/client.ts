// A client of the jobs HTTP API (fetch): what `bss2 submit` and `bss2 sweep` use. Errors the server reports
// come back as JobsApiError with the server's typed error name, message and HTTP status.
import { JobError } from '../jobs/errors.js';
import type { JobStatus, SubmittedSweep, SweepProgress } from '../jobs/experiment-queue.js';

/** An error answer of the jobs API. */
export class JobsApiError extends JobError {
  override name = 'JobsApiError';
  constructor(
    readonly status: number,
    /** The server's error name (ExperimentError, AuthenticationError, SweepGridError, …). */
    readonly errorName: string,
    message: string,
    /** The rest of the answer (issues, path, …). */
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface JobsHttpClientOptions {
  /** http://host:port of the jobs API. */
  readonly server: string;
  /** A service token (`bss2 service token --user NAME`). */
  readonly token?: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class JobsHttpClient {
  private readonly base: string;

  constructor(private readonly options: JobsHttpClientOptions) {
    let url: URL;
    try {
      url = new URL(options.server);
    } catch {
      throw new JobError(`server '${options.server}' is not a URL; expected http://host:port`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new JobError(`server '${options.server}' must be http:// or https://`);
    this.base = url.href.replace(/\/$/, '');
  }

  private async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.options.token !== undefined) headers.authorization = `Bearer ${this.options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    } catch (error) {
      throw new JobError(`${method} ${this.base}${path}: ${(error as Error).message}${(error as { cause?: Error }).cause === undefined ? '' : ` (${(error as { cause: Error }).cause.message})`}`);
    }
    if (response.ok) return response;
    const text = await response.text();
    let answer: Record<string, unknown> = {};
    try {
      answer = JSON.parse(text) as Record<string, unknown>;
    } catch {
      answer = { error: 'HttpError', message: text.slice(0, 500) };
    }
    const { error, message, ...details } = answer;
    throw new JobsApiError(response.status, String(error ?? 'HttpError'), String(message ?? `HTTP ${response.status}`), details);
  }

  async submitExperiment(experiment: unknown, defaultName?: string): Promise<string> {
    const query = defaultName === undefined ? '' : `?name=${encodeURIComponent(defaultName)}`;
    return ((await (await this.request('POST', `/experiments${query}`, experiment)).json()) as { id: string }).id;
  }

  async getJobStatus(id: string): Promise<JobStatus> {
    return (await (await this.request('GET', `/experiments/${encodeURIComponent(id)}`)).json()) as JobStatus;
  }

  /** The results JSON text of a completed job (JobsApiError 409 while pending, 422 with the run's error when failed). */
  async getResult(id: string): Promise<string> {
    return (await this.request('GET', `/experiments/${encodeURIComponent(id)}/results`)).text();
  }

  /** Polls until the job is done: its results JSON text, or a JobsApiError (422) with the run's typed error. */
  async waitForResult(id: string, pollInterval_ms = 200, onStatus?: (status: JobStatus) => void): Promise<string> {
    for (;;) {
      const status = await this.getJobStatus(id);
      onStatus?.(status);
      if (status.state === 'completed' || status.state === 'failed') return this.getResult(id);
      await sleep(pollInterval_ms);
    }
  }

  async submitSweep(experiment: unknown, grid: readonly string[], defaultName?: string): Promise<SubmittedSweep> {
    return (await (await this.request('POST', '/sweeps', { experiment, grid, ...(defaultName === undefined ? {} : { name: defaultName }) })).json()) as SubmittedSweep;
  }

  async sweepProgress(id: string): Promise<SweepProgress> {
    return (await (await this.request('GET', `/sweeps/${encodeURIComponent(id)}`)).json()) as SweepProgress;
  }
}
