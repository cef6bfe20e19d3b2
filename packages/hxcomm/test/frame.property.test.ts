import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FRAME_HEADER_BYTES, FrameDecoder, MAX_CONTROL_PAYLOAD_BYTES, MAX_ERROR_PAYLOAD_BYTES, FrameKind, FramingError, decodeFrames, encodeFrame, encodeFrameHeader, type FrameKind as Kind } from '../src/index.js';
import { SEED } from './helpers.js';

const frameArbitrary = fc.record({
  kind: fc.constantFrom<Kind>(FrameKind.instructions, FrameKind.responses, FrameKind.control, FrameKind.error),
  payload: fc.uint8Array({ maxLength: 300 }),
});

/** Splits `bytes` at the given cut points (sorted, deduplicated, inside the array). */
function chunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(from, point));
    from = point;
  }
  return chunks;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('frame codec (hardware.md §6.1, Choice)', () => {
  it('writes u32 length little-endian, then the kind, then the payload', () => {
    expect([...encodeFrame(FrameKind.control, Uint8Array.of(7, 8, 9))]).toEqual([3, 0, 0, 0, 2, 7, 8, 9]);
    expect([...encodeFrameHeader(FrameKind.responses, 0x0102_0304)]).toEqual([4, 3, 2, 1, 1]);
    expect(() => encodeFrameHeader(7 as Kind, 0)).toThrow(FramingError);
    expect(() => encodeFrameHeader(FrameKind.error, 2 ** 32)).toThrow(FramingError);
  });

  it('deframes every sequence of frames whatever the chunking: partial headers, several frames per chunk', () => {
    fc.assert(
      fc.property(fc.array(frameArbitrary, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 30 }), (frames, cuts) => {
        const stream = concat(frames.map((f) => encodeFrame(f.kind, f.payload)));
        const decoder = new FrameDecoder();
        const received = chunk(stream, cuts).flatMap((c) => decoder.push(c));
        decoder.finish();
        expect(received.map((f) => ({ kind: f.kind, payload: [...f.payload] }))).toEqual(frames.map((f) => ({ kind: f.kind, payload: [...f.payload] })));
        expect(decoder.offset).toBe(stream.length);
        expect(decoder.inFrame).toBe(false);
      }),
      { numRuns: 1000, seed: SEED },
    );
  });

  it('payloads are copies: reusing the received chunk does not change a frame', () => {
    const chunk = encodeFrame(FrameKind.responses, Uint8Array.of(1, 2, 3));
    const [frame] = new FrameDecoder().push(chunk);
    chunk.fill(0);
    expect([...frame!.payload]).toEqual([1, 2, 3]);
  });

  it('refuses an unknown kind at its byte offset, and stays failed', () => {
    const stream = concat([encodeFrame(FrameKind.control, Uint8Array.of(1)), Uint8Array.of(0, 0, 0, 0, 9)]);
    const decoder = new FrameDecoder();
    expect(() => decoder.push(stream)).toThrow(expect.objectContaining({ name: 'FramingError', offset: 6 + 4 }));
    expect(() => decoder.push(Uint8Array.of(0))).toThrow(/frame kind 9 is unknown/);
  });

  it('refuses an oversized frame as soon as its header arrives', () => {
    const decoder = new FrameDecoder({ maxPayloadBytes: 16 });
    expect(decoder.push(encodeFrame(FrameKind.instructions, new Uint8Array(16)))).toHaveLength(1);
    expect(() => decoder.push(encodeFrameHeader(FrameKind.instructions, 17))).toThrow(/announces 17 payload bytes, more than the limit of 16/);
  });

  it('caps control frames at their header, whatever maxPayloadBytes says', () => {
    const decoder = new FrameDecoder({ maxPayloadBytes: 2 ** 25 });
    expect(() => decoder.push(encodeFrameHeader(FrameKind.control, MAX_CONTROL_PAYLOAD_BYTES + 1))).toThrow(/control frame announces 4097 payload bytes, more than the limit of 4096/);
    expect(() => new FrameDecoder().push(encodeFrameHeader(FrameKind.error, MAX_ERROR_PAYLOAD_BYTES + 1))).toThrow(/error frame announces/);
  });

  it('allocates only as payload bytes arrive (at most max(64 KiB, 2 × received))', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40_000 }), { maxLength: 12 }), (chunkSizes) => {
        const announced = 2 ** 25;
        const decoder = new FrameDecoder({ maxPayloadBytes: announced });
        decoder.push(encodeFrameHeader(FrameKind.instructions, announced));
        let received = 0;
        for (const size of chunkSizes) {
          decoder.push(new Uint8Array(size).fill(received & 0xff));
          received += size;
          expect(decoder.bufferedCapacityBytes).toBeLessThanOrEqual(Math.max(65_536, 2 * received));
        }
      }),
      { numRuns: 100, seed: SEED },
    );
  });

  it('reports a stream that ends inside a header or a payload', () => {
    expect(() => decodeFrames(Uint8Array.of(1, 0))).toThrow(/ended inside a frame: expected a 5-byte header, received 2/);
    const truncated = encodeFrame(FrameKind.instructions, new Uint8Array(8)).subarray(0, FRAME_HEADER_BYTES + 3);
    expect(() => decodeFrames(truncated)).toThrow(expect.objectContaining({ offset: 0, message: expect.stringMatching(/expected 8 payload bytes, received 3/) }));
    expect(decodeFrames(new Uint8Array(0))).toEqual([]);
  });

  it('never throws anything but FramingError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decodeFrames(bytes, { maxPayloadBytes: 32 });
        } catch (error) {
          expect(error).toBeInstanceOf(FramingError);
        }
      }),
      { numRuns: 1000, seed: SEED },
    );
  });
});
