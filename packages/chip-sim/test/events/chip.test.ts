import { InstructionStream, Loopback, annotateResponses } from '@bss2/fisch';
import {
  BackgroundSpikeSourceOnDLS,
  CrossbarOutputConfigOnDLS,
  CrossbarOutputOnDLS,
  EventRecordingConfigOnFPGA,
  SynapseDriverOnDLS,
} from '@bss2/halco';
import {
  BackgroundSpikeSource,
  CrossbarOutputConfig,
  CrossbarOutputEventCounter,
  EventRecordingConfig,
  SynapseDriverConfig,
} from '@bss2/lola';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ChipModel, type ChipModelContext, EventRouter, type EventSink, SimulatedChip } from '../../src/index.js';
import { Recorder, SEED, bench } from './helpers.js';
import { circuitOf, enableSpikeOut, openEventPath, writeRow } from './fixtures.js';

/** The smallest ChipModel around the router, as the integration will build it (without neurons). */
class RouterModel implements ChipModel {
  /** The router records at the event's cycle; the core drains it at the next instruction. */
  readonly responseLatency_cycles = 1;
  readonly router: EventRouter;
  private readonly recorded = new Recorder();
  private now = 0;

  constructor(context: ChipModelContext) {
    this.router = new EventRouter({ registers: context.registers, sink: { synapticInputs() {} }, recorder: this.recorded });
  }

  advanceTo(cycle: number): void {
    this.router.advanceTo(cycle);
    this.now = cycle;
  }

  onWrite(address: number): void {
    this.router.onWrite(address, this.now);
  }

  injectSpikes(labels: ArrayLike<number>, count: number, cycle: number): void {
    for (let i = 0; i < count; i++) this.router.routeExternalEvent(labels[i]!, cycle);
  }

  drainEvents(sink: EventSink): void {
    for (const { label, cycle } of this.recorded.spikes) sink.spike(label, cycle);
    this.recorded.clear();
  }

  onReset(cycle: number): void {
    this.router.onReset(cycle);
  }
}

function writeContainer(stream: InstructionStream, addresses: readonly number[], words: Uint32Array): void {
  addresses.forEach((address, i) => stream.omnibusWrite(address, words[i]!));
}

describe('the event path inside a SimulatedChip', () => {
  it('injected spikes come back as recorded spikes with their labels; the output counter is readable', () => {
    const chip = new SimulatedChip({ seed: 1, model: (context) => new RouterModel(context) });
    const stream = new InstructionStream().timingSetup();
    writeContainer(stream, EventRecordingConfig.addresses(new EventRecordingConfigOnFPGA(0)), new EventRecordingConfig({ enableEventRecording: true }).encode());
    writeContainer(
      stream,
      CrossbarOutputConfig.addresses(new CrossbarOutputConfigOnDLS(0)),
      new CrossbarOutputConfig({ enableEventCounter: new Array(12).fill(true) }).encode(),
    );
    stream.waitUntil(100).spikePack([0x4001, 0x8002, 0xc003]).waitUntil(200);
    const counter = CrossbarOutputEventCounter.addresses(new CrossbarOutputOnDLS(9))[0]!;
    stream.omnibusRead(counter).loopback(Loopback.halt);
    const host = annotateResponses(chip.execute(stream.toBytes()));
    expect(host.spikes.map((s) => s.label)).toEqual([0x4001, 0x8002, 0xc003]);
    const data = host.responses.flatMap((r) => (r.kind === 'OmnibusData' ? [r.value] : []));
    expect(data).toEqual([1]); // only 0x4001 used FPGA link 1
  });

  it('a background generator configured over the omnibus is recorded once per period', () => {
    const chip = new SimulatedChip({ seed: 1, model: (context) => new RouterModel(context) });
    const stream = new InstructionStream().timingSetup();
    writeContainer(stream, EventRecordingConfig.addresses(new EventRecordingConfigOnFPGA(0)), new EventRecordingConfig({ enableEventRecording: true }).encode());
    const period = 250;
    const source = new BackgroundSpikeSource({ enable: true, period, neuronLabel: 0x123 });
    writeContainer(stream, BackgroundSpikeSource.addresses(new BackgroundSpikeSourceOnDLS(6)), source.encode());
    stream.waitUntil(10_000);
    writeContainer(stream, BackgroundSpikeSource.addresses(new BackgroundSpikeSourceOnDLS(6)), source.with({ enable: false }).encode());
    stream.waitUntil(20_000).loopback(Loopback.halt);
    const host = annotateResponses(chip.execute(stream.toBytes()));
    expect(host.spikes.length).toBeGreaterThanOrEqual(Math.floor(10_000 / period) - 1);
    expect(host.spikes.length).toBeLessThanOrEqual(Math.floor(10_000 / period));
    expect(new Set(host.spikes.map((s) => s.label))).toEqual(new Set([(2 << 14) | 0x123]));
    const times = host.spikes.map((s) => s.chipTime);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(period);
  });
});

describe('determinism', () => {
  it('the same configuration and events give bit-identical deliveries, recordings and counters; reset restores', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const run = () => {
          const b = bench();
          let s = seed >>> 0;
          const random = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
          const pass = () => {
            openEventPath(b);
            for (let d = 0; d < 256; d += 7) {
              b.write(
                new SynapseDriverOnDLS(d),
                new SynapseDriverConfig({ enableReceiver: true, rowAddressCompareMask: Math.floor(random() * 32), rowModeTop: 'excitatory', rowModeBottom: 'inhibitory', enableStp: random() < 0.5, utilization: 8 }),
              );
            }
            writeRow(b, 0, 1, Array.from({ length: 256 }, () => Math.floor(random() * 64)), Array.from({ length: 256 }, () => Math.floor(random() * 4)));
            enableSpikeOut(b, circuitOf(0, 40), 3);
            b.write(new BackgroundSpikeSourceOnDLS(0), new BackgroundSpikeSource({ enable: true, enableRandom: true, period: 3, rate: 90, seed: 11, mask: 0x3 }), 0);
            for (let cycle = 0; cycle < 400; cycle += 4) {
              b.router.advanceTo(cycle);
              b.router.routeExternalEvent(Math.floor(random() * 0x10000) & 0xc0c3, cycle);
              if (random() < 0.3) b.router.routeNeuronSpike(circuitOf(0, 40), cycle + 1);
            }
            return JSON.stringify([b.recorder.inputs, b.recorder.spikes, [...b.registers.containerWords('SpikeCounterRead')].filter((w) => w !== 0), [...b.router.busOverflowDrops], Array.from(b.router.correlation.causal.subarray(256, 512))]);
          };
          const first = pass();
          b.registers.resetChip();
          b.router.onReset(0);
          b.recorder.clear();
          s = seed >>> 0;
          return [first, pass()];
        };
        const [a, afterReset] = run();
        const [again] = run();
        expect(again).toBe(a);
        expect(afterReset).toBe(a);
      }),
      { seed: SEED, numRuns: 4 },
    );
  });
});

describe('the router’s fan-out storage', () => {
  it('refuses arrays of the wrong size, naming the size and the rule', () => {
    expect(() => bench({ fanOut: { target: new Uint16Array(3), weight: new Float32Array(3) } })).toThrow(/fanOut.*3.*262144 entries/);
  });
});
