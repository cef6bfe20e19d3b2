import { Packr } from 'msgpackr';
import { FramingError } from './errors.js';
import { MAX_CONTROL_PAYLOAD_BYTES } from './frame.js';

export { MAX_CONTROL_PAYLOAD_BYTES };

/**
 * Control messages, the payload of kind-2 frames (hardware.md §6.1, Choice), as msgpack maps with a `type`:
 *
 * - `hello` (client → server, first frame): the client's protocol version and name; for the scheduling service
 *   also `user` and `token` (a servers without authentication ignores them).
 * - `identity` (server → client): the answer to a matching hello: protocol version, chip seed, simulator version,
 *   response latency (fisch's `DeviceIdentity` without the `kind`, which the client knows).
 * - `version-mismatch` (server → client): the answer to a hello of another version; the server then closes.
 * - `reset` (client → server, and back as acknowledgement): power-on reset of the served chip, queued in order
 *   with the instruction frames (the reference simulator's `issue_reset`, §6.2).
 * - `terminate` (client → server): the client ends its session; the server closes this connection only.
 * - `halt` (server → client): the server stops serving; pending requests will not be answered.
 * - `reinit-upload` (client → server, and back as acknowledgement; scheduling service, hardware.md §6.4): the
 *   next instruction frame is the user's reinit program, and when `snapshot` is true the one after it is the
 *   snapshot program (omnibus reads only); neither is executed now. Queued in order with the user's programs.
 * - `reinit-enforce` (client → server, and back): the user's next program runs after the reinit even if the
 *   chip still holds the user's state (the reference's `enforce_reinit`).
 */
export type ControlMessage =
  | { readonly type: 'hello'; readonly protocolVersion: number; readonly client: string; readonly user?: string; readonly token?: string }
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
  | { readonly type: 'halt' }
  | { readonly type: 'reinit-upload'; readonly snapshot: boolean }
  | { readonly type: 'reinit-enforce' };

export type ControlType = ControlMessage['type'];

/** Longest `user` of a hello. */
export const MAX_USER_CHARS = 64;
/** Longest `token` of a hello. */
export const MAX_TOKEN_CHARS = 2048;

// Plain maps, no msgpackr records or extensions: any msgpack implementation can speak the handshake.
const packr = new Packr({ useRecords: false, moreTypes: false, mapsAsObjects: true });

/** Fields that may be absent (msgpack nil counts as absent). */
const OPTIONAL = new WeakSet<(value: unknown) => boolean>();

function optional(check: (value: unknown) => boolean): (value: unknown) => boolean {
  const wrapped = (value: unknown) => value === undefined || value === null || check(value);
  OPTIONAL.add(wrapped);
  return wrapped;
}

/** Fields of each message and the check of their values. */
const FIELDS: { readonly [T in ControlType]: Readonly<Record<string, (value: unknown) => boolean>> } = {
  hello: { protocolVersion: isUint32, client: isShortString, user: optional(isUserName), token: optional(isToken) },
  identity: { protocolVersion: isUint32, chipSeed: isUint32, simulatorVersion: isShortString, responseLatency_cycles: isUint32 },
  'version-mismatch': { protocolVersion: isUint32, simulatorVersion: isShortString },
  reset: {},
  terminate: {},
  halt: {},
  'reinit-upload': { snapshot: (value) => typeof value === 'boolean' },
  'reinit-enforce': {},
};

/** The service's user names (USER_NAME_PATTERN of @bss2/service): 1..64 of letters, digits, '.', '_', '-'. */
function isUserName(value: unknown): boolean {
  return typeof value === 'string' && value.length <= MAX_USER_CHARS && /^[A-Za-z0-9._-]+$/.test(value);
}

function isToken(value: unknown): boolean {
  return typeof value === 'string' && value.length <= MAX_TOKEN_CHARS;
}

function isUint32(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff;
}

function isShortString(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 256;
}

export function encodeControl(message: ControlMessage): Uint8Array {
  // Absent optional fields are left out (not sent as nil).
  const defined = Object.fromEntries(Object.entries(message).filter(([, value]) => value !== undefined));
  const bytes = packr.pack(defined) as Uint8Array;
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
  for (const [name, check] of Object.entries(fields)) {
    const field = record[name];
    if (OPTIONAL.has(check) && (field === undefined || field === null)) continue;
    message[name] = field;
  }
  return message as ControlMessage;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'a map';
}
