// The optimised vector unit (word-parallel lanes, specialised loops, precomputed condition masks) against a
// straightforward reference kept here: one element at a time, one formula per op, exactly as hardware.md §7 and
// the README's Choices state them. Random programs of every vector op (registers from a small set so that
// destinations alias operands, every condition, extreme and random bytes) run on both from the same state;
// registers, accumulator, condition, the write masks and local memory must agree bit for bit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../src/analog/random.js';
import { Op } from '../src/ppu/ops.js';
import { VectorUnit } from '../src/index.js';

const BYTES = 128;
const s8 = (x: number) => (x << 24) >> 24;
const s16 = (x: number) => (x << 16) >> 16;
const sat8 = (x: number) => Math.min(127, Math.max(-128, x));
const sat16 = (x: number) => Math.min(32767, Math.max(-32768, x));
/** Q0.7 / Q0.15 product: (a·b) >> 7 (>> 15), i.e. the floor of the scaled product. */
const q7 = (a: number, b: number) => Math.floor((s8(a) * s8(b)) / 128);
const q15 = (a: number, b: number) => Math.floor((s16(a) * s16(b)) / 32768);

type LaneRule = { half: boolean; to: 'vrt' | 'acc' | 'both'; f: (a: number, b: number, acc: number) => number };
const byteRules = (half: boolean, to: LaneRule['to'], f: LaneRule['f']): LaneRule => ({ half, to, f });
/** Per lane op: width, destination and the value of one element from (VRA, VRB, ACC) element values. */
const LANE_RULES: Record<number, LaneRule> = {
  [Op.vAddBM]: byteRules(false, 'vrt', (a, b) => a + b),
  [Op.vAddHM]: byteRules(true, 'vrt', (a, b) => a + b),
  [Op.vAddBFS]: byteRules(false, 'vrt', (a, b) => sat8(s8(a) + s8(b))),
  [Op.vAddHFS]: byteRules(true, 'vrt', (a, b) => sat16(s16(a) + s16(b))),
  [Op.vSubBM]: byteRules(false, 'vrt', (a, b) => a - b),
  [Op.vSubHM]: byteRules(true, 'vrt', (a, b) => a - b),
  [Op.vSubBFS]: byteRules(false, 'vrt', (a, b) => sat8(s8(a) - s8(b))),
  [Op.vSubHFS]: byteRules(true, 'vrt', (a, b) => sat16(s16(a) - s16(b))),
  [Op.vMulBM]: byteRules(false, 'vrt', (a, b) => a * b),
  [Op.vMulHM]: byteRules(true, 'vrt', (a, b) => Number((BigInt(a) * BigInt(b)) & 0xffffn)),
  [Op.vMulBFS]: byteRules(false, 'vrt', (a, b) => sat8(q7(a, b))),
  [Op.vMulHFS]: byteRules(true, 'vrt', (a, b) => sat16(q15(a, b))),
  [Op.vMaBM]: byteRules(false, 'vrt', (a, b, acc) => acc + a * b),
  [Op.vMaHM]: byteRules(true, 'vrt', (a, b, acc) => Number((BigInt(acc) + BigInt(a) * BigInt(b)) & 0xffffn)),
  [Op.vMaBFS]: byteRules(false, 'vrt', (a, b, acc) => sat8(s8(acc) + q7(a, b))),
  [Op.vMaHFS]: byteRules(true, 'vrt', (a, b, acc) => sat16(s16(acc) + q15(a, b))),
  [Op.vMatacBM]: byteRules(false, 'acc', (a, b, acc) => acc + a * b),
  [Op.vMatacHM]: byteRules(true, 'acc', (a, b, acc) => Number((BigInt(acc) + BigInt(a) * BigInt(b)) & 0xffffn)),
  [Op.vMatacBFS]: byteRules(false, 'acc', (a, b, acc) => sat8(s8(acc) + q7(a, b))),
  [Op.vMatacHFS]: byteRules(true, 'acc', (a, b, acc) => sat16(s16(acc) + q15(a, b))),
  [Op.vMultacBM]: byteRules(false, 'acc', (a, b) => a * b),
  [Op.vMultacHM]: byteRules(true, 'acc', (a, b) => Number((BigInt(a) * BigInt(b)) & 0xffffn)),
  [Op.vMultacBFS]: byteRules(false, 'acc', (a, b) => sat8(q7(a, b))),
  [Op.vMultacHFS]: byteRules(true, 'acc', (a, b) => sat16(q15(a, b))),
  [Op.vAddtacBM]: byteRules(false, 'acc', (a, b) => a + b),
  [Op.vAddtacHM]: byteRules(true, 'acc', (a, b) => a + b),
  [Op.vAddacBM]: byteRules(false, 'vrt', (a, _b, acc) => acc + a),
  [Op.vAddacHM]: byteRules(true, 'vrt', (a, _b, acc) => acc + a),
  [Op.vAddacBFS]: byteRules(false, 'vrt', (a, _b, acc) => sat8(s8(acc) + s8(a))),
  [Op.vAddacHFS]: byteRules(true, 'vrt', (a, _b, acc) => sat16(s16(acc) + s16(a))),
  [Op.vAddactacBM]: byteRules(false, 'both', (a, _b, acc) => acc + a),
  [Op.vAddactacHM]: byteRules(true, 'both', (a, _b, acc) => acc + a),
  [Op.vAddactacBFS]: byteRules(false, 'both', (a, _b, acc) => sat8(s8(acc) + s8(a))),
  [Op.vAddactacHFS]: byteRules(true, 'both', (a, _b, acc) => sat16(s16(acc) + s16(a))),
  [Op.vMtacB]: byteRules(false, 'acc', (a) => a),
  [Op.vMtacH]: byteRules(true, 'acc', (a) => a),
};

