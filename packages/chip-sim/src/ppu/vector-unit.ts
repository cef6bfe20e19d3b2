import { Random } from '../analog/random.js';
import { VECTOR_BYTES, VECTOR_HALFWORDS, VECTOR_REGISTERS } from './constants.js';

// Switches use the numeric values of `Op` as literals with the name in a comment (a jump table instead of a
// chain of property loads); ppu-scalar.test.ts checks every literal against ops.ts.
//
// Speed (ppu.bench.ts): the unit runs one specialised loop per operation and lane width, with no closure or
// call per lane. The registers, the accumulator and a result scratch share one buffer with byte, signed-byte
// and 32-bit views; byte-lane modulo and saturating add/subtract, compare, select, splat and every masked
// write work on four lanes per 32-bit word (SWAR), which needs no assumption about the platform's byte
// order because no carry crosses a byte lane. Halfwords are big-endian byte pairs and use plain loops.

/** Vector condition of an element after `fxvcmpb`/`fxvcmph` (the `C` operand's values 1 gt, 2 lt, 3 eq). */
const GT = 1;
const LT = 2;
const EQ = 3;
const CONDITIONS = 4;

/** Signed fractional saturation (Q0.7 / Q0.15, hardware.md §7). */
export const sat8 = (x: number): number => (x > 127 ? 127 : x < -128 ? -128 : x);
export const sat16 = (x: number): number => (x > 32767 ? 32767 : x < -32768 ? -32768 : x);

/** sat8 as a table over −256..255 (index x + 256): a branch-free clamp of byte sums and products. */
const SAT8 = Int8Array.from({ length: 512 }, (_, i) => sat8(i - 256));

/** Words of one vector. */
const W = VECTOR_BYTES / 4;
/** Vector index of the accumulator and of the result scratch in the unit's buffer (after the 32 registers). */
const ACC = VECTOR_REGISTERS;
const OUT = VECTOR_REGISTERS + 1;
const VECTORS = VECTOR_REGISTERS + 2;

/** SWAR constants: the sign bit and the low seven bits of every byte lane. */
const HIGH = 0x8080_8080 | 0;
const LOW = 0x7f7f_7f7f;

/** A byte-lane word of 0x80 flags (one per lane) widened to 0xFF lanes. */
const widen = (flags: number): number => (flags - (flags >>> 7)) | flags;

/** Where a lane op's result goes: VRT, the accumulator, or both (the accumulator's new value also to VRT). */
const TO_VRT = 0;
const TO_ACC = 1;
const TO_BOTH = 2;

/** The arithmetic of the lane ops (the op table maps each op to one of these, a lane width and a destination). */
const ADD = 0;
const SUB = 1;
const MUL = 2;
const FMA = 3;
const ADD_SAT = 4;
const SUB_SAT = 5;
const MUL_SAT = 6;
const FMA_SAT = 7;
const COPY = 8;
/** Operands of a lane op: VRA and VRB, or the accumulator and VRA. */
const FROM_AB = 0;
const FROM_ACC_A = 1;

