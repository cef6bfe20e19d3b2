import {
  acceptsValue,
  arrayLengths,
  booleanField,
  checkArrayLengths,
  getPath,
  readBits,
  rejectValue,
  reservedMask,
  setPath,
  uintField,
  writeBits,
  type BitField,
} from './bit-field.js';
import { InstructionOpcode, JTAG_DATA_MAX_BITS, JTAG_DATA_MIN_BITS } from './constants.js';
import { DecodeError, UnknownKindError } from './errors.js';
import { COMMA_BIT, HEADER_BITS, OPCODE_MASK, wordHex } from './framing.js';

/** A spike label as injected by the FPGA (16 bit, hardware.md §2.4). */
export type SpikeLabel = number;

/**
 * The decoded object form of one instruction to the FPGA (hardware.md §5.2), for tooling and tests.
 * Programs themselves live in the compact `InstructionStream`.
 */
export type Instruction =
  | { readonly kind: 'JtagInit' }
  | { readonly kind: 'JtagScaler'; readonly value: number }
  | { readonly kind: 'JtagIns'; readonly value: number }
  | { readonly kind: 'JtagData'; readonly keepResponse: boolean; readonly numBits: number; readonly data: number }
  | { readonly kind: 'TimingSetup' }
  | { readonly kind: 'WaitUntil'; readonly value: number }
  | { readonly kind: 'SystimeInit'; readonly value: boolean }
  | { readonly kind: 'Barrier'; readonly mask: number }
  | { readonly kind: 'PollingOmnibusBlock'; readonly value: boolean }
  | { readonly kind: 'Reset'; readonly value: boolean }
  | { readonly kind: 'Loopback'; readonly value: number }
  | { readonly kind: 'OmnibusAddress'; readonly address: number; readonly byteEnables: number; readonly isRead: boolean }
  | { readonly kind: 'OmnibusData'; readonly value: number }
  | { readonly kind: 'SpikePack1'; readonly labels: readonly [SpikeLabel] }
  | { readonly kind: 'SpikePack2'; readonly labels: readonly [SpikeLabel, SpikeLabel] }
  | { readonly kind: 'SpikePack3'; readonly labels: readonly [SpikeLabel, SpikeLabel, SpikeLabel] };

export type InstructionKind = Instruction['kind'];

/** Where each field of an instruction sits in its 64-bit word. */
export interface InstructionLayout {
  readonly kind: InstructionKind;
  readonly opcode: number;
  /** Payload width of hardware.md §5.2; the payload sits at the bottom of the word. */
  readonly payloadBits: number;
  readonly fields: readonly BitField[];
}

/** Bits of a word below the header: the most any payload may use. */
export const INSTRUCTION_PAYLOAD_AREA_BITS = 64 - HEADER_BITS;

/** Labels of a spike pack, first label in the highest bits (upstream hxcomm event_to_fpga.h). */
function labelFields(count: number): BitField[] {
  return Array.from({ length: count }, (_, i) => uintField(['labels', i], 16 * (count - 1 - i), 16));
}

const op = InstructionOpcode;

