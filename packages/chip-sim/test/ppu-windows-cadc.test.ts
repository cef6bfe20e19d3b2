// The CADC windows of fxvinx (hardware.md §7) element by element: every element of every correlation window, in
// both parities and both hemispheres, is the code the host reads from the buffered CADCSampleQuad of its column
// (halco's quad mapping, entry 0 the most significant byte), and read-and-reset clears exactly both sensors of
// the half row it read.
import {
  CADCChannelType,
  CADCConfigOnDLS,
  CADCReadoutType,
  CADCSampleQuadOnDLS,
  CADCSampleQuadOnSynram,
  ColumnCorrelationQuadOnDLS,
  EntryOnQuad,
  SynapseQuadColumnOnDLS,
  SynapseQuadOnSynram,
  SynapseRowOnSynram,
  SynramOnDLS,
} from '@bss2/halco';
import { CADCConfig, CADCSampleQuad, ColumnCorrelationQuad } from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import { Random } from '../src/analog/random.js';
import { chipWith, memoryAddress, readContainer, runProgram, writeContainer } from './ppu-helpers.js';

const ROW = 77;

/** Column → code of the last conversion of `row` as the host reads it (buffered CADCSampleQuad containers). */
function hostCodes(chip: ReturnType<typeof chipWith>['chip'], synram: number, row: number, type: number): number[] {
  const out = new Array<number>(256).fill(-1);
  for (let x = 0; x < 64; x++) {
    const quad = new SynapseQuadOnSynram(new SynapseQuadColumnOnDLS(x), new SynapseRowOnSynram(row));
    const coordinate = new CADCSampleQuadOnDLS(new CADCSampleQuadOnSynram(quad, new CADCChannelType(type), CADCReadoutType.buffered), new SynramOnDLS(synram));
    const samples = (readContainer(chip, coordinate, CADCSampleQuad) as CADCSampleQuad).toJSON() as unknown as { samples: number[] };
    for (let e = 0; e < 4; e++) out[new SynapseQuadColumnOnDLS(x).neuronColumnOf(new EntryOnQuad(e)).value] = samples.samples[e]!;
  }
  return out;
}

describe('PPU CADC windows, element by element', () => {
  for (const ppu of [0, 1]) {
    it(`hemisphere ${ppu}: causal/acausal, converted and buffered, even and odd columns; reset of one half row`, () => {
      const { chip, model } = chipWith();
      writeContainer(chip, new CADCConfigOnDLS(ppu), new CADCConfig({ enable: true }));
      for (let x = 0; x < 64; x++) {
        const all = [true, true, true, true];
        writeContainer(chip, new ColumnCorrelationQuadOnDLS(new SynapseQuadColumnOnDLS(x), new SynramOnDLS(ppu)), new ColumnCorrelationQuad({ enableInternalCausal: all, enableInternalAcausal: all }));
      }
      // Distinct accumulated values in the row and its neighbours (seeded), so a wrong column, row or branch shows.
      const random = new Random(7 + ppu);
      const causal = model.router.correlation.causalOf(ppu);
      const acausal = model.router.correlation.acausalOf(ppu);
      for (let s = (ROW - 1) * 256; s < (ROW + 2) * 256; s++) {
        causal[s] = random.nextUint32() % 120;
        acausal[s] = random.nextUint32() % 120;
      }
      const before = { causal: causal.slice(), acausal: acausal.slice() };
      // v1 causal even (converts the row), v2 acausal even buffered, v3 causal odd buffered, v4 acausal odd
      // buffered with reset (both sensors of the odd half row); stored at 0x2000 + 0x80·k.
      runProgram(chip, ppu, `
        li r3, ${2 * ROW}
        li r4, ${2 * ROW + 1}
        lis r10, 0x0008
        fxvinx v1, r10, r3
        lis r11, 0x002C
        fxvinx v2, r11, r3
        lis r12, 0x0028
        fxvinx v3, r12, r4
        lis r13, 0x002D
        fxvinx v4, r13, r4
        li r5, 0x2000
        li r6, 0
        fxvstax v1, r5, r6
        li r6, 0x80
        fxvstax v2, r5, r6
        li r6, 0x100
        fxvstax v3, r5, r6
        li r6, 0x180
        fxvstax v4, r5, r6
        blr
      `);
      expect(model.ppuState(ppu).fault).toBeUndefined();
      expect(model.ppuState(ppu).state).toBe('halted');
      const element = (vector: number, k: number) => (chip.readWord(memoryAddress(ppu, (0x2000 + 0x80 * vector) / 4 + (k >> 2))) >>> (24 - 8 * (k & 3))) & 0xff;
      const hostCausal = hostCodes(chip, ppu, ROW, 0);
      const hostAcausal = hostCodes(chip, ppu, ROW, 1);
      // Not a constant row: the codes follow the accumulated values.
      expect(new Set(hostCausal).size).toBeGreaterThan(50);
      for (let k = 0; k < 128; k++) {
        expect([k, element(0, k)]).toEqual([k, hostCausal[2 * k]]);
        expect([k, element(1, k)]).toEqual([k, hostAcausal[2 * k]]);
        expect([k, element(2, k)]).toEqual([k, hostCausal[2 * k + 1]]);
        expect([k, element(3, k)]).toEqual([k, hostAcausal[2 * k + 1]]);
      }
      // The reset cleared both sensors of the odd columns of the row, and nothing else.
      for (let s = (ROW - 1) * 256; s < (ROW + 2) * 256; s++) {
        const cleared = s >= ROW * 256 && s < (ROW + 1) * 256 && s % 2 === 1;
        expect([s, causal[s], acausal[s]]).toEqual([s, cleared ? 0 : before.causal[s], cleared ? 0 : before.acausal[s]]);
      }
    });
  }
});
