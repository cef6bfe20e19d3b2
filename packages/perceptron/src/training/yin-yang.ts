// The Yin-Yang MLP with the chip in the loop: 5 inputs (x, y, 1 − x, 1 − y and a bias, as 5-bit activations),
// a hidden MAC layer, ConvertingReLU, an output MAC layer of 3 int8 scores, argmax. Trained with Adam on
// softmax cross-entropy of the scaled scores; the forward pass on the backend, gradients through the mock model.
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { type YinYangDataset, YIN_YANG_SPLITS, tf, yinYang } from '@bss2/tensor';
import { type PerceptronBackend, mockBackend } from '../backend.js';
import { PerceptronValueError } from '../errors.js';
import { DEFAULT_CONVERTING_SHIFT, INPUT_MAX } from '../limits.js';
import { ConvertingReLU, Linear } from '../layers.js';
import { argmax } from '../ops.js';
import { Sequential } from '../sequential.js';
import { seededGenerator } from '../random.js';

// Wall time for the epoch reports; `performance` is not in the ES2022 lib the core compiles against.
const now = (): number => (globalThis as { performance?: { now(): number } }).performance?.now() ?? Date.now();

/** Inputs per sample: the four features and a constant bias input (the hidden layer's threshold, kept analog). */
export const YIN_YANG_MLP_INPUTS = 5;

/**
 * Features in [0, 1] → inputs 0..31, [size, 5] float32 tensor of integers: x and y as round(31·f), the mirrored
 * 1 − x and 1 − y as ⌊31·f⌋ — half an input step apart, so together they tell which half of a step a point lies
 * in (twice the resolution of 5 bits; the Bayes limit of the test split rises from ≈ 97.4 % to ≈ 98.6 %) — and
 * the bias input, 31.
 */
export function yinYangInputs({ features, size }: YinYangDataset): tf.Tensor2D {
  const inputs = new Float32Array(size * YIN_YANG_MLP_INPUTS);
  for (let s = 0; s < size; s++) {
    for (let j = 0; j < 4; j++) {
      const f = features[s * 4 + j]!;
      if (!(f >= 0 && f <= 1)) throw new PerceptronValueError('yinYangInputs', `features[${s * 4 + j}]`, f, 'a value in [0, 1]');
      inputs[s * YIN_YANG_MLP_INPUTS + j] = j < 2 ? Math.round(INPUT_MAX * f) : Math.floor(INPUT_MAX * f);
    }
    inputs[s * YIN_YANG_MLP_INPUTS + 4] = INPUT_MAX;
  }
  return tf.tensor2d(inputs, [size, YIN_YANG_MLP_INPUTS]);
}

export interface YinYangModelOptions {
  /** Hidden units (default 128). */
  readonly hidden?: number;
  /**
   * Sends per input vector of the hidden and the output layer (default [60, 10]): the outputs scale with them, so
   * they set how much of the int8 range the layers use against the noise (at gain 0.002 one send of 5 inputs
   * gives at most ≈ 20 LSB).
   */
  readonly numSends?: readonly [number, number];
  /** ConvertingReLU's shift (default 2: 0..127 onto 0..31). */
  readonly shift?: number;
  /** Seed of the weight initialisation (default 1). */
  readonly seed?: number;
}

/** Linear(5 → hidden) → ConvertingReLU → Linear(hidden → 3). */
export function yinYangModel({ hidden = 128, numSends = [60, 10], shift = DEFAULT_CONVERTING_SHIFT, seed = 1 }: YinYangModelOptions = {}): Sequential {
  return new Sequential([
    new Linear(YIN_YANG_MLP_INPUTS, hidden, { numSends: numSends[0], seed }),
    new ConvertingReLU({ shift }),
    new Linear(hidden, 3, { numSends: numSends[1], seed: seed + 1 }),
  ]);
}

export interface EpochReport {
  readonly epoch: number;
  /** Mean training loss over the epoch's batches, and the accuracy of their forward passes. */
  readonly loss: number;
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  readonly wall_s: number;
}

export interface YinYangTrainingOptions extends YinYangModelOptions {
  /** Where the forward passes run; default mockBackend({ seed }). */
  readonly backend?: PerceptronBackend;
  /** A model to continue training (e.g. pretrained in mock mode); default a new yinYangModel. */
  readonly model?: Sequential;
  readonly epochs?: number;
  readonly batchSize?: number;
  /** Adam's learning rate in LSB per step (default 1), multiplied by `learningRateDecay` after every epoch (default 0.93). */
  readonly learningRate?: number;
  readonly learningRateDecay?: number;
  /** Multiplies the int8 scores before the softmax (default 0.1). */
  readonly logitScale?: number;
  /** Samples of the training split (its first ones; default all 5000) and of the test split (default 1000). */
  readonly trainSamples?: number;
  readonly testSamples?: number;
  readonly onEpoch?: (report: EpochReport) => void;
}

export interface YinYangResult {
  readonly model: Sequential;
  readonly epochs: readonly EpochReport[];
  /** Accuracy on the test samples, on the backend, after the last epoch. */
  readonly testAccuracy: number;
}

