import { FieldRangeError } from './errors.js';
import { type AnyField, type BitSlice, type FieldType, check, isArrayField, rawBits, writeRaw } from './field.js';

// The fields of a register resolved once per register type, so that constructing, checking and encoding a
// register walks flat tables instead of its declaration (building a whole-chip program constructs and
// encodes thousands of registers). Package-internal: not exported from the entry.

/** One field of a register, in declaration order. */
export interface FieldLayout {
  readonly name: string;
  /** `<typeName>.<name>`: what a FieldRangeError names. */
  readonly where: string;
  readonly field: AnyField;
  /** The value type; of each element for an array field. */
  readonly type: FieldType<unknown>;
  /** Element count of an array field, -1 for a plain field. */
  readonly count: number;
  /** The reset value; for an array field one frozen array shared by every instance. */
  readonly defaultValue: unknown;
}

/** The checked form of `value` for `field`: the constructor's and the setters' rule, with their FieldRangeError. */
export function checkField(field: FieldLayout, value: unknown): unknown {
  if (field.count < 0) {
    const accepted = field.type.accept(value);
    if (accepted === undefined) throw new FieldRangeError(field.where, value, field.type.rule);
    return accepted;
  }
  if (!Array.isArray(value) || value.length !== field.count) {
    throw new FieldRangeError(field.where, value, `an array of ${field.count} × ${field.type.rule}`);
  }
  return Object.freeze(value.map((v, i) => check(field.type, v, `${field.where}[${i}]`)));
}

/**
 * Checks and encodes the field values of one or more registers placed at word offsets (a composite such as
 * AtomicNeuron encodes its leaves in one pass). Values are those of every register's fields in declaration
 * order, one register after the other. Each element (a plain field, or one element of an array field) is one
 * entry of the flat tables below: an element whose slices are narrower than a word and together at most
 * 32 bits wide is written slice by slice with masks and shifts, any other through `writeRaw`, as declared.
 */
export class FieldEncoder {
  readonly fields: readonly FieldLayout[];
  readonly wordCount: number;

  // Per element: its field, its index in an array field (-1: plain), its type, slices and word offset, and its
  // slice ops `sliceStart[k]..sliceStart[k + 1]` (none: written by writeRaw).
  readonly #elementField: Int32Array;
  readonly #elementIndex: Int32Array;
  readonly #elementType: readonly FieldType<unknown>[];
  readonly #elementSlices: readonly (readonly BitSlice[])[];
  readonly #elementOffset: Int32Array;
  readonly #sliceStart: Int32Array;
  // Per slice op: raw bits `shift..shift + width` go to bits `bit..` of word `word` (mask = 2^width − 1).
  readonly #sliceWord: Int32Array;
  readonly #sliceBit: Int32Array;
  readonly #sliceMask: Int32Array;
  readonly #sliceShift: Int32Array;
  readonly #scratch: readonly [Uint32Array, Uint32Array];

  constructor(parts: ReadonlyArray<readonly [layout: RegisterLayout, wordOffset: number]>) {
    this.fields = parts.flatMap(([layout]) => layout.fields);
    this.wordCount = Math.max(0, ...parts.map(([layout, offset]) => offset + layout.wordCount));
    const elements: { i: number; e: number; slices: readonly BitSlice[]; offset: number }[] = [];
    let i = 0;
    for (const [layout, offset] of parts) {
      for (const { field } of layout.fields) {
        if (isArrayField(field)) field.slices.forEach((slices, e) => elements.push({ i, e, slices, offset }));
        else elements.push({ i, e: -1, slices: field.slices, offset });
        i++;
      }
    }
    this.#elementField = Int32Array.from(elements, (x) => x.i);
    this.#elementIndex = Int32Array.from(elements, (x) => x.e);
    this.#elementType = elements.map((x) => this.fields[x.i]!.type);
    this.#elementSlices = elements.map((x) => x.slices);
    this.#elementOffset = Int32Array.from(elements, (x) => x.offset);
    const ops: { word: number; bit: number; mask: number; shift: number }[] = [];
    this.#sliceStart = new Int32Array(elements.length + 1);
    elements.forEach(({ slices, offset }, k) => {
      this.#sliceStart[k] = ops.length;
      const width = slices.reduce((sum, s) => sum + s.width, 0);
      if (width > 32 || slices.some((s) => s.width >= 32)) return;
      let shift = 0;
      for (const s of slices) {
        ops.push({ word: offset + s.word, bit: s.bit, mask: 2 ** s.width - 1, shift });
        shift += s.width;
      }
    });
    this.#sliceStart[elements.length] = ops.length;
    this.#sliceWord = Int32Array.from(ops, (op) => op.word);
    this.#sliceBit = Int32Array.from(ops, (op) => op.bit);
    this.#sliceMask = Int32Array.from(ops, (op) => op.mask);
    this.#sliceShift = Int32Array.from(ops, (op) => op.shift);
    this.#scratch = [new Uint32Array(this.wordCount), new Uint32Array(this.wordCount)];
  }

