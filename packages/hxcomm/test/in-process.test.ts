import { DEFAULT_CHIP_SEED, InstructionStreamRejectedError, SIMULATOR_VERSION, SimulatedChip } from '@bss2/chip-sim';
import { PROTOCOL_VERSION } from '@bss2/fisch';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InProcessConnection, connectInProcess } from '../src/in-process/index.js';
import { ConnectionClosedError, RemoteError } from '../src/index.js';
import { SEED, programArbitrary, writeReadProgram } from './helpers.js';

describe('InProcessConnection', () => {
  it('reports the chip identity', () => {
    expect(connectInProcess({ seed: 9 }).identity).toEqual({
      protocolVersion: PROTOCOL_VERSION,
      chipSeed: 9,
      simulatorVersion: SIMULATOR_VERSION,
      responseLatency_cycles: Math.ceil(100 / 8) + 1,
      kind: 'in-process',
    });
    expect(connectInProcess().identity.chipSeed).toBe(DEFAULT_CHIP_SEED);
  });

  it.each([100, 10])('reports the response latency of its chip: analog step %i ns → ⌈step / 8 ns⌉ + 1 cycles', (analogStep_ns) => {
    const connection = connectInProcess({ seed: 1, analog: { analogStep_ns } });
    expect(connection.identity.responseLatency_cycles).toBe(Math.ceil(analogStep_ns / 8) + 1);
    expect(connection.identity.responseLatency_cycles).toBe(connection.chip.identity.responseLatency_cycles);
  });

  it('execute answers exactly chip.execute, program after program', async () => {
    const connection = connectInProcess({ seed: 11 });
    const reference = new SimulatedChip({ seed: 11 });
    await fc.assert(
      fc.asyncProperty(programArbitrary(), async (program) => {
        expect(await connection.execute(program)).toEqual(reference.execute(program));
      }),
      { numRuns: 300, seed: SEED },
    );
    expect(connection.chip.stateDigest()).toBe(reference.stateDigest());
  });

  it('a rejected stream is a RemoteError carrying the chip error; the chip is untouched; the connection closes', async () => {
    const chip = new SimulatedChip({ seed: 0 });
    const connection = new InProcessConnection(chip);
    const digest = chip.stateDigest();
    const failure = connection.execute(Uint8Array.of(1, 2, 3)).catch((e: unknown) => e);
    const error = (await failure) as RemoteError;
    expect(error).toBeInstanceOf(RemoteError);
    expect(error.cause).toBeInstanceOf(InstructionStreamRejectedError);
    expect(error.remoteName).toBe('InstructionStreamRejectedError');
    expect(error.message).toMatch(/the in-process simulator \(chip seed 0\) rejected the transfer: .*; the connection is closed$/);
    expect(chip.stateDigest()).toBe(digest);
    expect(connection.closed).toBe(true);
    await expect(connection.execute(writeReadProgram(1))).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('reset powers the chip on; close() closes', async () => {
    const connection = connectInProcess({ seed: 2 });
    const digest = connection.chip.stateDigest();
    await connection.execute(writeReadProgram(5));
    await connection.reset();
    expect(connection.chip.stateDigest()).toBe(digest);
    await connection.close();
    await expect(connection.reset()).rejects.toThrow(/closed: closed by close\(\)/);
  });
});
