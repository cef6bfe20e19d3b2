// Shared checks for the neuron / CapMem register tests: arbitrary contents and invalid values are derived
// from each register's own field definitions, so every field of every register is covered.
import type { Coordinate, CoordinateType } from '@bss2/halco';
import fc from 'fast-check';
import { expect } from 'vitest';
import { arbitraryValue, invalidValues, widthOf } from './support/field-values.js';
import {
  type AnyField,
  type Container,
  FieldRangeError,
  containerFromMsgpack,
  containerToMsgpack,
  isArrayField,
} from '../src/index.js';

export const numRuns = 1000;

/** Timeout for the heaviest 1000-run properties (about 1 s alone), generous because engineers share the machine. */
export const slowPropertyTimeout_ms = 30_000;

/** The static side of a `register()` class, loosely typed for generic checks. */
export interface RegisterType {
  new (init?: Record<string, unknown>): Container & { values(): Record<string, unknown> };
  readonly typeName: string;
  readonly coordinateType: CoordinateType;
  readonly wordCount: number;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly fields: Record<string, AnyField>;
  addresses(coord: Coordinate): readonly number[];
  decode(words: Uint32Array): Container & { values(): Record<string, unknown> };
  fromJSON(json: unknown): Container;
  defaults(): Container & { values(): Record<string, unknown> };
}

function sliceWidth(slices: readonly { width: number }[]): number {
  return slices.reduce((sum, s) => sum + s.width, 0);
}

/** Any valid contents of a register. */
export function arbitraryRegister(type: RegisterType): fc.Arbitrary<Container & { values(): Record<string, unknown> }> {
  const parts: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, field] of Object.entries(type.fields)) {
    parts[name] = isArrayField(field)
      ? fc.tuple(...field.slices.map((slices) => arbitraryValue(field.element, sliceWidth(slices))))
      : arbitraryValue(field.type, sliceWidth(field.slices));
  }
  return fc.record(parts).map((init) => new type(init));
}

/**
 * decode(encode(x)) equals x (same words and same field values), JSON and msgpack round trips, for random
 * valid contents of every field.
 */
export function checkRoundTrips(type: RegisterType, seed: number): void {
  fc.assert(
    fc.property(arbitraryRegister(type), (x) => {
      const words = x.encode();
      const back = type.decode(words);
      const viaMsgpack = containerFromMsgpack(containerToMsgpack(x));
      // Plain comparisons in the loop: vitest's expect is slow at 1000 runs.
      return (
        words.length === type.wordCount &&
        back.equals(x) &&
        JSON.stringify(back.values()) === JSON.stringify(x.values()) &&
        type.fromJSON(JSON.parse(JSON.stringify(x))).equals(x) &&
        viaMsgpack instanceof type &&
        viaMsgpack.equals(x)
      );
    }),
    { numRuns, seed },
  );
}

/** Every field rejects out-of-range values in the constructor and in its setter, naming `Type.field`. */
export function checkRejectsInvalid(type: RegisterType): void {
  for (const [name, field] of Object.entries(type.fields)) {
    const elementType = isArrayField(field) ? field.element : field.type;
    const invalid = invalidValues(elementType, widthOf(field));
    expect(invalid.length, `${type.typeName}.${name} has invalid candidates`).toBeGreaterThan(3);
    for (const value of invalid) {
      const given = isArrayField(field) ? field.slices.map((_, i) => (i === 0 ? value : elementType.default)) : value;
      expect(() => new type({ [name]: given }), `${type.typeName}.${name} = ${String(value)}`).toThrow(FieldRangeError);
      const x = new type() as unknown as Record<string, unknown>;
      expect(() => {
        x[name] = given;
      }).toThrow(FieldRangeError);
      expect(() => {
        x[name] = given;
      }).toThrow(`${type.typeName}.${name}`);
    }
    if (isArrayField(field)) {
      expect(() => new type({ [name]: [elementType.default] })).toThrow(FieldRangeError);
    }
  }
}

/** `addresses(coord)` has `wordCount` entries for every coordinate (or every `step`-th one). */
export function checkAddressCounts(type: RegisterType | { wordCount: number; coordinateType: CoordinateType; addresses(c: Coordinate): readonly number[] }, step = 1): void {
  const Coord = type.coordinateType;
  for (let v = Coord.min; v <= Coord.max; v += step) {
    const addresses = type.addresses(new Coord(v));
    expect(addresses).toHaveLength(type.wordCount);
    for (const a of addresses) expect(Number.isInteger(a) && a >= 0 && a <= 0xffffffff).toBe(true);
  }
}

/** One golden entry: type, coordinate and the `address: word` pairs in hex. */
export function goldenEntry(container: Container, coord: Coordinate, addresses: readonly number[], options: { skipZero?: boolean } = {}): string {
  const words = container.encode();
  const hex = (n: number, digits: number) => `0x${n.toString(16).padStart(digits, '0')}`;
  const lines = [`${container.containerType.typeName} @ ${coord.toString()}`];
  words.forEach((word, i) => {
    if (options.skipZero === true && word === 0) return;
    lines.push(`  ${hex(addresses[i]!, 8)}: ${hex(word, 8)}`);
  });
  return lines.join('\n');
}
