// A PyNN network as a NIR graph (hardware.md §11.3): IF_curr_exp populations → CubaLIF, spike sources → Input,
// projections → Linear. @bss2/pynn is a sibling front end, so its public objects are read structurally: pass
// `pynn.simulator()` (its `populations` and `projections`) and pynn's current of one weight unit.
import { nirArray, type NIRArray } from '../nir/array.js';
import type { NIRGraph, NIRNode } from '../nir/graph.js';
import { checkGraph } from '../nir/validate.js';
import { metadataKeys, msToSeconds, outputNames } from './conventions.js';
import { NIRConversionError } from './errors.js';

/** What pynnToNIR reads of a pynn Population. */
export interface PyNNPopulationLike {
  readonly label: string;
  readonly size: number;
  readonly cellType: { readonly modelName: string };
  /** PyNN's `get(name, { simplify: false })`: one value per neuron. */
  get(name: string, options: { simplify?: boolean }): unknown;
}

/** A Population, PopulationView or Assembly: its members in order. */
export interface PyNNGroupLike {
  members(): readonly { readonly population: PyNNPopulationLike; readonly index: number }[];
}

/** What pynnToNIR reads of a pynn Projection: connections index into `pre` and `post` members; weights signed (inhibitory ≤ 0), chip units. */
export interface PyNNProjectionLike {
  readonly label: string;
  readonly pre: PyNNGroupLike;
  readonly post: PyNNGroupLike;
  readonly receptorType: string;
  readonly connections: readonly { readonly pre: number; readonly post: number; readonly weight: number }[];
}

/** `pynn.simulator()` has this shape. */
export interface PyNNNetworkLike {
  readonly populations: readonly PyNNPopulationLike[];
  readonly projections: readonly PyNNProjectionLike[];
}

export interface PyNNToNIROptions {
  /** Synaptic current of one weight unit, nA: `pynn.FULL_WEIGHT_CURRENT_NA / 63` (pynn's weights are chip units). */
  readonly weightCurrent_nA: number;
}

const SOURCES = new Set(['SpikeSourceArray', 'SpikeSourcePoisson', 'SpikeSourcePoissonOnChip']);

/**
 * The network as NIR, in PyNN's model units: potentials mV, currents nA, `r` = tau_m / cm in MΩ (so r·I is
 * mV), times in seconds. Per neuron, IF_curr_exp's `tau_m dv/dt = (v_rest − v) + (tau_m/cm)(I + i_offset)` is
 * CubaLIF's with `v_leak = v_rest + r · i_offset`; a spike through weight w raises I by w · weightCurrent_nA
 * (Linear weight, `w_in` = 1), as PyNN's exponential current does. NIR has one synaptic time constant: a
 * population takes tau_syn_E, or tau_syn_I if it receives only inhibitory projections; both receptors with
 * different values are refused. `tau_refrac` goes to the node's metadata (`refractory_period`, s, per neuron).
 * Spike sources (array, Poisson) are Inputs — their spikes are data, not graph. Every population without
 * outgoing projections gets an Output. Projections between the same populations stay separate Linear nodes
 * named by their labels (an Assembly's parts: `<label>_<pre>_<post>`). Other cell types → NIRConversionError.
 */