/** Per op (index = op number): kind + 16 · (halfword) + 32 · destination + 128 · operands; −1: not a lane op. */
const LANE = new Int16Array(256).fill(-1);
const lane = (ops: readonly number[], kind: number, half: boolean, to: number, from: number): void => {
  for (const op of ops) LANE[op] = kind + (half ? 16 : 0) + 32 * to + 128 * from;
};
// fxv{add,sub,mul}{b,h}{m,fs}: VRT ← VRA op VRB
lane([80 /* vAddBM */], ADD, false, TO_VRT, FROM_AB);
lane([81 /* vAddHM */], ADD, true, TO_VRT, FROM_AB);
lane([82 /* vAddBFS */], ADD_SAT, false, TO_VRT, FROM_AB);
lane([83 /* vAddHFS */], ADD_SAT, true, TO_VRT, FROM_AB);
lane([84 /* vSubBM */], SUB, false, TO_VRT, FROM_AB);
lane([85 /* vSubHM */], SUB, true, TO_VRT, FROM_AB);
lane([86 /* vSubBFS */], SUB_SAT, false, TO_VRT, FROM_AB);
lane([87 /* vSubHFS */], SUB_SAT, true, TO_VRT, FROM_AB);
lane([88 /* vMulBM */], MUL, false, TO_VRT, FROM_AB);
lane([89 /* vMulHM */], MUL, true, TO_VRT, FROM_AB);
lane([90 /* vMulBFS */], MUL_SAT, false, TO_VRT, FROM_AB);
lane([91 /* vMulHFS */], MUL_SAT, true, TO_VRT, FROM_AB);
// fxvma: VRT ← ACC + VRA · VRB; fxvmatac: ACC ← the same; fxvmultac: ACC ← VRA · VRB; fxvaddtac: ACC ← VRA + VRB
lane([92 /* vMaBM */], FMA, false, TO_VRT, FROM_AB);
lane([93 /* vMaHM */], FMA, true, TO_VRT, FROM_AB);
lane([94 /* vMaBFS */], FMA_SAT, false, TO_VRT, FROM_AB);
lane([95 /* vMaHFS */], FMA_SAT, true, TO_VRT, FROM_AB);
lane([96 /* vMatacBM */], FMA, false, TO_ACC, FROM_AB);
lane([97 /* vMatacHM */], FMA, true, TO_ACC, FROM_AB);
lane([98 /* vMatacBFS */], FMA_SAT, false, TO_ACC, FROM_AB);
lane([99 /* vMatacHFS */], FMA_SAT, true, TO_ACC, FROM_AB);
lane([100 /* vMultacBM */], MUL, false, TO_ACC, FROM_AB);
lane([101 /* vMultacHM */], MUL, true, TO_ACC, FROM_AB);
lane([102 /* vMultacBFS */], MUL_SAT, false, TO_ACC, FROM_AB);
lane([103 /* vMultacHFS */], MUL_SAT, true, TO_ACC, FROM_AB);
lane([104 /* vAddtacBM */], ADD, false, TO_ACC, FROM_AB);
lane([105 /* vAddtacHM */], ADD, true, TO_ACC, FROM_AB);
// fxvaddac: VRT ← ACC + VRA; fxvaddactac: ACC ← ACC + VRA, and VRT ← the new ACC; fxvmtac: ACC ← VRA
lane([106 /* vAddacBM */], ADD, false, TO_VRT, FROM_ACC_A);
lane([107 /* vAddacHM */], ADD, true, TO_VRT, FROM_ACC_A);
lane([108 /* vAddacBFS */], ADD_SAT, false, TO_VRT, FROM_ACC_A);
lane([109 /* vAddacHFS */], ADD_SAT, true, TO_VRT, FROM_ACC_A);
lane([110 /* vAddactacBM */], ADD, false, TO_BOTH, FROM_ACC_A);
lane([111 /* vAddactacHM */], ADD, true, TO_BOTH, FROM_ACC_A);
lane([112 /* vAddactacBFS */], ADD_SAT, false, TO_BOTH, FROM_ACC_A);
lane([113 /* vAddactacHFS */], ADD_SAT, true, TO_BOTH, FROM_ACC_A);
lane([114 /* vMtacB */], COPY, false, TO_ACC, FROM_AB);
lane([115 /* vMtacH */], COPY, true, TO_ACC, FROM_AB);

/**
 * The s2pp vector unit of one PPU (hardware.md §7): 32 registers of 128 bytes (big-endian halfwords: element
 * i is bytes 2i, 2i + 1), the accumulator, the per-byte vector condition that `fxvcmpb`/`fxvcmph` set and the
 * `C` operand tests (0 always, 1 gt, 2 lt, 3 eq; a halfword element tests the condition of its high byte), and
 * the random generator (**Choice:** xoshiro128** seeded per chip and PPU) behind `fxvrand`, the stochastic
 * rounding shifts and the random window. Elements whose condition fails keep their old value.
 */
