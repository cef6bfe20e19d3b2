// NIR ↔ the training layer's models (hardware.md §11.3): a model exports and imports back to the same layers and
// the same mock run; the h5py fixture imports once made chip-ready; what the chip cannot realise is a typed error
// naming the node; recorded data travels as NIRData; a PyNN network exports through its structural interface.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchDropout,
  Experiment,
  ExperimentRunError,
  HardwareMappingError,
  InputNeuron,
  LI,
  LIF,
  NIRConversionError,
  NIRFormatError,
  SparseSynapse,
  Synapse,
  fromNIR,
  fromNIRData,
  initTensorBackend,
  mixed,
  nirArray,
  pynnToNIR,
  readNIR,
  readNIRData,
  run,
  tf,
  toNIR,
  toNIRData,
  writeNIR,
  writeNIRData,
  type NIRArray,
  type NIRCubaLIF,
  type NIRGraph,
  type NIRGraphData,
  type NIRLinear,
  type NIRModel,
  type NIRNode,
  type PyNNNetworkLike,
  type PyNNPopulationLike,
  type PyNNProjectionLike,
} from '../src/index.js';
import { msToSeconds, secondsToMs } from '../src/nir-convert/conventions.js';

const FIXTURES = fileURLToPath(new URL('../../../test-fixtures/nir/', import.meta.url));
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));

beforeAll(async () => {
  await initTensorBackend();
});

const experiments: Experiment[] = [];
afterAll(async () => {
  for (const e of experiments) await e.close();
});
const track = <T extends { experiment: Experiment }>(model: T): T => {
  experiments.push(model.experiment);
  return model;
};

const f64 = (values: number[], shape = [values.length]): NIRArray => nirArray(shape, values);
const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());

/** The error `f` throws (the test fails if it throws none). */
function caught(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, none was thrown');
}

/** The HardwareMappingError fromNIR throws for `graph`. */
function mappingError(graph: NIRGraph, options: Parameters<typeof fromNIR>[1] = {}): HardwareMappingError {
  const error = caught(() => fromNIR(graph, options));
  expect(error).toBeInstanceOf(HardwareMappingError);
  return error as HardwareMappingError;
}

/** Deterministic input spikes [steps, batch, n]: input i fires when (t + 3b + 5i) % period = 0. */
function spikes(steps: number, batch: number, n: number, period = 4): tf.Tensor3D {
  const data = new Float32Array(steps * batch * n);
  for (let t = 0; t < steps; t++) for (let b = 0; b < batch; b++) for (let i = 0; i < n; i++) data[(t * batch + b) * n + i] = (t + 3 * b + 5 * i) % period === 0 ? 1 : 0;
  return tf.tensor3d(data, [steps, batch, n]);
}

/** Input 4 → Synapse → LIF 8 → Synapse → LI 3, with parameters away from the defaults. */
function network() {
  const experiment = new Experiment({ mock: true, seed: 3 });
  experiments.push(experiment);
  const input = new InputNeuron(experiment, 4);
  const s1 = new Synapse(experiment, 4, 8, { init: { mean: 0.5, std: 0.2 } });
  const lif = new LIF(experiment, 8, { tauMem_ms: 8, tauSyn_ms: 5, refractory_ms: 2, leak: mixed(0, 80), reset: mixed(-0.2, 70), threshold: mixed(1, 130), alpha: 30 });
  const s2 = new Synapse(experiment, 8, 3);
  const li = new LI(experiment, 3, { tauMem_ms: 12, tauSyn_ms: 6, leak: mixed(0.1, 85) });
  const forward = (x: tf.Tensor3D) => {
    const hidden = lif.call(s1.call(input.call(x)));
    return { hidden, out: li.call(s2.call(hidden)) };
  };
  return { experiment, input, s1, lif, s2, li, forward };
}

