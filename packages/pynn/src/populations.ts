// Populations, views and assemblies (PyNN's `Population`, `PopulationView`, `Assembly`): groups of neurons of
// one or several populations that can be recorded, read, parametrised and connected alike.
import { CellType, type CellTypeClass } from './cells.js';
import type { CurrentSource } from './current-sources.js';
import type { Block } from './data.js';
import { NotSupportedError, ParameterError, RecordingError } from './errors.js';
import { describeValue } from './describe.js';
import { McNeuron } from './multicompartment.js';
import { checkOptions } from './options.js';
import { type PopulationObservableData, populationObservable } from './plasticity/data.js';
import { MAX_NEURONS, MAX_SOURCES, checkPopulationSize, maxPopulationSize } from './population-limits.js';
import { Recorder, type RecordingDevice, recordingLocations } from './recorder.js';
import type { NumpyRNG } from './random.js';
import { currentSimulator, type Simulator } from './simulator-registry.js';

/** One neuron: its population and index (PyNN's ID). `id` is global across the simulator, as in PyNN. */
export interface ID {
  readonly population: Population;
  readonly index: number;
  readonly id: number;
}


export type { RecordingDevice };
export { MAX_NEURONS, MAX_SOURCES, maxPopulationSize };

export interface RecordOptions {
  /**
   * Sampling interval (ms, biological). MADC: default its full rate (34 ns chip = 0.034 ms); CADC: default 2 ms,
   * at least one sweep of all neurons (128 cycles = 1.024 ms).
   */
  readonly samplingInterval?: number;
  /**
   * 'madc' (default): at most two neurons, any analog variable, 34 ns resolution. 'cadc': the membrane (`v`) of
   * any number of neurons, one sweep of every neuron's channel per sample.
   */
  readonly device?: RecordingDevice;
  /**
   * Multi-compartment neurons: the compartments (labels) to record (default: compartment 0, as the reference).
   * Other cell types have one location: `locations` is refused for them.
   */
  readonly locations?: string | readonly string[];
}

/** The options record() takes, and those of PyNN it refuses (with the reason). */
const RECORD_OPTIONS = ['samplingInterval', 'device', 'locations'] as const;
const RECORD_REFUSED = { toFile: 'file output is not part of the platform-neutral core: getData() returns the data; write it with your own code (or `bss2 run --out`)' };

export interface GetDataOptions {
  /** Drop the recorded data after returning it. */
  readonly clear?: boolean;
}

const GET_DATA_REFUSED = {
  gather: 'one process holds all data (no MPI): there is nothing to gather',
  annotations: 'annotations are set by the backend (source_population, source_id, source_index, source_location, source_compartment)',
};

/** What Population, PopulationView and Assembly share. */
export abstract class BasePopulation {
  abstract readonly size: number;
  abstract readonly label: string;
  /** The neurons in order: (population, index) pairs. */
  abstract members(): readonly ID[];

  ids(): ID[] {
    return [...this.members()];
  }

  [Symbol.iterator](): Iterator<ID> {
    return this.members()[Symbol.iterator]();
  }

  /** The populations this spans (one for a population or view). */
  populations(): Population[] {
    return [...new Set(this.members().map((m) => m.population))];
  }

