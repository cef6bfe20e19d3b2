// `perceptron.*`: the analog matrix multiply (hardware.md §11.2).
//
// `perceptron.matmul.macs_per_s`: one 128 × 256 pass (a full block of rows, a full pass of columns) on the simulated
// chip, behind execution's MacExecutor (bench/chip-device.ts), with seeded inputs 0..31 and weights −63..63:
// multiply-accumulates (batch · 128 · 256) per wall second, the best of --repeats calls after a warm-up call.
// `perceptron.matmul.mock_macs_per_s`: the same through the mock, for scale.
//
// `perceptron.yinyang.mock_accuracy`: the Yin-Yang MLP (trainYinYang's defaults: 5 → 128 → 3, numSends [60, 10])
// trained in mock mode (σ = 2) for --epochs on all 5,000 training samples, test accuracy on all 1,000 test
// samples, mean and spread over training seeds 1..--seeds. `perceptron.yinyang.accuracy`: the same model
// pretrained in mock mode, then fine-tuned with the simulated chip in the loop for --chip-epochs (learning rate
// 0.1, decay 0.93); the test accuracy is the chip's.
//
// Options (`pnpm bench perceptron [options]`): --batch N (vectors per pass, default 1), --repeats N (default 5),
// --epochs N (default 40), --chip-epochs N (default 2), --seeds N (default 3), --chip-seed N (default 1),
// --quick (2 / 1 epochs of 500 samples, 300 test samples, one seed: a smoke run, not a figure).
import { parseArgs } from 'node:util';
import { type BenchRecord, type Benchmark, seededUniform } from '@bss2/bench';
import {
  BLOCK_ROWS,
  type MacDevice,
  type MacRequest,
  PASS_COLUMNS,
  type PerceptronBackend,
  YIN_YANG_SPLITS,
  chipBackend,
  evaluateYinYang,
  initTensorBackend,
  mockBackend,
  trainYinYang,
  yinYang,
} from '../src/index.js';
import { createChipDevice } from './chip-device.js';

interface Settings {
  readonly batch: number;
  readonly repeats: number;
  readonly epochs: number;
  readonly chipEpochs: number;
  readonly seeds: number;
  readonly chipSeed: number;
  readonly trainSamples: number;
  readonly testSamples: number;
  readonly quick: boolean;
}

function wholeNumber(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new RangeError(`perceptron bench: ${flag} takes a whole number ≥ 1, got '${value}'`);
  return Number(value);
}

function settings(options: readonly string[]): Settings {
  const text = { type: 'string' } as const;
  const { values } = parseArgs({
    args: [...options],
    options: { batch: text, repeats: text, epochs: text, 'chip-epochs': text, seeds: text, 'chip-seed': text, quick: { type: 'boolean' } },
    strict: true,
  });
  const quick = values.quick === true;
  return {
    batch: wholeNumber('--batch', values.batch, 1),
    repeats: wholeNumber('--repeats', values.repeats, 5),
    epochs: wholeNumber('--epochs', values.epochs, quick ? 2 : 40),
    chipEpochs: wholeNumber('--chip-epochs', values['chip-epochs'], quick ? 1 : 2),
    seeds: wholeNumber('--seeds', values.seeds, quick ? 1 : 3),
    chipSeed: wholeNumber('--chip-seed', values['chip-seed'], 1),
    trainSamples: quick ? 500 : YIN_YANG_SPLITS.train.size,
    testSamples: quick ? 300 : YIN_YANG_SPLITS.test.size,
    quick,
  };
}

async function chipDevice(seed: number): Promise<MacDevice> {
  return createChipDevice(seed);
}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

function spread(values: readonly number[]) {
  const m = mean(values);
  const std = values.length > 1 ? Math.sqrt(values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1)) : 0;
  return { std: round(std), min: round(Math.min(...values)), max: round(Math.max(...values)), per_seed: values.map((v) => round(v)) };
}

/** One full pass, seeded. */
function passRequest(batch: number): MacRequest {
  const uniform = seededUniform(1);
  const rows = BLOCK_ROWS;
  const columns = PASS_COLUMNS;
  const inputs = Uint8Array.from({ length: batch * rows }, () => Math.floor(uniform() * 32));
  const weights = Int8Array.from({ length: rows * columns }, () => Math.floor(uniform() * 127) - 63);
  return { inputs, weights, batch, rows, columns };
}