describe('toNIR', () => {
  it('exports the layers as Input, Linear, CubaLIF, CubaLI and an Output, τ in seconds, r = w_in = 1', () => {
    const { experiment, forward, s1 } = network();
    forward(spikes(5, 1, 4));
    const graph = toNIR(experiment);
    expect(Object.fromEntries(Object.entries(graph.nodes).map(([name, node]) => [name, node.type]))).toEqual({
      InputNeuron_0: 'Input',
      Synapse_0: 'Linear',
      LIF_0: 'CubaLIF',
      Synapse_1: 'Linear',
      LI_0: 'CubaLI',
      output: 'Output',
    });
    expect(graph.edges).toEqual([
      ['InputNeuron_0', 'Synapse_0'],
      ['Synapse_0', 'LIF_0'],
      ['LIF_0', 'Synapse_1'],
      ['Synapse_1', 'LI_0'],
      ['LI_0', 'output'],
    ]);
    const lif = graph.nodes['LIF_0'] as NIRCubaLIF;
    expect(Array.from(lif.tau_mem.data)).toEqual(Array(8).fill(0.008));
    expect(Array.from(lif.tau_syn.data)).toEqual(Array(8).fill(0.005));
    expect(Array.from(lif.v_reset.data)).toEqual(Array(8).fill(-0.2));
    expect(Array.from(lif.r.data)).toEqual(Array(8).fill(1));
    expect(Array.from(lif.w_in.data)).toEqual(Array(8).fill(1));
    expect(lif.metadata).toEqual({
      refractory_period: nirArray([], [0.002]),
      superspike_alpha: nirArray([], [30]),
      chip_leak_lsb: nirArray([], [80]),
      chip_reset_lsb: nirArray([], [70]),
      chip_threshold_lsb: nirArray([], [130]),
    });
    const linear = graph.nodes['Synapse_0'] as NIRLinear;
    expect(linear.weight.shape).toEqual([8, 4]);
    expect(linear.weight.dtype).toBe('float32');
    expect(Array.from(linear.weight.data)).toEqual(Array.from(s1.weight.dataSync()));
    expect(graph.nodes['output']).toEqual({ type: 'Output', shape: [3] });
  });

  it('passes BatchDropout through, masks SparseSynapse weights and names several Outputs after their layers', () => {
    const e = new Experiment({ mock: true });
    experiments.push(e);
    const input = new InputNeuron(e, 2);
    const sparse = new SparseSynapse(e, [[1, 0], [0, 1], [1, 1]], { weight: [[0.5, -0.5], [0.25, 0.75], [-1, 1]] });
    const lif = new LIF(e, 3);
    const dropout = new BatchDropout(e, 3, 0.5);
    const s2 = new Synapse(e, 3, 2);
    const li = new LI(e, 2);
    const hidden = lif.call(sparse.call(input.call(spikes(4, 1, 2))));
    li.call(s2.call(dropout.call(hidden)));
    const graph = toNIR(e);
    expect(graph.nodes['BatchDropout_0']).toBeUndefined();
    expect(graph.edges).toContainEqual(['LIF_0', 'Synapse_0']);
    expect(Array.from((graph.nodes['SparseSynapse_0'] as NIRLinear).weight.data)).toEqual([0.5, 0, 0, 0.75, -1, 1]);
    expect(graph.nodes['output']).toEqual({ type: 'Output', shape: [2] });

    // A second consumer-less layer: one Output each, named after it.
    const other = new LI(e, 3);
    other.call(new Synapse(e, 3, 3).call(hidden));
    const two = toNIR(e);
    expect(Object.keys(two.nodes).filter((name) => two.nodes[name]!.type === 'Output').sort()).toEqual(['output_LI_0', 'output_LI_1']);
  });

  it('needs recorded calls', () => {
    const e = new Experiment({ mock: true });
    experiments.push(e);
    new InputNeuron(e, 2);
    expect(() => toNIR(e)).toThrow(NIRConversionError);
  });
});

