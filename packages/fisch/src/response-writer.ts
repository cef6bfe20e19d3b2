import { orBitsAt, rejectValue } from './bit-field.js';
import { ResponseOpcode } from './constants.js';
import { FieldRangeError } from './errors.js';
import { COMMA_BYTE, HEADER_BITS, WORD_BYTES } from './framing.js';
import {
  MADC_FIELDS,
  MADC_PACK_KINDS,
  MESSAGE_BYTES as MESSAGE_BYTES_TABLE,
  SPIKE_FIELDS,
  SPIKE_PACK_KINDS,
  encodeResponseParts,
  eventOffsets,
  responseField,
  type Response,
  type ResponseKind,
} from './response.js';
import type { ResponseVisitor } from './response-visitor.js';

// Hot-path constants as module-local values: V8 folds them, whereas imported bindings and object
// properties are loaded again on every message.
const MESSAGE_BYTES = MESSAGE_BYTES_TABLE;
const HIGH_HEADER_SHIFT = 32 - HEADER_BITS;
const TOP_HEADER_SHIFT = 16 - HEADER_BITS;
const {
  JtagData: JTAG_DATA, OmnibusData: OMNIBUS_DATA, Loopback: LOOPBACK, HighspeedLinkNotification: LINK,
  TimeoutNotification: TIMEOUT, Systime: SYSTIME, Sysdelta: SYSDELTA, MADCSamplePack1: MADC_PACK1, SpikePack1: SPIKE_PACK1,
} = ResponseOpcode;
const JTAG_MAX = responseField('JtagData', 'value').max;
const LOOPBACK_MAX = responseField('Loopback', 'value').max;
const LINK_MAX = responseField('HighspeedLinkNotification', 'value').max;
const SYSTIME_MAX = responseField('Systime', 'value').max;
const SYSDELTA_MAX = responseField('Sysdelta', 'value').max;
const { offset: STALLS_OFFSET, max: STALLS_MAX } = responseField('TimeoutNotification', 'traceStallCount');
const { offset: READS_OFFSET, max: READS_MAX } = responseField('TimeoutNotification', 'omnibusReadsInFlight');
const EVENT_OFFSETS = eventOffsets();
const { offset: LABEL_SHIFT, max: LABEL_MAX } = SPIKE_FIELDS.label;
const { offset: SPIKE_TIME_SHIFT, max: SPIKE_TIME_MAX } = SPIKE_FIELDS.timestamp;
const { offset: VALUE_SHIFT, max: VALUE_MAX } = MADC_FIELDS.value;
const { offset: CHANNEL_SHIFT, max: CHANNEL_MAX } = MADC_FIELDS.channel;
const { offset: MADC_TIME_SHIFT, max: MADC_TIME_MAX } = MADC_FIELDS.timestamp;

function fail(kind: ResponseKind, name: string, value: unknown): never {
  rejectValue(kind, responseField(kind, name), value);
}

function isUint(value: number, max: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= max;
}

function checkUint(kind: ResponseKind, name: string, value: number, max: number): void {
  if (!isUint(value, max)) fail(kind, name, value);
}

function checkCount(kind: string, count: number): void {
  if (!(count === 1 || count === 2 || count === 3)) throw new FieldRangeError(`${kind}.count`, count, 1, 3);
}

/**
 * Device side: appends responses to a growable byte buffer with the framing of hardware.md §6.1 — messages
 * byte-granular, at least 64 bits, header byte first, big-endian; `pad()` fills a partly filled 64-bit word
 * with comma bytes. Every field is validated (`FieldRangeError`).
 */
export class ResponseStreamWriter implements ResponseVisitor {
  private bytes: Uint8Array;
  private view: DataView;
  private size = 0;
  private readonly parts = new Uint32Array(3);

  constructor(initialCapacity = 4096) {
    this.bytes = new Uint8Array(Math.max(16, initialCapacity));
    this.view = new DataView(this.bytes.buffer);
  }

  /** Bytes written so far (padding included). */
  get byteLength(): number {
    return this.size;
  }

  private reserve(n: number): number {
    const at = this.size;
    if (at + n > this.bytes.length) {
      const next = new Uint8Array(Math.max(at + n, 2 * this.bytes.length));
      next.set(this.bytes.subarray(0, at));
      this.bytes = next;
      this.view = new DataView(next.buffer);
    }
    this.size = at + n;
    return at;
  }

  /** Writes one message: `top` holds the bits above 64 (10-byte messages), the header is added here. */
  private put(opcode: number, top: number, high: number, low: number): this {
    const length = MESSAGE_BYTES[opcode]!;
    const at = this.reserve(length);
    if (length === 8) {
      this.view.setUint32(at, ((opcode << HIGH_HEADER_SHIFT) | high) >>> 0, false);
      this.view.setUint32(at + 4, low >>> 0, false);
    } else {
      this.view.setUint16(at, (opcode << TOP_HEADER_SHIFT) | top, false);
      this.view.setUint32(at + 2, high >>> 0, false);
      this.view.setUint32(at + 6, low >>> 0, false);
    }
    return this;
  }

  jtagData(value: number): this {
    checkUint('JtagData', 'value', value, JTAG_MAX);
    return this.put(JTAG_DATA, 0, Math.floor(value / 2 ** 32), value >>> 0);
  }

