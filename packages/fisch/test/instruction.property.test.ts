import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  FieldRangeError,
  InstructionStream,
  decodeInstructions,
  encodeInstructions,
  type Instruction,
  type InstructionVisitor,
} from '../src/index.js';
import { RUNS, anyInstruction, assertSame, assertSameBytes, canonical, appendTyped, instructionArbitraries, thrown } from './helpers.js';

/** Decodes, and on success checks that re-encoding gives back the very same bytes (one canonical form). */
function decodeOrDecodeError(bytes: Uint8Array): void {
  const error = thrown(() => {
    assertSameBytes(encodeInstructions(decodeInstructions(bytes)), bytes, 're-encoding');
  });
  if (error !== undefined && !(error instanceof DecodeError)) throw error;
}

/** Collects what `visitAt` reports, in object form. */
class Recorder implements InstructionVisitor {
  readonly seen: Instruction[] = [];
  jtagInit(): void { this.seen.push({ kind: 'JtagInit' }); }
  jtagScaler(value: number): void { this.seen.push({ kind: 'JtagScaler', value }); }
  jtagIns(value: number): void { this.seen.push({ kind: 'JtagIns', value }); }
  jtagData(data: number, numBits: number, keepResponse: boolean): void { this.seen.push({ kind: 'JtagData', keepResponse, numBits, data }); }
  timingSetup(): void { this.seen.push({ kind: 'TimingSetup' }); }
  waitUntil(value: number): void { this.seen.push({ kind: 'WaitUntil', value }); }
  systimeInit(value: boolean): void { this.seen.push({ kind: 'SystimeInit', value }); }
  barrier(mask: number): void { this.seen.push({ kind: 'Barrier', mask }); }
  pollingOmnibusBlock(value: boolean): void { this.seen.push({ kind: 'PollingOmnibusBlock', value }); }
  reset(value: boolean): void { this.seen.push({ kind: 'Reset', value }); }
  loopback(value: number): void { this.seen.push({ kind: 'Loopback', value }); }
  omnibusAddress(address: number, byteEnables: number, isRead: boolean): void {
    this.seen.push({ kind: 'OmnibusAddress', address, byteEnables, isRead });
  }
  omnibusData(value: number): void { this.seen.push({ kind: 'OmnibusData', value }); }
  spikePack(labels: ArrayLike<number>, count: number): void {
    this.seen.push({ kind: `SpikePack${count}`, labels: Array.from(labels).slice(0, count) } as unknown as Instruction);
  }
}

describe('instruction round trip', () => {
  it.each(Object.entries(instructionArbitraries))('decode(encode(x)) equals x for %s', (_kind, arbitrary) => {
    fc.assert(
      fc.property(arbitrary, (instruction) => {
        const bytes = encodeInstructions([instruction]);
        expect(bytes.length).toBe(8);
        expect(bytes[0]! & 0x80).toBe(0);
        assertSame(decodeInstructions(bytes), [instruction]);
      }),
      { numRuns: 200, seed: 42 },
    );
  });

  it('decode(encode(program)) equals the program; typed appenders, object appends and visitors agree', () => {
    fc.assert(
      fc.property(fc.array(anyInstruction, { maxLength: 24 }), (program) => {
        const typed = new InstructionStream(1);
        for (const instruction of program) appendTyped(typed, instruction);
        const bytes = typed.toBytes();
        assertSameBytes(encodeInstructions(program), bytes, 'object-form encoding');
        assertSame(decodeInstructions(bytes), program, 'decoded program');

        const recorder = new Recorder();
        typed.visit(recorder);
        assertSame(recorder.seen, program, 'visited program');
        const copy = new InstructionStream();
        typed.visit(copy);
        assertSameBytes(copy.toBytes(), bytes, 'copy by visiting');
      }),
      RUNS,
    );
  });
});

describe('instruction decoder on arbitrary input', () => {
  it('gives instructions or a DecodeError for random bytes, never another exception', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 120 }), decodeOrDecodeError), RUNS);
  });

  it('gives instructions or a DecodeError for random whole words biased towards valid headers', () => {
    const word = fc.tuple(fc.integer({ min: 0, max: 20 }), fc.uint8Array({ minLength: 7, maxLength: 7 }));
    fc.assert(
      fc.property(fc.array(word, { maxLength: 12 }), (words) => {
        decodeOrDecodeError(Uint8Array.from(words.flatMap(([header, rest]) => [header, ...rest])));
      }),
      RUNS,
    );
  });

  it('gives a DecodeError or a canonical stream after flipping bits of a valid stream', () => {
    const mutation = fc.record({ at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) });
    fc.assert(
      fc.property(fc.array(anyInstruction, { minLength: 1, maxLength: 20 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (program, flips) => {
        const bytes = encodeInstructions(program);
        for (const { at, bit } of flips) bytes[at % bytes.length]! ^= 1 << bit;
        decodeOrDecodeError(bytes);
      }),
      RUNS,
    );
  });

  it('decodes every truncation of a stream to its whole words or refuses it at the cut word', () => {
    fc.assert(
      fc.property(fc.array(anyInstruction, { minLength: 1, maxLength: 8 }), (program) => {
        const bytes = encodeInstructions(program);
        for (let cut = 0; cut <= bytes.length; cut++) {
          const error = thrown(() => {
            const decoded = decodeInstructions(bytes.subarray(0, cut));
            if (canonical(decoded) !== canonical(program.slice(0, cut / 8))) throw new Error(`wrong prefix at ${cut}`);
          });
          if (cut % 8 === 0 ? error !== undefined : !(error instanceof DecodeError && error.offset === cut - (cut % 8))) {
            throw new Error(`cut at ${cut}: ${String(error)}`);
          }
        }
      }),
      { numRuns: 200, seed: 42 },
    );
  });
});