export function pynnToNIR(network: PyNNNetworkLike, options: PyNNToNIROptions): NIRGraph {
  const scale = options.weightCurrent_nA;
  if (!(Number.isFinite(scale) && scale > 0)) throw new NIRConversionError(`pynnToNIR: weightCurrent_nA is the current of one weight unit, > 0 nA, got ${scale}`, { parameter: 'weightCurrent_nA', value: scale });
  const known = new Set(network.populations);
  const receptors = new Map<PyNNPopulationLike, Set<string>>();
  const linear = new Map<string, { pre: PyNNPopulationLike; post: PyNNPopulationLike; weight: NIRArray }>();
  for (const projection of network.projections) {
    const pre = projection.pre.members();
    const post = projection.post.members();
    const groups = new Map<string, { pre: PyNNPopulationLike; post: PyNNPopulationLike; weight: Float64Array }>();
    for (const c of projection.connections) {
      const from = pre[c.pre]!;
      const to = post[c.post]!;
      for (const p of [from.population, to.population]) {
        if (!known.has(p)) throw new NIRConversionError(`pynnToNIR: projection '${projection.label}' reaches population '${p.label}', which is not among the network's populations`, { module: projection.label, value: p.label });
      }
      const key = `${from.population.label}\u0000${to.population.label}`;
      let group = groups.get(key);
      if (group === undefined) groups.set(key, (group = { pre: from.population, post: to.population, weight: new Float64Array(to.population.size * from.population.size) }));
      group.weight[to.index * from.population.size + from.index]! += c.weight * scale;
      receptors.set(to.population, (receptors.get(to.population) ?? new Set()).add(projection.receptorType));
    }
    for (const group of groups.values()) {
      const name = groups.size === 1 ? projection.label : `${projection.label}_${group.pre.label}_${group.post.label}`;
      if (linear.has(name)) throw new NIRConversionError(`pynnToNIR: two projections give the node name '${name}'; give them distinct labels`, { module: name });
      linear.set(name, { pre: group.pre, post: group.post, weight: nirArray([group.post.size, group.pre.size], group.weight) });
    }
  }

  const nodes: Record<string, NIRNode> = {};
  for (const population of network.populations) nodes[population.label] = populationNode(population, receptors.get(population) ?? new Set());
  const edges: [string, string][] = [];
  for (const [name, { pre, post, weight }] of linear) {
    if (Object.hasOwn(nodes, name)) throw new NIRConversionError(`pynnToNIR: projection node '${name}' has the name of a population; give it a distinct label`, { module: name });
    nodes[name] = { type: 'Linear', weight };
    edges.push([pre.label, name], [name, post.label]);
  }
  const sinks = network.populations.filter((p) => ![...linear.values()].some((l) => l.pre === p)).map((p) => p.label);
  for (const [sink, name] of outputNames(sinks, new Set(Object.keys(nodes)))) {
    nodes[name] = { type: 'Output', shape: [network.populations.find((p) => p.label === sink)!.size] };
    edges.push([sink, name]);
  }
  const graph: NIRGraph = { nodes, edges };
  checkGraph('/node', graph);
  return graph;
}

function populationNode(population: PyNNPopulationLike, receptors: ReadonlySet<string>): NIRNode {
  const { label, size } = population;
  const model = population.cellType.modelName;
  if (SOURCES.has(model)) return { type: 'Input', shape: [size] };
  if (model !== 'IF_curr_exp') {
    throw new NIRConversionError(`pynnToNIR: population '${label}' is ${model}, which has no NIR node; the export covers IF_curr_exp and spike sources (NIR has no conductance-based, adaptive or raw chip neuron)`, { module: label, value: model });
  }
  const values = (name: string): Float64Array => {
    const got = population.get(name, { simplify: false });
    const list = Array.isArray(got) ? got : [];
    if (list.length !== size || !list.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw new NIRConversionError(`pynnToNIR: population '${label}': ${name} must be ${size} finite numbers`, { module: label, parameter: name, value: got });
    }
    return Float64Array.from(list as number[]);
  };
  const names = ['cm', 'tau_m', 'tau_refrac', 'tau_syn_E', 'tau_syn_I', 'v_rest', 'v_reset', 'v_thresh', 'i_offset'] as const;
  const p = Object.fromEntries(names.map((name) => [name, values(name)])) as Record<(typeof names)[number], Float64Array>;
  const r = p.tau_m.map((t, i) => t / p.cm[i]!);
  const onlyInhibitory = receptors.size === 1 && receptors.has('inhibitory');
  if (receptors.has('excitatory') && receptors.has('inhibitory')) {
    const i = p.tau_syn_E.findIndex((t, k) => t !== p.tau_syn_I[k]);
    if (i !== -1) {
      throw new NIRConversionError(`pynnToNIR: population '${label}' neuron ${i} receives both receptors with tau_syn_E ${p.tau_syn_E[i]} ms ≠ tau_syn_I ${p.tau_syn_I[i]} ms; NIR's CubaLIF has one synaptic time constant`, {
        module: label,
        parameter: 'tau_syn_I',
        value: p.tau_syn_I[i],
      });
    }
  }
  const seconds = (ms: Float64Array) => nirArray([size], ms.map(msToSeconds));
  return {
    type: 'CubaLIF',
    tau_syn: seconds(onlyInhibitory ? p.tau_syn_I : p.tau_syn_E),
    tau_mem: seconds(p.tau_m),
    r: nirArray([size], r),
    v_leak: nirArray([size], p.v_rest.map((v, i) => v + r[i]! * p.i_offset[i]!)),
    v_threshold: nirArray([size], p.v_thresh),
    v_reset: nirArray([size], p.v_reset),
    w_in: nirArray([size], new Float64Array(size).fill(1)),
    metadata: { [metadataKeys.refractoryPeriod]: seconds(p.tau_refrac) },
  };
}