  omnibusData(value: number): this {
    if ((value >>> 0) !== value) fail('OmnibusData', 'value', value);
    return this.put(OMNIBUS_DATA, 0, 0, value);
  }

  loopback(value: number): this {
    checkUint('Loopback', 'value', value, LOOPBACK_MAX);
    return this.put(LOOPBACK, 0, 0, value);
  }

  highspeedLinkNotification(value: number): this {
    checkUint('HighspeedLinkNotification', 'value', value, LINK_MAX);
    return this.put(LINK, 0, 0, value);
  }

  timeoutNotification(value: number, traceStallCount: number, omnibusReadsInFlight: number): this {
    if ((value >>> 0) !== value) fail('TimeoutNotification', 'value', value);
    checkUint('TimeoutNotification', 'traceStallCount', traceStallCount, STALLS_MAX);
    checkUint('TimeoutNotification', 'omnibusReadsInFlight', omnibusReadsInFlight, READS_MAX);
    const high = (traceStallCount << (STALLS_OFFSET - 32)) | (omnibusReadsInFlight << (READS_OFFSET - 32));
    return this.put(TIMEOUT, 0, high, value);
  }

  /** Absolute FPGA time, 43 bit (hardware.md §5.3). */
  systime(value: number): this {
    checkUint('Systime', 'value', value, SYSTIME_MAX);
    return this.put(SYSTIME, 0, Math.floor(value / 2 ** 32), value >>> 0);
  }

  /** FPGA time increment, 8 bit. */
  sysdelta(value: number): this {
    checkUint('Sysdelta', 'value', value, SYSDELTA_MAX);
    return this.put(SYSDELTA, 0, 0, value);
  }

  /** The first `count` (1..3) samples as one MADCSamplePack1/2/3; timestamps from `eventTimestamp`. */
  madcSamplePack(
    values: ArrayLike<number>,
    channels: ArrayLike<number>,
    timestamps: ArrayLike<number>,
    count = values.length,
  ): this {
    checkCount('MADCSamplePack', count);
    const kind = MADC_PACK_KINDS[count - 1]!;
    const parts = this.parts;
    parts.fill(0);
    for (let i = 0; i < count; i++) {
      const value = values[i]!;
      const channel = channels[i]!;
      const timestamp = timestamps[i]!;
      if (!isUint(value, VALUE_MAX)) fail(kind, `samples[${i}].value`, value);
      if (!isUint(channel, CHANNEL_MAX)) fail(kind, `samples[${i}].channel`, channel);
      if (!isUint(timestamp, MADC_TIME_MAX)) fail(kind, `samples[${i}].timestamp`, timestamp);
      const entry = (value << VALUE_SHIFT) | (channel << CHANNEL_SHIFT) | (timestamp << MADC_TIME_SHIFT);
      orBitsAt(parts, EVENT_OFFSETS[count - 1]![i]!, entry);
    }
    return this.put(MADC_PACK1 + count - 1, parts[2]!, parts[1]!, parts[0]!);
  }

  /** The first `count` (1..3) spikes as one SpikePack1/2/3; timestamps from `eventTimestamp`. */
  spikePack(labels: ArrayLike<number>, timestamps: ArrayLike<number>, count = labels.length): this {
    checkCount('SpikePack', count);
    const kind = SPIKE_PACK_KINDS[count - 1]!;
    const parts = this.parts;
    parts.fill(0);
    for (let i = 0; i < count; i++) {
      const label = labels[i]!;
      const timestamp = timestamps[i]!;
      if (!isUint(label, LABEL_MAX)) fail(kind, `spikes[${i}].label`, label);
      if (!isUint(timestamp, SPIKE_TIME_MAX)) fail(kind, `spikes[${i}].timestamp`, timestamp);
      const entry = (label << LABEL_SHIFT) | (timestamp << SPIKE_TIME_SHIFT);
      orBitsAt(parts, EVENT_OFFSETS[count - 1]![i]!, entry);
    }
    return this.put(SPIKE_PACK1 + count - 1, parts[2]!, parts[1]!, parts[0]!);
  }

  /** Appends a response in object form; throws `FieldRangeError` or `UnknownKindError`. */
  write(response: Response): this {
    const parts = this.parts;
    const layout = encodeResponseParts(response, parts);
    return this.put(layout.opcode, parts[2]!, parts[1]!, parts[0]!);
  }

  /**
   * Fills the rest of a partly filled 64-bit word with comma bytes, as the FPGA does when it sends what it
   * has (hardware.md §6.1). Nothing happens on a word boundary.
   */
  pad(): this {
    const rest = this.size % WORD_BYTES;
    if (rest !== 0) {
      const at = this.reserve(WORD_BYTES - rest);
      this.bytes.fill(COMMA_BYTE, at, this.size);
    }
    return this;
  }

  /** Pads the last word and returns a copy of the stream. */
  toBytes(): Uint8Array {
    this.pad();
    return this.bytes.slice(0, this.size);
  }

  /** Empties the writer, keeping its memory. */
  clear(): void {
    this.size = 0;
  }
}

/** Encodes responses in object form into one padded byte stream. */
export function encodeResponses(responses: Iterable<Response>): Uint8Array {
  const writer = new ResponseStreamWriter();
  for (const response of responses) writer.write(response);
  return writer.toBytes();
}