  /**
   * Records `variables` ('spikes', 'v', … as the cell type lists) of every member; `null` stops all recording.
   * Variables a member's cell type lacks → RecordingError.
   */
  record(variables: string | readonly string[] | null, options: RecordOptions = {}): void {
    checkOptions(options, `record() of '${this.label}'`, RECORD_OPTIONS, { Unknown: RecordingError, NotSupported: NotSupportedError }, { population: this.label }, RECORD_REFUSED);
    const members = this.members();
    if (variables === null) {
      if (options.locations !== undefined) throw new RecordingError(`record(null) of '${this.label}' stops all recording; it takes no locations`, { population: this.label, parameter: 'locations', value: options.locations });
      for (const m of members) m.population.recorder.clear(m.index);
      return;
    }
    const given: unknown = variables;
    if (typeof given !== 'string' && !(Array.isArray(given) && given.every((v) => typeof v === 'string'))) {
      throw new RecordingError(`record() takes a variable name, a list of names or null, got ${describeValue(given)} (population '${this.label}')`, { population: this.label, value: given });
    }
    const list = typeof variables === 'string' ? [variables] : [...variables];
    for (const m of members) {
      for (const variable of list) {
        if (!m.population.cellType.recordables.includes(variable)) {
          throw new RecordingError(
            `${m.population.cellType.modelName} of population '${m.population.label}' cannot record '${variable}'; recordables: ${m.population.cellType.recordables.join(', ')}`,
            { population: m.population.label, parameter: variable, value: variable },
          );
        }
      }
    }
    const device = options.device ?? 'madc';
    if (device !== 'madc' && device !== 'cadc') {
      throw new RecordingError(`record() device must be 'madc' or 'cadc', got ${String(device)}`, { population: this.label, parameter: 'device', value: device });
    }
    if (device === 'cadc' && list.some((v) => v !== 'v' && v !== 'spikes')) {
      throw new RecordingError(`the CADC records the membrane ('v') only, not ${list.filter((v) => v !== 'v' && v !== 'spikes').join(', ')} (population '${this.label}')`, {
        population: this.label,
        parameter: 'device',
        value: list,
      });
    }
    if (options.samplingInterval !== undefined && !(Number.isFinite(options.samplingInterval) && options.samplingInterval > 0)) {
      throw new RecordingError(`samplingInterval must be a positive number of ms, got ${String(options.samplingInterval)}`, { population: this.label, value: options.samplingInterval });
    }
    const locations = new Map([...new Set(members.map((m) => m.population))].map((p) => [p, recordingLocations(p, options.locations, this.label)]));
    for (const m of members) {
      for (const location of locations.get(m.population)!) for (const variable of list) m.population.recorder.add(m.index, variable, device, location);
      if (options.samplingInterval !== undefined) {
        if (device === 'cadc') m.population.recorder.cadcInterval_ms = options.samplingInterval;
        else m.population.recorder.samplingInterval_ms = options.samplingInterval;
      }
    }
  }

  /** Recorded data of the members: one Segment per reset(), neo-like (see data.ts). */
  getData(variables?: string | readonly string[], options: GetDataOptions = {}): Block {
    checkOptions(options, `getData() of '${this.label}'`, ['clear'], { Unknown: RecordingError, NotSupported: NotSupportedError }, { population: this.label }, GET_DATA_REFUSED);
    const simulator = this.simulator('getData');
    const list = variables === undefined ? undefined : typeof variables === 'string' ? [variables] : [...variables];
    return simulator.data.block(this, this.members(), list, options.clear ?? false);
  }

  /** Spike counts of the members in the current segment, by global id. */
  getSpikeCounts(): Map<number, number> {
    return this.simulator('getSpikeCounts').data.spikeCounts(this.members());
  }

  /** Mean spike count per member in the current segment. */
  meanSpikeCount(): number {
    const counts = [...this.getSpikeCounts().values()];
    return counts.length === 0 ? 0 : counts.reduce((a, b) => a + b, 0) / counts.length;
  }

  /** Values of a parameter; one value if all members agree (PyNN's `simplify=True`), else one per member. */
  get(name: string, options: { simplify?: boolean } = {}): unknown {
    const values = this.members().map((m) => m.population.parameterValue(name, m.index));
    const first = values[0];
    if ((options.simplify ?? true) && values.every((v) => sameValue(v, first))) return first;
    return values;
  }

  /** Sets parameters: each a single value for all members or an array with one value per member. */
  set(parameters: Readonly<Record<string, unknown>>): void {
    const members = this.members();
    const staged: [Population, string, number, unknown][] = [];
    for (const [name, value] of Object.entries(parameters)) {
      // Validated per population for all members first, then applied: nothing is half-written on error.
      const byPopulation = new Map<Population, { index: number; value: unknown }[]>();
      const perMember = members.length > 0 && members[0]!.population.cellType.isPerNeuron(name, value);
      const list = perMember ? Array.from(value as ArrayLike<unknown>) : undefined;
      if (list !== undefined && list.length !== members.length) {
        throw new ParameterError(`${name} of '${this.label}' has ${list.length} values for ${members.length} neurons`, { population: this.label, parameter: name, value: list.length });
      }
      members.forEach((m, k) => {
        const entries = byPopulation.get(m.population) ?? [];
        entries.push({ index: m.index, value: list === undefined ? value : list[k] });
        byPopulation.set(m.population, entries);
      });
      for (const [population, entries] of byPopulation) {
        for (const { index, value: v } of entries) staged.push([population, name, index, population.checkValue(name, v)]);
      }
    }
    for (const [population, name, index, value] of staged) population.assign(name, index, value);
  }

