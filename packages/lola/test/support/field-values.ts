// Valid and invalid values of a field, derived from its own type (FieldType.fromRaw / accept) and bit width:
// shared by the register checks of every container area (io-leaf-checks, synapse-leaf-properties,
// neuron-support), so each derives field domains the same way.
import fc from 'fast-check';
import { type AnyField, type FieldType, isArrayField } from '../../src/index.js';

/** Bits of one element of a field (fields here are at most 32 bits wide). */
export function widthOf(field: AnyField): number {
  const slices = isArrayField(field) ? field.slices[0]! : field.slices;
  return slices.reduce((sum, s) => sum + s.width, 0);
}

/** Any valid value of a field type whose raw form has `width` bits, biased towards both ends of the raw range
 * (where layout mistakes — sign, the top bit of a word — show). */
export function arbitraryValue(type: FieldType<unknown>, width: number): fc.Arbitrary<unknown> {
  const top = 2 ** width - 1;
  return fc
    .oneof(fc.constantFrom(0, top), fc.integer({ min: 0, max: top }))
    .map((raw) => type.fromRaw(raw))
    .filter((v) => v !== undefined);
}

/**
 * Values a field type must refuse: wrong kinds, fractions, strings of numbers, and for integers one past each
 * end of its range (read from its rule, and from the bits it can hold when `width` is given). Only values the type
 * really refuses are returned.
 */
export function invalidValues(type: FieldType<unknown>, width?: number): unknown[] {
  // Not `undefined`: a constructor takes a missing field as its default.
  const candidates: unknown[] = [null, {}, [], 'bogus', 'not-a-name', 'true', 0.5, Number.NaN, true, 0, 1, -1, 2];
  const valid: number[] = [];
  for (const raw of width === undefined ? [] : [0, 1, 2 ** width - 2, 2 ** width - 1]) {
    const value = type.fromRaw(raw);
    if (typeof value === 'number') valid.push(value);
  }
  const range = /an integer in (-?\d+)\.\.(-?\d+)/.exec(type.rule);
  if (range !== null) valid.push(Number(range[1]), Number(range[2]));
  if (valid.length > 0) {
    const min = Math.min(...valid);
    const max = Math.max(...valid);
    candidates.push(min - 1, max + 1, min + 0.5, String(max));
  }
  return candidates.filter((v) => type.accept(v) === undefined);
}
