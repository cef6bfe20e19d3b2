// Populations, views and assemblies (PyNN's `Population`, `PopulationView`, `Assembly`): groups of neurons of
// one or several populations that can be recorded, read, parametrised and connected alike.
import { MAX_EXTERNAL_SOURCES, NEURON_COUNT } from '@bss2/execution';
import type { CellType } from './cells.js';
import type { Block } from './data.js';
import { NotSupportedError, ParameterError, RecordingError } from './errors.js';
import { describeValue } from './describe.js';
import type { NumpyRNG } from './random.js';
import { currentSimulator, type Simulator } from './simulator-registry.js';

/** One neuron: its population and index (PyNN's ID). `id` is global across the simulator, as in PyNN. */
export interface ID {
  readonly population: Population;
  readonly index: number;
  readonly id: number;
}

/** Where an analog variable is recorded (hardware.md §11.1 `device`). */
export type RecordingDevice = 'madc' | 'cadc';

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
}

export interface GetDataOptions {
  /** Drop the recorded data after returning it. */
  readonly clear?: boolean;
}

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
    const members = this.members();
    if (variables === null) {
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
    for (const m of members) {
      for (const variable of list) m.population.recorder.add(m.index, variable, device);
      if (options.samplingInterval !== undefined) {
        if (device === 'cadc') m.population.recorder.cadcInterval_ms = options.samplingInterval;
        else m.population.recorder.samplingInterval_ms = options.samplingInterval;
      }
    }
  }

  /** Recorded data of the members: one Segment per reset(), neo-like (see data.ts). */
  getData(variables?: string | readonly string[], options: GetDataOptions = {}): Block {
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
      const perMember = name === 'spike_times' ? isListOfLists(value) : Array.isArray(value) || ArrayBuffer.isView(value);
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

function sameValue(a: unknown, b: unknown): boolean {
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    const x = a as Float64Array;
    const y = b as Float64Array;
    return x.length === y.length && x.every((v, i) => v === y[i]);
  }
  return a === b;
}

function isListOfLists(value: unknown): boolean {
  return (Array.isArray(value) || ArrayBuffer.isView(value)) && Array.from(value as ArrayLike<unknown>).some((v) => Array.isArray(v) || ArrayBuffer.isView(v));
}

/** Which variables of which neurons are recorded. */
export class Recorder {
  readonly #variables: Set<string>[];
  /** Neurons whose membrane the CADC records (`record('v', { device: 'cadc' })`) instead of the MADC. */
  readonly #cadc: Set<number> = new Set();
  samplingInterval_ms: number | undefined;
  /** The CADC sampling interval asked for, ms (biological). */
  cadcInterval_ms: number | undefined;
  /** Bumped on every change so the simulator knows when to re-check recording limits and routing. */
  version = 0;

  constructor(size: number) {
    this.#variables = Array.from({ length: size }, () => new Set<string>());
  }

  add(index: number, variable: string, device: RecordingDevice = 'madc'): void {
    if (!this.#variables[index]!.has(variable)) {
      this.#variables[index]!.add(variable);
      this.version++;
    }
    if (variable !== 'v') return;
    if (device === 'cadc') this.#cadc.add(index);
    else this.#cadc.delete(index);
  }

  /** The device recording `variable` of neuron `index` (the CADC only ever records `v`). */
  deviceOf(index: number, variable: string): RecordingDevice {
    return variable === 'v' && this.#cadc.has(index) ? 'cadc' : 'madc';
  }

