import { MAX_PROGRAM_INSTRUCTIONS, WORD_BYTES } from '@bss2/fisch';
import { FramingError } from './errors.js';

/**
 * Socket frames (hardware.md §6.1, Choice): `u32 length (little-endian) | u8 kind | payload`. The length
 * counts the payload only, so an empty control frame is the five header bytes.
 */
export const FrameKind = {
  /** Instruction words to the FPGA, 64-bit big-endian (client → server). */
  instructions: 0,
  /** Response bytes from the FPGA (server → client). */
  responses: 1,
  /** A control message in msgpack: handshake, halt, reset, terminate (`control.ts`). */
  control: 2,
  /** UTF-8 error text, `Name: message` (server → client); the sender closes afterwards. */
  error: 3,
} as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

const KIND_NAMES = ['instructions', 'responses', 'control', 'error'] as const;

export const FRAME_HEADER_BYTES = 5;

/** Largest instruction payload: a full FPGA playback memory (hardware.md §5.4), 32 MiB. */
export const MAX_INSTRUCTION_PAYLOAD_BYTES = MAX_PROGRAM_INSTRUCTIONS * WORD_BYTES;

/**
 * Default payload limit of a receiver. Responses can outgrow their program (three-event packs, recorded
 * spikes), so the client accepts up to 256 MiB; servers limit instruction frames to a full playback memory.
 */
export const DEFAULT_MAX_PAYLOAD_BYTES = 2 ** 28;

/** Largest control payload a receiver accepts: the messages take a few hundred bytes (a hello with a token ≈ 2.2 KiB). */
export const MAX_CONTROL_PAYLOAD_BYTES = 4096;

/** Largest error payload a receiver accepts: an error frame carries one `Name: message` line. */
export const MAX_ERROR_PAYLOAD_BYTES = 65_536;

/** First allocation of a payload buffer; it then doubles as bytes arrive, never beyond the bytes received. */
const INITIAL_PAYLOAD_CAPACITY_BYTES = 65_536;

export interface Frame {
  readonly kind: FrameKind;
  readonly payload: Uint8Array;
}

export function frameKindName(kind: number): string {
  return KIND_NAMES[kind] ?? `unknown kind ${kind}`;
}

function checkKind(kind: number): asserts kind is FrameKind {
  if (!(Number.isInteger(kind) && kind >= 0 && kind < KIND_NAMES.length)) {
    throw new FramingError(`frame kind ${kind} is unknown; kinds are 0 instructions, 1 responses, 2 control, 3 error`);
  }
}

/** The five header bytes of a frame; send them before the payload to avoid copying a large payload. */
export function encodeFrameHeader(kind: FrameKind, payloadBytes: number): Uint8Array {
  checkKind(kind);
  if (!(Number.isInteger(payloadBytes) && payloadBytes >= 0 && payloadBytes <= 0xffff_ffff)) {
    throw new FramingError(`a frame payload holds 0..${0xffff_ffff} bytes, not ${payloadBytes}`);
  }
  const header = new Uint8Array(FRAME_HEADER_BYTES);
  new DataView(header.buffer).setUint32(0, payloadBytes, true);
  header[4] = kind;
  return header;
}

/** One frame as one byte array (header and payload). */
export function encodeFrame(kind: FrameKind, payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  frame.set(encodeFrameHeader(kind, payload.length), 0);
  frame.set(payload, FRAME_HEADER_BYTES);
  return frame;
}

export interface FrameDecoderOptions {
  /**
   * Instruction and response frames announcing a larger payload are refused as soon as their header arrives.
   * Control frames are always capped at `MAX_CONTROL_PAYLOAD_BYTES`, error frames at `MAX_ERROR_PAYLOAD_BYTES`.
   */
  maxPayloadBytes?: number;
  /**
   * Called with each frame's kind and announced length as soon as its header arrives, before any payload is
   * buffered; a returned reason refuses the frame (a `FramingError`). Servers refuse anything but a control
   * frame before the handshake this way.
   */
  checkHeader?: (kind: FrameKind, payloadBytes: number) => string | undefined;
}

/**
 * Streaming deframer: feed it the received chunks in order, however the transport split or merged them, and
 * it returns the complete frames. Each payload is a fresh array. Memory grows only as bytes arrive: the
 * payload buffer starts small and doubles (capped by the announced length), so a peer announcing 32 MiB and
 * sending nothing costs 64 KiB, and a buffer never exceeds twice the bytes received. A framing error is final:
 * the stream position is lost, so later calls throw the same error.
 */
export class FrameDecoder {
  readonly maxPayloadBytes: number;
  private readonly header = new Uint8Array(FRAME_HEADER_BYTES);
  private readonly headerView = new DataView(this.header.buffer);
  private headerFill = 0;
  private payload: Uint8Array | undefined;
  /** Announced payload length of the frame being received. */
  private payloadLength = 0;
  private payloadFill = 0;
  private kind: FrameKind = FrameKind.instructions;
  /** Absolute offset of the first byte not yet consumed. */
  private consumed = 0;
  private failure: FramingError | undefined;
  private readonly checkHeader: FrameDecoderOptions['checkHeader'];

