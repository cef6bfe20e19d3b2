import { InstructionStream, Loopback, annotateResponses, decodeResponses } from '@bss2/fisch';
import { EventRecordingConfigOnFPGA, SystimeSyncBaseOnDLS } from '@bss2/halco';
import { EventRecordingConfig, SystimeSyncBase } from '@bss2/lola';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChipModelEventError, DigitalOnlyModel, SimulatedChip } from '../src/index.js';
import { LoopbackModel, SEED } from './helpers.js';

const RECORDING = EventRecordingConfig.addresses(new EventRecordingConfigOnFPGA(0))[0]!;
const recordingOn = new EventRecordingConfig({ enableEventRecording: true }).encode()[0]!;

const injection = fc.record({
  gap: fc.oneof(fc.integer({ min: 2, max: 40 }), fc.integer({ min: 2, max: 300_000 })),
  labels: fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 3 }),
});

describe('events in the response stream (hardware.md §5.3)', () => {
  it('the host recovers the exact chip time of every spike a model reports', () => {
    fc.assert(
      fc.property(fc.array(injection, { minLength: 1, maxLength: 25 }), fc.integer({ min: 0, max: 3000 }), (injections, delay) => {
        const model = new LoopbackModel(delay);
        const chip = new SimulatedChip({ seed: 5, model: () => model });
        chip.writeWord(RECORDING, recordingOn);
        const stream = new InstructionStream().timingSetup();
        const expected: { label: number; chipTime: number }[] = [];
        const start = chip.systime + 1; // timer 0 at the instruction after Setup
        let t = 0;
        for (const { gap, labels } of injections) {
          t += gap;
          stream.waitUntil(t - 1).spikePack(labels);
          for (const label of labels) expected.push({ label, chipTime: start + t + delay });
        }
        stream.waitUntil(t + delay + 1).loopback(Loopback.halt);
        const host = annotateResponses(chip.execute(stream.toBytes()));
        // Time order at 250 MHz: odd labels come back on the later half cycle (LoopbackModel).
        expected.sort((a, b) => a.chipTime - b.chipTime || (a.label % 2) - (b.label % 2));
        expect(host.spikes.map(({ label, chipTime }) => ({ label, chipTime }))).toEqual(expected);
        // Spikes of one pack arrive together; a pack holds up to three.
        expect(host.spikePackCounts.reduce((n, c, i) => n + c * (i + 1), 0)).toBe(expected.length);
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('MADC samples and spikes interleave in time order with exact chip times, across systime jumps', () => {
    const event = fc.record({
      cycle: fc.integer({ min: 0, max: 2_000_000 }),
      madc: fc.boolean(),
      value: fc.integer({ min: 0, max: 1023 }),
      channel: fc.integer({ min: 0, max: 1 }),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), fc.integer({ min: 0, max: 2 ** 43 - 1 }), (events, base) => {
        const model = new LoopbackModel(0);
        const chip = new SimulatedChip({ seed: 6, model: () => model });
        chip.writeWord(RECORDING, recordingOn);
        const [low, high] = SystimeSyncBase.addresses(new SystimeSyncBaseOnDLS(0));
        const words = new SystimeSyncBase({ value: base }).encode();
        chip.writeWord(low!, words[0]!);
        chip.writeWord(high!, words[1]!);
        // SystimeInit at cycle 0: from cycle 1 on, systime = base + cycle − 1 (mod 2^43).
        const offset = 10;
        for (const e of events) model.emit(e.madc ? 'madc' : 'spike', e.value, e.cycle + offset, e.channel);
        const stream = new InstructionStream().systimeInit(true).waitUntil(2_000_000 + 2 * offset).loopback(Loopback.halt);
        const host = annotateResponses(chip.execute(stream.toBytes()));
        const sorted = [...events].sort((a, b) => a.cycle - b.cycle);
        const timeOf = (cycle: number) => (base + cycle + offset - 1) % 2 ** 43;
        expect(host.spikes.map((s) => [s.label, s.chipTime])).toEqual(sorted.filter((e) => !e.madc).map((e) => [e.value, timeOf(e.cycle)]));
        expect(host.madcSamples.map((s) => [s.value, s.channel, s.chipTime])).toEqual(
          sorted.filter((e) => e.madc).map((e) => [e.value, e.channel, timeOf(e.cycle)]),
        );
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('sends no events while EventRecordingConfig is off (reset value) and counts them', () => {
    const model = new LoopbackModel(5);
    const chip = new SimulatedChip({ seed: 5, model: () => model });
    const stream = new InstructionStream().spikePack1(7).spikePack2(8, 9).waitUntil(100).loopback(Loopback.halt);
    const responses = decodeResponses(chip.execute(stream.toBytes()));
    expect(responses.map((r) => r.kind)).toEqual(['Systime', 'Loopback']);
    expect(chip.counters().eventsNotRecorded).toBe(3);
  });

  it('a model reporting an invalid event fails at its own call with a typed error', () => {
    const model = new LoopbackModel(0);
    const chip = new SimulatedChip({ seed: 5, model: () => model });
    model.emit('spike', 0x1_0000, 3);
    expect(() => chip.execute(new InstructionStream().waitUntil(10).loopback(Loopback.halt).toBytes())).toThrow(ChipModelEventError);
  });

  it('the digital-only model records injected spikes with their cycles and loops nothing back', () => {
    const chip = new SimulatedChip({ seed: 5, model: () => new DigitalOnlyModel() });
    chip.writeWord(RECORDING, recordingOn);
    const stream = new InstructionStream().timingSetup().waitUntil(99).spikePack3(1, 2, 3).spikePack1(0xffff).loopback(Loopback.halt);
    const responses = decodeResponses(chip.execute(stream.toBytes()));
    expect(responses.map((r) => r.kind)).toEqual(['Systime', 'Loopback']);
    const model = chip.model as DigitalOnlyModel;
    expect(model.injectedSpikes()).toEqual([
      { label: 1, cycle: 101 },
      { label: 2, cycle: 101 },
      { label: 3, cycle: 101 },
      { label: 0xffff, cycle: 102 },
    ]);
  });
});
