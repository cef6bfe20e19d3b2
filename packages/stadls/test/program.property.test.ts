// Programs: encode/decode round trip, and the order and tickets of merged and copied builders.
import { DecodeError, InstructionStream, Loopback } from '@bss2/fisch';
import {
  BarrierOnFPGA,
  CapMemCellOnDLS,
  PollingOmnibusBlockOnFPGA,
  SpikePack1ToChipOnDLS,
  SpikePack2ToChipOnDLS,
  SpikePack3ToChipOnDLS,
  TimerOnDLS,
} from '@bss2/halco';
import { Barrier, CapMemCell, SpikePack1ToChip, SpikePack2ToChip, SpikePack3ToChip, Timer, TimerValue } from '@bss2/lola';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlaybackProgram, PlaybackProgramBuilder, ProgramFormatError, run, type ContainerTicket } from '../src/index.js';
import { FakeExecutor } from './support/fake-executor.js';

const label = fc.integer({ min: 0, max: 0xffff });
const cell = fc.integer({ min: 0, max: CapMemCellOnDLS.max });
const value = fc.integer({ min: 0, max: 1022 });

/** One builder operation in data form, so that fast-check can shrink it. */
const operation = fc.oneof(
  fc.record({ op: fc.constant('write' as const), cell, value }),
  fc.record({ op: fc.constant('read' as const), cell }),
  fc.record({ op: fc.constant('wait' as const), cycles: fc.integer({ min: 0, max: 0xffffffff }) }),
  fc.record({ op: fc.constant('timer' as const) }),
  fc.record({ op: fc.constant('barrier' as const), mask: fc.integer({ min: 0, max: 31 }) }),
  fc.record({ op: fc.constant('polling' as const), equal: fc.boolean() }),
  fc.record({ op: fc.constant('spikes' as const), labels: fc.array(label, { minLength: 1, maxLength: 3 }) }),
);
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

const spikeCoords = [SpikePack1ToChipOnDLS, SpikePack2ToChipOnDLS, SpikePack3ToChipOnDLS];
const spikePacks = [SpikePack1ToChip, SpikePack2ToChip, SpikePack3ToChip];

function build(operations: readonly Operation[]): { builder: PlaybackProgramBuilder; tickets: ContainerTicket<CapMemCell>[] } {
  const builder = new PlaybackProgramBuilder();
  const tickets: ContainerTicket<CapMemCell>[] = [];
  for (const o of operations) {
    switch (o.op) {
      case 'write': builder.write(new CapMemCellOnDLS(o.cell), new CapMemCell({ value: o.value })); break;
      case 'read': tickets.push(builder.read(new CapMemCellOnDLS(o.cell), CapMemCell)); break;
      case 'wait': builder.blockUntil(new TimerOnDLS(0), new TimerValue(o.cycles)); break;
      case 'timer': builder.write(new TimerOnDLS(0), new Timer()); break;
      case 'barrier': builder.blockUntil(new BarrierOnFPGA(0), Barrier.fromMask(o.mask)); break;
      case 'polling': builder.blockUntil(new PollingOmnibusBlockOnFPGA(0), { enableExpectsEquality: o.equal }); break;
      case 'spikes': {
        const n = o.labels.length - 1;
        builder.write(new spikeCoords[n]!(0), new spikePacks[n]!(o.labels as never));
        break;
      }
    }
  }
  return { builder, tickets };
}

