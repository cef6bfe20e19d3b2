// Runs the Yin-Yang training page's settings through @bss2/spiking — in the page's training worker and in Node
// alike — and returns the results (JSON-ready) and the trained network as NIR (HDF5 bytes).
import { YIN_YANG_SETUP, YIN_YANG_SPLITS, encodeBatch, initTensorBackend, run, tf, toNIR, trainYinYang, writeNIR, yinYang, type YinYangNetwork } from '@bss2/spiking';
import { type DecisionMap, type TrainingEpoch, type YinYangResults, type YinYangSettings, experimentOptionsOf, trainingOptionsOf } from './training-page.js';

export interface TrainingProgress {
  /** After every batch: the epoch, the batch and the batches per epoch, the batch's loss. */
  readonly onBatch?: (info: { epoch: number; batch: number; batches: number; loss: number }) => void;
  /** After every epoch (with its test accuracy). */
  readonly onEpoch?: (epoch: TrainingEpoch) => void;
  /** While the decision map is evaluated (after the last epoch). */
  readonly onEvaluation?: () => void;
}

const now = (): number => globalThis.performance.now();

/** Samples per forward pass of the decision map (the classifier's evaluation batch). */
const MAP_BATCH = 100;

/**
 * Trains the classifier as `settings` say (spiking's trainYinYang with experimentOptionsOf / trainingOptionsOf),
 * then classifies the test points for the decision map and exports the network as NIR. The chip, if any, is
 * released before this returns or throws. spiking's errors pass through.
 */
export async function runYinYangTraining(settings: YinYangSettings, progress: TrainingProgress = {}): Promise<{ results: YinYangResults; nir: Uint8Array }> {
  const t0 = now();
  const backend = await initTensorBackend();
  const trained = await trainYinYang(experimentOptionsOf(settings), {
    ...trainingOptionsOf(settings),
    ...(progress.onBatch === undefined ? {} : { onBatch: progress.onBatch }),
    ...(progress.onEpoch === undefined ? {} : { onEpoch: (report) => progress.onEpoch!({ ...report }) }),
  });
  try {
    progress.onEvaluation?.();
    const decisionMap = await classifyTestPoints(trained.network, settings.testSamples);
    const nir = await writeNIR(toNIR(trained.experiment));
    const weights = { hidden: trained.network.hiddenSynapse.weight.arraySync() as number[][], output: trained.network.outputSynapse.weight.arraySync() as number[][] };
    const results: YinYangResults = {
      title: `Yin-Yang training (${settings.chip})`,
      settings,
      backend,
      epochs: trained.epochs.map((e) => ({ epoch: e.epoch, loss: e.loss, trainAccuracy: e.trainAccuracy, testAccuracy: e.testAccuracy, wall_s: e.wall_s })),
      testAccuracy: trained.testAccuracy,
      decisionMap,
      weightScale: trained.experiment.weightScale,
      weights,
      duration_s: Math.round(now() - t0) / 1000,
    };
    return { results, nir };
  } finally {
    await trained.experiment.close();
  }
}

/** The first `n` test points and the class the trained network gives each (max over time of the readouts). */
export async function classifyTestPoints(network: YinYangNetwork, n: number): Promise<DecisionMap> {
  const test = yinYang(YIN_YANG_SPLITS.test);
  const experiment = network.experiment;
  const steps = Math.round(YIN_YANG_SETUP.duration_ms / experiment.dt_ms);
  const predicted: number[] = [];
  for (let from = 0; from < n; from += MAP_BATCH) {
    const to = Math.min(n, from + MAP_BATCH);
    const x = encodeBatch(test, from, to, experiment.dt_ms);
    const out = network.call(x);
    await run(experiment, steps);
    predicted.push(...tf.tidy(() => tf.argMax(tf.max(out.v!, 0), 1).dataSync()));
    x.dispose();
  }
  const x = Array.from({ length: n }, (_, i) => test.features[4 * i]!);
  const y = Array.from({ length: n }, (_, i) => test.features[4 * i + 1]!);
  const label = Array.from(test.labels.subarray(0, n));
  const correct = predicted.reduce((sum, p, i) => sum + (p === label[i] ? 1 : 0), 0);
  return { x, y, label, predicted, accuracy: correct / n };
}
