import { bitsAt, fieldMask } from './bit-field.js';
import { ResponseOpcode } from './constants.js';
import { DecodeError } from './errors.js';
import { COMMA_BIT, HEADER_BITS, WORD_BYTES, bytesHex, nextWordBoundary } from './framing.js';
import {
  EVENT_BITS,
  MADC_FIELDS,
  MESSAGE_BYTES as MESSAGE_BYTES_TABLE,
  RESPONSE_LAYOUTS,
  SPIKE_FIELDS,
  MADC_PACK_KINDS,
  SPIKE_PACK_KINDS,
  eventOffsets,
  responseField,
  type MADCSample,
  type Response,
  type SpikeSample,
} from './response.js';
import type { ResponseVisitor } from './response-visitor.js';

// Hot-path constants as module-local values: V8 folds them, whereas imported bindings and object
// properties are loaded again on every message.
const MESSAGE_BYTES = MESSAGE_BYTES_TABLE;
const COMMA = COMMA_BIT;
const {
  JtagData: JTAG_DATA, OmnibusData: OMNIBUS_DATA, Loopback: LOOPBACK, HighspeedLinkNotification: LINK,
  TimeoutNotification: TIMEOUT, Systime: SYSTIME, Sysdelta: SYSDELTA, MADCSamplePack1: MADC_PACK1,
  MADCSamplePack2: MADC_PACK2, MADCSamplePack3: MADC_PACK3, SpikePack1: SPIKE_PACK1,
} = ResponseOpcode;
// Per opcode: reserved bits of each part; the fast path tests all three with one OR.
const RESERVED_LOW = new Uint32Array(RESPONSE_LAYOUTS.map((l) => l.reserved[0]!));
const RESERVED_HIGH = new Uint32Array(RESPONSE_LAYOUTS.map((l) => l.reserved[1]!));
const RESERVED_TOP = new Uint32Array(RESPONSE_LAYOUTS.map((l) => l.reserved[2]!));
const EVENT_OFFSETS = eventOffsets();
const MAX_OPCODE = RESPONSE_LAYOUTS.length - 1;
// Hot-path masks and shifts, read from the layout table in response.ts.
const ENTRY_MASK = 2 ** EVENT_BITS - 1;
/** Fields above bit 31 of jtag Data and Systime: the high part holds their upper bits. */
const JTAG_HIGH_MASK = 2 ** (responseField('JtagData', 'value').width - 32) - 1;
const SYSTIME_HIGH_MASK = 2 ** (responseField('Systime', 'value').width - 32) - 1;
const STALLS = responseField('TimeoutNotification', 'traceStallCount');
const STALLS_OFFSET = STALLS.offset;
const STALLS_MASK = fieldMask(STALLS);
const READS = responseField('TimeoutNotification', 'omnibusReadsInFlight');
const READS_OFFSET = READS.offset;
const READS_MASK = fieldMask(READS);
const LABEL_SHIFT = SPIKE_FIELDS.label.offset;
const LABEL_MASK = fieldMask(SPIKE_FIELDS.label);
const SPIKE_TIME_SHIFT = SPIKE_FIELDS.timestamp.offset;
const SPIKE_TIME_MASK = fieldMask(SPIKE_FIELDS.timestamp);
const VALUE_SHIFT = MADC_FIELDS.value.offset;
const VALUE_MASK = fieldMask(MADC_FIELDS.value);
const CHANNEL_SHIFT = MADC_FIELDS.channel.offset;
const CHANNEL_MASK = fieldMask(MADC_FIELDS.channel);
const MADC_TIME_SHIFT = MADC_FIELDS.timestamp.offset;
const MADC_TIME_MASK = fieldMask(MADC_FIELDS.timestamp);
/** The high part of an 8-byte message without its header byte. */
const BELOW_HEADER = 2 ** (32 - HEADER_BITS) - 1;
const LONGEST_MESSAGE = Math.max(...RESPONSE_LAYOUTS.map((l) => l.bytes));

/**
 * Host side: a streaming decoder of the response byte stream (hardware.md §6.1). Feed chunks of any size with
 * `push`; each complete message goes to the visitor; `finish` checks that the stream ended on a message and
 * word boundary. Comma bytes (bit 7 set) where a header is due start padding up to the next 64-bit word
 * boundary, which is skipped. Anything else — an unknown opcode, set reserved bits, a non-comma byte inside
 * padding, a truncated message — is a `DecodeError` whose `offset` counts bytes from the start of the stream.
 * After an error the decoder stays failed and rethrows it; messages before the error were delivered.
 */