  /** A view of `start..stop−1` of this group's members. */
  slice(start: number, stop = this.size, step = 1): PopulationView {
    const indices: number[] = [];
    for (let i = start; i < stop; i += step) indices.push(i);
    return this.view(indices);
  }

  /** A view of the members at `indices` (positions in this group). */
  view(indices: readonly number[]): PopulationView {
    const members = this.members();
    for (const i of indices) {
      if (!Number.isInteger(i) || i < 0 || i >= members.length) {
        throw new ParameterError(`index ${String(i)} is outside '${this.label}' (size ${members.length})`, { population: this.label, value: i });
      }
    }
    return new PopulationView(this, indices.map((i) => members[i]!));
  }

  /** A view of `n` members drawn at random without replacement (PyNN's `sample`), in ascending order. */
  sample(n: number, rng: NumpyRNG): PopulationView {
    if (!Number.isInteger(n) || n < 0 || n > this.size) throw new ParameterError(`sample(${String(n)}) of '${this.label}' needs 0 ≤ n ≤ ${this.size}`, { population: this.label, value: n });
    return this.view(rng.sample(this.size, n).sort((a, b) => a - b));
  }

  /**
   * PyNN's `initialize`: the chip starts every segment with the membranes at rest (they relax there while the
   * configuration settles), so only `v` equal to each neuron's `v_rest` is accepted.
   */
  initialize(values: { v?: number | readonly number[] }): void {
    for (const key of Object.keys(values)) {
      if (key !== 'v') throw new NotSupportedError(`initialize(${key}): the chip has no way to set initial ${key}; segments start at rest`, { population: this.label, parameter: key });
    }
    const v = values.v;
    if (v === undefined) return;
    this.members().forEach((m, k) => {
      const wanted = typeof v === 'number' ? v : v[k];
      const names = m.population.cellType.parameterNames;
      const rest = names.includes('v_rest') ? (m.population.parameterValue('v_rest', m.index) as number) : undefined;
      if (rest === undefined || wanted !== rest) {
        throw new NotSupportedError(
          `initialize(v = ${String(wanted)}) of '${m.population.label}' neuron ${m.index}: the chip starts every segment at rest${rest === undefined ? '' : ` (v_rest = ${rest} mV)`}; other initial potentials are not supported`,
          { population: m.population.label, parameter: 'v', value: wanted },
        );
      }
    });
  }

  /** PyNN's `inject(current_source)`: the same as `source.injectInto(this)`. */
  inject(source: CurrentSource): void {
    source.injectInto(this);
  }

  /** The member at position `i`. */
  at(i: number): ID {
    return this.view([i]).members()[0]!;
  }

  /** An Assembly of this and the others (PyNN's `p1 + p2`). */
  concat(...others: BasePopulation[]): Assembly {
    return new Assembly(this, ...others);
  }

  protected simulator(what: string): Simulator {
    return this.populations()[0]?.simulatorFor(what) ?? currentSimulator(what);
  }
}

/** Equal values: numbers and strings, spike-time arrays, per-compartment lists (multi-compartment neurons). */
function sameValue(a: unknown, b: unknown): boolean {
  const isList = (v: unknown) => Array.isArray(v) || ArrayBuffer.isView(v);
  if (isList(a) && isList(b)) {
    const x = Array.from(a as ArrayLike<unknown>);
    const y = Array.from(b as ArrayLike<unknown>);
    return x.length === y.length && x.every((v, i) => sameValue(v, y[i]));
  }
  return a === b;
}


