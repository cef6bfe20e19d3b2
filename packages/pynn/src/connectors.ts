// PyNN's connectors: each turns a (pre, post) pair of groups into a list of (pre position, post position,
// weight?) connections, positions being indices into the groups' member lists. Deterministic: random ones draw
// from their own `rng` or from the simulator's seeded generator.
import { describeValue } from './describe.js';
import { ConnectionError, NotSupportedError } from './errors.js';
import { checkOptions } from './options.js';
import type { NumpyRNG } from './random.js';

/** A connection before the synapse type's weight is applied: `weight` only where the connector gives one. */
export interface ConnectorConnection {
  readonly pre: number;
  readonly post: number;
  readonly weight?: number;
}

/** What a connector sees: the sizes of the groups and whether they are the same neurons (for self-connections). */
export interface ConnectorContext {
  readonly preSize: number;
  readonly postSize: number;
  /** Same neuron at pre position i and post position j (global ids equal). */
  isSelf(pre: number, post: number): boolean;
  /** The generator for connectors without their own rng. */
  readonly rng: NumpyRNG;
  /** For error messages. */
  readonly projection: string;
}

/** The compartments a projection connects (multi-compartment neurons, the reference's connector extras). */
export interface LocationOptions {
  /** The post neurons' compartment (label) the connections reach; default compartment 0. */
  readonly locationSelector?: string;
  /** The pre neurons' compartment (label) whose spikes are sent; default compartment 0. */
  readonly sourceLocationSelector?: string;
}

const LOCATION_OPTIONS = ['locationSelector', 'sourceLocationSelector'] as const;
/** PyNN's connector options this backend refuses, with the reason. */
const CONNECTOR_REFUSED = {
  safe: 'weights are checked always (hardware weights, the sign by the receptor): there is no unsafe mode',
  callback: 'connections are drawn at once, without progress reports',
  columnNames: 'connection lists are [pre, post] or [pre, post, weight] (delays must be 0)',
};

export abstract class Connector {
  abstract readonly name: string;
  /** The post compartment (label) the connections reach (multi-compartment neurons). */
  readonly locationSelector: string | undefined;
  /** The pre compartment (label) whose spikes are sent (multi-compartment neurons). */
  readonly sourceLocationSelector: string | undefined;

  /**
   * Checks `options` against the keys this connector accepts (its own and the location selectors). A connector
   * of your own calls `super()` (no options) or `super('MyConnector', options, ['myOption'])`.
   */
  protected constructor(owner: string = new.target.name, options: unknown = {}, accepted: readonly string[] = []) {
    checkOptions(options, owner, [...accepted, ...LOCATION_OPTIONS], { Unknown: ConnectionError, NotSupported: NotSupportedError }, {}, CONNECTOR_REFUSED);
    const { locationSelector, sourceLocationSelector } = (options ?? {}) as LocationOptions;
    for (const [key, value] of [['locationSelector', locationSelector], ['sourceLocationSelector', sourceLocationSelector]] as const) {
      if (value !== undefined && typeof value !== 'string') throw new ConnectionError(`${owner}: ${key} must be a compartment label, got ${describeValue(value)}`, { parameter: key, value });
    }
    this.locationSelector = locationSelector;
    this.sourceLocationSelector = sourceLocationSelector;
  }

  abstract connect(context: ConnectorContext): ConnectorConnection[];
}

interface SelfOptions extends LocationOptions {
  /** Allow a neuron to connect to itself (PyNN default true). */
  readonly allowSelfConnections?: boolean;
}

interface RandomOptions extends SelfOptions {
  readonly rng?: NumpyRNG;
}

function checkCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new ConnectionError(`${name} must be a non-negative integer, got ${String(value)}`, { value });
}

