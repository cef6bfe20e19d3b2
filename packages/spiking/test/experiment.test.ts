// The training layer's API: layers record edges, `run` fills handles, gradients flow to the weights, misuse is
// a typed error before anything runs; mock and chip give the same shapes and units.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchDropout,
  Experiment,
  ExperimentRunError,
  InputNeuron,
  LI,
  LIF,
  ModuleMisuseError,
  SparseSynapse,
  SpikingParameterError,
  Synapse,
  chipWeights,
  initTensorBackend,
  mixed,
  modelUnitPspPeak,
  run,
  runWithGradients,
  tf,
} from '../src/index.js';

beforeAll(async () => {
  await initTensorBackend();
});

const experiments: Experiment[] = [];
afterAll(async () => {
  for (const e of experiments) await e.close();
});

function network(options: ConstructorParameters<typeof Experiment>[0] = { mock: true }) {
  const e = new Experiment(options);
  experiments.push(e);
  const input = new InputNeuron(e, 4);
  const s1 = new Synapse(e, 4, 6, { init: { mean: 1.2, std: 0.3 } });
  const lif = new LIF(e, 6, { tauMem_ms: 6, tauSyn_ms: 6 });
  const s2 = new Synapse(e, 6, 2, { init: { mean: 0.5, std: 0.2 } });
  const li = new LI(e, 2, { tauMem_ms: 6, tauSyn_ms: 6 });
  const forward = (x: tf.Tensor3D) => {
    const h = lif.call(s1.call(input.call(x)));
    return { hidden: h, out: li.call(s2.call(h)) };
  };
  return { e, input, s1, lif, s2, li, forward };
}

/** One spike per input at step 2 + 3·input, batch of `batch`. */
function inputs(steps: number, batch: number): tf.Tensor3D {
  const data = new Float32Array(steps * batch * 4);
  for (let b = 0; b < batch; b++) for (let n = 0; n < 4; n++) data[((2 + 3 * n) * batch + b) * 4 + n] = 1;
  return tf.tensor3d(data, [steps, batch, 4]);
}

describe('mock experiments', () => {
  it('fill every handle with [steps, batch, neurons] tensors; hidden neurons spike and the readout integrates', async () => {
    const { e, forward } = network();
    const { hidden, out } = forward(inputs(30, 3));
    const info = await run(e, 30);
    expect(info).toMatchObject({ steps: 30, batch: 3, hardware_ms: 0 });
    expect(hidden.spikes!.shape).toEqual([30, 3, 6]);
    expect(hidden.v!.shape).toEqual([30, 3, 6]);
    expect(out.v!.shape).toEqual([30, 3, 2]);
    expect(tf.sum(hidden.spikes!).dataSync()[0]).toBeGreaterThan(0);
    expect(tf.max(out.v!).dataSync()[0]).toBeGreaterThan(0);
  });

  it('give gradients for every weight, and a step of gradient descent lowers the loss', async () => {
    const { e, s1, s2, forward } = network();
    const target = tf.tensor2d([[1, 0], [1, 0]]);
    const step = async () => {
      const { out } = forward(inputs(30, 2));
      return runWithGradients(e, 30, () => tf.losses.meanSquaredError(target, tf.max(out.v!, 0) as tf.Tensor2D) as tf.Scalar);
    };
    const first = await step();
    expect(Object.keys(first.grads).sort()).toEqual([s1.weight.name, s2.weight.name].sort());
    expect(first.grads[s1.weight.name]!.shape).toEqual([6, 4]);
    const optimizer = tf.train.sgd(0.05);
    optimizer.applyGradients(first.grads as Parameters<typeof optimizer.applyGradients>[0]);
    const second = await step();
    expect(second.loss).toBeLessThan(first.loss);
  });

  it('sparse synapses keep their missing connections at zero and give them no gradient', async () => {
    const e = new Experiment({ mock: true });
    experiments.push(e);
    const input = new InputNeuron(e, 2);
    const sparse = new SparseSynapse(e, [[1, 0], [0, 1], [1, 1]], { init: { mean: 1.5, std: 0 } });
    const li = new LI(e, 3);
    const out = li.call(sparse.call(input.call(inputs(10, 1).slice([0, 0, 0], [10, 1, 2]) as tf.Tensor3D)));
    const r = await runWithGradients(e, 10, () => tf.sum(out.v!) as tf.Scalar);
    const g = r.grads[sparse.weight.name]!.dataSync();
    expect(g[1]).toBe(0);
    expect(g[2]).toBe(0);
    expect(g[0]).not.toBe(0);
  });

  it('batch dropout drops whole neurons for a batch, and passes everything when not training', async () => {
    const e = new Experiment({ mock: true, seed: 3 });
    experiments.push(e);
    const input = new InputNeuron(e, 4);
    const drop = new BatchDropout(e, 4, 0.5);
    const h = drop.call(input.call(inputs(20, 2)));
    await run(e, 20);
    const kept = drop.mask;
    expect(kept.some((x) => x === 0)).toBe(true);
    const perNeuron = tf.sum(h.spikes!, [0, 1]).dataSync();
    for (let n = 0; n < 4; n++) expect(perNeuron[n]).toBe(kept[n] === 0 ? 0 : 2);
    drop.training = false;
    drop.call(input.call(inputs(20, 2)));
    expect([...drop.mask]).toEqual([1, 1, 1, 1]);
  });
});

