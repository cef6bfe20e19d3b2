import { DecodeError, Loopback } from '@bss2/fisch';
import {
  CapMemCellOnDLS,
  NeuronConfigOnDLS,
  PollingOmnibusBlockOnFPGA,
  SpikePack1ToChipOnDLS,
  SpikePack3ToChipOnDLS,
  TimerOnDLS,
} from '@bss2/halco';
import { CapMemCell, NeuronConfig, SpikePack1ToChip, SpikePack3ToChip, Timer, TimerValue } from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import {
  MissingHaltError,
  PlaybackProgram,
  PlaybackProgramBuilder,
  ResponseCountError,
  RunError,
  RunTimeoutError,
  TicketNotReadyError,
  run,
  type PlaybackExecutor,
} from '../src/index.js';
import { FakeExecutor } from './support/fake-executor.js';

const timer = new TimerOnDLS(0);
const neuron = new NeuronConfigOnDLS(300);

function writeThenRead(): { builder: PlaybackProgramBuilder; config: NeuronConfig } {
  const config = new NeuronConfig({ enFire: true, memCapSize: 42, readoutSelect: 'adaptation' });
  const builder = new PlaybackProgramBuilder().write(neuron, config);
  return { builder, config };
}

describe('run', () => {
  it('sends the program with Loopback(halt) appended and fills the tickets', async () => {
    const { builder, config } = writeThenRead();
    const ticket = builder.read(neuron, NeuronConfig);
    const program = builder.done();
    const fake = new FakeExecutor();
    const result = await run(fake, program);
    const sent = PlaybackProgram.decode(fake.received[0]!);
    expect(sent.instructionCount).toBe(program.instructionCount);
    expect(fake.received[0]!.length).toBe(8 * (program.instructionCount + 1));
    expect(fake.received[0]!.subarray(0, 8 * program.instructionCount)).toEqual(program.encode());
    expect(result.instructionsSent).toBe(program.instructionCount + 1);
    expect(ticket.valid).toBe(true);
    const read: NeuronConfig = ticket.get();
    expect(read.equals(config)).toBe(true);
    expect(ticket.words).toEqual(config.encode());
    expect(program.readWords).toEqual(config.encode());
    expect(program.runs).toBe(1);
    for (const key of ['encode_ms', 'execute_ms', 'decode_ms', 'total_ms'] as const) {
      expect(result.timing[key]).toBeGreaterThanOrEqual(0);
    }
    expect(program.timing).toEqual(result.timing);
  });

  it('stamps a ticket with the FPGA time of its last word', async () => {
    const builder = new PlaybackProgramBuilder().write(timer, new Timer()).blockUntil(timer, new TimerValue(5000));
    const ticket = builder.read(new CapMemCellOnDLS(1), CapMemCell);
    const fake = new FakeExecutor();
    const start = fake.systime;
    await run(fake, builder.done());
    // The fake counts Setup as one cycle after the reset; the wait ends at timer 5000 and costs one more cycle.
    expect(ticket.fpgaTime).toBe(start + 5001);
  });

  it('refuses get(), words and fpgaTime before the run with "data not available"', async () => {
    const builder = new PlaybackProgramBuilder();
    const ticket = builder.read(neuron, NeuronConfig);
    expect(ticket.valid).toBe(false);
    expect(() => ticket.get()).toThrow(TicketNotReadyError);
    expect(() => ticket.get()).toThrow(/data not available.*done\(\)/);
    const program = builder.done();
    expect(() => ticket.get()).toThrow(/data not available.*has not run/);
    expect(() => ticket.words).toThrow(TicketNotReadyError);
    expect(() => ticket.fpgaTime).toThrow(TicketNotReadyError);
    expect(program.timing).toBeUndefined();
    await run(new FakeExecutor(), program);
    expect(() => ticket.get()).not.toThrow();
  });

  it('runs a program twice and refills the tickets from the second run', async () => {
    const builder = new PlaybackProgramBuilder();
    const ticket = builder.read(new CapMemCellOnDLS(9), CapMemCell);
    const program = builder.done();
    const fake = new FakeExecutor();
    await run(fake, program);
    expect(ticket.get().value).toBe(0);
    await run(fake, new PlaybackProgramBuilder().write(new CapMemCellOnDLS(9), new CapMemCell({ value: 77 })).done());
    await run(fake, program);
    expect(ticket.get().value).toBe(77);
    expect(program.runs).toBe(2);
  });

  it('collects recorded spikes and MADC samples with their chip time', async () => {
    const builder = new PlaybackProgramBuilder()
      .write(timer, new Timer())
      .blockUntil(timer, new TimerValue(300))
      .write(new SpikePack1ToChipOnDLS(0), new SpikePack1ToChip([0x0102]))
      .blockUntil(timer, new TimerValue(1000))
      .write(new SpikePack3ToChipOnDLS(0), new SpikePack3ToChip([7, 8, 9]));
    const fake = new FakeExecutor({ echoSpikes: true, echoMadc: true });
    const start = fake.systime;
    const program = builder.done();
    const result = await run(fake, program);
    expect(program.spikes.map((s) => [s.label, s.chipTime])).toEqual([
      [0x0102, start + 301],
      [7, start + 1001],
      [8, start + 1001],
      [9, start + 1001],
    ]);
    expect(program.madcSamples.map((s) => [s.value, s.channel])).toEqual([
      [0x102, 1],
      [7, 1],
      [8, 1],
      [9, 1],
    ]);
    expect(program.spikePackCounts).toEqual([1, 0, 1]);
    expect(result.spikes).toBe(4);
    expect(result.madcSamples).toBe(4);
  });

  it('keeps highspeed link notifications', async () => {
    const program = new PlaybackProgramBuilder().write(neuron, new NeuronConfig()).done();
    await run(new FakeExecutor({ linkNotification: 0x5a }), program);
    expect(program.highspeedLinkNotifications).toEqual([{ kind: 'HighspeedLinkNotification', value: 0x5a, fpgaTime: 1000 }]);
    expect(program.notifications).toHaveLength(1);
    expect(program.timeoutNotifications).toEqual([]);
  });

  it('throws RunTimeoutError carrying the notification, results still delivered', async () => {
    const builder = new PlaybackProgramBuilder();
    const before = builder.read(new CapMemCellOnDLS(0), CapMemCell);
    builder.blockUntil(new PollingOmnibusBlockOnFPGA(0), { enableExpectsEquality: true });
    const program = builder.done();
    const error = await run(new FakeExecutor({ timeoutOnPolling: true }), program).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunTimeoutError);
    expect(error).toBeInstanceOf(RunError);
    expect((error as RunTimeoutError).notification).toMatchObject({ kind: 'TimeoutNotification', value: 1_250_000 });
    expect(program.timeoutNotifications).toHaveLength(1);
    expect(before.valid).toBe(true);
  });

  it('throws MissingHaltError without the halt echo', async () => {
    const program = new PlaybackProgramBuilder().write(neuron, new NeuronConfig()).done();
    await expect(run(new FakeExecutor({ omitHalt: true }), program)).rejects.toThrow(MissingHaltError);
  });

  it('throws ResponseCountError for missing or surplus read words; complete tickets stay valid', async () => {
    const builder = new PlaybackProgramBuilder();
    const first = builder.read(new CapMemCellOnDLS(0), CapMemCell);
    const second = builder.read(neuron, NeuronConfig);
    const program = builder.done();
    const missing = await run(new FakeExecutor({ droppedOmnibusData: 2 }), program).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResponseCountError);
    expect(missing).toMatchObject({ kind: 'OmnibusData', expected: 7, received: 5 });
    expect(first.valid).toBe(true);
    expect(second.valid).toBe(false);
    expect(() => second.get()).toThrow(/delivered 5 of the program's read words/);
    await expect(run(new FakeExecutor({ extraOmnibusData: 1 }), program)).rejects.toThrow(/expected 7 OmnibusData responses \(sizeFromFpga\), received 8/);
  });

  it('rejects a malformed response stream with fisch’s DecodeError and keeps the previous results', async () => {
    const builder = new PlaybackProgramBuilder();
    const ticket = builder.read(new CapMemCellOnDLS(0), CapMemCell);
    const program = builder.done();
    await run(new FakeExecutor(), program);
    const broken: PlaybackExecutor = { execute: async () => new Uint8Array([0x7f, 0, 0, 0, 0, 0, 0, 0]) };
    await expect(run(broken, program)).rejects.toThrow(DecodeError);
    expect(ticket.valid).toBe(true);
    expect(program.runs).toBe(1);
  });

  it('runs an empty program: only the halt goes out and comes back', async () => {
    const fake = new FakeExecutor();
    const result = await run(fake, new PlaybackProgramBuilder().done());
    expect(result.instructionsSent).toBe(1);
    expect(PlaybackProgram.decode(fake.received[0]!).instructionCount).toBe(0);
    expect(fake.received[0]).toEqual(new Uint8Array([10, 0, 0, 0, 0, 0, 0, Loopback.halt]));
  });
});
