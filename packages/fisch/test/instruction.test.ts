import { describe, expect, it } from 'vitest';
import {
  BarrierMask,
  DecodeError,
  EncodeError,
  FieldRangeError,
  FischError,
  INSTRUCTION_LAYOUTS,
  InstructionOpcode,
  InstructionStream,
  JtagRegister,
  Loopback,
  MAX_PROGRAM_INSTRUCTIONS,
  ProgramSizeError,
  UnknownKindError,
  decodeInstructions,
  encodeInstructions,
  type Instruction,
} from '../src/index.js';
import { fromHex, hex, thrown } from './helpers.js';

// Every word written out by hand from hardware.md §5.2 and §6.1: header byte (comma 0, opcode) at the top,
// payload at the bottom, big-endian.
const examples: [Instruction, string][] = [
  [{ kind: 'JtagInit' }, '00000000_00000000'],
  [{ kind: 'JtagScaler', value: 3 }, '01000000_00000003'],
  [{ kind: 'JtagIns', value: JtagRegister.BYPASS }, '02000000_0000007f'],
  // keep_response byte 55..48, num_bits byte 47..40, data 39..0
  [{ kind: 'JtagData', keepResponse: true, numBits: 33, data: 0x1_2345_6789 }, '03012101_23456789'],
  [{ kind: 'TimingSetup' }, '04000000_00000000'],
  [{ kind: 'WaitUntil', value: 0xfedc_ba98 }, '05000000_fedcba98'],
  [{ kind: 'SystimeInit', value: true }, '06000000_00000001'],
  [{ kind: 'Barrier', mask: BarrierMask.omnibus | BarrierMask.systime }, '07000000_00000005'],
  [{ kind: 'PollingOmnibusBlock', value: true }, '08000000_00000001'],
  [{ kind: 'Reset', value: true }, '09000000_00000001'],
  [{ kind: 'Loopback', value: Loopback.halt }, '0a000000_00000000'],
  // is_read bit 36, byte_enables 35..32, address 31..0
  [{ kind: 'OmnibusAddress', address: 0x02c4_0000, byteEnables: 0b0101, isRead: true }, '0b000015_02c40000'],
  [{ kind: 'OmnibusData', value: 0xdead_beef }, '0c000000_deadbeef'],
  [{ kind: 'SpikePack1', labels: [0xabcd] }, '0d000000_0000abcd'],
  // first label in the highest bits
  [{ kind: 'SpikePack2', labels: [0x1111, 0x2222] }, '0e000000_11112222'],
  [{ kind: 'SpikePack3', labels: [1, 2, 3] }, '0f000001_00020003'],
];

function decodeError(bytes: Uint8Array): DecodeError {
  const error = thrown(() => InstructionStream.fromBytes(bytes));
  expect(error).toBeInstanceOf(DecodeError);
  return error as DecodeError;
}

describe('instruction words', () => {
  it('has one layout per opcode 0..15, in opcode order', () => {
    expect(INSTRUCTION_LAYOUTS.map((l) => l.opcode)).toEqual([...Array(16).keys()]);
    expect(INSTRUCTION_LAYOUTS.map((l) => l.payloadBits)).toEqual([0, 8, 7, 56, 0, 32, 1, 5, 1, 1, 1, 37, 32, 16, 32, 48]);
    for (const layout of INSTRUCTION_LAYOUTS) expect(InstructionOpcode[layout.kind]).toBe(layout.opcode);
  });

  it.each(examples)('%j is the word %s', (instruction, word) => {
    const bytes = encodeInstructions([instruction]);
    expect(hex(bytes)).toBe(word.replace('_', ''));
    expect(decodeInstructions(fromHex(word))).toEqual([instruction]);
  });

  it('encodes through the typed appenders to the same words', () => {
    const stream = new InstructionStream(2)
      .jtagInit().jtagScaler(3).jtagIns(127).jtagData(0x1_2345_6789, 33, true).timingSetup().waitUntil(0xfedc_ba98)
      .systimeInit().barrier(5).pollingOmnibusBlock().reset(true).loopback(Loopback.halt)
      .omnibusAddress(0x02c4_0000, 0b0101, true).omnibusData(0xdead_beef)
      .spikePack([0xabcd]).spikePack([0x1111, 0x2222]).spikePack3(1, 2, 3);
    expect(hex(stream.toBytes())).toBe(examples.map(([, w]) => w.replace('_', '')).join(''));
    expect(stream.length).toBe(16);
    expect(stream.byteLength).toBe(128);
    expect(stream.opcodeAt(11)).toBe(InstructionOpcode.OmnibusAddress);
  });

  it('writes an omnibus write as Address + Data and a read as Address with is_read', () => {
    const stream = new InstructionStream().omnibusWrite(0x16_0000, 42, 0b0011).omnibusRead(0x16_0001);
    expect(stream.toArray()).toEqual([
      { kind: 'OmnibusAddress', address: 0x16_0000, byteEnables: 0b0011, isRead: false },
      { kind: 'OmnibusData', value: 42 },
      { kind: 'OmnibusAddress', address: 0x16_0001, byteEnables: 0xf, isRead: true },
    ]);
  });
});

