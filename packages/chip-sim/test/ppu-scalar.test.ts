// Scalar semantics of the simulated PPU against hand-computed values (hardware.md §7; Power ISA).
import { describe, expect, it } from 'vitest';
import { unsupportedMnemonics } from '../src/index.js';
import { chipWith, memoryAddress, runProgram } from './ppu-helpers.js';

/** Runs `body` (then `blr`) on PPU 0 and returns its registers and CR/XER. */
function exec(body: string): { r: Int32Array; cr: number; xer: number; ctr: number; lr: number; chip: ReturnType<typeof chipWith> } {
  const made = chipWith();
  runProgram(made.chip, 0, `${body}\n blr\n`, 5_000);
  const state = made.model.ppuState(0);
  expect(state.fault).toBeUndefined();
  expect(state.state).toBe('halted');
  const core = made.model.ppus.core(0);
  return { r: core.gpr, cr: core.cr >>> 0, xer: core.xer >>> 0, ctr: core.ctr, lr: core.lr, chip: made };
}

const CA = 0x2000_0000;
const OV = 0x4000_0000;
const SO = 0x8000_0000;

describe('the PPU interpreter covers the table', () => {
  it('has semantics for every instruction of @bss2/ppu', () => {
    expect(unsupportedMnemonics()).toEqual([]);
  });
});

describe('integer arithmetic', () => {
  it('adds with carry and overflow', () => {
    const { r, xer } = exec(`
      lis r4, 0x7fff
      ori r4, r4, 0xffff      # 0x7fffffff
      li r5, 1
      addo r6, r4, r5         # overflow → OV, SO
      li r7, -1
      addc r8, r7, r5         # 0xffffffff + 1 → 0, CA
      adde r9, r5, r5         # 1 + 1 + CA = 3
    `);
    expect(r[6]).toBe(-0x8000_0000);
    expect(r[8]).toBe(0);
    expect(r[9]).toBe(3);
    expect((xer & (OV | SO)) >>> 0).toBe((OV | SO) >>> 0);
  });

  it('subtracts with borrow semantics (CA = no borrow), negates, multiplies and divides', () => {
    const { r, xer } = exec(`
      li r4, 5
      li r5, 3
      subfc r6, r5, r4        # 5 − 3 = 2, no borrow → CA
      subfic r7, r4, 2        # 2 − 5 = −3, borrow → CA clear
      neg r8, r4
      li r9, -7
      li r10, 2
      divw r11, r9, r10       # −3 (truncating)
      divwu r12, r9, r10      # 0xfffffff9 / 2
      mullw r13, r9, r10
      mulhwu r14, r9, r10     # high word of 0xfffffff9 × 2 = 1
      mulhw r15, r9, r10      # high word of −14 = −1
      li r16, 0
      divw r17, r4, r16       # Choice: 0
    `);
    expect(r[6]).toBe(2);
    expect(r[7]).toBe(-3);
    expect(xer & CA).toBe(0);
    expect(r[8]).toBe(-5);
    expect(r[11]).toBe(-3);
    expect(r[12]).toBe(0x7fff_fffc);
    expect(r[13]).toBe(-14);
    expect(r[14]).toBe(1);
    expect(r[15]).toBe(-1);
    expect(r[17]).toBe(0);
  });

  it('records CR0 from results and compares signed and unsigned', () => {
    const { r, cr } = exec(`
      li r4, -1
      li r5, 1
      add. r6, r4, r4         # −2 → cr0 lt
      cmpw cr1, r4, r5        # −1 < 1 → lt
      cmplw cr2, r4, r5       # 0xffffffff > 1 → gt
      cmpwi cr3, r5, 1        # eq
      andi. r7, r4, 0         # 0 → but cr0 eq (overwrites)
      mfcr r8
    `);
    expect(r[6]).toBe(-2);
    // cr0 eq (from andi.), cr1 lt, cr2 gt, cr3 eq
    expect((cr >>> 28) & 0xf).toBe(2);
    expect((cr >>> 24) & 0xf).toBe(8);
    expect((cr >>> 20) & 0xf).toBe(4);
    expect((cr >>> 16) & 0xf).toBe(2);
    expect(r[8]! >>> 0).toBe(cr);
  });
});

