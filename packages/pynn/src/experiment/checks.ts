// Rules of an experiment file that span fields: unique labels, references that resolve, per-neuron arrays of
// the right length, recordables of the cell type, MADC limits, connector shapes and weight signs. Each issue
// names the offending element by its path. Parameter values are checked by the cell types' own rules.
import { ParameterError } from '../errors.js';
import { MAX_NEURONS, maxPopulationSize } from '../populations.js';
import { cellTypeTemplate, isAnalog, type CellTypeName } from './cell-types.js';
import { formatPath } from './issues.js';
import type { ExperimentFile } from './schema.js';
import { MADC_CHANNELS } from '@bss2/execution';

type Path = readonly (string | number)[];
type Report = (path: Path, message: string) => void;

type PopulationFile = ExperimentFile['populations'][number];
type ProjectionFile = NonNullable<ExperimentFile['projections']>[number];
type ViewFile = { population: string; indices?: number[] | undefined; slice?: [number, number] | undefined };

/** At most this many neurons record analog variables: one MADC with two channels (hardware.md §3.9, §11.1). */
export const MAX_ANALOG_NEURONS = MADC_CHANNELS;

/** The label a projection gets when the file gives none. */
export function defaultProjectionLabel(index: number): string {
  return `projection${index}`;
}

interface PopulationInfo {
  readonly path: Path;
  readonly label: string;
  readonly size: number;
  readonly cellType: CellTypeName;
}

/** The neurons a reference selects, as (population label, index) pairs in order. */
interface Selection {
  readonly populations: readonly PopulationInfo[];
  readonly members: readonly (readonly [string, number])[];
}

const list = (items: Iterable<string>) => [...items].map((s) => `'${s}'`).join(', ');

/** Indices of a view or record entry within a population of `size`; undefined (reported) when invalid. */
function selectIndices(view: Omit<ViewFile, 'population'>, size: number, where: string, path: Path, report: Report, wholeIfNone: boolean): number[] | undefined {
  if (view.indices !== undefined && view.slice !== undefined) {
    report(path, 'give either indices or slice, not both');
    return undefined;
  }
  if (view.slice !== undefined) {
    const [start, stop] = view.slice;
    if (!(start < stop && stop <= size)) {
      report([...path, 'slice'], `slice [${start}, ${stop}) does not select neurons of '${where}' (size ${size}): need start < stop ≤ ${size}`);
      return undefined;
    }
    return Array.from({ length: stop - start }, (_, k) => start + k);
  }
  if (view.indices !== undefined) {
    const seen = new Set<number>();
    let ok = true;
    view.indices.forEach((i, k) => {
      if (i >= size) {
        report([...path, 'indices', k], `index ${i} is out of range 0..${size - 1} of '${where}'`);
        ok = false;
      } else if (seen.has(i)) {
        report([...path, 'indices', k], `index ${i} repeats`);
        ok = false;
      }
      seen.add(i);
    });
    return ok ? view.indices : undefined;
  }
  if (wholeIfNone) return Array.from({ length: size }, (_, k) => k);
  report(path, 'a view needs indices or slice');
  return undefined;
}

class Checker {
  readonly populations = new Map<string, PopulationInfo>();
  readonly projections = new Map<string, { readonly receptorType: string; readonly connections: number | undefined }>();

  constructor(readonly report: Report) {}

  population(label: string, path: Path): PopulationInfo | undefined {
    const info = this.populations.get(label);
    if (info === undefined) this.report(path, `unknown population '${label}'; populations: ${list(this.populations.keys())}`);
    return info;
  }

  /** A population label, a view, or (where `assembly`) an array of labels. */
  select(ref: string | ViewFile | string[], path: Path): Selection | undefined {
    if (typeof ref === 'string') {
      const info = this.population(ref, path);
      return info === undefined ? undefined : { populations: [info], members: Array.from({ length: info.size }, (_, k) => [info.label, k] as const) };
    }
    if (Array.isArray(ref)) {
      const infos: PopulationInfo[] = [];
      ref.forEach((label, k) => {
        if (ref.indexOf(label) !== k) this.report([...path, k], `population '${label}' appears twice in the assembly`);
        const info = this.population(label, [...path, k]);
        if (info !== undefined) infos.push(info);
      });
      if (infos.length !== ref.length) return undefined;
      return { populations: infos, members: infos.flatMap((info) => Array.from({ length: info.size }, (_, k) => [info.label, k] as const)) };
    }
    const info = this.population(ref.population, [...path, 'population']);
    if (info === undefined) return undefined;
    const indices = selectIndices(ref, info.size, info.label, path, this.report, false);
    return indices === undefined ? undefined : { populations: [info], members: indices.map((k) => [info.label, k] as const) };
  }

