import { ExternalPPUDRAMMemoryByteOnFPGA, ExternalPPUMemoryByteOnFPGA, omnibusAddresses } from '@bss2/halco';
import { Container, expectJSONType, registerContainer, rejectUnknownKeys } from './container.js';
import { ContainerDecodeError, FieldRangeError } from './errors.js';
import { at, uint } from './field.js';
import { ExternalPPUMemoryBlockOnFPGA } from './memory-range.js';
import { register } from './register.js';

/**
 * One byte of the FPGA's 128 KiB SRAM, reachable from both PPUs (hardware.md §7). Each byte has its own word
 * address (leaf-containers contract); the value sits in bits 7..0, the other bits are ignored on decode.
 */
export class ExternalPPUMemoryByte extends register({
  typeName: 'ExternalPPUMemoryByte',
  coordinateType: ExternalPPUMemoryByteOnFPGA,
  wordCount: 1,
  readable: true,
  writable: true,
  addresses: (c: ExternalPPUMemoryByteOnFPGA) => omnibusAddresses.ExternalPPUMemoryByte(c),
  fields: {
    value: uint(at(0, 0, 8)),
  },
}) {}
registerContainer(ExternalPPUMemoryByte);

/** One byte of the FPGA's 256 MiB DRAM (hardware.md §7), laid out like ExternalPPUMemoryByte. */
export class ExternalPPUDRAMMemoryByte extends register({
  typeName: 'ExternalPPUDRAMMemoryByte',
  coordinateType: ExternalPPUDRAMMemoryByteOnFPGA,
  wordCount: 1,
  readable: true,
  writable: true,
  addresses: (c: ExternalPPUDRAMMemoryByteOnFPGA) => omnibusAddresses.ExternalPPUDRAMMemoryByte(c),
  fields: {
    value: uint(at(0, 0, 8)),
  },
}) {}
registerContainer(ExternalPPUDRAMMemoryByte);

const sramBytes = ExternalPPUMemoryByteOnFPGA.size;

function checkByte(where: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 255) {
    throw new FieldRangeError(where, value, 'an integer in 0..255');
  }
  return value;
}

function bytesFrom(where: string, values: ArrayLike<unknown>): Uint8Array {
  if (values.length < 1 || values.length > sramBytes) {
    throw new FieldRangeError(`${where}.length`, values.length, `an integer in 1..${sramBytes}`);
  }
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) bytes[i] = checkByte(`${where}[${i}]`, values[i]);
  return bytes;
}

/**
 * A contiguous range of FPGA SRAM bytes (composite of ExternalPPUMemoryByte), written at an
 * ExternalPPUMemoryBlockOnFPGA of the same length: one word per byte, the byte in bits 7..0. Its word count
 * is that of its coordinate (`wordCountOf(coord)`); the static `wordCount` is the largest block, the whole
 * 128 KiB. `defaults()` is a single zero byte (upstream's default block is empty, which a range cannot be).
 */
export class ExternalPPUMemoryBlock extends Container {
  static readonly typeName = 'ExternalPPUMemoryBlock';
  static readonly coordinateType = ExternalPPUMemoryBlockOnFPGA;
  static readonly wordCount = sramBytes;
  static readonly readable = true;
  static readonly writable = true;

  readonly #bytes: Uint8Array;

  /** A block holding `bytes` (1..131072 values of 8 bit), or `size` zero bytes. */
  constructor(bytesOrSize: ArrayLike<number> | number = 1) {
    super();
    if (typeof bytesOrSize === 'number') {
      if (!Number.isInteger(bytesOrSize) || bytesOrSize < 1 || bytesOrSize > sramBytes) {
        throw new FieldRangeError('ExternalPPUMemoryBlock.size', bytesOrSize, `an integer in 1..${sramBytes}`);
      }
      this.#bytes = new Uint8Array(bytesOrSize);
    } else {
      this.#bytes = bytesFrom('ExternalPPUMemoryBlock.bytes', bytesOrSize);
    }
  }

  /** Number of words (= bytes) of a block written at `coord`. */
  static wordCountOf(coord: ExternalPPUMemoryBlockOnFPGA): number {
    return coord.length;
  }

  /** The ExternalPPUMemoryByte addresses of the range, in order. */
  static addresses(coord: ExternalPPUMemoryBlockOnFPGA): readonly number[] {
    return coord.toExternalPPUMemoryByteOnFPGA().flatMap((byte) => omnibusAddresses.ExternalPPUMemoryByte(byte));
  }

  /** One word per byte; bits above 7 are ignored, as by ExternalPPUMemoryByte. */
  static decode(words: Uint32Array): ExternalPPUMemoryBlock {
    if (!(words instanceof Uint32Array) || words.length < 1 || words.length > sramBytes) {
      throw new ContainerDecodeError('ExternalPPUMemoryBlock', `expected a Uint32Array of 1..${sramBytes} words`);
    }
    return new ExternalPPUMemoryBlock(Uint8Array.from(words, (w) => w & 0xff));
  }

  static fromJSON(json: unknown): ExternalPPUMemoryBlock {
    const record = expectJSONType(json, 'ExternalPPUMemoryBlock');
    rejectUnknownKeys('ExternalPPUMemoryBlock', record, ['bytes']);
    if (!Array.isArray(record.bytes)) throw new FieldRangeError('ExternalPPUMemoryBlock.bytes', record.bytes, 'an array of bytes');
    return new ExternalPPUMemoryBlock(record.bytes as number[]);
  }

  static defaults(): ExternalPPUMemoryBlock {
    return new ExternalPPUMemoryBlock();
  }

  /** Number of bytes. */
  get size(): number {
    return this.#bytes.length;
  }

  byte(index: number): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.#bytes.length) {
      throw new FieldRangeError('ExternalPPUMemoryBlock.byte', index, `a byte index in 0..${this.#bytes.length - 1}`);
    }
    return this.#bytes[index]!;
  }

  setByte(index: number, value: number): void {
    this.byte(index);
    this.#bytes[index] = checkByte(`ExternalPPUMemoryBlock.bytes[${index}]`, value);
  }

  /** A copy of the bytes. */
  bytes(): Uint8Array {
    return this.#bytes.slice();
  }

  encode(): Uint32Array {
    return Uint32Array.from(this.#bytes);
  }

  toJSON(): { type: string; bytes: number[] } {
    return { type: 'ExternalPPUMemoryBlock', bytes: Array.from(this.#bytes) };
  }

  override toString(): string {
    return `ExternalPPUMemoryBlock(${this.#bytes.length} bytes)`;
  }
}
registerContainer(ExternalPPUMemoryBlock);
