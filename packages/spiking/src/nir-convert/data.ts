// Recorded data as NIRData and back (hardware.md §11.3; the reference's hxtorch `to_nir_data.py` /
// `from_nir_data.py`): handles hold time-major [steps, batch, n], NIR sample-major [n_samples, n_time_steps, n].
import { ExperimentRunError } from '../errors.js';
import { Experiment } from '../experiment.js';
import type { NeuronHandle } from '../handles.js';
import type { Module } from '../module.js';
import { InputNeuron, LI, LIF } from '../modules.js';
import { nirArray, type NIRArray } from '../nir/array.js';
import { checkGraphData, type NIRGraphData, type NIRNodeData, type NIRObservable } from '../nir/data.js';
import { tf } from '@bss2/tensor';
import { msToSeconds } from './conventions.js';
import { NIRConversionError } from './errors.js';
import type { NIRModel } from './from-nir.js';

/**
 * The data of the last `run` as NIRData, one TimeGriddedData per observable with `dt` in seconds: `spikes`
 * (0/1 as uint8: NIR writes numpy bool, which h5wasm cannot create) of InputNeuron and LIF layers, `v` (float32,
 * the model's unit) of LIF and LI layers. Nodes are named as toNIR names them (the layers' names) for an
 * experiment, and as the graph does for a model built by fromNIR.
 */
export function toNIRData(source: Experiment | Pick<NIRModel, 'layers'>): NIRGraphData {
  const layers: [string, Module][] =
    source instanceof Experiment ? source.edges().map((e): [string, Module] => [e.module.name, e.module]) : Object.entries(source.layers);
  const experiment = source instanceof Experiment ? source : layers[0]?.[1].experiment;
  const handles = new Map((experiment?.edges() ?? []).map((e) => [e.module, e.output]));
  const nodes: Record<string, NIRNodeData> = {};
  for (const [name, layer] of layers) {
    if (!(layer instanceof InputNeuron || layer instanceof LIF || layer instanceof LI)) continue;
    const handle = handles.get(layer) as NeuronHandle | undefined;
    const recorded = (what: 'spikes' | 'v'): NIRObservable => {
      const t = handle?.[what];
      if (t === undefined) throw new ExperimentRunError(`toNIRData: '${name}' holds no ${what}; run(experiment, steps) first`, { module: name });
      return { type: 'TimeGriddedData', data: sampleMajor(t, what === 'spikes' ? 'uint8' : 'float32'), dt: msToSeconds(layer.experiment.dt_ms) };
    };
    const observables: Record<string, NIRObservable> = {};
    if (!(layer instanceof LI)) observables['spikes'] = recorded('spikes');
    if (!(layer instanceof InputNeuron)) observables['v'] = recorded('v');
    nodes[name] = { type: 'NIRNodeData', observables };
  }
  return { type: 'NIRGraphData', nodes };
}

/** [steps, batch, n] → [batch, steps, n]. */
function sampleMajor(t: tf.Tensor3D, dtype: 'uint8' | 'float32'): NIRArray {
  const [steps, batch, n] = t.shape;
  const values = t.dataSync();
  const out = new Float64Array(values.length);
  for (let s = 0; s < steps; s++) for (let b = 0; b < batch; b++) for (let i = 0; i < n; i++) out[(b * steps + s) * n + i] = values[(s * batch + b) * n + i]!;
  return nirArray([batch, steps, n], out, dtype);
}

export interface FromNIRDataOptions {
  /** The experiment's time step, biological ms; time-gridded data must have dt = dt_ms / 1000 s. */
  readonly dt_ms: number;
}

