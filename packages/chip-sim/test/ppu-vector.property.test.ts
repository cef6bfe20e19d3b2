// The vector unit's arithmetic (hardware.md §7) against reference formulas: modulo and fractional-saturating
// 8/16-bit add, subtract, multiply, multiply-accumulate; conditional select after compare; pack/unpack.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chipWith, load, image, memoryAddress, controlAddress, RUN, wait } from './ppu-helpers.js';

const s8 = (x: number) => (x << 24) >> 24;
const s16 = (x: number) => (x << 16) >> 16;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
/** Reference formulas of §7: Q0.7 / Q0.15 saturating; products (a·b) >> 7 / >> 15 (floor), then clamp. */
const ref = {
  addbfs: (a: number, b: number) => clamp(s8(a) + s8(b), -128, 127) & 0xff,
  subbfs: (a: number, b: number) => clamp(s8(a) - s8(b), -128, 127) & 0xff,
  mulbfs: (a: number, b: number) => clamp(Math.floor((s8(a) * s8(b)) / 128), -128, 127) & 0xff,
  addbm: (a: number, b: number) => (a + b) & 0xff,
  mulbm: (a: number, b: number) => (a * b) & 0xff,
  addhfs: (a: number, b: number) => clamp(s16(a) + s16(b), -32768, 32767) & 0xffff,
  mulhfs: (a: number, b: number) => clamp(Math.floor((s16(a) * s16(b)) / 32768), -32768, 32767) & 0xffff,
  mahfs: (acc: number, a: number, b: number) => clamp(s16(acc) + Math.floor((s16(a) * s16(b)) / 32768), -32768, 32767) & 0xffff,
};

/** Result vectors in local memory: 0x2000 + 0x80 · k. */
const KERNEL = `
  li r3, 0x1000
  li r4, 0
  fxvlax v1, r3, r4          # a at 0x1000
  li r4, 0x80
  fxvlax v2, r3, r4          # b at 0x1080
  li r5, 0x2000
  fxvaddbfs v3, v1, v2
  li r6, 0x000
  fxvstax v3, r5, r6
  fxvsubbfs v3, v1, v2
  li r6, 0x080
  fxvstax v3, r5, r6
  fxvmulbfs v3, v1, v2
  li r6, 0x100
  fxvstax v3, r5, r6
  fxvaddbm v3, v1, v2
  li r6, 0x180
  fxvstax v3, r5, r6
  fxvmulbm v3, v1, v2
  li r6, 0x200
  fxvstax v3, r5, r6
  fxvaddhfs v3, v1, v2
  li r6, 0x280
  fxvstax v3, r5, r6
  fxvmulhfs v3, v1, v2
  li r6, 0x300
  fxvstax v3, r5, r6
  fxvmtach v2                # acc ← b, then acc + a·b
  fxvmahfs v3, v1, v2
  li r6, 0x380
  fxvstax v3, r5, r6
  fxvcmpb v1                 # select a where a < 0, else b
  fxvsel v3, v1, v2, 2
  li r6, 0x400
  fxvstax v3, r5, r6
  fxvpckbl v3, v1, v2        # low bytes of a's then b's halfwords
  li r6, 0x480
  fxvstax v3, r5, r6
  blr
`;

describe('PPU vector arithmetic', () => {
  it('matches the reference formulas for random vectors (through the table, the decoder and local memory)', () => {
    const program = image(KERNEL);
    const bytes = fc.uint8Array({ minLength: 128, maxLength: 128 });
    fc.assert(
      fc.property(bytes, bytes, (a, b) => {
        const { chip, model } = chipWith();
        load(chip, 0, program);
        const put = (base: number, v: Uint8Array) => {
          for (let w = 0; w < 32; w++) chip.writeWord(memoryAddress(0, base / 4 + w), ((v[4 * w]! << 24) | (v[4 * w + 1]! << 16) | (v[4 * w + 2]! << 8) | v[4 * w + 3]!) >>> 0);
        };
        put(0x1000, a);
        put(0x1080, b);
        chip.writeWord(controlAddress(0), RUN);
        wait(chip, 2000);
        expect(model.ppuState(0).state).toBe('halted');
        const out = (k: number, i: number) => (chip.readWord(memoryAddress(0, (0x2000 + 0x80 * k) / 4 + (i >> 2))) >>> (24 - 8 * (i & 3))) & 0xff;
        const half = (k: number, i: number) => (out(k, 2 * i) << 8) | out(k, 2 * i + 1);
        for (let i = 0; i < 128; i++) {
          expect(out(0, i)).toBe(ref.addbfs(a[i]!, b[i]!));
          expect(out(1, i)).toBe(ref.subbfs(a[i]!, b[i]!));
          expect(out(2, i)).toBe(ref.mulbfs(a[i]!, b[i]!));
          expect(out(3, i)).toBe(ref.addbm(a[i]!, b[i]!));
          expect(out(4, i)).toBe(ref.mulbm(a[i]!, b[i]!));
          expect(out(8, i)).toBe(s8(a[i]!) < 0 ? a[i] : b[i]);
          expect(out(9, i)).toBe(i < 64 ? a[2 * i + 1] : b[2 * (i - 64) + 1]);
        }
        for (let i = 0; i < 64; i++) {
          const ha = (a[2 * i]! << 8) | a[2 * i + 1]!;
          const hb = (b[2 * i]! << 8) | b[2 * i + 1]!;
          expect(half(5, i)).toBe(ref.addhfs(ha, hb));
          expect(half(6, i)).toBe(ref.mulhfs(ha, hb));
          expect(half(7, i)).toBe(ref.mahfs(hb, ha, hb));
        }
      }),
      { seed: 1, numRuns: 12 },
    );
  });

  it('saturates at the extremes: −1 · −1 = 127/128 (not +1), −128 − 1 = −128, 127 + 1 = 127', () => {
    expect(ref.mulbfs(0x80, 0x80)).toBe(127);
    expect(ref.subbfs(0x80, 1)).toBe(0x80);
    expect(ref.addbfs(127, 1)).toBe(127);
    const { chip, model } = chipWith();
    load(chip, 0, image(`
      li r3, 0x80
      fxvsplatb v1, r3
      fxvmulbfs v2, v1, v1
      li r4, 1
      fxvsplatb v3, r4
      fxvsubbfs v4, v1, v3
      li r5, 0x2000
      li r6, 0
      fxvstax v2, r5, r6
      li r6, 0x80
      fxvstax v4, r5, r6
      blr
    `));
    chip.writeWord(controlAddress(0), RUN);
    wait(chip, 500);
    expect(model.ppuState(0).state).toBe('halted');
    expect(chip.readWord(memoryAddress(0, 0x2000 / 4))).toBe(0x7f7f_7f7f);
    expect(chip.readWord(memoryAddress(0, 0x2080 / 4))).toBe(0x8080_8080);
  });
});
