import { CADCChannelConfigOnDLS, CADCConfigOnDLS, CADCSampleQuadOnDLS } from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import { CADCChannelConfig, CADCConfig, CADCSampleQuad, FieldRangeError } from '../src/index.js';
import { checkIOLeaf, sampleCoords } from './io-leaf-checks.js';

describe('CADCConfig', () => {
  checkIOLeaf(CADCConfig, { wordCount: 1, access: 'rw', coords: sampleCoords(CADCConfigOnDLS), seed: 301 });

  it('resets disabled with upstream timing (reset_wait 100, dead_time 20)', () => {
    expect(new CADCConfig().values()).toEqual({ enable: false, resetWait: 100, deadTime: 20 });
    expect(new CADCConfig().encode()[0]).toBe((100 << 4) | (20 << 12));
  });

  it('holds 8-bit timings', () => {
    expect(new CADCConfig({ enable: true, resetWait: 255, deadTime: 255 }).encode()[0]).toBe(1 | (255 << 4) | (255 << 12));
    expect(() => new CADCConfig({ resetWait: 256 })).toThrow(FieldRangeError);
    expect(() => new CADCConfig({ deadTime: -1 })).toThrow(FieldRangeError);
  });
});

describe('CADCChannelConfig', () => {
  checkIOLeaf(CADCChannelConfig, { wordCount: 1, access: 'rw', coords: sampleCoords(CADCChannelConfigOnDLS), seed: 302 });

  it('holds a signed offset −128..127 in two’s complement, reset 0', () => {
    expect(new CADCChannelConfig().offset).toBe(0);
    expect(new CADCChannelConfig().encode()[0]).toBe(0);
    expect(new CADCChannelConfig({ offset: -1 }).encode()[0]).toBe(0xff);
    expect(new CADCChannelConfig({ offset: -128 }).encode()[0]).toBe(0x80);
    expect(new CADCChannelConfig({ offset: 127 }).encode()[0]).toBe(0x7f);
    expect(CADCChannelConfig.decode(new Uint32Array([0x80])).offset).toBe(-128);
    expect(() => new CADCChannelConfig({ offset: 128 })).toThrow(FieldRangeError);
    expect(() => new CADCChannelConfig({ offset: -129 })).toThrow(FieldRangeError);
  });
});

describe('CADCSampleQuad', () => {
  checkIOLeaf(CADCSampleQuad, { wordCount: 1, access: 'r', coords: sampleCoords(CADCSampleQuadOnDLS, 256), seed: 303 });

  it('resets to four zero codes; entry 0 is the most significant byte', () => {
    expect(new CADCSampleQuad().samples).toEqual([0, 0, 0, 0]);
    expect(CADCSampleQuad.decode(new Uint32Array([0x0102_03ff])).samples).toEqual([1, 2, 3, 255]);
    expect(new CADCSampleQuad({ samples: [0xaa, 0, 0, 0x55] }).encode()[0]).toBe(0xaa00_0055);
  });

  it('has distinct addresses for trigger_read and buffered, causal and acausal reads of one quad', () => {
    const quadsPerWindow = 64 * 256;
    const quad = 1234;
    const windows = [0, 1, 2, 3].map((w) => CADCSampleQuad.addresses(new CADCSampleQuadOnDLS(w * quadsPerWindow + quad))[0]);
    expect(new Set(windows).size).toBe(4);
  });
});