export class VectorUnit {
  /** Registers, accumulator and result scratch, in one buffer. */
  private readonly bytes = new Uint8Array(VECTORS * VECTOR_BYTES);
  private readonly signed = new Int8Array(this.bytes.buffer);
  private readonly words = new Int32Array(this.bytes.buffer);
  /** The 32 registers, 128 bytes each. */
  readonly registers = this.bytes.subarray(0, VECTOR_REGISTERS * VECTOR_BYTES);
  readonly accumulator = this.bytes.subarray(ACC * VECTOR_BYTES, (ACC + 1) * VECTOR_BYTES);
  /** Per byte: the condition (1 gt, 2 lt, 3 eq) of the last compare. */
  readonly condition = new Uint8Array(VECTOR_BYTES);
  private readonly conditionWords = new Int32Array(this.condition.buffer);
  /** Per condition value 0..3, per byte: 0xFF where it holds (value 0: always) — the byte masks of writes. */
  private readonly masks = new Int32Array(CONDITIONS * W);
  private readonly maskViews: readonly Uint8Array[];
  /** The same for halfword elements: both bytes take the mask of the high byte (computed when first needed). */
  private readonly halfMasks = new Int32Array(CONDITIONS * W);
  private halfMasksValid = false;
  private random: Random;

  constructor(private readonly seed: number) {
    this.random = new Random(seed);
    const maskBytes = new Uint8Array(this.masks.buffer);
    this.maskViews = Array.from({ length: CONDITIONS }, (_, c) => maskBytes.subarray(c * VECTOR_BYTES, (c + 1) * VECTOR_BYTES));
    this.masks.fill(-1, 0, W);
    this.halfMasks.fill(-1, 0, W);
    this.reset();
  }

  /** Registers and accumulator 0, every condition `eq` (as after comparing zeros), the generator reseeded. */
  reset(): void {
    this.bytes.fill(0);
    this.condition.fill(EQ);
    this.conditionChanged();
    this.random = new Random(this.seed);
  }

  /** Per byte: non-zero where condition `c` holds (0: always) — the byte mask of conditional stores. */
  maskFor(c: number): Uint8Array {
    return this.maskViews[c]!;
  }

  /** 128 random bytes into `target[offset..]`. */
  randomBytes(target: Uint8Array, offset: number): void {
    for (let i = 0; i < VECTOR_BYTES; i += 4) {
      const r = this.random.nextUint32();
      target[offset + i] = r >>> 24;
      target[offset + i + 1] = r >>> 16;
      target[offset + i + 2] = r >>> 8;
      target[offset + i + 3] = r;
    }
  }

  /** VRT ← the 32 big-endian words of local memory from `wordIndex`. */
  load(t: number, memory: Uint32Array, wordIndex: number): void {
    const r = this.bytes;
    const base = t * VECTOR_BYTES;
    for (let k = 0; k < W; k++) {
      const w = memory[wordIndex + k]!;
      const at = base + 4 * k;
      r[at] = w >>> 24;
      r[at + 1] = w >>> 16;
      r[at + 2] = w >>> 8;
      r[at + 3] = w;
    }
  }

  /** Local memory from `wordIndex` ← VRT, only the bytes for which condition `c` holds. */
  store(t: number, memory: Uint32Array, wordIndex: number, c: number): void {
    const r = this.bytes;
    const base = t * VECTOR_BYTES;
    if (c === 0) {
      for (let k = 0; k < W; k++) {
        const at = base + 4 * k;
        memory[wordIndex + k] = (r[at]! << 24) | (r[at + 1]! << 16) | (r[at + 2]! << 8) | r[at + 3]!;
      }
      return;
    }
    const mask = this.maskViews[c]!;
    for (let k = 0; k < W; k++) {
      const at = base + 4 * k;
      const w = (r[at]! << 24) | (r[at + 1]! << 16) | (r[at + 2]! << 8) | r[at + 3]!;
      const m = (mask[4 * k]! << 24) | (mask[4 * k + 1]! << 16) | (mask[4 * k + 2]! << 8) | mask[4 * k + 3]!;
      memory[wordIndex + k] = (memory[wordIndex + k]! & ~m) | (w & m);
    }
  }

  /** `fxvsplatb`/`fxvsplath`: every element of VRT ← the low byte / halfword of `value`. */
  splat(op: number, t: number, value: number, c: number): void {
    // The pattern of four bytes in the scratch, read back as a word: the lanes in memory order on any platform.
    const r = this.bytes;
    const o = OUT * VECTOR_BYTES;
    const half = op === 117 /* vSplatH */;
    r[o] = half ? value >>> 8 : value;
    r[o + 1] = value;
    r[o + 2] = half ? value >>> 8 : value;
    r[o + 3] = value;
    const pattern = this.words[OUT * W]!;
    const masks = half ? this.halfMasksOf(c) : this.masks;
    const w = this.words;
    const d = t * W;
    const m = c * W;
    for (let k = 0; k < W; k++) {
      const mk = masks[m + k]!;
      w[d + k] = (pattern & mk) | (w[d + k]! & ~mk);
    }
  }

