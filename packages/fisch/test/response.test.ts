import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  FieldRangeError,
  Loopback,
  RESPONSE_LAYOUTS,
  ResponseCollector,
  ResponseDecoder,
  ResponseOpcode,
  ResponseStreamWriter,
  UnknownKindError,
  decodeResponses,
  encodeResponses,
  messageBytes,
  type Response,
} from '../src/index.js';
import { fromHex, hex, thrown } from './helpers.js';

// Every message written out by hand from hardware.md §5.3 and §6.1: header byte first, payload at the
// bottom, max(64, ⌈(8 + payload)/8⌉·8) bits; pack entries are 16-bit field + 8-bit timestamp above it,
// the first entry in the highest bits.
const examples: [Response, string][] = [
  [{ kind: 'JtagData', value: 0x1_0000_0001 }, '00000001_00000001'],
  [{ kind: 'OmnibusData', value: 0xdead_beef }, '01000000_deadbeef'],
  [{ kind: 'Loopback', value: Loopback.halt }, '02000000_00000000'],
  [{ kind: 'HighspeedLinkNotification', value: 0xa5 }, '03000000_000000a5'],
  // value 31..0, trace-stall count 38..32, omnibus reads in flight 44..39
  [{ kind: 'TimeoutNotification', value: 0x1234_5678, traceStallCount: 1, omnibusReadsInFlight: 1 }, '04000081_12345678'],
  [{ kind: 'TimeoutNotification', value: 0, traceStallCount: 127, omnibusReadsInFlight: 63 }, '04001fff_00000000'],
  [{ kind: 'Systime', value: 2 ** 43 - 1 }, '050007ff_ffffffff'],
  [{ kind: 'Sysdelta', value: 200 }, '06000000_000000c8'],
  // value bits 9..0 and channel bit 10 of the 16-bit field
  [{ kind: 'MADCSamplePack1', samples: [{ value: 0x3ff, channel: 1, timestamp: 0x12 }] }, '07000000_001207ff'],
  [
    { kind: 'MADCSamplePack2', samples: [{ value: 1, channel: 0, timestamp: 0x34 }, { value: 2, channel: 1, timestamp: 0x56 }] },
    '08003400_01560402',
  ],
  [
    {
      kind: 'MADCSamplePack3',
      samples: [{ value: 3, channel: 0, timestamp: 1 }, { value: 4, channel: 0, timestamp: 2 }, { value: 5, channel: 1, timestamp: 3 }],
    },
    '09010003_02000403_0405',
  ],
  [{ kind: 'SpikePack1', spikes: [{ label: 0xabcd, timestamp: 0xef }] }, '0a000000_00efabcd'],
  [{ kind: 'SpikePack2', spikes: [{ label: 1, timestamp: 2 }, { label: 3, timestamp: 4 }] }, '0b000200_01040003'],
  [
    {
      kind: 'SpikePack3',
      spikes: [{ label: 0x1111, timestamp: 0xaa }, { label: 0x2222, timestamp: 0xbb }, { label: 0x3333, timestamp: 0xcc }],
    },
    '0caa1111_bb2222cc_3333',
  ],
];

function decodeError(bytes: Uint8Array): DecodeError {
  const error = thrown(() => decodeResponses(bytes));
  expect(error).toBeInstanceOf(DecodeError);
  return error as DecodeError;
}

const COMMA = '80';

describe('response messages', () => {
  it('has one layout per opcode 0..12 with the message sizes of §6.1', () => {
    expect(RESPONSE_LAYOUTS.map((l) => l.opcode)).toEqual([...Array(13).keys()]);
    expect(RESPONSE_LAYOUTS.map((l) => l.payloadBits)).toEqual([33, 32, 1, 8, 45, 43, 8, 24, 48, 72, 24, 48, 72]);
    expect(RESPONSE_LAYOUTS.map((l) => l.bytes)).toEqual([8, 8, 8, 8, 8, 8, 8, 8, 8, 10, 8, 8, 10]);
    for (const layout of RESPONSE_LAYOUTS) expect(ResponseOpcode[layout.kind]).toBe(layout.opcode);
    expect(messageBytes(72)).toBe(10);
    expect(messageBytes(56)).toBe(8);
    expect(messageBytes(57)).toBe(9);
  });

  it.each(examples)('%j is the message %s', (response, message) => {
    const bytes = fromHex(message);
    const padded = bytes.length === 8 ? hex(bytes) : hex(bytes) + COMMA.repeat(6);
    expect(hex(encodeResponses([response]))).toBe(padded);
    expect(decodeResponses(fromHex(padded))).toEqual([response]);
  });

  it('packs messages byte-granular across words and pads only a partly filled word', () => {
    const writer = new ResponseStreamWriter(16);
    writer.write(examples.at(-1)![0]).write(examples.at(-1)![0]);
    expect(writer.byteLength).toBe(20);
    writer.pad().pad();
    expect(writer.byteLength).toBe(24);
    writer.omnibusData(7).pad();
    expect(hex(writer.toBytes())).toBe(`0caa1111bb2222cc3333`.repeat(2) + COMMA.repeat(4) + '0100000000000007');
    writer.clear();
    expect(writer.toBytes()).toEqual(new Uint8Array(0));
  });

  it('refuses fields out of range and unknown kinds', () => {
    const writer = new ResponseStreamWriter();
    expect((thrown(() => writer.systime(2 ** 43)) as Error).message).toBe('Systime.value = 8796093022208 is out of range 0..8796093022207');
    expect((thrown(() => writer.spikePack([1], [256])) as FieldRangeError).field).toBe('SpikePack1.spikes[0].timestamp');
    expect((thrown(() => writer.madcSamplePack([1, 1], [0, 2], [0, 0])) as FieldRangeError).field).toBe('MADCSamplePack2.samples[1].channel');
    expect((thrown(() => writer.spikePack([1, 2, 3, 4], [0, 0, 0, 0])) as FieldRangeError).field).toBe('SpikePack.count');
    const short = { kind: 'SpikePack2', spikes: [{ label: 1, timestamp: 1 }] } as unknown as Response;
    expect((thrown(() => writer.write(short)) as FieldRangeError).field).toBe('SpikePack2.spikes.length');
    expect(thrown(() => writer.write({ kind: 'Spike' } as unknown as Response))).toBeInstanceOf(UnknownKindError);
    expect(writer.byteLength).toBe(0);
  });
});

