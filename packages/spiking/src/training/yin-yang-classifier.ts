// The Yin-Yang classifier of hardware.md §11.2's training layer: 5 spike-time inputs (x, y, 1 − x, 1 − y, bias)
// → hidden LIF → 3 LI readout neurons; the class is the readout with the highest membrane over time
// (max-over-time decoding), trained with cross-entropy on those maxima, Adam, surrogate gradients — on the chip
// (hardware in the loop) or in mock mode. Platform-neutral: the CLI and the benchmark drive it.
import { nominal } from '@bss2/lola';
import { type YinYangDataset, YIN_YANG_INPUTS, encodeSpikeTimes, yinYang, YIN_YANG_SPLITS } from '../data/index.js';
import { SpikingParameterError, describeValue } from '../errors.js';
import { Experiment, type ExperimentOptions } from '../experiment.js';
import { InputNeuron, LI, LIF, Synapse } from '../modules.js';
import { mixed } from '../parameters.js';
import { run, runWithGradients } from '../run.js';
import { tf } from '@bss2/tensor';

/** Wall-clock ms (the core has no Node or DOM types). */
const now = (): number => (globalThis as { performance?: { now(): number } }).performance?.now() ?? Date.now();

export interface YinYangTrainingOptions {
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly hidden?: number;
  readonly learningRate?: number;
  /** Samples of the training set used per epoch (default all 5,000); for short seeded runs. */
  readonly trainSamples?: number;
  readonly testSamples?: number;
  readonly seed?: number;
  /** Each of the 5 inputs is sent by this many sources (more drive than one 6-bit synapse gives; default 5). */
  readonly repetitions?: number;
  /** The loss is the cross-entropy of `logitScale` × (max over time of each readout membrane); default 4. */
  readonly logitScale?: number;
  /** Multiply the learning rate by this factor after every epoch (default 0.88). */
  readonly learningRateDecay?: number;
  /**
   * Start from the weights of an earlier training (e.g. a mock pre-training before hardware in the loop, the
   * usual way to save chip time); its network must have the same shape.
   */
  readonly startFrom?: YinYangResult;
  /** Called after every batch and epoch (progress bars). */
  readonly onBatch?: (info: { epoch: number; batch: number; batches: number; loss: number }) => void;
  readonly onEpoch?: (info: EpochReport) => void;
}

export interface EpochReport {
  readonly epoch: number;
  readonly loss: number;
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  readonly wall_s: number;
}

export interface YinYangResult {
  readonly epochs: readonly EpochReport[];
  readonly testAccuracy: number;
  readonly experiment: Experiment;
  readonly network: YinYangNetwork;
}

/** Encoding and network constants (time in biological ms; 1 ms ≙ 1 µs on the chip). */
export const YIN_YANG_SETUP = Object.freeze({
  /** Run length, ms; the experiment's dt sets the steps (30 / dt). */
  duration_ms: 30,
  tEarly_ms: 2,
  tLate_ms: 20,
  tau_ms: 6,
  hidden: 120,
  repetitions: 5,
  /**
   * The loss sees readout maxima up to this (model units; θ − leak = 1 ≙ 45 CADC LSB): the chip's CADC saturates
   * near 4 (code 255), and a loss that rewards margins beyond it drives hardware-in-the-loop training into
   * saturation, where all three readouts look alike.
   */
  readoutLimit: 2.5,
});

/** The classifier's layers on one experiment. */
export class YinYangNetwork {
  readonly input: InputNeuron;
  readonly hiddenSynapse: Synapse;
  readonly hidden: LIF;
  readonly outputSynapse: Synapse;
  readonly output: LI;

  readonly repetitions: number;

  constructor(
    readonly experiment: Experiment,
    hidden: number = YIN_YANG_SETUP.hidden,
    repetitions: number = YIN_YANG_SETUP.repetitions,
  ) {
    const tau = YIN_YANG_SETUP.tau_ms;
    this.repetitions = repetitions;
    const inputs = YIN_YANG_INPUTS * repetitions;
    this.input = new InputNeuron(experiment, inputs);
    this.hiddenSynapse = new Synapse(experiment, inputs, hidden, { init: { mean: 0.15, std: 0.35 } });
    this.hidden = new LIF(experiment, hidden, { tauMem_ms: tau, tauSyn_ms: tau, leak: mixed(0, 80), reset: mixed(0, 80), threshold: mixed(1, 125), refractory_ms: 1 });
    this.outputSynapse = new Synapse(experiment, hidden, 3, { init: { mean: 0, std: 0.15 } });
    this.output = new LI(experiment, 3, { tauMem_ms: tau, tauSyn_ms: tau, leak: mixed(0, 80), threshold: mixed(1, 125) });
  }

