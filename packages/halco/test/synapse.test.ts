import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AtomicNeuronOnDLS,
  ColumnCorrelationQuadOnDLS,
  ColumnCurrentQuadOnDLS,
  EntryOnQuad,
  NeuronColumnOnDLS,
  PADIBusBlockOnDLS,
  PADIBusOnDLS,
  PADIBusOnPADIBusBlock,
  PADIRowSelectAddress,
  SynapseDriverBlockOnDLS,
  SynapseDriverOnDLS,
  SynapseDriverOnPADIBus,
  SynapseDriverOnSynapseDriverBlock,
  SynapseOnDLS,
  SynapseOnSynapseRow,
  SynapseOnSynram,
  SynapseQuadColumnOnDLS,
  SynapseQuadOnDLS,
  SynapseQuadOnSynram,
  SynapseRowOnDLS,
  SynapseRowOnSynapseDriver,
  SynapseRowOnSynram,
  SynapticInputOnNeuron,
  SynramOnDLS,
} from '../src/index.js';

const seed = 20240611;
const options = { numRuns: 1000, seed };

describe('synapse quads (hardware.md §2.7)', () => {
  it('pins the non-adjacent columns of quads', () => {
    const cols = (q: number) => new SynapseQuadColumnOnDLS(q).toNeuronColumnOnDLS().map((c) => c.value);
    expect(cols(0)).toEqual([0, 2, 4, 6]);
    expect(cols(1)).toEqual([8, 10, 12, 14]);
    expect(cols(32)).toEqual([1, 3, 5, 7]);
    expect(cols(63)).toEqual([249, 251, 253, 255]);
    // Column 8 is entry 0 of quad 1, column 9 entry 0 of quad 33.
    expect(new NeuronColumnOnDLS(8).toSynapseQuadColumnOnDLS().value).toBe(1);
    expect(new NeuronColumnOnDLS(8).toEntryOnQuad().value).toBe(0);
    expect(new NeuronColumnOnDLS(9).toSynapseQuadColumnOnDLS().value).toBe(33);
    expect(new NeuronColumnOnDLS(15).toEntryOnQuad().value).toBe(3);
  });

  it('inverts q = (col % 2)·32 + ⌊col/8⌋, e = ⌊col/2⌋ % 4 for every column', () => {
    const seen = new Set<string>();
    for (const col of NeuronColumnOnDLS.all()) {
      const q = col.toSynapseQuadColumnOnDLS();
      const e = col.toEntryOnQuad();
      expect(q.value).toBe((col.value % 2) * 32 + Math.floor(col.value / 8));
      expect(e.value).toBe(Math.floor(col.value / 2) % 4);
      expect(q.neuronColumnOf(e).equals(col)).toBe(true);
      expect(col.toSynapseOnSynapseRow().toSynapseQuadColumnOnDLS().equals(q)).toBe(true);
      expect(col.toSynapseOnSynapseRow().toEntryOnQuad().equals(e)).toBe(true);
      seen.add(`${q.value}/${e.value}`);
    }
    expect(seen.size).toBe(256);
    for (const q of SynapseQuadColumnOnDLS.all()) {
      const cols = q.toNeuronColumnOnDLS().map((c) => c.value);
      expect(cols.every((c) => c % 2 === (q.value < 32 ? 0 : 1))).toBe(true);
      expect(cols.every((c, i) => i === 0 || c - cols[i - 1]! === 2)).toBe(true);
    }
  });

  it('round-trips synapses through quads and maps quads to neuron quadrants', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: SynapseOnDLS.max }), (v) => {
        const s = new SynapseOnDLS(v);
        const quad = s.toSynapseQuadOnDLS();
        const entry = s.toSynapseOnSynram().toEntryOnQuad();
        expect(quad.toSynapseOnDLS()[entry.value]!.equals(s)).toBe(true);
        expect(quad.toSynapseRowOnDLS().equals(s.toSynapseRowOnDLS())).toBe(true);
        const neuron = new AtomicNeuronOnDLS(s.toNeuronColumnOnDLS(), s.toSynramOnDLS().toNeuronRowOnDLS());
        expect(quad.toNeuronConfigBlockOnDLS().equals(neuron.toNeuronConfigBlockOnDLS())).toBe(true);
        expect(quad.toCapMemBlockOnDLS().value).toBe(2 * s.outer.value + (quad.local.x.value % 32 >= 16 ? 1 : 0));
        expect(new SynapseQuadOnDLS(quad.local, quad.outer).equals(quad)).toBe(true);
      }),
      options,
    );
  });

  it('numbers synapses 256·row + column and quads 64·row + q', () => {
    const s = new SynapseOnSynram(new SynapseOnSynapseRow(3), new SynapseRowOnSynram(2));
    expect(s.value).toBe(515);
    expect(new SynapseOnDLS(s, SynramOnDLS.bottom).value).toBe(65_536 + 515);
    const q = new SynapseQuadOnSynram(new SynapseQuadColumnOnDLS(5), new SynapseRowOnSynram(2));
    expect(q.value).toBe(133);
    expect(q.toSynapseOnSynram().map((x) => x.toSynapseRowOnSynram().value)).toEqual([2, 2, 2, 2]);
  });

  it('pairs column correlation and current quads with quad columns', () => {
    for (const c of ColumnCorrelationQuadOnDLS.all()) {
      expect(c.toColumnCurrentQuadOnDLS().toColumnCorrelationQuadOnDLS().equals(c)).toBe(true);
      expect(c.value).toBe(64 * c.toSynramOnDLS().value + c.toSynapseQuadColumnOnDLS().value);
    }
    expect(new ColumnCurrentQuadOnDLS(70).toSynapseQuadColumnOnDLS().value).toBe(6);
    expect(SynapticInputOnNeuron.inhibitory.value).toBe(1);
    expect(EntryOnQuad.size).toBe(4);
  });
});

