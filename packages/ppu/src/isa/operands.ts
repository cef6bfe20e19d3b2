// Operand kinds of the PPU instruction table: where each sits in the 32-bit word (IBM bit 0 = MSB, here as
// LSB shifts), its range, and how a value maps to bits and back. Both the encoder and the decoder read these.

/** How an interpreter or the assembler should treat an operand. */
export type OperandKind =
  | 'gpr' // a general-purpose register r0..r31
  | 'gpr0' // RA where 0 means the literal 0, not r0 (addi, loads, indexed forms)
  | 'vr' // a vector register v0..v31
  | 'crf' // a condition-register field cr0..cr7
  | 'crb' // a condition-register bit 0..31 (4·field + lt/gt/eq/so)
  | 'simm16' // signed 16-bit immediate
  | 'simm16opt' // 16 bits, signed or unsigned (addis/lis: GNU as accepts −32768..65535 in 32-bit mode)
  | 'uimm16' // unsigned 16-bit immediate
  | 'disp16' // signed 16-bit displacement of a D-form load/store, written `d(ra)`
  | 'uimm5' // SH, MB, ME, TO: 0..31
  | 'bo' // branch options
  | 'bi' // condition bit tested by a branch (same values as crb)
  | 'bdRel' // 14-bit word displacement of bc, relative to the instruction
  | 'bdAbs' // the same as an absolute address (bca, bcla)
  | 'liRel' // 24-bit word displacement of b, relative
  | 'liAbs' // the same as an absolute address (ba, bla)
  | 'spr' // special-purpose register number, halves swapped in the word
  | 'tbr' // time-base register number (268 lower, 269 upper), laid out like spr
  | 'fxm' // mtcrf field mask
  | 'l32' // the L bit of compares: 0 only (a 32-bit core)
  | 'cond' // vector condition 0 always, 1 gt, 2 lt, 3 eq
  | 'vsh'; // signed vector shift amount −16..15 (left for positive)

/** One operand of an instruction: its kind and its field in the word. */
export interface OperandSpec {
  readonly kind: OperandKind;
  /** LSB position of the field. */
  readonly shift: number;
  /** Field width in bits. */
  readonly width: number;
  /** Field name as in the Power ISA (RT, RA, SI, BD, …), for messages and documentation. */
  readonly name: string;
}

export interface KindInfo {
  readonly min: number;
  readonly max: number;
  /** Values must be a multiple of this (branch displacements: 4). */
  readonly step: number;
  readonly signed: boolean;
}

const kindInfo: Record<OperandKind, KindInfo> = {
  gpr: { min: 0, max: 31, step: 1, signed: false },
  gpr0: { min: 0, max: 31, step: 1, signed: false },
  vr: { min: 0, max: 31, step: 1, signed: false },
  crf: { min: 0, max: 7, step: 1, signed: false },
  crb: { min: 0, max: 31, step: 1, signed: false },
  simm16: { min: -0x8000, max: 0x7fff, step: 1, signed: true },
  simm16opt: { min: -0x8000, max: 0xffff, step: 1, signed: true },
  uimm16: { min: 0, max: 0xffff, step: 1, signed: false },
  disp16: { min: -0x8000, max: 0x7fff, step: 1, signed: true },
  uimm5: { min: 0, max: 31, step: 1, signed: false },
  bo: { min: 0, max: 31, step: 1, signed: false },
  bi: { min: 0, max: 31, step: 1, signed: false },
  bdRel: { min: -0x8000, max: 0x7ffc, step: 4, signed: true },
  bdAbs: { min: -0x8000, max: 0x7ffc, step: 4, signed: true },
  liRel: { min: -0x2000000, max: 0x1fffffc, step: 4, signed: true },
  liAbs: { min: -0x2000000, max: 0x1fffffc, step: 4, signed: true },
  spr: { min: 0, max: 0x3ff, step: 1, signed: false }, // 10-bit field
  tbr: { min: 0, max: 0x3ff, step: 1, signed: false },
  fxm: { min: 0, max: 255, step: 1, signed: false },
  l32: { min: 0, max: 0, step: 1, signed: false },
  cond: { min: 0, max: 3, step: 1, signed: false },
  vsh: { min: -16, max: 15, step: 1, signed: true },
};

/** Range and granularity of an operand kind. */
export function operandRange(kind: OperandKind): KindInfo {
  return kindInfo[kind];
}

/** `min..max` (and the step, if any) as text for messages. */
export function describeRange(kind: OperandKind): string {
  const info = kindInfo[kind];
  return `${info.min}..${info.max}` + (info.step > 1 ? `, a multiple of ${info.step}` : '');
}

/** Whether `value` fits the operand kind. */
export function fitsOperand(kind: OperandKind, value: number): boolean {
  const info = kindInfo[kind];
  return Number.isInteger(value) && value >= info.min && value <= info.max && value % info.step === 0;
}

/** Branch displacements are byte offsets whose low two bits are AA and LK, not part of the field. */
function isDisplacement(kind: OperandKind): boolean {
  return kind === 'bdRel' || kind === 'bdAbs' || kind === 'liRel' || kind === 'liAbs';
}