  /** Every other vector instruction: a = VRT, b = VRA, c = VRB or the shift, d = the condition. */
  execute(op: number, a: number, b: number, c: number, d: number): void {
    const code = LANE[op]!;
    if (code >= 0) {
      this.lane(code, a, b, c, d);
      return;
    }
    switch (op) {
      case 120 /* vCmpB */:
        this.compareBytes(b);
        return;
      case 121 /* vCmpH */:
        this.compareHalfwords(b);
        return;
      case 122 /* vSel */:
        this.select(a, b, c, d);
        return;
      case 118 /* vShB */:
        this.shiftBytes(a, b, c, d);
        return;
      case 119 /* vShH */:
        this.shiftHalfwords(b, c);
        this.commit(a, this.halfMasksOf(d), d);
        return;
      case 123 /* vPckBU */:
      case 124 /* vPckBL */:
        this.pack(b, c, op === 124 /* vPckBL */ ? 1 : 0);
        this.commit(a, this.masks, d);
        return;
      case 125 /* vUpckBL */:
      case 126 /* vUpckBR */:
        this.unpack(b, c, op === 126 /* vUpckBR */ ? VECTOR_HALFWORDS : 0);
        this.commit(a, this.halfMasksOf(d), d);
        return;
      case 131 /* vSrsB */:
      case 132 /* vSrsH */:
        this.roundStochastic(op === 132 /* vSrsH */, a, b, c, d);
        return;
      case 133 /* vRand */:
        this.randomBytes(this.bytes, a * VECTOR_BYTES);
        return;
      default:
        throw new RangeError(`vector op ${op} has no semantics`);
    }
  }

  /**
   * A lane op: the result into the destination directly when every element is written (each lane reads its
   * operands before it writes, so a destination that is also an operand is fine), else into the scratch and
   * then through the condition's mask.
   */
  private lane(code: number, t: number, a: number, b: number, c: number): void {
    const kind = code & 15;
    const half = (code & 16) !== 0;
    const to = (code >> 5) & 3;
    const x = code >= 128 ? ACC : a;
    const y = code >= 128 ? a : b;
    const direct = c === 0 && to !== TO_BOTH;
    const target = direct ? (to === TO_ACC ? ACC : t) : OUT;
    if (half) this.halfwordLanes(kind, target, x, y);
    else this.byteLanes(kind, target, x, y);
    if (direct) return;
    const masks = half ? this.halfMasksOf(c) : this.masks;
    if (to !== TO_ACC) this.commit(t, masks, c);
    if (to !== TO_VRT) this.commit(ACC, masks, c);
  }

  private byteLanes(kind: number, target: number, x: number, y: number): void {
    switch (kind) {
      case 0: // ADD
        return this.addBytes(target, x, y);
      case 1: // SUB
        return this.subtractBytes(target, x, y);
      case 2: // MUL
        return this.multiplyBytes(target, x, y);
      case 3: // FMA
        return this.multiplyAddBytes(target, x, y);
      case 4: // ADD_SAT
        return this.addBytesSaturating(target, x, y);
      case 5: // SUB_SAT
        return this.subtractBytesSaturating(target, x, y);
      case 6: // MUL_SAT
        return this.multiplyBytesSaturating(target, x, y);
      case 7: // FMA_SAT
        return this.multiplyAddBytesSaturating(target, x, y);
      default:
        return this.copy(target, x);
    }
  }

  private halfwordLanes(kind: number, target: number, x: number, y: number): void {
    switch (kind) {
      case 0: // ADD
        return this.addHalfwords(target, x, y);
      case 1: // SUB
        return this.subtractHalfwords(target, x, y);
      case 2: // MUL
        return this.multiplyHalfwords(target, x, y);
      case 3: // FMA
        return this.multiplyAddHalfwords(target, x, y);
      case 4: // ADD_SAT
        return this.addHalfwordsSaturating(target, x, y);
      case 5: // SUB_SAT
        return this.subtractHalfwordsSaturating(target, x, y);
      case 6: // MUL_SAT
        return this.multiplyHalfwordsSaturating(target, x, y);
      case 7: // FMA_SAT
        return this.multiplyAddHalfwordsSaturating(target, x, y);
      default:
        return this.copy(target, x);
    }
  }

