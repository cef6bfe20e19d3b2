// PyNN's Projection: connections from one group to another on one receptor, with weights in the chip's
// 6-bit units. The connection list is drawn at construction (as PyNN does); routing happens at run/prepare.
import type { PlacedConnection } from '@bss2/routing';
import { RECEPTOR_TYPES, type ReceptorType } from './cells.js';
import { Connector } from './connectors.js';
import { describeValue } from './describe.js';
import { ConnectionError, NotSupportedError } from './errors.js';
import { McNeuron } from './multicompartment.js';
import { checkOptions } from './options.js';
import { BasePopulation, type ID } from './populations.js';
import { currentSimulator, type Simulator } from './simulator-registry.js';
import { type ProjectionObservableData, projectionObservable } from './plasticity/data.js';

export interface StaticSynapseParameters {
  /** Hardware weight (0..63 per synapse, larger ones on several rows); one value or one per connection. */
  readonly weight?: number | readonly number[];
  /** The chip has no programmable delays: only 0 (the default) is accepted. */
  readonly delay?: number;
}

/** PyNN's StaticSynapse: a fixed weight. */
export class StaticSynapse {
  readonly weight: number | readonly number[];
  readonly delay: number;
  constructor(parameters: StaticSynapseParameters = {}) {
    checkOptions(parameters, 'StaticSynapse', ['weight', 'delay'], { Unknown: ConnectionError, NotSupported: NotSupportedError });
    this.weight = parameters.weight ?? 0;
    this.delay = parameters.delay ?? 0;
    if (typeof this.delay !== 'number' || this.delay !== 0) {
      throw new ConnectionError(`StaticSynapse delay ${String(this.delay)}: the chip has no programmable delays, only 0 is accepted`, { parameter: 'delay', value: this.delay });
    }
  }
}

/** One connection: positions in pre and post groups and the weight as given (signed: inhibitory ≤ 0). */
export interface ProjectionConnection {
  readonly pre: number;
  readonly post: number;
  weight: number;
}

export interface ProjectionOptions {
  readonly label?: string;
}

const PROJECTION_REFUSED = {
  source: 'a neuron sends its spikes only (no other source variable)',
  space: 'neurons have no positions here: no connector uses space',
};

/** PyNN's `multiple_synapses` of `get(…, { format: 'array' })`: how repeated (pre, post) pairs combine. */
export type MultipleSynapses = 'sum' | 'first' | 'last' | 'min' | 'max';
const MULTIPLE_SYNAPSES: readonly MultipleSynapses[] = ['sum', 'first', 'last', 'min', 'max'];

export interface ProjectionGetOptions {
  /** 'list' (default): `[pre, post, value]` per connection (PyNN's `(i, j, w)`); 'array': a pre × post matrix, NaN without connection. */
  readonly format?: 'list' | 'array';
  /** List format: with the `pre, post` indices (default true), else the values alone. */
  readonly withAddress?: boolean;
  /** Array format: how repeated pairs combine (default 'sum', the chip's: their synapses add). */
  readonly multipleSynapses?: MultipleSynapses;
}

/** The compartment `selector` names on every population of `group` (multi-compartment neurons only). */
function selectedCompartment(group: BasePopulation, selector: string | undefined, key: string, projection: string): number {
  if (selector === undefined) return 0;
  const compartments = group.populations().map((p) => {
    if (!(p.cellType instanceof McNeuron)) {
      throw new ConnectionError(
        `projection '${projection}': ${key} ${describeValue(selector)} selects a compartment of multi-compartment neurons (createMcNeuron); ${p.cellType.modelName} of population '${p.label}' has one`,
        { projection, population: p.label, parameter: key, value: selector },
      );
    }
    return p.cellType.compartmentOf(selector, `projection '${projection}' ${key}`, ConnectionError, { projection, population: p.label, parameter: key });
  });
  if (new Set(compartments).size > 1) {
    throw new ConnectionError(`projection '${projection}': ${key} ${describeValue(selector)} is a different compartment in the populations of ${group.label}; use one projection per population`, {
      projection,
      parameter: key,
      value: selector,
    });
  }
  return compartments[0]!;
}

