import {
  AtomicNeuronOnDLS,
  CommonPADIBusConfigOnDLS,
  CrossbarInputOnDLS,
  CrossbarOutputConfigOnDLS,
  PADIEventOnDLS,
  SynapseDriverOnDLS,
} from '@bss2/halco';
import {
  CommonPADIBusConfig,
  CrossbarInputDropCounter,
  CrossbarNode,
  CrossbarOutputConfig,
  CrossbarOutputEventCounter,
  PADIEvent,
  SpikeCounterRead,
  SpikeCounterReset,
  SynapseDriverConfig,
  nominal,
} from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import { ChipSimArgumentError } from '../../src/index.js';
import { bench } from './helpers.js';
import { openEventPath, writeSynapse } from './fixtures.js';

/** Driver 0 listens at bus 0 index 0 and drives column 0 of row 1 (label 0). */
function oneSynapse() {
  const b = bench();
  openEventPath(b);
  b.write(new SynapseDriverOnDLS(0), new SynapseDriverConfig({ enableReceiver: true, rowModeTop: 'excitatory' }));
  writeSynapse(b, 0, 1, 0, 63, 0);
  return b;
}

describe('PADI bus capacity (Choice: one event per 250 MHz tick)', () => {
  it('carries two events per FPGA cycle and drops and counts the rest, per bus', () => {
    const b = oneSynapse();
    expect(nominal.padiBusEventsPerFpgaCycle).toBe(2);
    for (let i = 0; i < 5; i++) b.router.routeExternalEvent(0, 10);
    b.router.routeExternalEvent(0, 11);
    expect(b.recorder.inputs.map((d) => d.cycle)).toEqual([10, 10, 11]);
    // Each external event reaches all 8 buses (reset crossbar): 3 drops on each.
    expect([...b.router.busOverflowDrops]).toEqual(new Array(8).fill(3));
    // FPGA recording is not a PADI bus: every event is recorded.
    expect(b.recorder.spikes).toHaveLength(6);
  });

  it('checks the capacity of a cycle even when events of that cycle arrive out of order', () => {
    const b = oneSynapse();
    b.router.routeExternalEvent(0, 20);
    b.router.routeExternalEvent(0, 21);
    b.router.routeExternalEvent(0, 20);
    b.router.routeExternalEvent(0, 20);
    expect(b.recorder.inputs.map((d) => d.cycle)).toEqual([20, 21, 20]);
    expect(b.router.busOverflowDrops[0]).toBe(1);
  });
});

describe('counters (hardware.md §2.5, §3.4)', () => {
  it('drop counters are 16 bit and event counters 24 bit, both wrapping, at their lola field widths', () => {
    expect(CrossbarInputDropCounter.fields.value.slices[0]!.width).toBe(16);
    expect(CrossbarOutputEventCounter.fields.value.slices[0]!.width).toBe(24);
    const b = bench();
    openEventPath(b);
    b.write(new CrossbarOutputConfigOnDLS(0), new CrossbarOutputConfig({ enableEventCounter: new Array(12).fill(true) }));
    const input = new CrossbarInputOnDLS(8);
    for (const n of input.toCrossbarNodeOnDLS()) b.write(n, new CrossbarNode({ mask: 0x3fff, target: 0x3fff, enableDropCounter: true }));
    const drops = b.registers.containerWords('CrossbarInputDropCounter');
    const events = b.registers.containerWords('CrossbarOutputEventCounter');
    drops[8] = 0xfffe;
    events[8] = 0xff_fffe;
    b.router.routeExternalEvent(1, 0);
    expect(drops[8]).toBe(0xffff);
    b.router.routeExternalEvent(1, 1);
    expect(drops[8]).toBe(0);
    b.router.routeExternalEvent(0x3fff, 2); // label matches every node of input 8
    expect(events[8]).toBe(0xff_ffff);
    b.router.routeExternalEvent(0x3fff, 3);
    expect(events[8]).toBe(0);
    expect(CrossbarOutputEventCounter.decode(events.subarray(0, 1)).value).toBe(2);
  });

  it('counters only count where enabled', () => {
    const b = bench();
    openEventPath(b);
    b.write(new CrossbarOutputConfigOnDLS(0), new CrossbarOutputConfig({ enableEventCounter: [false, true, ...new Array(10).fill(false)] }));
    b.router.routeExternalEvent(0, 0);
    expect([...b.registers.containerWords('CrossbarOutputEventCounter')]).toEqual([0, 1, ...new Array(10).fill(0)]);
  });

  it('spike counter: 8-bit count wrapping past 255 with a sticky overflow bit; SpikeCounterReset clears it', () => {
    const b = bench();
    const neuron = new AtomicNeuronOnDLS(389);
    const words = b.registers.containerWords('SpikeCounterRead');
    const index = neuron.toSpikeCounterReadOnDLS().value;
    for (let i = 0; i < 255; i++) b.router.routeNeuronSpike(neuron.value, i);
    expect(SpikeCounterRead.decode(words.subarray(index, index + 1)).values()).toEqual({ count: 255, overflow: false });
    b.router.routeNeuronSpike(neuron.value, 300);
    expect(SpikeCounterRead.decode(words.subarray(index, index + 1)).values()).toEqual({ count: 0, overflow: true });
    for (let i = 0; i < 3; i++) b.router.routeNeuronSpike(neuron.value, 400 + i);
    expect(SpikeCounterRead.decode(words.subarray(index, index + 1)).values()).toEqual({ count: 3, overflow: true });
    b.write(neuron.toSpikeCounterResetOnDLS(), new SpikeCounterReset());
    expect(words[index]).toBe(0);
    expect([...words].reduce((a, w) => a + w, 0)).toBe(0);
  });
});

describe('PADIEvent trigger register (hardware.md §3.6)', () => {
  it('fires the buses of its block that take the trigger register instead of the crossbar', () => {
    const b = oneSynapse();
    b.write(new PADIEventOnDLS(0), new PADIEvent({ fireBus: [true, false, false, false], eventAddress: 0, rowSelectAddress: 0 }), 5);
    expect(b.recorder.inputs).toEqual([]); // bus 0 takes crossbar events (enable_spl1)
    b.write(new CommonPADIBusConfigOnDLS(0), new CommonPADIBusConfig({ enableSpl1: [false, true, true, true] }));
    b.write(new PADIEventOnDLS(0), new PADIEvent({ fireBus: [true, false, false, false], eventAddress: 0, rowSelectAddress: 0 }), 6);
    expect(b.recorder.inputs).toEqual([{ circuit: 0, receptor: 0, amount: 1, cycle: 6 }]);
    b.router.routeExternalEvent(0, 7); // … and now ignores the crossbar
    expect(b.recorder.inputs).toHaveLength(1);
  });
});

describe('entry points', () => {
  it('reject out-of-range circuits, labels, generators and cycles with a ChipSimArgumentError', () => {
    const { router } = bench();
    expect(() => router.routeNeuronSpike(512, 0)).toThrow(/circuit = 512 is invalid: expected an AtomicNeuronOnDLS 0..511/);
    expect(() => router.routeExternalEvent(0x1_0000, 0)).toThrow(/label = 65536/);
    expect(() => router.routeBackgroundEvent(8, 0, 0)).toThrow(/generator = 8/);
    expect(() => router.routeBackgroundEvent(0, 0x4000, 0)).toThrow(/14-bit neuron label/);
    expect(() => router.routeExternalEvent(0, -1)).toThrow(/non-negative integer FPGA cycle/);
    expect(() => router.routeExternalEvent(0, 1.5)).toThrow(ChipSimArgumentError);
  });
});