/** Every pre to every post. */
export class AllToAllConnector extends Connector {
  readonly name = 'AllToAllConnector';
  readonly #allowSelf: boolean;
  constructor(options: SelfOptions = {}) {
    super('AllToAllConnector', options, ['allowSelfConnections']);
    this.#allowSelf = options.allowSelfConnections ?? true;
  }
  connect(c: ConnectorContext): ConnectorConnection[] {
    const out: ConnectorConnection[] = [];
    for (let post = 0; post < c.postSize; post++) {
      for (let pre = 0; pre < c.preSize; pre++) if (this.#allowSelf || !c.isSelf(pre, post)) out.push({ pre, post });
    }
    return out;
  }
}

/** Pre i to post i; the groups must have the same size. */
export class OneToOneConnector extends Connector {
  readonly name = 'OneToOneConnector';
  constructor(options: LocationOptions = {}) {
    super('OneToOneConnector', options, []);
  }
  connect(c: ConnectorContext): ConnectorConnection[] {
    if (c.preSize !== c.postSize) {
      throw new ConnectionError(`OneToOneConnector needs groups of the same size, got ${c.preSize} → ${c.postSize} (projection '${c.projection}')`, { projection: c.projection });
    }
    return Array.from({ length: c.preSize }, (_, i) => ({ pre: i, post: i }));
  }
}

/** Each pair independently with probability `p_connect`. */
export class FixedProbabilityConnector extends Connector {
  readonly name = 'FixedProbabilityConnector';
  readonly #options: RandomOptions;
  constructor(
    readonly p_connect: number,
    options: RandomOptions = {},
  ) {
    super('FixedProbabilityConnector', options, ['allowSelfConnections', 'rng']);
    if (!(typeof p_connect === 'number' && p_connect >= 0 && p_connect <= 1)) {
      throw new ConnectionError(`FixedProbabilityConnector p_connect must be in [0, 1], got ${String(p_connect)}`, { value: p_connect });
    }
    this.#options = options;
  }
  connect(c: ConnectorContext): ConnectorConnection[] {
    const rng = this.#options.rng ?? c.rng;
    const allowSelf = this.#options.allowSelfConnections ?? true;
    const out: ConnectorConnection[] = [];
    for (let post = 0; post < c.postSize; post++) {
      for (let pre = 0; pre < c.preSize; pre++) {
        if (rng.next() < this.p_connect && (allowSelf || !c.isSelf(pre, post))) out.push({ pre, post });
      }
    }
    return out;
  }
}

interface FixedNumberOptions extends RandomOptions {
  /** Draw with replacement: a pair may be drawn twice (its weights add on the chip). Default false. */
  readonly withReplacement?: boolean;
}

/** Draws `n` of `size` candidates (excluding `excluded`), with or without replacement. */
function draw(rng: NumpyRNG, size: number, n: number, withReplacement: boolean, excluded: (i: number) => boolean, what: string, projection: string): number[] {
  const candidates: number[] = [];
  for (let i = 0; i < size; i++) if (!excluded(i)) candidates.push(i);
  if (withReplacement) {
    if (candidates.length === 0 && n > 0) throw new ConnectionError(`${what}: no candidates to draw ${n} from (projection '${projection}')`, { projection, value: n });
    return Array.from({ length: n }, () => candidates[rng.integer(0, candidates.length - 1)]!);
  }
  if (n > candidates.length) {
    throw new ConnectionError(`${what}: n = ${n} exceeds the ${candidates.length} candidates without replacement (projection '${projection}')`, { projection, value: n });
  }
  return rng.sample(candidates.length, n).map((k) => candidates[k]!).sort((a, b) => a - b);
}

/** Base of the connectors that draw a fixed number of partners: `n`, self-connections, replacement, rng. */
abstract class FixedNumberConnector extends Connector {
  readonly #options: FixedNumberOptions;
  constructor(
    readonly n: number,
    options: FixedNumberOptions,
  ) {
    super(new.target.name, options, ['allowSelfConnections', 'withReplacement', 'rng']);
    checkCount(`${new.target.name} n`, n);
    this.#options = options;
  }

