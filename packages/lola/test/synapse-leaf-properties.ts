// Shared checks for the register (leaf) containers of the synapse area: random valid contents derived from
// each container's own field declarations, round trips, and rejection of every invalid field value.
import fc from 'fast-check';
import type { Coordinate } from '@bss2/halco';
import { expect, it } from 'vitest';
import { arbitraryValue, invalidValues, widthOf } from './support/field-values.js';
import {
  type AnyField,
  type Container,
  FieldRangeError,
  containerFromMsgpack,
  containerToMsgpack,
  containerTypes,
  isArrayField,
} from '../src/index.js';

/** The static side of a register container as the checks need it. */
export interface LeafType<C extends Container = Container> {
  new (init?: Record<string, unknown>): C;
  readonly typeName: string;
  readonly wordCount: number;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly fields: Record<string, AnyField>;
  addresses(coord: never): readonly number[];
  decode(words: Uint32Array): C;
  fromJSON(json: unknown): C;
  defaults(): C;
}

/** Random valid contents of a leaf, drawn from the values each field's bits can hold. */
export function arbitraryLeaf<C extends Container>(type: LeafType<C>): fc.Arbitrary<C> {
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, field] of Object.entries(type.fields)) {
    if (isArrayField(field)) {
      const element = arbitraryValue(field.element, widthOf(field));
      record[name] = fc.array(element, { minLength: field.slices.length, maxLength: field.slices.length });
    } else {
      record[name] = arbitraryValue(field.type, widthOf(field));
    }
  }
  return fc.record(record).map((init) => new type(init));
}

/**
 * The contract checks of §3.1 and the shared brief for one leaf type: round trips through words, JSON and
 * msgpack; every field refuses invalid values in constructor and setter; address counts at `coords`.
 */
export function checkLeaf<C extends Container>(type: LeafType<C>, coords: readonly Coordinate[], seed: number): void {
  it(`${type.typeName}: decode(encode(x)), JSON and msgpack round trips`, () => {
    expect(containerTypes().get(type.typeName)).toBe(type);
    fc.assert(
      fc.property(arbitraryLeaf(type), (x) => {
        const words = x.encode();
        const back = type.decode(words);
        const viaJSON = type.fromJSON(JSON.parse(JSON.stringify(x)));
        const viaMsgpack = containerFromMsgpack(containerToMsgpack(x));
        return (
          words.length === type.wordCount &&
          back.equals(x) &&
          JSON.stringify(back) === JSON.stringify(x) &&
          viaJSON.equals(x) &&
          viaMsgpack instanceof type &&
          viaMsgpack.equals(x)
        );
      }),
      { numRuns: 1000, seed },
    );
  });

  it(`${type.typeName}: every field refuses invalid values in constructor and setter`, () => {
    for (const [name, field] of Object.entries(type.fields)) {
      const width = widthOf(field);
      const element = isArrayField(field) ? field.element : field.type;
      const bad = invalidValues(element, width);
      const attempts: unknown[] = isArrayField(field)
        ? [
            ...bad.map((v) => Array.from({ length: field.slices.length }, (_, i) => (i === field.slices.length - 1 ? v : element.default))),
            Array.from({ length: field.slices.length + 1 }, () => element.default),
            element.default,
          ]
        : bad;
      for (const value of attempts) {
        expect(() => new type({ [name]: value }), `${type.typeName}.${name} = ${String(value)}`).toThrow(FieldRangeError);
        const x = new type();
        expect(() => {
          (x as unknown as Record<string, unknown>)[name] = value;
        }).toThrow(FieldRangeError);
        expect(x.equals(type.defaults())).toBe(true);
      }
    }
  });

  it(`${type.typeName}: addresses(coord) has wordCount entries`, () => {
    for (const coord of coords) expect(type.addresses(coord as never)).toHaveLength(type.wordCount);
  });
}

/** The `address: word` lines of a container at a coordinate, for the golden fixture. */
export function goldenLines(container: Container, coord: Coordinate, addresses: readonly number[], options: { skipZero?: boolean } = {}): string[] {
  const words = container.encode();
  const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
  const lines = [`${container.containerType.typeName} @ ${coord.toString()}${options.skipZero ? ' (zero words omitted)' : ''}`];
  words.forEach((word, i) => {
    if (!options.skipZero || word !== 0) lines.push(`  ${hex(addresses[i]!)}: ${hex(word)}`);
  });
  return lines;
}
