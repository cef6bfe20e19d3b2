import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AtomicNeuronOnDLS,
  AtomicNeuronOnLogicalNeuron,
  CapMemRowOnCapMemBlock,
  NeuronBackendConfigOnDLS,
  NeuronColumnOnDLS,
  NeuronConfigBlockOnDLS,
  NeuronConfigOnDLS,
  NeuronEventOutputOnDLS,
  NeuronResetOnDLS,
  NeuronResetQuadOnDLS,
  NeuronRowOnDLS,
  SpikeCounterReadOnDLS,
  SpikeCounterResetOnDLS,
  SynapseQuadColumnOnDLS,
  HemisphereOnDLS,
} from '../src/index.js';

const seed = 20240611;
const options = { numRuns: 1000, seed };
const neuron = fc.integer({ min: 0, max: 511 }).map((v) => new AtomicNeuronOnDLS(v));

describe('neurons (hardware.md §2.3)', () => {
  it('numbers a neuron 256·row + column and splits it again', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 1 }), (col, row) => {
        const n = new AtomicNeuronOnDLS(new NeuronColumnOnDLS(col), new NeuronRowOnDLS(row));
        expect(n.value).toBe(256 * row + col);
        expect(n.toNeuronColumnOnDLS().value).toBe(col);
        expect(n.toNeuronRowOnDLS().value).toBe(row);
        expect(n.toSynramOnDLS().value).toBe(row);
        expect(n.toHemisphereOnDLS().value).toBe(row);
      }),
      options,
    );
  });

  it('maps neuron 300 to backend index 172 (b = col/128, local = row·128 + col%128)', () => {
    const n = new AtomicNeuronOnDLS(300); // column 44, row 1
    expect(n.toNeuronBackendConfigOnDLS().value).toBe(172);
    expect(n.toNeuronBackendConfigOnDLS().toNeuronBackendConfigBlockOnDLS().value).toBe(0);
    expect(n.toNeuronBackendConfigOnDLS().toNeuronBackendConfigOnNeuronBackendConfigBlock().value).toBe(172);
    const right = new AtomicNeuronOnDLS(new NeuronColumnOnDLS(200), NeuronRowOnDLS.top);
    expect(right.toNeuronResetOnDLS().value).toBe(256 + 72);
  });

  it('applies the backend formula and its inverse for every neuron', () => {
    fc.assert(
      fc.property(neuron, (n) => {
        const col = n.x.value;
        const row = n.y.value;
        const b = Math.floor(col / 128);
        const expected = 256 * b + row * 128 + (col % 128);
        for (const c of [n.toNeuronBackendConfigOnDLS(), n.toNeuronResetOnDLS(), n.toSpikeCounterReadOnDLS(), n.toSpikeCounterResetOnDLS()]) {
          expect(c.value).toBe(expected);
          expect(c.toAtomicNeuronOnDLS().equals(n)).toBe(true);
        }
      }),
      options,
    );
  });

  it('converts between the backend-indexed registers by identity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 511 }), (v) => {
        const types = [NeuronBackendConfigOnDLS, NeuronResetOnDLS, SpikeCounterReadOnDLS, SpikeCounterResetOnDLS];
        for (const T of types) {
          const c = new T(v);
          expect(c.toNeuronBackendConfigOnDLS().value).toBe(v);
          expect(c.toNeuronResetOnDLS().value).toBe(v);
          expect(c.toSpikeCounterReadOnDLS().value).toBe(v);
          expect(c.toSpikeCounterResetOnDLS().value).toBe(v);
        }
      }),
      options,
    );
  });

  it('gives NeuronConfigOnDLS the neuron enum, quadrant enum/128 and index enum%128', () => {
    fc.assert(
      fc.property(neuron, (n) => {
        const c = n.toNeuronConfigOnDLS();
        expect(c.value).toBe(n.value);
        expect(c.toNeuronConfigBlockOnDLS().value).toBe(Math.floor(n.value / 128));
        expect(c.toNeuronConfigOnNeuronConfigBlock().value).toBe(n.value % 128);
        expect(c.toAtomicNeuronOnDLS().equals(n)).toBe(true);
        expect(new NeuronConfigOnDLS(c.local, c.outer).equals(c)).toBe(true);
        expect(n.toNeuronConfigBlockOnDLS().value).toBe(2 * n.y.value + Math.floor(n.x.value / 128));
      }),
      options,
    );
    expect(NeuronConfigBlockOnDLS.bottomRight.toHemisphereOnDLS().equals(HemisphereOnDLS.bottom)).toBe(true);
    expect(NeuronConfigBlockOnDLS.bottomLeft.toNeuronBackendConfigBlockOnDLS().value).toBe(0);
  });

  it('maps quadrants to CapMem blocks by identity and columns to col % 128', () => {
    fc.assert(
      fc.property(neuron, fc.integer({ min: 0, max: 23 }), (n, r) => {
        const cell = n.toCapMemCellOnDLS(new CapMemRowOnCapMemBlock(r));
        expect(cell.toCapMemBlockOnDLS().value).toBe(n.toNeuronConfigBlockOnDLS().value);
        expect(n.toNeuronConfigBlockOnDLS().toCapMemBlockOnDLS().value).toBe(n.toNeuronConfigBlockOnDLS().value);
        expect(cell.local.x.value).toBe(n.x.value % 128);
        expect(cell.local.y.value).toBe(r);
        expect(n.toNeuronConfigOnDLS().local.toCapMemColumnOnCapMemBlock().value).toBe(n.x.value % 128);
      }),
      options,
    );
  });

  it('has one event output per 32 columns, shared by both rows', () => {
    for (const col of NeuronColumnOnDLS.all()) {
      const out = col.toNeuronEventOutputOnDLS();
      expect(out.value).toBe(Math.floor(col.value / 32));
      expect(out.toNeuronEventOutputOnNeuronBackendBlock().equals(col.toNeuronEventOutputOnNeuronBackendBlock())).toBe(true);
      expect(out.toNeuronEventOutputOnNeuronBackendBlock().value).toBe(Math.floor((col.value % 128) / 32));
      expect(out.toNeuronBackendConfigBlockOnDLS().equals(col.toNeuronBackendConfigBlockOnDLS())).toBe(true);
      expect(out.toNeuronColumnOnDLS().some((c) => c.equals(col))).toBe(true);
      expect(out.toCrossbarInputOnDLS().value).toBe(out.value);
    }
    expect(new NeuronEventOutputOnDLS(7).toNeuronColumnOnDLS().at(-1)!.value).toBe(255);
  });

  it('resets quads of 4 non-adjacent neurons in one hemisphere', () => {
    const quad = new NeuronResetQuadOnDLS(new SynapseQuadColumnOnDLS(1), HemisphereOnDLS.bottom);
    expect(quad.value).toBe(65);
    expect(quad.toAtomicNeuronOnDLS().map((n) => n.value)).toEqual([264, 266, 268, 270]);
    const seen = new Set<number>();
    for (const q of NeuronResetQuadOnDLS.all()) {
      for (const n of q.toAtomicNeuronOnDLS()) {
        seen.add(n.value);
        expect(n.toNeuronResetQuadOnDLS().equals(q)).toBe(true);
        expect(n.toNeuronBackendConfigOnDLS().outer.equals(q.toNeuronBackendConfigBlockOnDLS())).toBe(true);
      }
    }
    expect(seen.size).toBe(512);
  });

  it('places logical-neuron positions relative to an anchor, partially', () => {
    const pos = new AtomicNeuronOnLogicalNeuron(5 + 128);
    expect(pos.toAtomicNeuronOnDLS(new AtomicNeuronOnDLS(10))?.value).toBe(256 + 15);
    expect(pos.toAtomicNeuronOnDLS(new AtomicNeuronOnDLS(256))).toBeUndefined();
    expect(new AtomicNeuronOnLogicalNeuron(127).toAtomicNeuronOnDLS(new AtomicNeuronOnDLS(129))).toBeUndefined();
    expect(pos.toNeuronColumnOnLogicalNeuron().value).toBe(5);
    expect(pos.toNeuronRowOnLogicalNeuron().value).toBe(1);
  });
});
