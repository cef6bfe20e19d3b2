import { Random } from '../analog/random.js';
import { VECTOR_BYTES, VECTOR_HALFWORDS, VECTOR_REGISTERS } from './constants.js';
import { Op } from './ops.js';

// Switches use the numeric values of `Op` as literals with the name in a comment (a jump table instead of a
// chain of property loads); ppu-scalar.test.ts checks every literal against ops.ts.

/** Vector condition of an element after `fxvcmpb`/`fxvcmph` (the `C` operand's values 1 gt, 2 lt, 3 eq). */
const GT = 1;
const LT = 2;
const EQ = 3;

const s8 = (x: number): number => (x << 24) >> 24;
const s16 = (x: number): number => (x << 16) >> 16;
/** Signed fractional saturation (Q0.7 / Q0.15, hardware.md §7). */
export const sat8 = (x: number): number => (x > 127 ? 127 : x < -128 ? -128 : x);
export const sat16 = (x: number): number => (x > 32767 ? 32767 : x < -32768 ? -32768 : x);

/** Where a lane op's result goes: VRT, the accumulator, or both (the accumulator's new value also to VRT). */
const To = { vrt: 0, acc: 1, both: 2 } as const;

/** Lane ops: element-wise with (a, b, accumulator) in, one value out. Per op: halfword lanes?, destination. */
interface LaneKind {
  readonly half: boolean;
  readonly to: number;
}
const laneEntries = (ops: readonly number[], half: boolean, to: number): [number, LaneKind][] => ops.map((op) => [op, { half, to }]);
const LANE_OPS: ReadonlyMap<number, LaneKind> = new Map<number, LaneKind>([
  ...laneEntries([Op.vAddBM, Op.vAddBFS, Op.vSubBM, Op.vSubBFS, Op.vMulBM, Op.vMulBFS, Op.vMaBM, Op.vMaBFS, Op.vAddacBM, Op.vAddacBFS], false, To.vrt),
  ...laneEntries([Op.vAddHM, Op.vAddHFS, Op.vSubHM, Op.vSubHFS, Op.vMulHM, Op.vMulHFS, Op.vMaHM, Op.vMaHFS, Op.vAddacHM, Op.vAddacHFS], true, To.vrt),
  ...laneEntries([Op.vMatacBM, Op.vMatacBFS, Op.vMultacBM, Op.vMultacBFS, Op.vAddtacBM, Op.vMtacB], false, To.acc),
  ...laneEntries([Op.vMatacHM, Op.vMatacHFS, Op.vMultacHM, Op.vMultacHFS, Op.vAddtacHM, Op.vMtacH], true, To.acc),
  ...laneEntries([Op.vAddactacBM, Op.vAddactacBFS], false, To.both),
  ...laneEntries([Op.vAddactacHM, Op.vAddactacHFS], true, To.both),
]);

/**
 * One lane of a lane op: unsigned element values in (8 or 16 bit), any integer out (stored modulo the lane
 * width). Modulo ops wrap; fractional-saturating ops work on the signed values (Q0.7 / Q0.15): sums clamp,
 * products are `(a·b) >> 7` (`>> 15`) then clamp (hardware.md §7). A switch, not closures: one call site per
 * closure would be megamorphic and 128 calls per instruction.
 */