describe('PlaybackProgram encode/decode', () => {
  it('round-trips bytes, instructions and expected responses', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 40 }), (operations) => {
        const { builder } = build(operations);
        const size = builder.sizeToFpga();
        const responses = builder.sizeFromFpga();
        const program = builder.done();
        const bytes = program.encode();
        expect(bytes.length).toBe(8 * size);
        const decoded = PlaybackProgram.decode(bytes);
        expect(decoded.encode()).toEqual(bytes);
        expect(decoded.toInstructions()).toEqual(program.toInstructions());
        expect(decoded.instructionCount).toBe(size);
        expect(decoded.expectedResponses).toEqual({ omnibusData: responses, jtagData: 0, loopback: 0 });
        expect(decoded.tickets).toEqual([]);
      }),
      { numRuns: 1000, seed: 0xc0de },
    );
  });

  it('drops a trailing halt, refuses a halt inside, counts ticks and kept JTAG reads, rejects malformed words', () => {
    const body = new PlaybackProgramBuilder().write(new CapMemCellOnDLS(0), new CapMemCell({ value: 5 })).done().encode();
    const withHalt = new InstructionStream().appendBytes(body).loopback(Loopback.halt).toBytes();
    expect(PlaybackProgram.decode(withHalt).encode()).toEqual(body);
    const haltInside = new InstructionStream().loopback(Loopback.halt).appendBytes(body).toBytes();
    expect(() => PlaybackProgram.decode(haltInside)).toThrow(ProgramFormatError);
    expect(() => PlaybackProgram.decode(haltInside)).toThrow(/instruction 0: Loopback\(halt\) inside a program/);
    const ticks = new InstructionStream().loopback(Loopback.tick).jtagData(5, 8, true).jtagData(5, 8, false).omnibusRead(7).toBytes();
    expect(PlaybackProgram.decode(ticks).expectedResponses).toEqual({ omnibusData: 1, jtagData: 1, loopback: 1 });
    expect(() => PlaybackProgram.decode(new Uint8Array([0xff, 0, 0, 0, 0, 0, 0, 0]))).toThrow(DecodeError);
    expect(() => PlaybackProgram.decode(new Uint8Array(7))).toThrow(DecodeError);
  });

  it('runs a decoded program: its reads come back in readWords', async () => {
    const builder = new PlaybackProgramBuilder().write(new CapMemCellOnDLS(4), new CapMemCell({ value: 321 }));
    builder.read(new CapMemCellOnDLS(4), CapMemCell);
    const decoded = PlaybackProgram.decode(builder.done().encode());
    await run(new FakeExecutor(), decoded);
    expect([...decoded.readWords]).toEqual([321]);
  });
});

describe('merge and copy through run()', () => {
  /** Every read sees the value the model says: the last write before it in the merged order. */
  async function checkAgainstModel(operations: readonly Operation[], tickets: readonly ContainerTicket<CapMemCell>[], program: PlaybackProgram): Promise<void> {
    await run(new FakeExecutor(), program);
    const model = new Map<number, number>();
    const expected: number[] = [];
    for (const o of operations) {
      if (o.op === 'write') model.set(o.cell, o.value);
      if (o.op === 'read') expected.push(model.get(o.cell) ?? 0);
    }
    expect(tickets.map((t) => t.get().value)).toEqual(expected);
    expect(program.tickets).toEqual(tickets);
  }

  const part = fc.array(fc.oneof(operation, operation.filter((o) => o.op === 'read' || o.op === 'write')), { maxLength: 12 });

  it('mergeBack: a then b; mergeFront: b then a; tickets of both filled in that order', async () => {
    await fc.assert(
      fc.asyncProperty(part, part, async (first, second) => {
        const a = build(first);
        const b = build(second);
        await checkAgainstModel([...first, ...second], [...a.tickets, ...b.tickets], a.builder.mergeBack(b.builder).done());
        expect(b.builder.empty()).toBe(true);
        const c = build(first);
        const d = build(second);
        await checkAgainstModel([...second, ...first], [...d.tickets, ...c.tickets], c.builder.mergeFront(d.builder).done());
        expect(d.builder.empty()).toBe(true);
      }),
      { numRuns: 500, seed: 0x3e46e },
    );
  });

  it('copyBack of a write-only builder appends its instructions and keeps it', () => {
    fc.assert(
      fc.property(part, part.map((ops) => ops.filter((o) => o.op !== 'read')), (first, writes) => {
        const a = build(first).builder;
        const b = build(writes).builder;
        const before = b.sizeToFpga();
        const copied = a.copyBack(b).done().toInstructions();
        expect(copied).toEqual([...build(first).builder.done().toInstructions(), ...build(writes).builder.done().toInstructions()]);
        expect(b.sizeToFpga()).toBe(before);
      }),
      { numRuns: 1000, seed: 0xc0b7 },
    );
  });
});
