import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AtomicNeuronOnDLS,
  CADCChannelColumnOnSynram,
  CADCChannelConfigOnDLS,
  CADCChannelConfigOnSynram,
  CADCChannelType,
  CADCReadoutType,
  CADCSampleQuadOnDLS,
  CADCSampleQuadOnSynram,
  CapMemBlockOnDLS,
  CapMemCellOnCapMemBlock,
  CapMemCellOnDLS,
  CapMemColumnOnCapMemBlock,
  CapMemRowOnCapMemBlock,
  CoordinateTypeError,
  PPUMemoryWordOnDLS,
  PPUMemoryWordOnPPU,
  PPUOnDLS,
  PadOnDLS,
  SynapseQuadOnSynram,
  SynramOnDLS,
  sharedCapMemCellNames,
} from '../src/index.js';

const seed = 20240611;
const options = { numRuns: 1000, seed };

describe('CapMem (hardware.md §2.6)', () => {
  it('names the 24 per-neuron rows in the order of §2.6', () => {
    expect(CapMemRowOnCapMemBlock.perNeuronNames).toHaveLength(24);
    expect(CapMemRowOnCapMemBlock.vLeak.value).toBe(0);
    expect(CapMemRowOnCapMemBlock.vThreshold.value).toBe(2);
    expect(CapMemRowOnCapMemBlock.iBiasLeak.value).toBe(8);
    expect(CapMemRowOnCapMemBlock.iBiasSyninExcTau.value).toBe(10);
    expect(CapMemRowOnCapMemBlock.iBiasSyninInhGm.value).toBe(17);
    expect(CapMemRowOnCapMemBlock.iMemOffset.value).toBe(22);
    expect(CapMemRowOnCapMemBlock.iBiasNmda.value).toBe(23);
    expect(new CapMemRowOnCapMemBlock(21).perNeuronName).toBe('i_bias_exp');
  });

  it('names the shared cells of column 128 (and 129)', () => {
    expect(CapMemCellOnCapMemBlock.synIBiasDac.x.value).toBe(128);
    expect(CapMemCellOnCapMemBlock.synIBiasDac.y.value).toBe(8);
    expect(sharedCapMemCellNames.get('stp_v_charge_1')?.y.value).toBe(1);
    expect(sharedCapMemCellNames.get('neuron_i_bias_spike_comparator')?.y.value).toBe(20);
    expect(sharedCapMemCellNames.size).toBe(21);
    expect(CapMemCellOnCapMemBlock.neuronIBiasSyninDrop.value).toBe(130 * 23 + 129);
    const madc = CapMemCellOnDLS.readoutMadcIn500na;
    expect([madc.toCapMemBlockOnDLS().value, madc.local.x.value, madc.local.y.value]).toEqual([0, 129, 13]);
  });

  it('numbers cells 130·row + column inside a block and 3120·block + cell on the chip', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 129 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 3 }), (c, r, b) => {
        const cell = new CapMemCellOnCapMemBlock(new CapMemColumnOnCapMemBlock(c), new CapMemRowOnCapMemBlock(r));
        expect(cell.value).toBe(130 * r + c);
        const onDLS = new CapMemCellOnDLS(cell, new CapMemBlockOnDLS(b));
        expect(onDLS.value).toBe(3120 * b + cell.value);
        expect(onDLS.toCapMemCellOnCapMemBlock().toCapMemColumnOnCapMemBlock().value).toBe(c);
        expect(onDLS.toCapMemCellOnCapMemBlock().toCapMemRowOnCapMemBlock().value).toBe(r);
        expect(onDLS.toCapMemBlockOnDLS().toNeuronConfigBlockOnDLS().toCapMemBlockOnDLS().value).toBe(b);
        expect(new CapMemColumnOnCapMemBlock(c).isPerNeuron()).toBe(c < 128);
      }),
      options,
    );
    expect(CapMemBlockOnDLS.southEast.toHemisphereOnDLS().value).toBe(1);
    expect(CapMemBlockOnDLS.northEast.toCapMemBlockConfigOnDLS().toCapMemBlockOnDLS().value).toBe(1);
  });

  it('gives every neuron 24 cells of its own, none shared with another neuron', () => {
    const cells = new Set<number>();
    for (const n of AtomicNeuronOnDLS.all()) {
      for (const row of CapMemRowOnCapMemBlock.all()) cells.add(n.toCapMemCellOnDLS(row).value);
    }
    expect(cells.size).toBe(512 * 24);
  });
});