  clear(index: number): void {
    if (this.#variables[index]!.size > 0) {
      this.#variables[index]!.clear();
      this.version++;
    }
    this.#cadc.delete(index);
    // The sampling intervals belong to the analog recordings: they go with the last of them.
    if (!this.#variables.some((s, i) => [...s].some((v) => v !== 'spikes' && this.deviceOf(i, v) === 'madc'))) this.samplingInterval_ms = undefined;
    if (this.#cadc.size === 0) this.cadcInterval_ms = undefined;
  }

  variablesOf(index: number): ReadonlySet<string> {
    return this.#variables[index]!;
  }

  /** Whether any neuron records `variable` (or anything, without an argument). */
  any(variable?: string): boolean {
    return this.#variables.some((s) => (variable === undefined ? s.size > 0 : s.has(variable)));
  }
}

export interface PopulationOptions {
  readonly label?: string;
}

/** Neurons of the chip: no population, nor all neuron populations of a simulator together, have more (limits.ts of @bss2/execution). */
export const MAX_NEURONS = NEURON_COUNT;
/** Sources of one spike-source population: the external labels the input path can tell apart (4 links × 32 row selects × 64). */
export const MAX_SOURCES = MAX_EXTERNAL_SOURCES;

/** The largest population of `cellType` one simulator can hold: MAX_SOURCES for spike sources, else MAX_NEURONS. */
export function maxPopulationSize(cellType: Pick<CellType, 'isSource'>): number {
  return cellType.isSource ? MAX_SOURCES : MAX_NEURONS;
}

/** The chip's limits on a new population's size, checked before anything is allocated for it. */
function checkPopulationSize(size: number, cellType: CellType, label: string, existing: readonly Population[]): void {
  if (cellType.isSource) {
    if (size > MAX_SOURCES) {
      throw new ParameterError(
        `Population '${label}' of ${size} ${cellType.modelName} sources exceeds the ${MAX_SOURCES} external sources the input path can address (4 FPGA links × 32 row-select addresses × 64 synapse labels); split the input or use fewer sources`,
        { population: label, parameter: 'size', value: size, limit: MAX_SOURCES },
      );
    }
    return;
  }
  if (size > MAX_NEURONS) {
    throw new ParameterError(`Population '${label}' of ${size} ${cellType.modelName} neurons exceeds the chip's ${MAX_NEURONS} neurons`, {
      population: label,
      parameter: 'size',
      value: size,
      limit: MAX_NEURONS,
    });
  }
  const placed = existing.reduce((sum, p) => (p.cellType.isSource ? sum : sum + p.size), 0);
  if (placed + size > MAX_NEURONS) {
    throw new ParameterError(
      `Population '${label}' of ${size} neurons would bring the simulator's neuron populations to ${placed + size} neurons; the chip has ${MAX_NEURONS} (${placed} are taken by ${existing.filter((p) => !p.cellType.isSource).map((p) => `'${p.label}'`).join(', ')})`,
      { population: label, parameter: 'size', value: placed + size, limit: MAX_NEURONS },
    );
  }
}

/** `new Population(size, cellType, { label })`: neurons of one cell type, placed and routed as a unit. */
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
  readonly #members: ID[];

  constructor(size: number, cellType: CellType, options: PopulationOptions = {}) {
    super();
    const simulator = currentSimulator('new Population()');
    if (!Number.isSafeInteger(size) || size < 1) throw new ParameterError(`Population size must be a positive integer, got ${String(size)}`, { value: size, population: options.label });
    if (cellType === null || typeof cellType !== 'object' || typeof (cellType as Partial<CellType>).expand !== 'function') {
      throw new ParameterError(`Population cellType must be a cell type instance such as new IF_curr_exp(), got ${String(cellType)}`, { value: cellType, population: options.label });
    }
    this.#simulator = simulator;
    this.index = simulator.populationCount;
    this.label = options.label ?? `population${this.index}`;
    if (typeof this.label !== 'string' || this.label.length === 0) throw new ParameterError(`Population label must be a non-empty string, got ${String(this.label)}`, { value: this.label });
    checkPopulationSize(size, cellType, this.label, simulator.populations);
    this.size = size;
    this.cellType = cellType;
    this.firstId = simulator.allocateIds(size);
    this.recorder = new Recorder(size);
    for (const name of cellType.parameterNames) this.#values.set(name, cellType.expand(name, cellType.initialValue(name), size, `population '${this.label}'`));
    this.#members = Array.from({ length: size }, (_, index) => ({ population: this, index, id: this.firstId + index }));
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
    this.parameterVersion++;
  }

  simulatorFor(what: string): Simulator {
    return this.#simulator.checkAlive(what);
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