  /** Vector `t` ← the scratch where `masks` (per condition `c`) holds, else unchanged. */
  private commit(t: number, masks: Int32Array, c: number): void {
    const w = this.words;
    const d = t * W;
    const o = OUT * W;
    const m = c * W;
    for (let k = 0; k < W; k++) {
      const mk = masks[m + k]!;
      w[d + k] = (w[o + k]! & mk) | (w[d + k]! & ~mk);
    }
  }

  private copy(t: number, x: number): void {
    this.words.copyWithin(t * W, x * W, (x + 1) * W);
  }

  // ---- byte lanes: four per word where no lane can carry into the next ---------------------------------------

  /** Modulo 2^8: the low seven bits add in place, the top bit of each lane is the xor of the three. */
  private addBytes(t: number, x: number, y: number): void {
    const w = this.words;
    const d = t * W;
    const p = x * W;
    const q = y * W;
    for (let k = 0; k < W; k++) {
      const a = w[p + k]!;
      const b = w[q + k]!;
      w[d + k] = ((a & LOW) + (b & LOW)) ^ ((a ^ b) & HIGH);
    }
  }

  private subtractBytes(t: number, x: number, y: number): void {
    const w = this.words;
    const d = t * W;
    const p = x * W;
    const q = y * W;
    for (let k = 0; k < W; k++) {
      const a = w[p + k]!;
      const b = w[q + k]!;
      w[d + k] = ((a | HIGH) - (b & LOW)) ^ ((a ^ ~b) & HIGH);
    }
  }

  /** Q0.7 sum: lanes whose operands share a sign the modulo sum lost saturate towards that sign (0x7F / 0x80). */
  private addBytesSaturating(t: number, x: number, y: number): void {
    const w = this.words;
    const d = t * W;
    const p = x * W;
    const q = y * W;
    for (let k = 0; k < W; k++) {
      const a = w[p + k]!;
      const b = w[q + k]!;
      const sum = ((a & LOW) + (b & LOW)) ^ ((a ^ b) & HIGH);
      const overflow = widen(~(a ^ b) & (a ^ sum) & HIGH);
      const limit = LOW + ((a & HIGH) >>> 7);
      w[d + k] = (sum & ~overflow) | (limit & overflow);
    }
  }

  /** Q0.7 difference: lanes whose operands differ in sign and whose result lost a's sign saturate towards a's. */
  private subtractBytesSaturating(t: number, x: number, y: number): void {
    const w = this.words;
    const d = t * W;
    const p = x * W;
    const q = y * W;
    for (let k = 0; k < W; k++) {
      const a = w[p + k]!;
      const b = w[q + k]!;
      const diff = ((a | HIGH) - (b & LOW)) ^ ((a ^ ~b) & HIGH);
      const overflow = widen((a ^ b) & (a ^ diff) & HIGH);
      const limit = LOW + ((a & HIGH) >>> 7);
      w[d + k] = (diff & ~overflow) | (limit & overflow);
    }
  }

  private multiplyBytes(t: number, x: number, y: number): void {
    const r = this.bytes;
    const d = t * VECTOR_BYTES;
    const p = x * VECTOR_BYTES;
    const q = y * VECTOR_BYTES;
    for (let i = 0; i < VECTOR_BYTES; i++) r[d + i] = r[p + i]! * r[q + i]!;
  }

  /** ACC + x · y (modulo). */
  private multiplyAddBytes(t: number, x: number, y: number): void {
    const r = this.bytes;
    const d = t * VECTOR_BYTES;
    const s = ACC * VECTOR_BYTES;
    const p = x * VECTOR_BYTES;
    const q = y * VECTOR_BYTES;
    for (let i = 0; i < VECTOR_BYTES; i++) r[d + i] = r[s + i]! + r[p + i]! * r[q + i]!;
  }

  /** (x · y) >> 7 is −127..128: only 128 saturates (−1 · −1). */
  private multiplyBytesSaturating(t: number, x: number, y: number): void {
    const s = this.signed;
    const d = t * VECTOR_BYTES;
    const p = x * VECTOR_BYTES;
    const q = y * VECTOR_BYTES;
    for (let i = 0; i < VECTOR_BYTES; i++) {
      const product = (s[p + i]! * s[q + i]!) >> 7;
      s[d + i] = product - ((product + 128) >> 8);
    }
  }

