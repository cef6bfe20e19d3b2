// The vector windows of hardware.md §7 (fxvinx / fxvoutx), seen from both sides: the PPU and the host's
// synapse containers; correlation read-and-reset; the neuron reset vector.
import { AtomicNeuronOnDLS, CADCConfigOnDLS, NeuronColumnOnDLS, NeuronRowOnDLS, omnibusAddresses, ColumnCorrelationQuadOnDLS, EntryOnQuad, SynapseQuadColumnOnDLS, SynapseQuadOnDLS, SynapseQuadOnSynram, SynapseRowOnSynram, SynramOnDLS } from '@bss2/halco';
import { CADCConfig, ColumnCorrelationQuad, SynapseQuad } from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import { chipWith, memoryAddress, readContainer, runProgram, writeContainer } from './ppu-helpers.js';

const quad = (synram: number, row: number, x: number) => new SynapseQuadOnDLS(new SynapseQuadOnSynram(new SynapseQuadColumnOnDLS(x), new SynapseRowOnSynram(row)), new SynramOnDLS(synram));

/** Column → weight of one synapse row as the host reads it through SynapseQuad containers. */
function hostRow(chip: ReturnType<typeof chipWith>['chip'], synram: number, row: number, field: 'weights' | 'labels'): number[] {
  const out = new Array<number>(256).fill(-1);
  for (let x = 0; x < 64; x++) {
    const q = readContainer(chip, quad(synram, row, x), SynapseQuad) as SynapseQuad;
    const json = q.toJSON() as unknown as Record<string, number[]>;
    for (let e = 0; e < 4; e++) out[new SynapseQuadColumnOnDLS(x).neuronColumnOf(new EntryOnQuad(e)).value] = json[field]![e]!;
  }
  return out;
}

