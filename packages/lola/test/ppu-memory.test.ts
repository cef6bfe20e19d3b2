import fc from 'fast-check';
import {
  CoordinateRangeError,
  CoordinateTypeError,
  PPUMemoryOnDLS,
  PPUMemoryWordOnDLS,
  PPUMemoryWordOnPPU,
  PPUOnDLS,
} from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import {
  ContainerDecodeError,
  FieldRangeError,
  PPUMemory,
  PPUMemoryBlock,
  PPUMemoryBlockOnDLS,
  PPUMemoryWord,
  UnknownFieldError,
  containerFromJSON,
  containerFromMsgpack,
  containerToMsgpack,
  containerTypes,
} from '../src/index.js';

const word32 = fc.integer({ min: 0, max: 0xffff_ffff });
const ppu = fc.constantFrom(PPUOnDLS.top, PPUOnDLS.bottom);
// Mostly short ranges (address lists stay cheap), sometimes up to the whole memory.
const range = fc
  .tuple(ppu, fc.integer({ min: 0, max: 4095 }), fc.oneof({ arbitrary: fc.integer({ min: 1, max: 64 }), weight: 19 }, { arbitrary: fc.integer({ min: 1, max: 4096 }), weight: 1 }))
  .map(([p, first, length]) => new PPUMemoryBlockOnDLS(p, new PPUMemoryWordOnPPU(first), Math.min(length, 4096 - first)));

describe('PPUMemoryBlockOnDLS (lola-side range coordinate)', () => {
  it('encodes (ppu, first, length) and back', () => {
    fc.assert(
      fc.property(range, (coord) => {
        const again = new PPUMemoryBlockOnDLS(coord.value);
        return (
          again.equals(coord) &&
          coord.value === (coord.toPPUOnDLS().value * 4096 + coord.first.value) * 4096 + coord.length - 1 &&
          PPUMemoryBlockOnDLS.parse(coord.toString()).equals(coord)
        );
      }),
      { numRuns: 1000, seed: 1001 },
    );
    const whole = PPUMemoryBlockOnDLS.whole(PPUOnDLS.bottom);
    expect([whole.toPPUOnDLS().value, whole.first.value, whole.length]).toEqual([1, 0, 4096]);
  });

  it('rejects ranges running past the memory, empty ranges and wrong parts', () => {
    const p = PPUOnDLS.top;
    expect(() => new PPUMemoryBlockOnDLS(p, new PPUMemoryWordOnPPU(4095), 2)).toThrow(CoordinateRangeError);
    expect(() => new PPUMemoryBlockOnDLS(p, new PPUMemoryWordOnPPU(0), 0)).toThrow(CoordinateRangeError);
    expect(() => new PPUMemoryBlockOnDLS(p, new PPUMemoryWordOnPPU(0), 1.5)).toThrow(CoordinateRangeError);
    expect(() => new PPUMemoryBlockOnDLS((4095 * 4096) + 1)).toThrow(CoordinateRangeError);
    expect(() => new PPUMemoryBlockOnDLS(PPUMemoryBlockOnDLS.max + 1)).toThrow(CoordinateRangeError);
    expect(() => new PPUMemoryBlockOnDLS(p, 3 as never, 1)).toThrow(CoordinateTypeError);
  });

  it('lists its words in order; all() yields only existing ranges, in enum order', () => {
    const coord = new PPUMemoryBlockOnDLS(PPUOnDLS.bottom, PPUMemoryWordOnPPU.returnCode, 3);
    expect(coord.toPPUMemoryWordOnDLS().map((w) => w.value)).toEqual([4096 + 3071, 4096 + 3072, 4096 + 3073]);
    let count = 0;
    let previous = -1;
    for (const c of PPUMemoryBlockOnDLS.all()) {
      if (c.value <= previous || c.firstIndex + c.length > 4096) throw new Error(`bad range ${c.toString()}`);
      previous = c.value;
      if (++count === 5000) break;
    }
    expect(count).toBe(5000);
  });
});

