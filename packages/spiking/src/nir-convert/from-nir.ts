// A NIR graph as layers of a new experiment (hardware.md §11.3; the reference's hxtorch `from_nir.py`): what the
// chip can realise becomes InputNeuron, Synapse, LIF and LI; anything else is a typed error naming the node.
import { feasibleRanges } from '@bss2/calibration';
import { nominal } from '@bss2/lola';
import { SpikingError, HardwareMappingError, ModuleMisuseError, describeValue, type SpikingErrorDetails } from '../errors.js';
import { Experiment, type ExperimentOptions } from '../experiment.js';
import type { NeuronHandle } from '../handles.js';
import { InputNeuron, LI, LIF, Synapse } from '../modules.js';
import { formatShape, type NIRArray } from '../nir/array.js';
import type { NIRCubaLI, NIRCubaLIF, NIRGraph, NIRNode } from '../nir/graph.js';
import { checkGraph } from '../nir/validate.js';
import { DEFAULT_LIF_PARAMETERS, hardwareValue, mixed, modelValue } from '../parameters.js';
import { tf } from '@bss2/tensor';
import { NIR_IMPORT_DEFAULTS, metadataKeys, secondsToMs, uniformMetadata } from './conventions.js';
import { NIRConversionError } from './errors.js';
import { add, foldRows, multiply, scaleRows, type Matrix } from './weights.js';

export interface FromNIROptions {
  /** Options of the new experiment; unset ones take NIR_IMPORT_DEFAULTS (mock, weight scale 64). */
  readonly experiment?: ExperimentOptions;
  /** The time step, biological ms; before `experiment.dt_ms`; default 1 (the reference's dt = 1 µs of chip time). */
  readonly dt_ms?: number;
}

/** One Synapse: every path of Linear/Affine/Scale nodes from `source` to `target`, multiplied out and summed. */
export interface NIRSynapse {
  readonly source: string;
  readonly target: string;
  /** The nodes of each path between them (empty for a direct edge: one-to-one, weight 1). */
  readonly paths: readonly (readonly string[])[];
  readonly module: Synapse;
}

export interface NIRModel {
  readonly experiment: Experiment;
  /** The neuron layers by node name: Input → InputNeuron, CubaLIF → LIF, CubaLI → LI. */
  readonly layers: Readonly<Record<string, InputNeuron | LIF | LI>>;
  readonly synapses: readonly NIRSynapse[];
  /** The Input nodes, in graph order. */
  readonly inputs: readonly string[];
  /** Each Output node with the layer it observes. */
  readonly outputs: Readonly<Record<string, string>>;
  /**
   * Calls every layer in topological order (recording the edges `run` executes) and returns the handles of
   * the Output nodes. `x` is the input spikes [steps, batch, n]: a tensor when the graph has one Input, else
   * one per Input node by name. Call it again before each run, as any network's forward.
   */
  forward(x: tf.Tensor3D | Readonly<Record<string, tf.Tensor3D>>): Record<string, NeuronHandle>;
}

/** A node the mapping keeps: a spike source or neuron layer, a linear map, or an Output. */
type Mapped =
  | { kind: 'input'; size: number }
  | { kind: 'neuron'; node: NIRCubaLIF | NIRCubaLI; size: number }
  | { kind: 'linear'; inputs: number; outputs: number; apply: (m: Matrix) => Matrix }
  | { kind: 'output'; size: number };

const SUPPORTED = 'Input, Output, Linear, Affine (zero bias), Scale, CubaLIF, CubaLI';