  constructor(options: FrameDecoderOptions = {}) {
    this.checkHeader = options.checkHeader;
    const max = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    if (!(Number.isInteger(max) && max >= 0 && max <= 0xffff_ffff)) {
      throw new RangeError(`maxPayloadBytes = ${max} is invalid: expected an integer in 0..${0xffff_ffff}`);
    }
    this.maxPayloadBytes = max;
  }

  /** Bytes received so far. */
  get offset(): number {
    return this.consumed;
  }

  /** Whether a frame has started but not completed. */
  get inFrame(): boolean {
    return this.headerFill > 0;
  }

  /** Bytes of the incomplete frame received so far (header included). */
  get pendingBytes(): number {
    return this.headerFill + this.payloadFill;
  }

  /** Bytes allocated for the incomplete frame's payload: at most max(64 KiB, twice the payload bytes received). */
  get bufferedCapacityBytes(): number {
    return this.payload?.length ?? 0;
  }

  /** The frames completed by `chunk`, in order. */
  push(chunk: Uint8Array): Frame[] {
    const frames: Frame[] = [];
    this.feed(chunk, (frame) => frames.push(frame));
    return frames;
  }

  /**
   * Hands each frame completed by `chunk` to `onFrame` as soon as it is complete, so the frames before a
   * framing error are still delivered (in arrival order) before the error is thrown.
   */
  feed(chunk: Uint8Array, onFrame: (frame: Frame) => void): void {
    if (this.failure !== undefined) throw this.failure;
    const n = chunk.length;
    const base = this.consumed;
    // Counted up front: an exception from onFrame must not make the next chunk's offsets wrong.
    this.consumed += n;
    let at = 0;
    while (at < n) {
      if (this.headerFill < FRAME_HEADER_BYTES) {
        const take = Math.min(FRAME_HEADER_BYTES - this.headerFill, n - at);
        this.header.set(chunk.subarray(at, at + take), this.headerFill);
        this.headerFill += take;
        at += take;
        if (this.headerFill < FRAME_HEADER_BYTES) break;
        this.startPayload(base + at - FRAME_HEADER_BYTES);
      }
      const take = Math.min(this.payloadLength - this.payloadFill, n - at);
      if (take > 0) {
        this.reserve(this.payloadFill + take);
        this.payload!.set(chunk.subarray(at, at + take), this.payloadFill);
        this.payloadFill += take;
        at += take;
      }
      if (this.payloadFill === this.payloadLength) {
        const payload = this.payload!.length === this.payloadLength ? this.payload! : this.payload!.slice(0, this.payloadLength);
        this.headerFill = 0;
        this.payloadFill = 0;
        this.payload = undefined;
        onFrame({ kind: this.kind, payload });
      }
    }
  }

  /** Grows the payload buffer geometrically to hold `bytes`, never beyond the announced length. */
  private reserve(bytes: number): void {
    const current = this.payload!;
    if (bytes <= current.length) return;
    let capacity = Math.max(current.length, 1);
    while (capacity < bytes) capacity *= 2;
    const grown = new Uint8Array(Math.min(capacity, this.payloadLength));
    grown.set(current.subarray(0, this.payloadFill));
    this.payload = grown;
  }

  /** Declares the end of the stream: throws `FramingError` if it stopped inside a frame. */
  finish(): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.headerFill === 0) return;
    const expected = this.headerFill < FRAME_HEADER_BYTES ? `a ${FRAME_HEADER_BYTES}-byte header` : `${this.payloadLength} payload bytes`;
    const received = this.headerFill < FRAME_HEADER_BYTES ? this.headerFill : this.payloadFill;
    this.fail(`the stream ended inside a frame: expected ${expected}, received ${received}`, this.consumed - this.pendingBytes);
  }

  private startPayload(frameOffset: number): void {
    const length = this.headerView.getUint32(0, true);
    const kind = this.header[4]!;
    if (kind >= KIND_NAMES.length) {
      this.fail(`frame kind ${kind} is unknown; kinds are 0 instructions, 1 responses, 2 control, 3 error`, frameOffset + 4);
    }
    const limit =
      kind === FrameKind.control ? MAX_CONTROL_PAYLOAD_BYTES : kind === FrameKind.error ? MAX_ERROR_PAYLOAD_BYTES : this.maxPayloadBytes;
    if (length > limit) {
      this.fail(`a ${frameKindName(kind)} frame announces ${length} payload bytes, more than the limit of ${limit}`, frameOffset);
    }
    const refusal = this.checkHeader?.(kind as FrameKind, length);
    if (refusal !== undefined) this.fail(refusal, frameOffset);
    this.kind = kind as FrameKind;
    this.payloadLength = length;
    this.payload = new Uint8Array(Math.min(length, INITIAL_PAYLOAD_CAPACITY_BYTES));
    this.payloadFill = 0;
  }

  private fail(reason: string, offset: number): never {
    this.failure = new FramingError(reason, offset);
    throw this.failure;
  }
}

/** All frames of a complete byte stream; throws `FramingError` on a bad or truncated frame. */
export function decodeFrames(bytes: Uint8Array, options: FrameDecoderOptions = {}): Frame[] {
  const decoder = new FrameDecoder(options);
  const frames = decoder.push(bytes);
  decoder.finish();
  return frames;
}