  /** Parameter values against the cell type's rules; per-neuron arrays must have one value per selected neuron. */
  parameters(cellType: CellTypeName, parameters: Readonly<Record<string, unknown>>, size: number, where: string, path: Path): void {
    const template = cellTypeTemplate(cellType);
    for (const [name, value] of Object.entries(parameters)) {
      if (!template.parameterNames.includes(name)) {
        this.report([...path, name], `unknown parameter of ${cellType}; parameters: ${template.parameterNames.join(', ')}`);
        continue;
      }
      const perNeuron = Array.isArray(value) && (name !== 'spike_times' || value.some((v) => Array.isArray(v)));
      if (perNeuron && value.length !== size) {
        this.report([...path, name], `${value.length} values for the ${size} neurons of '${where}' (give one value, or one per neuron)`);
        continue;
      }
      const values: readonly unknown[] = perNeuron ? value : [value];
      values.forEach((v, k) => {
        try {
          template.expand(name, v, 1, `'${where}'`);
        } catch (error) {
          if (!(error instanceof ParameterError)) throw error;
          this.report(perNeuron ? [...path, name, k] : [...path, name], error.message);
        }
      });
    }
  }

  weights(weight: number | readonly number[], receptorType: string, connections: number | undefined, path: Path): void {
    const sign = receptorType === 'inhibitory' ? -1 : 1;
    const bad = (w: number) => w * sign < 0;
    const rule = `${receptorType} weights must be ${sign > 0 ? '≥ 0' : '≤ 0'} (the magnitude goes to the chip)`;
    if (typeof weight === 'number') {
      if (bad(weight)) this.report(path, `${weight}: ${rule}`);
      return;
    }
    if (connections !== undefined && weight.length !== connections) {
      this.report(path, `${weight.length} weights for ${connections} connections (give one weight, or one per connection)`);
      return;
    }
    weight.forEach((w, k) => {
      if (bad(w)) this.report([...path, k], `${w}: ${rule}`);
    });
  }
}

function checkPopulations(populations: readonly PopulationFile[], checker: Checker): void {
  const analog = new Map<string, string>();
  let analogReported = false;
  let neurons = 0;
  let neuronsReported = false;
  let sampling: { readonly interval: number; readonly label: string } | undefined;
  populations.forEach((population, i) => {
    const path = ['populations', i];
    const previous = checker.populations.get(population.label);
    if (previous !== undefined) {
      checker.report([...path, 'label'], `duplicate label '${population.label}' (also ${formatPath(previous.path)})`);
      return;
    }
    checker.populations.set(population.label, { path, label: population.label, size: population.size, cellType: population.cellType });
    if (!cellTypeTemplate(population.cellType).isSource) {
      neurons += population.size;
      if (neurons > MAX_NEURONS && !neuronsReported) {
        neuronsReported = true;
        checker.report([...path, 'size'], `population '${population.label}' of ${population.size} neurons brings the neuron populations to ${neurons} neurons; the chip has ${MAX_NEURONS}`);
      }
    }
    checker.parameters(population.cellType, population.parameters ?? {}, population.size, population.label, [...path, 'parameters']);
    (population.record ?? []).forEach((entry, k) => {
      const entryPath = [...path, 'record', k];
      const variables = typeof entry === 'string' ? [entry] : entry.variables;
      const indices = typeof entry === 'string' ? Array.from({ length: population.size }, (_, n) => n) : selectIndices(entry, population.size, population.label, entryPath, checker.report, true);
      if (indices === undefined) return;
      if (typeof entry !== 'string' && entry.device === 'cadc') {
        // The CADC records membranes of any number of neurons; its limits are pynn's (interval, readout conflicts).
        const other = variables.filter((v) => v !== 'v' && v !== 'spikes');
        if (other.length > 0) checker.report([...entryPath, 'device'], `the CADC records the membrane ('v') only, not ${other.join(', ')}`);
        return;
      }
      for (const variable of variables.filter(isAnalog)) {
        for (const n of indices) {
          const key = `${population.label}[${n}]`;
          const other = analog.get(key);
          if (other !== undefined && other !== variable) {
            checker.report(entryPath, `neuron ${key} would record both '${other}' and '${variable}': the MADC records one analog variable per neuron`);
            return;
          }
          analog.set(key, variable);
        }
        if (population.samplingInterval !== undefined && indices.length > 0) {
          if (sampling === undefined) sampling = { interval: population.samplingInterval, label: population.label };
          else if (sampling.interval !== population.samplingInterval) {
            checker.report([...path, 'samplingInterval'], `${population.samplingInterval} ms, but '${sampling.label}' samples every ${sampling.interval} ms: the one MADC has one sampling interval`);
          }
        }
        if (analog.size > MAX_ANALOG_NEURONS && !analogReported) {
          analogReported = true;
          checker.report(entryPath, `analog variables on ${analog.size} neurons: the MADC records at most ${MAX_ANALOG_NEURONS} neurons in the whole network; record '${variable}' of fewer neurons ({ variables, indices })`);
        }
      }
    });
  });
}