describe('misuse is a typed error before anything runs', () => {
  it('names the module, the value and the rule', async () => {
    const { e, input, s1, lif } = network();
    expect(() => input.call(tf.zeros([10, 2, 3]) as tf.Tensor3D)).toThrow(ModuleMisuseError);
    expect(() => input.call(tf.zeros([10, 2, 3]) as tf.Tensor3D)).toThrow(/InputNeuron_0: the input has shape \[10, 2, 3\], expected \[steps, batch, 4\]/);
    const other = network();
    expect(() => s1.call(other.input.call(inputs(10, 1)))).toThrow(/comes from 'InputNeuron_0' of another experiment/);
    expect(() => lif.call(input.call(inputs(10, 1)) as never)).toThrow(/a neuron layer takes synapse currents/);
    expect(() => new LIF(e, 3, { tauMem_ms: 0.5 })).toThrow(SpikingParameterError);
    expect(() => new LIF(e, 3, { tauMem_ms: Number.NaN })).toThrow(/tauMem_ms = NaN/);
    expect(() => new LIF(e, 3, { threshold: mixed(1, 70) })).toThrow(/chip threshold 70 must lie above the leak 80/);
    expect(() => new BatchDropout(e, 3, 1.5)).toThrow(/dropout probability is a number in \[0, 1\), got 1.5/);
    expect(() => new Experiment({ dt_ms: -1 })).toThrow(/dt_ms is a time step > 0 in ms, got -1/);
    // A run of the recorded graph with the wrong number of steps, or beyond the 32-bit timer.
    const fresh = network();
    fresh.forward(inputs(10, 1));
    await expect(run(fresh.e, 11)).rejects.toThrow(/the input has 10 time steps, run\(\) was asked for 11/);
    await expect(run(fresh.e, 2 ** 26)).rejects.toThrow(/must fit the 32-bit timer/);
    await expect(run(fresh.e, 1.5)).rejects.toThrow(ExperimentRunError);
    await expect(run(new Experiment({ mock: true }), 10)).rejects.toThrow(/nothing to run/);
  });

  it('a handle of an earlier call is stale once its layer was called again', async () => {
    const { e, input, s1, lif } = network();
    const old = input.call(inputs(10, 1));
    input.call(inputs(10, 1));
    lif.call(s1.call(old));
    await expect(run(e, 10)).rejects.toThrow(/is stale/);
  });
});

describe('the chip mapping', () => {
  it("weights become one excitatory and one inhibitory 6-bit value, rounded half away and saturating at ±63", () => {
    const { excitatory, inhibitory } = chipWeights(Float32Array.from([0.5, -0.5, 1.01, -2, 0, 0.004]), 62);
    expect([...excitatory]).toEqual([31, 0, 63, 0, 0, 0]);
    expect([...inhibitory]).toEqual([0, 31, 0, 63, 0, 0]);
  });

  it("the model's unit PSP peak follows the Euler scheme (τm = τs = 10 steps: ≈ 1/e of the jump)", () => {
    const peak = modelUnitPspPeak({ leak: 0, threshold: 1, tauMem_ms: 10, tauSyn_ms: 10 }, 1);
    expect(peak).toBeGreaterThan(0.3);
    expect(peak).toBeLessThan(1 / Math.E + 0.02);
  });
});
