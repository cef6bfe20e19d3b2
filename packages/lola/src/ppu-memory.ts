import { PPUMemoryOnDLS, PPUMemoryWordOnDLS, PPUMemoryWordOnPPU, omnibusAddresses } from '@bss2/halco';
import { Container, expectJSONType, expectWordCount, registerContainer, rejectUnknownKeys } from './container.js';
import { ContainerDecodeError, FieldRangeError } from './errors.js';
import { PPUMemoryBlockOnDLS } from './memory-range.js';

const wordsPerPPU = PPUMemoryWordOnPPU.size;
const returnCodeWord = PPUMemoryWordOnPPU.returnCode.value;
const mailboxBegin = PPUMemoryWordOnPPU.mailboxBegin.value;
/** Words 3072..4095 (hardware.md §7). */
const mailboxWords = wordsPerPPU - mailboxBegin;

/** Checks a 32-bit memory word value. */
function checkWordValue(where: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new FieldRangeError(where, value, 'an integer in 0..4294967295');
  }
  return value;
}

/** Copies validated words into a new Uint32Array. */
function wordsFrom(where: string, values: ArrayLike<unknown>): Uint32Array {
  const words = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i++) words[i] = checkWordValue(`${where}[${i}]`, values[i]);
  return words;
}

/** The JSON `words` array of a memory container, validated against `length` (`undefined`: any 1..4096). */
function wordsFromJSON(typeName: string, json: unknown, length?: number): Uint32Array {
  const record = expectJSONType(json, typeName);
  rejectUnknownKeys(typeName, record, ['words']);
  const words = record.words;
  if (!Array.isArray(words) || words.length < 1 || words.length > wordsPerPPU || (length !== undefined && words.length !== length)) {
    throw new FieldRangeError(`${typeName}.words`, words, `an array of ${length ?? `1..${wordsPerPPU}`} words`);
  }
  return wordsFrom(`${typeName}.words`, words);
}

/** Index of a word given as a coordinate or an integer in `0..count − 1`. */
function wordIndex(where: string, word: PPUMemoryWordOnPPU | number, count: number): number {
  const index = word instanceof PPUMemoryWordOnPPU ? word.value : word;
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new FieldRangeError(where, word, `a word index in 0..${count - 1}`);
  return index;
}

/**
 * A contiguous range of words of one PPU's memory (hardware.md §3.10), written at a PPUMemoryBlockOnDLS of the
 * same length. Its word count is that of its coordinate (`wordCountOf(coord)`); the static `wordCount` is the
 * largest block, a whole memory. The reset state (`defaults()`) is a whole memory of zeros, as upstream.
 */
export class PPUMemoryBlock extends Container {
  static readonly typeName = 'PPUMemoryBlock';
  static readonly coordinateType = PPUMemoryBlockOnDLS;
  static readonly wordCount = wordsPerPPU;
  static readonly readable = true;
  static readonly writable = true;

  readonly #words: Uint32Array;

  /** A block holding `words` (1..4096 values of 32 bit), or `size` zero words. */
  constructor(wordsOrSize: ArrayLike<number> | number = wordsPerPPU) {
    super();
    if (typeof wordsOrSize === 'number') {
      if (!Number.isInteger(wordsOrSize) || wordsOrSize < 1 || wordsOrSize > wordsPerPPU) {
        throw new FieldRangeError('PPUMemoryBlock.size', wordsOrSize, `an integer in 1..${wordsPerPPU}`);
      }
      this.#words = new Uint32Array(wordsOrSize);
    } else {
      if (wordsOrSize.length < 1 || wordsOrSize.length > wordsPerPPU) {
        throw new FieldRangeError('PPUMemoryBlock.size', wordsOrSize.length, `an integer in 1..${wordsPerPPU}`);
      }
      this.#words = wordsFrom('PPUMemoryBlock.words', wordsOrSize);
    }
  }

  /** Number of words of a block written at `coord`. */
  static wordCountOf(coord: PPUMemoryBlockOnDLS): number {
    return coord.length;
  }

  /** The PPUMemoryWord addresses of the range, in order. */
  static addresses(coord: PPUMemoryBlockOnDLS): readonly number[] {
    return coord.toPPUMemoryWordOnDLS().flatMap((word) => omnibusAddresses.PPUMemoryWord(word));
  }

  static decode(words: Uint32Array): PPUMemoryBlock {
    if (!(words instanceof Uint32Array) || words.length < 1 || words.length > wordsPerPPU) {
      throw new ContainerDecodeError('PPUMemoryBlock', `expected a Uint32Array of 1..${wordsPerPPU} words`);
    }
    return new PPUMemoryBlock(words);
  }

  static fromJSON(json: unknown): PPUMemoryBlock {
    return new PPUMemoryBlock(wordsFromJSON('PPUMemoryBlock', json));
  }

  static defaults(): PPUMemoryBlock {
    return new PPUMemoryBlock();
  }

  /** Number of words. */
  get size(): number {
    return this.#words.length;
  }

  word(index: number): number {
    return this.#words[wordIndex('PPUMemoryBlock.word', index, this.#words.length)]!;
  }

  setWord(index: number, value: number): void {
    this.#words[wordIndex('PPUMemoryBlock.word', index, this.#words.length)] = checkWordValue(`PPUMemoryBlock.words[${index}]`, value);
  }

