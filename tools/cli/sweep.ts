// `bss2 sweep exp.json --grid 'populations[0].cellParams.tau_m=5,10,20' [--grid …]`: every point of the grid
// checked first (exit 2 naming the grid path), then either one job per point through the jobs API (a progress
// bar; results per point in point-N/, summary.json, a summary table and summary.svg) or, with --slurm, the point
// files and an sbatch job array that runs `bss2 run` on each.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExperimentError, type ExperimentResults, type LineSeries, categoricalColour, svgFigure } from '@bss2/pynn';
import { type GridAxis, JobsHttpClient, SweepGridError, type SweepProgress, parseGridSpec, sweepPoints } from '@bss2/service/node';
import { Presets, SingleBar } from 'cli-progress';
import Table from 'cli-table3';
import { EXIT_FAILED, EXIT_INVALID, readExperiment, writeResults } from './run.js';
import { describeApiError, serviceToken } from './submit.js';

export interface SweepCommandOptions {
  readonly file: string;
  /** `path=v1,v2,…`, one per axis (cartesian product, first axis outermost). */
  readonly grid: readonly string[];
  readonly out: string;
  readonly server?: string;
  readonly token?: string;
  /** Write point files and an sbatch job array instead of enqueueing. */
  readonly slurm?: boolean;
  /** The bss2 command the array tasks run (default: this checkout's, through its tsx). */
  readonly bss2Command?: string;
}

/** Per population of one point: spikes over all segments and the mean rate per neuron. */
interface PopulationFigures {
  readonly label: string;
  readonly spikes: number;
  readonly rate_hz: number;
}

interface PointSummary {
  readonly index: number;
  readonly assignments: Readonly<Record<string, unknown>>;
  readonly jobId?: string;
  readonly state: 'completed' | 'failed' | 'pending';
  readonly folder?: string;
  readonly failure?: { readonly name: string; readonly message: string };
  readonly populations?: readonly PopulationFigures[];
}

/** Spike counts and mean rates of the populations that recorded spikes. */
export function populationFigures(results: ExperimentResults): PopulationFigures[] {
  const duration_s = results.segments.reduce((sum, s) => sum + (s.t_stop - s.t_start), 0) / 1000;
  return results.populations.flatMap((population) => {
    const trains = results.segments.map((s) => s.populations[population.label]?.spikes);
    if (trains.every((t) => t === undefined)) return [];
    const spikes = trains.reduce((sum, t) => sum + (t?.reduce((n, train) => n + train.length, 0) ?? 0), 0);
    return [{ label: population.label, spikes, rate_hz: duration_s > 0 ? spikes / population.size / duration_s : 0 }];
  });
}

/** Mean rate per population against the first axis (when numeric) or the point index. */
export function summaryPlot(experiment: string, grid: readonly GridAxis[], points: readonly PointSummary[]): string {
  const numericAxis = grid.length === 1 && grid[0]!.values.every((v) => typeof v === 'number');
  const xOf = (point: PointSummary) => (numericAxis ? (point.assignments[grid[0]!.path] as number) : point.index);
  const labels = [...new Set(points.flatMap((p) => (p.populations ?? []).map((f) => f.label)))];
  const series: LineSeries[] = labels.map((label, k) => {
    const done = points.filter((p) => p.populations?.some((f) => f.label === label));
    return { label, x: done.map(xOf), y: done.map((p) => p.populations!.find((f) => f.label === label)!.rate_hz), colour: categoricalColour(k) };
  });
  return svgFigure({
    title: `${experiment}: sweep of ${grid.map((a) => a.path).join(' × ')}`,
    panels: [{ kind: 'line', xLabel: numericAxis ? grid[0]!.path : 'sweep point', yLabel: 'mean rate (Hz)', series }],
  });
}

function summaryTable(grid: readonly GridAxis[], points: readonly PointSummary[]): string {
  const labels = [...new Set(points.flatMap((p) => (p.populations ?? []).map((f) => f.label)))];
  const table = new Table({
    head: ['point', ...grid.map((a) => a.path), 'state', ...labels.flatMap((l) => [`${l} spikes`, `${l} rate (Hz)`])],
    style: { compact: true, head: [], border: [] },
  });
  for (const point of points) {
    const figures = labels.flatMap((label) => {
      const f = point.populations?.find((p) => p.label === label);
      return f === undefined ? ['–', '–'] : [f.spikes, f.rate_hz.toFixed(1)];
    });
    table.push([point.index, ...grid.map((a) => JSON.stringify(point.assignments[a.path])), point.state, ...figures]);
  }
  return table.toString();
}

/** The command an array task runs: this checkout's CLI through its tsx, unless given. */
function defaultBss2Command(): string {
  const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
  const cli = fileURLToPath(new URL('./bss2.ts', import.meta.url));
  return `${JSON.stringify(tsx)} ${JSON.stringify(cli)}`;
}