export class ResponseDecoder<V extends ResponseVisitor = ResponseVisitor> {
  private position = 0;
  private padEnd = 0;
  private readonly carry = new Uint8Array(LONGEST_MESSAGE);
  private readonly carryView = new DataView(this.carry.buffer);
  private carryLength = 0;
  private failure: unknown = undefined;
  private readonly values = new Uint16Array(3);
  private readonly channels = new Uint8Array(3);
  private readonly timestamps = new Uint8Array(3);

  constructor(readonly visitor: V) {}

  /** Bytes consumed so far: the absolute offset of the next byte. */
  get offset(): number {
    return this.position;
  }

  /** Decodes the complete messages in `chunk` (and the one begun in the previous chunk); returns their count. */
  push(chunk: Uint8Array): number {
    if (this.failure !== undefined) throw this.failure;
    try {
      return this.consume(chunk);
    } catch (error) {
      this.failure = error;
      throw error;
    }
  }

  /** Checks that the stream ended cleanly: no partial message, a whole number of 64-bit words. */
  finish(): void {
    if (this.failure !== undefined) throw this.failure;
    let error: DecodeError | undefined;
    if (this.carryLength > 0) {
      const layout = RESPONSE_LAYOUTS[this.carry[0]!]!;
      error = new DecodeError(
        this.position - this.carryLength,
        `a ${layout.kind} message of ${layout.bytes} bytes`,
        `${this.carryLength} bytes before the end of the stream`,
      );
    } else if (this.position % WORD_BYTES !== 0) {
      error = new DecodeError(
        this.position - (this.position % WORD_BYTES),
        'a stream of whole 64-bit words',
        `${this.position % WORD_BYTES} bytes of a last word`,
      );
    }
    if (error !== undefined) {
      this.failure = error;
      throw error;
    }
  }

  /** Starts over at offset 0 with the same visitor. */
  reset(): void {
    this.position = 0;
    this.padEnd = 0;
    this.carryLength = 0;
    this.failure = undefined;
  }

  private consume(chunk: Uint8Array): number {
    const n = chunk.length;
    const base = this.position;
    let p = 0;
    let decoded = 0;
    if (this.carryLength > 0) {
      const carried = this.carryLength;
      const length = MESSAGE_BYTES[this.carry[0]!]!;
      const take = Math.min(length - carried, n);
      this.carry.set(chunk.subarray(0, take), carried);
      this.carryLength = carried + take;
      p = take;
      if (this.carryLength < length) {
        this.position = base + n;
        return 0;
      }
      this.carryLength = 0;
      this.decodeAt(this.carryView, 0, base - carried);
      decoded++;
    }
    const view = new DataView(chunk.buffer, chunk.byteOffset, n);
    let padEnd = this.padEnd;
    while (p < n) {
      const at = base + p;
      const byte = chunk[p]!;
      if (at < padEnd) {
        if ((byte & COMMA) === 0) {
          throw new DecodeError(at, `comma padding (bit 7 set) up to the word boundary at byte ${padEnd}`, `0x${byte.toString(16).padStart(2, '0')}`);
        }
        p++;
      } else if ((byte & COMMA) !== 0) {
        padEnd = nextWordBoundary(at);
        p++;
      } else {
        const length = MESSAGE_BYTES[byte]!;
        if (length === 0) {
          throw new DecodeError(at, `a response header: opcode 0..${MAX_OPCODE} or comma padding`, `header 0x${byte.toString(16).padStart(2, '0')}`);
        }
        if (p + length > n) {
          this.carry.set(chunk.subarray(p), 0);
          this.carryLength = n - p;
          break;
        }
        this.decodeAt(view, p, at);
        p += length;
        decoded++;
      }
    }
    this.padEnd = padEnd;
    this.position = base + n;
    return decoded;
  }