describe('toNIR → writeNIR → readNIR → fromNIR', () => {
  it('gives back the same weights and parameters, and a mock run gives the same outputs', async () => {
    const original = network();
    const x = spikes(40, 3, 4);
    const a = original.forward(x);
    await run(original.experiment, 40);
    expect(tf.sum(a.hidden.spikes!).dataSync()[0]).toBeGreaterThan(0);

    const graph = await readNIR(await writeNIR(toNIR(original.experiment)));
    const model = track(fromNIR(graph, { experiment: { weightScale: 40 } }));
    expect(model.experiment.mock).toBe(true);
    expect(model.experiment.dt_ms).toBe(1);
    expect(model.inputs).toEqual(['InputNeuron_0']);
    expect(model.outputs).toEqual({ output: 'LI_0' });
    const lif = model.layers['LIF_0'] as LIF;
    const li = model.layers['LI_0'] as LI;
    expect(lif.parameters).toEqual(original.lif.parameters);
    expect(li.parameters).toEqual(original.li.parameters);
    expect(model.layers['InputNeuron_0']).toBeInstanceOf(InputNeuron);
    expect(model.synapses.map((s) => [s.source, s.target, s.paths])).toEqual([
      ['InputNeuron_0', 'LIF_0', [['Synapse_0']]],
      ['LIF_0', 'LI_0', [['Synapse_1']]],
    ]);
    expect(values(model.synapses[0]!.module.weight)).toEqual(values(original.s1.weight));
    expect(values(model.synapses[1]!.module.weight)).toEqual(values(original.s2.weight));

    const b = model.forward(x);
    await run(model.experiment, 40);
    const out = b['output']!;
    expect(values(out.v!)).toEqual(values(a.out.v!));
    const hidden = model.experiment.edges().find((e) => e.module === lif)!.output;
    expect(values((hidden as typeof a.hidden).spikes!)).toEqual(values(a.hidden.spikes!));
  });

  it('keeps a time constant in ms through seconds (decimal values exactly)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), (k) => {
        const ms = k / 1000;
        expect(secondsToMs(msToSeconds(ms))).toBe(ms);
      }),
      { seed: 1, numRuns: 2000 },
    );
  });
});

/** The fixture's graph with a zero bias and every CubaLIF parameter but w_in set to neuron 0's value. */
function chipReady(graph: NIRGraph): NIRGraph {
  const copy = structuredClone(graph);
  const affine = copy.nodes['affine1'] as Extract<NIRNode, { type: 'Affine' }>;
  affine.bias.data.fill(0);
  const lif = copy.nodes['cubalif'] as NIRCubaLIF;
  for (const p of ['tau_syn', 'tau_mem', 'v_leak', 'v_threshold', 'v_reset'] as const) lif[p].data.fill(lif[p].data[0]!);
  return copy;
}

describe('the h5py fixture written for the chip (test-fixtures/nir/cuba-lif-chip.nir)', () => {
  it('imports as written and runs: Linear weights as they are, τ in ms, the reference chip potentials', async () => {
    const graph = await readNIR(fixture('cuba-lif-chip.nir'));
    const model = track(fromNIR(graph));
    const hidden = model.layers['hidden'] as LIF;
    expect(hidden.parameters).toMatchObject({ tauSyn_ms: 6, tauMem_ms: 10, leak: mixed(0, 80), threshold: mixed(1, 125) });
    const linear1 = graph.nodes['linear1'] as Extract<NIRNode, { type: 'Linear' }>;
    expect(values(model.synapses[0]!.module.weight)).toEqual(Array.from(Float32Array.from(linear1.weight.data)));
    const out = model.forward(spikes(30, 2, 4, 3))['output']!;
    await run(model.experiment, 30);
    expect(out.v!.shape).toEqual([30, 2, 3]);
    expect(tf.max(tf.abs(out.v!)).dataSync()[0]).toBeGreaterThan(0);
  });
});

