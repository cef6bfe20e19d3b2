import { formatShape, sameShape, type NIRArray } from './array.js';
import { NIRFormatError } from './errors.js';
import { checkArray, checkName } from './validate.js';

/**
 * NIRData: observables recorded per node of a NIR graph (neuromorphs/NIR 1.0.7, `nir/data_ir/graph.py`), what
 * hardware-in-the-loop training exchanges with a model (hardware.md §11.3). Field names are NIR's.
 */

/** Samples on a time grid: `data` is `[n_samples, n_time_steps, n_neurons]` (spikes as 0/1, or e.g. membrane voltages). */
export interface NIRTimeGriddedData {
  type: 'TimeGriddedData';
  data: NIRArray;
  /** Time step (stored as float64). */
  dt: number;
}

/** Events as neuron index and time, `[n_samples, n_events]` each; padding is index −1 (time usually +Infinity). */
export interface NIREventData {
  type: 'EventData';
  idx: NIRArray;
  time: NIRArray;
  n_neurons: number;
  t_max: number;
}

/** Events with a value each (e.g. sampled voltages), `value` shaped like `idx`. */
export interface NIRValuedEventData {
  type: 'ValuedEventData';
  idx: NIRArray;
  time: NIRArray;
  value: NIRArray;
  n_neurons: number;
  t_max: number;
}

export type NIRObservable = NIRTimeGriddedData | NIREventData | NIRValuedEventData;

/** The observables of one node, by name ("spikes", "v", …: NIR leaves the names to the frameworks). */
export interface NIRNodeData {
  type: 'NIRNodeData';
  observables: Record<string, NIRObservable>;
}

/** The data of a graph, by node name; a nested graph has nested graph data. */
export interface NIRGraphData {
  type: 'NIRGraphData';
  nodes: Record<string, NIRNodeData | NIRGraphData>;
}

function checkNonNegative(path: string, value: unknown, integer: boolean): void {
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= 0 && (!integer || Number.isSafeInteger(value));
  if (!ok) throw new NIRFormatError(path, value, integer ? 'must be a non-negative integer' : 'must be a finite non-negative number');
}

function checkEvents(path: string, events: NIREventData | NIRValuedEventData): void {
  checkNonNegative(`${path}@n_neurons`, events.n_neurons, true);
  checkNonNegative(`${path}@t_max`, events.t_max, false);
  checkArray(`${path}/idx`, events.idx, false);
  checkArray(`${path}/time`, events.time, false);
  const arrays = events.type === 'ValuedEventData' ? { time: events.time, value: events.value } : { time: events.time };
  if (events.type === 'ValuedEventData') checkArray(`${path}/value`, events.value, false);
  for (const [name, array] of Object.entries(arrays)) {
    if (!sameShape(array.shape, events.idx.shape)) {
      throw new NIRFormatError(`${path}/${name}`, formatShape(array.shape), `must have the shape of idx, ${formatShape(events.idx.shape)}`);
    }
  }
  const { data: idx } = events.idx;
  for (let i = 0; i < idx.length; i++) {
    const neuron = idx[i]!;
    if (!Number.isInteger(neuron) || neuron < -1 || neuron >= events.n_neurons) {
      throw new NIRFormatError(`${path}/idx[${i}]`, neuron, `an event index is a neuron 0..${events.n_neurons - 1}, or -1 for no event`);
    }
    // Padding (-1) may hold anything (NIR pads times with +inf); real events need finite numbers.
    if (neuron === -1) continue;
    for (const [name, array] of Object.entries(arrays)) {
      if (!Number.isFinite(array.data[i])) throw new NIRFormatError(`${path}/${name}[${i}]`, array.data[i], 'an event needs a finite number');
    }
  }
}

function checkObservable(path: string, observable: NIRObservable): void {
  if (observable?.type === 'TimeGriddedData') {
    checkArray(`${path}/data`, observable.data, true);
    if (observable.data.shape.length !== 3) {
      throw new NIRFormatError(`${path}/data`, formatShape(observable.data.shape), 'time-gridded data is [n_samples, n_time_steps, n_neurons]');
    }
    if (!(typeof observable.dt === 'number' && Number.isFinite(observable.dt) && observable.dt > 0)) {
      throw new NIRFormatError(`${path}@dt`, observable.dt, 'the time step must be a finite positive number');
    }
  } else if (observable?.type === 'EventData' || observable?.type === 'ValuedEventData') {
    checkEvents(path, observable);
  } else {
    throw new NIRFormatError(`${path}@__type__`, (observable as { type?: unknown } | undefined)?.type, 'an observable is TimeGriddedData, EventData or ValuedEventData');
  }
}

/** Every rule of graph data whose group is at `path` (`` for the file root). */
export function checkGraphData(path: string, data: NIRGraphData): void {
  if (data?.type !== 'NIRGraphData' || typeof data.nodes !== 'object' || data.nodes === null) {
    throw new NIRFormatError(`${path === '' ? '/' : path}@__type__`, data?.type, 'graph data is { type: "NIRGraphData", nodes }');
  }
  for (const [name, node] of Object.entries(data.nodes)) {
    const at = `${path}/nodes/${name}`;
    checkName(at, name);
    if (node?.type === 'NIRGraphData') checkGraphData(at, node);
    else if (node?.type === 'NIRNodeData' && typeof node.observables === 'object' && node.observables !== null) {
      for (const [observable, value] of Object.entries(node.observables)) {
        checkName(`${at}/observables/${observable}`, observable);
        checkObservable(`${at}/observables/${observable}`, value);
      }
    } else {
      throw new NIRFormatError(`${at}@__type__`, (node as { type?: unknown } | undefined)?.type, 'node data is { type: "NIRNodeData", observables } or nested NIRGraphData');
    }
  }
}