/** Point files and sweep.sbatch: one array task per point, each `bss2 run point-N.json --out point-N`. */
export function writeSlurmSweep(out: string, name: string, points: readonly { index: number; experiment: unknown }[], bss2Command: string): string {
  mkdirSync(out, { recursive: true });
  for (const point of points) writeFileSync(join(out, `point-${point.index}.json`), `${JSON.stringify(point.experiment, null, 2)}\n`);
  const script = join(out, 'sweep.sbatch');
  const dir = resolve(out);
  writeFileSync(
    script,
    [
      '#!/bin/bash',
      `#SBATCH --job-name=${name.replace(/[^\w.-]/g, '_')}`,
      `#SBATCH --array=0-${points.length - 1}`,
      `#SBATCH --chdir=${dir}`,
      '#SBATCH --output=point-%a.log',
      '#SBATCH --ntasks=1',
      '# One array task per sweep point (bss2 sweep --slurm); each runs the point file on a simulated chip.',
      'set -euo pipefail',
      `${bss2Command} run "point-\${SLURM_ARRAY_TASK_ID}.json" --out "point-\${SLURM_ARRAY_TASK_ID}"`,
      '',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
  return script;
}

export async function sweepCommand(options: SweepCommandOptions): Promise<number> {
  const checked = readExperiment(options.file);
  if (typeof checked === 'string') {
    console.error(checked);
    return EXIT_INVALID;
  }
  const json = JSON.parse(readFileSync(options.file, 'utf8')) as unknown;
  const defaultName = basename(options.file, extname(options.file));
  let grid: GridAxis[];
  let points: ReturnType<typeof sweepPoints>;
  try {
    grid = options.grid.map(parseGridSpec);
    points = sweepPoints(json, grid, options.file, defaultName);
  } catch (error) {
    if (error instanceof SweepGridError || error instanceof ExperimentError) {
      console.error(`${options.file}: ${error.name}: ${error.message}`);
      return EXIT_INVALID;
    }
    throw error;
  }
  const name = checked.name ?? defaultName;

  if (options.slurm === true) {
    const script = writeSlurmSweep(options.out, name, points, options.bss2Command ?? defaultBss2Command());
    console.log(`${name}: ${points.length} point file(s) and ${script}; submit with: sbatch ${script}`);
    return 0;
  }
  if (options.server === undefined) {
    console.error('bss2 sweep: give --server http://host:port (a running service) or --slurm');
    return EXIT_INVALID;
  }

  const token = serviceToken(options.token);
  const client = new JobsHttpClient({ server: options.server, ...(token === undefined ? {} : { token }) });
  const bar = new SingleBar({ format: 'bss2 sweep [{bar}] {value}/{total} points | {failed} failed', hideCursor: true }, Presets.shades_classic);
  let progress: SweepProgress;
  try {
    const sweep = await client.submitSweep(json, options.grid, defaultName);
    console.error(`${options.file}: sweep ${sweep.id}, ${sweep.points.length} point(s) enqueued`);
    bar.start(sweep.points.length, 0, { failed: 0 });
    for (;;) {
      progress = await client.sweepProgress(sweep.id);
      bar.update(progress.completed + progress.failed, { failed: progress.failed });
      if (progress.completed + progress.failed === progress.total) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (error) {
    bar.stop();
    console.error(`${options.file}: ${describeApiError(error)}`);
    return EXIT_FAILED;
  }
  bar.stop();

  mkdirSync(options.out, { recursive: true });
  const summaries: PointSummary[] = [];
  for (const point of progress.points) {
    if (point.state !== 'completed') {
      summaries.push({ index: point.index, assignments: point.assignments, jobId: point.jobId, state: point.state, ...(point.failure === undefined ? {} : { failure: point.failure }) });
      continue;
    }
    const results = JSON.parse(await client.getResult(point.jobId)) as ExperimentResults;
    const folder = join(options.out, `point-${point.index}`);
    writeResults(results, folder, results.setup.calibration ?? 'calibrate', false);
    summaries.push({ index: point.index, assignments: point.assignments, jobId: point.jobId, state: 'completed', folder, populations: populationFigures(results) });
  }
  writeFileSync(join(options.out, 'summary.json'), `${JSON.stringify({ experiment: name, sweep: progress.id, grid, points: summaries }, null, 2)}\n`);
  writeFileSync(join(options.out, 'summary.svg'), summaryPlot(name, grid, summaries));
  console.log(`${name}: ${progress.completed} of ${progress.total} point(s) completed, ${progress.failed} failed`);
  console.log(summaryTable(grid, summaries));
  for (const failed of summaries.filter((s) => s.failure !== undefined)) console.error(`point ${failed.index}: ${failed.failure!.name}: ${failed.failure!.message}`);
  console.log(`written: ${join(options.out, 'summary.json')}, ${join(options.out, 'summary.svg')}, ${summaries.filter((s) => s.folder !== undefined).length} point folder(s)`);
  return progress.failed === 0 ? 0 : EXIT_FAILED;
}