describe('the h5py fixture (test-fixtures/nir/cuba-lif-network.nir)', () => {
  it('as written is refused: its Affine has a bias and its CubaLIF differs between neurons', async () => {
    const graph = await readNIR(fixture('cuba-lif-network.nir'));
    expect(mappingError(graph)).toMatchObject({ module: 'affine1', parameter: 'bias', value: -0.25 });
    const noBias = structuredClone(graph);
    (noBias.nodes['affine1'] as Extract<NIRNode, { type: 'Affine' }>).bias.data.fill(0);
    expect(() => fromNIR(noBias)).toThrow(/NIR node 'cubalif' \(CubaLIF\): tau_syn differs between neurons \(0\.005 and 0\.0055\)/);
  });

  it('made chip-ready, imports with w_in folded into the weights and runs in mock mode like the same network built by hand', async () => {
    const graph = chipReady(await readNIR(fixture('cuba-lif-network.nir')));
    const model = track(fromNIR(graph));
    const lif = model.layers['cubalif'] as LIF;
    expect(lif.parameters).toMatchObject({ tauSyn_ms: 5, tauMem_ms: 10, leak: mixed(0, 80), threshold: mixed(1, 125), reset: mixed(0, 80), refractory_ms: 0.04 });
    const affine1 = graph.nodes['affine1'] as Extract<NIRNode, { type: 'Affine' }>;
    const wIn = (graph.nodes['cubalif'] as NIRCubaLIF).w_in.data;
    const folded = Float32Array.from(affine1.weight.data, (w, k) => w * wIn[Math.floor(k / 4)]!);
    expect(values(model.synapses[0]!.module.weight)).toEqual(Array.from(folded));

    const x = spikes(30, 2, 4, 3);
    const out = model.forward(x)['output']!;
    await run(model.experiment, 30);
    expect(out.v!.shape).toEqual([30, 2, 3]);

    const e = new Experiment({ mock: true });
    experiments.push(e);
    const hidden = new LIF(e, 8, { tauSyn_ms: 5, tauMem_ms: 10, leak: 0, threshold: 1, reset: 0, refractory_ms: 0.04 });
    const li = new LI(e, 3, { tauSyn_ms: 5, tauMem_ms: 20, leak: 0 });
    const reference = li.call(new Synapse(e, 8, 3, { weight: Float32Array.from((graph.nodes['affine2'] as NIRLinear).weight.data) }).call(hidden.call(new Synapse(e, 4, 8, { weight: folded }).call(new InputNeuron(e, 4).call(x)))));
    await run(e, 30);
    expect(values(out.v!)).toEqual(values(reference.v!));
  });
});

/** Input(2) → Linear → <node> → Output, the node given. */
function around(node: NIRNode, size = 2): NIRGraph {
  return {
    nodes: { in: { type: 'Input', shape: [2] }, w: { type: 'Linear', weight: f64(Array(2 * size).fill(0.1), [size, 2]) }, n: node, out: { type: 'Output', shape: [size] } },
    edges: [['in', 'w'], ['w', 'n'], ['n', 'out']],
  };
}

const cubaLIF = (overrides: Partial<Record<'tau_syn' | 'tau_mem' | 'r' | 'v_leak' | 'v_threshold' | 'v_reset' | 'w_in', number[]>> = {}): NIRCubaLIF => ({
  type: 'CubaLIF',
  tau_syn: f64(overrides.tau_syn ?? [0.005, 0.005]),
  tau_mem: f64(overrides.tau_mem ?? [0.01, 0.01]),
  r: f64(overrides.r ?? [1, 1]),
  v_leak: f64(overrides.v_leak ?? [0, 0]),
  v_threshold: f64(overrides.v_threshold ?? [1, 1]),
  v_reset: f64(overrides.v_reset ?? [0, 0]),
  w_in: f64(overrides.w_in ?? [1, 1]),
});