function lane(op: number, a: number, b: number, acc: number): number {
  switch (op) {
    case 80 /* vAddBM */:
    case 81 /* vAddHM */:
    case 104 /* vAddtacBM */:
    case 105 /* vAddtacHM */:
      return a + b;
    case 82 /* vAddBFS */:
      return sat8(s8(a) + s8(b));
    case 83 /* vAddHFS */:
      return sat16(s16(a) + s16(b));
    case 84 /* vSubBM */:
    case 85 /* vSubHM */:
      return a - b;
    case 86 /* vSubBFS */:
      return sat8(s8(a) - s8(b));
    case 87 /* vSubHFS */:
      return sat16(s16(a) - s16(b));
    case 88 /* vMulBM */:
    case 89 /* vMulHM */:
    case 100 /* vMultacBM */:
    case 101 /* vMultacHM */:
      return Math.imul(a, b);
    case 90 /* vMulBFS */:
    case 102 /* vMultacBFS */:
      return sat8((s8(a) * s8(b)) >> 7);
    case 91 /* vMulHFS */:
    case 103 /* vMultacHFS */:
      return sat16((s16(a) * s16(b)) >> 15);
    case 92 /* vMaBM */:
    case 93 /* vMaHM */:
    case 96 /* vMatacBM */:
    case 97 /* vMatacHM */:
      return acc + Math.imul(a, b);
    case 94 /* vMaBFS */:
    case 98 /* vMatacBFS */:
      return sat8(s8(acc) + ((s8(a) * s8(b)) >> 7));
    case 95 /* vMaHFS */:
    case 99 /* vMatacHFS */:
      return sat16(s16(acc) + ((s16(a) * s16(b)) >> 15));
    case 106 /* vAddacBM */:
    case 107 /* vAddacHM */:
    case 110 /* vAddactacBM */:
    case 111 /* vAddactacHM */:
      return acc + a;
    case 108 /* vAddacBFS */:
    case 112 /* vAddactacBFS */:
      return sat8(s8(acc) + s8(a));
    case 109 /* vAddacHFS */:
    case 113 /* vAddactacHFS */:
      return sat16(s16(acc) + s16(a));
    default:
      // vMtacB, vMtacH
      return a;
  }
}

/**
 * The s2pp vector unit of one PPU (hardware.md §7): 32 registers of 128 bytes (big-endian halfwords: element
 * i is bytes 2i, 2i + 1), the accumulator, the per-byte vector condition that `fxvcmpb`/`fxvcmph` set and the
 * `C` operand tests (0 always, 1 gt, 2 lt, 3 eq; a halfword element tests the condition of its high byte), and
 * the random generator (**Choice:** xoshiro128** seeded per chip and PPU) behind `fxvrand`, the stochastic
 * rounding shifts and the random window. Elements whose condition fails keep their old value.
 */
export class VectorUnit {
  readonly registers = new Uint8Array(VECTOR_REGISTERS * VECTOR_BYTES);
  readonly accumulator = new Uint8Array(VECTOR_BYTES);
  readonly condition = new Uint8Array(VECTOR_BYTES);
  private random: Random;
  private readonly scratch = new Uint8Array(VECTOR_BYTES);
  private readonly mask = new Uint8Array(VECTOR_BYTES);

  constructor(private readonly seed: number) {
    this.random = new Random(seed);
    this.reset();
  }

  /** Registers and accumulator 0, every condition `eq` (as after comparing zeros), the generator reseeded. */
  reset(): void {
    this.registers.fill(0);
    this.accumulator.fill(0);
    this.condition.fill(EQ);
    this.random = new Random(this.seed);
  }

  /** Per byte: 1 where condition `c` holds (0: always) — the byte mask of conditional stores. */
  maskFor(c: number): Uint8Array {
    const cond = this.condition;
    const mask = this.mask;
    for (let i = 0; i < VECTOR_BYTES; i++) mask[i] = c === 0 || cond[i] === c ? 1 : 0;
    return mask;
  }

  /** 128 random bytes into `target[offset..]`. */
  randomBytes(target: Uint8Array, offset: number): void {
    for (let i = 0; i < VECTOR_BYTES; i += 4) {
      const r = this.random.nextUint32();
      target[offset + i] = r >>> 24;
      target[offset + i + 1] = (r >>> 16) & 0xff;
      target[offset + i + 2] = (r >>> 8) & 0xff;
      target[offset + i + 3] = r & 0xff;
    }
  }

