import { rejectUnknownKeys } from './container.js';
import { FieldRangeError, UnknownFieldError } from './errors.js';
import type { FieldType } from './field.js';

export type GroupSpec = Record<string, FieldType<unknown>>;

/** The plain values of a group, e.g. `{ vLeak: number; enableDivision: boolean; … }`. */
export type GroupValues<S extends GroupSpec> = { -readonly [K in keyof S]: S[K] extends FieldType<infer T> ? T : never };

/** Instance side of every AtomicNeuron group: validated fields (see `validatedRecord`) plus these helpers. */
export interface GroupRecord<S extends GroupSpec> {
  /** Where the group sits, for error messages: `AtomicNeuron.leak`. */
  readonly path: string;
  values(): GroupValues<S>;
  /** A copy with some fields changed (validated like the constructor). */
  with(changes: Partial<GroupValues<S>>): this;
  equals(other: unknown): boolean;
  toJSON(): GroupValues<S>;
}

export interface GroupClass<S extends GroupSpec> {
  new (init?: Partial<GroupValues<S>>, path?: string): GroupRecord<S> & GroupValues<S>;
  /** The group's property name on AtomicNeuron (camelCase of the upstream lola member). */
  readonly groupName: string;
  readonly fields: S;
}

/**
 * `target` behind a proxy whose assignments to unknown properties throw an UnknownFieldError, so that a typo
 * such as `neuron.leak.vLeek = 700` fails loudly instead of adding a property nobody reads.
 */
export function rejectUnknownProperties<T extends object>(target: T, path: string, known: readonly string[]): T {
  return new Proxy(target, {
    set(object, key, value, receiver) {
      if (typeof key === 'string' && !(key in object)) throw new UnknownFieldError(path, key, known);
      return Reflect.set(object, key, value, receiver);
    },
  });
}

/**
 * The same guard as `rejectUnknownProperties` for every instance of a class at once: a proxy inserted in the
 * prototype chain above `prototype`. An assignment reaches it only when neither the instance nor the classes
 * have the property, and reads of fields and methods never pass through a proxy (one around each instance
 * made every access a slow proxy access).
 */
export function guardUnknownProperties(prototype: object, pathOf: (instance: unknown) => string, known: readonly string[]): void {
  const guard = new Proxy(Object.create(Object.getPrototypeOf(prototype) as object | null) as object, {
    set(object, key, value, receiver) {
      if (typeof key === 'string' && !(key in object)) throw new UnknownFieldError(pathOf(receiver), key, known);
      return Reflect.set(object, key, value, receiver);
    },
  });
  Object.setPrototypeOf(prototype, guard);
}

/** Field values already checked by a record of the same class, handed to its constructor to be adopted. */
class CheckedFields {
  constructor(readonly values: unknown[]) {}
}

interface RecordInternals {
  readonly state: unknown[];
}

/** Checks the constructor input of a record class: its field values in declaration order, or the constructor's error. */
export type StateChecker = (init: unknown, path: string) => unknown[];

const checkers = new WeakMap<object, StateChecker>();

/** The constructor's check of a record class (or of a subclass of one), without constructing a record. */
export function stateCheckerOf(type: object): StateChecker {
  for (let t: object | null = type; t !== null; t = Object.getPrototypeOf(t) as object | null) {
    const checker = checkers.get(t);
    if (checker !== undefined) return checker;
  }
  throw new Error(`${String((type as { name?: unknown }).name)} is not a validated record class`);
}

/** The field values of a record in declaration order: its storage, not a copy. */
export function recordState(record: object): unknown[] {
  return (record as RecordInternals).state;
}

/** A record of class `type` at `path` whose storage is `state` (checked values of that class), not a copy. */
export function recordOf<T>(type: new (init: never, path: string) => T, state: unknown[], path: string): T {
  return new type(new CheckedFields(state) as never, path);
}

/**
 * A plain record of validated fields, described by `field.ts` value types: the constructor and every setter
 * check the value and throw a FieldRangeError naming `<path>.<field>` and the rule; unknown keys (in the
 * constructor or assigned later) throw an UnknownFieldError (typo protection). Used for the groups of
 * AtomicNeuron (hardware.md §3.2).
 */
export function validatedRecord<const S extends GroupSpec>(groupName: string, fields: S): GroupClass<S> {
  const names = Object.keys(fields);
  const known = new Set(names);
  const types = names.map((name) => fields[name]!);
  const defaults = types.map((type) => type.default);
  const defaultPath = `AtomicNeuron.${groupName}`;

  function checked(i: number, value: unknown, path: string): unknown {
    const accepted = types[i]!.accept(value);
    if (accepted === undefined) throw new FieldRangeError(`${path}.${names[i]!}`, value, types[i]!.rule);
    return accepted;
  }

  function stateOf(init: unknown, path: string): unknown[] {
    if (init === null || typeof init !== 'object' || Array.isArray(init)) {
      throw new FieldRangeError(path, init, `an object with fields ${names.join(', ')}`);
    }
    rejectUnknownKeys(path, init, names, known);
    const state = defaults.slice();
    for (let i = 0; i < names.length; i++) {
      const given = (init as Record<string, unknown>)[names[i]!];
      if (given !== undefined) state[i] = checked(i, given, path);
    }
    return state;
  }

  class Group {
    static readonly groupName = groupName;
    static readonly fields = fields;
    // Assigned, not class fields: each record class would define them anew on its instances, which V8 does far
    // more slowly than an assignment (the prototype declares both, so assigning them never reaches the guard).
    declare readonly path: string;
    /** Field values in declaration order; the public properties are validating accessors over it. */
    declare private readonly state: unknown[];

    constructor(init: Partial<GroupValues<S>> = {}, path = defaultPath) {
      this.path = path;
      this.state = init instanceof CheckedFields ? init.values : stateOf(init, path);
    }

    values(): GroupValues<S> {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i++) out[names[i]!] = this.state[i];
      return out as GroupValues<S>;
    }

    with(changes: Partial<GroupValues<S>>): this {
      return new (this.constructor as new (init: Partial<GroupValues<S>>, path: string) => this)({ ...this.values(), ...changes }, this.path);
    }

    equals(other: unknown): boolean {
      if (!(other instanceof Group) || other.constructor !== this.constructor) return false;
      for (let i = 0; i < types.length; i++) if (!types[i]!.same(this.state[i], other.state[i])) return false;
      return true;
    }

    toJSON(): GroupValues<S> {
      return this.values();
    }
  }

  for (const own of ['path', 'state']) Object.defineProperty(Group.prototype, own, { value: undefined, writable: true });
  names.forEach((name, i) => {
    Object.defineProperty(Group.prototype, name, {
      enumerable: true,
      get(this: Group) {
        return (this as unknown as RecordInternals).state[i];
      },
      set(this: Group, value: unknown) {
        (this as unknown as RecordInternals).state[i] = checked(i, value, this.path);
      },
    });
  });
  guardUnknownProperties(Group.prototype, (instance) => (instance as Group).path, names);
  checkers.set(Group, stateOf);
  return Group as unknown as GroupClass<S>;
}