describe('fromNIR refuses what the chip cannot realise, naming the node and the reason', () => {
  it.each([
    ['an unknown node type', { type: 'unknown', nirType: 'Conv2d', fields: {} } as NIRNode, /'n' \(Conv2d\): no chip counterpart/],
    ['IF (no leak)', { type: 'IF', r: f64([1, 1]), v_threshold: f64([1, 1]), v_reset: f64([0, 0]) } as NIRNode, /'n' \(IF\): .*no leak/],
    ['I (no leak)', { type: 'I', r: f64([1, 1]) } as NIRNode, /'n' \(I\): .*no leak/],
    ['LIF (no synaptic current)', { type: 'LIF', tau: f64([0.01, 0.01]), r: f64([1, 1]), v_leak: f64([0, 0]), v_threshold: f64([1, 1]), v_reset: f64([0, 0]) } as NIRNode, /'n' \(LIF\): .*CubaLIF/],
    ['LI (no synaptic current)', { type: 'LI', tau: f64([0.01, 0.01]), r: f64([1, 1]), v_leak: f64([0, 0]) } as NIRNode, /'n' \(LI\): .*CubaLI/],
    ['Threshold', { type: 'Threshold', threshold: f64([1, 1]) } as NIRNode, /'n' \(Threshold\): a bare threshold/],
    ['a nested graph', { type: 'NIRGraph', nodes: {}, edges: [] } as NIRNode, /'n' \(NIRGraph\): nested graphs/],
  ])('%s', (_, node, message) => {
    const error = mappingError(around(node));
    expect(error.module).toBe('n');
    expect(error.message).toMatch(message);
  });

  it('non-uniform parameters, naming the parameter', () => {
    const error = mappingError(around(cubaLIF({ tau_mem: [0.01, 0.02] })));
    expect(error).toMatchObject({ module: 'n', parameter: 'tau_mem', value: [0.01, 0.02], rule: 'uniform per layer' });
  });

  it('an Affine with a non-zero bias (a zero bias maps)', () => {
    const graph = around(cubaLIF());
    const affine = (bias: number[]): NIRNode => ({ type: 'Affine', weight: f64([0.1, 0.1, 0.1, 0.1], [2, 2]), bias: f64(bias) });
    expect(mappingError({ ...graph, nodes: { ...graph.nodes, w: affine([0, 0.5]) } })).toMatchObject({ module: 'w', parameter: 'bias', value: 0.5 });
    expect(track(fromNIR({ ...graph, nodes: { ...graph.nodes, w: affine([0, 0]) } })).synapses).toHaveLength(1);
  });

  it('time constants, potentials and weights beyond the chip', () => {
    expect(mappingError(around(cubaLIF({ tau_mem: [0.1, 0.1] })))).toMatchObject({ module: 'n', parameter: 'tau_mem', value: 100 });
    expect(mappingError(around(cubaLIF({ tau_syn: [0.05, 0.05] })))).toMatchObject({ module: 'n', parameter: 'tau_syn', value: 50 });
    // v_reset far below v_leak: the chip reset would lie at 80 − 10 · 45 LSB.
    expect(mappingError(around(cubaLIF({ v_reset: [-10, -10] })))).toMatchObject({ module: 'n', parameter: 'chip_reset_lsb' });
    const heavy = around(cubaLIF());
    heavy.nodes['w'] = { type: 'Linear', weight: f64([2, 0, 0, 0.5], [2, 2]) };
    const error = mappingError(heavy);
    expect(error).toMatchObject({ module: 'w', parameter: 'weight', value: 2 });
    expect(error.message).toMatch(/use weightScale ≤ 31\.5/);
    expect(track(fromNIR(heavy, { experiment: { weightScale: 31.5 } })).synapses).toHaveLength(1);
  });

  it('recurrence, a CubaLI that feeds synapses, an Output of currents', () => {
    const loop = around(cubaLIF());
    loop.nodes['back'] = { type: 'Linear', weight: f64([0.1, 0, 0, 0.1], [2, 2]) };
    loop.edges.push(['n', 'back'], ['back', 'n']);
    expect(mappingError(loop).message).toMatch(/recurrent loop/);

    const li: NIRNode = { type: 'CubaLI', tau_syn: f64([0.005, 0.005]), tau_mem: f64([0.01, 0.01]), r: f64([1, 1]), v_leak: f64([0, 0]), w_in: f64([1, 1]) };
    const fromLI = around(li);
    fromLI.nodes['next'] = { type: 'Linear', weight: f64([1, 0, 0, 1], [2, 2]) };
    fromLI.edges.push(['n', 'next']);
    expect(mappingError(fromLI)).toMatchObject({ module: 'n', message: expect.stringMatching(/feeds 'next'.*no spikes/) });

    const currents: NIRGraph = { nodes: { in: { type: 'Input', shape: [2] }, w: { type: 'Linear', weight: f64([1, 0, 0, 1], [2, 2]) }, out: { type: 'Output', shape: [2] } }, edges: [['in', 'w'], ['w', 'out']] };
    expect(mappingError(currents)).toMatchObject({ module: 'out', message: expect.stringMatching(/not synaptic currents/) });
  });

  it('inconsistent shapes and a time step above τ are NIRConversionErrors; malformed graphs NIRFormatErrors', () => {
    const wrong = around(cubaLIF());
    wrong.nodes['w'] = { type: 'Linear', weight: f64([0.1, 0.1, 0.1], [1, 3]) };
    expect(() => fromNIR(wrong)).toThrow(NIRConversionError);
    expect(() => fromNIR(around(cubaLIF()), { dt_ms: 6 })).toThrow(/NIR node 'n' \(CubaLIF\): .*tauSyn_ms/);
    expect(() => fromNIR({ nodes: {}, edges: [['a', 'b']] })).toThrow(NIRFormatError);
  });
});