describe('field validation at construction', () => {
  it('names field, value and range', () => {
    const error = thrown(() => new InstructionStream().jtagData(0, 34));
    expect(error).toBeInstanceOf(FieldRangeError);
    expect(error).toBeInstanceOf(EncodeError);
    expect(error).toBeInstanceOf(FischError);
    expect((error as FieldRangeError).field).toBe('JtagData.numBits');
    expect((error as Error).message).toBe('JtagData.numBits = 34 is out of range 3..33');
    expect((thrown(() => new InstructionStream().waitUntil(2 ** 32)) as Error).message).toBe(
      'WaitUntil.value = 4294967296 is out of range 0..4294967295',
    );
  });

  it('refuses jtag data above num_bits instead of dropping it', () => {
    expect((thrown(() => new InstructionStream().jtagData(8, 3)) as Error).message).toBe(
      'JtagData.data = 8 is out of range 0..7 (numBits = 3)',
    );
    expect(() => new InstructionStream().jtagData(7, 3)).not.toThrow();
    expect(() => new InstructionStream().append({ kind: 'JtagData', keepResponse: false, numBits: 3, data: 8 })).toThrow(FieldRangeError);
  });

  it('refuses booleans given as numbers, and arrays of the wrong length', () => {
    const reset = { kind: 'Reset', value: 1 } as unknown as Instruction;
    expect((thrown(() => new InstructionStream().append(reset)) as Error).message).toBe(
      'Reset.value = 1 is out of range 0..1 (expected a boolean)',
    );
    const pack = { kind: 'SpikePack2', labels: [1, 2, 3] } as unknown as Instruction;
    expect((thrown(() => new InstructionStream().append(pack)) as FieldRangeError).field).toBe('SpikePack2.labels.length');
    expect((thrown(() => new InstructionStream().spikePack([])) as FieldRangeError).field).toBe('SpikePack.labels.length');
    expect((thrown(() => new InstructionStream().spikePack([1, 2, 3, 4])) as FieldRangeError).field).toBe('SpikePack.labels.length');
  });

  it('refuses unknown kinds by name', () => {
    const error = thrown(() => new InstructionStream().append({ kind: 'Nop' } as unknown as Instruction));
    expect(error).toBeInstanceOf(UnknownKindError);
    expect((error as Error).message).toMatch(/^unknown instruction kind "Nop"; known kinds: JtagInit, /);
    expect(thrown(() => new InstructionStream().append(null as unknown as Instruction))).toBeInstanceOf(UnknownKindError);
  });

  it('keeps the stream unchanged when an append fails', () => {
    const stream = new InstructionStream().waitUntil(5);
    expect(() => stream.omnibusAddress(1, 16, false)).toThrow(FieldRangeError);
    expect(() => stream.append({ kind: 'WaitUntil', value: -1 })).toThrow(FieldRangeError);
    expect(stream.toArray()).toEqual([{ kind: 'WaitUntil', value: 5 }]);
  });
});

