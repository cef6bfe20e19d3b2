import { FieldRangeError } from './errors.js';

/**
 * One bit field of an instruction word or response message, defined once: the encoders, decoders, range
 * checks and reserved-bit masks all read this definition (style.md, "Containers").
 *
 * Bits count from the LSB of the word or message. A message is held as up to three 32-bit parts,
 * `[low, high, top]` = bits 31..0, 63..32 and 95..64, which covers the 80-bit SpikePack3 response.
 */
export interface BitField {
  /** Name in error messages and in the decoded object, e.g. `numBits` or `spikes[1].label`. */
  readonly name: string;
  /** Where the value sits in the decoded object form: property names and array indices. */
  readonly path: readonly (string | number)[];
  readonly offset: number;
  readonly width: number;
  readonly min: number;
  readonly max: number;
  /** Booleans travel as 0/1; `width` may still be wider (jtag Data's keep_response byte, hardware.md §5.2). */
  readonly type: 'uint' | 'boolean';
}

function nameOf(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** An unsigned field; its range defaults to everything its width holds. */
export function uintField(
  path: string | readonly (string | number)[],
  offset: number,
  width: number,
  range: { min?: number; max?: number } = {},
): BitField {
  const p = typeof path === 'string' ? [path] : path;
  return { name: nameOf(p), path: p, offset, width, min: range.min ?? 0, max: range.max ?? 2 ** width - 1, type: 'uint' };
}

/** A boolean field stored as 0/1 in `width` bits. */
export function booleanField(path: string | readonly (string | number)[], offset: number, width = 1): BitField {
  const p = typeof path === 'string' ? [path] : path;
  return { name: nameOf(p), path: p, offset, width, min: 0, max: 1, type: 'boolean' };
}

/** Value of `width` bits from `offset` of the parts `[low, high, top]`; exact up to 53 bits. */
export function readBits(parts: ArrayLike<number>, offset: number, width: number): number {
  let value = 0;
  let scale = 1;
  let bit = offset;
  let remaining = width;
  while (remaining > 0) {
    const shift = bit & 31;
    const take = Math.min(32 - shift, remaining);
    const part = parts[bit >>> 5]!;
    const chunk = take === 32 ? part >>> 0 : (part >>> shift) & (2 ** take - 1);
    value += chunk * scale;
    scale *= 2 ** take;
    bit += take;
    remaining -= take;
  }
  return value;
}

/** `2^width − 1` as a 32-bit mask, for hot paths that must not compute powers per call. */
export function fieldMask(field: BitField): number {
  return field.width >= 32 ? 0xffffffff : 2 ** field.width - 1;
}

/**
 * Hot-path read of a field of up to 32 bits from `offset` of the parts `low`, `high`, `top`; the field may
 * straddle two adjacent parts. `mask` is `fieldMask(field)`. Same bits as `readBits`.
 */
export function bitsAt(low: number, high: number, top: number, offset: number, mask: number): number {
  let value: number;
  if (offset >= 64) value = top >>> (offset - 64);
  else if (offset >= 32) value = offset === 32 ? high : (high >>> (offset - 32)) | (top << (64 - offset));
  else value = offset === 0 ? low : (low >>> offset) | (high << (32 - offset));
  return (value & mask) >>> 0;
}

/** Hot-path write: ORs a value of up to 32 bits (already within its field) into `parts` at `offset`. */
export function orBitsAt(parts: Uint32Array, offset: number, value: number): void {
  if (offset >= 64) {
    parts[2] = parts[2]! | (value << (offset - 64));
  } else if (offset >= 32) {
    parts[1] = parts[1]! | (value << (offset - 32));
    if (offset > 32) parts[2] = parts[2]! | (value >>> (64 - offset));
  } else {
    parts[0] = parts[0]! | (value << offset);
    if (offset > 0) parts[1] = parts[1]! | (value >>> (32 - offset));
  }
}

/** ORs `value` (an integer below 2^width) into `width` bits from `offset` of `parts`. */
export function writeBits(parts: Uint32Array, offset: number, width: number, value: number): void {
  let bit = offset;
  let remaining = width;
  let rest = value;
  while (remaining > 0) {
    const shift = bit & 31;
    const take = Math.min(32 - shift, remaining);
    const scale = 2 ** take;
    const index = bit >>> 5;
    parts[index] = parts[index]! | ((rest % scale) << shift);
    rest = Math.floor(rest / scale);
    bit += take;
    remaining -= take;
  }
}

/** The bits `[from, to)` as a mask over the parts `[low, high, top]`. */
export function rangeMask(from: number, to: number): Uint32Array {
  const mask = new Uint32Array(3);
  for (let bit = from; bit < to; bit++) mask[bit >>> 5] = mask[bit >>> 5]! | (1 << (bit & 31));
  return mask;
}

/**
 * Bits of the payload area `[0, payloadAreaBits)` that no field covers: they must be zero (hardware.md §6.1,
 * payload at the bottom; whatever lies between payload and header is reserved).
 */
export function reservedMask(fields: readonly BitField[], payloadAreaBits: number): Uint32Array {
  const mask = rangeMask(0, payloadAreaBits);
  for (const f of fields) {
    const covered = rangeMask(f.offset, f.offset + f.width);
    for (let i = 0; i < 3; i++) mask[i] = mask[i]! & ~covered[i]!;
  }
  return mask;
}

/** Whether `value` is acceptable for `field` in the object form (a boolean for boolean fields). */
export function acceptsValue(field: BitField, value: unknown): boolean {
  if (field.type === 'boolean') return value === true || value === false;
  return typeof value === 'number' && Number.isInteger(value) && value >= field.min && value <= field.max;
}

/** Throws the typed error for a value `acceptsValue` refused. */
export function rejectValue(owner: string, field: BitField, value: unknown, note?: string): never {
  throw new FieldRangeError(
    `${owner}.${field.name}`,
    value,
    field.min,
    field.max,
    note ?? (field.type === 'boolean' ? 'expected a boolean' : undefined),
  );
}

/** Arrays in the object form of a field list (`labels`, `spikes`, `samples`) and the length each must have. */
export function arrayLengths(fields: readonly BitField[]): ReadonlyMap<string, number> {
  const lengths = new Map<string, number>();
  for (const f of fields) {
    const [key, index] = f.path;
    if (typeof key === 'string' && typeof index === 'number') lengths.set(key, Math.max(lengths.get(key) ?? 0, index + 1));
  }
  return lengths;
}

/** Refuses arrays of the wrong length, so that no entry is silently dropped or invented. */
export function checkArrayLengths(owner: string, lengths: ReadonlyMap<string, number>, object: unknown): void {
  for (const [key, length] of lengths) {
    const value = getPath(object, [key]);
    const actual = Array.isArray(value) ? value.length : value;
    if (actual !== length) throw new FieldRangeError(`${owner}.${key}.length`, actual, length, length);
  }
}

/** Reads the value at `path` of a decoded object; `undefined` where the path does not exist. */
export function getPath(object: unknown, path: readonly (string | number)[]): unknown {
  let at: unknown = object;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}

/** Sets the value at `path`, creating arrays (numeric keys) and objects on the way. */
export function setPath(object: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void {
  let at: Record<string | number, unknown> = object;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    if (at[key] === undefined) at[key] = typeof path[i + 1] === 'number' ? [] : {};
    at = at[key] as Record<string | number, unknown>;
  }
  at[path[path.length - 1]!] = value;
}
