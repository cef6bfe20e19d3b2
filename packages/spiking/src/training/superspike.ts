// The single-neuron SuperSpike task (Zenke & Ganguli 2018): one LIF neuron learns to reproduce a target spike
// train from 25 frozen Poisson inputs; the loss is the van Rossum distance (the squared difference of output
// and target trains, each filtered with an exponential kernel). Mock or chip.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { SpikingParameterError, describeValue } from '../errors.js';
import { Experiment, type ExperimentOptions } from '../experiment.js';
import { InputNeuron, LIF, Synapse } from '../modules.js';
import { runWithGradients } from '../run.js';
import { tf } from '@bss2/tensor';

export interface SuperSpikeOptions {
  readonly iterations?: number;
  readonly inputs?: number;
  readonly steps?: number;
  /** Rate of the frozen Poisson inputs, Hz of biological time. */
  readonly rate_hz?: number;
  /** The target spike times (steps). */
  readonly target?: readonly number[];
  /** Time constant of the van Rossum kernel, steps. */
  readonly kernelSteps?: number;
  readonly learningRate?: number;
  /** The learning rate shrinks by this factor per iteration (default 0.99): Adam's steps settle on the target. */
  readonly learningRateDecay?: number;
  readonly seed?: number;
}

export interface SuperSpikeResult {
  /** Van Rossum loss per iteration. */
  readonly losses: readonly number[];
  /** Output spike steps of the last iteration. */
  readonly output: readonly number[];
  readonly target: readonly number[];
  readonly experiment: Experiment;
}

/** Filters spike trains [steps, 1, 1] with e^{−t/τ} (a fixed linear map, so the loss stays differentiable). */
function vanRossumKernel(steps: number, tau: number): tf.Tensor2D {
  const k = new Float32Array(steps * steps);
  for (let t = 0; t < steps; t++) for (let s = 0; s <= t; s++) k[t * steps + s] = Math.exp(-(t - s) / tau);
  return tf.tensor2d(k, [steps, steps]);
}

export async function trainSuperSpike(experimentOptions: ExperimentOptions, options: SuperSpikeOptions = {}): Promise<SuperSpikeResult> {
  const iterations = options.iterations ?? 300;
  const n = options.inputs ?? 25;
  const steps = options.steps ?? 100;
  const rate = options.rate_hz ?? 40;
  const target = options.target ?? [20, 45, 70, 88];
  for (const [name, value] of [['iterations', iterations], ['inputs', n], ['steps', steps]] as const) {
    if (!Number.isSafeInteger(value) || value < 1) throw new SpikingParameterError(`trainSuperSpike: ${name} is a whole number ≥ 1, got ${describeValue(value)}`, { parameter: name, value });
  }
  for (const t of target) if (!(Number.isSafeInteger(t) && t >= 0 && t < steps)) throw new SpikingParameterError(`trainSuperSpike: target spike step ${describeValue(t)} is outside 0..${steps - 1}`, { parameter: 'target', value: t });
  const experiment = new Experiment({ seed: options.seed ?? 1, ...experimentOptions });
  const dt_ms = experiment.dt_ms;
  // Frozen Poisson inputs: one draw, the same every iteration.
  const rng = xoroshiro128plus(options.seed ?? 1);
  const spikes = new Float32Array(steps * n);
  for (let t = 0; t < steps; t++) for (let i = 0; i < n; i++) if (uniformFloat64(rng) < (rate * dt_ms) / 1000) spikes[t * n + i] = 1;
  const input = new InputNeuron(experiment, n);
  // Small weights: the neuron starts silent, as in the SuperSpike paper.
  const synapse = new Synapse(experiment, n, 1, { init: { mean: 0.05, std: 0.05 } });
  const neuron = new LIF(experiment, 1, { tauMem_ms: 10, tauSyn_ms: 5 });
  const targetTrain = new Float32Array(steps);
  for (const t of target) targetTrain[t] = 1;
  const kernel = vanRossumKernel(steps, options.kernelSteps ?? 10);
  const filteredTarget = tf.matMul(kernel, tf.tensor2d(targetTrain, [steps, 1]));
  const learningRate = options.learningRate ?? 0.02;
  const decay = options.learningRateDecay ?? 0.99;
  const optimizer = tf.train.adam(learningRate);
  const losses: number[] = [];
  let output: number[] = [];
  const x = tf.tensor3d(spikes, [steps, 1, n]);
  for (let k = 0; k < iterations; k++) {
    const out = neuron.call(synapse.call(input.call(x)));
    const r = await runWithGradients(experiment, steps, () => {
      const filtered = tf.matMul(kernel, tf.reshape(out.spikes!, [steps, 1]));
      return tf.sum(tf.square(tf.sub(filtered, filteredTarget))) as tf.Scalar;
    });
    optimizer.applyGradients(r.grads as Parameters<typeof optimizer.applyGradients>[0]);
    (optimizer as unknown as { learningRate: number }).learningRate = learningRate * decay ** (k + 1);
    tf.dispose(Object.values(r.grads));
    losses.push(r.loss);
    const z = out.spikes!.dataSync();
    output = [];
    for (let t = 0; t < steps; t++) if (z[t]! > 0) output.push(t);
  }
  x.dispose();
  kernel.dispose();
  filteredTarget.dispose();
  optimizer.dispose();
  return { losses, output, target, experiment };
}