  /** VRT ← the 32 big-endian words of local memory from `wordIndex`. */
  load(t: number, memory: Uint32Array, wordIndex: number): void {
    const r = this.registers;
    const base = t * VECTOR_BYTES;
    for (let k = 0; k < VECTOR_BYTES / 4; k++) {
      const w = memory[wordIndex + k]!;
      const at = base + 4 * k;
      r[at] = w >>> 24;
      r[at + 1] = (w >>> 16) & 0xff;
      r[at + 2] = (w >>> 8) & 0xff;
      r[at + 3] = w & 0xff;
    }
  }

  /** Local memory from `wordIndex` ← VRT, only the bytes for which condition `c` holds. */
  store(t: number, memory: Uint32Array, wordIndex: number, c: number): void {
    const r = this.registers;
    const base = t * VECTOR_BYTES;
    const mask = c === 0 ? undefined : this.maskFor(c);
    for (let k = 0; k < VECTOR_BYTES / 4; k++) {
      const at = base + 4 * k;
      const w = ((r[at]! << 24) | (r[at + 1]! << 16) | (r[at + 2]! << 8) | r[at + 3]!) >>> 0;
      if (mask === undefined) {
        memory[wordIndex + k] = w;
        continue;
      }
      let keep = 0;
      for (let j = 0; j < 4; j++) if (mask[4 * k + j] === 0) keep |= 0xff << (24 - 8 * j);
      memory[wordIndex + k] = ((memory[wordIndex + k]! & keep) | (w & ~keep)) >>> 0;
    }
  }

  /** `fxvsplatb`/`fxvsplath`: every element of VRT ← the low byte / halfword of `value`. */
  splat(op: number, t: number, value: number, c: number): void {
    const r = this.registers;
    const base = t * VECTOR_BYTES;
    const cond = this.condition;
    if (op === 116 /* vSplatB */) {
      for (let i = 0; i < VECTOR_BYTES; i++) if (c === 0 || cond[i] === c) r[base + i] = value & 0xff;
    } else {
      for (let i = 0; i < VECTOR_BYTES; i += 2) {
        if (c !== 0 && cond[i] !== c) continue;
        r[base + i] = (value >>> 8) & 0xff;
        r[base + i + 1] = value & 0xff;
      }
    }
  }

