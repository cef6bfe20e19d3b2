import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { FramingError, decodeControl, encodeControl, type ControlMessage } from '../src/index.js';

const plain = new Packr({ useRecords: false });

describe('control messages (hardware.md §6.1, Choice)', () => {
  const messages: ControlMessage[] = [
    { type: 'hello', protocolVersion: 1, client: 'test' },
    { type: 'identity', protocolVersion: 1, chipSeed: 0xffff_ffff, simulatorVersion: '0.1.0', responseLatency_cycles: 14 },
    { type: 'version-mismatch', protocolVersion: 2, simulatorVersion: '0.2.0' },
    { type: 'reset' },
    { type: 'terminate' },
    { type: 'halt' },
    { type: 'hello', protocolVersion: 2, client: 'test', user: 'alice.b-c_d', token: 'a.b.c' },
    { type: 'reinit-upload', snapshot: true },
    { type: 'reinit-upload', snapshot: false },
    { type: 'reinit-enforce' },
  ];

  it.each(messages)('round-trips $type as a plain msgpack map', (message) => {
    const bytes = encodeControl(message);
    expect(decodeControl(bytes)).toEqual(message);
    expect(plain.unpack(bytes)).toEqual(message);
  });

  it.each([
    [Uint8Array.of(0x81), /not msgpack/],
    [Uint8Array.of(0xc1), /unknown control message type undefined/],
    [plain.pack([1, 2]), /must be a msgpack map/],
    [plain.pack({ type: 'launch' }), /unknown control message type "launch"/],
    [plain.pack({ type: 'hello', protocolVersion: -1, client: 'x' }), /"hello" has an invalid protocolVersion: -1/],
    [plain.pack({ type: 'identity', protocolVersion: 1, chipSeed: 1, simulatorVersion: 5, responseLatency_cycles: 0 }), /invalid simulatorVersion: 5/],
    [plain.pack({ type: 'identity', protocolVersion: 1, chipSeed: 1, simulatorVersion: 'x' }), /"identity" has an invalid responseLatency_cycles: undefined/],
    [plain.pack({ type: 'identity', protocolVersion: 1, chipSeed: 1, simulatorVersion: 'x', responseLatency_cycles: 1.5 }), /invalid responseLatency_cycles: 1.5/],
    [new Uint8Array(5000), /at most 4096 bytes/],
    [plain.pack({ type: 'hello', protocolVersion: 2, client: 'x', user: 'a b' }), /"hello" has an invalid user: "a b"/],
    [plain.pack({ type: 'hello', protocolVersion: 2, client: 'x', user: 'u'.repeat(65) }), /"hello" has an invalid user/],
    [plain.pack({ type: 'hello', protocolVersion: 2, client: 'x', token: 't'.repeat(2049) }), /"hello" has an invalid token/],
    [plain.pack({ type: 'reinit-upload' }), /"reinit-upload" has an invalid snapshot: undefined/],
  ])('refuses %#', (bytes, message) => {
    expect(() => decodeControl(bytes)).toThrow(FramingError);
    expect(() => decodeControl(bytes)).toThrow(message);
  });

  it('leaves absent optional fields out (nil counts as absent)', () => {
    expect(plain.unpack(encodeControl({ type: 'hello', protocolVersion: 2, client: 'c', user: undefined, token: undefined }))).toEqual({ type: 'hello', protocolVersion: 2, client: 'c' });
    expect(decodeControl(plain.pack({ type: 'hello', protocolVersion: 2, client: 'c', user: null }))).toEqual({ type: 'hello', protocolVersion: 2, client: 'c' });
  });

  it('drops fields a message does not have', () => {
    expect(decodeControl(plain.pack({ type: 'reset', extra: 1 }))).toEqual({ type: 'reset' });
  });
});
