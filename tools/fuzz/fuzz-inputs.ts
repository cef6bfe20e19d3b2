// Inputs of the served-simulator fuzzer: random bytes, mutated valid frame sequences, mutated valid
// instruction streams, all from one seeded generator so that a failing case is reproduced by its seed.
import { InstructionStream, Loopback } from '@bss2/fisch';
import { FrameKind, encodeControl, encodeFrame } from '@bss2/hxcomm';
import { PROTOCOL_VERSION } from '@bss2/chip-sim';

/** mulberry32: small, fast, and good enough to pick mutations. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  }

  /** Integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  uint32(): number {
    return (this.below(0x1_0000) * 0x1_0000 + this.below(0x1_0000)) >>> 0;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.below(256);
    return out;
  }
}

/** A 32-bit read-write word: top PPU memory (hardware.md §3.11). */
export const PPU_WORD = 0x0280_0010;
/** Addresses valid programs touch: a PPU word, NeuronConfig(0) word 0, an unmapped word, an FPGA-side word. */
const ADDRESSES = [PPU_WORD, 0x16_0002, 0x0400_0000, 0x8000_0010];

/** A valid program of up to `max` instructions, ending in Loopback(halt) most of the time. */
export function validProgram(random: Random, max = 48): Uint8Array {
  const stream = new InstructionStream();
  const count = random.below(max + 1);
  for (let i = 0; i < count; i++) {
    switch (random.below(10)) {
      case 0:
      case 1:
        stream.omnibusWrite(random.pick(ADDRESSES), random.uint32(), 1 + random.below(15));
        break;
      case 2:
      case 3:
        stream.omnibusRead(random.pick(ADDRESSES));
        break;
      case 4:
        stream.timingSetup().waitUntil(random.below(5000));
        break;
      case 5:
        stream.barrier(random.below(32));
        break;
      case 6:
        stream.loopback(Loopback.tick);
        break;
      case 7:
        stream.jtagIns(1).jtagData(0, 32, true);
        break;
      case 8:
        stream.spikePack([random.below(0x1_0000)]);
        break;
      default:
        stream.systimeInit(random.below(2) === 1);
    }
  }
  if (random.below(8) !== 0) stream.loopback(Loopback.halt);
  return stream.toBytes();
}

/** Writes `value` to the PPU word and reads it back: the known program checked after every bad client. */
export function knownProgram(value: number): Uint8Array {
  return new InstructionStream().omnibusWrite(PPU_WORD, value).omnibusRead(PPU_WORD).loopback(Loopback.halt).toBytes();
}

export function helloFrame(protocolVersion = PROTOCOL_VERSION): Uint8Array {
  return encodeFrame(FrameKind.control, encodeControl({ type: 'hello', protocolVersion, client: 'serve-fuzz' }));
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Applies 1–4 random edits: bit flips, byte sets, truncation, insertion, deletion, duplication, length fields. */
export function mutate(random: Random, input: Uint8Array, wordAligned = false): Uint8Array {
  let bytes: Uint8Array = input.slice();
  const edits = 1 + random.below(4);
  for (let e = 0; e < edits; e++) {
    const at = bytes.length === 0 ? 0 : random.below(bytes.length);
    switch (random.below(wordAligned ? 6 : 8)) {
      case 0:
        if (bytes.length > 0) bytes[at]! ^= 1 << random.below(8);
        break;
      case 1:
        if (bytes.length > 0) bytes[at] = random.below(256);
        break;
      case 2:
        bytes = bytes.slice(0, wordAligned ? at - (at % 8) : at);
        break;
      case 3: {
        const insert = random.bytes(wordAligned ? 8 : 1 + random.below(16));
        bytes = concat([bytes.subarray(0, at), insert, bytes.subarray(at)]);
        break;
      }
      case 4: {
        const length = wordAligned ? 8 : 1 + random.below(16);
        bytes = concat([bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + length))]);
        break;
      }
      case 5: {
        const length = wordAligned ? 8 * (1 + random.below(4)) : 1 + random.below(32);
        bytes = concat([bytes.subarray(0, at + length), bytes.subarray(at)]);
        break;
      }
      case 6:
        // A frame header's length field: small, huge, or just past the limit.
        if (bytes.length >= 4) {
          const value = random.pick([random.below(64), random.uint32(), 2 ** 25 + 1, 0xffff_ffff]);
          new DataView(bytes.buffer, bytes.byteOffset).setUint32(random.below(bytes.length - 3), value, true);
        }
        break;
      default:
        // A kind byte: 4..255 are unknown kinds.
        if (bytes.length > 0) bytes[at] = random.pick([0, 1, 2, 3, 4 + random.below(252)]);
    }
  }
  return bytes;
}

/** A valid client conversation: hello, then programs and control messages, as one byte string. */
export function validConversation(random: Random): Uint8Array {
  const parts: Uint8Array[] = [helloFrame(random.below(16) === 0 ? PROTOCOL_VERSION + 1 : PROTOCOL_VERSION)];
  const frames = random.below(4);
  for (let i = 0; i < frames; i++) {
    const choice = random.below(6);
    if (choice === 0) parts.push(encodeFrame(FrameKind.control, encodeControl({ type: 'reset' })));
    else if (choice === 1) parts.push(encodeFrame(FrameKind.control, encodeControl({ type: 'terminate' })));
    else parts.push(encodeFrame(FrameKind.instructions, validProgram(random, 12)));
  }
  return concat(parts);
}

/** Random bytes, half of them after a valid hello (to get past the handshake). */
export function randomBytes(random: Random): Uint8Array {
  const length = random.below(8) === 0 ? random.below(4096) : random.below(64);
  const noise = random.bytes(length);
  return random.below(2) === 0 ? noise : concat([helloFrame(), noise]);
}