/** `new Projection(pre, post, connector, synapse, receptorType, { label })`. */
export class Projection {
  readonly pre: BasePopulation;
  readonly post: BasePopulation;
  readonly connector: Connector;
  readonly synapse: StaticSynapse;
  readonly receptorType: ReceptorType;
  readonly label: string;
  readonly index: number;
  /** The post compartment the connections reach, and the pre compartment that sends (0 but for multi-compartment neurons). */
  readonly postCompartment: number;
  readonly preCompartment: number;
  readonly #connections: ProjectionConnection[];
  readonly #simulator: Simulator;
  /** Bumped when weights change; the simulator writes them before the next run. */
  weightVersion = 0;

  constructor(pre: BasePopulation, post: BasePopulation, connector: Connector, synapse: StaticSynapse = new StaticSynapse(), receptorType: string = 'excitatory', options: ProjectionOptions = {}) {
    const simulator = currentSimulator('new Projection()');
    const given: unknown = options;
    const label = given !== null && typeof given === 'object' && typeof options.label === 'string' ? options.label : undefined;
    checkOptions(options, `new Projection(${label === undefined ? '' : `'${label}'`})`, ['label'], { Unknown: ConnectionError, NotSupported: NotSupportedError }, { projection: label }, PROJECTION_REFUSED);
    this.#simulator = simulator;
    this.index = simulator.projectionCount;
    this.label = options.label ?? `projection${this.index}`;
    const where = `projection '${this.label}'`;
    if (!(connector instanceof Connector)) throw new ConnectionError(`${where}: the connector must be a Connector such as new AllToAllConnector(), got ${describeValue(connector)}`, { projection: this.label, value: connector });
    if (!(pre instanceof BasePopulation) || !(post instanceof BasePopulation)) {
      throw new ConnectionError(`${where}: pre and post must be populations, views or assemblies`, { projection: this.label });
    }
    if (!(RECEPTOR_TYPES as readonly string[]).includes(receptorType)) {
      throw new ConnectionError(`${where}: receptor type '${receptorType}' is not one of ${RECEPTOR_TYPES.join(', ')}`, { projection: this.label, parameter: 'receptor_type', value: receptorType });
    }
    if (!(synapse instanceof StaticSynapse)) throw new ConnectionError(`${where}: the synapse type must be a StaticSynapse`, { projection: this.label, value: synapse });
    for (const m of post.members()) {
      if (m.population.cellType.isSource) {
        throw new ConnectionError(`${where}: post population '${m.population.label}' is a spike source (${m.population.cellType.modelName}); only neurons receive projections`, {
          projection: this.label,
          population: m.population.label,
        });
      }
    }
    this.postCompartment = selectedCompartment(post, connector.locationSelector, 'locationSelector', this.label);
    this.preCompartment = selectedCompartment(pre, connector.sourceLocationSelector, 'sourceLocationSelector', this.label);
    this.pre = pre;
    this.post = post;
    this.connector = connector;
    this.synapse = synapse;
    this.receptorType = receptorType as ReceptorType;
    const preMembers = pre.members();
    const postMembers = post.members();
    const drawn = connector.connect({
      preSize: preMembers.length,
      postSize: postMembers.length,
      isSelf: (i, j) => preMembers[i]!.id === postMembers[j]!.id,
      rng: simulator.rng,
      projection: this.label,
    });
    const weights = synapse.weight;
    if (Array.isArray(weights) && weights.length !== drawn.length) {
      throw new ConnectionError(`${where}: ${weights.length} weights for ${drawn.length} connections`, { projection: this.label, parameter: 'weight', value: weights.length });
    }
    this.#connections = drawn.map((c, k) => ({ pre: c.pre, post: c.post, weight: this.#checkWeight(c.weight ?? (Array.isArray(weights) ? weights[k]! : (weights as number)), k) }));
    simulator.addProjection(this);
  }

  /** Number of connections. */
  size(): number {
    return this.#connections.length;
  }

  get connections(): readonly Readonly<ProjectionConnection>[] {
    return this.#connections;
  }

