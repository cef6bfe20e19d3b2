// `spiking.yinyang.*`: the Yin-Yang classifier (hardware.md §11.2) trained by `trainYinYang`, in mock mode and
// with the simulated chip in the loop (chip seed 1 with its fixed-pattern variation, measured calibration):
// full 5,000-sample epochs, test accuracy on all 1,000 test samples, mean and spread over training seeds 1..n.
// `epoch_s` is the wall time of a 5,000-sample training epoch on the chip (test evaluation excluded): the mean
// time of a batch times the batches of such an epoch. A batch's time runs from the previous batch's end to its
// own, so each epoch's first batch (after the last epoch's evaluation, and the first one's calibration) is left
// out.
//
// The chip figures train as users of the reference do with scarce chip time: a mock pre-training
// (--pretrain-epochs, default 10), then hardware in the loop from those weights (--chip-epochs, default 3,
// learning rate 0.001); the accuracy is the chip's on the test set after that.
//
// Options (`pnpm bench spiking [options]`): --epochs N (mock, default 20), --chip-epochs N, --pretrain-epochs N,
// --seeds N (default 3), --quick (2 mock / 1 + 1 chip epochs of 200 samples, 100 test samples, one seed unless
// --seeds: a smoke run, not a figure). The chip benchmark takes hours on a 2-core machine;
// `pnpm bench spiking.yinyang.mock` runs the mock one alone.
import { parseArgs } from 'node:util';
import { type BenchRecord, type Benchmark, median } from '@bss2/bench';
import { type EpochReport, type ExperimentOptions, YIN_YANG_SPLITS, initTensorBackend, trainYinYang } from '../src/index.js';

/** Pinned rather than the library's default, so figures stay comparable when the default changes. */
const BATCH_SIZE = 50;
const CHIP_SEED = 1;
const FULL_EPOCH_SAMPLES = YIN_YANG_SPLITS.train.size;

interface Settings {
  readonly epochs: number;
  /** Hardware in the loop: mock pre-training epochs, then epochs with the chip (chip time is the scarce part). */
  readonly chipEpochs: number;
  readonly pretrainEpochs: number;
  readonly seeds: number;
  readonly trainSamples: number;
  readonly testSamples: number;
  readonly quick: boolean;
}

function wholeNumber(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new RangeError(`spiking bench: ${flag} takes a whole number ≥ 1, got '${value}'`);
  return Number(value);
}

function settings(options: readonly string[]): Settings {
  const { values } = parseArgs({
    args: [...options],
    options: { epochs: { type: 'string' }, 'chip-epochs': { type: 'string' }, 'pretrain-epochs': { type: 'string' }, seeds: { type: 'string' }, quick: { type: 'boolean' } },
    strict: true,
  });
  const quick = values.quick === true;
  return {
    epochs: wholeNumber('--epochs', values.epochs, quick ? 2 : 20),
    chipEpochs: wholeNumber('--chip-epochs', values['chip-epochs'], quick ? 1 : 3),
    pretrainEpochs: wholeNumber('--pretrain-epochs', values['pretrain-epochs'], quick ? 1 : 10),
    seeds: wholeNumber('--seeds', values.seeds, quick ? 1 : 3),
    trainSamples: quick ? 200 : FULL_EPOCH_SAMPLES,
    testSamples: quick ? 100 : YIN_YANG_SPLITS.test.size,
    quick,
  };
}

interface SeedRun {
  readonly seed: number;
  readonly epochs: readonly EpochReport[];
  readonly testAccuracy: number;
  /** Wall seconds of every batch but each epoch's first. */
  readonly batch_s: readonly number[];
}