/** Every instruction, indexed by opcode (hardware.md §5.2). */
export const INSTRUCTION_LAYOUTS: readonly InstructionLayout[] = [
  { kind: 'JtagInit', opcode: op.JtagInit, payloadBits: 0, fields: [] },
  { kind: 'JtagScaler', opcode: op.JtagScaler, payloadBits: 8, fields: [uintField('value', 0, 8)] },
  { kind: 'JtagIns', opcode: op.JtagIns, payloadBits: 7, fields: [uintField('value', 0, 7)] },
  {
    kind: 'JtagData',
    opcode: op.JtagData,
    payloadBits: 56,
    // Byte-padded sub-fields as upstream: keep_response 8, num_bits 8, data 40 (of which 33 may be set).
    fields: [
      uintField('data', 0, 40, { max: 2 ** JTAG_DATA_MAX_BITS - 1 }),
      uintField('numBits', 40, 8, { min: JTAG_DATA_MIN_BITS, max: JTAG_DATA_MAX_BITS }),
      booleanField('keepResponse', 48, 8),
    ],
  },
  { kind: 'TimingSetup', opcode: op.TimingSetup, payloadBits: 0, fields: [] },
  { kind: 'WaitUntil', opcode: op.WaitUntil, payloadBits: 32, fields: [uintField('value', 0, 32)] },
  { kind: 'SystimeInit', opcode: op.SystimeInit, payloadBits: 1, fields: [booleanField('value', 0)] },
  { kind: 'Barrier', opcode: op.Barrier, payloadBits: 5, fields: [uintField('mask', 0, 5)] },
  { kind: 'PollingOmnibusBlock', opcode: op.PollingOmnibusBlock, payloadBits: 1, fields: [booleanField('value', 0)] },
  { kind: 'Reset', opcode: op.Reset, payloadBits: 1, fields: [booleanField('value', 0)] },
  { kind: 'Loopback', opcode: op.Loopback, payloadBits: 1, fields: [uintField('value', 0, 1)] },
  {
    kind: 'OmnibusAddress',
    opcode: op.OmnibusAddress,
    payloadBits: 37,
    fields: [uintField('address', 0, 32), uintField('byteEnables', 32, 4), booleanField('isRead', 36)],
  },
  { kind: 'OmnibusData', opcode: op.OmnibusData, payloadBits: 32, fields: [uintField('value', 0, 32)] },
  { kind: 'SpikePack1', opcode: op.SpikePack1, payloadBits: 16, fields: labelFields(1) },
  { kind: 'SpikePack2', opcode: op.SpikePack2, payloadBits: 32, fields: labelFields(2) },
  { kind: 'SpikePack3', opcode: op.SpikePack3, payloadBits: 48, fields: labelFields(3) },
];

const layoutByKind = new Map<string, InstructionLayout>(INSTRUCTION_LAYOUTS.map((l) => [l.kind, l]));
const KINDS = INSTRUCTION_LAYOUTS.map((l) => l.kind);

/** The layout of `kind`. */
export function instructionLayout(kind: InstructionKind): InstructionLayout {
  return layoutByKind.get(kind)!;
}

/** The field `name` of instruction `kind`. */
export function instructionField(kind: InstructionKind, name: string): BitField {
  return instructionLayout(kind).fields.find((f) => f.name === name)!;
}

/** Per opcode: bits of the high and low half that must be zero (above the payload, or uncovered). */
export const RESERVED_HIGH = new Uint32Array(INSTRUCTION_LAYOUTS.length);
export const RESERVED_LOW = new Uint32Array(INSTRUCTION_LAYOUTS.length);
/** Per opcode: 1 where a field's range is narrower than its width, so a decoder must check values. */
export const HAS_NARROW_FIELDS = new Uint8Array(INSTRUCTION_LAYOUTS.length);
for (const layout of INSTRUCTION_LAYOUTS) {
  const mask = reservedMask(layout.fields, INSTRUCTION_PAYLOAD_AREA_BITS);
  RESERVED_LOW[layout.opcode] = mask[0]!;
  RESERVED_HIGH[layout.opcode] = mask[1]!;
  HAS_NARROW_FIELDS[layout.opcode] = layout.fields.some((f) => f.min !== 0 || f.max !== 2 ** f.width - 1) ? 1 : 0;
}

const JTAG_DATA = instructionLayout('JtagData');
const JTAG_DATA_DATA = instructionField('JtagData', 'data');
const JTAG_DATA_NUM_BITS = instructionField('JtagData', 'numBits');

/** jtag Data shifts `numBits` bits, so data above them would be silently dropped: it is refused instead. */
export function jtagDataLimit(numBits: number): number {
  return 2 ** numBits - 1;
}

const scratch = new Uint32Array(3);
const ARRAY_LENGTHS = INSTRUCTION_LAYOUTS.map((l) => arrayLengths(l.fields));

/**
 * Validates an instruction in object form and returns its word as `[high, low]` halves in `out`
 * (`out[at]`, `out[at + 1]`). Throws `FieldRangeError` naming the field, or `UnknownKindError`.
 */