/** Why a node type has no chip counterpart (hardware.md §11.3 lists what maps). */
const unsupported: Readonly<Record<string, string>> = {
  LIF: 'a LIF has no synaptic current, but every chip neuron filters its input with a synaptic time constant (≥ 0.3 µs); describe the layer as CubaLIF with its tau_syn',
  LI: 'an LI has no synaptic current, but every chip neuron filters its input with a synaptic time constant (≥ 0.3 µs); describe the layer as CubaLI with its tau_syn',
  IF: 'an integrate-and-fire neuron has no leak, but the chip membrane always leaks (τ_mem ≤ 60 µs); use CubaLIF',
  I: 'an integrator has no leak, but the chip membrane always leaks (τ_mem ≤ 60 µs); use CubaLI',
  Threshold: 'a bare threshold (a step function without membrane) has no chip counterpart: the comparators belong to the neurons; use CubaLIF',
  NIRGraph: 'nested graphs are not mapped; flatten the subgraph into the outer graph',
};

function mappingError(name: string, type: string, reason: string, details: SpikingErrorDetails = {}): HardwareMappingError {
  return new HardwareMappingError(`NIR node '${name}' (${type}): ${reason}`, { module: name, ...details });
}

function conversionError(name: string, type: string, reason: string, details: SpikingErrorDetails & { cause?: unknown } = {}): NIRConversionError {
  return new NIRConversionError(`NIR node '${name}' (${type}): ${reason}`, { module: name, ...details });
}

/**
 * Builds `graph` as layers of a new experiment.
 *
 * - Input → InputNeuron; CubaLIF → LIF; CubaLI → LI; their parameters one value per layer (the chip layer's
 *   calibration target), τ from seconds to ms (× 1000).
 * - Linear and Affine with zero bias (the chip has no bias) and Scale: every path of them between two neuron
 *   layers is multiplied out, paths between the same layers summed, into one Synapse; a direct edge is
 *   one-to-one. A target's `r · w_in` (per neuron) scales its incoming rows: a spike through weight w raises
 *   the current by w_in·w and the membrane sees r·I (the discrete convention of hxtorch and Norse; under
 *   a literal Dirac reading of τ_syn dI/dt = −I + w_in·S the step is w_in·w/τ_syn).
 * - No refractory period in NIR: the chip's shortest (0.04 µs ≙ 0.04 ms) unless metadata says otherwise.
 *   Chip potentials: leak 80 and threshold 125 CADC LSB (the layers' defaults), the reset on the line through
 *   (v_leak, 80) and (v_threshold, 125), unless metadata gives them (toNIR writes them).
 * - Refused with HardwareMappingError naming node and reason: LIF, LI, IF, I, Threshold, nested graphs and
 *   unknown types; non-uniform parameters; a non-zero bias; time constants, potentials or weights
 *   (|w| · weightScale > 63) beyond the chip's range; recurrence; a CubaLI feeding anything but an Output;
 *   an Output fed through linear nodes (the chip observes neurons, not currents). Inconsistent shapes are a
 *   NIRConversionError.
 */