export interface PopulationOptions {
  readonly label?: string;
  /** PyNN's `cellparams`: the parameters when the cell type is given as a class (`new Population(n, IF_curr_exp, { cellparams })`). */
  readonly cellparams?: Readonly<Record<string, unknown>>;
  /** PyNN's `initial_values`: as `initialize()` (the chip starts every segment at rest: only `v` = `v_rest`). */
  readonly initialValues?: { readonly v?: number | readonly number[] };
}

const POPULATION_OPTIONS = ['label', 'cellparams', 'initialValues'] as const;
const POPULATION_REFUSED = {
  structure: 'neurons have no positions here: no connector uses space (there are no distance-dependent connectors)',
  constraints: 'placement is the router’s (setup({ neuronPermutation }) orders the circuits)',
  additionalParameters: 'this backend has no extra cell parameters beyond the cell type’s',
};

/** The cell type of `new Population(size, cellType, { cellparams })`: an instance, or a class with its cellparams. */
function cellTypeOf(cellType: CellType | CellTypeClass, options: PopulationOptions): CellType {
  const { label, cellparams } = options;
  if (typeof cellType === 'function' && cellType.prototype instanceof CellType) return new cellType(cellparams ?? {});
  if (!(cellType instanceof CellType)) {
    throw new ParameterError(`Population cellType must be a cell type such as new IF_curr_exp() or IF_curr_exp, got ${describeValue(cellType)}`, { value: cellType, population: label });
  }
  if (cellparams !== undefined) {
    throw new ParameterError(
      `Population '${label ?? ''}': cellparams go with a cell type class (new Population(n, ${cellType.modelName}, { cellparams })); ${cellType.modelName} was given as an instance with its own parameters`,
      { population: label, parameter: 'cellparams', value: cellparams },
    );
  }
  return cellType;
}

/**
 * `new Population(size, cellType, { label, cellparams, initialValues })`: neurons of one cell type, placed and
 * routed as a unit. `cellType` is an instance (`new IF_curr_exp({ tau_m: 10 })`) or, as in PyNN, a class with
 * `cellparams`.
 */
export class Population extends BasePopulation {
  readonly size: number;
  readonly label: string;
  readonly cellType: CellType;
  /** Creation order in its simulator. */
  readonly index: number;
  /** Global id of neuron 0 (PyNN's `first_id`). */
  readonly firstId: number;
  readonly recorder: Recorder;
  /** Bumped whenever a parameter changes; the simulator re-configures what depends on it. */
  parameterVersion = 0;
  readonly #simulator: Simulator;
  readonly #values = new Map<string, unknown[]>();
  /** Per parameter, the neurons whose value was given (at construction or by `set`): they override a calibration. */
  readonly #explicit = new Map<string, Set<number>>();
  readonly #members: ID[];

  constructor(size: number, cellType: CellType | CellTypeClass, options: PopulationOptions = {}) {
    super();
    const simulator = currentSimulator('new Population()');
    const given: unknown = options;
    const label = given !== null && typeof given === 'object' && typeof options.label === 'string' ? options.label : undefined;
    checkOptions(options, `new Population(${label === undefined ? '' : `'${label}'`})`, POPULATION_OPTIONS, { Unknown: ParameterError, NotSupported: NotSupportedError }, { population: label }, POPULATION_REFUSED);
    if (!Number.isSafeInteger(size) || size < 1) throw new ParameterError(`Population size must be a positive integer, got ${String(size)}`, { value: size, population: options.label });
    const type = cellTypeOf(cellType, options);
    this.#simulator = simulator;
    this.index = simulator.populationCount;
    this.label = options.label ?? `population${this.index}`;
    if (typeof this.label !== 'string' || this.label.length === 0) throw new ParameterError(`Population label must be a non-empty string, got ${String(this.label)}`, { value: this.label });
    checkPopulationSize(size, type, this.label, simulator.populations);
    simulator.checkCellType(type, this.label);
    this.size = size;
    this.cellType = type;
    this.firstId = simulator.allocateIds(size);
    this.recorder = new Recorder(size, type instanceof McNeuron ? type.morphology.shape.size : 1);
    const givenNames = new Set(type.givenNames);
    const base = simulator.chipNeuronDefaults(type);
    for (const name of type.parameterNames) {
      const initial = !givenNames.has(name) && Object.hasOwn(base, name) ? base[name] : type.initialValue(name);
      this.#values.set(name, type.expand(name, initial, size, `population '${this.label}'`));
    }
    for (const name of givenNames) this.#explicit.set(name, new Set(Array.from({ length: size }, (_, i) => i)));
    this.#members = Array.from({ length: size }, (_, index) => ({ population: this, index, id: this.firstId + index }));
    if (options.initialValues !== undefined) this.initialize(options.initialValues);
    simulator.addPopulation(this);
  }