  connect(c: ConnectorContext): ConnectorConnection[] {
    const rng = this.#options.rng ?? c.rng;
    const allowSelf = this.#options.allowSelfConnections ?? true;
    const drawn = (size: number, excluded: (i: number) => boolean) => draw(rng, size, this.n, this.#options.withReplacement ?? false, (i) => !allowSelf && excluded(i), this.name, c.projection);
    return this.pairs(c, drawn);
  }

  /** The connections, drawing candidates with `drawn(size, isSelf)`. */
  protected abstract pairs(c: ConnectorContext, drawn: (size: number, isSelf: (i: number) => boolean) => number[]): ConnectorConnection[];
}

/** Each post receives exactly `n` pre neurons, drawn at random. */
export class FixedNumberPreConnector extends FixedNumberConnector {
  readonly name = 'FixedNumberPreConnector';
  constructor(n: number, options: FixedNumberOptions = {}) {
    super(n, options);
  }
  protected pairs(c: ConnectorContext, drawn: (size: number, isSelf: (i: number) => boolean) => number[]): ConnectorConnection[] {
    const out: ConnectorConnection[] = [];
    for (let post = 0; post < c.postSize; post++) for (const pre of drawn(c.preSize, (pre) => c.isSelf(pre, post))) out.push({ pre, post });
    return out;
  }
}

/** Each pre projects to exactly `n` post neurons, drawn at random. */
export class FixedNumberPostConnector extends FixedNumberConnector {
  readonly name = 'FixedNumberPostConnector';
  constructor(n: number, options: FixedNumberOptions = {}) {
    super(n, options);
  }
  protected pairs(c: ConnectorContext, drawn: (size: number, isSelf: (i: number) => boolean) => number[]): ConnectorConnection[] {
    const out: ConnectorConnection[] = [];
    for (let pre = 0; pre < c.preSize; pre++) for (const post of drawn(c.postSize, (post) => c.isSelf(pre, post))) out.push({ pre, post });
    return out;
  }
}

/** Exactly `n` connections in total, pairs drawn at random. */
export class FixedTotalNumberConnector extends FixedNumberConnector {
  readonly name = 'FixedTotalNumberConnector';
  constructor(n: number, options: FixedNumberOptions = {}) {
    super(n, options);
  }
  protected pairs(c: ConnectorContext, drawn: (size: number, isSelf: (i: number) => boolean) => number[]): ConnectorConnection[] {
    return drawn(c.preSize * c.postSize, (k) => c.isSelf(k % c.preSize, Math.floor(k / c.preSize))).map((k) => ({ pre: k % c.preSize, post: Math.floor(k / c.preSize) }));
  }
}

/** An explicit list `[pre, post]` or `[pre, post, weight]` (positions in the groups). */
function allFinite(entry: readonly unknown[]): boolean {
  for (let i = 0; i < entry.length; i++) {
    const x = entry[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) return false;
  }
  return true;
}

export class FromListConnector extends Connector {
  readonly name = 'FromListConnector';
  readonly conn_list: readonly (readonly number[])[];
  constructor(conn_list: readonly (readonly number[])[], options: LocationOptions = {}) {
    super('FromListConnector', options, []);
    if (!Array.isArray(conn_list)) throw new ConnectionError(`FromListConnector takes an array of [pre, post, weight?] entries, got ${String(conn_list)}`, { value: conn_list });
    for (let k = 0; k < conn_list.length; k++) {
      const entry: unknown = conn_list[k];
      if (!Array.isArray(entry) || entry.length < 2 || entry.length > 4 || !allFinite(entry)) {
        throw new ConnectionError(`FromListConnector entry ${k} must be [pre, post] or [pre, post, weight] (or with a delay) of finite numbers, got ${describeValue(entry)}`, { value: entry });
      }
    }
    this.conn_list = conn_list;
  }
  connect(c: ConnectorContext): ConnectorConnection[] {
    return this.conn_list.map((entry, k) => {
      const [pre, post, weight, delay] = entry as [number, number, number?, number?];
      if (!Number.isInteger(pre) || pre < 0 || pre >= c.preSize || !Number.isInteger(post) || post < 0 || post >= c.postSize) {
        throw new ConnectionError(
          `FromListConnector entry ${k} [${pre}, ${post}] is outside the groups (pre size ${c.preSize}, post size ${c.postSize}; projection '${c.projection}')`,
          { projection: c.projection, value: entry },
        );
      }
      if (delay !== undefined && delay !== 0) {
        throw new ConnectionError(`FromListConnector entry ${k} has delay ${delay}: the chip has no programmable delays, only 0 is accepted (projection '${c.projection}')`, {
          projection: c.projection,
          parameter: 'delay',
          value: delay,
        });
      }
      return weight === undefined ? { pre, post } : { pre, post, weight };
    });
  }
}

/** A boolean matrix `[pre][post]`: true connects. */
export class ArrayConnector extends Connector {
  readonly name = 'ArrayConnector';
  constructor(
    readonly array: readonly (readonly boolean[])[],
    options: LocationOptions = {},
  ) {
    super('ArrayConnector', options, []);
  }
  connect(c: ConnectorContext): ConnectorConnection[] {
    if (this.array.length !== c.preSize || this.array.some((row) => row.length !== c.postSize)) {
      throw new ConnectionError(`ArrayConnector needs a ${c.preSize} × ${c.postSize} boolean array (projection '${c.projection}')`, { projection: c.projection });
    }
    const out: ConnectorConnection[] = [];
    for (let post = 0; post < c.postSize; post++) for (let pre = 0; pre < c.preSize; pre++) if (this.array[pre]![post] === true) out.push({ pre, post });
    return out;
  }
}
