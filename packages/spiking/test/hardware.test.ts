// Hardware in the loop on the built-in simulated chip (ideal, nominal calibration: fast and deterministic):
// the same shapes and units as the mock, forward values from the chip, gradients through the model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Experiment, InputNeuron, LI, LIF, Synapse, initTensorBackend, run, runWithGradients, tf } from '../src/index.js';

let chip: Experiment;
let mock: Experiment;
let onChipNetwork: ReturnType<typeof build>;

function build(e: Experiment) {
  const input = new InputNeuron(e, 4);
  const s1 = new Synapse(e, 4, 8, { init: { mean: 0.9, std: 0.1 }, seed: 7 });
  const lif = new LIF(e, 8, { tauMem_ms: 6, tauSyn_ms: 6 });
  const s2 = new Synapse(e, 8, 2, { init: { mean: 0.3, std: 0.1 }, seed: 8 });
  const li = new LI(e, 2, { tauMem_ms: 6, tauSyn_ms: 6 });
  return (x: tf.Tensor3D) => {
    const h = lif.call(s1.call(input.call(x)));
    return { hidden: h, out: li.call(s2.call(h)), s1 };
  };
}

/** Entry b: all four inputs spike at step 2, then input b spikes 4 more times. */
function inputs(steps: number, batch: number): tf.Tensor3D {
  const data = new Float32Array(steps * batch * 4);
  for (let b = 0; b < batch; b++) {
    for (let n = 0; n < 4; n++) data[(2 * batch + b) * 4 + n] = 1;
    for (let k = 0; k < 4 * b; k++) data[((4 + k) * batch + b) * 4 + (k % 4)] = 1;
  }
  return tf.tensor3d(data, [steps, batch, 4]);
}

beforeAll(async () => {
  await initTensorBackend();
  chip = new Experiment({ mock: false, calibration: 'nominal', chip: { seed: 1, analog: { idealChip: true } } });
  mock = new Experiment({ mock: true, weightScale: 60 });
}, 120_000);

afterAll(async () => {
  await chip.close();
  await mock.close();
});

describe('hardware in the loop', () => {
  it('gives the shapes and units of the mock, with the chip measuring its weight scale first', async () => {
    onChipNetwork = build(chip);
    const onChip = onChipNetwork(inputs(30, 3));
    const inMock = build(mock)(inputs(30, 3));
    await run(chip, 30);
    await run(mock, 30);
    expect(chip.weightScaleKnown).toBe(true);
    expect(chip.weightScale).toBeGreaterThan(20);
    expect(chip.weightScale).toBeLessThan(200);
    for (const [a, b] of [[onChip.hidden.spikes!, inMock.hidden.spikes!], [onChip.out.v!, inMock.out.v!], [onChip.hidden.v!, inMock.hidden.v!]] as const) expect(a.shape).toEqual(b.shape);
    // More input, more hidden spikes, on the chip as in the model.
    const chipCounts = tf.sum(onChip.hidden.spikes!, [0, 2]).dataSync();
    expect(chipCounts[2]).toBeGreaterThan(chipCounts[0]!);
    // The readout starts at the leak (model 0) and rises with the hidden spikes, in model units (θ − leak = 1).
    const v = onChip.out.v!.arraySync() as number[][][];
    expect(Math.abs(v[0]![2]![0]!)).toBeLessThan(0.05);
    expect(Math.max(...v.map((t) => t[2]![0]!))).toBeGreaterThan(0.05);
    expect(Math.max(...v.map((t) => t[2]![0]!))).toBeLessThan(5);
  }, 120_000);

  it('takes forward values from the chip and gradients through the model', async () => {
    const { out, s1 } = onChipNetwork(inputs(30, 2));
    const result = await runWithGradients(chip, 30, () => tf.sum(tf.max(out.v!, 0)) as tf.Scalar);
    expect(result.hardware_ms).toBeGreaterThan(0);
    const g = result.grads[s1.weight.name]!;
    expect(g.shape).toEqual([8, 4]);
    expect(tf.sum(tf.abs(g)).dataSync()[0]).toBeGreaterThan(0);
    // The loss is the chip's: the max of the injected readout trace.
    expect(result.loss).toBeCloseTo(tf.sum(tf.max(out.v!, 0)).dataSync()[0]!, 4);
  }, 120_000);
});
