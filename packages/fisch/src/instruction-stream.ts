import { rejectValue } from './bit-field.js';
import { ALL_BYTE_ENABLES, InstructionOpcode as Op, JTAG_DATA_MIN_BITS, MAX_PROGRAM_INSTRUCTIONS } from './constants.js';
import { DecodeError, FieldRangeError, ProgramSizeError } from './errors.js';
import { HEADER_BITS, WORD_BYTES } from './framing.js';
import {
  HAS_NARROW_FIELDS,
  INSTRUCTION_LAYOUTS,
  RESERVED_HIGH,
  RESERVED_LOW,
  checkInstructionWord,
  decodeInstructionWord,
  encodeInstructionInto,
  instructionField,
  jtagDataLimit,
  type Instruction,
  type InstructionKind,
} from './instruction.js';
import { SPIKE_KINDS, highSlot, labelOffsets, lowSlot, visitWord, type InstructionVisitor } from './instruction-word.js';

// Hot-path constants as module-local numbers: V8 folds them, whereas imported bindings and object
// properties are loaded again on every call (measured ≈ 2× on `fisch.encode`).
const HEADER_SHIFT = 32 - HEADER_BITS;
const OPCODES = INSTRUCTION_LAYOUTS.length;
const OPCODE_RESERVED_HIGH = RESERVED_HIGH;
const OPCODE_RESERVED_LOW = RESERVED_LOW;
const OPCODE_NARROW = HAS_NARROW_FIELDS;
const JTAG_INIT = Op.JtagInit << HEADER_SHIFT;
const JTAG_SCALER = Op.JtagScaler << HEADER_SHIFT;
const JTAG_INS = Op.JtagIns << HEADER_SHIFT;
const JTAG_DATA = Op.JtagData << HEADER_SHIFT;
const TIMING_SETUP = Op.TimingSetup << HEADER_SHIFT;
const WAIT_UNTIL = Op.WaitUntil << HEADER_SHIFT;
const SYSTIME_INIT = Op.SystimeInit << HEADER_SHIFT;
const BARRIER = Op.Barrier << HEADER_SHIFT;
const POLLING = Op.PollingOmnibusBlock << HEADER_SHIFT;
const RESET = Op.Reset << HEADER_SHIFT;
const LOOPBACK = Op.Loopback << HEADER_SHIFT;
const OMNIBUS_ADDRESS = Op.OmnibusAddress << HEADER_SHIFT;
const OMNIBUS_DATA = Op.OmnibusData << HEADER_SHIFT;
const SPIKE_PACK1 = Op.SpikePack1 << HEADER_SHIFT;
const SPIKE_PACK2 = Op.SpikePack2 << HEADER_SHIFT;
const SPIKE_PACK3 = Op.SpikePack3 << HEADER_SHIFT;
const { shift: SCALER_SHIFT, max: SCALER_MAX } = lowSlot('JtagScaler', 'value');
const { shift: INS_SHIFT, max: INS_MAX } = lowSlot('JtagIns', 'value');
const JTAG_DATA_FIELD = instructionField('JtagData', 'data');
const { shift: NUM_BITS_SHIFT, max: NUM_BITS_MAX } = highSlot('JtagData', 'numBits');
const { shift: KEEP_SHIFT } = highSlot('JtagData', 'keepResponse');
const { shift: WAIT_SHIFT } = lowSlot('WaitUntil', 'value');
const { shift: SYSTIME_SHIFT } = lowSlot('SystimeInit', 'value');
const { shift: BARRIER_SHIFT, max: BARRIER_MAX } = lowSlot('Barrier', 'mask');
const { shift: POLLING_SHIFT } = lowSlot('PollingOmnibusBlock', 'value');
const { shift: RESET_SHIFT } = lowSlot('Reset', 'value');
const { shift: LOOPBACK_SHIFT, max: LOOPBACK_MAX } = lowSlot('Loopback', 'value');
const { shift: ADDRESS_SHIFT } = lowSlot('OmnibusAddress', 'address');
const { shift: ENABLES_SHIFT, max: ENABLES_MAX } = highSlot('OmnibusAddress', 'byteEnables');
const { shift: IS_READ_SHIFT } = highSlot('OmnibusAddress', 'isRead');
const { shift: DATA_SHIFT } = lowSlot('OmnibusData', 'value');
const { shift: SP1_0, max: LABEL_MAX } = lowSlot('SpikePack1', 'labels[0]');
const { shift: SP2_0 } = lowSlot('SpikePack2', 'labels[0]');
const { shift: SP2_1 } = lowSlot('SpikePack2', 'labels[1]');
const { shift: SP3_0 } = highSlot('SpikePack3', 'labels[0]');
const { shift: SP3_1 } = lowSlot('SpikePack3', 'labels[1]');
const { shift: SP3_2 } = lowSlot('SpikePack3', 'labels[2]');
const LABEL_OFFSETS = labelOffsets();