  private multiplyAddBytesSaturating(t: number, x: number, y: number): void {
    const s = this.signed;
    const d = t * VECTOR_BYTES;
    const a = ACC * VECTOR_BYTES;
    const p = x * VECTOR_BYTES;
    const q = y * VECTOR_BYTES;
    for (let i = 0; i < VECTOR_BYTES; i++) s[d + i] = SAT8[256 + s[a + i]! + ((s[p + i]! * s[q + i]!) >> 7)]!;
  }

  // ---- halfword lanes: big-endian byte pairs --------------------------------------------------------------

  private addHalfwords(t: number, x: number, y: number): void {
    const r = this.bytes;
    const d = t * VECTOR_BYTES;
    const p = x * VECTOR_BYTES;
    const q = y * VECTOR_BYTES;
    for (let i = 0; i < VECTOR_BYTES; i += 2) {
      const v = ((r[p + i]! << 8) | r[p + i + 1]!) + ((r[q + i]! << 8) | r[q + i + 1]!);
      r[d + i] = v >> 8;
      r[d + i + 1] = v;
    }
  }

  private subtractHalfwords(t: number, x: number, y: number): void {
    const r = this.bytes;
    const d = t * VECTOR_BYTES;
    const p = x * VECTOR_BYTES;
    const q = y * VECTOR_BYTES;
    for (let i = 0; i < VECTOR_BYTES; i += 2) {
      const v = ((r[p + i]! << 8) | r[p + i + 1]!) - ((r[q + i]! << 8) | r[q + i + 1]!);
      r[d + i] = v >> 8;
      r[d + i + 1] = v;
    }
  }

  private multiplyHalfwords(t: number, x: number, y: number): void {
    const r = this.bytes;
    const d = t * VECTOR_BYTES;
    const p = x * VECTOR_BYTES;
    const q = y * VECTOR_BYTES;
    for (let i = 0; i < VECTOR_BYTES; i += 2) {
      const v = Math.imul((r[p + i]! << 8) | r[p + i + 1]!, (r[q + i]! << 8) | r[q + i + 1]!);
      r[d + i] = v >> 8;
      r[d + i + 1] = v;
    }
  }

  private multiplyAddHalfwords(t: number, x: number, y: number): void {
    const r = this.bytes;
    const d = t * VECTOR_BYTES;
    const s = ACC * VECTOR_BYTES;
    const p = x * VECTOR_BYTES;
    const q = y * VECTOR_BYTES;
    for (let i = 0; i < VECTOR_BYTES; i += 2) {
      const v = ((r[s + i]! << 8) | r[s + i + 1]!) + Math.imul((r[p + i]! << 8) | r[p + i + 1]!, (r[q + i]! << 8) | r[q + i + 1]!);
      r[d + i] = v >> 8;
      r[d + i + 1] = v;
    }
  }

  private addHalfwordsSaturating(t: number, x: number, y: number): void {
    const r = this.bytes;
    const s = this.signed;
    const d = t * VECTOR_BYTES;
    const p = x * VECTOR_BYTES;
    const q = y * VECTOR_BYTES;
    for (let i = 0; i < VECTOR_BYTES; i += 2) {
      const v = sat16(((s[p + i]! << 8) | r[p + i + 1]!) + ((s[q + i]! << 8) | r[q + i + 1]!));
      r[d + i] = v >> 8;
      r[d + i + 1] = v;
    }
  }

  private subtractHalfwordsSaturating(t: number, x: number, y: number): void {
    const r = this.bytes;
    const s = this.signed;
    const d = t * VECTOR_BYTES;
    const p = x * VECTOR_BYTES;
    const q = y * VECTOR_BYTES;
    for (let i = 0; i < VECTOR_BYTES; i += 2) {
      const v = sat16(((s[p + i]! << 8) | r[p + i + 1]!) - ((s[q + i]! << 8) | r[q + i + 1]!));
      r[d + i] = v >> 8;
      r[d + i + 1] = v;
    }
  }

