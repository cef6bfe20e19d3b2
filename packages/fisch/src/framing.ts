// Message framing shared by both directions (hardware.md §6.1).

/**
 * Header width both ways: 1 comma bit + ⌈log2(types)⌉ opcode bits (16 instruction, 13 response types),
 * rounded up to a byte.
 */
export const HEADER_BITS = 8;
/** The comma bit is the header MSB; it is 0 in every valid message. */
export const COMMA_BIT = 0x80;
/** The opcode sits in the header bits below the comma bit. */
export const OPCODE_MASK = 0x7f;
/** Transport unit in both directions: a 64-bit word, sent big-endian. */
export const WORD_BYTES = 8;
/** Minimum response message: one 64-bit word. */
export const MIN_MESSAGE_BITS = 64;
/**
 * What the device fills the tail of a partly filled word with. Any byte with the comma bit set would do;
 * the decoder only demands the MSB (hardware.md §6.1).
 */
export const COMMA_BYTE = 0x80;

/** Bytes of a response message with `payloadBits` of payload: `max(64, ⌈(8 + payload)/8⌉·8)` bits. */
export function messageBytes(payloadBits: number): number {
  return Math.max(MIN_MESSAGE_BITS, Math.ceil((HEADER_BITS + payloadBits) / 8) * 8) / 8;
}

/** First byte of the next 64-bit word after the byte at `offset`: where comma padding ends. */
export function nextWordBoundary(offset: number): number {
  return (Math.floor(offset / WORD_BYTES) + 1) * WORD_BYTES;
}

/** `0x0123_4567_89ab_cdef`-style hex of a word given as its two 32-bit halves, for error messages. */
export function wordHex(high: number, low: number): string {
  const hex = (high >>> 0).toString(16).padStart(8, '0') + (low >>> 0).toString(16).padStart(8, '0');
  return `0x${hex.slice(0, 4)}_${hex.slice(4, 8)}_${hex.slice(8, 12)}_${hex.slice(12)}`;
}

/** Hex of a byte range, for error messages. */
export function bytesHex(bytes: Uint8Array, start: number, end: number): string {
  let out = '0x';
  for (let i = start; i < end; i++) out += bytes[i]!.toString(16).padStart(2, '0');
  return out;
}