function checkWhole(name: string, value: number, min: number): number {
  if (!(Number.isSafeInteger(value) && value >= min)) throw new PerceptronValueError('trainYinYang', name, value, `an integer ≥ ${min}`);
  return value;
}

/** Fraction of `dataset` the model classifies right on the backend, in batches of `batchSize`. */
export async function evaluateYinYang(model: Sequential, dataset: YinYangDataset, backend: PerceptronBackend, batchSize = 500): Promise<number> {
  const inputs = yinYangInputs(dataset);
  let correct = 0;
  try {
    for (let start = 0; start < dataset.size; start += batchSize) {
      const size = Math.min(batchSize, dataset.size - start);
      const x = inputs.slice([start, 0], [size, YIN_YANG_MLP_INPUTS]);
      const scores = await model.forward(x, { backend });
      const predicted = argmax(scores, { axis: 1 });
      const labels = predicted.dataSync();
      for (let k = 0; k < size; k++) if (labels[k] === dataset.labels[start + k]) correct++;
      tf.dispose([x, scores, predicted]);
    }
  } finally {
    inputs.dispose();
  }
  return dataset.size === 0 ? 0 : correct / dataset.size;
}

/**
 * Trains the Yin-Yang MLP with the backend in the loop, seeded: batches drawn by a seeded shuffle per epoch, Adam,
 * weights clamped to ±63 after each step. Pretrain in mock mode and pass the model on to fine-tune on the chip.
 */
export async function trainYinYang(options: YinYangTrainingOptions = {}): Promise<YinYangResult> {
  const seed = options.seed ?? 1;
  const epochs = checkWhole('epochs', options.epochs ?? 40, 0);
  const batchSize = checkWhole('batchSize', options.batchSize ?? 50, 1);
  const trainSamples = checkWhole('trainSamples', options.trainSamples ?? YIN_YANG_SPLITS.train.size, 1);
  const testSamples = checkWhole('testSamples', options.testSamples ?? YIN_YANG_SPLITS.test.size, 1);
  const learningRate = options.learningRate ?? 1;
  const decay = options.learningRateDecay ?? 0.93;
  const logitScale = options.logitScale ?? 0.1;
  for (const [name, value] of [['learningRate', learningRate], ['learningRateDecay', decay], ['logitScale', logitScale]] as const) {
    if (!(Number.isFinite(value) && value > 0)) throw new PerceptronValueError('trainYinYang', name, value, 'a finite number > 0');
  }
  const backend = options.backend ?? mockBackend({ seed });
  const model = options.model ?? yinYangModel(options);
  const train = yinYang({ size: trainSamples, seed: YIN_YANG_SPLITS.train.seed });
  const test = yinYang({ size: testSamples, seed: YIN_YANG_SPLITS.test.seed });
  const inputs = yinYangInputs(train);
  const targets = tf.tidy(() => tf.oneHot(tf.tensor1d(train.labels, 'int32'), 3));
  const optimizer = tf.train.adam(learningRate);
  const rng = seededGenerator(seed);
  const reports: EpochReport[] = [];
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const started = now();
      // Fisher–Yates, seeded.
      const order = Int32Array.from({ length: trainSamples }, (_, k) => k);
      for (let k = trainSamples - 1; k > 0; k--) {
        const j = uniformInt(rng, 0, k);
        [order[k], order[j]] = [order[j]!, order[k]!];
      }
      let lossSum = 0;
      let correct = 0;
      let batches = 0;
      for (let start = 0; start < trainSamples; start += batchSize) {
        const indices = tf.tensor1d(order.subarray(start, start + batchSize), 'int32');
        const x = tf.gather(inputs, indices);
        const y = tf.gather(targets, indices);
        const { value, grads, output } = await model.valueAndGrads(x, (scores) => tf.losses.softmaxCrossEntropy(y, tf.mul(scores, logitScale)), { backend });
        optimizer.applyGradients(grads as Parameters<typeof optimizer.applyGradients>[0]);
        model.clampWeights();
        lossSum += (await value.data())[0]!;
        const predicted = argmax(output, { axis: 1 });
        predicted.dataSync().forEach((label, k) => {
          if (label === train.labels[order[start + k]!]) correct++;
        });
        batches++;
        tf.dispose([indices, x, y, value, output, predicted, ...Object.values(grads)]);
      }
      // tfjs' Adam has no schedule; its rate is a plain field (as spiking's classifier sets it).
      (optimizer as unknown as { learningRate: number }).learningRate = learningRate * decay ** (epoch + 1);
      const testAccuracy = await evaluateYinYang(model, test, backend);
      const report = { epoch, loss: lossSum / batches, trainAccuracy: correct / trainSamples, testAccuracy, wall_s: (now() - started) / 1000 };
      reports.push(report);
      options.onEpoch?.(report);
    }
  } finally {
    tf.dispose([inputs, targets]);
    optimizer.dispose();
  }
  const testAccuracy = reports.at(-1)?.testAccuracy ?? (await evaluateYinYang(model, test, backend));
  return { model, epochs: reports, testAccuracy };
}
