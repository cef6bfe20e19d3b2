// `bss2 submit exp.json --server URL`: checks the file (issues by JSON path, exit 2), submits it to the jobs
// API of a running service, waits for a chip worker to run it and writes the results exactly as `bss2 run`
// does (results.json, raster.svg, traces.svg, the summary).
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { ExperimentResults } from '@bss2/pynn';
import { JobsApiError, JobsHttpClient } from '@bss2/service/node';
import { EXIT_FAILED, EXIT_INVALID, readExperiment, writeResults } from './run.js';

export interface SubmitCommandOptions {
  readonly file: string;
  /** http://host:port of the jobs API. */
  readonly server: string;
  /** A service token; default: $BSS2_SERVICE_TOKEN. */
  readonly token?: string;
  readonly out: string;
}

/** The token from the option or the environment (BSS2_SERVICE_TOKEN); undefined lets the server say it is missing. */
export function serviceToken(token: string | undefined): string | undefined {
  const fromEnv = process.env.BSS2_SERVICE_TOKEN;
  return token ?? (fromEnv === undefined || fromEnv === '' ? undefined : fromEnv);
}

/** How a jobs API error reads on the terminal: the server's error name and message (issues included). */
export function describeApiError(error: unknown): string {
  if (error instanceof JobsApiError) return `${error.errorName} (HTTP ${error.status}): ${error.message}`;
  return `${(error as Error).name}: ${(error as Error).message}`;
}

export async function submitCommand(options: SubmitCommandOptions): Promise<number> {
  const checked = readExperiment(options.file);
  if (typeof checked === 'string') {
    console.error(checked);
    return EXIT_INVALID;
  }
  const json = JSON.parse(readFileSync(options.file, 'utf8')) as unknown;
  const token = serviceToken(options.token);
  const client = new JobsHttpClient({ server: options.server, ...(token === undefined ? {} : { token }) });
  let resultsText: string;
  try {
    const id = await client.submitExperiment(json, basename(options.file, extname(options.file)));
    console.error(`${options.file}: submitted as ${id}`);
    let last = '';
    resultsText = await client.waitForResult(id, 200, (status) => {
      if (status.state !== last) console.error(`${id}: ${status.state}${status.runs > 1 ? ` (run ${status.runs})` : ''}`);
      last = status.state;
    });
  } catch (error) {
    console.error(`${options.file}: ${describeApiError(error)}`);
    return error instanceof JobsApiError && error.status === 400 ? EXIT_INVALID : EXIT_FAILED;
  }
  const results = JSON.parse(resultsText) as ExperimentResults;
  writeResults(results, options.out, results.setup.calibration ?? 'calibrate');
  return 0;
}