/** The reference unit: registers as 32 separate vectors, every element on its own. */
class ReferenceVectorUnit {
  readonly registers = Array.from({ length: 32 }, () => new Uint8Array(BYTES));
  readonly accumulator = new Uint8Array(BYTES);
  readonly condition = new Uint8Array(BYTES).fill(3);
  readonly random: Random;
  constructor(seed: number) {
    this.random = new Random(seed);
  }
  holds(c: number, i: number): boolean {
    return c === 0 || this.condition[i] === c;
  }
  /** Element i of vector v (byte, or big-endian halfword at bytes 2i, 2i + 1). */
  get(v: Uint8Array, i: number, half: boolean): number {
    return half ? (v[2 * i]! << 8) | v[2 * i + 1]! : v[i]!;
  }
  set(v: Uint8Array, i: number, half: boolean, value: number): void {
    if (half) {
      v[2 * i] = (value >>> 8) & 0xff;
      v[2 * i + 1] = value & 0xff;
    } else v[i] = value & 0xff;
  }
  /** Every element: write `value(i)` to `target` where the condition of its (high) byte holds. */
  each(target: Uint8Array, half: boolean, c: number, value: (i: number) => number): void {
    const n = half ? 64 : 128;
    const out = Array.from({ length: n }, (_, i) => value(i));
    for (let i = 0; i < n; i++) if (this.holds(c, half ? 2 * i : i)) this.set(target, i, half, out[i]!);
  }
  execute(op: number, t: number, a: number, b: number, c: number, d: number): void {
    const r = this.registers;
    const rule = LANE_RULES[op];
    if (rule !== undefined) {
      const n = rule.half ? 64 : 128;
      const values = Array.from({ length: n }, (_, i) => rule.f(this.get(r[a]!, i, rule.half), this.get(r[b]!, i, rule.half), this.get(this.accumulator, i, rule.half)));
      if (rule.to !== 'vrt') this.each(this.accumulator, rule.half, d, (i) => values[i]!);
      if (rule.to !== 'acc') this.each(r[t]!, rule.half, d, (i) => values[i]!);
      return;
    }
    switch (op) {
      case Op.vSplatB:
        return this.each(r[t]!, false, d, () => c);
      case Op.vSplatH:
        return this.each(r[t]!, true, d, () => c);
      case Op.vShB:
        return this.each(r[t]!, false, d, (i) => (c >= 0 ? r[a]![i]! << c : s8(r[a]![i]!) >> -c));
      case Op.vShH:
        return this.each(r[t]!, true, d, (i) => (c >= 0 ? this.get(r[a]!, i, true) << c : s16(this.get(r[a]!, i, true)) >> -c));
      case Op.vCmpB:
        for (let i = 0; i < 128; i++) this.condition[i] = s8(r[a]![i]!) > 0 ? 1 : s8(r[a]![i]!) < 0 ? 2 : 3;
        return;
      case Op.vCmpH:
        for (let i = 0; i < 64; i++) {
          const v = s16(this.get(r[a]!, i, true));
          this.condition[2 * i] = this.condition[2 * i + 1] = v > 0 ? 1 : v < 0 ? 2 : 3;
        }
        return;
      case Op.vSel:
        return this.each(r[t]!, false, 0, (i) => (this.holds(d, i) ? r[a]![i]! : r[b]![i]!));
      case Op.vPckBU:
      case Op.vPckBL: {
        const low = op === Op.vPckBL ? 1 : 0;
        return this.each(r[t]!, false, d, (i) => (i < 64 ? r[a]![2 * i + low]! : r[b]![2 * (i - 64) + low]!));
      }
      case Op.vUpckBL:
      case Op.vUpckBR: {
        const from = op === Op.vUpckBR ? 64 : 0;
        return this.each(r[t]!, true, d, (i) => (r[a]![from + i]! << 8) | r[b]![from + i]!);
      }
      case Op.vSrsB:
      case Op.vSrsH: {
        // One draw per written element, in element order: not through `each`, which would draw for every one.
        const half = op === Op.vSrsH;
        for (let i = 0; i < (half ? 64 : 128); i++) {
          if (!this.holds(d, half ? 2 * i : i)) continue;
          const x = half ? s16(this.get(r[a]!, i, true)) : s8(r[a]![i]!);
          const floor = Math.floor(x / 2 ** c);
          const draw = this.random.nextUint32() % 2 ** c;
          this.set(r[t]!, i, half, floor + (draw < x - floor * 2 ** c ? 1 : 0));
        }
        return;
      }
      case Op.vRand:
        for (let i = 0; i < 128; i += 4) {
          const x = this.random.nextUint32();
          for (let k = 0; k < 4; k++) r[t]![i + k] = (x >>> (24 - 8 * k)) & 0xff;
        }
        return;
      default:
        throw new Error(`no reference for op ${op}`);
    }
  }
  load(t: number, memory: Uint32Array, word: number): void {
    for (let i = 0; i < 128; i++) this.registers[t]![i] = (memory[word + (i >> 2)]! >>> (24 - 8 * (i & 3))) & 0xff;
  }
  store(t: number, memory: Uint32Array, word: number, c: number): void {
    for (let i = 0; i < 128; i++) {
      if (!this.holds(c, i)) continue;
      const shift = 24 - 8 * (i & 3);
      memory[word + (i >> 2)] = (memory[word + (i >> 2)]! & ~(0xff << shift)) | (this.registers[t]![i]! << shift);
    }
  }
}