describe('response decoding', () => {
  it('skips comma padding to the word boundary, and whole comma words', () => {
    const bytes = fromHex('0a00000000efabcd' + 'ff'.repeat(8) + '0caa1111bb2222cc3333' + 'c0'.repeat(6) + '0200000000000001');
    expect(decodeResponses(bytes).map((r) => r.kind)).toEqual(['SpikePack1', 'SpikePack3', 'Loopback']);
  });

  it('refuses a non-comma byte inside padding, at its offset', () => {
    const bytes = fromHex('0caa1111bb2222cc3333' + '8080' + '00' + '808080');
    expect(decodeError(bytes)).toMatchObject({ offset: 12, expected: 'comma padding (bit 7 set) up to the word boundary at byte 16' });
  });

  it('refuses unknown opcodes with the byte offset', () => {
    const bytes = fromHex('0100000000000001 0d00000000000000');
    expect(decodeError(bytes)).toMatchObject({ offset: 8, expected: 'a response header: opcode 0..12 or comma padding', received: 'header 0x0d' });
  });

  it.each([
    ['00000002_00000000', 'the payload of JtagData is 33 bits wide'],
    ['01000001_00000000', 'the payload of OmnibusData is 32 bits wide'],
    ['02000000_00000002', 'the payload of Loopback is 1 bit wide'],
    ['03000000_00000100', 'the payload of HighspeedLinkNotification is 8 bits wide'],
    ['04002000_00000000', 'the payload of TimeoutNotification is 45 bits wide'],
    ['05000800_00000000', 'the payload of Systime is 43 bits wide'],
    ['06000000_00000100', 'the payload of Sysdelta is 8 bits wide'],
    ['07000000_00000800', 'the payload of MADCSamplePack1 is 24 bits wide'],
    ['08000008_00000000', 'the payload of MADCSamplePack2 is 48 bits wide'],
    ['09000000_00000000_1000', 'the payload of MADCSamplePack3 is 72 bits wide'],
    ['0a000000_01000000', 'the payload of SpikePack1 is 24 bits wide'],
    ['0b010000_00000000', 'the payload of SpikePack2 is 48 bits wide'],
  ])('refuses reserved bits set in %s', (message, rule) => {
    const bytes = fromHex(message);
    const padded = bytes.length === 8 ? bytes : fromHex(message + COMMA.repeat(6));
    expect(decodeError(padded)).toMatchObject({ offset: 0, expected: `zero reserved bits: ${rule}` });
  });

  it('refuses truncated messages and partial words at the end', () => {
    expect(decodeError(fromHex('0100000000000001 0caa1111bb'))).toMatchObject({
      offset: 8,
      expected: 'a SpikePack3 message of 10 bytes',
      received: '5 bytes before the end of the stream',
    });
    expect(decodeError(fromHex('0caa1111bb2222cc3333'))).toMatchObject({ offset: 8, expected: 'a stream of whole 64-bit words' });
    expect(decodeError(fromHex('0a00000000efabcd8080'))).toMatchObject({ offset: 8 });
    expect(decodeResponses(new Uint8Array(0))).toEqual([]);
  });

  it('streams: chunks of any size, absolute error offsets, a sticky failure', () => {
    const bytes = encodeResponses(examples.map(([r]) => r));
    const decoder = new ResponseDecoder(new ResponseCollector());
    let count = 0;
    for (let at = 0; at < bytes.length; at++) count += decoder.push(bytes.subarray(at, at + 1));
    decoder.finish();
    expect(count).toBe(examples.length);
    expect(decoder.offset).toBe(bytes.length);
    expect(decoder.visitor.take()).toEqual(examples.map(([r]) => r));
    expect(decoder.visitor.take()).toEqual([]);

    decoder.reset();
    decoder.push(bytes.subarray(0, 13));
    const bad = Uint8Array.from(bytes.subarray(13, 40));
    bad[16 - 13] = 0x7f;
    const error = thrown(() => decoder.push(bad));
    expect(error).toMatchObject({ name: 'DecodeError', offset: 16 });
    expect(thrown(() => decoder.push(new Uint8Array(8)))).toBe(error);
    expect(thrown(() => decoder.finish())).toBe(error);
    expect(decoder.visitor.take().map((r) => r.kind)).toEqual(['JtagData', 'OmnibusData']);
  });
});