async function macsPerSecond(name: string, backend: PerceptronBackend, s: Settings, inputs: Record<string, unknown>): Promise<BenchRecord> {
  const request = passRequest(s.batch);
  const options = { numSends: 1, waitBetweenEvents: 5 };
  await backend.multiply(request, options);
  let best = Infinity;
  for (let k = 0; k < s.repeats; k++) {
    const start = performance.now();
    await backend.multiply(request, options);
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  const macs = s.batch * request.rows * request.columns;
  return { name, value: Math.round(macs / best), unit: 'MAC/s', inputs: { rows: request.rows, columns: request.columns, batch: s.batch, num_sends: 1, wait_between_events: 5, repeats: s.repeats, ...inputs }, pass_s: round(best, 6) };
}

function trainingInputs(s: Settings, backend: string): Record<string, unknown> {
  return { epochs: s.epochs, seeds: Array.from({ length: s.seeds }, (_, k) => k + 1), train_samples: s.trainSamples, test_samples: s.testSamples, tensor_backend: backend, quick: s.quick };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'perceptron.matmul.mock',
    async run(options) {
      const s = settings(options);
      return [await macsPerSecond('perceptron.matmul.mock_macs_per_s', mockBackend({ seed: 1 }), s, { mode: 'mock' })];
    },
  },
  {
    name: 'perceptron.matmul.chip',
    async run(options) {
      const s = settings(options);
      const backend = chipBackend(await chipDevice(s.chipSeed));
      return [await macsPerSecond('perceptron.matmul.macs_per_s', backend, s, { mode: 'simulated chip', chip_seed: s.chipSeed })];
    },
  },
  {
    name: 'perceptron.yinyang.mock',
    async run(options) {
      const s = settings(options);
      const tensorBackend = await initTensorBackend();
      const accuracies: number[] = [];
      for (let seed = 1; seed <= s.seeds; seed++) {
        const result = await trainYinYang({ seed, epochs: s.epochs, trainSamples: s.trainSamples, testSamples: s.testSamples });
        accuracies.push(result.testAccuracy);
        result.model.dispose();
      }
      return [{ name: 'perceptron.yinyang.mock_accuracy', value: round(mean(accuracies)), unit: 'fraction', inputs: { mode: 'mock', noise_std: 2, ...trainingInputs(s, tensorBackend) }, ...spread(accuracies) }];
    },
  },
  {
    name: 'perceptron.yinyang.chip',
    async run(options) {
      const s = settings(options);
      const tensorBackend = await initTensorBackend();
      const chip = chipBackend(await chipDevice(s.chipSeed));
      const test = yinYang({ size: s.testSamples, seed: YIN_YANG_SPLITS.test.seed });
      const accuracies: number[] = [];
      const pretrainedOnChip: number[] = [];
      const pretrainedInMock: number[] = [];
      for (let seed = 1; seed <= s.seeds; seed++) {
        const pretrained = await trainYinYang({ seed, epochs: s.epochs, trainSamples: s.trainSamples, testSamples: s.testSamples });
        pretrainedInMock.push(pretrained.testAccuracy);
        pretrainedOnChip.push(await evaluateYinYang(pretrained.model, test, chip));
        const tuned = await trainYinYang({ seed, model: pretrained.model, backend: chip, epochs: s.chipEpochs, learningRate: 0.1, trainSamples: s.trainSamples, testSamples: s.testSamples });
        accuracies.push(tuned.testAccuracy);
        tuned.model.dispose();
      }
      return [
        {
          name: 'perceptron.yinyang.accuracy',
          value: round(mean(accuracies)),
          unit: 'fraction',
          inputs: { mode: 'chip in the loop', chip_seed: s.chipSeed, ...trainingInputs(s, tensorBackend), mock_pretraining_epochs: s.epochs, epochs: s.chipEpochs, learning_rate: 0.1 },
          ...spread(accuracies),
          mock_pretrained_accuracy: round(mean(pretrainedInMock)),
          chip_accuracy_before_fine_tuning: round(mean(pretrainedOnChip)),
        },
      ];
    },
  },
];
