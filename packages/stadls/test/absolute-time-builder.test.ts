import { CapMemCellOnDLS, NeuronConfigOnDLS, SpikePack1ToChipOnDLS } from '@bss2/halco';
import { CapMemCell, NeuronConfig, SpikePack1ToChip, TimerValue } from '@bss2/lola';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AbsoluteTimePlaybackProgramBuilder,
  CopyWithReadsError,
  LATENESS_WARNING_CYCLES,
  SelfMergeError,
  TimeRangeError,
  run,
  type LatenessWarning,
} from '../src/index.js';
import { FakeExecutor } from './support/fake-executor.js';

const spike = (label: number) => new SpikePack1ToChip([label]);
const at = new SpikePack1ToChipOnDLS(0);

function lowered(builder: AbsoluteTimePlaybackProgramBuilder): string[] {
  return builder
    .done()
    .done()
    .toInstructions()
    .map((i) => (i.kind === 'WaitUntil' ? `wait ${i.value}` : i.kind === 'SpikePack1' ? `spike ${i.labels[0]}` : i.kind));
}

describe('AbsoluteTimePlaybackProgramBuilder', () => {
  it('sorts stably, resets the timer first and waits for t − 1 before each new time', () => {
    const builder = new AbsoluteTimePlaybackProgramBuilder()
      .write(500, at, spike(1))
      .write(0, at, spike(2))
      .write(500, at, spike(3))
      .write(new TimerValue(100), at, spike(4))
      .write(0, at, spike(5));
    expect(lowered(builder)).toEqual(['TimingSetup', 'spike 2', 'spike 5', 'wait 99', 'spike 4', 'wait 499', 'spike 1', 'spike 3']);
    expect(builder.empty()).toBe(true);
  });

  it('keeps the order of commands given for the same time, whatever the times', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 60 }), (times) => {
        const builder = new AbsoluteTimePlaybackProgramBuilder({ onLateness: () => {} });
        times.forEach((t, i) => builder.write(t, at, spike(i)));
        const expected = times.map((t, i) => [t, i] as const).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
        const emitted = builder.done().done().toInstructions().flatMap((i) => (i.kind === 'SpikePack1' ? [i.labels[0]] : []));
        expect(emitted).toEqual(expected);
      }),
      { numRuns: 1000, seed: 0xab5 },
    );
  });

  it('issues each command at its time on a device counting one cycle per instruction', async () => {
    const builder = new AbsoluteTimePlaybackProgramBuilder();
    for (const t of [1000, 10, 250, 3]) builder.write(t, at, spike(t));
    const fake = new FakeExecutor({ echoSpikes: true });
    const start = fake.systime;
    const program = builder.done().done();
    await run(fake, program);
    expect(program.spikes.map((s) => [s.label, s.chipTime - start])).toEqual([
      [3, 3],
      [10, 10],
      [250, 250],
      [1000, 1000],
    ]);
  });

  it('shifts (+=) and scales (*=) every time', () => {
    const builder = new AbsoluteTimePlaybackProgramBuilder().write(10, at, spike(1)).write(30, at, spike(2));
    builder.shift(5).scale(2);
    expect(lowered(builder)).toEqual(['TimingSetup', 'wait 29', 'spike 1', 'wait 69', 'spike 2']);
    const b = new AbsoluteTimePlaybackProgramBuilder().write(10, at, spike(1));
    expect(() => b.shift(-11)).toThrow(TimeRangeError);
    expect(() => b.scale(-1)).toThrow(TimeRangeError);
    expect(() => b.scale(2 ** 32)).toThrow(TimeRangeError);
    expect(() => b.write(-1, at, spike(1))).toThrow(TimeRangeError);
    expect(() => b.write(1.5, at, spike(1))).toThrow(TimeRangeError);
    expect(lowered(b)).toEqual(['TimingSetup', 'wait 9', 'spike 1']);
  });

  it('merges (emptying the other) and copies write-only builders', () => {
    const a = new AbsoluteTimePlaybackProgramBuilder().write(5, at, spike(1));
    const b = new AbsoluteTimePlaybackProgramBuilder().write(5, at, spike(2)).write(1, at, spike(3));
    a.merge(b);
    expect(b.empty()).toBe(true);
    expect(a.size).toBe(3);
    const c = new AbsoluteTimePlaybackProgramBuilder().write(2, at, spike(4));
    a.copy(c).copy(c);
    expect(c.size).toBe(1);
    expect(lowered(a)).toEqual(['TimingSetup', 'wait 0', 'spike 3', 'wait 1', 'spike 4', 'spike 4', 'wait 4', 'spike 1', 'spike 2']);
    const reads = new AbsoluteTimePlaybackProgramBuilder();
    reads.read(3, new CapMemCellOnDLS(0), CapMemCell);
    expect(reads.isWriteOnly()).toBe(false);
    expect(() => a.copy(reads)).toThrow(CopyWithReadsError);
    expect(() => a.merge(a)).toThrow(SelfMergeError);
  });

  it('binds the tickets of reads to the program they end up in', async () => {
    const builder = new AbsoluteTimePlaybackProgramBuilder();
    const late = builder.read(2000, new CapMemCellOnDLS(7), CapMemCell);
    builder.write(1000, new CapMemCellOnDLS(7), new CapMemCell({ value: 99 }));
    const early = builder.read(10, new CapMemCellOnDLS(7), CapMemCell);
    const neuron = builder.read(2000, new NeuronConfigOnDLS(1), NeuronConfig);
    const program = builder.done().done();
    expect(program.tickets).toEqual([early, late, neuron]);
    const fake = new FakeExecutor();
    const start = fake.systime;
    await run(fake, program);
    expect(early.get().value).toBe(0);
    expect(late.get().value).toBe(99);
    expect(late.fpgaTime - start).toBe(2000);
    expect(neuron.get().equals(new NeuronConfig())).toBe(true);
  });

  it('reports commands that start more than 10 µs late', () => {
    const warnings: LatenessWarning[] = [];
    const builder = new AbsoluteTimePlaybackProgramBuilder({ onLateness: (w) => warnings.push(w) });
    // Each CapMemCell write costs 2 cycles: 700 of them at time 0 push the next command 1400 cycles out.
    for (let i = 0; i < 700; i++) builder.write(0, new CapMemCellOnDLS(i), new CapMemCell({ value: 1 }));
    builder.write(100, at, spike(1));
    builder.write(1400, at, spike(2));
    builder.done();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ time_cycles: 100, estimated_cycles: 1401 });
    expect(warnings[0]!.estimated_cycles - warnings[0]!.time_cycles).toBeGreaterThan(LATENESS_WARNING_CYCLES);
    expect(warnings[0]!.message).toMatch(/at 100 cycles start about 10\.408 µs late/);
  });
});