describe('PPUMemoryBlock', () => {
  it('implements the composite contract', () => {
    expect(PPUMemoryBlock.typeName).toBe('PPUMemoryBlock');
    expect(PPUMemoryBlock.coordinateType).toBe(PPUMemoryBlockOnDLS);
    expect(PPUMemoryBlock.wordCount).toBe(4096);
    expect([PPUMemoryBlock.readable, PPUMemoryBlock.writable]).toEqual([true, true]);
    expect(containerTypes().get('PPUMemoryBlock')).toBe(PPUMemoryBlock);
    expect(PPUMemoryBlock.defaults().size).toBe(4096);
    expect(PPUMemoryBlock.defaults().words()).toEqual(new Uint32Array(4096));
  });

  it('addresses(coord) are the PPUMemoryWord addresses of the range, coord.length of them', () => {
    fc.assert(
      fc.property(range, (coord) => {
        const addresses = PPUMemoryBlock.addresses(coord);
        const leaves = coord.toPPUMemoryWordOnDLS().map((w) => PPUMemoryWord.addresses(w)[0]);
        return addresses.length === PPUMemoryBlock.wordCountOf(coord) && addresses.length === coord.length && addresses.every((a, i) => a === leaves[i]);
      }),
      { numRuns: 200, seed: 1002 },
    );
  });

  it('round-trips through words, JSON and msgpack', () => {
    fc.assert(
      fc.property(fc.array(word32, { minLength: 1, maxLength: 64 }), (values) => {
        const block = new PPUMemoryBlock(values);
        const json = JSON.stringify(block);
        return (
          PPUMemoryBlock.decode(block.encode()).equals(block) &&
          JSON.stringify(containerFromJSON(JSON.parse(json))) === json &&
          JSON.stringify(containerFromMsgpack(containerToMsgpack(block))) === json &&
          block.size === values.length
        );
      }),
      { numRuns: 1000, seed: 1003 },
    );
  });

  it('validates sizes, words and indices', () => {
    for (const bad of [0, 4097, 1.5]) expect(() => new PPUMemoryBlock(bad)).toThrow(FieldRangeError);
    expect(() => new PPUMemoryBlock([])).toThrow(FieldRangeError);
    expect(() => new PPUMemoryBlock([1, 2 ** 32])).toThrow(/PPUMemoryBlock.words\[1\]/);
    expect(() => new PPUMemoryBlock([-1])).toThrow(FieldRangeError);
    const block = new PPUMemoryBlock(4);
    expect(() => block.setWord(4, 1)).toThrow(FieldRangeError);
    expect(() => block.setWord(0, 0.5)).toThrow(FieldRangeError);
    expect(() => block.word(-1)).toThrow(FieldRangeError);
    expect(() => block.subblock(2, 3)).toThrow(FieldRangeError);
    expect(() => PPUMemoryBlock.decode(new Uint32Array(0))).toThrow(ContainerDecodeError);
    expect(() => PPUMemoryBlock.fromJSON({ type: 'PPUMemoryBlock', words: [1], size: 1 })).toThrow(UnknownFieldError);
    expect(() => PPUMemoryBlock.fromJSON({ type: 'PPUMemoryBlock', words: 'abc' })).toThrow(FieldRangeError);
  });

  it('reads, writes and slices words', () => {
    const block = new PPUMemoryBlock([1, 2, 3, 4]);
    block.setWord(2, 0xffff_ffff);
    expect(block.word(2)).toBe(0xffff_ffff);
    expect(block.subblock(1, 2).words()).toEqual(new Uint32Array([2, 0xffff_ffff]));
    const copy = block.words();
    copy[0] = 9;
    expect(block.word(0)).toBe(1);
    expect(String(block)).toBe('PPUMemoryBlock(4 words)');
  });
});

