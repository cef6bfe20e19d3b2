import { BackgroundSpikeSourceOnDLS } from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import { BackgroundSpikeSource, FieldRangeError, nominal } from '../src/index.js';
import { checkIOLeaf, sampleCoords } from './io-leaf-checks.js';

describe('BackgroundSpikeSource', () => {
  checkIOLeaf(BackgroundSpikeSource, { wordCount: 3, access: 'rw', coords: sampleCoords(BackgroundSpikeSourceOnDLS), seed: 201 });

  it('resets to a disabled, regular, all-zero generator', () => {
    expect(new BackgroundSpikeSource().values()).toEqual({
      seed: 0,
      neuronLabel: 0,
      rate: 0,
      mask: 0,
      enable: false,
      enableRandom: false,
      period: 0,
    });
    expect(new BackgroundSpikeSource().encode()).toEqual(new Uint32Array(3));
  });

  it('has the field widths of hardware.md §3.7', () => {
    const widest = new BackgroundSpikeSource({ neuronLabel: 0x3fff, period: 0xffff, rate: 255, seed: 0xffff_ffff, mask: 255 });
    expect(widest.values()).toMatchObject({ neuronLabel: 0x3fff, period: 0xffff, rate: 255, seed: 0xffff_ffff, mask: 255 });
    for (const [field, value] of [['neuronLabel', 0x4000], ['period', 0x1_0000], ['rate', 256], ['seed', 2 ** 32], ['mask', 256]] as const) {
      expect(() => new BackgroundSpikeSource({ [field]: value })).toThrow(FieldRangeError);
    }
  });

  it('puts seed and label before the enables, so a whole write starts a configured generator', () => {
    const source = new BackgroundSpikeSource({
      enable: true,
      enableRandom: true,
      neuronLabel: 0x1234,
      period: 0xabcd,
      rate: 0x80,
      seed: 0x1234_5678,
      mask: 0x0f,
    });
    expect([...source.encode()]).toEqual([0x1234_5678, (0x1234 | (0x80 << 16) | (0x0f << 24)) >>> 0, (0b11 | (0xabcd << 16)) >>> 0]);
  });

  it('counts the period in 125 MHz ticks; mean Poisson ISI is period · 255 / rate (§3.7)', () => {
    expect(nominal.backgroundSpikeSourceClock_hz).toBe(125e6);
    expect(new BackgroundSpikeSource({ period: 100 }).meanInterval_ticks()).toBe(100);
    expect(new BackgroundSpikeSource({ period: 100, enableRandom: true, rate: 51 }).meanInterval_ticks()).toBe(500);
    expect(new BackgroundSpikeSource({ period: 100, enableRandom: true, rate: 255 }).meanInterval_ticks()).toBe(100);
    expect(new BackgroundSpikeSource({ period: 100, enableRandom: true, rate: 0 }).meanInterval_ticks()).toBe(Infinity);
  });
});
