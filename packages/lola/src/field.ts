import { FieldRangeError } from './errors.js';

/**
 * The value side of a field: its default, what it accepts, and its raw (unsigned integer) form.
 * Each field is defined once; encoder, decoder, validation and serialisation all read that definition
 * (style.md, "Containers").
 */
export interface FieldType<T> {
  readonly default: T;
  /** Human-readable rule for error messages, e.g. `an integer in 0..63`. */
  readonly rule: string;
  /** The value if it is valid for this field, otherwise `undefined`. */
  accept(value: unknown): T | undefined;
  /** Raw unsigned form of a valid value, as stored in the bits. */
  toRaw(value: T): number;
  /** Value of a raw bit pattern, or `undefined` if no value has it. */
  fromRaw(raw: number): T | undefined;
  /** Structural equality of two valid values. */
  same(a: T, b: T): boolean;
}

/** A contiguous run of bits inside one word of a container: `width` bits from `bit` of word `word`. */
export interface BitSlice {
  readonly word: number;
  readonly bit: number;
  readonly width: number;
}

/** Shorthand for a bit slice. */
export function at(word: number, bit: number, width = 1): BitSlice {
  if (width < 1 || bit < 0 || bit + width > 32) throw new RangeError(`bit slice ${bit}+${width} does not fit a 32-bit word`);
  return { word, bit, width };
}

/** A field of a register container: its value type and where its raw bits sit, least significant slice first. */
export interface RegisterField<T> {
  readonly type: FieldType<T>;
  readonly slices: readonly BitSlice[];
}

/** A field of an array of equal element fields (e.g. `samplePosEdge[4]`), each element with its own bits. */
export interface ArrayField<T> {
  readonly element: FieldType<T>;
  readonly slices: readonly (readonly BitSlice[])[];
}

export type AnyField = RegisterField<unknown> | ArrayField<unknown>;

export function isArrayField(field: AnyField): field is ArrayField<unknown> {
  return 'element' in field;
}

// ---- value types -------------------------------------------------------------------------------------------

export function booleanType(defaultValue = false): FieldType<boolean> {
  return {
    default: defaultValue,
    rule: 'a boolean',
    accept: (v) => (typeof v === 'boolean' ? v : undefined),
    toRaw: (v) => (v ? 1 : 0),
    fromRaw: (raw) => (raw === 0 ? false : raw === 1 ? true : undefined),
    same: (a, b) => a === b,
  };
}

export function integerType(min: number, max: number, defaultValue = min): FieldType<number> {
  return {
    default: defaultValue,
    rule: `an integer in ${min}..${max}`,
    accept: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : undefined),
    // Negative values are stored in two's complement over the field's bits; `rawBits` trims them.
    toRaw: (v) => (v < 0 ? v + 2 ** 32 : v),
    fromRaw: (raw) => {
      const value = raw <= max ? raw : min < 0 ? raw - 2 ** bitWidth(min, max) : raw;
      return value >= min && value <= max ? value : undefined;
    },
    same: (a, b) => a === b,
  };
}

/** Bits needed for the two's complement (or unsigned) range `min..max`. */
function bitWidth(min: number, max: number): number {
  if (min >= 0) return Math.max(1, Math.ceil(Math.log2(max + 1)));
  return Math.ceil(Math.log2(Math.max(-min, max + 1))) + 1;
}

/** A named choice stored as its index in `names` (or the explicit raw codes given). */
export function enumType<const N extends string>(names: readonly N[], defaultValue: N = names[0]!, codes?: readonly number[]): FieldType<N> {
  const codeOf = new Map<N, number>(names.map((n, i) => [n, codes?.[i] ?? i]));
  const nameOf = new Map<number, N>(names.map((n, i) => [codes?.[i] ?? i, n]));
  return {
    default: defaultValue,
    rule: `one of ${names.map((n) => JSON.stringify(n)).join(', ')}`,
    accept: (v) => (typeof v === 'string' && codeOf.has(v as N) ? (v as N) : undefined),
    toRaw: (v) => codeOf.get(v)!,
    fromRaw: (raw) => nameOf.get(raw),
    same: (a, b) => a === b,
  };
}