export function fromNIR(graph: NIRGraph, options: FromNIROptions = {}): NIRModel {
  checkGraph('/node', graph);
  const experimentOptions: ExperimentOptions = {
    ...NIR_IMPORT_DEFAULTS,
    ...options.experiment,
    dt_ms: options.dt_ms ?? options.experiment?.dt_ms ?? NIR_IMPORT_DEFAULTS.dt_ms,
  };
  const weightScale = experimentOptions.weightScale ?? NIR_IMPORT_DEFAULTS.weightScale;
  const mapped = new Map<string, Mapped>(Object.entries(graph.nodes).map(([name, node]) => [name, mapNode(name, node)]));
  const successors = new Map<string, string[]>([...mapped.keys()].map((name) => [name, []]));
  for (const [from, to] of graph.edges) if (!successors.get(from)!.includes(to)) successors.get(from)!.push(to);

  const { synapses, outputs } = connect(graph, mapped, successors);
  const order = topologicalOrder(graph, mapped, synapses);
  const experiment = new Experiment(experimentOptions);
  const layers: Record<string, InputNeuron | LIF | LI> = {};
  const built: NIRSynapse[] = [];
  for (const name of order) {
    const m = mapped.get(name)!;
    if (m.kind === 'input') layers[name] = new InputNeuron(experiment, m.size);
    else if (m.kind === 'neuron') {
      const incoming = synapses.filter((s) => s.target === name);
      if (incoming.length === 0) throw conversionError(name, m.node.type, 'has no input; a neuron layer takes the current of at least one synapse');
      layers[name] = neuronLayer(experiment, name, m.node);
      const inputScale = inputScaleOf(m.node);
      for (const s of incoming) {
        const weight = foldRows(s.weight, inputScale);
        checkWeights(s, weight, weightScale);
        built.push({ source: s.source, target: name, paths: s.paths, module: new Synapse(experiment, s.weight.cols, s.weight.rows, { weight }) });
      }
    }
  }
  const inputs = order.filter((name) => mapped.get(name)!.kind === 'input');
  return {
    experiment,
    layers,
    synapses: built,
    inputs,
    outputs,
    forward: (x) => {
      const given = inputTensors(x, inputs);
      const handles = new Map<string, NeuronHandle>();
      for (const name of order) {
        const layer = layers[name]!;
        if (layer instanceof InputNeuron) handles.set(name, layer.call(given[name]!));
        else handles.set(name, layer.call(...built.filter((s) => s.target === name).map((s) => s.module.call(handles.get(s.source)!))));
      }
      return Object.fromEntries(Object.entries(outputs).map(([output, source]) => [output, handles.get(source)!]));
    },
  };
}

function mapNode(name: string, node: NIRNode): Mapped {
  switch (node.type) {
    case 'Input':
      if (node.shape.length !== 1 || node.shape[0]! < 1) throw mappingError(name, 'Input', `shape ${formatShape(node.shape)}: the chip's inputs are a flat list of spike sources, shape (n,) with n ≥ 1`, { parameter: 'shape', value: node.shape });
      return { kind: 'input', size: node.shape[0]! };
    case 'Output':
      return { kind: 'output', size: node.shape.reduce((a, b) => a * b, 1) };
    case 'Linear':
    case 'Affine': {
      const [outputs, inputs, ...extra] = node.weight.shape;
      if (outputs === undefined || inputs === undefined || extra.length > 0) {
        throw mappingError(name, node.type, `weight of shape ${formatShape(node.weight.shape)}: a synapse layer is one (out, in) matrix`, { parameter: 'weight', value: node.weight.shape });
      }
      if (node.type === 'Affine' && node.bias.data.some((b) => b !== 0)) {
        const k = node.bias.data.findIndex((b) => b !== 0);
        throw mappingError(name, 'Affine', `bias[${k}] = ${node.bias.data[k]}: the chip's synapses have no bias; only an Affine with zero bias maps (fold a bias into v_leak of the next layer)`, { parameter: 'bias', value: node.bias.data[k], rule: 'zero' });
      }
      const w = node.weight.data;
      return { kind: 'linear', inputs, outputs, apply: (m) => multiply(w, outputs, inputs, m) };
    }
    case 'Scale': {
      const s = node.scale;
      if (s.shape.length > 1) throw mappingError(name, 'Scale', `scale of shape ${formatShape(s.shape)}: only a scalar or one factor per neuron maps`, { parameter: 'scale', value: s.shape });
      const n = s.shape.length === 0 ? undefined : s.shape[0]!;
      return { kind: 'linear', inputs: n ?? -1, outputs: n ?? -1, apply: (m) => scaleRows(s, m) };
    }
    case 'CubaLIF':
    case 'CubaLI': {
      const shape = node.v_leak.shape;
      if (shape.length !== 1 || shape[0]! < 1) throw mappingError(name, node.type, `parameters of shape ${formatShape(shape)}: a chip layer is a flat list of neurons, shape (n,) with n ≥ 1`, { parameter: 'v_leak', value: shape });
      return { kind: 'neuron', node, size: shape[0]! };
    }
    case 'unknown':
      throw mappingError(name, node.nirType, `no chip counterpart; supported are ${SUPPORTED}`, { value: node.nirType });
    default:
      throw mappingError(name, node.type, unsupported[node.type]!, { value: node.type });
  }
}

