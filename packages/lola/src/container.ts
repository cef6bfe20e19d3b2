import type { Coordinate, CoordinateType } from '@bss2/halco';
import { ContainerDecodeError, ContainerSerializationError, UnknownFieldError } from './errors.js';

/**
 * Every container: plain data that encodes to a fixed number of 32-bit words at the omnibus addresses of
 * its coordinate and decodes back (hardware.md §3.1). Leaf containers own their words; composite
 * containers (AtomicNeuron, SynapseMatrix, Chip…) concatenate the words of their leaves, depth first.
 */
export abstract class Container {
  /** The words this container writes, in the order of `ContainerType.addresses(coord)`. */
  abstract encode(): Uint32Array;

  /** Plain-data form: `{ type: '<typeName>', …fields }`; `containerFromJSON` inverts it. */
  abstract toJSON(): { type: string } & Record<string, unknown>;

  /** The static side of this container's class. */
  get containerType(): ContainerType<this> {
    return this.constructor as unknown as ContainerType<this>;
  }

  /** Structural equality: the same container type holding the same words. */
  equals(other: unknown): boolean {
    if (!(other instanceof Container) || other.constructor !== this.constructor) return false;
    return wordsEqual(this.encode(), other.encode());
  }

  toString(): string {
    return `${this.containerType.typeName}(${JSON.stringify(this.toJSON(), (k, v: unknown) => (k === 'type' ? undefined : v))})`;
  }
}

/** The static side of a container class: what stadls and the simulator need to place it on the chip. */
export interface ContainerType<C extends Container = Container, Coord extends Coordinate = Coordinate> {
  readonly typeName: string;
  /** The halco coordinate type this container is written at. */
  readonly coordinateType: CoordinateType<Coord>;
  /** Number of 32-bit words of `encode()` and of `addresses()`. */
  readonly wordCount: number;
  /** Whether a program may read it / write it (hardware.md §3.1: read-only and write-only units exist). */
  readonly readable: boolean;
  readonly writable: boolean;
  /** Omnibus word addresses of the unit at `coord`, in word order (from `@bss2/halco`'s `omnibusAddresses`). */
  addresses(coord: Coord): readonly number[];
  /** The container held by `words` (as returned by reads at `addresses(coord)`). */
  decode(words: Uint32Array): C;
  /** Inverse of `toJSON()`. */
  fromJSON(json: unknown): C;
  /** The reset state. */
  defaults(): C;
}

export function wordsEqual(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Checks the number of words handed to a decoder. */
export function expectWordCount(typeName: string, words: Uint32Array, count: number): void {
  if (!(words instanceof Uint32Array)) {
    throw new ContainerDecodeError(typeName, `expected a Uint32Array of ${count} words, got ${typeof words}`);
  }
  if (words.length !== count) {
    throw new ContainerDecodeError(typeName, `expected ${count} words, got ${words.length}`);
  }
}

/** Concatenates the word arrays of several leaves (composite containers). */
export function concatWords(parts: readonly Uint32Array[]): Uint32Array {
  const total = parts.reduce((sum, p) => sum + p.length, 0);
  const out = new Uint32Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Checks the `type` tag of a JSON object and returns it as a record. */
export function expectJSONType(json: unknown, typeName: string): Record<string, unknown> {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ContainerSerializationError(`expected a ${typeName} object, got ${JSON.stringify(json)}`);
  }
  const record = json as Record<string, unknown>;
  if (record.type !== typeName) {
    throw new ContainerSerializationError(`expected type ${JSON.stringify(typeName)}, got ${JSON.stringify(record.type)}`);
  }
  return record;
}

/**
 * Rejects keys of `init` that are not fields (typo protection); `type` is allowed for JSON input. Callers on a
 * hot path pass `knownSet`, the same names as a set.
 */
export function rejectUnknownKeys(typeName: string, init: object, known: readonly string[], knownSet?: ReadonlySet<string>): void {
  for (const key of Object.keys(init)) {
    if (key !== 'type' && !(knownSet === undefined ? known.includes(key) : knownSet.has(key))) throw new UnknownFieldError(typeName, key, known);
  }
}

// ---- the registry ------------------------------------------------------------------------------------------

const registry = new Map<string, ContainerType>();

/** Makes a container type known to `containerFromJSON` / `containerTypes()`. Called once beside each class. */
export function registerContainer(type: ContainerType<Container, Coordinate>): void {
  if (registry.has(type.typeName)) throw new Error(`container type ${type.typeName} registered twice`);
  registry.set(type.typeName, type);
}

/** Every container type by name (leaf and composite). */
export function containerTypes(): ReadonlyMap<string, ContainerType> {
  return registry;
}

/** Rebuilds any registered container from its `toJSON()` form. */
export function containerFromJSON(json: unknown): Container {
  const typeName = json !== null && typeof json === 'object' ? (json as { type?: unknown }).type : undefined;
  const type = typeof typeName === 'string' ? registry.get(typeName) : undefined;
  if (type === undefined) {
    throw new ContainerSerializationError(`no container type ${JSON.stringify(typeName)}; known: ${[...registry.keys()].join(', ')}`);
  }
  return type.fromJSON(json);
}
