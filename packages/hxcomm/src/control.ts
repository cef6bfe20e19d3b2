import { Packr } from 'msgpackr';
import { FramingError } from './errors.js';

/**
 * Control messages, the payload of kind-2 frames (hardware.md §6.1, Choice), as msgpack maps with a `type`:
 *
 * - `hello` (client → server, first frame): the client's protocol version and name.
 * - `identity` (server → client): the answer to a matching hello: protocol version, chip seed, simulator version,
 *   response latency (fisch's `DeviceIdentity` without the `kind`, which the client knows).
 * - `version-mismatch` (server → client): the answer to a hello of another version; the server then closes.
 * - `reset` (client → server, and back as acknowledgement): power-on reset of the served chip, queued in order
 *   with the instruction frames (the reference simulator's `issue_reset`, §6.2).
 * - `terminate` (client → server): the client ends its session; the server closes this connection only.
 * - `halt` (server → client): the server stops serving; pending requests will not be answered.
 */
export type ControlMessage =
  | { readonly type: 'hello'; readonly protocolVersion: number; readonly client: string }
  | {
      readonly type: 'identity';
      readonly protocolVersion: number;
      readonly chipSeed: number;
      readonly simulatorVersion: string;
      readonly responseLatency_cycles: number;
    }
  | { readonly type: 'version-mismatch'; readonly protocolVersion: number; readonly simulatorVersion: string }
  | { readonly type: 'reset' }
  | { readonly type: 'terminate' }
  | { readonly type: 'halt' };

export type ControlType = ControlMessage['type'];

/** Largest control payload a receiver accepts: the messages above take a few dozen bytes. */
export const MAX_CONTROL_PAYLOAD_BYTES = 4096;

// Plain maps, no msgpackr records or extensions: any msgpack implementation can speak the handshake.
const packr = new Packr({ useRecords: false, moreTypes: false, mapsAsObjects: true });

/** Fields of each message and the check of their values. */
const FIELDS: { readonly [T in ControlType]: Readonly<Record<string, (value: unknown) => boolean>> } = {
  hello: { protocolVersion: isUint32, client: isShortString },
  identity: { protocolVersion: isUint32, chipSeed: isUint32, simulatorVersion: isShortString, responseLatency_cycles: isUint32 },
  'version-mismatch': { protocolVersion: isUint32, simulatorVersion: isShortString },
  reset: {},
  terminate: {},
  halt: {},
};

function isUint32(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff;
}

function isShortString(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 256;
}

export function encodeControl(message: ControlMessage): Uint8Array {
  const bytes = packr.pack(message) as Uint8Array;
  // msgpackr hands out a Buffer on Node; the frame code wants nothing but the bytes.
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Parses and checks a control payload; anything else than one of the messages above is a `FramingError`. */
export function decodeControl(payload: Uint8Array): ControlMessage {
  if (payload.length > MAX_CONTROL_PAYLOAD_BYTES) {
    throw new FramingError(`a control message holds at most ${MAX_CONTROL_PAYLOAD_BYTES} bytes, this one ${payload.length}`);
  }
  let value: unknown;
  try {
    value = packr.unpack(payload);
  } catch (error) {
    throw new FramingError(`a control frame is not msgpack: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new FramingError('a control message must be a msgpack map with a "type"');
  }
  const record = value as Record<string, unknown>;
  const type = record['type'];
  if (typeof type !== 'string' || !Object.hasOwn(FIELDS, type)) {
    throw new FramingError(`unknown control message type ${describe(type)}; known: ${Object.keys(FIELDS).join(', ')}`);
  }
  const fields = FIELDS[type as ControlType];
  for (const [name, valid] of Object.entries(fields)) {
    if (!valid(record[name])) {
      throw new FramingError(`control message "${type}" has an invalid ${name}: ${describe(record[name])}`);
    }
  }
  const message: Record<string, unknown> = { type };
  for (const name of Object.keys(fields)) message[name] = record[name];
  return message as ControlMessage;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'a map';
}