describe('synapse drivers and PADI buses (hardware.md §2.7)', () => {
  it('drives rows 2d + 1 (top) and 2d (bottom); row r belongs to driver ⌊r/2⌋', () => {
    const d = new SynapseDriverOnSynapseDriverBlock(5);
    expect(d.toSynapseRowOnSynram().map((r) => r.value)).toEqual([11, 10]);
    for (const row of SynapseRowOnSynram.all()) {
      const driver = row.toSynapseDriverOnSynapseDriverBlock();
      expect(driver.value).toBe(Math.floor(row.value / 2));
      const onDriver = row.toSynapseRowOnSynapseDriver();
      expect(onDriver.equals(row.value % 2 === 1 ? SynapseRowOnSynapseDriver.top : SynapseRowOnSynapseDriver.bottom)).toBe(true);
      expect(driver.toSynapseRowOnSynram()[onDriver.value]!.equals(row)).toBe(true);
    }
  });

  it('puts driver d on PADI bus d % 4 at index ⌊d/4⌋, and 64 rows on each bus', () => {
    for (const d of SynapseDriverOnDLS.all()) {
      const local = d.toSynapseDriverOnSynapseDriverBlock();
      const bus = d.toPADIBusOnDLS();
      expect(bus.value).toBe(4 * d.toSynapseDriverBlockOnDLS().value + (local.value % 4));
      expect(local.toSynapseDriverOnPADIBus().value).toBe(Math.floor(local.value / 4));
      expect(local.toSynapseDriverOnPADIBus().toSynapseDriverOnSynapseDriverBlock(local.toPADIBusOnPADIBusBlock()).equals(local)).toBe(true);
      expect(bus.toSynapseDriverOnDLS()[local.toSynapseDriverOnPADIBus().value]!.equals(d)).toBe(true);
      for (const row of d.toSynapseRowOnDLS()) expect(row.toSynapseDriverOnDLS().equals(d)).toBe(true);
      expect(d.toCapMemBlockOnDLS().value).toBe(2 * d.outer.value + (local.value % 2));
    }
    const rows = new Set<number>();
    for (const bus of PADIBusOnDLS.all()) {
      const busRows = bus.toSynapseRowOnDLS();
      expect(busRows).toHaveLength(64);
      for (const r of busRows) {
        expect(r.toSynramOnDLS().value).toBe(bus.toPADIBusBlockOnDLS().value);
        rows.add(r.value);
      }
    }
    expect(rows.size).toBe(SynapseRowOnDLS.size);
  });

  it('numbers PADI buses 4·block + bus and drivers 128·block + d', () => {
    expect(new PADIBusOnDLS(new PADIBusOnPADIBusBlock(2), PADIBusBlockOnDLS.bottom).value).toBe(6);
    expect(new SynapseDriverOnDLS(new SynapseDriverOnSynapseDriverBlock(3), SynapseDriverBlockOnDLS.bottom).value).toBe(131);
    expect(new PADIBusOnPADIBusBlock(3).toSynapseDriverOnSynapseDriverBlock().map((d) => d.value).slice(0, 3)).toEqual([3, 7, 11]);
    expect(new PADIRowSelectAddress(9).toSynapseDriverOnPADIBus().equals(new SynapseDriverOnPADIBus(9))).toBe(true);
    expect(new SynapseRowOnDLS(300).toCADCSampleRowOnDLS().toSynapseRowOnDLS().value).toBe(300);
  });
});
