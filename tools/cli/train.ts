// `bss2 train yinyang`: trains @bss2/spiking's Yin-Yang classifier (hardware.md §11.2) on the simulated chip
// (hardware in the loop) or in mock mode, with a progress bar per epoch, a line per epoch and an SVG of the loss
// and test accuracy per epoch (drawn by @bss2/pynn's plotting module, as `bss2 calibrate` and `bss2 run` draw
// theirs).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calibrateLIFCached, defaultCachePaths } from '@bss2/calibration/node';
import type { CalibrationProvider } from '@bss2/execution';
import { categoricalColour, svgFigure } from '@bss2/pynn';
import { type EpochReport, type Experiment, type ExperimentOptions, YIN_YANG_SPLITS, initTensorBackend, trainYinYang } from '@bss2/spiking';
import { Presets, SingleBar } from 'cli-progress';

export interface TrainYinYangCommandOptions {
  /** Software only: no chip, no calibration. */
  readonly mock: boolean;
  readonly epochs: number;
  /** Default: the whole training set (5,000) and test set (1,000). */
  readonly trainSamples?: number;
  readonly testSamples?: number;
  readonly batchSize?: number;
  /** Weight initialisation and the other training randomness. */
  readonly seed?: number;
  /** The simulated chip (ignored in mock mode; the CLI rejects it there). */
  readonly chipSeed: number;
  /** `calibrate`: measured, through the disk cache of `bss2 calibrate`; `nominal`: the transfer functions only. */
  readonly calibration: 'calibrate' | 'nominal';
  /** Directory of yinyang-training.svg (created if missing). */
  readonly out: string;
}

const PLOT_FILE = 'yinyang-training.svg';

/** The largest sample counts the flags accept: the sizes of the reference splits. */
const MAX_TRAIN_SAMPLES = YIN_YANG_SPLITS.train.size;
const MAX_TEST_SAMPLES = YIN_YANG_SPLITS.test.size;

/** A sample count or batch size beyond the data set, as a usage message; the library would clamp it silently. */
export function sampleCountIssue(options: TrainYinYangCommandOptions): string | undefined {
  const limits = [
    ['--train-samples', options.trainSamples, MAX_TRAIN_SAMPLES, 'the size of the training set'],
    ['--test-samples', options.testSamples, MAX_TEST_SAMPLES, 'the size of the test set'],
    ['--batch-size', options.batchSize, options.trainSamples ?? MAX_TRAIN_SAMPLES, 'the training samples per epoch'],
  ] as const;
  for (const [flag, value, max, what] of limits) {
    if (value !== undefined && value > max) return `option '${flag} <n>' argument '${value}' is invalid. It must be at most ${max}, ${what}.`;
  }
  return undefined;
}

const percent = (fraction: number) => `${(100 * fraction).toFixed(1)} %`;

/** Where the network runs: `mock mode` or the chip and its calibration. */
function runsOn(options: TrainYinYangCommandOptions): string {
  return options.mock ? 'mock mode' : `simulated chip seed ${options.chipSeed}, calibration ${options.calibration}`;
}

function describeRun(options: TrainYinYangCommandOptions): string {
  const samples = `${options.trainSamples ?? MAX_TRAIN_SAMPLES} training / ${options.testSamples ?? MAX_TEST_SAMPLES} test samples`;
  return `Yin-Yang classifier (${runsOn(options)}): ${options.epochs} epoch(s), ${samples}`;
}

function epochLine(report: EpochReport, epochs: number): string {
  return `epoch ${report.epoch + 1}/${epochs}: loss ${report.loss.toFixed(4)}, train accuracy ${percent(report.trainAccuracy)}, test accuracy ${percent(report.testAccuracy)}, ${report.wall_s.toFixed(1)} s`;
}