/** Cold path of every range check: the typed error naming field, value and range. */
function fail(kind: InstructionKind, name: string, value: unknown, note?: string): never {
  rejectValue(kind, instructionField(kind, name), value, note);
}

function bit(kind: InstructionKind, name: string, value: boolean): number {
  if (value === true) return 1;
  if (value === false) return 0;
  fail(kind, name, value);
}

/**
 * A program as 64-bit words in one growable `Uint32Array` (high half, low half per word): typed appenders
 * that validate every field and allocate nothing, random access, and encoding to big-endian bytes
 * (hardware.md §5.2, §6.1). Holds at most `MAX_PROGRAM_INSTRUCTIONS` words (hardware.md §5.4).
 */
export class InstructionStream implements InstructionVisitor, Iterable<Instruction> {
  private data: Uint32Array;
  private count = 0;
  private readonly scratchLabels = new Uint16Array(3);

  constructor(initialCapacity = 1024) {
    this.data = new Uint32Array(2 * Math.min(MAX_PROGRAM_INSTRUCTIONS, Math.max(1, Math.ceil(initialCapacity) || 1)));
  }

  /** Decodes and validates a byte stream of 64-bit big-endian words; throws `DecodeError`. */
  static fromBytes(bytes: Uint8Array): InstructionStream {
    return new InstructionStream(bytes.length / WORD_BYTES).appendBytes(bytes);
  }

  /** A stream of the given instructions in object form; throws `FieldRangeError`. */
  static from(instructions: Iterable<Instruction>): InstructionStream {
    const stream = new InstructionStream();
    for (const instruction of instructions) stream.append(instruction);
    return stream;
  }

  /** Number of instructions. */
  get length(): number {
    return this.count;
  }

  /** Size of the encoded stream. */
  get byteLength(): number {
    return this.count * WORD_BYTES;
  }

  /** The words as `[high0, low0, high1, low1, …]`: a view of the current buffer, which appends may replace. */
  get words(): Uint32Array {
    return this.data.subarray(0, 2 * this.count);
  }

  private grow(needed: number): void {
    if (needed > MAX_PROGRAM_INSTRUCTIONS) throw new ProgramSizeError(needed, MAX_PROGRAM_INSTRUCTIONS);
    const capacity = Math.min(MAX_PROGRAM_INSTRUCTIONS, Math.max(needed, this.data.length));
    const next = new Uint32Array(2 * capacity);
    next.set(this.data.subarray(0, 2 * this.count));
    this.data = next;
  }

  private push(high: number, low: number): this {
    const n = this.count;
    if (2 * n >= this.data.length) this.grow(n + 1);
    this.data[2 * n] = high;
    this.data[2 * n + 1] = low;
    this.count = n + 1;
    return this;
  }

  jtagInit(): this {
    return this.push(JTAG_INIT, 0);
  }

  jtagScaler(value: number): this {
    if (!((value >>> 0) === value && value <= SCALER_MAX)) fail('JtagScaler', 'value', value);
    return this.push(JTAG_SCALER, value << SCALER_SHIFT);
  }

  /** Selects a JTAG instruction register (`JtagRegister`). */
  jtagIns(register: number): this {
    if (!((register >>> 0) === register && register <= INS_MAX)) fail('JtagIns', 'value', register);
    return this.push(JTAG_INS, register << INS_SHIFT);
  }

  /** Shifts the low `numBits` (3..33) bits of `data` into the selected register. */
  jtagData(data: number, numBits: number, keepResponse = false): this {
    if (!((numBits >>> 0) === numBits && numBits >= JTAG_DATA_MIN_BITS && numBits <= NUM_BITS_MAX)) {
      fail('JtagData', 'numBits', numBits);
    }
    if (!(Number.isInteger(data) && data >= 0 && data <= jtagDataLimit(numBits))) {
      rejectValue('JtagData', { ...JTAG_DATA_FIELD, max: jtagDataLimit(numBits) }, data, `numBits = ${numBits}`);
    }
    const keep = bit('JtagData', 'keepResponse', keepResponse);
    const high =
      JTAG_DATA | (keep << KEEP_SHIFT) | (numBits << NUM_BITS_SHIFT) | Math.floor(data / 2 ** 32);
    return this.push(high, data >>> 0);
  }

  /** Resets the timer to 0 (timing Setup). */
  timingSetup(): this {
    return this.push(TIMING_SETUP, 0);
  }

  /** Stalls until the timer reaches `cycles` (FPGA cycles, 32 bit). */
  waitUntil(cycles: number): this {
    if ((cycles >>> 0) !== cycles) fail('WaitUntil', 'value', cycles);
    return this.push(WAIT_UNTIL, cycles << WAIT_SHIFT);
  }