  override members(): readonly ID[] {
    return this.#members;
  }

  /** The global id of neuron `i`. */
  id(i: number): number {
    return this.at(i).id;
  }

  /** One neuron's value of a parameter. */
  parameterValue(name: string, index: number): unknown {
    const values = this.#values.get(name);
    if (values === undefined) {
      throw new ParameterError(`${this.cellType.modelName} of population '${this.label}' has no parameter '${name}'; parameters: ${this.cellType.parameterNames.join(', ')}`, {
        population: this.label,
        parameter: name,
      });
    }
    return values[index];
  }

  /** All neurons' values of a parameter (read-only view). */
  values(name: string): readonly unknown[] {
    this.parameterValue(name, 0);
    return this.#values.get(name)!;
  }

  /** One neuron's value checked against the cell type (throws ParameterError), not yet applied. */
  checkValue(name: string, value: unknown): unknown {
    return this.cellType.expand(name, name === 'spike_times' ? [value] : value, 1, `population '${this.label}'`)[0];
  }

  /** Applies a checked value (see `checkValue`). */
  assign(name: string, index: number, value: unknown): void {
    this.#values.get(name)![index] = value;
    let explicit = this.#explicit.get(name);
    if (explicit === undefined) this.#explicit.set(name, (explicit = new Set()));
    explicit.add(index);
    this.parameterVersion++;
  }

  /** Whether neuron `index`'s value of `name` was given (at construction or by `set`), not a default. */
  isExplicit(name: string, index: number): boolean {
    return this.#explicit.get(name)?.has(index) ?? false;
  }


  simulatorFor(what: string): Simulator {
    return this.#simulator.checkAlive(what);
  }

  /**
   * The per-neuron observable `observable` of this population's cell rule (`plasticity_rule`), one value per
   * neuron per invocation (times in biological ms): the reference's `Population.get_plasticity_data`.
   */
  getPlasticityData(observable: string): PopulationObservableData {
    return populationObservable(this, observable);
  }

  override toString(): string {
    return `Population(${this.size}, ${this.cellType.modelName}, label='${this.label}')`;
  }
}

/** A subset of a population (or of any group), in a given order. */
export class PopulationView extends BasePopulation {
  readonly parent: BasePopulation;
  readonly label: string;
  readonly #members: readonly ID[];

  constructor(parent: BasePopulation, members: readonly ID[]) {
    super();
    this.parent = parent;
    this.#members = members;
    this.label = `view of ${parent.label}`;
  }

  get size(): number {
    return this.#members.length;
  }

  override members(): readonly ID[] {
    return this.#members;
  }

  /** The member positions in the parent population (for a view of one population). */
  get mask(): number[] {
    return this.#members.map((m) => m.index);
  }
}

/** Several populations or views as one group (PyNN's `Assembly`). */
export class Assembly extends BasePopulation {
  readonly parts: readonly BasePopulation[];
  readonly label: string;

  constructor(...parts: BasePopulation[]) {
    super();
    if (parts.length === 0) throw new ParameterError('an Assembly needs at least one population or view');
    for (const p of parts) if (!(p instanceof BasePopulation)) throw new ParameterError(`an Assembly takes populations, views or assemblies, got ${String(p)}`, { value: p });
    this.parts = parts;
    this.label = `assembly of ${parts.map((p) => p.label).join(', ')}`;
  }

  get size(): number {
    return this.parts.reduce((n, p) => n + p.size, 0);
  }

  override members(): readonly ID[] {
    return this.parts.flatMap((p) => p.members());
  }
}
