import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32Utf8 } from '../src/checksum.js';

describe('crc32Utf8 (IEEE 802.3 CRC-32 of UTF-8)', () => {
  it('gives the standard check value', () => {
    expect(crc32Utf8('123456789')).toBe(0xcbf43926);
    expect(crc32Utf8('')).toBe(0);
  });

  it('equals zlib’s CRC-32 of the UTF-8 bytes for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (text) => crc32Utf8(text) === crc32(Buffer.from(text, 'utf8'))),
      { seed: 18, numRuns: 500 },
    );
  });
});