  /** The neurons behind a connection. */
  endpoints(k: number): { pre: ID; post: ID } {
    const c = this.#connections[k]!;
    return { pre: this.pre.members()[c.pre]!, post: this.post.members()[c.post]! };
  }

  /**
   * PyNN's `get(attribute_names, format)`: 'weight' (hardware units) or 'delay' (always 0), one name or a list.
   * `list` (default): `[pre, post, value…]` per connection (with `withAddress: false`: the values alone);
   * `array`: a pre × post matrix per name with NaN where there is no connection, repeated pairs combined by
   * `multipleSynapses` (a list of names gives a list of matrices).
   */
  get(name: string, options: ProjectionGetOptions & { readonly format?: 'list'; readonly withAddress: false }): number[];
  get(name: string, options?: ProjectionGetOptions): number[][];
  get(names: readonly string[], options?: ProjectionGetOptions): number[][] | number[][][];
  get(names: string | readonly string[], options: ProjectionGetOptions = {}): number[][] | number[][][] | number[] {
    checkOptions(options, `projection '${this.label}' get()`, ['format', 'withAddress', 'multipleSynapses'], { Unknown: ConnectionError, NotSupported: NotSupportedError }, { projection: this.label }, {
      gather: 'one process holds all connections (no MPI): there is nothing to gather',
    });
    const list = typeof names === 'string' ? [names] : Array.isArray(names) ? names : [names];
    const attributes = list.map((name: unknown) => {
      if (name === 'weight' || name === 'weights') return (c: ProjectionConnection) => c.weight;
      if (name === 'delay' || name === 'delays') return () => 0;
      throw new ConnectionError(`projection '${this.label}' has no attribute ${describeValue(name)}; attributes: weight, delay`, { projection: this.label, parameter: String(name), value: name });
    });
    const format = options.format ?? 'list';
    if (format === 'list') {
      const withAddress = options.withAddress ?? true;
      const rows = this.#connections.map((c) => [...(withAddress ? [c.pre, c.post] : []), ...attributes.map((f) => f(c))]);
      return !withAddress && attributes.length === 1 ? rows.map((r) => r[0]!) : rows;
    }
    if (format !== 'array') throw new ConnectionError(`projection '${this.label}' get(): format must be 'list' or 'array', got ${describeValue(format)}`, { projection: this.label, parameter: 'format', value: format });
    const combine = options.multipleSynapses ?? 'sum';
    if (!MULTIPLE_SYNAPSES.includes(combine)) {
      throw new ConnectionError(`projection '${this.label}' get(): multipleSynapses must be one of ${MULTIPLE_SYNAPSES.join(', ')}, got ${describeValue(combine)}`, { projection: this.label, parameter: 'multipleSynapses', value: combine });
    }
    const matrices = attributes.map((f) => {
      const array = Array.from({ length: this.pre.size }, () => new Array<number>(this.post.size).fill(Number.NaN));
      for (const c of this.#connections) {
        const held = array[c.pre]![c.post]!;
        const value = f(c);
        array[c.pre]![c.post] = Number.isNaN(held) ? value : combined(combine, held, value);
      }
      return array;
    });
    return typeof names === 'string' ? matrices[0]! : matrices;
  }

  /** PyNN 0.7's `getWeights(format)`: 'list' (default) the weights in connection order, 'array' the pre × post matrix. */
  getWeights(format: 'list' | 'array' = 'list'): number[] | number[][] {
    return format === 'array' ? this.get('weight', { format }) : this.get('weight', { withAddress: false });
  }