/**
 * NIRData as tensors [steps, batch, n] per node and observable, e.g. `data['input']['spikes']` to feed
 * `model.forward`. TimeGriddedData must be on the experiment's grid (NIR's `dt` in seconds, dt_ms / 1000).
 * EventData goes onto the grid as NIR's `to_time_gridded` does (the state moves before it spikes): an event at
 * time t falls in step ⌈t/dt⌉ − 1 (t = 0 in step 0), of ⌊t_max/dt⌉ steps. ValuedEventData (irregular samples)
 * and nested graph data are refused: resample or flatten them first.
 */
export function fromNIRData(data: NIRGraphData, options: FromNIRDataOptions): Record<string, Record<string, tf.Tensor3D>> {
  checkGraphData('', data);
  const dt_s = msToSeconds(options.dt_ms);
  if (!(dt_s > 0 && Number.isFinite(dt_s))) throw new NIRConversionError(`fromNIRData: dt_ms is a time step > 0, got ${options.dt_ms}`, { parameter: 'dt_ms', value: options.dt_ms });
  const out: Record<string, Record<string, tf.Tensor3D>> = {};
  for (const [name, node] of Object.entries(data.nodes)) {
    if (node.type === 'NIRGraphData') throw new NIRConversionError(`fromNIRData: '${name}' holds nested graph data; flatten it to the nodes of one graph`, { module: name });
    out[name] = Object.fromEntries(Object.entries(node.observables).map(([observable, value]) => [observable, onGrid(`${name}/${observable}`, value, dt_s)]));
  }
  return out;
}

/** Relative tolerance of "the same time step": dt travels as seconds, ms / 1000 may be an ulp off. */
const DT_TOLERANCE = 1e-9;
/** NIR's own guard against times a hair above a grid point (`to_time_gridded`: eps = dt · 1e-10). */
const GRID_EPSILON = 1e-10;

function onGrid(where: string, observable: NIRObservable, dt_s: number): tf.Tensor3D {
  if (observable.type === 'TimeGriddedData') {
    if (Math.abs(observable.dt - dt_s) > DT_TOLERANCE * dt_s) {
      throw new NIRConversionError(`fromNIRData: ${where} has dt = ${observable.dt} s, the experiment ${dt_s} s; resample it onto the experiment's grid`, { module: where, parameter: 'dt', value: observable.dt });
    }
    const [batch, steps, n] = observable.data.shape as [number, number, number];
    const values = new Float32Array(batch * steps * n);
    for (let b = 0; b < batch; b++) for (let s = 0; s < steps; s++) for (let i = 0; i < n; i++) values[(s * batch + b) * n + i] = observable.data.data[(b * steps + s) * n + i]!;
    return tf.tensor3d(values, [steps, batch, n]);
  }
  if (observable.type === 'ValuedEventData') {
    throw new NIRConversionError(`fromNIRData: ${where} holds valued events (irregular samples); interpolate them onto the time grid first`, { module: where, value: observable.type });
  }
  if (observable.idx.shape.length !== 2) throw new NIRConversionError(`fromNIRData: ${where} has events of shape (${observable.idx.shape.join(', ')}); NIR's are [n_samples, n_events]`, { module: where, value: observable.idx.shape });
  const [batch, events] = observable.idx.shape as [number, number];
  const steps = Math.round(observable.t_max / dt_s);
  const n = observable.n_neurons;
  const values = new Float32Array(steps * batch * n);
  for (let b = 0; b < batch; b++) {
    for (let e = 0; e < events; e++) {
      const neuron = observable.idx.data[b * events + e]!;
      if (neuron === -1) continue;
      const time = observable.time.data[b * events + e]!;
      const step = Math.max(0, Math.ceil(time / dt_s - GRID_EPSILON) - 1);
      if (step >= steps) {
        throw new NIRConversionError(`fromNIRData: ${where} has an event at ${time} s, after t_max = ${observable.t_max} s (${steps} steps of ${dt_s} s)`, { module: where, parameter: 'time', value: time });
      }
      values[(step * batch + b) * n + neuron] = 1;
    }
  }
  return tf.tensor3d(values, [steps, batch, n]);
}