describe('PPUMemory', () => {
  it('implements the composite contract', () => {
    expect(PPUMemory.typeName).toBe('PPUMemory');
    expect(PPUMemory.coordinateType).toBe(PPUMemoryOnDLS);
    expect(PPUMemory.wordCount).toBe(4096);
    expect([PPUMemory.readable, PPUMemory.writable]).toEqual([true, true]);
    expect(containerTypes().get('PPUMemory')).toBe(PPUMemory);
    expect(PPUMemory.defaults().words()).toEqual(new Uint32Array(4096));
  });

  it('addresses(coord) are the 4096 PPUMemoryWord addresses of that PPU, in word order', () => {
    for (const coord of PPUMemoryOnDLS.all()) {
      const addresses = PPUMemory.addresses(coord);
      expect(addresses).toHaveLength(PPUMemory.wordCount);
      const p = new PPUOnDLS(coord.value);
      for (const i of [0, 1, 3071, 4095]) {
        expect(addresses[i]).toBe(PPUMemoryWord.addresses(new PPUMemoryWordOnDLS(new PPUMemoryWordOnPPU(i), p))[0]);
      }
      expect(new Set(addresses).size).toBe(4096);
    }
    expect(PPUMemory.addresses(PPUMemoryOnDLS.top)[0]).not.toBe(PPUMemory.addresses(PPUMemoryOnDLS.bottom)[0]);
  });

  it('round-trips through words, JSON and msgpack', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 4095 }), word32), { maxLength: 32 }), (writes) => {
        const memory = new PPUMemory();
        for (const [index, value] of writes) memory.setWord(index, value);
        const json = JSON.stringify(memory);
        return (
          PPUMemory.decode(memory.encode()).equals(memory) &&
          JSON.stringify(containerFromJSON(JSON.parse(json))) === json &&
          JSON.stringify(containerFromMsgpack(containerToMsgpack(memory))) === json
        );
      }),
      { numRuns: 100, seed: 1004 },
    );
  });

  it('exposes the return code (word 3071) and the mailbox (words 3072..4095)', () => {
    const memory = new PPUMemory();
    memory.returnCode = 0xdead_beef;
    expect(memory.word(3071)).toBe(0xdead_beef);
    expect(memory.word(PPUMemoryWordOnPPU.returnCode)).toBe(0xdead_beef);
    memory.setMailbox([1, 2, 3]);
    expect(memory.word(3072)).toBe(1);
    expect(memory.word(3074)).toBe(3);
    const mailbox = memory.mailbox();
    expect(mailbox).toHaveLength(1024);
    expect([...mailbox.subarray(0, 4)]).toEqual([1, 2, 3, 0]);
    memory.setMailbox(new Array<number>(1024).fill(7));
    expect(memory.word(4095)).toBe(7);
    expect(memory.returnCode).toBe(0xdead_beef);
    expect(() => memory.setMailbox(new Array<number>(1025).fill(0))).toThrow(FieldRangeError);
    expect(() => memory.setMailbox([2 ** 32])).toThrow(FieldRangeError);
    expect(() => {
      memory.returnCode = -1;
    }).toThrow(FieldRangeError);
  });

  it('reads and writes blocks', () => {
    const memory = new PPUMemory();
    memory.setBlock(new PPUMemoryWordOnPPU(10), new PPUMemoryBlock([5, 6, 7]));
    const block = memory.block(new PPUMemoryBlockOnDLS(PPUOnDLS.top, new PPUMemoryWordOnPPU(9), 5));
    expect([...block.words()]).toEqual([0, 5, 6, 7, 0]);
    expect(() => memory.setBlock(4094, new PPUMemoryBlock(3))).toThrow(FieldRangeError);
    expect(() => memory.word(4096)).toThrow(FieldRangeError);
  });

  it('validates its word count on construction, decode and JSON', () => {
    expect(() => new PPUMemory(new Array<number>(4095).fill(0))).toThrow(FieldRangeError);
    expect(() => PPUMemory.decode(new Uint32Array(4095))).toThrow(ContainerDecodeError);
    expect(() => PPUMemory.fromJSON({ type: 'PPUMemory', words: [1, 2] })).toThrow(FieldRangeError);
  });
});
