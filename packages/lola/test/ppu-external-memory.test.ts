import fc from 'fast-check';
import { CoordinateRangeError, ExternalPPUDRAMMemoryByteOnFPGA, ExternalPPUMemoryByteOnFPGA } from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import {
  ContainerDecodeError,
  ExternalPPUDRAMMemoryByte,
  ExternalPPUMemoryBlock,
  ExternalPPUMemoryBlockOnFPGA,
  ExternalPPUMemoryByte,
  FieldRangeError,
  containerFromJSON,
  containerFromMsgpack,
  containerToMsgpack,
  containerTypes,
} from '../src/index.js';
import { checkIOLeaf, sampleCoords } from './io-leaf-checks.js';

const sramBytes = 0x2_0000;
const range = fc
  .tuple(fc.integer({ min: 0, max: sramBytes - 1 }), fc.integer({ min: 1, max: 64 }))
  .map(([first, length]) => new ExternalPPUMemoryBlockOnFPGA(new ExternalPPUMemoryByteOnFPGA(first), Math.min(length, sramBytes - first)));

describe('ExternalPPUMemoryByte / ExternalPPUDRAMMemoryByte', () => {
  checkIOLeaf(ExternalPPUMemoryByte, { wordCount: 1, access: 'rw', coords: sampleCoords(ExternalPPUMemoryByteOnFPGA), seed: 1101 });
  checkIOLeaf(ExternalPPUDRAMMemoryByte, { wordCount: 1, access: 'rw', coords: sampleCoords(ExternalPPUDRAMMemoryByteOnFPGA), seed: 1102 });

  it('hold one byte in bits 7..0, reset 0; higher bits are ignored on decode', () => {
    for (const Byte of [ExternalPPUMemoryByte, ExternalPPUDRAMMemoryByte]) {
      expect(new Byte().value).toBe(0);
      expect(new Byte({ value: 0xab }).encode()[0]).toBe(0xab);
      expect(Byte.decode(new Uint32Array([0x1234_56cd])).value).toBe(0xcd);
      expect(() => new Byte({ value: 256 })).toThrow(FieldRangeError);
    }
  });
});

describe('ExternalPPUMemoryBlockOnFPGA (lola-side range coordinate)', () => {
  it('encodes (first, length) and back, rejecting ranges past 128 KiB', () => {
    fc.assert(
      fc.property(range, (coord) => new ExternalPPUMemoryBlockOnFPGA(coord.value).equals(coord) && coord.value === coord.first.value * sramBytes + coord.length - 1),
      { numRuns: 1000, seed: 1103 },
    );
    expect(() => new ExternalPPUMemoryBlockOnFPGA(new ExternalPPUMemoryByteOnFPGA(sramBytes - 1), 2)).toThrow(CoordinateRangeError);
    expect(() => new ExternalPPUMemoryBlockOnFPGA(new ExternalPPUMemoryByteOnFPGA(0), 0)).toThrow(CoordinateRangeError);
    const last = new ExternalPPUMemoryBlockOnFPGA(new ExternalPPUMemoryByteOnFPGA(0), sramBytes);
    expect(last.value).toBe(sramBytes - 1);
    expect(last.toExternalPPUMemoryByteOnFPGA()).toHaveLength(sramBytes);
  });
});

describe('ExternalPPUMemoryBlock', () => {
  it('implements the composite contract', () => {
    expect(ExternalPPUMemoryBlock.typeName).toBe('ExternalPPUMemoryBlock');
    expect(ExternalPPUMemoryBlock.coordinateType).toBe(ExternalPPUMemoryBlockOnFPGA);
    expect(ExternalPPUMemoryBlock.wordCount).toBe(sramBytes);
    expect([ExternalPPUMemoryBlock.readable, ExternalPPUMemoryBlock.writable]).toEqual([true, true]);
    expect(containerTypes().get('ExternalPPUMemoryBlock')).toBe(ExternalPPUMemoryBlock);
    expect(ExternalPPUMemoryBlock.defaults().bytes()).toEqual(new Uint8Array(1));
  });

  it('addresses(coord) are the ExternalPPUMemoryByte addresses of the range', () => {
    fc.assert(
      fc.property(range, (coord) => {
        const addresses = ExternalPPUMemoryBlock.addresses(coord);
        return (
          addresses.length === ExternalPPUMemoryBlock.wordCountOf(coord) &&
          addresses.every((a, i) => a === ExternalPPUMemoryByte.addresses(new ExternalPPUMemoryByteOnFPGA(coord.first.value + i))[0])
        );
      }),
      { numRuns: 200, seed: 1104 },
    );
  });

  it('round-trips through words (one per byte), JSON and msgpack', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
        const block = new ExternalPPUMemoryBlock(bytes);
        const json = JSON.stringify(block);
        const words = block.encode();
        return (
          words.length === bytes.length &&
          words.every((w, i) => w === bytes[i]) &&
          ExternalPPUMemoryBlock.decode(words).equals(block) &&
          JSON.stringify(containerFromJSON(JSON.parse(json))) === json &&
          JSON.stringify(containerFromMsgpack(containerToMsgpack(block))) === json
        );
      }),
      { numRuns: 1000, seed: 1105 },
    );
  });

  it('validates sizes and bytes', () => {
    for (const bad of [0, sramBytes + 1, 0.5]) expect(() => new ExternalPPUMemoryBlock(bad)).toThrow(FieldRangeError);
    expect(() => new ExternalPPUMemoryBlock([256])).toThrow(FieldRangeError);
    expect(() => new ExternalPPUMemoryBlock([])).toThrow(FieldRangeError);
    const block = new ExternalPPUMemoryBlock(2);
    block.setByte(1, 0xff);
    expect(block.byte(1)).toBe(0xff);
    expect(() => block.setByte(2, 1)).toThrow(FieldRangeError);
    expect(() => block.setByte(0, -1)).toThrow(FieldRangeError);
    expect(() => ExternalPPUMemoryBlock.decode(new Uint32Array(0))).toThrow(ContainerDecodeError);
    expect(ExternalPPUMemoryBlock.decode(new Uint32Array([0x1ff])).byte(0)).toBe(0xff);
    expect(() => ExternalPPUMemoryBlock.fromJSON({ type: 'ExternalPPUMemoryBlock', bytes: 3 })).toThrow(FieldRangeError);
  });
});