interface Contribution {
  readonly source: string;
  readonly target: string;
  readonly paths: string[][];
  weight: Matrix;
}

/** Walks from every spike source through linear nodes to neuron layers and Outputs. */
function connect(graph: NIRGraph, mapped: ReadonlyMap<string, Mapped>, successors: ReadonlyMap<string, string[]>): { synapses: Contribution[]; outputs: Record<string, string> } {
  const synapses: Contribution[] = [];
  const outputs: Record<string, string> = {};
  const typeOf = (name: string): string => {
    const node = graph.nodes[name]!;
    return node.type === 'unknown' ? node.nirType : node.type;
  };
  for (const [source, m] of mapped) {
    if (m.kind !== 'input' && m.kind !== 'neuron') continue;
    if (m.kind === 'neuron' && m.node.type === 'CubaLI') {
      const next = successors.get(source)!.find((name) => mapped.get(name)!.kind !== 'output');
      if (next !== undefined) throw mappingError(source, 'CubaLI', `feeds '${next}', but a leaky integrator sends no spikes on the chip; only an Output may follow it`);
    }
    const walk = (at: string, weight: Matrix, path: string[]): void => {
      for (const next of successors.get(at)!) {
        const target = mapped.get(next)!;
        const size = weight.rows;
        if (target.kind === 'linear') {
          if (path.includes(next)) throw mappingError(next, typeOf(next), `lies on a loop of linear nodes (${[...path, next].join(' → ')}); loops need a neuron layer`);
          if (target.inputs !== -1 && target.inputs !== size) {
            throw conversionError(next, typeOf(next), `takes ${target.inputs} inputs, but '${at}' gives ${size}`, { parameter: 'shape', value: target.inputs });
          }
          walk(next, target.apply(weight), [...path, next]);
          continue;
        }
        if (target.kind === 'input') throw conversionError(next, 'Input', `has an incoming edge from '${at}'; an Input is a source`);
        if (target.kind === 'output') {
          if (path.length > 0) throw mappingError(next, 'Output', `observes '${at}', a linear node; the chip observes neurons (spikes, membranes), not synaptic currents`);
          if (target.size !== size) throw conversionError(next, 'Output', `has ${target.size} elements, '${source}' ${size} neurons`, { parameter: 'shape', value: target.size });
          if (outputs[next] !== undefined && outputs[next] !== source) throw mappingError(next, 'Output', `observes both '${outputs[next]}' and '${source}'; an Output observes one layer`);
          outputs[next] = source;
          continue;
        }
        if (target.size !== size) throw conversionError(next, typeOf(next), `has ${target.size} neurons, but ${path.length === 0 ? `'${source}'` : `'${at}'`} gives ${size}`, { parameter: 'shape', value: target.size });
        const existing = synapses.find((s) => s.source === source && s.target === next);
        if (existing === undefined) synapses.push({ source, target: next, paths: [path], weight });
        else {
          existing.paths.push(path);
          existing.weight = add(existing.weight, weight);
        }
      }
    };
    walk(source, { rows: m.size, cols: m.size, data: 'identity' }, []);
  }
  const unobserved = [...mapped].find(([name, m]) => m.kind === 'output' && outputs[name] === undefined);
  if (unobserved !== undefined) throw conversionError(unobserved[0], 'Output', 'is reached from no Input or neuron layer');
  return { synapses, outputs };
}