describe('instruction decoding', () => {
  it('refuses a length that is not a multiple of 8', () => {
    expect(decodeError(new Uint8Array(7))).toMatchObject({ offset: 0, expected: 'whole 64-bit words (8 bytes each)' });
    expect(decodeError(new Uint8Array(12))).toMatchObject({ offset: 8, received: '4 trailing bytes' });
  });

  it('refuses the comma bit and unknown opcodes, at the offending word', () => {
    const comma = fromHex('0000000000000000 8000000000000000');
    expect(decodeError(comma)).toMatchObject({ offset: 8, expected: 'comma bit (bit 63) clear in an instruction word' });
    const unknown = decodeError(fromHex('1000000000000000'));
    expect(unknown).toMatchObject({ offset: 0, expected: 'an instruction opcode 0..15' });
    expect(unknown.received).toMatch(/^opcode 16 in 0x1000_/);
    expect(unknown.message).toMatch(/^at byte 0: expected an instruction opcode 0..15, received opcode 16/);
  });

  it.each([
    ['05000001_00000000', 'the payload of WaitUntil is 32 bits wide'],
    ['0d000000_0001abcd', 'the payload of SpikePack1 is 16 bits wide'],
    ['09000000_00000002', 'the payload of Reset is 1 bit wide'],
    ['0b000020_00000000', 'the payload of OmnibusAddress is 37 bits wide'],
    ['00000000_00000001', 'the payload of JtagInit is 0 bits wide'],
    ['07000000_00000020', 'the payload of Barrier is 5 bits wide'],
    ['0f010000_00000000', 'the payload of SpikePack3 is 48 bits wide'],
  ])('refuses reserved bits set in %s', (word, rule) => {
    expect(decodeError(fromHex(word)).expected).toBe(`zero reserved bits: ${rule}`);
  });

  it.each([
    ['03022100_00000000', 'JtagData.keepResponse in 0..1'],
    ['03002200_00000000', 'JtagData.numBits in 3..33'],
    ['03000200_00000000', 'JtagData.numBits in 3..33'],
    ['03002102_00000000', 'JtagData.data in 0..8589934591'],
    ['03000300_00000008', 'JtagData.data in 0..7 (numBits = 3)'],
  ])('refuses out-of-range fields in %s', (word, expected) => {
    expect(decodeError(fromHex(word)).expected).toBe(expected);
  });

  it('appends all or nothing, with offsets counted from the start of the stream', () => {
    const stream = new InstructionStream().timingSetup().waitUntil(100);
    const error = thrown(() => stream.appendBytes(fromHex('0400000000000000 ff00000000000000')));
    expect(error).toMatchObject({ offset: 24 });
    expect(stream.length).toBe(2);
    stream.appendBytes(fromHex('0a00000000000001'));
    expect(stream.at(2)).toEqual({ kind: 'Loopback', value: Loopback.tick });
  });

  it('reads words through a byte offset into a larger buffer', () => {
    const buffer = fromHex('ff 0c000000deadbeef');
    expect(decodeInstructions(buffer.subarray(1))).toEqual([{ kind: 'OmnibusData', value: 0xdead_beef }]);
  });

  it('checks indices of random access', () => {
    const stream = new InstructionStream().jtagInit();
    expect(() => stream.at(1)).toThrow(RangeError);
    expect(() => stream.at(-1)).toThrow(RangeError);
  });
});

describe('program size (hardware.md §5.4)', () => {
  it(`holds at most ${MAX_PROGRAM_INSTRUCTIONS} instructions, when encoding and when decoding`, () => {
    const stream = new InstructionStream(1024);
    for (let i = 0; i < 1024; i++) stream.spikePack1(i);
    while (stream.length < MAX_PROGRAM_INSTRUCTIONS) stream.appendStream(stream);
    expect(stream.length).toBe(MAX_PROGRAM_INSTRUCTIONS);
    const error = thrown(() => stream.jtagInit());
    expect(error).toBeInstanceOf(ProgramSizeError);
    expect((error as Error).message).toMatch(/at most 4194304 instructions/);
    expect(() => stream.appendStream(new InstructionStream().jtagInit())).toThrow(ProgramSizeError);
    expect(stream.length).toBe(MAX_PROGRAM_INSTRUCTIONS);

    const bytes = new Uint8Array((MAX_PROGRAM_INSTRUCTIONS + 1) * 8);
    expect(decodeError(bytes)).toMatchObject({ offset: MAX_PROGRAM_INSTRUCTIONS * 8 });
    const full = new InstructionStream().appendBytes(bytes.subarray(16));
    expect(() => full.appendBytes(bytes.subarray(0, 16))).toThrow(DecodeError);
    expect(full.appendBytes(bytes.subarray(0, 8)).length).toBe(MAX_PROGRAM_INSTRUCTIONS);
  });
});
