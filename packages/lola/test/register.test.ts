import fc from 'fast-check';
import { ranged } from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import {
  ContainerDecodeError,
  FieldRangeError,
  UnknownFieldError,
  array,
  at,
  booleanType,
  bool,
  enumeration,
  int,
  register,
  uint,
} from '../src/index.js';

class ExampleOnDLS extends ranged('ExampleOnDLS', 0, 3) {}

/** A made-up register exercising every field kind: split fields, signed, enum, array, restricted max. */
class Example extends register({
  typeName: 'Example',
  coordinateType: ExampleOnDLS,
  wordCount: 2,
  readable: true,
  writable: true,
  addresses: (c: ExampleOnDLS) => [0x100 + 2 * c.value, 0x101 + 2 * c.value],
  fields: {
    enable: bool(at(0, 0), true),
    split: uint([at(0, 26, 6), at(1, 0, 2)]),
    offset: int(at(0, 8, 8)),
    mode: enumeration(['off', 'on', 'strong'] as const, at(0, 16, 2)),
    edges: array(4, booleanType(true), (i) => at(1, 4 + i)),
    value: uint(at(1, 16, 10), { max: 1022 }),
  },
}) {}

const arbitraryExample = fc
  .record({
    enable: fc.boolean(),
    split: fc.integer({ min: 0, max: 255 }),
    offset: fc.integer({ min: -128, max: 127 }),
    mode: fc.constantFrom('off' as const, 'on' as const, 'strong' as const),
    edges: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    value: fc.integer({ min: 0, max: 1022 }),
  })
  .map((init) => new Example(init));

describe('register containers', () => {
  it('start at their reset values', () => {
    const e = new Example();
    expect(e.enable).toBe(true);
    expect(e.edges).toEqual([true, true, true, true]);
    expect(e.mode).toBe('off');
    expect(Example.defaults().equals(e)).toBe(true);
  });

  it('place split and signed fields in the declared bits', () => {
    const e = new Example({ enable: false, split: 0b10_000001, offset: -1, mode: 'strong', edges: [true, false, false, false], value: 5 });
    const [w0, w1] = e.encode();
    expect(w0).toBe(((0b000001 << 26) | (0xff << 8) | (2 << 16)) >>> 0);
    expect(w1).toBe(0b10 | (1 << 4) | (5 << 16));
  });

  it('decode(encode(x)) equals x', () => {
    fc.assert(
      fc.property(arbitraryExample, (e) => {
        const back = Example.decode(e.encode());
        expect(back.equals(e)).toBe(true);
        expect(back.values()).toEqual(e.values());
        expect(Example.fromJSON(JSON.parse(JSON.stringify(e))).equals(e)).toBe(true);
      }),
      { numRuns: 1000, seed: 7 },
    );
  });

  it('rejects out-of-range values in constructor and setters, naming the field and rule', () => {
    expect(() => new Example({ split: 256 })).toThrow(FieldRangeError);
    expect(() => new Example({ value: 1023 })).toThrow('Example.value = 1023 is invalid: expected an integer in 0..1022');
    expect(() => new Example({ offset: -129 })).toThrow(FieldRangeError);
    expect(() => new Example({ mode: 'loud' as 'on' })).toThrow(/one of "off", "on", "strong"/);
    expect(() => new Example({ edges: [true] })).toThrow(/array of 4/);
    const e = new Example();
    expect(() => {
      e.split = 1.5;
    }).toThrow(FieldRangeError);
    expect(() => {
      (e as unknown as { enable: unknown }).enable = 1;
    }).toThrow(FieldRangeError);
    expect(e.split).toBe(0);
    expect(() => new Example({ splitt: 3 } as never)).toThrow(UnknownFieldError);
  });

  it('rejects undecodable words', () => {
    expect(() => Example.decode(new Uint32Array(1))).toThrow(ContainerDecodeError);
    const words = new Example().encode();
    words[1] = (words[1]! | (1023 << 16)) >>> 0;
    expect(() => Example.decode(words)).toThrow(/field value has raw value 1023/);
    words[1] = 0;
    words[0] = 3 << 16;
    expect(() => Example.decode(words)).toThrow(/field mode/);
  });

  it('refuses overlapping layouts at definition time', () => {
    expect(() =>
      register({
        typeName: 'Broken',
        coordinateType: ExampleOnDLS,
        wordCount: 1,
        readable: true,
        writable: true,
        addresses: () => [0],
        fields: { a: uint(at(0, 0, 4)), b: bool(at(0, 3)) },
      }),
    ).toThrow(/both use word 0 bit 3/);
  });
});