  /** Every other vector instruction: a = VRT, b = VRA, c = VRB or the shift, d = the condition. */
  execute(op: number, a: number, b: number, c: number, d: number): void {
    const kind = LANE_OPS.get(op);
    if (kind !== undefined) {
      this.lanes(op, kind.half, kind.to, a, b, c, d);
      return;
    }
    const r = this.registers;
    const cond = this.condition;
    const ta = a * VECTOR_BYTES;
    const va = b * VECTOR_BYTES;
    const vb = c * VECTOR_BYTES;
    switch (op) {
      case 120 /* vCmpB */:
        for (let i = 0; i < VECTOR_BYTES; i++) {
          const x = s8(r[va + i]!);
          cond[i] = x > 0 ? GT : x < 0 ? LT : EQ;
        }
        return;
      case 121 /* vCmpH */:
        for (let i = 0; i < VECTOR_BYTES; i += 2) {
          const x = s16((r[va + i]! << 8) | r[va + i + 1]!);
          cond[i] = cond[i + 1] = x > 0 ? GT : x < 0 ? LT : EQ;
        }
        return;
      case 122 /* vSel */:
        for (let i = 0; i < VECTOR_BYTES; i++) r[ta + i] = d === 0 || cond[i] === d ? r[va + i]! : r[vb + i]!;
        return;
      case 118 /* vShB */:
        for (let i = 0; i < VECTOR_BYTES; i++) {
          if (d !== 0 && cond[i] !== d) continue;
          const x = r[va + i]!;
          r[ta + i] = (c >= 0 ? x << c : s8(x) >> -c) & 0xff;
        }
        return;
      case 119 /* vShH */:
        for (let i = 0; i < VECTOR_BYTES; i += 2) {
          if (d !== 0 && cond[i] !== d) continue;
          const x = (r[va + i]! << 8) | r[va + i + 1]!;
          const y = c >= 0 ? x << c : s16(x) >> -c;
          r[ta + i] = (y >>> 8) & 0xff;
          r[ta + i + 1] = y & 0xff;
        }
        return;
      case 123 /* vPckBU */:
      case 124 /* vPckBL */: {
        const low = op === 124 /* vPckBL */ ? 1 : 0;
        const out = this.scratch;
        for (let i = 0; i < VECTOR_BYTES; i++) out[i] = i < VECTOR_HALFWORDS ? r[va + 2 * i + low]! : r[vb + 2 * (i - VECTOR_HALFWORDS) + low]!;
        for (let i = 0; i < VECTOR_BYTES; i++) if (d === 0 || cond[i] === d) r[ta + i] = out[i]!;
        return;
      }
      case 125 /* vUpckBL */:
      case 126 /* vUpckBR */: {
        const from = op === 126 /* vUpckBR */ ? VECTOR_HALFWORDS : 0;
        const out = this.scratch;
        for (let i = 0; i < VECTOR_HALFWORDS; i++) {
          out[2 * i] = r[va + from + i]!;
          out[2 * i + 1] = r[vb + from + i]!;
        }
        for (let i = 0; i < VECTOR_BYTES; i += 2) {
          if (d !== 0 && cond[i] !== d) continue;
          r[ta + i] = out[i]!;
          r[ta + i + 1] = out[i + 1]!;
        }
        return;
      }
      case 131 /* vSrsB */:
      case 132 /* vSrsH */: {
        const half = op === 132 /* vSrsH */;
        const step = half ? 2 : 1;
        const unit = 2 ** c;
        for (let i = 0; i < VECTOR_BYTES; i += step) {
          if (d !== 0 && cond[i] !== d) continue;
          const x = half ? s16((r[va + i]! << 8) | r[va + i + 1]!) : s8(r[va + i]!);
          const floor = x >> c;
          const fraction = x - floor * unit;
          // Rounded up with probability fraction / 2^SH: a uniform draw of SH bits below the discarded part.
          const draw = this.random.nextUint32() & (unit - 1);
          const y = floor + (draw < fraction ? 1 : 0);
          if (half) {
            r[ta + i] = (y >>> 8) & 0xff;
            r[ta + i + 1] = y & 0xff;
          } else r[ta + i] = y & 0xff;
        }
        return;
      }
      case 133 /* vRand */:
        this.randomBytes(r, ta);
        return;
      default:
        throw new RangeError(`vector op ${op} has no semantics`);
    }
  }

  private lanes(op: number, half: boolean, to: number, t: number, a: number, b: number, c: number): void {
    const r = this.registers;
    const acc = this.accumulator;
    const cond = this.condition;
    const ta = t * VECTOR_BYTES;
    const va = a * VECTOR_BYTES;
    const vb = b * VECTOR_BYTES;
    const toVrt = to !== To.acc;
    const toAcc = to !== To.vrt;
    if (!half) {
      for (let i = 0; i < VECTOR_BYTES; i++) {
        if (c !== 0 && cond[i] !== c) continue;
        const y = lane(op, r[va + i]!, r[vb + i]!, acc[i]!) & 0xff;
        if (toAcc) acc[i] = y;
        if (toVrt) r[ta + i] = y;
      }
      return;
    }
    for (let i = 0; i < VECTOR_BYTES; i += 2) {
      if (c !== 0 && cond[i] !== c) continue;
      const y = lane(op, (r[va + i]! << 8) | r[va + i + 1]!, (r[vb + i]! << 8) | r[vb + i + 1]!, (acc[i]! << 8) | acc[i + 1]!) & 0xffff;
      if (toAcc) {
        acc[i] = y >>> 8;
        acc[i + 1] = y & 0xff;
      }
      if (toVrt) {
        r[ta + i] = y >>> 8;
        r[ta + i + 1] = y & 0xff;
      }
    }
  }
}