  /** Records the network on a batch of encoded inputs [steps, batch, 5]; returns the readout handle. */
  call(spikes: tf.Tensor3D) {
    const repeated = this.repetitions === 1 ? spikes : (tf.tile(spikes, [1, 1, this.repetitions]) as tf.Tensor3D);
    return this.output.call(this.outputSynapse.call(this.hidden.call(this.hiddenSynapse.call(this.input.call(repeated)))));
  }
}

/** Dense input spikes of samples [from, to) of a data set. */
export function encodeBatch(data: YinYangDataset, from: number, to: number, dt_ms = 1): tf.Tensor3D {
  const s = YIN_YANG_SETUP;
  const encoded = encodeSpikeTimes(data.features.subarray(4 * from, 4 * to), { tEarly: s.tEarly_ms, tLate: s.tLate_ms, steps: stepsOf(dt_ms), dt: dt_ms });
  return tf.tensor3d(encoded.spikes, encoded.shape);
}

/** Time steps of one sample at time step `dt_ms`. */
export function stepsOf(dt_ms: number): number {
  return Math.round(YIN_YANG_SETUP.duration_ms / dt_ms);
}

/** Max over time of the readout membranes, [batch, 3]. */
function maxOverTime(v: tf.Tensor3D): tf.Tensor2D {
  return tf.max(v, 0) as tf.Tensor2D;
}

function accuracyOf(scores: tf.Tensor2D, labels: Int32Array): number {
  const predicted = tf.argMax(scores, 1).dataSync();
  let correct = 0;
  for (let k = 0; k < labels.length; k++) if (predicted[k] === labels[k]) correct++;
  return correct / labels.length;
}

/** Classifies samples [0, n) of `data`; returns the accuracy. */
export async function evaluateYinYang(network: YinYangNetwork, data: YinYangDataset, n = data.size, batchSize = 100): Promise<number> {
  let correct = 0;
  for (let from = 0; from < n; from += batchSize) {
    const to = Math.min(n, from + batchSize);
    const dt = network.experiment.dt_ms;
    const x = encodeBatch(data, from, to, dt);
    const out = network.call(x);
    await run(network.experiment, stepsOf(dt));
    correct += accuracyOf(tf.tidy(() => maxOverTime(out.v!)), data.labels.subarray(from, to)) * (to - from);
    x.dispose();
  }
  return correct / n;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new SpikingParameterError(`trainYinYang: ${name} is a whole number ≥ 1, got ${describeValue(value)}`, { parameter: name, value });
  return value;
}