  private multiplyHalfwordsSaturating(t: number, x: number, y: number): void {
    const r = this.bytes;
    const s = this.signed;
    const d = t * VECTOR_BYTES;
    const p = x * VECTOR_BYTES;
    const q = y * VECTOR_BYTES;
    for (let i = 0; i < VECTOR_BYTES; i += 2) {
      const v = sat16((((s[p + i]! << 8) | r[p + i + 1]!) * ((s[q + i]! << 8) | r[q + i + 1]!)) >> 15);
      r[d + i] = v >> 8;
      r[d + i + 1] = v;
    }
  }

  private multiplyAddHalfwordsSaturating(t: number, x: number, y: number): void {
    const r = this.bytes;
    const s = this.signed;
    const d = t * VECTOR_BYTES;
    const a = ACC * VECTOR_BYTES;
    const p = x * VECTOR_BYTES;
    const q = y * VECTOR_BYTES;
    for (let i = 0; i < VECTOR_BYTES; i += 2) {
      const product = (((s[p + i]! << 8) | r[p + i + 1]!) * ((s[q + i]! << 8) | r[q + i + 1]!)) >> 15;
      const v = sat16(((s[a + i]! << 8) | r[a + i + 1]!) + product);
      r[d + i] = v >> 8;
      r[d + i + 1] = v;
    }
  }

  // ---- compare, select, shifts, pack, stochastic rounding -------------------------------------------------

  /** Per byte lane: 0x80 flags of negative and non-zero lanes; the condition bytes are 3 − 2·gt − lt. */
  private compareBytes(x: number): void {
    const w = this.words;
    const p = x * W;
    const masks = this.masks;
    const cond = this.conditionWords;
    for (let k = 0; k < W; k++) {
      const v = w[p + k]!;
      const negative = v & HIGH;
      const nonZero = (((v & LOW) + LOW) | v) & HIGH;
      const positive = nonZero & ~negative;
      cond[k] = 0x0303_0303 - (positive >>> 6) - (negative >>> 7);
      masks[GT * W + k] = widen(positive);
      masks[LT * W + k] = widen(negative);
      masks[EQ * W + k] = widen(~nonZero & HIGH);
    }
    this.halfMasksValid = false;
  }

  private compareHalfwords(x: number): void {
    const r = this.bytes;
    const s = this.signed;
    const cond = this.condition;
    const p = x * VECTOR_BYTES;
    for (let i = 0; i < VECTOR_BYTES; i += 2) {
      const v = (s[p + i]! << 8) | r[p + i + 1]!;
      cond[i] = cond[i + 1] = v > 0 ? GT : v < 0 ? LT : EQ;
    }
    this.conditionChanged();
  }

  /** The byte masks from the condition bytes: a lane equals c where the xor with c is a zero byte. */
  private conditionChanged(): void {
    const masks = this.masks;
    const cond = this.conditionWords;
    for (let c = 1; c < CONDITIONS; c++) {
      const pattern = Math.imul(c, 0x0101_0101);
      for (let k = 0; k < W; k++) {
        const v = cond[k]! ^ pattern;
        masks[c * W + k] = widen(~((((v & LOW) + LOW) | v) & HIGH) & HIGH);
      }
    }
    this.halfMasksValid = false;
  }

  /** The halfword masks (both bytes of an element follow its high byte's condition). */
  private halfMasksOf(c: number): Int32Array {
    if (c !== 0 && !this.halfMasksValid) {
      const bytes = new Uint8Array(this.halfMasks.buffer);
      const cond = this.condition;
      for (let m = 1; m < CONDITIONS; m++) {
        for (let i = 0; i < VECTOR_BYTES; i += 2) bytes[m * VECTOR_BYTES + i] = bytes[m * VECTOR_BYTES + i + 1] = cond[i] === m ? 0xff : 0;
      }
      this.halfMasksValid = true;
    }
    return this.halfMasks;
  }

  /** VRT ← VRA where condition `c` holds, else VRB. */
  private select(t: number, x: number, y: number, c: number): void {
    const w = this.words;
    const masks = this.masks;
    const d = t * W;
    const p = x * W;
    const q = y * W;
    const m = c * W;
    for (let k = 0; k < W; k++) {
      const mk = masks[m + k]!;
      w[d + k] = (w[p + k]! & mk) | (w[q + k]! & ~mk);
    }
  }