  /**
   * Sets weights (PyNN's `set(weight=…)`): one value for every connection, one per connection, or a pre × post
   * matrix whose entries at the connections are used (NaN there is an error; entries without connection are
   * not looked at, as in PyNN). Written before the next run, re-routed only if needed.
   */
  set(parameters: { weight: number | readonly number[] | readonly (readonly number[])[] }): void {
    checkOptions(parameters, `projection '${this.label}' set()`, ['weight'], { Unknown: ConnectionError, NotSupported: NotSupportedError }, { projection: this.label }, {
      delay: 'the chip has no programmable delays (all are 0)',
    });
    const { weight } = parameters;
    const isMatrix = Array.isArray(weight) && weight.length > 0 && weight.every((row) => Array.isArray(row));
    let valueOf: (k: number) => number;
    if (isMatrix) {
      const matrix = weight as readonly (readonly number[])[];
      if (matrix.length !== this.pre.size || matrix.some((row) => row.length !== this.post.size)) {
        throw new ConnectionError(`projection '${this.label}': a weight matrix must be ${this.pre.size} × ${this.post.size} (pre × post), got ${matrix.length} × ${matrix[0]?.length ?? 0}`, {
          projection: this.label,
          parameter: 'weight',
          value: [matrix.length, matrix[0]?.length ?? 0],
        });
      }
      valueOf = (k) => matrix[this.#connections[k]!.pre]![this.#connections[k]!.post]!;
    } else if (Array.isArray(weight)) {
      if (weight.length !== this.#connections.length) {
        throw new ConnectionError(`projection '${this.label}': ${weight.length} weights for ${this.#connections.length} connections (or give a ${this.pre.size} × ${this.post.size} matrix)`, {
          projection: this.label,
          parameter: 'weight',
          value: weight.length,
        });
      }
      valueOf = (k) => (weight as readonly number[])[k]!;
    } else valueOf = () => weight as number;
    const checked = this.#connections.map((_, k) => this.#checkWeight(valueOf(k), k));
    checked.forEach((w, k) => (this.#connections[k]!.weight = w));
    this.weightVersion++;
  }

  /** PyNN 0.7's `setWeights(w)`: `set({ weight: w })`. */
  setWeights(weight: number | readonly number[] | readonly (readonly number[])[]): void {
    this.set({ weight });
  }

  /**
   * A row-wise observable of the projection's plasticity rule or StaticRecordingSynapse (`weights`,
   * `correlation_causal`, …): one value per connection per invocation, times in biological ms.
   */
  getData(observable: string): ProjectionObservableData {
    return projectionObservable(this, observable);
  }

  /**
   * @internal Weights a plasticity kernel left on the chip (by connection index): what get() reports and the
   * graph carries from now on (the executor compares each graph with the previous one, so it must see them).
   */
  adoptLearnedWeights(weights: ReadonlyMap<number, number>): void {
    for (const [k, w] of weights) this.#connections[k]!.weight = w;
    if (weights.size > 0) this.weightVersion++;
  }

  /** Each connection with the synapses that realise it (after prepare() or run()). */
  placedConnections(): PlacedConnection[] {
    return this.#simulator.placedConnections(this);
  }

  #checkWeight(weight: number, k: number): number {
    // Once per connection: the message is built only for a bad weight.
    const ok = typeof weight === 'number' && Number.isFinite(weight) && (this.receptorType === 'excitatory' ? weight >= 0 : weight <= 0);
    return ok ? weight : this.#refuseWeight(weight, k);
  }

  #refuseWeight(weight: number, k: number): never {
    const where = `projection '${this.label}' connection ${k}`;
    if (typeof weight !== 'number' || !Number.isFinite(weight)) throw new ConnectionError(`${where}: weight ${String(weight)} is not a finite number`, { projection: this.label, parameter: 'weight', value: weight });
    if (this.receptorType === 'excitatory') throw new ConnectionError(`${where}: excitatory weight ${weight} must be ≥ 0`, { projection: this.label, parameter: 'weight', value: weight });
    throw new ConnectionError(`${where}: inhibitory weight ${weight} must be ≤ 0 (its magnitude goes to the chip)`, { projection: this.label, parameter: 'weight', value: weight });
  }


  toString(): string {
    return `Projection('${this.label}': ${this.pre.label} → ${this.post.label}, ${this.connector.name}, ${this.receptorType}, ${this.size()} connections)`;
  }
}

function combined(how: MultipleSynapses, held: number, value: number): number {
  switch (how) {
    case 'sum':
      return held + value;
    case 'first':
      return held;
    case 'last':
      return value;
    case 'min':
      return Math.min(held, value);
    case 'max':
      return Math.max(held, value);
  }
}

