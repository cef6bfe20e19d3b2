import { DecodeError, type Instruction, InstructionStream, Loopback, decodeResponses } from '@bss2/fisch';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RemoteError, ZeroMockConnection } from '../src/index.js';
import { SEED, instructionArbitrary } from './helpers.js';

describe('ZeroMockConnection (hardware.md §6.2)', () => {
  it('answers reads with zeros, echoes loopbacks, drops everything else, stops at the halt', async () => {
    const mock = new ZeroMockConnection();
    expect(mock.identity).toMatchObject({ kind: 'zero-mock', chipSeed: 0, simulatorVersion: 'zero-mock', responseLatency_cycles: 0 });
    const program = new InstructionStream()
      .omnibusWrite(0x0280_0010, 42)
      .omnibusRead(0x0280_0010)
      .waitUntil(100)
      .jtagData(5, 8, true)
      .jtagData(5, 8, false)
      .loopback(Loopback.tick)
      .spikePack([1, 2])
      .loopback(Loopback.halt)
      .omnibusRead(0)
      .toBytes();
    expect(decodeResponses(await mock.execute(program))).toEqual([
      { kind: 'OmnibusData', value: 0 },
      { kind: 'JtagData', value: 0 },
      { kind: 'Loopback', value: Loopback.tick },
      { kind: 'Loopback', value: Loopback.halt },
    ]);
  });

  it('answers one zero per read and one echo per loopback, for any valid program', async () => {
    const mock = new ZeroMockConnection();
    await fc.assert(
      fc.asyncProperty(fc.array(instructionArbitrary(), { maxLength: 60 }), async (list: Instruction[]) => {
        const responses = decodeResponses(await mock.execute(InstructionStream.from(list).loopback(Loopback.halt).toBytes()));
        const reads = list.filter((i) => (i.kind === 'OmnibusAddress' && i.isRead) || (i.kind === 'JtagData' && i.keepResponse)).length;
        const ticks = list.filter((i) => i.kind === 'Loopback').length;
        expect(responses.filter((r) => r.kind !== 'Loopback').every((r) => 'value' in r && r.value === 0)).toBe(true);
        expect(responses.length).toBe(reads + ticks + 1);
        expect(responses.at(-1)).toEqual({ kind: 'Loopback', value: Loopback.halt });
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('rejects an invalid stream with the decoder error and closes', async () => {
    const mock = new ZeroMockConnection();
    const error = (await mock.execute(new Uint8Array(9)).catch((e: unknown) => e)) as RemoteError;
    expect(error).toBeInstanceOf(RemoteError);
    expect(error.cause).toBeInstanceOf(DecodeError);
    expect(mock.closed).toBe(true);
  });
});