  /**
   * VRT ← VRA shifted left by `shift`, or arithmetically right by −`shift` (no saturation). Shifts of 1..7
   * bits move whole words and mask what crossed a lane boundary (a right shift fills the vacated top bits of
   * negative lanes with ones); any other shift amount goes lane by lane.
   */
  private shiftBytes(t: number, x: number, shift: number, c: number): void {
    const target = c === 0 ? t : OUT;
    const w = this.words;
    const d = target * W;
    const p = x * W;
    if (shift >= 0 && shift < 8) {
      const keep = Math.imul((0xff << shift) & 0xff, 0x0101_0101);
      for (let k = 0; k < W; k++) w[d + k] = (w[p + k]! << shift) & keep;
    } else if (shift < 0 && shift > -8) {
      const n = -shift;
      const keep = Math.imul(0xff >>> n, 0x0101_0101);
      for (let k = 0; k < W; k++) {
        const v = w[p + k]!;
        w[d + k] = ((v >>> n) & keep) | (widen(v & HIGH) & ~keep);
      }
    } else {
      const r = this.bytes;
      const s = this.signed;
      const o = target * VECTOR_BYTES;
      const q = x * VECTOR_BYTES;
      if (shift >= 0) for (let i = 0; i < VECTOR_BYTES; i++) r[o + i] = r[q + i]! << shift;
      else for (let i = 0; i < VECTOR_BYTES; i++) s[o + i] = s[q + i]! >> -shift;
    }
    if (c !== 0) this.commit(t, this.masks, c);
  }

  private shiftHalfwords(x: number, shift: number): void {
    const r = this.bytes;
    const s = this.signed;
    const o = OUT * VECTOR_BYTES;
    const p = x * VECTOR_BYTES;
    for (let i = 0; i < VECTOR_BYTES; i += 2) {
      const v = shift >= 0 ? ((r[p + i]! << 8) | r[p + i + 1]!) << shift : ((s[p + i]! << 8) | r[p + i + 1]!) >> -shift;
      r[o + i] = v >> 8;
      r[o + i + 1] = v;
    }
  }

  /** Scratch ← the high (`low` 0) or low bytes of VRA's halfwords, then of VRB's. */
  private pack(x: number, y: number, low: number): void {
    const r = this.bytes;
    const o = OUT * VECTOR_BYTES;
    const p = x * VECTOR_BYTES + low;
    const q = y * VECTOR_BYTES + low;
    for (let i = 0; i < VECTOR_HALFWORDS; i++) {
      r[o + i] = r[p + 2 * i]!;
      r[o + VECTOR_HALFWORDS + i] = r[q + 2 * i]!;
    }
  }

  /** Scratch ← halfwords (VRA byte, VRB byte) from the left (`from` 0) or right half of both. */
  private unpack(x: number, y: number, from: number): void {
    const r = this.bytes;
    const o = OUT * VECTOR_BYTES;
    const p = x * VECTOR_BYTES + from;
    const q = y * VECTOR_BYTES + from;
    for (let i = 0; i < VECTOR_HALFWORDS; i++) {
      r[o + 2 * i] = r[p + i]!;
      r[o + 2 * i + 1] = r[q + i]!;
    }
  }

  /**
   * `fxvsrsb`/`fxvsrsh`: arithmetic shift right by `shift`, rounded up with probability fraction / 2^shift (a
   * uniform draw of `shift` bits below the discarded part), one draw per element that is written, in order.
   */
  private roundStochastic(half: boolean, t: number, x: number, shift: number, c: number): void {
    const r = this.bytes;
    const s = this.signed;
    const cond = this.condition;
    const random = this.random;
    const d = t * VECTOR_BYTES;
    const p = x * VECTOR_BYTES;
    const step = half ? 2 : 1;
    const unit = 2 ** shift;
    for (let i = 0; i < VECTOR_BYTES; i += step) {
      if (c !== 0 && cond[i] !== c) continue;
      const v = half ? (s[p + i]! << 8) | r[p + i + 1]! : s[p + i]!;
      const floor = v >> shift;
      const fraction = v - floor * unit;
      const draw = random.nextUint32() & (unit - 1);
      const y = floor + (draw < fraction ? 1 : 0);
      if (half) {
        r[d + i] = y >>> 8;
        r[d + i + 1] = y;
      } else r[d + i] = y;
    }
  }
}