/** Trains the classifier; returns per-epoch loss and accuracies (test set: `testSamples` of the 1,000). */
export async function trainYinYang(experimentOptions: ExperimentOptions, options: YinYangTrainingOptions = {}): Promise<YinYangResult> {
  const epochs = positiveInteger('epochs', options.epochs ?? 20);
  const batchSize = positiveInteger('batchSize', options.batchSize ?? 50);
  const trainSet = yinYang(YIN_YANG_SPLITS.train);
  const testSet = yinYang(YIN_YANG_SPLITS.test);
  const trainSamples = positiveInteger('trainSamples', options.trainSamples ?? trainSet.size);
  const testSamples = positiveInteger('testSamples', options.testSamples ?? testSet.size);
  if (trainSamples > trainSet.size) throw new SpikingParameterError(`trainYinYang: trainSamples = ${trainSamples}, the training set has ${trainSet.size}`, { parameter: 'trainSamples', value: trainSamples });
  if (testSamples > testSet.size) throw new SpikingParameterError(`trainYinYang: testSamples = ${testSamples}, the test set has ${testSet.size}`, { parameter: 'testSamples', value: testSamples });
  // The mock saturates and quantises weights like the chip unless told otherwise.
  // Steps of 0.5 ms: the inputs' spike times resolve the figure's thin parts (1 ms steps stall near 93 %).
  const experiment = new Experiment({ seed: options.seed ?? 1, dt_ms: 0.5, mockOptions: { quantizeWeights: true }, ...experimentOptions });
  const network = new YinYangNetwork(experiment, options.hidden ?? YIN_YANG_SETUP.hidden, positiveInteger('repetitions', options.repetitions ?? YIN_YANG_SETUP.repetitions));
  if (options.startFrom !== undefined) {
    const from = options.startFrom.network;
    for (const [mine, theirs] of [[network.hiddenSynapse, from.hiddenSynapse], [network.outputSynapse, from.outputSynapse]] as const) {
      if (mine.weight.shape.join() !== theirs.weight.shape.join()) {
        await experiment.close();
        throw new SpikingParameterError(`trainYinYang: startFrom has weights (${theirs.weight.shape.join(', ')}), this network (${mine.weight.shape.join(', ')})`, { parameter: 'startFrom', value: theirs.weight.shape });
      }
      mine.weight.assign(theirs.weight);
    }
  }
  const learningRate = options.learningRate ?? 0.004;
  const decay = options.learningRateDecay ?? 0.88;
  const logitScale = options.logitScale ?? 4;
  if (!(Number.isFinite(logitScale) && logitScale > 0)) throw new SpikingParameterError(`trainYinYang: logitScale is a number > 0, got ${describeValue(logitScale)}`, { parameter: 'logitScale', value: logitScale });
  const optimizer = tf.train.adam(learningRate);
  try {
    return await train(experiment, network, optimizer, learningRate, decay, logitScale, { epochs, batchSize, trainSamples, testSamples, train: trainSet, test: testSet }, options);
  } catch (error) {
    // The caller never sees the experiment: release its chip here.
    await experiment.close();
    throw error;
  } finally {
    optimizer.dispose();
  }
}

interface Plan {
  readonly epochs: number;
  readonly batchSize: number;
  readonly trainSamples: number;
  readonly testSamples: number;
  readonly train: YinYangDataset;
  readonly test: YinYangDataset;
}

async function train(
  experiment: Experiment,
  network: YinYangNetwork,
  optimizer: tf.AdamOptimizer,
  learningRate: number,
  decay: number,
  logitScale: number,
  plan: Plan,
  options: YinYangTrainingOptions,
): Promise<YinYangResult> {
  const { epochs, batchSize, trainSamples, testSamples, train, test } = plan;
  const reports: EpochReport[] = [];
  const batches = Math.ceil(trainSamples / batchSize);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const started = now();
    let lossSum = 0;
    let correct = 0;
    for (let k = 0; k < batches; k++) {
      const from = k * batchSize;
      const to = Math.min(trainSamples, from + batchSize);
      const x = encodeBatch(train, from, to, experiment.dt_ms);
      const labels = train.labels.subarray(from, to);
      const out = network.call(x);
      const result = await runWithGradients(experiment, stepsOf(experiment.dt_ms), () =>
        tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(labels, 'int32'), 3), tf.mul(tf.minimum(maxOverTime(out.v!), YIN_YANG_SETUP.readoutLimit), logitScale)) as tf.Scalar,
      );
      optimizer.applyGradients(result.grads as Parameters<typeof optimizer.applyGradients>[0]);
      tf.dispose(Object.values(result.grads));
      // Weights stay where the chip can follow: beyond ±63 LSB the chip saturates while the model's backward pass
      // would keep using the larger value (and Adam would keep pushing it).
      const limit = nominal.synapseWeightMax / experiment.weightScale;
      for (const synapse of [network.hiddenSynapse, network.outputSynapse]) synapse.weight.assign(tf.tidy(() => tf.clipByValue(synapse.weight, -limit, limit)));
      correct += tf.tidy(() => accuracyOf(maxOverTime(out.v!), labels)) * (to - from);
      lossSum += result.loss * (to - from);
      x.dispose();
      options.onBatch?.({ epoch, batch: k, batches, loss: result.loss });
    }
    (optimizer as unknown as { learningRate: number }).learningRate = learningRate * decay ** (epoch + 1);
    const testAccuracy = await evaluateYinYang(network, test, testSamples);
    const report = { epoch, loss: lossSum / trainSamples, trainAccuracy: correct / trainSamples, testAccuracy, wall_s: (now() - started) / 1000 };
    reports.push(report);
    options.onEpoch?.(report);
  }
  return { epochs: reports, testAccuracy: reports.at(-1)!.testAccuracy, experiment, network };
}