/** Neuron layers in an order where each follows its sources (graph order among equals); a cycle is recurrence. */
function topologicalOrder(graph: NIRGraph, mapped: ReadonlyMap<string, Mapped>, synapses: readonly Contribution[]): string[] {
  const pending = [...mapped].filter(([, m]) => m.kind === 'input' || m.kind === 'neuron').map(([name]) => name);
  const order: string[] = [];
  while (pending.length > 0) {
    const ready = pending.findIndex((name) => synapses.every((s) => s.target !== name || order.includes(s.source)));
    if (ready === -1) {
      const name = pending[0]!;
      const node = graph.nodes[name]!;
      throw mappingError(name, node.type, `lies on a recurrent loop (${pending.join(', ')}); an experiment runs its layers once each, in order, so recurrence is not mapped`);
    }
    order.push(...pending.splice(ready, 1));
  }
  return order;
}

/** The one value of a per-neuron parameter, or a HardwareMappingError when the neurons differ. */
function uniform(name: string, node: NIRCubaLIF | NIRCubaLI, parameter: string): number {
  const { data } = (node as unknown as Record<string, NIRArray>)[parameter]!;
  const first = data[0]!;
  const other = data.find((x) => x !== first);
  if (other !== undefined) {
    throw mappingError(name, node.type, `${parameter} differs between neurons (${first} and ${other}); a chip layer has one value per parameter — make it uniform or split the layer`, {
      parameter,
      value: [first, other],
      rule: 'uniform per layer',
    });
  }
  return first;
}

function inChipRange(name: string, type: string, parameter: string, value: number, range: { min: number; max: number; unit: string }, shown: string): number {
  if (!(value >= range.min && value <= range.max)) {
    throw mappingError(name, type, `${shown} = ${describeValue(value)} ${range.unit} is beyond the chip's range ${range.min}..${range.max} ${range.unit}`, { parameter, value, rule: `${range.min}..${range.max} ${range.unit}` });
  }
  return value;
}

/** Times in ms are µs of chip time (1:1), so the calibration's µs ranges apply to them as they are. */
function neuronLayer(experiment: Experiment, name: string, node: NIRCubaLIF | NIRCubaLI): LIF | LI {
  const type = node.type;
  const tauSyn_ms = inChipRange(name, type, 'tau_syn', secondsToMs(uniform(name, node, 'tau_syn')), feasibleRanges.tauSynExc_us, 'tau_syn (ms ≙ µs on the chip)');
  const tauMem_ms = inChipRange(name, type, 'tau_mem', secondsToMs(uniform(name, node, 'tau_mem')), feasibleRanges.tauMembrane_us, 'tau_mem (ms ≙ µs on the chip)');
  const vLeak = uniform(name, node, 'v_leak');
  const meta = (key: string) => uniformMetadata(node.metadata, key, name);
  const chipLeak = inChipRange(name, type, metadataKeys.chipLeak, meta(metadataKeys.chipLeak) ?? hardwareValue(DEFAULT_LIF_PARAMETERS.leak), feasibleRanges.leak_lsb, 'the chip leak');
  const chipThreshold = inChipRange(name, type, metadataKeys.chipThreshold, meta(metadataKeys.chipThreshold) ?? hardwareValue(DEFAULT_LIF_PARAMETERS.threshold), feasibleRanges.threshold_lsb, 'the chip threshold');
  const defaultSpan = modelValue(DEFAULT_LIF_PARAMETERS.threshold) - modelValue(DEFAULT_LIF_PARAMETERS.leak);
  const vThreshold = type === 'CubaLIF' ? uniform(name, node, 'v_threshold') : (meta(metadataKeys.threshold) ?? vLeak + defaultSpan);
  if (!(vThreshold > vLeak)) throw mappingError(name, type, `v_threshold ${vThreshold} must lie above v_leak ${vLeak}: the chip's threshold sits above its resting potential`, { parameter: 'v_threshold', value: vThreshold });
  return construct(name, type, () => {
    if (type === 'CubaLI') return new LI(experiment, node.v_leak.data.length, { leak: mixed(vLeak, chipLeak), threshold: mixed(vThreshold, chipThreshold), tauMem_ms, tauSyn_ms });
    const vReset = uniform(name, node, 'v_reset');
    const mappedReset = chipLeak + ((vReset - vLeak) * (chipThreshold - chipLeak)) / (vThreshold - vLeak);
    const chipReset = inChipRange(name, type, metadataKeys.chipReset, meta(metadataKeys.chipReset) ?? mappedReset, feasibleRanges.reset_lsb, 'the chip reset');
    const refractorySeconds = meta(metadataKeys.refractoryPeriod);
    const refractory_ms = inChipRange(
      name,
      type,
      metadataKeys.refractoryPeriod,
      refractorySeconds === undefined ? feasibleRanges.refractoryTime_us.min : secondsToMs(refractorySeconds),
      feasibleRanges.refractoryTime_us,
      'the refractory period (ms ≙ µs on the chip)',
    );
    return new LIF(experiment, node.v_leak.data.length, {
      leak: mixed(vLeak, chipLeak),
      reset: mixed(vReset, chipReset),
      threshold: mixed(vThreshold, chipThreshold),
      tauMem_ms,
      tauSyn_ms,
      refractory_ms,
      alpha: meta(metadataKeys.superSpikeAlpha) ?? DEFAULT_LIF_PARAMETERS.alpha,
    });
  });
}