  /** Replaces each value by its checked form, in order (the registers' constructors' errors). */
  checkAll(values: unknown[]): void {
    const fields = this.fields;
    for (let i = 0; i < fields.length; i++) values[i] = checkField(fields[i]!, values[i]);
  }

  /**
   * ORs the bits of `values` (checked) into `words` from `offset`, which must be zero there: the fields of a
   * register never share a bit (checked by `register()`), nor do registers placed apart, so this equals
   * writing each field over the words.
   */
  encodeInto(values: readonly unknown[], words: Uint32Array, offset: number): void {
    const fieldOf = this.#elementField;
    const indexOf = this.#elementIndex;
    const types = this.#elementType;
    const start = this.#sliceStart;
    const wordOf = this.#sliceWord;
    const bitOf = this.#sliceBit;
    const maskOf = this.#sliceMask;
    const shiftOf = this.#sliceShift;
    for (let k = 0; k < fieldOf.length; k++) {
      const e = indexOf[k]!;
      const value = e < 0 ? values[fieldOf[k]!] : (values[fieldOf[k]!] as readonly unknown[])[e];
      const raw = types[k]!.toRaw(value);
      const first = start[k]!;
      const end = start[k + 1]!;
      if (end === first + 1) {
        // One slice: the low bits of the raw value in two's complement, as writeRaw takes them.
        const at = offset + wordOf[first]!;
        words[at] = words[at]! | ((raw & maskOf[first]!) << bitOf[first]!);
      } else if (end > first && raw >>> 0 === raw) {
        for (let op = first; op < end; op++) {
          const at = offset + wordOf[op]!;
          words[at] = words[at]! | (((raw >>> shiftOf[op]!) & maskOf[op]!) << bitOf[op]!);
        }
      } else {
        const slices = this.#elementSlices[k]!;
        writeRaw(words, slices, rawBits(raw, slices), offset + this.#elementOffset[k]!);
      }
    }
  }

  /** Whether two sets of checked values encode to the same words (compared without allocating). */
  sameWords(a: readonly unknown[], b: readonly unknown[]): boolean {
    const [x, y] = this.#scratch;
    x.fill(0);
    y.fill(0);
    this.encodeInto(a, x, 0);
    this.encodeInto(b, y, 0);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  }
}

/** The fields of one register type, by name and index, and their encoder. */
export class RegisterLayout {
  readonly wordCount: number;
  readonly fields: readonly FieldLayout[];
  readonly names: readonly string[];
  readonly known: ReadonlySet<string>;
  readonly encoder: FieldEncoder;
  readonly #index: ReadonlyMap<string, number>;
  readonly #defaults: readonly unknown[];

  constructor(typeName: string, wordCount: number, fields: Record<string, AnyField>) {
    this.wordCount = wordCount;
    this.names = Object.keys(fields);
    this.known = new Set(this.names);
    this.#index = new Map(this.names.map((name, i) => [name, i]));
    this.fields = this.names.map((name): FieldLayout => {
      const field = fields[name]!;
      const where = `${typeName}.${name}`;
      if (!isArrayField(field)) return { name, where, field, type: field.type, count: -1, defaultValue: field.type.default };
      const defaultValue = Object.freeze(field.slices.map(() => field.element.default));
      return { name, where, field, type: field.element, count: field.slices.length, defaultValue };
    });
    this.#defaults = this.fields.map((f) => f.defaultValue);
    this.encoder = new FieldEncoder([[this, 0]]);
  }

  /** Index of a field by name (declaration order), -1 if there is none. */
  indexOf(name: string): number {
    return this.#index.get(name) ?? -1;
  }

  /** A fresh array of the reset values. */
  defaults(): unknown[] {
    return this.#defaults.slice();
  }
}

/** Values checked against a register's layout, handed to its constructor to be adopted as they are. */
export class CheckedValues {
  constructor(readonly values: unknown[]) {}
}

const layouts = new WeakMap<object, RegisterLayout>();

/** Called by `register()` for the class it defines. */
export function setLayout(type: object, layout: RegisterLayout): void {
  layouts.set(type, layout);
}

/** The layout of a register class (or of a subclass of one). */
export function layoutOf(type: object): RegisterLayout {
  for (let t: object | null = type; t !== null; t = Object.getPrototypeOf(t) as object | null) {
    const layout = layouts.get(t);
    if (layout !== undefined) return layout;
  }
  throw new Error(`${String((type as { name?: unknown }).name)} is not a register class`);
}

/**
 * A register of class `type` holding `values` (declaration order), checked as its constructor checks them.
 * For register classes without a constructor of their own (the constructor receives `CheckedValues`).
 */
export function createRegister<T>(type: new (init: never) => T, values: unknown[]): T {
  layoutOf(type).encoder.checkAll(values);
  return new type(new CheckedValues(values) as never);
}