async function trainSeed(experiment: ExperimentOptions, seed: number, s: Settings): Promise<SeedRun> {
  const batch_s: number[] = [];
  let lastBatchEnd = 0;
  const chip = experiment.mock !== true;
  const pretrained = chip ? await trainYinYang({ mock: true }, { epochs: s.pretrainEpochs, batchSize: BATCH_SIZE, trainSamples: s.trainSamples, testSamples: s.testSamples, seed }) : undefined;
  const result = await trainYinYang(experiment, {
    ...(pretrained === undefined ? {} : { startFrom: pretrained, learningRate: 0.001 }),
    epochs: chip ? s.chipEpochs : s.epochs,
    batchSize: BATCH_SIZE,
    trainSamples: s.trainSamples,
    testSamples: s.testSamples,
    seed,
    onBatch: ({ batch }) => {
      const now = performance.now();
      if (batch > 0) batch_s.push((now - lastBatchEnd) / 1000);
      lastBatchEnd = now;
    },
  });
  await result.experiment.close();
  await pretrained?.experiment.close();
  return { seed, epochs: result.epochs, testAccuracy: result.testAccuracy, batch_s };
}

async function trainSeeds(experiment: ExperimentOptions, s: Settings): Promise<SeedRun[]> {
  const runs: SeedRun[] = [];
  for (let seed = 1; seed <= s.seeds; seed++) runs.push(await trainSeed(experiment, seed, s));
  return runs;
}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** The spread of one figure per seed: sample standard deviation and range. */
function spread(values: readonly number[]) {
  const m = mean(values);
  const std = values.length > 1 ? Math.sqrt(values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1)) : 0;
  return { std: round(std), min: round(Math.min(...values)), max: round(Math.max(...values)), per_seed: values.map((v) => round(v)) };
}

function inputs(s: Settings, backend: string): Record<string, unknown> {
  return {
    epochs: s.epochs,
    seeds: Array.from({ length: s.seeds }, (_, k) => k + 1),
    train_samples: s.trainSamples,
    test_samples: s.testSamples,
    batch_size: BATCH_SIZE,
    tensor_backend: backend,
    quick: s.quick,
  };
}

function accuracyRecord(name: string, runs: readonly SeedRun[], recordInputs: Record<string, unknown>): BenchRecord {
  const accuracies = runs.map((r) => r.testAccuracy);
  return {
    name,
    value: round(mean(accuracies)),
    unit: 'fraction',
    inputs: recordInputs,
    ...spread(accuracies),
    train_accuracy: round(mean(runs.map((r) => r.epochs.at(-1)!.trainAccuracy))),
    final_loss: round(mean(runs.map((r) => r.epochs.at(-1)!.loss))),
  };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'spiking.yinyang.mock',
    async run(options): Promise<BenchRecord[]> {
      const s = settings(options);
      const backend = await initTensorBackend();
      const runs = await trainSeeds({ mock: true }, s);
      return [accuracyRecord('spiking.yinyang.mock_accuracy', runs, { mode: 'mock', ...inputs(s, backend) })];
    },
  },
  {
    name: 'spiking.yinyang.chip',
    async run(options): Promise<BenchRecord[]> {
      const s = settings(options);
      const backend = await initTensorBackend();
      const runs = await trainSeeds({ mock: false, chip: { seed: CHIP_SEED }, calibration: 'calibrate' }, s);
      const chipInputs = { mode: 'hardware in the loop', chip_seed: CHIP_SEED, calibration: 'calibrate', ...inputs(s, backend), epochs: s.chipEpochs, mock_pretraining_epochs: s.pretrainEpochs, learning_rate: 0.001 };
      const batchesPerEpoch = Math.ceil(FULL_EPOCH_SAMPLES / BATCH_SIZE);
      const epoch_s = runs.map((r) => mean(r.batch_s) * batchesPerEpoch);
      return [
        accuracyRecord('spiking.yinyang.accuracy', runs, chipInputs),
        {
          name: 'spiking.yinyang.epoch_s',
          value: round(median(epoch_s), 2),
          unit: 's',
          inputs: { ...chipInputs, epoch_samples: FULL_EPOCH_SAMPLES },
          per_seed: epoch_s.map((x) => round(x, 2)),
          batches_timed: runs.reduce((n, r) => n + r.batch_s.length, 0),
          // With evaluation of the test samples and, in the first epoch, calibration and the weight-scale probe.
          epoch_wall_s: round(median(runs.flatMap((r) => r.epochs.map((e) => e.wall_s))), 2),
        },
      ];
    },
  },
];