// ---- register fields ---------------------------------------------------------------------------------------

function slicesOf(bits: BitSlice | readonly BitSlice[]): readonly BitSlice[] {
  return Array.isArray(bits) ? bits : [bits as BitSlice];
}

/** A boolean in one bit. */
export function bool(bits: BitSlice, defaultValue = false): RegisterField<boolean> {
  return { type: booleanType(defaultValue), slices: [bits] };
}

/** An unsigned integer over the given bits (split fields: least significant slice first), `0..max`. */
export function uint(bits: BitSlice | readonly BitSlice[], options: { max?: number; default?: number } = {}): RegisterField<number> {
  const slices = slicesOf(bits);
  const width = slices.reduce((sum, s) => sum + s.width, 0);
  const max = options.max ?? 2 ** width - 1;
  return { type: integerType(0, max, options.default ?? 0), slices };
}

/** A signed (two's complement) integer over one slice. */
export function int(bits: BitSlice, options: { default?: number } = {}): RegisterField<number> {
  const half = 2 ** (bits.width - 1);
  return { type: integerType(-half, half - 1, options.default ?? 0), slices: [bits] };
}

/** A named choice over the given bits. */
export function enumeration<const N extends string>(
  names: readonly N[],
  bits: BitSlice | readonly BitSlice[],
  options: { default?: N; codes?: readonly number[] } = {},
): RegisterField<N> {
  return { type: enumType(names, options.default, options.codes), slices: slicesOf(bits) };
}

/** `count` equal fields of one type, element `i` at `bitsOf(i)`. */
export function array<T>(count: number, type: FieldType<T>, bitsOf: (index: number) => BitSlice | readonly BitSlice[]): ArrayField<T> {
  return { element: type, slices: Array.from({ length: count }, (_, i) => slicesOf(bitsOf(i))) };
}

// ---- raw bit access ----------------------------------------------------------------------------------------

/** Writes `raw` into `words` over `slices`, least significant slice first; slice word `w` is `words[offset + w]`. */
export function writeRaw(words: Uint32Array, slices: readonly BitSlice[], raw: number, offset = 0): void {
  let rest = raw;
  for (const s of slices) {
    const mask = s.width === 32 ? 0xffffffff : 2 ** s.width - 1;
    const part = rest % 2 ** s.width;
    rest = Math.floor(rest / 2 ** s.width);
    const shifted = s.width === 32 ? 0xffffffff : (mask << s.bit) >>> 0;
    const at = offset + s.word;
    words[at] = ((words[at]! & ~shifted) | ((part & mask) << s.bit)) >>> 0;
  }
}

/** Reads the raw value spread over `slices`, least significant slice first. */
export function readRaw(words: Uint32Array, slices: readonly BitSlice[]): number {
  let raw = 0;
  let scale = 1;
  for (const s of slices) {
    const part = s.width === 32 ? words[s.word]! : (words[s.word]! >>> s.bit) & (2 ** s.width - 1);
    raw += part * scale;
    scale *= 2 ** s.width;
  }
  return raw;
}

/** Trims a raw value to the total width of its slices (two's complement of negative numbers). */
export function rawBits(raw: number, slices: readonly BitSlice[]): number {
  const width = slices.reduce((sum, s) => sum + s.width, 0);
  return raw % 2 ** width;
}

/** Validates `value` for `type`, throwing a FieldRangeError that names `where`. */
export function check<T>(type: FieldType<T>, value: unknown, where: string): T {
  const accepted = type.accept(value);
  if (accepted === undefined) throw new FieldRangeError(where, value, type.rule);
  return accepted;
}