  systimeInit(value = true): this {
    return this.push(SYSTIME_INIT, bit('SystimeInit', 'value', value) << SYSTIME_SHIFT);
  }

  /** Stalls until the traffic selected by `mask` (`BarrierMask` bits) has drained. */
  barrier(mask: number): this {
    if (!((mask >>> 0) === mask && mask <= BARRIER_MAX)) fail('Barrier', 'mask', mask);
    return this.push(BARRIER, mask << BARRIER_SHIFT);
  }

  pollingOmnibusBlock(value = true): this {
    return this.push(POLLING, bit('PollingOmnibusBlock', 'value', value) << POLLING_SHIFT);
  }

  /** Drives the chip reset line; `true` enables the reset. */
  reset(value: boolean): this {
    return this.push(RESET, bit('Reset', 'value', value) << RESET_SHIFT);
  }

  /** `Loopback.halt` (0) or `Loopback.tick` (1); echoed back by the FPGA. */
  loopback(value: number): this {
    if (!((value >>> 0) === value && value <= LOOPBACK_MAX)) fail('Loopback', 'value', value);
    return this.push(LOOPBACK, value << LOOPBACK_SHIFT);
  }

  omnibusAddress(address: number, byteEnables: number, isRead: boolean): this {
    if ((address >>> 0) !== address) fail('OmnibusAddress', 'address', address);
    if (!((byteEnables >>> 0) === byteEnables && byteEnables <= ENABLES_MAX)) {
      fail('OmnibusAddress', 'byteEnables', byteEnables);
    }
    const read = bit('OmnibusAddress', 'isRead', isRead);
    const high = OMNIBUS_ADDRESS | (byteEnables << ENABLES_SHIFT) | (read << IS_READ_SHIFT);
    return this.push(high, address << ADDRESS_SHIFT);
  }

  omnibusData(value: number): this {
    if ((value >>> 0) !== value) fail('OmnibusData', 'value', value);
    return this.push(OMNIBUS_DATA, value << DATA_SHIFT);
  }

  /** An omnibus write: Address (is_read 0) followed by Data (hardware.md §5.2). */
  omnibusWrite(address: number, data: number, byteEnables = ALL_BYTE_ENABLES): this {
    if ((data >>> 0) !== data) fail('OmnibusData', 'value', data);
    return this.omnibusAddress(address, byteEnables, false).omnibusData(data);
  }

  /** An omnibus read: Address with is_read set; the FPGA answers with one OmnibusData response. */
  omnibusRead(address: number, byteEnables = ALL_BYTE_ENABLES): this {
    return this.omnibusAddress(address, byteEnables, true);
  }

  /** Injects the first `count` (1..3) labels as one SpikePack1/2/3 at the current program time. */
  spikePack(labels: ArrayLike<number>, count = labels.length): this {
    if (!(count === 1 || count === 2 || count === 3)) throw new FieldRangeError('SpikePack.labels.length', count, 1, 3);
    const offsets = LABEL_OFFSETS[count - 1]!;
    let high = (Op.SpikePack1 + count - 1) << HEADER_SHIFT;
    let low = 0;
    for (let i = 0; i < count; i++) {
      const label = labels[i]!;
      if (!((label >>> 0) === label && label <= LABEL_MAX)) fail(SPIKE_KINDS[count - 1]!, `labels[${i}]`, label);
      const offset = offsets[i]!;
      if (offset >= 32) high |= label << (offset - 32);
      else low |= label << offset;
    }
    return this.push(high, low);
  }

  spikePack1(label: number): this {
    if (!((label >>> 0) === label && label <= LABEL_MAX)) fail('SpikePack1', 'labels[0]', label);
    return this.push(SPIKE_PACK1, label << SP1_0);
  }

  spikePack2(label0: number, label1: number): this {
    if (!((label0 >>> 0) === label0 && label0 <= LABEL_MAX)) fail('SpikePack2', 'labels[0]', label0);
    if (!((label1 >>> 0) === label1 && label1 <= LABEL_MAX)) fail('SpikePack2', 'labels[1]', label1);
    return this.push(SPIKE_PACK2, (label0 << SP2_0) | (label1 << SP2_1));
  }

  spikePack3(label0: number, label1: number, label2: number): this {
    if (!((label0 >>> 0) === label0 && label0 <= LABEL_MAX)) fail('SpikePack3', 'labels[0]', label0);
    if (!((label1 >>> 0) === label1 && label1 <= LABEL_MAX)) fail('SpikePack3', 'labels[1]', label1);
    if (!((label2 >>> 0) === label2 && label2 <= LABEL_MAX)) fail('SpikePack3', 'labels[2]', label2);
    return this.push(SPIKE_PACK3 | (label0 << SP3_0), (label1 << SP3_1) | (label2 << SP3_2));
  }