/** A value of the wrong kind or out of range for a field that takes integers in `min..max`. */
function badInteger(min: number, max: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.integer({ min: 1, max: 1000 }).map((d) => min - d),
    fc.integer({ min: 1, max: 1000 }).map((d) => max + d),
    fc.constantFrom(0.5 + min, Number.NaN, Infinity, '1', null, true, undefined),
  );
}

// `undefined` is left out: the typed appenders take it as their documented default.
const badBoolean = fc.constantFrom<unknown>(0, 1, 'true', null, Number.NaN);

/** Every field of every instruction, with a valid instruction and what the field may not hold. */
const fieldCases: [Instruction, string, fc.Arbitrary<unknown>][] = [
  [{ kind: 'JtagScaler', value: 1 }, 'value', badInteger(0, 255)],
  [{ kind: 'JtagIns', value: 1 }, 'value', badInteger(0, 127)],
  [{ kind: 'JtagData', keepResponse: false, numBits: 20, data: 1 }, 'numBits', badInteger(3, 33)],
  [{ kind: 'JtagData', keepResponse: false, numBits: 20, data: 1 }, 'data', badInteger(0, 2 ** 20 - 1)],
  [{ kind: 'JtagData', keepResponse: false, numBits: 33, data: 1 }, 'data', badInteger(0, 2 ** 33 - 1)],
  [{ kind: 'JtagData', keepResponse: false, numBits: 20, data: 1 }, 'keepResponse', badBoolean],
  [{ kind: 'WaitUntil', value: 1 }, 'value', badInteger(0, 2 ** 32 - 1)],
  [{ kind: 'SystimeInit', value: true }, 'value', badBoolean],
  [{ kind: 'Barrier', mask: 1 }, 'mask', badInteger(0, 31)],
  [{ kind: 'PollingOmnibusBlock', value: true }, 'value', badBoolean],
  [{ kind: 'Reset', value: true }, 'value', badBoolean],
  [{ kind: 'Loopback', value: 1 }, 'value', badInteger(0, 1)],
  [{ kind: 'OmnibusAddress', address: 1, byteEnables: 15, isRead: false }, 'address', badInteger(0, 2 ** 32 - 1)],
  [{ kind: 'OmnibusAddress', address: 1, byteEnables: 15, isRead: false }, 'byteEnables', badInteger(0, 15)],
  [{ kind: 'OmnibusAddress', address: 1, byteEnables: 15, isRead: false }, 'isRead', badBoolean],
  [{ kind: 'OmnibusData', value: 1 }, 'value', badInteger(0, 2 ** 32 - 1)],
  ...([1, 2, 3] as const).flatMap((n) =>
    Array.from({ length: n }, (_, i): [Instruction, string, fc.Arbitrary<unknown>] => [
      { kind: `SpikePack${n}`, labels: Array(n).fill(7) } as unknown as Instruction,
      `labels[${i}]`,
      badInteger(0, 65535),
    ]),
  ),
];

function withField(instruction: Instruction, name: string, value: unknown): Instruction {
  const copy = structuredClone(instruction) as unknown as Record<string, unknown>;
  const match = /^(\w+)\[(\d+)\]$/.exec(name);
  if (match === null) copy[name] = value;
  else (copy[match[1]!] as unknown[])[Number(match[2])] = value;
  return copy as unknown as Instruction;
}

describe('field ranges', () => {
  it.each(fieldCases.map(([i, f, a]) => [`${i.kind}.${f}`, i, f, a] as const))(
    '%s out of range is refused by the typed appender and by append, naming the field',
    (name, instruction, field, bad) => {
      fc.assert(
        fc.property(bad, (value) => {
          const broken = withField(instruction, field, value);
          for (const append of [(s: InstructionStream) => appendTyped(s, broken), (s: InstructionStream) => s.append(broken)]) {
            const stream = new InstructionStream();
            const error = thrown(() => append(stream));
            expect(error).toBeInstanceOf(FieldRangeError);
            expect((error as FieldRangeError).field).toBe(name);
            expect(Object.is((error as FieldRangeError).value, value)).toBe(true);
            expect(stream.length).toBe(0);
          }
        }),
        { numRuns: 50, seed: 42 },
      );
    },
  );
});
