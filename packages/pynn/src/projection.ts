// PyNN's Projection: connections from one group to another on one receptor, with weights in the chip's
// 6-bit units. The connection list is drawn at construction (as PyNN does); routing happens at run/prepare.
import type { PlacedConnection } from '@bss2/routing';
import { RECEPTOR_TYPES, type ReceptorType } from './cells.js';
import type { Connector } from './connectors.js';
import { ConnectionError } from './errors.js';
import { BasePopulation, type ID } from './populations.js';
import { currentSimulator, type Simulator } from './simulator-registry.js';

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

/** `new Projection(pre, post, connector, synapse, receptorType, { label })`. */
export class Projection {
  readonly pre: BasePopulation;
  readonly post: BasePopulation;
  readonly connector: Connector;
  readonly synapse: StaticSynapse;
  readonly receptorType: ReceptorType;
  readonly label: string;
  readonly index: number;
  readonly #connections: ProjectionConnection[];
  readonly #simulator: Simulator;
  /** Bumped when weights change; the simulator writes them before the next run. */
  weightVersion = 0;

  constructor(pre: BasePopulation, post: BasePopulation, connector: Connector, synapse: StaticSynapse = new StaticSynapse(), receptorType: string = 'excitatory', options: ProjectionOptions = {}) {
    const simulator = currentSimulator('new Projection()');
    this.#simulator = simulator;
    this.index = simulator.projectionCount;
    this.label = options.label ?? `projection${this.index}`;
    const where = `projection '${this.label}'`;
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
   * Weights: `list` gives `[pre, post, weight]` per connection; `array` a pre × post matrix with NaN where
   * there is no connection (PyNN's formats).
   */
  get(name: 'weight' | 'weights', options: { format?: 'list' | 'array' } = {}): number[][] {
    if (name !== 'weight' && name !== 'weights') throw new ConnectionError(`projection '${this.label}' has no attribute '${String(name)}'; only 'weight'`, { projection: this.label });
    if ((options.format ?? 'list') === 'list') return this.#connections.map((c) => [c.pre, c.post, c.weight]);
    const array = Array.from({ length: this.pre.size }, () => new Array<number>(this.post.size).fill(Number.NaN));
    for (const c of this.#connections) array[c.pre]![c.post] = (Number.isNaN(array[c.pre]![c.post]!) ? 0 : array[c.pre]![c.post]!) + c.weight;
    return array;
  }

  /** Sets weights (one value or one per connection); written before the next run, re-routed only if needed. */
  set(parameters: { weight: number | readonly number[] }): void {
    const { weight } = parameters;
    if (Array.isArray(weight) && weight.length !== this.#connections.length) {
      throw new ConnectionError(`projection '${this.label}': ${weight.length} weights for ${this.#connections.length} connections`, { projection: this.label, parameter: 'weight', value: weight.length });
    }
    const checked = this.#connections.map((_, k) => this.#checkWeight(Array.isArray(weight) ? weight[k]! : (weight as number), k));
    checked.forEach((w, k) => (this.#connections[k]!.weight = w));
    this.weightVersion++;
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