  /** A copy of the words. */
  words(): Uint32Array {
    return this.#words.slice();
  }

  /** The `length` words from `begin`, as a new block. */
  subblock(begin: number, length: number): PPUMemoryBlock {
    const first = wordIndex('PPUMemoryBlock.subblock(begin)', begin, this.#words.length);
    if (!Number.isInteger(length) || length < 1 || first + length > this.#words.length) {
      throw new FieldRangeError('PPUMemoryBlock.subblock(length)', length, `an integer in 1..${this.#words.length - first}`);
    }
    return new PPUMemoryBlock(this.#words.subarray(first, first + length));
  }

  encode(): Uint32Array {
    return this.#words.slice();
  }

  toJSON(): { type: string; words: number[] } {
    return { type: 'PPUMemoryBlock', words: Array.from(this.#words) };
  }

  override toString(): string {
    return `PPUMemoryBlock(${this.#words.length} words)`;
  }
}
registerContainer(PPUMemoryBlock);

/**
 * The whole 16 KiB memory of one PPU (hardware.md §3.10, §7): a program image with its data, stack and, by
 * convention, the return code in word 3071 and a mailbox in words 3072..4095. Kept in one Uint32Array.
 */
export class PPUMemory extends Container {
  static readonly typeName = 'PPUMemory';
  static readonly coordinateType = PPUMemoryOnDLS;
  static readonly wordCount = wordsPerPPU;
  static readonly readable = true;
  static readonly writable = true;

  readonly #words: Uint32Array;

  /** A memory holding `words` (exactly 4096 values of 32 bit), or all zeros (the reset state). */
  constructor(words?: ArrayLike<number>) {
    super();
    if (words === undefined) {
      this.#words = new Uint32Array(wordsPerPPU);
    } else {
      if (words.length !== wordsPerPPU) throw new FieldRangeError('PPUMemory.words', words.length, `exactly ${wordsPerPPU} words`);
      this.#words = wordsFrom('PPUMemory.words', words);
    }
  }

  /** The PPUMemoryWord addresses of words 0..4095 of that PPU. */
  static addresses(coord: PPUMemoryOnDLS): readonly number[] {
    const ppu = coord.toPPUOnDLS();
    const addresses: number[] = [];
    for (let i = 0; i < wordsPerPPU; i++) {
      addresses.push(...omnibusAddresses.PPUMemoryWord(new PPUMemoryWordOnDLS(new PPUMemoryWordOnPPU(i), ppu)));
    }
    return addresses;
  }

  static decode(words: Uint32Array): PPUMemory {
    expectWordCount('PPUMemory', words, wordsPerPPU);
    return new PPUMemory(words);
  }

  static fromJSON(json: unknown): PPUMemory {
    return new PPUMemory(wordsFromJSON('PPUMemory', json, wordsPerPPU));
  }

  static defaults(): PPUMemory {
    return new PPUMemory();
  }

  word(word: PPUMemoryWordOnPPU | number): number {
    return this.#words[wordIndex('PPUMemory.word', word, wordsPerPPU)]!;
  }

  setWord(word: PPUMemoryWordOnPPU | number, value: number): void {
    const index = wordIndex('PPUMemory.word', word, wordsPerPPU);
    this.#words[index] = checkWordValue(`PPUMemory.words[${index}]`, value);
  }

  /** The words of `block`'s range (its PPU is not checked: a PPUMemory is the same on either PPU). */
  block(block: PPUMemoryBlockOnDLS): PPUMemoryBlock {
    return new PPUMemoryBlock(this.#words.subarray(block.firstIndex, block.firstIndex + block.length));
  }

  /** Writes `content` from word `first` on. */
  setBlock(first: PPUMemoryWordOnPPU | number, content: PPUMemoryBlock): void {
    const begin = wordIndex('PPUMemory.setBlock(first)', first, wordsPerPPU);
    if (begin + content.size > wordsPerPPU) {
      throw new FieldRangeError('PPUMemory.setBlock(content.size)', content.size, `at most ${wordsPerPPU - begin} words from word ${begin}`);
    }
    this.#words.set(content.encode(), begin);
  }

  /** By convention (hardware.md §7) the program's return code, word 3071. */
  get returnCode(): number {
    return this.#words[returnCodeWord]!;
  }

  set returnCode(value: number) {
    this.#words[returnCodeWord] = checkWordValue('PPUMemory.returnCode', value);
  }

  /** A copy of the mailbox, words 3072..4095 (hardware.md §7). */
  mailbox(): Uint32Array {
    return this.#words.slice(mailboxBegin);
  }

  /** Writes `words` (at most 1024) into the mailbox from its first word on; later mailbox words are kept. */
  setMailbox(words: ArrayLike<number>): void {
    if (words.length > mailboxWords) throw new FieldRangeError('PPUMemory.mailbox', words.length, `at most ${mailboxWords} words`);
    this.#words.set(wordsFrom('PPUMemory.mailbox', words), mailboxBegin);
  }

  /** A copy of all 4096 words. */
  words(): Uint32Array {
    return this.#words.slice();
  }

  encode(): Uint32Array {
    return this.#words.slice();
  }

  toJSON(): { type: string; words: number[] } {
    return { type: 'PPUMemory', words: Array.from(this.#words) };
  }

  override toString(): string {
    return `PPUMemory(returnCode ${this.returnCode})`;
  }
}
registerContainer(PPUMemory);
