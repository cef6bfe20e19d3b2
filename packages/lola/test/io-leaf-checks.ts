// Shared checks for the register (leaf) containers of the I/O area (crossbar, background sources, readout,
// FPGA timing, PPU): random valid contents derived from each container's own field declarations (fields up to
// 32 bits wide), word/JSON/msgpack round trips, rejection of every invalid field value, address counts.
import fc from 'fast-check';
import type { Coordinate } from '@bss2/halco';
import { expect, it } from 'vitest';
import { arbitraryValue, invalidValues, widthOf } from './support/field-values.js';
import {
  type AnyField,
  type Container,
  FieldRangeError,
  containerFromJSON,
  containerFromMsgpack,
  containerToMsgpack,
  containerTypes,
  isArrayField,
} from '../src/index.js';

/** The static side of a register container as the checks need it. */
export interface IOLeafType<C extends Container = Container> {
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

/** Random valid contents of a register container; `overrides` replaces the arbitrary of named fields. */
export function arbitraryIOLeaf<C extends Container>(
  type: IOLeafType<C>,
  overrides: Record<string, fc.Arbitrary<unknown>> = {},
): fc.Arbitrary<C> {
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, field] of Object.entries(type.fields)) {
    if (overrides[name] !== undefined) {
      record[name] = overrides[name];
    } else if (isArrayField(field)) {
      const count = field.slices.length;
      record[name] = fc.array(arbitraryValue(field.element, widthOf(field)), { minLength: count, maxLength: count });
    } else {
      record[name] = arbitraryValue(field.type, widthOf(field));
    }
  }
  return fc.record(record).map((init) => new type(init));
}

export interface IOLeafExpectations {
  /** The contract's word count and access (leaf-containers.md). */
  wordCount: number;
  access: 'r' | 'w' | 'rw';
  /** Coordinates whose addresses are checked (all of them for small types, a sample otherwise). */
  coords: readonly Coordinate[];
  seed: number;
  /** Arbitraries replacing the default ones of some fields (e.g. a Timer is only encodable at 0). */
  overrides?: Record<string, fc.Arbitrary<unknown>>;
}

/**
 * The contract checks of hardware.md §3.1 and the shared brief for one register container: round trips
 * through words, JSON and msgpack; every field refuses invalid values in constructor and setter; access flags
 * and word count as the contract says; `addresses(coord)` has `wordCount` distinct unsigned 32-bit entries.
 */
export function checkIOLeaf<C extends Container>(type: IOLeafType<C>, expected: IOLeafExpectations): void {
  const arbitrary = arbitraryIOLeaf(type, expected.overrides);

  it(`${type.typeName}: word count and access as the contract says; registered`, () => {
    expect(type.wordCount).toBe(expected.wordCount);
    expect(type.readable).toBe(expected.access.includes('r'));
    expect(type.writable).toBe(expected.access.includes('w'));
    expect(containerTypes().get(type.typeName)).toBe(type);
  });

  it(`${type.typeName}: decode(encode(x)) equals x; JSON and msgpack round trips`, () => {
    fc.assert(
      // Plain comparisons inside the property (no expect per run) keep 1000 runs fast.
      fc.property(arbitrary, (x) => {
        const json = JSON.stringify(x);
        const words = x.encode();
        const back = type.decode(words);
        const viaJSON = containerFromJSON(JSON.parse(json));
        const viaMsgpack = containerFromMsgpack(containerToMsgpack(x));
        return (
          words.length === type.wordCount &&
          back.equals(x) &&
          JSON.stringify(back) === json &&
          viaJSON instanceof type &&
          JSON.stringify(viaJSON) === json &&
          viaMsgpack instanceof type &&
          JSON.stringify(viaMsgpack) === json
        );
      }),
      { numRuns: 1000, seed: expected.seed },
    );
  });

  it(`${type.typeName}: every field rejects invalid values in constructor and setter`, () => {
    for (const [name, field] of Object.entries(type.fields)) {
      const x = type.defaults() as unknown as Record<string, unknown>;
      const before = JSON.stringify(x);
      if (isArrayField(field)) {
        const count = field.slices.length;
        const valid = (x[name] as unknown[]).slice();
        const invalidArrays: unknown[] = [valid.slice(1), [...valid, valid[0]], 'x', null];
        for (const bad of invalidValues(field.element, widthOf(field))) {
          for (let i = 0; i < count; i++) invalidArrays.push(valid.map((v, j) => (i === j ? bad : v)));
        }
        for (const bad of invalidArrays) {
          expect(() => new type({ [name]: bad }), `${name} = ${String(bad)}`).toThrow(FieldRangeError);
          expect(() => {
            x[name] = bad;
          }).toThrow(FieldRangeError);
        }
      } else {
        for (const bad of invalidValues(field.type, widthOf(field))) {
          expect(() => new type({ [name]: bad }), `${name} = ${String(bad)}`).toThrow(FieldRangeError);
          expect(() => {
            x[name] = bad;
          }).toThrow(FieldRangeError);
        }
      }
      expect(JSON.stringify(x)).toBe(before);
    }
  });

  it(`${type.typeName}: addresses(coord) has wordCount distinct unsigned 32-bit entries`, () => {
    for (const coord of expected.coords) {
      const addresses = type.addresses(coord as never);
      expect(addresses).toHaveLength(type.wordCount);
      expect(new Set(addresses).size).toBe(type.wordCount);
      for (const a of addresses) expect(Number.isInteger(a) && a >= 0 && a <= 0xffffffff).toBe(true);
    }
  });
}

/** Every coordinate of a small type, or `count` evenly spread ones (first and last included) of a large one. */
export function sampleCoords<T extends Coordinate>(type: { new (value: number): T; min: number; max: number; size: number }, count = 64): T[] {
  if (type.size <= count) return Array.from({ length: type.size }, (_, i) => new type(type.min + i));
  return Array.from({ length: count }, (_, i) => new type(type.min + Math.round((i * (type.size - 1)) / (count - 1))));
}