/** Bits of the field mask within the word. */
export function fieldMask(spec: OperandSpec): number {
  const mask = ((2 ** spec.width - 1) * 2 ** spec.shift) >>> 0;
  return isDisplacement(spec.kind) ? (mask & ~3) >>> 0 : mask;
}

/** The field bits of `value` (assumed in range), placed in the word. */
export function insertOperand(spec: OperandSpec, value: number): number {
  if (spec.kind === 'spr' || spec.kind === 'tbr') {
    // The 10-bit SPR number is stored with its two 5-bit halves swapped (Power ISA mfspr/mtspr).
    return (((value & 0x1f) << 16) | ((value >>> 5) << 11)) >>> 0;
  }
  if (isDisplacement(spec.kind)) return (value & fieldMask(spec)) >>> 0;
  const mask = 2 ** spec.width - 1;
  return ((value & mask) * 2 ** spec.shift) >>> 0;
}

/** The operand value held by `word`. */
export function extractOperand(spec: OperandSpec, word: number): number {
  if (spec.kind === 'spr' || spec.kind === 'tbr') return ((word >>> 16) & 0x1f) | (((word >>> 11) & 0x1f) << 5);
  const raw = isDisplacement(spec.kind) ? (word & fieldMask(spec)) >>> 0 : (word >>> spec.shift) & (2 ** spec.width - 1);
  if (!kindInfo[spec.kind].signed) return raw;
  const sign = 2 ** (spec.width - 1);
  return raw >= sign ? raw - 2 * sign : raw;
}

/** Operand constructors, by Power ISA field name. */
export const F = {
  RT: (kind: OperandKind = 'gpr'): OperandSpec => ({ kind, shift: 21, width: 5, name: 'RT' }),
  RS: (kind: OperandKind = 'gpr'): OperandSpec => ({ kind, shift: 21, width: 5, name: 'RS' }),
  RA: (kind: OperandKind = 'gpr'): OperandSpec => ({ kind, shift: 16, width: 5, name: 'RA' }),
  RB: (kind: OperandKind = 'gpr'): OperandSpec => ({ kind, shift: 11, width: 5, name: 'RB' }),
  SI: (kind: OperandKind = 'simm16'): OperandSpec => ({ kind, shift: 0, width: 16, name: 'SI' }),
  UI: (): OperandSpec => ({ kind: 'uimm16', shift: 0, width: 16, name: 'UI' }),
  D: (): OperandSpec => ({ kind: 'disp16', shift: 0, width: 16, name: 'D' }),
  BF: (): OperandSpec => ({ kind: 'crf', shift: 23, width: 3, name: 'BF' }),
  BFA: (): OperandSpec => ({ kind: 'crf', shift: 18, width: 3, name: 'BFA' }),
  L: (): OperandSpec => ({ kind: 'l32', shift: 21, width: 1, name: 'L' }),
  BT: (): OperandSpec => ({ kind: 'crb', shift: 21, width: 5, name: 'BT' }),
  BA: (): OperandSpec => ({ kind: 'crb', shift: 16, width: 5, name: 'BA' }),
  BB: (): OperandSpec => ({ kind: 'crb', shift: 11, width: 5, name: 'BB' }),
  BO: (): OperandSpec => ({ kind: 'bo', shift: 21, width: 5, name: 'BO' }),
  BI: (): OperandSpec => ({ kind: 'bi', shift: 16, width: 5, name: 'BI' }),
  BD: (kind: 'bdRel' | 'bdAbs'): OperandSpec => ({ kind, shift: 0, width: 16, name: 'BD' }),
  LI: (kind: 'liRel' | 'liAbs'): OperandSpec => ({ kind, shift: 0, width: 26, name: 'LI' }),
  SH: (): OperandSpec => ({ kind: 'uimm5', shift: 11, width: 5, name: 'SH' }),
  MB: (): OperandSpec => ({ kind: 'uimm5', shift: 6, width: 5, name: 'MB' }),
  ME: (): OperandSpec => ({ kind: 'uimm5', shift: 1, width: 5, name: 'ME' }),
  TO: (): OperandSpec => ({ kind: 'uimm5', shift: 21, width: 5, name: 'TO' }),
  SPR: (): OperandSpec => ({ kind: 'spr', shift: 11, width: 10, name: 'SPR' }),
  TBR: (): OperandSpec => ({ kind: 'tbr', shift: 11, width: 10, name: 'TBR' }),
  FXM: (): OperandSpec => ({ kind: 'fxm', shift: 12, width: 8, name: 'FXM' }),
  VRT: (): OperandSpec => ({ kind: 'vr', shift: 21, width: 5, name: 'VRT' }),
  VRA: (): OperandSpec => ({ kind: 'vr', shift: 16, width: 5, name: 'VRA' }),
  VRB: (): OperandSpec => ({ kind: 'vr', shift: 11, width: 5, name: 'VRB' }),
  VSH: (): OperandSpec => ({ kind: 'vsh', shift: 11, width: 5, name: 'SH' }),
  COND: (): OperandSpec => ({ kind: 'cond', shift: 0, width: 2, name: 'C' }),
} as const;