/** How many connections a connector makes, when that is fixed by the sizes alone. */
function connectionCount(connector: ProjectionFile['connector'], pre: Selection, post: Selection): number | undefined {
  const P = pre.members.length;
  const Q = post.members.length;
  switch (connector.type) {
    case 'AllToAll': {
      if (connector.allowSelfConnections !== false) return P * Q;
      const postKeys = new Set(post.members.map(([label, k]) => `${label}[${k}]`));
      return P * Q - pre.members.filter(([label, k]) => postKeys.has(`${label}[${k}]`)).length;
    }
    case 'OneToOne':
      return P;
    case 'FixedNumberPre':
      return connector.n * Q;
    case 'FixedNumberPost':
      return connector.n * P;
    case 'FixedTotalNumber':
      return connector.n;
    case 'FromList':
      return connector.connections.length;
    case 'Array':
      return connector.matrix.reduce((sum, row) => sum + row.filter(Boolean).length, 0);
    case 'FixedProbability':
      return undefined;
  }
}

function checkConnector(projection: ProjectionFile, pre: Selection, post: Selection, receptorType: string, path: Path, checker: Checker): void {
  const connector = projection.connector;
  const P = pre.members.length;
  const Q = post.members.length;
  const cpath = [...path, 'connector'];
  switch (connector.type) {
    case 'OneToOne':
      if (P !== Q) checker.report(cpath, `OneToOne needs pre and post of one size; got ${P} and ${Q}`);
      break;
    case 'FixedNumberPre':
      if (connector.withReplacement !== true && connector.n > P) checker.report([...cpath, 'n'], `${connector.n} sources per target without replacement, but pre has ${P} neurons`);
      break;
    case 'FixedNumberPost':
      if (connector.withReplacement !== true && connector.n > Q) checker.report([...cpath, 'n'], `${connector.n} targets per source without replacement, but post has ${Q} neurons`);
      break;
    case 'FixedTotalNumber':
      if (connector.withReplacement !== true && connector.n > P * Q) checker.report([...cpath, 'n'], `${connector.n} connections without replacement, but pre × post has ${P * Q} pairs`);
      break;
    case 'FromList':
      connector.connections.forEach(([i, j, weight], k) => {
        if (i >= P) checker.report([...cpath, 'connections', k, 0], `pre index ${i} is out of range 0..${P - 1}`);
        if (j >= Q) checker.report([...cpath, 'connections', k, 1], `post index ${j} is out of range 0..${Q - 1}`);
        if (weight !== undefined) checker.weights(weight, receptorType, undefined, [...cpath, 'connections', k, 2]);
      });
      break;
    case 'Array':
      if (connector.matrix.length !== P) checker.report([...cpath, 'matrix'], `${connector.matrix.length} rows for the ${P} pre neurons`);
      connector.matrix.forEach((row, r) => {
        if (row.length !== Q) checker.report([...cpath, 'matrix', r], `${row.length} columns for the ${Q} post neurons`);
      });
      break;
    case 'AllToAll':
    case 'FixedProbability':
      break;
  }
}

