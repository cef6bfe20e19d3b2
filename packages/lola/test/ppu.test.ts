import { PPUControlRegisterOnDLS, PPUMemoryWordOnDLS, PPUStatusRegisterOnDLS } from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import { FieldRangeError, PPUControlRegister, PPUMemoryWord, PPUStatusRegister } from '../src/index.js';
import { checkIOLeaf, sampleCoords } from './io-leaf-checks.js';

describe('PPUMemoryWord', () => {
  checkIOLeaf(PPUMemoryWord, { wordCount: 1, access: 'rw', coords: sampleCoords(PPUMemoryWordOnDLS, 128), seed: 901 });

  it('holds a full 32-bit word, reset 0', () => {
    expect(new PPUMemoryWord().value).toBe(0);
    expect(new PPUMemoryWord({ value: 0xffff_ffff }).encode()[0]).toBe(0xffff_ffff);
    expect(PPUMemoryWord.decode(new Uint32Array([0x8000_0001])).value).toBe(0x8000_0001);
    expect(() => new PPUMemoryWord({ value: 2 ** 32 })).toThrow(FieldRangeError);
  });

  it('has distinct addresses for all 8192 words', () => {
    const addresses = new Set<number>();
    for (const coord of PPUMemoryWordOnDLS.all()) addresses.add(PPUMemoryWord.addresses(coord)[0]!);
    expect(addresses.size).toBe(8192);
  });
});

describe('PPUControlRegister', () => {
  checkIOLeaf(PPUControlRegister, { wordCount: 1, access: 'rw', coords: sampleCoords(PPUControlRegisterOnDLS), seed: 902 });

  it('resets with the core held in reset (inhibitReset true, §3.10) and the clock flags off', () => {
    expect(new PPUControlRegister().values()).toEqual({
      inhibitReset: true,
      forceClockOn: false,
      forceClockOff: false,
      cacheControllerEnable: false,
    });
    expect(new PPUControlRegister().encode()[0]).toBe(1);
  });

  it('uses upstream bit order: inhibit_reset 0, force_clock_on 1, force_clock_off 2, cache_controller_enable 3', () => {
    const off = { inhibitReset: false, forceClockOn: false, forceClockOff: false, cacheControllerEnable: false };
    expect(new PPUControlRegister(off).encode()[0]).toBe(0);
    expect(new PPUControlRegister({ ...off, forceClockOn: true }).encode()[0]).toBe(2);
    expect(new PPUControlRegister({ ...off, forceClockOff: true }).encode()[0]).toBe(4);
    expect(new PPUControlRegister({ ...off, cacheControllerEnable: true }).encode()[0]).toBe(8);
  });
});

describe('PPUStatusRegister', () => {
  checkIOLeaf(PPUStatusRegister, { wordCount: 1, access: 'r', coords: sampleCoords(PPUStatusRegisterOnDLS), seed: 903 });

  it('reports sleep in bit 0, reset false', () => {
    expect(new PPUStatusRegister().sleep).toBe(false);
    expect(PPUStatusRegister.decode(new Uint32Array([1])).sleep).toBe(true);
  });
});