describe('fromNIR maps linear chains', () => {
  it('multiplies Scale and Linear paths out, sums parallel paths, folds r · w_in, and maps a direct edge one-to-one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -1, max: 1, noNaN: true, noDefaultInfinity: true }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.float({ min: -1, max: 1, noNaN: true, noDefaultInfinity: true }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.float({ min: Math.fround(0.25), max: 2, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.float({ min: Math.fround(0.25), max: 2, noNaN: true }), { minLength: 2, maxLength: 2 }),
        (w1, w2, scale, wIn) => {
          const graph: NIRGraph = {
            nodes: {
              in: { type: 'Input', shape: [3] },
              s: { type: 'Scale', scale: f64(scale) },
              a: { type: 'Linear', weight: f64(w1, [2, 3]) },
              b: { type: 'Linear', weight: f64(w2, [2, 3]) },
              n: cubaLIF({ r: [2, 2], w_in: wIn }),
              m: cubaLIF(),
              out: { type: 'Output', shape: [2] },
            },
            edges: [['in', 's'], ['s', 'a'], ['a', 'n'], ['in', 'b'], ['b', 'n'], ['n', 'm'], ['m', 'out']],
          };
          const model = track(fromNIR(graph, { experiment: { weightScale: 5 } }));
          const [first, second] = model.synapses;
          expect(first).toMatchObject({ source: 'in', target: 'n', paths: [['s', 'a'], ['b']] });
          const expected = w1.map((w, k) => Math.fround((w * scale[k % 3]! + w2[k]!) * 2 * wIn[Math.floor(k / 3)]!));
          values(first!.module.weight).forEach((w, k) => expect(w).toBeCloseTo(expected[k]!, 5));
          expect(second).toMatchObject({ source: 'n', target: 'm', paths: [[]] });
          expect(values(second!.module.weight)).toEqual([1, 0, 0, 1]);
        },
      ),
      { seed: 2, numRuns: 25 },
    );
  });

  it('feeds several Inputs by name', async () => {
    const graph: NIRGraph = {
      nodes: { a: { type: 'Input', shape: [2] }, b: { type: 'Input', shape: [2] }, n: cubaLIF(), out: { type: 'Output', shape: [2] } },
      edges: [['a', 'n'], ['b', 'n'], ['n', 'out']],
    };
    // A direct edge is one-to-one with weight 1: 64 LSB at the default weight scale, beyond the chip's 63.
    expect(mappingError(graph)).toMatchObject({ parameter: 'weight', value: 1 });
    const model: NIRModel = track(fromNIR(graph, { experiment: { weightScale: 63 } }));
    expect(() => model.forward(spikes(5, 1, 2))).toThrow(/2 Input nodes/);
    expect(() => model.forward({ a: spikes(5, 1, 2) })).toThrow(/'b'/);
    const out = model.forward({ a: spikes(5, 1, 2), b: spikes(5, 1, 2, 2) })['out']!;
    await run(model.experiment, 5);
    expect(out.spikes!.shape).toEqual([5, 1, 2]);
  });
});

