import { DecodeError, InstructionStream, Loopback, decodeResponses } from '@bss2/fisch';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChipSimArgumentError, InstructionStreamRejectedError, SimulatedChip } from '../src/index.js';
import { SEED, instructionArbitrary } from './helpers.js';

// Addresses of several storage kinds: neuron config, a full synapse quad, CapMem, PPU memory, the timer,
// the polling config, FPGA SRAM and DRAM, and nothing (0).
const ADDRESSES = [0x16_0002, 0x02cf_0000, 0x02c0_0000, 0x14_0000, 0x0280_0000, 0x8800_0000, 0x8800_0030, 0x8000_0001, 0xa000_0000, 0];
const programArb = fc.array(instructionArbitrary(ADDRESSES), { maxLength: 40 }).map((list) => InstructionStream.from(list).toBytes());

/** Digest of each chip's state since its last execution (a rejection must not change it). */
const digests = new WeakMap<SimulatedChip, string>();

/** Executes `bytes`: either a rejection that left the state bit-identical, or a well-formed response stream. */
function check(chip: SimulatedChip, bytes: Uint8Array): 'rejected' | 'executed' {
  const before = digests.get(chip) ?? chip.stateDigest();
  let response: Uint8Array;
  try {
    response = chip.execute(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(InstructionStreamRejectedError);
    const rejected = error as InstructionStreamRejectedError;
    expect(rejected.cause).toBeInstanceOf(DecodeError);
    expect(rejected.offset).toBeGreaterThanOrEqual(0);
    expect(rejected.offset).toBeLessThanOrEqual(bytes.length);
    expect(chip.stateDigest()).toBe(before);
    digests.set(chip, before);
    return 'rejected';
  }
  digests.set(chip, chip.stateDigest());
  const responses = decodeResponses(response);
  expect(responses[0]?.kind).toBe('Systime');
  return 'executed';
}

describe('malformed instruction streams (architecture.md, "Errors")', () => {
  // A short timeout keeps random PollingOmnibusBlock instructions cheap.
  const chip = new SimulatedChip({ seed: 11, instructionTimeout: 200 });

  it('random byte strings are rejected with a typed error and leave the state bit-identical', () => {
    const outcomes = { rejected: 0, executed: 0 };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 96 }), (bytes) => {
        outcomes[check(chip, bytes)]++;
      }),
      { numRuns: 1000, seed: SEED },
    );
    expect(outcomes.rejected).toBeGreaterThan(800);
  });

  it('mutated valid programs are rejected cleanly or execute to a well-formed response', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    );
    const outcomes = { rejected: 0, executed: 0 };
    fc.assert(
      fc.property(programArb, fc.array(mutation, { minLength: 1, maxLength: 3 }), (program, mutations) => {
        let bytes = program;
        for (const m of mutations) {
          const at = bytes.length === 0 ? 0 : m.at % bytes.length;
          if (m.kind === 'flip' && bytes.length > 0) {
            bytes = bytes.slice();
            bytes[at] = bytes[at]! ^ (1 << m.bit);
          } else if (m.kind === 'truncate') {
            bytes = bytes.slice(0, at);
          } else if (m.kind === 'insert') {
            bytes = Uint8Array.from([...bytes.subarray(0, at), m.byte, ...bytes.subarray(at)]);
          }
        }
        outcomes[check(chip, bytes)]++;
      }),
      { numRuns: 1000, seed: SEED },
    );
    expect(outcomes.rejected).toBeGreaterThan(100);
    expect(outcomes.executed).toBeGreaterThan(100);
  });

  it('valid random programs execute to well-formed responses ending with the halt echo', () => {
    fc.assert(
      fc.property(programArb, (program) => {
        const bytes = Uint8Array.from([...program, ...new InstructionStream().loopback(Loopback.halt).toBytes()]);
        const responses = decodeResponses(chip.execute(bytes));
        expect(responses.at(-1)).toEqual({ kind: 'Loopback', value: Loopback.halt });
      }),
      { numRuns: 500, seed: SEED },
    );
  });

  it('rejects what is not a byte array', () => {
    expect(() => chip.execute([1, 2, 3] as unknown as Uint8Array)).toThrow(ChipSimArgumentError);
    expect(() => chip.readWord(-1)).toThrow(ChipSimArgumentError);
    expect(() => chip.writeWord(0, 2 ** 32)).toThrow(ChipSimArgumentError);
  });
});