describe('PPU vector windows', () => {
  it('a weight vector written by the PPU reads back through the host SynapseQuad containers (6 bit, even / odd columns)', () => {
    for (const ppu of [0, 1]) {
      const { chip } = chipWith();
      // v1 = 0, 1, 2, … 127 (built in local memory by a scalar loop), written to row 9: even half, then the odd half + 64.
      runProgram(chip, ppu, `
        li r3, 0x2000
        li r4, 0
        li r5, 128
        mtctr r5
      fill:
        stbx r4, r3, r4
        addi r4, r4, 1
        bdnz fill
        li r6, 0
        fxvlax v1, r3, r6
        li r7, 18              # row 9 · 2: even columns
        fxvoutx v1, 0, r7
        li r8, 64
        fxvsplatb v2, r8
        fxvaddbm v1, v1, v2    # + 64 (the window keeps the 6 LSBs)
        li r7, 19
        fxvoutx v1, 0, r7
        fxvinx v3, 0, r7       # read back the odd half
        li r9, 0x2080
        fxvstax v3, 0, r9
      `);
      const weights = hostRow(chip, ppu, 9, 'weights');
      for (let k = 0; k < 128; k++) {
        expect(weights[2 * k]).toBe(k & 0x3f);
        expect(weights[2 * k + 1]).toBe((k + 64) & 0x3f);
      }
      // Other rows untouched; the other hemisphere untouched.
      expect(hostRow(chip, ppu, 8, 'weights').every((w) => w === 0)).toBe(true);
      expect(hostRow(chip, 1 - ppu, 9, 'weights').every((w) => w === 0)).toBe(true);
      const word0 = chip.readWord(memoryAddress(ppu, 0x2080 / 4));
      expect(word0).toBe((((64 & 0x3f) << 24) | ((65 & 0x3f) << 16) | ((66 & 0x3f) << 8) | (67 & 0x3f)) >>> 0);
    }
  });

  it('the PPU reads weights and labels the host wrote', () => {
    const { chip } = chipWith();
    for (let x = 0; x < 64; x++) {
      writeContainer(chip, quad(0, 200, x), new SynapseQuad({ weights: [x % 64, 1, 2, 3], labels: [5, 6, 7, (x * 3) % 64] }));
    }
    runProgram(chip, 0, `
      li r3, 400             # row 200, even
      fxvinx v1, 0, r3
      lis r4, 0x0004
      ori r4, r4, 401        # labels, row 200, odd
      fxvinx v2, 0, r4
      li r5, 0x2000
      li r6, 0
      fxvstax v1, r5, r6
      li r6, 0x80
      fxvstax v2, r5, r6
    `);
    const weights = hostRow(chip, 0, 200, 'weights');
    const labels = hostRow(chip, 0, 200, 'labels');
    for (let k = 0; k < 128; k++) {
      const w = chip.readWord(memoryAddress(0, 0x2000 / 4 + (k >> 2)));
      expect((w >>> (24 - 8 * (k & 3))) & 0xff).toBe(weights[2 * k]);
      const l = chip.readWord(memoryAddress(0, 0x2080 / 4 + (k >> 2)));
      expect((l >>> (24 - 8 * (k & 3))) & 0xff).toBe(labels[2 * k + 1]);
    }
  });

  it('correlation through the CADC: read-and-reset returns the accumulated codes and clears them', () => {
    const { chip, model } = chipWith();
    writeContainer(chip, new CADCConfigOnDLS(0), new CADCConfig({ enable: true }));
    for (let x = 0; x < 64; x++) {
      writeContainer(chip, new ColumnCorrelationQuadOnDLS(x), new ColumnCorrelationQuad({ enableInternalCausal: [true, true, true, true], enableInternalAcausal: [true, true, true, true] }));
    }
    // Charge the causal sensors of row 3, columns 0, 2, 4 (even half, elements 0..2) by 30, 60, 90 LSB.
    const causal = model.router.correlation.causalOf(0);
    causal[3 * 256 + 0] = 30;
    causal[3 * 256 + 2] = 60;
    causal[3 * 256 + 4] = 90;
    runProgram(chip, 0, `
      lis r3, 0x0009
      ori r3, r3, 6          # causal read-and-reset, row 3 even
      fxvinx v1, 0, r3
      lis r4, 0x0008
      ori r4, r4, 6          # causal, row 3 even, converted again
      fxvinx v2, 0, r4
      oris r5, r4, 0x0020    # buffered: the last conversion
      fxvinx v3, 0, r5
      li r6, 0x2000
      li r7, 0
      fxvstax v1, r6, r7
      li r7, 0x80
      fxvstax v2, r6, r7
      li r7, 0x100
      fxvstax v3, r6, r7
    `);
    const byte = (base: number, k: number) => (chip.readWord(memoryAddress(0, base / 4 + (k >> 2))) >>> (24 - 8 * (k & 3))) & 0xff;
    const baseline = byte(0x2000, 5);
    expect(baseline).toBeGreaterThan(90);
    expect([0, 1, 2].map((k) => baseline - byte(0x2000, k))).toEqual([30, 60, 90]);
    for (let k = 0; k < 8; k++) {
      expect(byte(0x2080, k)).toBe(baseline);
      expect(byte(0x2100, k)).toBe(baseline);
    }
    expect(causal[3 * 256 + 2]).toBe(0);
  });

  it('the neuron reset vector resets the neurons of its non-zero bytes', () => {
    const { chip, model } = chipWith();
    const resets: number[] = [];
    const original = model.onWrite.bind(model);
    model.onWrite = (address: number, value: number) => {
      resets.push(address);
      original(address, value);
    };
    runProgram(chip, 1, `
      li r3, 1
      fxvsplatb v1, r3
      lis r4, 0x00c9
      ori r4, r4, 513        # odd columns
      fxvoutx v1, 0, r4
    `);
    // One NeuronReset write per odd column of the bottom hemisphere, nothing for the others.
    const resetAddress = (row: number, column: number) => omnibusAddresses.NeuronReset(new AtomicNeuronOnDLS(new NeuronColumnOnDLS(column), new NeuronRowOnDLS(row)).toNeuronResetOnDLS())[0]!;
    const all = new Set([0, 1].flatMap((row) => Array.from({ length: 256 }, (_, c) => resetAddress(row, c))));
    const expected = Array.from({ length: 128 }, (_, k) => resetAddress(1, 2 * k + 1));
    expect(resets.filter((a) => all.has(a))).toEqual(expected);
  });
});