describe('toNIRData / fromNIRData', () => {
  it('writes the last run as time-gridded NIRData and reads it back to the same tensors', async () => {
    const { experiment, forward, input, lif, li } = network();
    const x = spikes(20, 2, 4);
    const { hidden, out } = forward(x);
    expect(() => toNIRData(experiment)).toThrow(ExperimentRunError);
    await run(experiment, 20);
    const data = toNIRData(experiment);
    expect(Object.keys(data.nodes)).toEqual([input.name, lif.name, li.name]);
    const lifData = data.nodes[lif.name];
    expect(lifData).toMatchObject({ observables: { spikes: { type: 'TimeGriddedData', dt: 0.001 }, v: { type: 'TimeGriddedData', dt: 0.001 } } });
    const back = fromNIRData(await readNIRData(await writeNIRData(data)), { dt_ms: 1 });
    expect(values(back[input.name]!['spikes']!)).toEqual(values(x));
    expect(values(back[lif.name]!['spikes']!)).toEqual(values(hidden.spikes!));
    expect(values(back[lif.name]!['v']!)).toEqual(values(hidden.v!));
    expect(values(back[li.name]!['v']!)).toEqual(values(out.v!));
    expect(back[li.name]!['v']!.shape).toEqual([20, 2, 3]);
    expect(() => fromNIRData(data, { dt_ms: 0.5 })).toThrow(NIRConversionError);
  });

  it('names the nodes as the graph does for a model built by fromNIR', async () => {
    const model = track(fromNIR(chipReady(await readNIR(fixture('cuba-lif-network.nir')))));
    model.forward(spikes(6, 1, 4));
    await run(model.experiment, 6);
    expect(Object.keys(toNIRData(model).nodes)).toEqual(['input', 'cubalif', 'cubali']);
  });

  it('reads the fixture: bool spikes on the grid, events binned as NIR does; valued events refused', async () => {
    const data = await readNIRData(fixture('cuba-lif-network-data.h5'));
    expect(() => fromNIRData(data, { dt_ms: 1 })).toThrow(/cubali\/v holds valued events/);
    const { cubali: _, ...rest } = data.nodes;
    const tensors = fromNIRData({ type: 'NIRGraphData', nodes: rest } as NIRGraphData, { dt_ms: 1 });
    const grid = tensors['input']!['spikes']!;
    expect(grid.shape).toEqual([5, 2, 4]);
    const g = grid.arraySync() as number[][][];
    for (let s = 0; s < 2; s++) for (let t = 0; t < 5; t++) for (let n = 0; n < 4; n++) expect(g[t]![s]![n]).toBe((s + 2 * t + 3 * n) % 4 === 0 ? 1 : 0);
    const events = tensors['cubalif']!['spikes']!;
    expect(events.shape).toEqual([5, 2, 8]);
    const ones: [number, number, number][] = [];
    (events.arraySync() as number[][][]).forEach((row, t) => row.forEach((b, s) => b.forEach((z, n) => z === 1 && ones.push([t, s, n]))));
    // Sample 0: neurons 0, 3, 7 at 0.1, 0.25, 1 ms (step 0), neuron 3 at 3 ms (step 2); sample 1: 5 at 0.5 ms, 1 at 2 ms.
    expect(ones).toEqual([
      [0, 0, 0],
      [0, 0, 3],
      [0, 0, 7],
      [0, 1, 5],
      [1, 1, 1],
      [2, 0, 3],
    ]);
    expect(tensors['cubalif']!['v']!.shape).toEqual([5, 2, 8]);
  });
});

/** A population as pynn's reads: per-neuron parameter values, its members. */
function population(label: string, size: number, modelName: string, parameters: Record<string, number | number[]> = {}): PyNNPopulationLike & { members(): { population: PyNNPopulationLike; index: number }[] } {
  const pop = {
    label,
    size,
    cellType: { modelName },
    get: (name: string) => {
      const value = parameters[name];
      return Array.isArray(value) ? value : Array(size).fill(value);
    },
    members: () => Array.from({ length: size }, (_, index) => ({ population: pop, index })),
  };
  return pop;
}

const IF_CURR_EXP = { cm: 0.5, tau_m: 10, tau_refrac: 2, tau_syn_E: 5, tau_syn_I: 5, v_rest: -65, v_reset: -70, v_thresh: -50, i_offset: 0 };

function pynnNetwork(excParameters: Record<string, number | number[]> = {}) {
  const input = population('input', 3, 'SpikeSourceArray');
  const exc = population('exc', 4, 'IF_curr_exp', { ...IF_CURR_EXP, ...excParameters });
  const out = population('out', 2, 'IF_curr_exp', IF_CURR_EXP);
  const view = { members: () => exc.members().slice(1) };
  const projections: PyNNProjectionLike[] = [
    { label: 'in→exc', pre: input, post: exc, receptorType: 'excitatory', connections: [{ pre: 0, post: 0, weight: 10 }, { pre: 2, post: 3, weight: 20 }, { pre: 2, post: 3, weight: 5 }] },
    { label: 'in→exc inh', pre: input, post: exc, receptorType: 'inhibitory', connections: [{ pre: 1, post: 1, weight: -8 }] },
    { label: 'exc→out', pre: view, post: out, receptorType: 'excitatory', connections: [{ pre: 0, post: 1, weight: 30 }] },
  ];
  const network: PyNNNetworkLike = { populations: [input, exc, out], projections };
  return network;
}

