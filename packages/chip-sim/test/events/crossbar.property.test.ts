import {
  AtomicNeuronOnDLS,
  CrossbarInputOnDLS,
  CrossbarNodeOnDLS,
  CrossbarOutputConfigOnDLS,
  CrossbarOutputOnDLS,
  EventRecordingConfigOnFPGA,
  NeuronBackendAddressOut,
  NeuronLabel,
  SPL1Address,
  SynapseDriverOnDLS,
} from '@bss2/halco';
import { CrossbarNode, CrossbarOutputConfig, EventRecordingConfig, SynapseDriverConfig } from '@bss2/lola';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEED, bench } from './helpers.js';
import { circuitOf, enableSpikeOut, openEventPath, writeSynapse } from './fixtures.js';

const allCounters = new CrossbarOutputConfig({ enableEventCounter: new Array(12).fill(true) });
const node = (output: number, input: number) => new CrossbarNodeOnDLS(new CrossbarOutputOnDLS(output), new CrossbarInputOnDLS(input));

describe('event crossbar (hardware.md §2.5)', () => {
  it('at reset every node passes everything: an FPGA event reaches all 8 buses and is recorded with its link bits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (label16) => {
        const b = bench();
        openEventPath(b);
        b.write(new CrossbarOutputConfigOnDLS(0), allCounters);
        b.router.routeExternalEvent(label16, 7);
        const link = label16 >>> 14;
        const events = b.registers.containerWords('CrossbarOutputEventCounter');
        expect([...events]).toEqual(Array.from({ length: 12 }, (_, o) => (o < 8 || o === 8 + link ? 1 : 0)));
        expect(b.recorder.spikes).toEqual([{ label: label16, cycle: 7 }]);
      }),
      { seed: SEED, numRuns: 20 },
    );
  });

  it('without event recording nothing reaches the FPGA, but the output counters still count (§3.10)', () => {
    const b = bench();
    openEventPath(b, { recording: false });
    b.write(new CrossbarOutputConfigOnDLS(0), allCounters);
    b.router.routeExternalEvent(0x4123, 0);
    expect(b.recorder.spikes).toEqual([]);
    expect(b.registers.containerWords('CrossbarOutputEventCounter')[9]).toBe(1);
    b.write(new EventRecordingConfigOnFPGA(0), new EventRecordingConfig({ enableEventRecording: true }));
    b.router.routeExternalEvent(0x4123, 1);
    expect(b.recorder.spikes).toEqual([{ label: 0x4123, cycle: 1 }]);
  });

  it('a drop node drops; an event no node forwards counts at its input when a node enables the drop counter', () => {
    const b = bench();
    openEventPath(b);
    const input = new CrossbarInputOnDLS(9);
    for (const n of input.toCrossbarNodeOnDLS()) b.write(n, CrossbarNode.drop);
    b.router.routeExternalEvent(0x4000 | 0x155, 0);
    expect(b.recorder.spikes).toEqual([]);
    expect(b.registers.containerWords('CrossbarInputDropCounter')[9]).toBe(0);
    b.write(input.toCrossbarNodeOnDLS()[3]!, new CrossbarNode({ mask: 0, target: 1, enableDropCounter: true }));
    b.router.routeExternalEvent(0x4000 | 0x155, 1);
    b.router.routeExternalEvent(0x4000 | 0x155, 2);
    expect(b.registers.containerWords('CrossbarInputDropCounter')[9]).toBe(2);
    // Forwarded by one node: not a drop.
    b.write(node(9, 9), CrossbarNode.passAll);
    b.router.routeExternalEvent(0x4000 | 0x155, 3);
    expect(b.registers.containerWords('CrossbarInputDropCounter')[9]).toBe(2);
    expect(b.recorder.spikes).toEqual([{ label: 0x4155, cycle: 3 }]);
  });

  it("routes neuron e's spikes only to the PADI buses and FPGA link its nodes allow; recorded labels carry the right bits", () => {
    const nodeArb = fc.record({ mask: fc.integer({ min: 0, max: 0x3fff }), pass: fc.boolean(), flip: fc.nat() });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 1 }),
        fc.integer({ min: 0, max: 255 }),
        fc.tuple(nodeArb, nodeArb, nodeArb),
        (column, row, address, nodes) => {
          const b = bench();
          openEventPath(b);
          const circuit = circuitOf(row, column);
          enableSpikeOut(b, circuit, address);
          const e = Math.floor(column / 32);
          const label = NeuronLabel.fromNeuron(new AtomicNeuronOnDLS(circuit).toNeuronEventOutputOnDLS(), new NeuronBackendAddressOut(address)).value;
          expect(label).toBe((e << 8) | address);
          // On each of the two buses of input e, the driver selected by the label drives column 0 (top bus)
          // or column 1 (bottom bus) of its hemisphere.
          const buses = [e % 4, 4 + (e % 4)];
          const select = (label >>> 6) & 31;
          buses.forEach((bus, i) => {
            const block = Math.floor(bus / 4);
            const driver = 128 * block + 4 * select + (bus % 4);
            b.write(new SynapseDriverOnDLS(driver), new SynapseDriverConfig({ enableReceiver: true, rowModeTop: 'excitatory' }));
            writeSynapse(b, block, 2 * (driver % 128) + 1, i, 63, label & 63);
          });
          const outputs = [e % 4, 4 + (e % 4), 8 + (e % 4)];
          const forwards = outputs.map((output, i) => {
            const { mask, pass, flip } = nodes[i]!;
            const bits = [...Array(14).keys()].filter((bit) => (mask >>> bit) & 1);
            const target = pass ? label & mask : bits.length === 0 ? 1 : (label & mask) ^ (1 << bits[flip % bits.length]!);
            b.write(node(output, e), new CrossbarNode({ mask, target }));
            return (label & mask) === target;
          });
          b.router.routeNeuronSpike(circuit, 42);
          const reached = b.recorder.inputs.map((d) => (d.circuit % 256) + 2 * Math.floor(d.circuit / 256));
          const expected = [forwards[0] ? 0 : -1, forwards[1] ? 3 : -1].filter((x) => x >= 0);
          expect(reached.sort()).toEqual(expected);
          const spl1 = new SPL1Address(e % 4);
          expect(b.recorder.spikes).toEqual(forwards[2] ? [{ label: new NeuronLabel(label).toSpikeLabel(spl1).value, cycle: 42 }] : []);
          if (forwards[2]) expect(b.recorder.spikes[0]!.label >>> 14).toBe(e % 4);
        },
      ),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('a neuron without spike output counts its spikes but sends nothing (§3.4)', () => {
    const b = bench();
    openEventPath(b);
    b.router.routeNeuronSpike(300, 0);
    expect(b.recorder.spikes).toEqual([]);
    expect(b.registers.containerWords('SpikeCounterRead')[new AtomicNeuronOnDLS(300).toSpikeCounterReadOnDLS().value]).toBe(1);
  });

  it('background generator i enters input 12 + i: its bus i and FPGA link i % 4', () => {
    const b = bench();
    openEventPath(b);
    b.write(new CrossbarOutputConfigOnDLS(0), allCounters);
    b.router.routeBackgroundEvent(6, 0x2ab, 5);
    const events = b.registers.containerWords('CrossbarOutputEventCounter');
    expect([...events]).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0]);
    expect(b.recorder.spikes).toEqual([{ label: (2 << 14) | 0x2ab, cycle: 5 }]);
  });
});
