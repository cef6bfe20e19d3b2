// Encoder and decoder over the instruction table. The decoder maps a word to an instruction id with two array
// look-ups (primary opcode, then the low 11 bits where that opcode keeps its extended opcode and flags) and one
// mask compare, without strings, so an interpreter can decode from it on its hot path.
import { DecodeError, OperandError } from '../errors.js';
import { describeRange, extractOperand, fitsOperand, insertOperand } from './operands.js';
import { type InstructionDef, instructions } from './table.js';

/** Whether a BO value is a defined encoding (no reserved `z` bit set; Power ISA pre-v2 rules, as GNU as -a32). */
export function isValidBo(bo: number): boolean {
  if ((bo & 0x14) === 0) return true;
  if ((bo & 0x14) === 0x4) return (bo & 0x2) === 0;
  if ((bo & 0x14) === 0x10) return (bo & 0x8) === 0;
  return bo === 0x14;
}

/** The rule `values` break for `def`'s form, or undefined. Operand values are assumed in range. */
export function constraintViolation(def: InstructionDef, values: ArrayLike<number>): { operand: number; rule: string } | undefined {
  switch (def.constraint) {
    case 'none':
      return undefined;
    case 'loadUpdate': {
      const rt = values[0]!;
      const ra = values[def.form === 'D' ? 2 : 1]!;
      return ra === 0 || ra === rt ? { operand: def.form === 'D' ? 2 : 1, rule: 'an update load needs RA ≠ 0 and RA ≠ RT' } : undefined;
    }
    case 'storeUpdate': {
      const ra = values[def.form === 'D' ? 2 : 1]!;
      return ra === 0 ? { operand: def.form === 'D' ? 2 : 1, rule: 'an update store needs RA ≠ 0' } : undefined;
    }
    case 'loadMultiple':
      return values[2]! >= values[0]! ? { operand: 2, rule: 'lmw needs RA < RT (RA must not be among the registers loaded)' } : undefined;
    case 'bo':
      return isValidBo(values[0]!) ? undefined : { operand: 0, rule: 'BO sets a reserved bit' };
    case 'boCounterless':
      if (!isValidBo(values[0]!)) return { operand: 0, rule: 'BO sets a reserved bit' };
      return (values[0]! & 0x4) === 0 ? { operand: 0, rule: 'bcctr cannot decrement CTR (BO bit 0x4 must be set)' } : undefined;
    case 'rightShift': {
      const index = def.operands.findIndex((o) => o.kind === 'vsh');
      return values[index]! < 0 ? { operand: index, rule: 'the stochastic-rounding shift is 0..15 (right)' } : undefined;
    }
  }
}

/**
 * The word of instruction `def` with operand `values` in assembler order (omitted optional trailing operands are
 * 0). Throws OperandError naming the operand and its range or rule; never truncates.
 */
export function encodeInstruction(def: InstructionDef, values: readonly number[]): number {
  const count = def.operands.length;
  if (values.length > count || values.length < count - def.optionalTrailing) {
    const expected = def.optionalTrailing > 0 ? `${count - def.optionalTrailing}..${count}` : `${count}`;
    throw new OperandError(def.mnemonic, Math.min(values.length, count), values.length, `takes ${expected} operands`);
  }
  const full = values.length === count ? values : [...values, ...new Array<number>(count - values.length).fill(0)];
  let word = def.match;
  for (let i = 0; i < count; i++) {
    const spec = def.operands[i]!;
    const value = full[i]!;
    if (!fitsOperand(spec.kind, value)) throw new OperandError(def.mnemonic, i, value, `${spec.name}: ${describeRange(spec.kind)}`);
    word = (word | insertOperand(spec, value)) >>> 0;
  }
  const violation = constraintViolation(def, full);
  if (violation !== undefined) throw new OperandError(def.mnemonic, violation.operand, full[violation.operand]!, violation.rule);
  return word >>> 0;
}

// ---- decoder tables ----------------------------------------------------------------------------------------
const KEY_BITS = 0x7ff;
const keyMaskOf = new Uint16Array(64);
const candidateList = new Int32Array(64 * (KEY_BITS + 1)).fill(-1);
const lists: Int32Array[] = [];
const maskOf = new Uint32Array(instructions.length);
const matchOf = new Uint32Array(instructions.length);

for (const def of instructions) {
  keyMaskOf[def.primaryOpcode]! |= def.mask & KEY_BITS;
  maskOf[def.id] = def.mask;
  matchOf[def.id] = def.match;
}
{
  const pending = new Map<number, number[]>();
  for (const def of instructions) {
    const keyMask = keyMaskOf[def.primaryOpcode]!;
    const fixed = def.mask & keyMask;
    for (let key = 0; key <= KEY_BITS; key++) {
      if ((key & ~keyMask) !== 0 || (key & fixed) !== (def.match & fixed)) continue;
      const slot = def.primaryOpcode * (KEY_BITS + 1) + key;
      const list = pending.get(slot) ?? [];
      list.push(def.id);
      pending.set(slot, list);
    }
  }
  for (const [slot, ids] of pending) {
    candidateList[slot] = lists.length;
    lists.push(Int32Array.from(ids));
  }
}

/** The form rules of `constraintViolation`, read straight from the word (no allocation on the decode path). */
function violatesForm(def: InstructionDef, word: number): boolean {
  const rt = (word >>> 21) & 31;
  const ra = (word >>> 16) & 31;
  switch (def.constraint) {
    case 'none':
      return false;
    case 'loadUpdate':
      return ra === 0 || ra === rt;
    case 'storeUpdate':
      return ra === 0;
    case 'loadMultiple':
      return ra >= rt;
    case 'bo':
      return !isValidBo(rt);
    case 'boCounterless':
      return !isValidBo(rt) || (rt & 0x4) === 0;
    case 'rightShift':
      return ((word >>> 11) & 31) >= 16; // the signed 5-bit shift is negative
  }
}

/** The id of the instruction `word` encodes, or −1 (unknown opcode, reserved bits set, invalid form). */
export function decodeId(word: number): number {
  const primary = word >>> 26;
  const list = candidateList[primary * (KEY_BITS + 1) + (word & keyMaskOf[primary]!)]!;
  if (list < 0) return -1;
  const ids = lists[list]!;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (((word & maskOf[id]!) >>> 0) === matchOf[id]) {
      return violatesForm(instructions[id]!, word) ? -1 : id;
    }
  }
  return -1;
}

function decodeOperandsOf(def: InstructionDef, word: number): number[] {
  return def.operands.map((spec) => extractOperand(spec, word));
}

/** Operand values of `word` as instruction `id`, in assembler order (the caller has checked the id). */
export function decodeOperands(id: number, word: number): number[] {
  return decodeOperandsOf(instructions[id]!, word);
}

/** A decoded instruction: its table entry and operand values in assembler order. */
export interface DecodedInstruction {
  readonly def: InstructionDef;
  readonly operands: readonly number[];
}

/** Decodes `word`; throws DecodeError for a word that is not an instruction of the table. */
export function decodeInstruction(word: number): DecodedInstruction {
  const w = word >>> 0;
  const id = decodeId(w);
  if (id < 0) {
    const primary = w >>> 26;
    const reason = keyMaskOf[primary] === 0 && !instructions.some((d) => d.primaryOpcode === primary)
      ? `primary opcode ${primary} is not in the table`
      : 'no instruction of the table matches its extended opcode, reserved bits or form rules';
    throw new DecodeError(w, reason);
  }
  return { def: instructions[id]!, operands: decodeOperands(id, w) };
}
