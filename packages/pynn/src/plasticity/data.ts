// Projection.getData(observable): a row-wise observable of the projection's rule, per invocation and connection.
import type { Projection } from '../projection.js';
import { PlasticityError } from './errors.js';
import type { PlasticityRule } from './rule.js';
import { neuronSitesOf, ruleOf, sitesOf } from './sites.js';

/** One value per connection (in the projection's order) per invocation (time in biological ms). */
export interface ProjectionObservableData {
  readonly time_ms: number[];
  readonly values: number[][];
}

const BYTES_PER_ROW = 256;
const VECTOR_BYTES = 128;

/**
 * Values of `name` for each connection: a row observable (one byte per synapse, as the rule language's row
 * scope stores it: `((row − from)·2 + column % 2)·128 + ⌊column / 2⌋`) read at each of the connection's
 * synapses — summed for `weights` (a connection realised on several synapses), the first synapse's otherwise.
 */
export function projectionObservable(projection: Projection, name: string): ProjectionObservableData {
  const rule = ruleOf(projection);
  if (rule === undefined) throw new PlasticityError(`projection '${projection.label}' has no plasticity rule or recording synapse: nothing is observed`, { projection: projection.label, parameter: name });
  const records = rule.getObservableData().get(name);
  const sites = sitesOf(projection);
  if (records === undefined || sites === undefined) {
    throw new PlasticityError(`projection '${projection.label}' has no data of observable '${name}' yet (observables recorded: ${[...rule.getObservableData().keys()].join(', ') || 'none'}; run first)`, { projection: projection.label, parameter: name });
  }
  const times = [...new Set(records.map((r) => r.time_ms))].sort((a, b) => a - b);
  const values = times.map(() => new Array<number>(projection.size()).fill(Number.NaN));
  for (const record of records) {
    const t = times.indexOf(record.time_ms);
    const rows = record.rows;
    if (rows === undefined) continue;
    const span = rows.to - rows.from + 1;
    if (record.top.length !== span * BYTES_PER_ROW) {
      throw new PlasticityError(`observable '${name}' holds ${record.top.length} bytes, not one per synapse of rows ${rows.from}..${rows.to}: read it with rule.getObservableData()`, { projection: projection.label, parameter: name });
    }
    sites.forEach((list, k) => {
      let value: number | undefined;
      for (const s of list) {
        if (s.row < rows.from || s.row > rows.to) continue;
        const bytes = s.hemisphere === 0 ? record.top : record.bottom;
        const b = bytes[((s.row - rows.from) * 2 + (s.column % 2)) * VECTOR_BYTES + Math.floor(s.column / 2)]!;
        value = value === undefined ? b : name === 'weights' ? value + b : value;
      }
      if (value !== undefined) values[t]![k] = value;
    });
  }
  return { time_ms: times, values };
}

/** One value per neuron (in the population's order) per invocation (time in biological ms). */
export interface PopulationObservableData {
  readonly time_ms: number[];
  readonly values: number[][];
}

/** Bytes of a per-neuron observable on one PPU: the rule language's half scope, `parity·128 + ⌊column / 2⌋`. */
const NEURON_OBSERVABLE_BYTES = 2 * VECTOR_BYTES;

/**
 * Values of `name` for each neuron of a population with a cell rule: a per-neuron observable (a rule-language
 * `half.observe`, 256 bytes per PPU: byte `(column % 2)·128 + ⌊column / 2⌋` of the neuron's hemisphere's PPU).
 */
export function populationObservable(population: { readonly label: string; readonly size: number; readonly cellType: { readonly plasticityRule: PlasticityRule | undefined } }, name: string): PopulationObservableData {
  const rule = population.cellType.plasticityRule;
  if (rule === undefined) throw new PlasticityError(`population '${population.label}' has no plasticity_rule: nothing is observed (give its cell type a plasticity_rule)`, { population: population.label, parameter: name });
  const records = rule.getObservableData().get(name);
  const neurons = neuronSitesOf(population);
  if (records === undefined || neurons === undefined) {
    throw new PlasticityError(`population '${population.label}' has no data of observable '${name}' yet (observables recorded: ${[...rule.getObservableData().keys()].join(', ') || 'none'}; run first)`, { population: population.label, parameter: name });
  }
  const times = [...new Set(records.map((r) => r.time_ms))].sort((a, b) => a - b);
  const values = times.map(() => new Array<number>(population.size).fill(Number.NaN));
  for (const record of records) {
    if (record.top.length !== NEURON_OBSERVABLE_BYTES) {
      throw new PlasticityError(`observable '${name}' holds ${record.top.length} bytes per PPU, not one per neuron of each half (${NEURON_OBSERVABLE_BYTES}, a half.observe): read it with rule.getObservableData()`, { population: population.label, parameter: name });
    }
    const t = times.indexOf(record.time_ms);
    for (const n of neurons) values[t]![n.index] = (n.hemisphere === 0 ? record.top : record.bottom)[(n.column % 2) * VECTOR_BYTES + Math.floor(n.column / 2)]!;
  }
  return { time_ms: times, values };
}