describe('logic, shifts and rotates', () => {
  it('rotates under masks, inserts, shifts and extends signs', () => {
    const { r, xer } = exec(`
      lis r4, 0x1234
      ori r4, r4, 0x5678
      rlwinm r5, r4, 8, 24, 31    # extrwi: 0x12
      rlwinm r6, r4, 0, 16, 31    # 0x5678
      rlwinm r7, r4, 4, 0, 27     # slwi 4: 0x23456780
      li r8, -1
      rlwimi r8, r4, 0, 8, 15     # 0xff34ffff
      li r9, -16
      srawi r10, r9, 2            # −4, no 1-bits lost → CA 0
      li r11, -15
      srawi r12, r11, 2           # −4, 1-bits lost → CA 1
      li r13, 0x80
      extsb r14, r13              # −128
      li r15, 40
      slw r16, r4, r15            # shift ≥ 32 → 0
      cntlzw r17, r13             # 24
      rlwinm r18, r4, 0, 28, 3    # wrapping mask 0xf000000f: 0x10000008
    `);
    expect(r[5]).toBe(0x12);
    expect(r[6]).toBe(0x5678);
    expect(r[7]).toBe(0x2345_6780);
    expect(r[8]! >>> 0).toBe(0xff34_ffff);
    expect(r[10]).toBe(-4);
    expect(r[12]).toBe(-4);
    expect(xer & CA).toBe(CA);
    expect(r[14]).toBe(-128);
    expect(r[16]).toBe(0);
    expect(r[17]).toBe(24);
    expect(r[18]! >>> 0).toBe(0x1000_0008);
  });
});

describe('loads and stores', () => {
  it('loads and stores bytes, halfwords and words big-endian, with update and indexed forms and sign extension', () => {
    const { r, chip } = exec(`
      li r3, 0x2000
      lis r4, 0x8081
      ori r4, r4, 0x8283
      stw r4, 0(r3)
      lbz r5, 1(r3)               # 0x81
      lha r6, 2(r3)               # 0x8283 sign-extended
      lhz r7, 2(r3)
      li r8, 0x7f
      stbu r8, 4(r3)              # r3 ← 0x2004
      li r9, 4
      lwzx r10, r3, r9            # word at 0x2008 (0)
      sthux r8, r3, r9            # halfword 0x007f at 0x2008, r3 ← 0x2008
      lwz r11, 0(r3)
      lwzu r12, -8(r3)            # r3 ← 0x2000
    `);
    expect(r[5]).toBe(0x81);
    expect(r[6]).toBe(0x8283 - 0x10000);
    expect(r[7]).toBe(0x8283);
    expect(r[10]).toBe(0);
    expect(r[11]).toBe(0x007f_0000);
    expect(r[12]! >>> 0).toBe(0x8081_8283);
    expect(r[3]).toBe(0x2000);
    // host reads see what the PPU wrote (big-endian word at 0x2004: 0x7f000000)
    expect(chip.chip.readWord(memoryAddress(0, 0x2004 / 4))).toBe(0x7f00_0000);
  });
});

describe('branches and special-purpose registers', () => {
  it('counts with CTR, links with LR, branches through CTR and reads the time base', () => {
    const { r, lr } = exec(`
      li r3, 0
      li r4, 5
      mtctr r4
    loop:
      addi r3, r3, 1
      bdnz loop
      mflr r20                # save the return address
      bl sub
      mtlr r20
      lis r5, target@ha
      addi r5, r5, target@l
      mtctr r5
      bctr
      li r6, 99               # skipped
    target:
      mftb r7
      mftbu r8
      b done
    sub:
      li r9, 42
      blr
    done:
    `);
    expect(r[3]).toBe(5);
    expect(r[9]).toBe(42);
    expect(r[6]).toBe(0);
    expect(r[7]).toBeGreaterThan(0);
    expect(r[8]).toBe(0);
    expect(lr >>> 0).toBe(0xffff_fffc);
  });
});

describe('the interpreter source', () => {
  it("uses the values of ops.ts for every literal op and flag of its switch", async () => {
    const { readFileSync } = await import('node:fs');
    const { Op, Flag } = await import('../src/ppu/ops.js');
    const source = ['core.ts', 'vector-unit.ts'].map((file) => readFileSync(new URL(`../src/ppu/${file}`, import.meta.url), 'utf8')).join('\n');
    const ops = [...source.matchAll(/(\d+) \/\* (\w+) \*\//g)];
    expect(ops.length).toBeGreaterThan(150);
    for (const [, value, name] of ops) {
      const known = (Op as Record<string, number>)[name!] ?? (Flag as Record<string, number>)[name!];
      expect({ name, value: Number(value) }).toEqual({ name, value: known });
    }
  });
});
