import type { Coordinate, CoordinateType } from '@bss2/halco';
import {
  Container,
  type ContainerType,
  expectJSONType,
  expectWordCount,
  rejectUnknownKeys,
} from './container.js';
import { ContainerDecodeError } from './errors.js';
import { type AnyField, type ArrayField, type BitSlice, type FieldType, type RegisterField, isArrayField, readRaw } from './field.js';
import { CheckedValues, RegisterLayout, checkField, setLayout } from './register-layout.js';

type ValueOf<F> = F extends ArrayField<infer T> ? readonly T[] : F extends RegisterField<infer T> ? T : never;

/** The plain values of a register's fields, e.g. `{ enableFire: boolean; membraneCapacitorSize: number }`. */
export type FieldValues<F extends Record<string, AnyField>> = { -readonly [K in keyof F]: ValueOf<F[K]> };

export interface RegisterSpec<F extends Record<string, AnyField>, Coord extends Coordinate> {
  typeName: string;
  coordinateType: CoordinateType<Coord>;
  wordCount: number;
  fields: F;
  readable: boolean;
  writable: boolean;
  addresses: (coord: Coord) => readonly number[];
}

/** The class `register()` returns: a leaf container whose instances carry the fields as validated properties. */
export interface RegisterClass<F extends Record<string, AnyField>, Coord extends Coordinate> {
  new (init?: Partial<FieldValues<F>>): RegisterInstance<F> & FieldValues<F>;
  readonly typeName: string;
  readonly coordinateType: CoordinateType<Coord>;
  readonly wordCount: number;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly fields: F;
  addresses(coord: Coord): readonly number[];
  decode<T>(this: new (init?: Partial<FieldValues<F>>) => T, words: Uint32Array): T;
  fromJSON<T>(this: new (init?: Partial<FieldValues<F>>) => T, json: unknown): T;
  defaults<T>(this: new (init?: Partial<FieldValues<F>>) => T): T;
}

/**
 * The instance type `register()` classes construct: RegisterContainer with its abstract members declared
 * implemented, so that `class X extends register({...}) {}` type-checks (TS2654 otherwise).
 */
export interface RegisterInstance<F extends Record<string, AnyField>> extends RegisterContainer<F> {
  encode(): Uint32Array;
  toJSON(): { type: string } & Record<string, unknown>;
  with(changes: Partial<FieldValues<F>>): this;
  values(): FieldValues<F>;
}

/** Instance side shared by every register container. */
export abstract class RegisterContainer<F extends Record<string, AnyField>> extends Container {
  /** A copy with some fields changed (validated like the constructor). */
  abstract with(changes: Partial<FieldValues<F>>): this;
  /** The plain field values. */
  abstract values(): FieldValues<F>;
}

function checkLayout(spec: RegisterSpec<Record<string, AnyField>, Coordinate>): void {
  const used = new Map<string, string>();
  for (const [name, field] of Object.entries(spec.fields)) {
    const slices: readonly BitSlice[] = isArrayField(field) ? field.slices.flat() : field.slices;
    for (const s of slices) {
      if (s.word < 0 || s.word >= spec.wordCount) {
        throw new Error(`${spec.typeName}.${name}: word ${s.word} outside 0..${spec.wordCount - 1}`);
      }
      for (let b = s.bit; b < s.bit + s.width; b++) {
        const key = `${s.word}:${b}`;
        const owner = used.get(key);
        if (owner !== undefined) throw new Error(`${spec.typeName}: ${name} and ${owner} both use word ${s.word} bit ${b}`);
        used.set(key, name);
      }
    }
  }
}

/**
 * Defines a leaf container from its bit layout. Each field is declared once (value type + bits); the
 * constructor, setters, `encode`, `decode`, JSON and equality all read that one declaration.
 *
 * ```ts
 * export class CADCConfig extends register({ typeName: 'CADCConfig', coordinateType: CADCConfigOnDLS,
 *   wordCount: 1, readable: true, writable: true, addresses: (c) => omnibusAddresses.CADCConfig(c),
 *   fields: { enable: bool(at(0, 0)), resetWait: uint(at(0, 8, 8)), deadTime: uint(at(0, 16, 8)) } }) {}
 * ```
 */