/** One instruction of a random program. */
type Step = { kind: 'op'; op: number; t: number; a: number; b: number; c: number; d: number } | { kind: 'load' | 'store'; t: number; word: number; d: number };

const reg = fc.integer({ min: 0, max: 5 });
const cond = fc.integer({ min: 0, max: 3 });
const laneOps = Object.keys(LANE_RULES).map(Number);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('op' as const), op: fc.constantFrom(...laneOps), t: reg, a: reg, b: reg, c: fc.constant(0), d: cond }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('op' as const), op: fc.constantFrom(Op.vCmpB, Op.vCmpH), t: fc.constant(0), a: reg, b: fc.constant(0), c: fc.constant(0), d: fc.constant(0) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('op' as const), op: fc.constantFrom(Op.vSel, Op.vPckBU, Op.vPckBL, Op.vUpckBL, Op.vUpckBR), t: reg, a: reg, b: reg, c: fc.constant(0), d: cond }) },
  // splat: c carries the scalar value (RA); shifts: c is SH (signed 5 bit; 0..15 for stochastic rounding)
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('op' as const), op: fc.constantFrom(Op.vSplatB, Op.vSplatH), t: reg, a: fc.constant(0), b: fc.constant(0), c: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), d: cond }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('op' as const), op: fc.constantFrom(Op.vShB, Op.vShH), t: reg, a: reg, b: fc.constant(0), c: fc.integer({ min: -16, max: 15 }), d: cond }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('op' as const), op: fc.constantFrom(Op.vSrsB, Op.vSrsH), t: reg, a: reg, b: fc.constant(0), c: fc.integer({ min: 0, max: 15 }), d: cond }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('op' as const), op: fc.constant(Op.vRand), t: reg, a: fc.constant(0), b: fc.constant(0), c: fc.constant(0), d: fc.constant(0) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('load' as const, 'store' as const), t: reg, word: fc.integer({ min: 0, max: 8 }).map((k) => 4 * k), d: cond }) },
);
/** Bytes biased to the saturation edges (0, ±1, ±127, −128, ±64): a quarter of them, the rest uniform. */
const EDGES = [0x00, 0x01, 0xff, 0x7f, 0x80, 0x81, 0x40, 0xc0];
const vector = fc
  .tuple(fc.uint8Array({ minLength: BYTES, maxLength: BYTES }), fc.uint8Array({ minLength: BYTES, maxLength: BYTES }))
  .map(([uniform, pick]) => uniform.map((x, i) => (pick[i]! < 64 ? EDGES[pick[i]! & 7]! : x)));