describe('pynnToNIR', () => {
  it('exports IF_curr_exp populations as CubaLIF in PyNN units, sources as Inputs, projections as Linear nodes', async () => {
    const graph = pynnToNIR(pynnNetwork({ i_offset: [0, 0.1, 0, 0] }), { weightCurrent_nA: 0.05 });
    expect(Object.fromEntries(Object.entries(graph.nodes).map(([name, node]) => [name, node.type]))).toEqual({
      input: 'Input',
      exc: 'CubaLIF',
      out: 'CubaLIF',
      'in→exc': 'Linear',
      'in→exc inh': 'Linear',
      'exc→out': 'Linear',
      output: 'Output',
    });
    expect(graph.edges).toEqual([
      ['input', 'in→exc'],
      ['in→exc', 'exc'],
      ['input', 'in→exc inh'],
      ['in→exc inh', 'exc'],
      ['exc', 'exc→out'],
      ['exc→out', 'out'],
      ['out', 'output'],
    ]);
    const exc = graph.nodes['exc'] as NIRCubaLIF;
    expect(Array.from(exc.r.data)).toEqual([20, 20, 20, 20]);
    expect(Array.from(exc.v_leak.data)).toEqual([-65, -63, -65, -65]);
    expect(Array.from(exc.tau_mem.data)).toEqual([0.01, 0.01, 0.01, 0.01]);
    expect(Array.from(exc.tau_syn.data)).toEqual([0.005, 0.005, 0.005, 0.005]);
    expect(Array.from(exc.v_reset.data)).toEqual([-70, -70, -70, -70]);
    expect(exc.metadata).toEqual({ refractory_period: f64([0.002, 0.002, 0.002, 0.002]) });
    const w = (name: string) => (graph.nodes[name] as NIRLinear).weight;
    expect(w('in→exc').shape).toEqual([4, 3]);
    expect(Array.from(w('in→exc').data)).toEqual([0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1.25]);
    expect(Array.from(w('in→exc inh').data)).toEqual([0, 0, 0, 0, -0.4, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(w('exc→out').data)).toEqual([0, 0, 0, 0, 0, 1.5, 0, 0]);
    expect(await readNIR(await writeNIR(graph))).toEqual(graph);
    // i_offset differs between neurons, so v_leak does: a chip layer cannot take that.
    expect(mappingError(graph, { experiment: { weightScale: 1 } })).toMatchObject({ module: 'exc', parameter: 'v_leak' });
  });

  it('imports back into a model that runs in mock mode (refractory period from the metadata)', async () => {
    const graph = pynnToNIR(pynnNetwork(), { weightCurrent_nA: 0.05 });
    const model = track(fromNIR(graph, { experiment: { weightScale: 1 } }));
    expect((model.layers['exc'] as LIF).parameters).toMatchObject({ tauMem_ms: 10, tauSyn_ms: 5, refractory_ms: 2, leak: mixed(-65, 80), threshold: mixed(-50, 125), reset: mixed(-70, 65) });
    // r = 20 MΩ folded into the weights: 0.5 nA → 10 mV.
    expect(values(model.synapses[0]!.module.weight)[0]).toBe(10);
    const out = model.forward(spikes(10, 1, 3))['output']!;
    await run(model.experiment, 10);
    expect(out.spikes!.shape).toEqual([10, 1, 2]);
  });

  it('refuses cell types NIR has no node for, two synaptic time constants, and a bad weight unit', () => {
    const network = pynnNetwork();
    const cond = { ...network, populations: [...network.populations, population('cond', 2, 'IF_cond_exp')] };
    const error = caught(() => pynnToNIR(cond, { weightCurrent_nA: 0.05 }));
    expect(error).toBeInstanceOf(NIRConversionError);
    expect(error).toMatchObject({ module: 'cond', value: 'IF_cond_exp' });
    expect(() => pynnToNIR(pynnNetwork({ tau_syn_I: 8 }), { weightCurrent_nA: 0.05 })).toThrow(/'exc' neuron 0 receives both receptors with tau_syn_E 5 ms ≠ tau_syn_I 8 ms/);
    // Only inhibitory input: tau_syn_I is the one NIR gets.
    const inhibitoryOnly = pynnNetwork({ tau_syn_I: 8 });
    const only = { ...inhibitoryOnly, projections: inhibitoryOnly.projections.slice(1) };
    expect(Array.from((pynnToNIR(only, { weightCurrent_nA: 0.05 }).nodes['exc'] as NIRCubaLIF).tau_syn.data)).toEqual([0.008, 0.008, 0.008, 0.008]);
    expect(() => pynnToNIR(network, { weightCurrent_nA: 0 })).toThrow(NIRConversionError);
  });
});