describe('CADC (hardware.md §2.2, §2.3)', () => {
  it('maps channel (col, synram) to neuron quadrant 2·synram + col/128', () => {
    for (const ch of CADCChannelConfigOnDLS.all()) {
      const col = ch.toCADCChannelConfigOnSynram().toCADCChannelColumnOnSynram();
      expect(ch.toNeuronConfigBlockOnDLS().value).toBe(2 * ch.toSynramOnDLS().value + Math.floor(col.value / 128));
      const neuron = new AtomicNeuronOnDLS(col.toNeuronColumnOnDLS(), ch.toSynramOnDLS().toNeuronRowOnDLS());
      expect(ch.toNeuronConfigBlockOnDLS().equals(neuron.toNeuronConfigBlockOnDLS())).toBe(true);
      expect(col.toNeuronColumnOnDLS().toCADCChannelColumnOnSynram().equals(col)).toBe(true);
    }
    const acausal = new CADCChannelConfigOnSynram(new CADCChannelColumnOnSynram(3), CADCChannelType.acausal);
    expect(acausal.value).toBe(259);
    expect(new CADCChannelConfigOnDLS(acausal, SynramOnDLS.bottom).value).toBe(512 + 259);
  });

  it('builds sample quads from (quad, channel type, readout type) and splits them again', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 16_383 }),
        fc.integer({ min: 0, max: 1 }),
        fc.integer({ min: 0, max: 1 }),
        fc.integer({ min: 0, max: 1 }),
        (q, type, readout, synram) => {
          const local = new CADCSampleQuadOnSynram(new SynapseQuadOnSynram(q), new CADCChannelType(type), new CADCReadoutType(readout));
          expect(local.value).toBe((2 * readout + type) * 16_384 + q);
          const s = new CADCSampleQuadOnDLS(local, new SynramOnDLS(synram));
          expect(s.toSynapseQuadOnDLS().local.value).toBe(q);
          expect(s.toSynramOnDLS().value).toBe(synram);
          expect(s.toCADCChannelType().value).toBe(type);
          expect(s.toCADCReadoutType().value).toBe(readout);
          expect(new CADCSampleQuadOnSynram(local.value).equals(local)).toBe(true);
          const channels = s.toCADCChannelConfigOnDLS();
          const columns = s.toSynapseQuadOnDLS().local.x.toNeuronColumnOnDLS();
          expect(channels.map((c) => c.local.x.value)).toEqual(columns.map((c) => c.value));
          expect(channels.every((c) => c.local.y.value === type && c.outer.value === synram)).toBe(true);
        },
      ),
      options,
    );
    expect(CADCReadoutType.triggerRead.value).toBe(0);
    expect(CADCReadoutType.buffered.value).toBe(1);
    expect(CADCChannelType.causal.value).toBe(0);
    expect(() => new CADCSampleQuadOnSynram(new SynapseQuadOnSynram(0), CADCReadoutType.buffered as unknown as CADCChannelType, CADCReadoutType.buffered)).toThrow(CoordinateTypeError);
  });
});

describe('PPU memory and readout pads', () => {
  it('numbers PPU words 4096·ppu + word, with the return code and mailbox words of §7', () => {
    const w = new PPUMemoryWordOnDLS(PPUMemoryWordOnPPU.returnCode, PPUOnDLS.bottom);
    expect(w.value).toBe(4096 + 3071);
    expect(w.toPPUMemoryWordOnPPU().isMailbox()).toBe(false);
    expect(w.toPPUOnDLS().toSynramOnDLS().value).toBe(1);
    expect(new PPUMemoryWordOnPPU(3072).isMailbox()).toBe(true);
    expect(new PadOnDLS(1).toPadMultiplexerConfigOnDLS().toPadOnDLS().value).toBe(1);
  });
});