describe('vector unit against the element-wise reference', () => {
  it('random programs leave registers, accumulator, condition, masks and memory identical', () => {
    fc.assert(
      fc.property(fc.array(vector, { minLength: 7, maxLength: 7 }), fc.array(step, { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 2 ** 31 }), (initial, program, seed) => {
        const unit = new VectorUnit(seed);
        const reference = new ReferenceVectorUnit(seed);
        for (let v = 0; v < 6; v++) {
          unit.registers.set(initial[v]!, v * BYTES);
          reference.registers[v]!.set(initial[v]!);
        }
        unit.accumulator.set(initial[6]!);
        reference.accumulator.set(initial[6]!);
        const memory = Uint32Array.from({ length: 64 }, (_, i) => Math.imul(i + 1, 0x9e37_79b9) >>> 0);
        const referenceMemory = memory.slice();
        for (const s of program) {
          if (s.kind !== 'op') {
            if (s.kind === 'load') {
              unit.load(s.t, memory, s.word);
              reference.load(s.t, referenceMemory, s.word);
            } else {
              unit.store(s.t, memory, s.word, s.d);
              reference.store(s.t, referenceMemory, s.word, s.d);
            }
          } else if (s.op === Op.vSplatB || s.op === Op.vSplatH) {
            unit.splat(s.op, s.t, s.c, s.d);
            reference.execute(s.op, s.t, 0, 0, s.op === Op.vSplatB ? s.c & 0xff : s.c & 0xffff, s.d);
          } else {
            unit.execute(s.op, s.t, s.a, s.op === Op.vShB || s.op === Op.vShH || s.op === Op.vSrsB || s.op === Op.vSrsH ? s.c : s.b, s.d);
            reference.execute(s.op, s.t, s.a, s.b, s.c, s.d);
          }
        }
        const referenceRegisters = new Uint8Array(32 * BYTES);
        reference.registers.forEach((r, v) => referenceRegisters.set(r, v * BYTES));
        if (!Buffer.from(unit.registers).equals(referenceRegisters)) expect(unit.registers).toEqual(referenceRegisters);
        expect(unit.accumulator).toEqual(reference.accumulator);
        expect(unit.condition).toEqual(reference.condition);
        for (let c = 0; c < 4; c++) expect(Array.from(unit.maskFor(c), (m) => (m !== 0 ? 1 : 0))).toEqual(Array.from(reference.condition, (_, i) => (reference.holds(c, i) ? 1 : 0)));
        expect(memory).toEqual(referenceMemory);
        // The generators drew the same numbers.
        unit.execute(Op.vRand, 7, 0, 0, 0);
        reference.execute(Op.vRand, 7, 0, 0, 0, 0);
        expect(unit.registers.subarray(7 * BYTES, 8 * BYTES)).toEqual(reference.registers[7]);
      }),
      { seed: 1, numRuns: 300 },
    );
  });

  it('reset restores zero registers, eq conditions and the seeded generator', () => {
    const unit = new VectorUnit(5);
    unit.splat(Op.vSplatB, 3, 0x80, 0);
    unit.execute(Op.vCmpB, 0, 3, 0, 0);
    unit.execute(Op.vRand, 4, 0, 0, 0);
    const first = unit.registers.slice(4 * BYTES, 5 * BYTES);
    unit.reset();
    expect(unit.registers.every((x) => x === 0)).toBe(true);
    expect(unit.condition.every((x) => x === 3)).toBe(true);
    expect(unit.maskFor(3).every((x) => x !== 0)).toBe(true);
    expect(unit.maskFor(2).every((x) => x === 0)).toBe(true);
    unit.execute(Op.vRand, 4, 0, 0, 0);
    expect(unit.registers.slice(4 * BYTES, 5 * BYTES)).toEqual(first);
  });
});