function checkProjections(projections: readonly ProjectionFile[], checker: Checker): void {
  const explicit = new Set(projections.flatMap((p) => (p.label === undefined ? [] : [p.label])));
  projections.forEach((projection, i) => {
    const path = ['projections', i];
    const label = projection.label ?? defaultProjectionLabel(i);
    if (checker.projections.has(label)) {
      checker.report(projection.label === undefined ? path : [...path, 'label'], `duplicate projection label '${label}'${projection.label === undefined && explicit.has(label) ? ' (the default label of this projection)' : ''}`);
      return;
    }
    const receptorType = projection.receptorType ?? 'excitatory';
    const pre = checker.select(projection.pre, [...path, 'pre']);
    const post = checker.select(projection.post, [...path, 'post']);
    for (const info of post?.populations ?? []) {
      if (cellTypeTemplate(info.cellType).isSource) {
        const where = Array.isArray(projection.post) ? [...path, 'post', projection.post.indexOf(info.label)] : [...path, 'post'];
        checker.report(where, `'${info.label}' is a ${info.cellType}: spike sources cannot receive connections`);
      }
    }
    const connections = pre !== undefined && post !== undefined ? connectionCount(projection.connector, pre, post) : undefined;
    checker.projections.set(label, { receptorType, connections });
    if (pre !== undefined && post !== undefined) checkConnector(projection, pre, post, receptorType, path, checker);
    const synapse = projection.synapse ?? {};
    if (synapse.weight !== undefined && ((pre !== undefined && post !== undefined) || typeof synapse.weight === 'number')) {
      checker.weights(synapse.weight, receptorType, connections, [...path, 'synapse', 'weight']);
    }
    if (synapse.delay !== undefined && synapse.delay !== 0) {
      checker.report([...path, 'synapse', 'delay'], `delay ${synapse.delay} ms: must be 0, the chip has no programmable synaptic delays`);
    }
  });
}

function checkSchedule(file: ExperimentFile, checker: Checker): void {
  if (file.schedule !== undefined && file.duration_ms !== undefined) {
    checker.report(['duration_ms'], 'give either duration_ms (one run) or schedule, not both');
  }
  if (file.schedule === undefined) {
    if (file.duration_ms === undefined) checker.report(['schedule'], 'missing: give a schedule or duration_ms');
    return;
  }
  if (!file.schedule.some((step) => 'run' in step)) checker.report(['schedule'], 'runs nothing: add a { "run": ms } step');
  file.schedule.forEach((step, k) => {
    const path = ['schedule', k];
    if ('set' in step) {
      const selection = checker.select(step.set.population, [...path, 'set', 'population']);
      const info = selection?.populations[0];
      if (selection !== undefined && info !== undefined) {
        checker.parameters(info.cellType, step.set.parameters, selection.members.length, info.label, [...path, 'set', 'parameters']);
      }
    } else if ('setWeights' in step) {
      const projection = checker.projections.get(step.setWeights.projection);
      if (projection === undefined) {
        checker.report([...path, 'setWeights', 'projection'], `unknown projection '${step.setWeights.projection}'; projections: ${list(checker.projections.keys())}`);
      } else {
        checker.weights(step.setWeights.weight, projection.receptorType, projection.connections, [...path, 'setWeights', 'weight']);
      }
    }
  });
}

/** Every cross-field rule of an experiment file whose structure is valid; issues go to `report`. */
export function checkExperiment(file: ExperimentFile, report: Report): void {
  // zod runs these rules even when a size broke its limit (an issue of the schema already): the checks below
  // allocate per neuron, so they wait for sizes the chip can hold.
  if (file.populations.some((p) => !(Number.isSafeInteger(p.size) && p.size >= 1 && p.size <= maxPopulationSize(cellTypeTemplate(p.cellType))))) return;
  const checker = new Checker(report);
  checkPopulations(file.populations, checker);
  checkProjections(file.projections ?? [], checker);
  checkSchedule(file, checker);
}