/** A layer's own parameter rule (e.g. τ above the time step) broken, as an error naming the node. */
function construct<T>(name: string, type: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof SpikingError) || error instanceof HardwareMappingError || error instanceof NIRConversionError) throw error;
    throw conversionError(name, type, error.message, { ...(error.parameter === undefined ? {} : { parameter: error.parameter }), value: error.value, cause: error });
  }
}

/** r · w_in per neuron: the factor of the neuron's input current. */
function inputScaleOf(node: NIRCubaLIF | NIRCubaLI): Float64Array {
  return node.r.data.map((r, i) => r * node.w_in.data[i]!);
}

function checkWeights(s: Contribution, weight: Float32Array, weightScale: number): void {
  const max = nominal.synapseWeightMax;
  let largest = 0;
  for (const w of weight) largest = Math.max(largest, Math.abs(w));
  if (largest * weightScale > max) {
    const via = s.paths.map((p) => (p.length === 0 ? 'a direct edge' : p.join(' → '))).join(', ');
    throw new HardwareMappingError(
      `NIR synapses '${s.source}' → '${s.target}' (via ${via}): |weight| up to ${largest} is ${largest * weightScale} chip LSB at weightScale ${weightScale}, beyond the chip's ±${max}; use weightScale ≤ ${max / largest} (experiment option) or smaller weights`,
      { module: s.paths.flat()[0] ?? s.target, parameter: 'weight', value: largest, rule: `|w| · weightScale ≤ ${max}` },
    );
  }
}

function inputTensors(x: tf.Tensor3D | Readonly<Record<string, tf.Tensor3D>>, inputs: readonly string[]): Readonly<Record<string, tf.Tensor3D>> {
  if (x instanceof tf.Tensor) {
    if (inputs.length !== 1) throw new ModuleMisuseError(`forward: the graph has ${inputs.length} Input nodes (${inputs.join(', ')}); give one tensor per Input by name`, { value: inputs.length });
    return { [inputs[0]!]: x };
  }
  if (x === null || typeof x !== 'object') throw new ModuleMisuseError(`forward: takes a tensor or an object of tensors by Input name, got ${describeValue(x)}`, { value: x });
  const extra = Object.keys(x).find((name) => !inputs.includes(name));
  if (extra !== undefined) throw new ModuleMisuseError(`forward: '${extra}' is no Input node of the graph (Inputs: ${inputs.join(', ')})`, { module: extra });
  const missing = inputs.find((name) => !(x[name] instanceof tf.Tensor));
  if (missing !== undefined) throw new ModuleMisuseError(`forward: no input tensor for the Input node '${missing}'`, { module: missing });
  return x;
}