export function register<const F extends Record<string, AnyField>, Coord extends Coordinate>(
  spec: RegisterSpec<F, Coord>,
): RegisterClass<F, Coord> {
  checkLayout(spec as unknown as RegisterSpec<Record<string, AnyField>, Coordinate>);
  const layout = new RegisterLayout(spec.typeName, spec.wordCount, spec.fields);
  const { fields, names, known } = layout;

  class Register extends RegisterContainer<F> {
    static readonly typeName = spec.typeName;
    static readonly coordinateType = spec.coordinateType;
    static readonly wordCount = spec.wordCount;
    static readonly readable = spec.readable;
    static readonly writable = spec.writable;
    static readonly fields = spec.fields;

    /**
     * Field values in declaration order; the public properties are validating accessors over it. Assigned, not
     * a class field: each register class would define it anew on its instances, which V8 does far more slowly.
     */
    declare private readonly state: unknown[];

    constructor(init: Partial<FieldValues<F>> = {}) {
      super();
      if (init instanceof CheckedValues) {
        this.state = init.values;
        return;
      }
      rejectUnknownKeys(spec.typeName, init, names, known);
      const state = layout.defaults();
      for (let i = 0; i < fields.length; i++) {
        const given = (init as Record<string, unknown>)[names[i]!];
        if (given !== undefined) state[i] = checkField(fields[i]!, given);
      }
      this.state = state;
    }

    static addresses(coord: Coord): readonly number[] {
      return spec.addresses(coord);
    }

    static defaults(): Register {
      return new this();
    }

    static decode(words: Uint32Array): Register {
      expectWordCount(spec.typeName, words, spec.wordCount);
      const init: Record<string, unknown> = {};
      for (const { name, field } of fields) {
        if (isArrayField(field)) {
          init[name] = field.slices.map((slices, i) => decodeValue(field.element, words, slices, `${name}[${i}]`));
        } else {
          init[name] = decodeValue(field.type, words, field.slices, name);
        }
      }
      return new this(init as Partial<FieldValues<F>>);
    }

    static fromJSON(json: unknown): Register {
      const record = expectJSONType(json, spec.typeName);
      const { type: _type, ...init } = record;
      return new this(init as Partial<FieldValues<F>>);
    }

    encode(): Uint32Array {
      const words = new Uint32Array(spec.wordCount);
      layout.encoder.encodeInto(this.state, words, 0);
      return words;
    }

    /** Same register type holding the same words; encoded into reused buffers when `encode` is this one. */
    override equals(other: unknown): boolean {
      if (this.encode !== Register.prototype.encode) return super.equals(other);
      if (!(other instanceof Register) || other.constructor !== this.constructor) return false;
      return layout.encoder.sameWords(this.state, other.state);
    }

    values(): FieldValues<F> {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i++) out[names[i]!] = this.state[i];
      return out as FieldValues<F>;
    }

    with(changes: Partial<FieldValues<F>>): this {
      return new (this.constructor as new (init: Partial<FieldValues<F>>) => this)({ ...this.values(), ...changes });
    }

    toJSON(): { type: string } & Record<string, unknown> {
      const out: { type: string } & Record<string, unknown> = { type: spec.typeName };
      for (let i = 0; i < names.length; i++) {
        const value = this.state[i];
        out[names[i]!] = Array.isArray(value) ? [...value] : value;
      }
      return out;
    }
  }
  setLayout(Register, layout);

  function decodeValue(type: FieldType<unknown>, words: Uint32Array, slices: readonly BitSlice[], name: string): unknown {
    const raw = readRaw(words, slices);
    const value = type.fromRaw(raw);
    if (value === undefined) {
      throw new ContainerDecodeError(spec.typeName, `field ${name} has raw value ${raw}, expected ${type.rule}`, slices[0]!.word);
    }
    return value;
  }

  fields.forEach((field, i) => {
    Object.defineProperty(Register.prototype, field.name, {
      enumerable: true,
      get(this: Register) {
        return (this as unknown as { state: unknown[] }).state[i];
      },
      set(this: Register, value: unknown) {
        (this as unknown as { state: unknown[] }).state[i] = checkField(field, value);
      },
    });
  });

  return Register as unknown as RegisterClass<F, Coord>;
}

/** Compile-time check that a register class satisfies the generic `ContainerType` contract. */
export function asContainerType<C extends Container, Coord extends Coordinate>(type: ContainerType<C, Coord>): ContainerType<C, Coord> {
  return type;
}
