// `bss2 run exp.json`: reads an experiment file, checks it (issues by JSON path, exit 2), runs it on the
// simulated chip through @bss2/pynn with a progress bar, writes results.json, raster.svg and traces.svg (when
// analog variables were recorded) and prints spike counts and rates per population.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { calibrateLIFCached, defaultCachePaths } from '@bss2/calibration/node';
import { type CalibrationProvider, type Experiment, ExperimentError, type ExperimentResults, parseExperiment, rasterPlot, resultsToJSON, runExperiment, tracePlot } from '@bss2/pynn';
import { Presets, SingleBar } from 'cli-progress';
import Table from 'cli-table3';

export interface RunCommandOptions {
  /** The experiment file (JSON). */
  readonly file: string;
  /** Directory for results.json, raster.svg, traces.svg (created if missing). */
  readonly out: string;
  /** Overrides the file's `setup.calibration`. */
  readonly calibration?: 'nominal' | 'calibrate';
  /** Overrides the file's `setup.seed` (Poisson sources, random connectors). */
  readonly seed?: number;
  /** Overrides the file's `setup.chipSeed`. */
  readonly chipSeed?: number;
}

/** Exit codes: 0 done, 1 the run failed, 2 the file is unreadable or invalid. */
export const EXIT_INVALID = 2;
export const EXIT_FAILED = 1;

/** The experiment file checked (issues by JSON path), or the message saying why it cannot be used. */
export function readExperiment(file: string): Experiment | string {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return `${file}: ${(error as Error).message}`;
  }
  try {
    return parseExperiment(json, file);
  } catch (error) {
    if (error instanceof ExperimentError) return error.message;
    throw error;
  }
}

const round = (x: number, digits: number) => x.toFixed(digits);

/** Per segment and population that recorded spikes: neurons, spikes, mean rate (Hz). */
export function summaryTable(results: ExperimentResults): string {
  // One line per row, no colours: the output is read by people and by grep alike.
  const table = new Table({
    head: ['segment', 'population', 'cell type', 'neurons', 'spikes', 'rate (Hz)', 'traces'],
    colAligns: ['right', 'left', 'left', 'right', 'right', 'right', 'right'],
    style: { compact: true, head: [], border: [] },
  });
  for (const segment of results.segments) {
    const duration_s = (segment.t_stop - segment.t_start) / 1000;
    for (const population of results.populations) {
      const recorded = segment.populations[population.label];
      if (recorded === undefined) continue;
      const spikes = recorded.spikes?.reduce((sum, train) => sum + train.length, 0);
      const rate = spikes === undefined || duration_s <= 0 ? '–' : round(spikes / population.size / duration_s, 1);
      table.push([segment.index, population.label, population.cellType, population.size, spikes ?? '–', rate, recorded.signals.length]);
    }
  }
  return table.toString();
}

export async function runCommand(options: RunCommandOptions): Promise<number> {
  const parsed = readExperiment(options.file);
  if (typeof parsed === 'string') {
    console.error(parsed);
    return EXIT_INVALID;
  }
  const experiment: Experiment = {
    ...parsed,
    name: parsed.name ?? basename(options.file, extname(options.file)),
    setup: {
      ...parsed.setup,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.chipSeed === undefined ? {} : { chipSeed: options.chipSeed }),
    },
  };
  const mode = options.calibration ?? experiment.setup.calibration ?? 'calibrate';
  const bar = new SingleBar({ format: 'bss2 run [{bar}] {percentage}% | {step}', hideCursor: true }, Presets.shades_classic);
  bar.start(100, 0, { step: 'starting' });
  let fraction = 0;
  // Measured calibrations go through the disk cache (hardware.md §9.4): a second run of the same chip and
  // parameters starts at once.
  const cached: CalibrationProvider = async (connection, target) => {
    const { result } = await calibrateLIFCached(connection, target, { onProgress: (step) => bar.update(Math.round(100 * fraction), { step: `calibrating: ${step}` }) }, { paths: defaultCachePaths() });
    return result;
  };
  let results: ExperimentResults;
  try {
    results = await runExperiment(experiment, {
      calibration: mode === 'calibrate' ? cached : 'nominal',
      onProgress: (step, done) => {
        fraction = done;
        bar.update(Math.round(100 * done), { step });
      },
    });
    bar.update(100, { step: 'done' });
  } catch (error) {
    bar.stop();
    console.error(`${options.file}: ${(error as Error).name}: ${(error as Error).message}`);
    return EXIT_FAILED;
  } finally {
    bar.stop();
  }

  writeResults(results, options.out, mode);
  return 0;
}

/**
 * Writes results.json, raster.svg and traces.svg (when analog variables were recorded) to `out` (created if
 * missing) and prints the summary: what `bss2 run` does with a run's results, and `bss2 submit` with a job's.
 */
export function writeResults(results: ExperimentResults, out: string, mode: string, print = true): string[] {
  mkdirSync(out, { recursive: true });
  const written = [join(out, 'results.json'), join(out, 'raster.svg')];
  writeFileSync(written[0]!, resultsToJSON(results));
  writeFileSync(written[1]!, rasterPlot(results));
  const traces = tracePlot(results);
  if (traces !== undefined) {
    written.push(join(out, 'traces.svg'));
    writeFileSync(written[2]!, traces);
  }
  if (print) {
    console.log(`${results.experiment}: ${results.segments.length} segment(s), calibration ${mode}, ${round(results.durations.total_s, 1)} s`);
    console.log(summaryTable(results));
    console.log(`written: ${written.join(', ')}`);
  }
  return written;
}
