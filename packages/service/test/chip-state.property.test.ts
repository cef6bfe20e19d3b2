import { SimulatedChip, memoryMap } from '@bss2/chip-sim';
import { SETTLE_CYCLES } from '@bss2/execution';
import { InstructionStream, Loopback, decodeInstructions } from '@bss2/fisch';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProgramRejectedError, UserChipState, checkSnapshotProgram, scanProgram } from '../src/index.js';

/** PPU memory words: plain state, cheap to simulate. */
const address = memoryMap().container('PPUMemoryWord');
const POOL = [0x0280_0010, 0x0280_0011, 0x0280_0012];
/** Neuron config words and CapMem cells: a write rebuilds part of the analog model, a restore of CapMem waits the settling, so fewer runs. */
const ANALOG_POOL = [0x16_0002, 0x16_0003, 0x14_0000, 0x14_0021];
const TIMER = 0x8800_0000;

function program(writes: ReadonlyArray<readonly [number, number]>): Uint8Array {
  const stream = new InstructionStream();
  for (const [a, v] of writes) stream.omnibusWrite(a, v);
  return stream.loopback(Loopback.halt).toBytes();
}

const writesOf = (pool: readonly number[]) => fc.array(fc.tuple(fc.constantFrom(...pool), fc.integer({ min: 0, max: 0x3ff })), { minLength: 1, maxLength: 6 });
const writesArbitrary = writesOf(POOL);

let chips: { shared: SimulatedChip; a: SimulatedChip; b: SimulatedChip } | undefined;

/** Runs `steps` of users a and b on one shared chip (reset + restore at each switch) and on one chip each. */
function interleave(steps: ReadonlyArray<readonly ['a' | 'b', ReadonlyArray<readonly [number, number]>]>, pool: readonly number[]): void {
  // Built once (a chip takes a while to build); a power-on reset makes each run start from scratch.
  chips ??= { shared: new SimulatedChip({ seed: 3 }), a: new SimulatedChip({ seed: 3 }), b: new SimulatedChip({ seed: 3 }) };
  const { shared } = chips;
  const alone = { a: chips.a, b: chips.b };
  for (const chip of [shared, alone.a, alone.b]) chip.reset();
  const states = { a: new UserChipState(), b: new UserChipState() };
  let holder: 'a' | 'b' | undefined;
  for (const [user, writes] of steps) {
    const bytes = program(writes);
    const state = states[user];
    if (holder !== user) {
      shared.reset();
      for (const restore of state.restorePrograms()) shared.execute(restore);
      holder = user;
    }
    state.record(scanProgram(bytes));
    shared.execute(bytes);
    alone[user].execute(bytes);
    const request = state.snapshotRequest();
    if (request?.kind === 'default') state.acceptDefaultSnapshot(request.addresses.map((a) => shared.readWord(a)));
    for (const a of pool) expect(shared.readWord(a), `user ${user}, address 0x${a.toString(16)}`).toBe(alone[user].readWord(a));
  }
}

describe('per-user chip state (properties)', () => {
  it('a user interleaved with another on one chip (reset + restore at each switch) reads exactly what it reads alone', () => {
    expect(address.writable).toBe(true);
    const user = fc.constantFrom<'a' | 'b'>('a', 'b');
    fc.assert(fc.property(fc.array(fc.tuple(user, writesArbitrary), { minLength: 1, maxLength: 12 }), (steps) => interleave(steps, POOL)), { seed: 1, numRuns: 200 });
    const mixed = [...POOL, ...ANALOG_POOL];
    fc.assert(fc.property(fc.array(fc.tuple(user, writesOf(mixed)), { minLength: 1, maxLength: 4 }), (steps) => interleave(steps, mixed)), { seed: 1, numRuns: 6 });
  });

  it('the snapshot as a program of reads answers what direct reads give', () => {
    fc.assert(
      fc.property(writesArbitrary, (writes) => {
        const chip = new SimulatedChip({ seed: 1 });
        const state = new UserChipState();
        const bytes = program(writes);
        state.record(scanProgram(bytes));
        chip.execute(bytes);
        const direct = new UserChipState();
        direct.record(scanProgram(bytes));
        direct.acceptDefaultSnapshot(Uint32Array.from(state.writtenAddresses, (a) => chip.readWord(a)));
        state.acceptDefaultSnapshotResponses(chip.execute(state.defaultSnapshotProgram()));
        expect(state.restorePrograms()).toEqual(direct.restorePrograms());
      }),
      { seed: 1, numRuns: 60 },
    );
  });
});

describe('program scans and restore programs', () => {
  it('records state writes once, in first-write order, and ignores reads and write-only commands', () => {
    const neuronReset = memoryMap().containers.find((c) => c.name === 'NeuronReset')!;
    expect(neuronReset.readable).toBe(false);
    const bytes = new InstructionStream().omnibusWrite(0x0280_0011, 1).omnibusRead(0x0280_0012).omnibusWrite(0x0280_0010, 2).omnibusWrite(0x0280_0011, 3).loopback(Loopback.halt).toBytes();
    expect(scanProgram(bytes)).toEqual({ writes: [0x0280_0011, 0x0280_0010], instructionCount: 8 });
    expect(() => scanProgram(Uint8Array.of(1, 2, 3))).toThrow(ProgramRejectedError);
  });

  it('restores CapMem cells with the settling wait and the timer after it', () => {
    const state = new UserChipState();
    state.record(scanProgram(program([[0x14_0000, 500], [TIMER, 0], [0x0280_0010, 9]])));
    state.acceptDefaultSnapshot(Uint32Array.of(500, 1234, 9));
    const [restore] = state.restorePrograms();
    const kinds = decodeInstructions(restore!).map((i) => (i.kind === 'WaitUntil' ? `WaitUntil ${i.value}` : i.kind === 'OmnibusAddress' ? `write ${i.address.toString(16)}` : i.kind));
    expect(kinds).toEqual([
      'write 140000', 'OmnibusData', 'write 2800010', 'OmnibusData', 'Barrier', 'TimingSetup', `WaitUntil ${SETTLE_CYCLES}`,
      `write ${TIMER.toString(16)}`, 'OmnibusData', 'Barrier', 'Loopback',
    ]);
  });

  it('accepts a snapshot program of reads only and names the first offending instruction otherwise', () => {
    expect(checkSnapshotProgram(new InstructionStream().omnibusRead(5).barrier(1).omnibusRead(6).loopback(Loopback.halt).toBytes())).toEqual([5, 6]);
    expect(() => checkSnapshotProgram(new InstructionStream().omnibusRead(5).loopback(Loopback.halt).loopback(Loopback.halt).toBytes())).toThrow(/instruction 1 is Loopback\(halt, not last\)/);
    expect(() => checkSnapshotProgram(new InstructionStream().omnibusRead(5).toBytes())).toThrow(/instruction 0 is an omnibus read/);
    expect(() => checkSnapshotProgram(new InstructionStream().waitUntil(4).loopback(Loopback.halt).toBytes())).toThrow(/instruction 0 is WaitUntil/);
    expect(() => checkSnapshotProgram(new Uint8Array(0))).toThrow(/empty/);
  });
});
