import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BackgroundSpikeSourceOnDLS,
  CoordinateRangeError,
  CrossbarInputOnDLS,
  CrossbarL2OutputOnDLS,
  CrossbarNodeOnDLS,
  CrossbarOutputOnDLS,
  NeuronBackendAddressOut,
  NeuronEventOutputOnDLS,
  NeuronLabel,
  PADIBusOnDLS,
  PADIRowSelectAddress,
  SPL1Address,
  SpikeLabel,
  SynapseLabel,
  spikeLabelFields,
} from '../src/index.js';

const seed = 20240611;
const options = { numRuns: 1000, seed };

// hardware.md §2.5, written out independently of src/crossbar.ts.
function expectedOutputs(input: number): number[] {
  if (input < 8) return [input % 4, 4 + (input % 4), 8 + (input % 4)];
  if (input < 12) return [0, 1, 2, 3, 4, 5, 6, 7, input];
  return [input - 12, 8 + ((input - 12) % 4)];
}

describe('event crossbar (hardware.md §2.5)', () => {
  it('has exactly the 76 nodes of §2.5, input-major in enum order', () => {
    const nodes = [...CrossbarNodeOnDLS.all()];
    expect(nodes).toHaveLength(76);
    const expected = [...CrossbarInputOnDLS.all()].flatMap((i) => expectedOutputs(i.value).map((o) => [i.value, o]));
    expect(nodes.map((n) => [n.toCrossbarInputOnDLS().value, n.toCrossbarOutputOnDLS().value])).toEqual(expected);
    expect(nodes[0]!.toCrossbarOutputOnDLS().value).toBe(0);
    expect(nodes[75]!.toCrossbarInputOnDLS().value).toBe(19);
  });

  it('finds a node from (input, output) iff it exists, and round-trips', () => {
    let found = 0;
    for (const input of CrossbarInputOnDLS.all()) {
      for (const output of CrossbarOutputOnDLS.all()) {
        const node = CrossbarNodeOnDLS.find(input, output);
        const exists = expectedOutputs(input.value).includes(output.value);
        expect(node !== undefined).toBe(exists);
        if (node === undefined) {
          expect(() => new CrossbarNodeOnDLS(output, input)).toThrow(CoordinateRangeError);
          continue;
        }
        found++;
        expect(node.toCrossbarInputOnDLS().equals(input)).toBe(true);
        expect(node.toCrossbarOutputOnDLS().equals(output)).toBe(true);
      }
      expect(input.toCrossbarNodeOnDLS().map((n) => n.toCrossbarOutputOnDLS().value)).toEqual(expectedOutputs(input.value));
    }
    expect(found).toBe(76);
    // Output 8 is fed by event outputs 0 and 4, link 0 and generators 0 and 4.
    expect(new CrossbarOutputOnDLS(8).toCrossbarNodeOnDLS().map((n) => n.toCrossbarInputOnDLS().value)).toEqual([0, 4, 8, 12, 16]);
  });

  it('converts sources and sinks of the crossbar (§2.3)', () => {
    for (const i of BackgroundSpikeSourceOnDLS.all()) {
      expect(i.toCrossbarInputOnDLS().value).toBe(12 + i.value);
      expect(i.toCrossbarInputOnDLS().toBackgroundSpikeSourceOnDLS()?.equals(i)).toBe(true);
      expect(i.toPADIBusOnDLS().value).toBe(i.value);
      expect(i.toPADIBusOnDLS().toBackgroundSpikeSourceOnDLS().equals(i)).toBe(true);
      expect(i.toCrossbarL2OutputOnDLS().toCrossbarOutputOnDLS().value).toBe(8 + (i.value % 4));
      expect(i.toCrossbarNodeOnDLS().map((n) => n.toCrossbarOutputOnDLS().value)).toEqual(expectedOutputs(12 + i.value));
    }
    for (const a of SPL1Address.all()) {
      expect(a.toCrossbarInputOnDLS().value).toBe(8 + a.value);
      expect(a.toCrossbarOutputOnDLS().value).toBe(8 + a.value);
      expect(a.toCrossbarInputOnDLS().toSPL1Address()?.equals(a)).toBe(true);
      expect(a.toCrossbarOutputOnDLS().toSPL1Address()?.equals(a)).toBe(true);
      expect(a.toCrossbarL2OutputOnDLS().toSPL1Address().equals(a)).toBe(true);
    }
    for (const p of PADIBusOnDLS.all()) {
      expect(p.toCrossbarOutputOnDLS().value).toBe(p.value);
      expect(p.toCrossbarOutputOnDLS().toPADIBusOnDLS()?.equals(p)).toBe(true);
    }
    for (const e of NeuronEventOutputOnDLS.all()) expect(e.toCrossbarInputOnDLS().toNeuronEventOutputOnDLS()?.equals(e)).toBe(true);
    expect(new CrossbarInputOnDLS(8).toNeuronEventOutputOnDLS()).toBeUndefined();
    expect(new CrossbarInputOnDLS(3).toSPL1Address()).toBeUndefined();
    expect(new CrossbarInputOnDLS(11).toBackgroundSpikeSourceOnDLS()).toBeUndefined();
    expect(new CrossbarOutputOnDLS(8).toPADIBusOnDLS()).toBeUndefined();
    expect(new CrossbarOutputOnDLS(7).toCrossbarL2OutputOnDLS()).toBeUndefined();
    expect(new CrossbarL2OutputOnDLS(3).toCrossbarOutputOnDLS().value).toBe(11);
  });
});