export function encodeInstructionInto(instruction: Instruction, out: Uint32Array, at: number): void {
  const layout = layoutByKind.get((instruction as { kind?: unknown } | null)?.kind as string);
  if (layout === undefined) throw new UnknownKindError('instruction', (instruction as { kind?: unknown } | null)?.kind, KINDS);
  checkArrayLengths(layout.kind, ARRAY_LENGTHS[layout.opcode]!, instruction);
  scratch.fill(0);
  for (const field of layout.fields) {
    const value = getPath(instruction, field.path);
    if (!acceptsValue(field, value)) rejectValue(layout.kind, field, value);
    writeBits(scratch, field.offset, field.width, value === true ? 1 : value === false ? 0 : (value as number));
  }
  if (layout === JTAG_DATA) {
    const { data, numBits } = instruction as { data: number; numBits: number };
    if (data > jtagDataLimit(numBits)) {
      rejectValue(layout.kind, { ...JTAG_DATA_DATA, max: jtagDataLimit(numBits) }, data, `numBits = ${numBits}`);
    }
  }
  out[at] = (layout.opcode << (32 - HEADER_BITS)) | scratch[1]!;
  out[at + 1] = scratch[0]!;
}

/**
 * Checks one word from a byte stream: comma bit clear, a known opcode, reserved bits zero, fields in range.
 * Returns the opcode; throws `DecodeError` at `offset` (the word's byte offset in its stream) otherwise.
 */
export function checkInstructionWord(high: number, low: number, offset: number): number {
  const header = high >>> (32 - HEADER_BITS);
  if (header >= INSTRUCTION_LAYOUTS.length) {
    if ((header & COMMA_BIT) !== 0) {
      throw new DecodeError(offset, 'comma bit (bit 63) clear in an instruction word', `header 0x${header.toString(16)} in ${wordHex(high, low)}`);
    }
    throw new DecodeError(offset, `an instruction opcode 0..${INSTRUCTION_LAYOUTS.length - 1}`, `opcode ${header & OPCODE_MASK} in ${wordHex(high, low)}`);
  }
  if ((high & RESERVED_HIGH[header]!) !== 0 || (low & RESERVED_LOW[header]!) !== 0) {
    const layout = INSTRUCTION_LAYOUTS[header]!;
    throw new DecodeError(
      offset,
      `zero reserved bits: the payload of ${layout.kind} is ${layout.payloadBits} bit${layout.payloadBits === 1 ? '' : 's'} wide`,
      `${wordHex(high, low)} (reserved bits ${wordHex(high & RESERVED_HIGH[header]!, low & RESERVED_LOW[header]!)})`,
    );
  }
  if (HAS_NARROW_FIELDS[header] === 1) checkFieldRanges(header, high, low, offset);
  return header;
}

function checkFieldRanges(opcode: number, high: number, low: number, offset: number): void {
  const layout = INSTRUCTION_LAYOUTS[opcode]!;
  scratch[0] = low;
  scratch[1] = high;
  scratch[2] = 0;
  for (const field of layout.fields) {
    const raw = readBits(scratch, field.offset, field.width);
    if (raw < field.min || raw > field.max) {
      throw new DecodeError(offset, `${layout.kind}.${field.name} in ${field.min}..${field.max}`, `${raw} in ${wordHex(high, low)}`);
    }
  }
  if (layout === JTAG_DATA) {
    const numBits = readBits(scratch, JTAG_DATA_NUM_BITS.offset, JTAG_DATA_NUM_BITS.width);
    const data = readBits(scratch, JTAG_DATA_DATA.offset, JTAG_DATA_DATA.width);
    if (data > jtagDataLimit(numBits)) {
      throw new DecodeError(offset, `JtagData.data in 0..${jtagDataLimit(numBits)} (numBits = ${numBits})`, `${data} in ${wordHex(high, low)}`);
    }
  }
}

/** The object form of a word; validates it first (see `checkInstructionWord`). */
export function decodeInstructionWord(high: number, low: number, offset = 0): Instruction {
  const layout = INSTRUCTION_LAYOUTS[checkInstructionWord(high, low, offset)]!;
  scratch[0] = low;
  scratch[1] = high;
  scratch[2] = 0;
  const instruction: Record<string, unknown> = { kind: layout.kind };
  for (const field of layout.fields) {
    const raw = readBits(scratch, field.offset, field.width);
    setPath(instruction, field.path, field.type === 'boolean' ? raw === 1 : raw);
  }
  return instruction as unknown as Instruction;
}