  /** Decodes the complete message at `p` of `view`; `at` is its absolute offset. */
  private decodeAt(view: DataView, p: number, at: number): void {
    const opcode = view.getUint8(p);
    let top = 0;
    let high: number;
    let low: number;
    if (MESSAGE_BYTES[opcode] === 8) {
      high = view.getUint32(p, false) & BELOW_HEADER;
      low = view.getUint32(p + 4, false);
    } else {
      top = view.getUint8(p + 1);
      high = view.getUint32(p + 2, false);
      low = view.getUint32(p + 6, false);
    }
    if (((low & RESERVED_LOW[opcode]!) | (high & RESERVED_HIGH[opcode]!) | (top & RESERVED_TOP[opcode]!)) !== 0) {
      const layout = RESPONSE_LAYOUTS[opcode]!;
      throw new DecodeError(
        at,
        `zero reserved bits: the payload of ${layout.kind} is ${layout.payloadBits} bit${layout.payloadBits === 1 ? '' : 's'} wide`,
        bytesHex(new Uint8Array(view.buffer, view.byteOffset + p, layout.bytes), 0, layout.bytes),
      );
    }
    const visitor = this.visitor;
    switch (opcode) {
      case JTAG_DATA: return visitor.jtagData((high & JTAG_HIGH_MASK) * 2 ** 32 + low);
      case OMNIBUS_DATA: return visitor.omnibusData(low);
      case LOOPBACK: return visitor.loopback(low);
      case LINK: return visitor.highspeedLinkNotification(low);
      case TIMEOUT:
        return visitor.timeoutNotification(
          low,
          bitsAt(low, high, top, STALLS_OFFSET, STALLS_MASK),
          bitsAt(low, high, top, READS_OFFSET, READS_MASK),
        );
      case SYSTIME: return visitor.systime((high & SYSTIME_HIGH_MASK) * 2 ** 32 + low);
      case SYSDELTA: return visitor.sysdelta(low);
      case MADC_PACK1:
      case MADC_PACK2:
      case MADC_PACK3: {
        const count = opcode - MADC_PACK1 + 1;
        const offsets = EVENT_OFFSETS[count - 1]!;
        for (let i = 0; i < count; i++) {
          const entry = bitsAt(low, high, top, offsets[i]!, ENTRY_MASK);
          this.values[i] = (entry >>> VALUE_SHIFT) & VALUE_MASK;
          this.channels[i] = (entry >>> CHANNEL_SHIFT) & CHANNEL_MASK;
          this.timestamps[i] = (entry >>> MADC_TIME_SHIFT) & MADC_TIME_MASK;
        }
        return visitor.madcSamplePack(this.values, this.channels, this.timestamps, count);
      }
      default: {
        const count = opcode - SPIKE_PACK1 + 1;
        const offsets = EVENT_OFFSETS[count - 1]!;
        for (let i = 0; i < count; i++) {
          const entry = bitsAt(low, high, top, offsets[i]!, ENTRY_MASK);
          this.values[i] = (entry >>> LABEL_SHIFT) & LABEL_MASK;
          this.timestamps[i] = (entry >>> SPIKE_TIME_SHIFT) & SPIKE_TIME_MASK;
        }
        return visitor.spikePack(this.values, this.timestamps, count);
      }
    }
  }
}

/** A visitor that keeps every response in object form; `take()` hands them over. */
export class ResponseCollector implements ResponseVisitor {
  responses: Response[] = [];

  /** The responses collected since the last `take()`. */
  take(): Response[] {
    const out = this.responses;
    this.responses = [];
    return out;
  }

  jtagData(value: number): void {
    this.responses.push({ kind: 'JtagData', value });
  }
  omnibusData(value: number): void {
    this.responses.push({ kind: 'OmnibusData', value });
  }
  loopback(value: number): void {
    this.responses.push({ kind: 'Loopback', value });
  }
  highspeedLinkNotification(value: number): void {
    this.responses.push({ kind: 'HighspeedLinkNotification', value });
  }
  timeoutNotification(value: number, traceStallCount: number, omnibusReadsInFlight: number): void {
    this.responses.push({ kind: 'TimeoutNotification', value, traceStallCount, omnibusReadsInFlight });
  }
  systime(value: number): void {
    this.responses.push({ kind: 'Systime', value });
  }
  sysdelta(value: number): void {
    this.responses.push({ kind: 'Sysdelta', value });
  }
  madcSamplePack(values: ArrayLike<number>, channels: ArrayLike<number>, timestamps: ArrayLike<number>, count: number): void {
    const samples: MADCSample[] = [];
    for (let i = 0; i < count; i++) samples.push({ value: values[i]!, channel: channels[i]!, timestamp: timestamps[i]! });
    this.responses.push({ kind: MADC_PACK_KINDS[count - 1]!, samples } as unknown as Response);
  }
  spikePack(labels: ArrayLike<number>, timestamps: ArrayLike<number>, count: number): void {
    const spikes: SpikeSample[] = [];
    for (let i = 0; i < count; i++) spikes.push({ label: labels[i]!, timestamp: timestamps[i]! });
    this.responses.push({ kind: SPIKE_PACK_KINDS[count - 1]!, spikes } as unknown as Response);
  }
}

/** Decodes a complete response byte stream to responses in object form; throws `DecodeError`. */
export function decodeResponses(bytes: Uint8Array): Response[] {
  const decoder = new ResponseDecoder(new ResponseCollector());
  decoder.push(bytes);
  decoder.finish();
  return decoder.visitor.responses;
}