describe('spike labels (hardware.md §2.4)', () => {
  it('reads and writes each field in its bits, leaving the others alone', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 31 }),
        fc.integer({ min: 0, max: 63 }),
        (raw, spl1, out, addr, rowSelect, label) => {
          const l = new SpikeLabel(raw);
          expect(l.spl1Address.value).toBe(raw >> 14);
          expect(l.neuronLabel.value).toBe(raw & 0x3fff);
          expect(l.neuronEventOutput.value).toBe((raw >> 8) & 7);
          expect(l.addressOut.value).toBe(raw & 0xff);
          expect(l.rowSelectAddress.value).toBe((raw >> 6) & 31);
          expect(l.synapseLabel.value).toBe(raw & 63);
          expect(l.withSpl1Address(new SPL1Address(spl1)).value).toBe((raw & 0x3fff) | (spl1 << 14));
          expect(l.withNeuronEventOutput(new NeuronEventOutputOnDLS(out)).value).toBe((raw & ~0x700) | (out << 8));
          expect(l.withAddressOut(new NeuronBackendAddressOut(addr)).value).toBe((raw & ~0xff) | addr);
          expect(l.withRowSelectAddress(new PADIRowSelectAddress(rowSelect)).value).toBe((raw & ~0x7c0) | (rowSelect << 6));
          expect(l.withSynapseLabel(new SynapseLabel(label)).value).toBe((raw & ~63) | label);
          expect(l.withNeuronLabel(l.neuronLabel).withSpl1Address(l.spl1Address).equals(l)).toBe(true);
          expect(l.neuronLabel.toSpikeLabel(l.spl1Address).equals(l)).toBe(true);
        },
      ),
      options,
    );
  });

  it('builds the label a neuron emits: (column/32) << 8 | address_out, bits 13..11 zero', () => {
    const label = NeuronLabel.fromNeuron(new NeuronEventOutputOnDLS(5), new NeuronBackendAddressOut(0x2a));
    expect(label.value).toBe(0x52a);
    expect(label.toSpikeLabel(new SPL1Address(2)).value).toBe(0x852a);
    expect(label.withSynapseLabel(new SynapseLabel(1))).toBeInstanceOf(NeuronLabel);
    expect(spikeLabelFields.rowSelectAddress).toEqual({ offset: 6, width: 5 });
  });
});