/** Loss and test accuracy per epoch, one line panel each (different units), epochs counted from 1. */
function trainingSvg(reports: readonly EpochReport[], title: string): string {
  const epoch = reports.map((r) => r.epoch + 1);
  return svgFigure({
    title,
    panels: [
      { kind: 'line', title: 'training loss', xLabel: 'epoch', yLabel: 'cross-entropy', series: [{ label: 'loss', x: epoch, y: reports.map((r) => r.loss), colour: categoricalColour(0) }] },
      {
        kind: 'line',
        title: 'test accuracy',
        xLabel: 'epoch',
        yLabel: 'fraction correct',
        yDomain: [0, 1],
        series: [{ label: 'test accuracy', x: epoch, y: reports.map((r) => r.testAccuracy), colour: categoricalColour(1) }],
      },
    ],
  });
}

/** Exit codes: 0 trained, 1 training failed (flag errors are commander's usage errors). */
const EXIT_FAILED = 1;

export async function trainYinYangCommand(options: TrainYinYangCommandOptions): Promise<number> {
  console.log(describeRun(options));
  const bar = new SingleBar({ format: 'epoch {epoch} [{bar}] {value}/{total} batches | running loss {loss} | {step}', hideCursor: true }, Presets.shades_classic);
  const startBar = (epoch: number, total: number) => bar.start(total, 0, { epoch: `${epoch + 1}/${options.epochs}`, loss: '–', step: 'training' });
  // Measured calibrations go through the disk cache (hardware.md §9.4), as for `bss2 run`: the next run on the
  // same chip starts at once.
  const cached: CalibrationProvider = async (connection, target) => {
    const { result } = await calibrateLIFCached(connection, target, { onProgress: (step) => bar.update({ step: `calibrating: ${step}` }) }, { paths: defaultCachePaths() });
    return result;
  };
  const experimentOptions: ExperimentOptions = options.mock ? { mock: true } : { mock: false, chip: { seed: options.chipSeed }, calibration: options.calibration === 'calibrate' ? cached : 'nominal' };
  let experiment: Experiment | undefined;
  try {
    const backend = await initTensorBackend();
    // The number of batches is the library's to decide (its default batch size); the bar learns it from the first.
    startBar(0, 1);
    // Sum of this epoch's batch losses: the bar shows their running mean.
    let epochLoss = 0;
    const result = await trainYinYang(experimentOptions, {
      epochs: options.epochs,
      ...(options.trainSamples === undefined ? {} : { trainSamples: options.trainSamples }),
      ...(options.testSamples === undefined ? {} : { testSamples: options.testSamples }),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      onBatch: ({ batch, batches, loss }) => {
        epochLoss = (batch === 0 ? 0 : epochLoss) + loss;
        bar.setTotal(batches);
        bar.update(batch + 1, { loss: (epochLoss / (batch + 1)).toFixed(4), step: batch + 1 === batches ? 'testing' : 'training' });
      },
      onEpoch: (report) => {
        bar.stop();
        console.log(epochLine(report, options.epochs));
        if (report.epoch + 1 < options.epochs) startBar(report.epoch + 1, bar.getTotal());
      },
    });
    experiment = result.experiment;
    mkdirSync(options.out, { recursive: true });
    const plot = join(options.out, PLOT_FILE);
    writeFileSync(plot, trainingSvg(result.epochs, `Yin-Yang classifier (${runsOn(options)}): loss and test accuracy per epoch`));
    const total_s = result.epochs.reduce((sum, r) => sum + r.wall_s, 0);
    console.log(`test accuracy ${percent(result.testAccuracy)} after ${result.epochs.length} epoch(s), ${total_s.toFixed(1)} s (tfjs backend ${backend})`);
    console.log(`plot: ${plot}`);
    return 0;
  } catch (error) {
    bar.stop();
    // The message alone: the tfjs wasm module rethrows uncaught errors with its whole minified source attached.
    console.error(`bss2 train yinyang: ${(error as Error).name}: ${(error as Error).message}`);
    return EXIT_FAILED;
  } finally {
    bar.stop();
    await experiment?.close();
  }
}
