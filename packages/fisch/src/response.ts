import {
  acceptsValue,
  arrayLengths,
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
import { ResponseOpcode as Op, SYSTIME_BITS } from './constants.js';
import { UnknownKindError } from './errors.js';
import { HEADER_BITS, messageBytes } from './framing.js';

/** One spike of a SpikePack response: 16-bit label and 8-bit chip timestamp (hardware.md §5.3). */
export interface SpikeSample {
  readonly label: number;
  readonly timestamp: number;
}

/** One MADC sample: 10-bit value, channel (0/1) and 8-bit chip timestamp (hardware.md §5.3). */
export interface MADCSample {
  readonly value: number;
  readonly channel: number;
  readonly timestamp: number;
}

/** The decoded object form of one response from the FPGA (hardware.md §5.3). */
export type Response =
  | { readonly kind: 'JtagData'; readonly value: number }
  | { readonly kind: 'OmnibusData'; readonly value: number }
  | { readonly kind: 'Loopback'; readonly value: number }
  | { readonly kind: 'HighspeedLinkNotification'; readonly value: number }
  | {
      readonly kind: 'TimeoutNotification';
      readonly value: number;
      readonly traceStallCount: number;
      readonly omnibusReadsInFlight: number;
    }
  | { readonly kind: 'Systime'; readonly value: number }
  | { readonly kind: 'Sysdelta'; readonly value: number }
  | { readonly kind: 'MADCSamplePack1'; readonly samples: readonly [MADCSample] }
  | { readonly kind: 'MADCSamplePack2'; readonly samples: readonly [MADCSample, MADCSample] }
  | { readonly kind: 'MADCSamplePack3'; readonly samples: readonly [MADCSample, MADCSample, MADCSample] }
  | { readonly kind: 'SpikePack1'; readonly spikes: readonly [SpikeSample] }
  | { readonly kind: 'SpikePack2'; readonly spikes: readonly [SpikeSample, SpikeSample] }
  | { readonly kind: 'SpikePack3'; readonly spikes: readonly [SpikeSample, SpikeSample, SpikeSample] };

export type ResponseKind = Response['kind'];

/** Where each field of a response sits in its message (bits from the message LSB). */
export interface ResponseLayout {
  readonly kind: ResponseKind;
  readonly opcode: number;
  readonly payloadBits: number;
  /** `max(64, ⌈(8 + payload)/8⌉·8)` bits (hardware.md §6.1): 8, or 10 for the three-event packs. */
  readonly bytes: number;
  readonly fields: readonly BitField[];
  /** Bits between header and payload, and unused bits inside it, that must be zero: `[low, high, top]`. */
  readonly reserved: Uint32Array;
}

/** Bits of one pack entry (hardware.md §5.3: 16-bit field + 8-bit timestamp). */
export const EVENT_BITS = 24;

/** Fields of one spike relative to its entry: label at the bottom, timestamp above (upstream event_from_fpga.h). */
export const SPIKE_FIELDS = {
  label: uintField('label', 0, 16),
  timestamp: uintField('timestamp', 16, 8),
} as const;

/** Fields of one MADC sample relative to its entry: value bits 9..0, channel bit 10 of the 16-bit field. */
export const MADC_FIELDS = {
  value: uintField('value', 0, 10),
  channel: uintField('channel', 10, 1),
  timestamp: uintField('timestamp', 16, 8),
} as const;

/** Bit offset of entry `index` of a pack of `count`: the first entry sits in the highest bits. */
export function eventOffset(count: number, index: number): number {
  return EVENT_BITS * (count - 1 - index);
}

/** Per pack size − 1 and entry: bit offset of the entry in the message. */
export function eventOffsets(): number[][] {
  return [1, 2, 3].map((count) => Array.from({ length: count }, (_, i) => eventOffset(count, i)));
}

/** Response kinds of the packs by size − 1. */
export const SPIKE_PACK_KINDS = ['SpikePack1', 'SpikePack2', 'SpikePack3'] as const;
export const MADC_PACK_KINDS = ['MADCSamplePack1', 'MADCSamplePack2', 'MADCSamplePack3'] as const;

function packFields(list: 'spikes' | 'samples', entry: Record<string, BitField>, count: number): BitField[] {
  const fields: BitField[] = [];
  for (let i = 0; i < count; i++) {
    for (const f of Object.values(entry)) {
      fields.push(uintField([list, i, f.path[0]!], eventOffset(count, i) + f.offset, f.width, { min: f.min, max: f.max }));
    }
  }
  return fields;
}

function layout(kind: ResponseKind, opcode: number, payloadBits: number, fields: BitField[]): ResponseLayout {
  const bytes = messageBytes(payloadBits);
  return { kind, opcode, payloadBits, bytes, fields, reserved: reservedMask(fields, 8 * bytes - HEADER_BITS) };
}

/** Every response, indexed by opcode (hardware.md §5.3). */
export const RESPONSE_LAYOUTS: readonly ResponseLayout[] = [
  layout('JtagData', Op.JtagData, 33, [uintField('value', 0, 33)]),
  layout('OmnibusData', Op.OmnibusData, 32, [uintField('value', 0, 32)]),
  layout('Loopback', Op.Loopback, 1, [uintField('value', 0, 1)]),
  layout('HighspeedLinkNotification', Op.HighspeedLinkNotification, 8, [uintField('value', 0, 8)]),
  // Choice: fields bottom-up in the order hardware.md §5.3 lists them (the reference leaves the order open).
  layout('TimeoutNotification', Op.TimeoutNotification, 45, [
    uintField('value', 0, 32),
    uintField('traceStallCount', 32, 7),
    uintField('omnibusReadsInFlight', 39, 6),
  ]),
  layout('Systime', Op.Systime, SYSTIME_BITS, [uintField('value', 0, SYSTIME_BITS)]),
  layout('Sysdelta', Op.Sysdelta, 8, [uintField('value', 0, 8)]),
  layout('MADCSamplePack1', Op.MADCSamplePack1, EVENT_BITS, packFields('samples', MADC_FIELDS, 1)),
  layout('MADCSamplePack2', Op.MADCSamplePack2, 2 * EVENT_BITS, packFields('samples', MADC_FIELDS, 2)),
  layout('MADCSamplePack3', Op.MADCSamplePack3, 3 * EVENT_BITS, packFields('samples', MADC_FIELDS, 3)),
  layout('SpikePack1', Op.SpikePack1, EVENT_BITS, packFields('spikes', SPIKE_FIELDS, 1)),
  layout('SpikePack2', Op.SpikePack2, 2 * EVENT_BITS, packFields('spikes', SPIKE_FIELDS, 2)),
  layout('SpikePack3', Op.SpikePack3, 3 * EVENT_BITS, packFields('spikes', SPIKE_FIELDS, 3)),
];

const layoutByKind = new Map<string, ResponseLayout>(RESPONSE_LAYOUTS.map((l) => [l.kind, l]));
const KINDS = RESPONSE_LAYOUTS.map((l) => l.kind);
const ARRAY_LENGTHS = RESPONSE_LAYOUTS.map((l) => arrayLengths(l.fields));

/** Message length in bytes per header value; 0 for header values that are no response opcode. */
export const MESSAGE_BYTES = new Uint8Array(256);
for (const l of RESPONSE_LAYOUTS) MESSAGE_BYTES[l.opcode] = l.bytes;

/** The layout of `kind`. */
export function responseLayout(kind: ResponseKind): ResponseLayout {
  return layoutByKind.get(kind)!;
}

/** The field `name` of response `kind`. */
export function responseField(kind: ResponseKind, name: string): BitField {
  return responseLayout(kind).fields.find((f) => f.name === name)!;
}

/**
 * Validates a response in object form and writes its payload bits to `parts` (`[low, high, top]`, without
 * the header). Returns its layout. Throws `FieldRangeError` naming the field, or `UnknownKindError`.
 */
export function encodeResponseParts(response: Response, parts: Uint32Array): ResponseLayout {
  const kind = (response as { kind?: unknown } | null)?.kind;
  const l = layoutByKind.get(kind as string);
  if (l === undefined) throw new UnknownKindError('response', kind, KINDS);
  checkArrayLengths(l.kind, ARRAY_LENGTHS[l.opcode]!, response);
  parts.fill(0);
  for (const field of l.fields) {
    const value = getPath(response, field.path);
    if (!acceptsValue(field, value)) rejectValue(l.kind, field, value);
    writeBits(parts, field.offset, field.width, value as number);
  }
  return l;
}

/** The object form of a validated message held in `parts`. */
export function responseFromParts(l: ResponseLayout, parts: ArrayLike<number>): Response {
  const response: Record<string, unknown> = { kind: l.kind };
  for (const field of l.fields) setPath(response, field.path, readBits(parts, field.offset, field.width));
  return response as unknown as Response;
}