  /** Appends an instruction in object form; throws `FieldRangeError` or `UnknownKindError`. */
  append(instruction: Instruction): this {
    if (2 * this.count >= this.data.length) this.grow(this.count + 1);
    encodeInstructionInto(instruction, this.data, 2 * this.count);
    this.count++;
    return this;
  }

  /** Appends a copy of another stream. */
  appendStream(other: InstructionStream): this {
    const n = this.count + other.count;
    if (2 * n > this.data.length) this.grow(n);
    this.data.set(other.words, 2 * this.count);
    this.count = n;
    return this;
  }

  /**
   * Decodes and appends 64-bit big-endian words. All or nothing: on a `DecodeError` the stream keeps its
   * previous contents. Error offsets count from the start of this stream, so chunks can be fed in order.
   */
  appendBytes(bytes: Uint8Array): this {
    const start = this.byteLength;
    const whole = bytes.length - (bytes.length % WORD_BYTES);
    if (whole !== bytes.length) {
      throw new DecodeError(start + whole, 'whole 64-bit words (8 bytes each)', `${bytes.length % WORD_BYTES} trailing bytes`);
    }
    const n = whole / WORD_BYTES;
    if (this.count + n > MAX_PROGRAM_INSTRUCTIONS) {
      throw new DecodeError(
        (MAX_PROGRAM_INSTRUCTIONS - this.count) * WORD_BYTES + start,
        `at most ${MAX_PROGRAM_INSTRUCTIONS} instructions per program (hardware.md §5.4)`,
        `${this.count + n} instructions`,
      );
    }
    if (2 * (this.count + n) > this.data.length) this.grow(this.count + n);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const data = this.data;
    let at = 2 * this.count;
    for (let offset = 0; offset < whole; offset += WORD_BYTES) {
      const high = view.getUint32(offset, false);
      const low = view.getUint32(offset + 4, false);
      const opcode = high >>> HEADER_SHIFT;
      // Fast accept of the common case; anything unusual takes the full check, which throws or passes.
      if (opcode >= OPCODES || (high & OPCODE_RESERVED_HIGH[opcode]!) !== 0 || (low & OPCODE_RESERVED_LOW[opcode]!) !== 0 || OPCODE_NARROW[opcode] === 1) {
        checkInstructionWord(high, low, start + offset);
      }
      data[at++] = high;
      data[at++] = low;
    }
    this.count += n;
    return this;
  }

  private checkIndex(index: number): void {
    if (!(Number.isInteger(index) && index >= 0 && index < this.count)) {
      throw new RangeError(`instruction index ${index} is out of range 0..${this.count - 1}`);
    }
  }

  /** Opcode of instruction `index` (`InstructionOpcode`). */
  opcodeAt(index: number): number {
    this.checkIndex(index);
    return this.data[2 * index]! >>> HEADER_SHIFT;
  }

  /** Instruction `index` in object form. */
  at(index: number): Instruction {
    this.checkIndex(index);
    return decodeInstructionWord(this.data[2 * index]!, this.data[2 * index + 1]!, index * WORD_BYTES);
  }

  *[Symbol.iterator](): IterableIterator<Instruction> {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }

  toArray(): Instruction[] {
    return [...this];
  }

  /** Calls the visitor method of instruction `index`, with its fields as plain numbers and booleans. */
  visitAt(index: number, visitor: InstructionVisitor): void {
    this.checkIndex(index);
    visitWord(this.data[2 * index]!, this.data[2 * index + 1]!, visitor, this.scratchLabels);
  }

  /** Visits instructions `start..end-1` in order. */
  visit(visitor: InstructionVisitor, start = 0, end = this.count): void {
    for (let i = start; i < end; i++) this.visitAt(i, visitor);
  }

  /** The program as bytes to the FPGA: 64-bit big-endian words (hardware.md §6.1). */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.count * WORD_BYTES);
    const view = new DataView(out.buffer);
    const data = this.data;
    const n = 2 * this.count;
    for (let i = 0; i < n; i++) view.setUint32(4 * i, data[i]!, false);
    return out;
  }

  /** Empties the stream, keeping its memory. */
  clear(): void {
    this.count = 0;
  }
}

/** Encodes instructions in object form to bytes to the FPGA. */
export function encodeInstructions(instructions: Iterable<Instruction>): Uint8Array {
  return InstructionStream.from(instructions).toBytes();
}

/** Decodes a byte stream to instructions in object form; throws `DecodeError`. */
export function decodeInstructions(bytes: Uint8Array): Instruction[] {
  return InstructionStream.fromBytes(bytes).toArray();
}
