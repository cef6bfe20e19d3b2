// The PPU instruction table, defined once: the 32-bit big-endian Power ISA subset kernels need, plus the s2pp
// vector extension (opcode 4, FXV form). The assembler, the disassembler and the processor simulation all read
// it. Scalar encodings are checked bit for bit against GNU as (test-fixtures/ppu/scalar-encodings.json).
import type { CycleClass } from './cycles.js';
import { F, type OperandSpec, fieldMask } from './operands.js';

/** Instruction formats (Power ISA names; FXV is the s2pp vector format). */
export type Form = 'I' | 'B' | 'D' | 'X' | 'XL' | 'XO' | 'XFX' | 'M' | 'FXV';

/** Extra validity rules beyond field ranges (Power ISA "invalid forms", as GNU as enforces them). */
export type Constraint =
  | 'none'
  | 'loadUpdate' // RA ≠ 0 and RA ≠ RT
  | 'storeUpdate' // RA ≠ 0
  | 'loadMultiple' // RA < RT (RA not among the registers loaded)
  | 'bo' // BO is one of the defined encodings (no reserved z bits)
  | 'boCounterless' // as 'bo', and BO does not decrement CTR (bcctr)
  | 'rightShift'; // the signed shift operand is ≥ 0 (stochastic-rounding shifts)

export interface InstructionDef {
  /** Index into `instructions`; stable within a build, the key an interpreter dispatches on. */
  readonly id: number;
  readonly mnemonic: string;
  readonly form: Form;
  readonly primaryOpcode: number;
  /** Extended opcode (X/XL/XO/XFX/FXV), or −1. */
  readonly extendedOpcode: number;
  /** Bits that must equal `match` for a word to be this instruction (everything that is not an operand). */
  readonly mask: number;
  readonly match: number;
  /** Operands in assembler order. */
  readonly operands: readonly OperandSpec[];
  /** Trailing operands that may be omitted in source (they are then 0). */
  readonly optionalTrailing: number;
  readonly constraint: Constraint;
  readonly cycleClass: CycleClass;
  /** Rc = 1: CR0 (or for nothing else) records the result's sign. */
  readonly recordsCr0: boolean;
  /** OE = 1: XER[OV, SO] record overflow. */
  readonly recordsOverflow: boolean;
  /** LK = 1: LR = address of the next instruction. */
  readonly link: boolean;
  /** AA = 1: the branch target is absolute. */
  readonly absolute: boolean;
  /** One line of semantics. */
  readonly summary: string;
}

type Draft = Omit<InstructionDef, 'id' | 'mask' | 'optionalTrailing' | 'constraint' | 'recordsCr0' | 'recordsOverflow' | 'link' | 'absolute'> &
  Partial<Pick<InstructionDef, 'optionalTrailing' | 'constraint' | 'recordsCr0' | 'recordsOverflow' | 'link' | 'absolute'>>;

const drafts: Draft[] = [];

function add(draft: Draft): void {
  drafts.push(draft);
}

const op = (primary: number): number => (primary << 26) >>> 0;

/** D-form: opcode, two 5-bit fields, a 16-bit immediate or displacement. */
function dForm(mnemonic: string, primary: number, operands: OperandSpec[], cycleClass: CycleClass, summary: string, constraint: Constraint = 'none'): void {
  add({ mnemonic, form: 'D', primaryOpcode: primary, extendedOpcode: -1, match: op(primary), operands, cycleClass, summary, constraint, recordsCr0: mnemonic.endsWith('.') });
}

/** X-form under opcode 31, optionally with its Rc = 1 twin (`mnemonic.`). */
function xForm(mnemonic: string, xo: number, operands: OperandSpec[], cycleClass: CycleClass, summary: string, options: { rc?: boolean; constraint?: Constraint } = {}): void {
  const variants = options.rc === true ? [false, true] : [false];
  for (const rc of variants) {
    add({
      mnemonic: mnemonic + (rc ? '.' : ''),
      form: 'X',
      primaryOpcode: 31,
      extendedOpcode: xo,
      match: (op(31) | (xo << 1) | (rc ? 1 : 0)) >>> 0,
      operands,
      cycleClass,
      summary: summary + (rc ? '; CR0 ← sign of the result' : ''),
      constraint: options.constraint ?? 'none',
      recordsCr0: rc,
    });
  }
}

/** XO-form arithmetic: `mnemonic`, `mnemonic.`, and with `oe` also `mnemonico`, `mnemonico.`. */
function xoForm(mnemonic: string, xo: number, operands: OperandSpec[], summary: string, oe = true): void {
  for (const o of oe ? [false, true] : [false]) {
    for (const rc of [false, true]) {
      add({
        mnemonic: mnemonic + (o ? 'o' : '') + (rc ? '.' : ''),
        form: 'XO',
        primaryOpcode: 31,
        extendedOpcode: xo,
        match: (op(31) | ((o ? 1 : 0) << 10) | (xo << 1) | (rc ? 1 : 0)) >>> 0,
        operands,
        cycleClass: 'alu',
        summary: summary + (o ? '; XER[OV,SO] ← overflow' : '') + (rc ? '; CR0 ← sign of the result' : ''),
        recordsCr0: rc,
        recordsOverflow: o,
      });
    }
  }
}

/** XL-form under opcode 19. */
function xlForm(mnemonic: string, xo: number, operands: OperandSpec[], cycleClass: CycleClass, summary: string, options: { lk?: boolean; constraint?: Constraint } = {}): void {
  add({
    mnemonic,
    form: 'XL',
    primaryOpcode: 19,
    extendedOpcode: xo,
    match: (op(19) | (xo << 1) | (options.lk === true ? 1 : 0)) >>> 0,
    operands,
    cycleClass,
    summary,
    constraint: options.constraint ?? 'none',
    link: options.lk === true,
  });
}

/** M-form rotates with their Rc = 1 twin. */
function mForm(mnemonic: string, primary: number, operands: OperandSpec[], summary: string): void {
  for (const rc of [false, true]) {
    add({ mnemonic: mnemonic + (rc ? '.' : ''), form: 'M', primaryOpcode: primary, extendedOpcode: -1, match: (op(primary) | (rc ? 1 : 0)) >>> 0, operands, cycleClass: 'alu', summary: summary + (rc ? '; CR0 ← sign of the result' : ''), recordsCr0: rc });
  }
}

/** FXV form (s2pp): opcode 4, VRT/RT 21, VRA/RA 16, VRB/RB 11, 9-bit extended opcode at 2, condition at 0. */
function fxv(mnemonic: string, xo: number, operands: OperandSpec[], cycleClass: CycleClass, summary: string, constraint: Constraint = 'none'): void {
  // The condition is optional (0, always) except for fxvsel, where it is the point of the instruction.
  const optionalTrailing = operands.at(-1)?.kind === 'cond' && mnemonic !== 'fxvsel' ? 1 : 0;
  add({ mnemonic, form: 'FXV', primaryOpcode: 4, extendedOpcode: xo, match: (op(4) | (xo << 2)) >>> 0, operands, cycleClass, summary, optionalTrailing, constraint });
}

// ---- integer arithmetic ------------------------------------------------------------------------------------
dForm('addi', 14, [F.RT(), F.RA('gpr0'), F.SI()], 'alu', 'RT ← (RA|0) + EXTS(SI)');
dForm('addis', 15, [F.RT(), F.RA('gpr0'), F.SI('simm16opt')], 'alu', 'RT ← (RA|0) + (SI ‖ 0x0000)');
dForm('addic', 12, [F.RT(), F.RA(), F.SI()], 'alu', 'RT ← RA + EXTS(SI); XER[CA] ← carry');
dForm('addic.', 13, [F.RT(), F.RA(), F.SI()], 'alu', 'RT ← RA + EXTS(SI); XER[CA] ← carry; CR0 ← sign of the result');
dForm('subfic', 8, [F.RT(), F.RA(), F.SI()], 'alu', 'RT ← EXTS(SI) − RA; XER[CA] ← carry');
dForm('mulli', 7, [F.RT(), F.RA(), F.SI()], 'alu', 'RT ← low 32 bits of RA × EXTS(SI)');
xoForm('add', 266, [F.RT(), F.RA(), F.RB()], 'RT ← RA + RB');
xoForm('addc', 10, [F.RT(), F.RA(), F.RB()], 'RT ← RA + RB; XER[CA] ← carry');
xoForm('adde', 138, [F.RT(), F.RA(), F.RB()], 'RT ← RA + RB + XER[CA]; XER[CA] ← carry');
xoForm('addze', 202, [F.RT(), F.RA()], 'RT ← RA + XER[CA]; XER[CA] ← carry');
xoForm('addme', 234, [F.RT(), F.RA()], 'RT ← RA + XER[CA] − 1; XER[CA] ← carry');
xoForm('subf', 40, [F.RT(), F.RA(), F.RB()], 'RT ← RB − RA');
xoForm('subfc', 8, [F.RT(), F.RA(), F.RB()], 'RT ← RB − RA; XER[CA] ← carry');
xoForm('subfe', 136, [F.RT(), F.RA(), F.RB()], 'RT ← ¬RA + RB + XER[CA]; XER[CA] ← carry');
xoForm('subfze', 200, [F.RT(), F.RA()], 'RT ← ¬RA + XER[CA]; XER[CA] ← carry');
xoForm('subfme', 232, [F.RT(), F.RA()], 'RT ← ¬RA + XER[CA] − 1; XER[CA] ← carry');
xoForm('neg', 104, [F.RT(), F.RA()], 'RT ← −RA');
xoForm('mullw', 235, [F.RT(), F.RA(), F.RB()], 'RT ← low 32 bits of RA × RB');
xoForm('mulhw', 75, [F.RT(), F.RA(), F.RB()], 'RT ← high 32 bits of the signed product RA × RB', false);
xoForm('mulhwu', 11, [F.RT(), F.RA(), F.RB()], 'RT ← high 32 bits of the unsigned product RA × RB', false);
xoForm('divw', 491, [F.RT(), F.RA(), F.RB()], 'RT ← RA ÷ RB (signed, truncating; undefined for ÷0 and −2^31 ÷ −1)');
xoForm('divwu', 459, [F.RT(), F.RA(), F.RB()], 'RT ← RA ÷ RB (unsigned; undefined for ÷0)');

// ---- logic -------------------------------------------------------------------------------------------------
const logic3 = [F.RA(), F.RS(), F.RB()];
xForm('and', 28, logic3, 'alu', 'RA ← RS & RB', { rc: true });
xForm('or', 444, logic3, 'alu', 'RA ← RS | RB', { rc: true });
xForm('xor', 316, logic3, 'alu', 'RA ← RS ^ RB', { rc: true });
xForm('nand', 476, logic3, 'alu', 'RA ← ¬(RS & RB)', { rc: true });
xForm('nor', 124, logic3, 'alu', 'RA ← ¬(RS | RB)', { rc: true });
xForm('andc', 60, logic3, 'alu', 'RA ← RS & ¬RB', { rc: true });
xForm('orc', 412, logic3, 'alu', 'RA ← RS | ¬RB', { rc: true });
xForm('eqv', 284, logic3, 'alu', 'RA ← ¬(RS ^ RB)', { rc: true });
dForm('andi.', 28, [F.RA(), F.RS(), F.UI()], 'alu', 'RA ← RS & UI; CR0 ← sign of the result');
dForm('andis.', 29, [F.RA(), F.RS(), F.UI()], 'alu', 'RA ← RS & (UI ‖ 0x0000); CR0 ← sign of the result');
dForm('ori', 24, [F.RA(), F.RS(), F.UI()], 'alu', 'RA ← RS | UI');
dForm('oris', 25, [F.RA(), F.RS(), F.UI()], 'alu', 'RA ← RS | (UI ‖ 0x0000)');
dForm('xori', 26, [F.RA(), F.RS(), F.UI()], 'alu', 'RA ← RS ^ UI');
dForm('xoris', 27, [F.RA(), F.RS(), F.UI()], 'alu', 'RA ← RS ^ (UI ‖ 0x0000)');
xForm('extsb', 954, [F.RA(), F.RS()], 'alu', 'RA ← EXTS(RS[24:31])', { rc: true });
xForm('extsh', 922, [F.RA(), F.RS()], 'alu', 'RA ← EXTS(RS[16:31])', { rc: true });
xForm('cntlzw', 26, [F.RA(), F.RS()], 'alu', 'RA ← number of leading zero bits of RS', { rc: true });

// ---- shifts and rotates ------------------------------------------------------------------------------------
xForm('slw', 24, logic3, 'alu', 'RA ← RS << RB[26:31] (0 for shifts ≥ 32)', { rc: true });
xForm('srw', 536, logic3, 'alu', 'RA ← RS >> RB[26:31] logical (0 for shifts ≥ 32)', { rc: true });
xForm('sraw', 792, logic3, 'alu', 'RA ← RS >> RB[26:31] arithmetic; XER[CA] ← negative and 1-bits shifted out', { rc: true });
xForm('srawi', 824, [F.RA(), F.RS(), F.SH()], 'alu', 'RA ← RS >> SH arithmetic; XER[CA] ← negative and 1-bits shifted out', { rc: true });
mForm('rlwinm', 21, [F.RA(), F.RS(), F.SH(), F.MB(), F.ME()], 'RA ← ROTL32(RS, SH) & MASK(MB, ME)');
mForm('rlwnm', 23, [F.RA(), F.RS(), F.RB(), F.MB(), F.ME()], 'RA ← ROTL32(RS, RB[27:31]) & MASK(MB, ME)');
mForm('rlwimi', 20, [F.RA(), F.RS(), F.SH(), F.MB(), F.ME()], 'RA ← (ROTL32(RS, SH) & m) | (RA & ¬m), m = MASK(MB, ME)');

// ---- compares ----------------------------------------------------------------------------------------------
xForm('cmp', 0, [F.BF(), F.L(), F.RA(), F.RB()], 'alu', 'CR[BF] ← signed compare of RA and RB (lt, gt, eq, so ← XER[SO])');
xForm('cmpl', 32, [F.BF(), F.L(), F.RA(), F.RB()], 'alu', 'CR[BF] ← unsigned compare of RA and RB');
dForm('cmpi', 11, [F.BF(), F.L(), F.RA(), F.SI()], 'alu', 'CR[BF] ← signed compare of RA and EXTS(SI)');
dForm('cmpli', 10, [F.BF(), F.L(), F.RA(), F.UI()], 'alu', 'CR[BF] ← unsigned compare of RA and UI');

// ---- condition register ------------------------------------------------------------------------------------
const crOps = [F.BT(), F.BA(), F.BB()];
xlForm('crand', 257, crOps, 'alu', 'CR[BT] ← CR[BA] & CR[BB]');
xlForm('cror', 449, crOps, 'alu', 'CR[BT] ← CR[BA] | CR[BB]');
xlForm('crxor', 193, crOps, 'alu', 'CR[BT] ← CR[BA] ^ CR[BB]');
xlForm('crnand', 225, crOps, 'alu', 'CR[BT] ← ¬(CR[BA] & CR[BB])');
xlForm('crnor', 33, crOps, 'alu', 'CR[BT] ← ¬(CR[BA] | CR[BB])');
xlForm('creqv', 289, crOps, 'alu', 'CR[BT] ← ¬(CR[BA] ^ CR[BB])');
xlForm('crandc', 129, crOps, 'alu', 'CR[BT] ← CR[BA] & ¬CR[BB]');
xlForm('crorc', 417, crOps, 'alu', 'CR[BT] ← CR[BA] | ¬CR[BB]');
xlForm('mcrf', 0, [F.BF(), F.BFA()], 'alu', 'CR field BF ← CR field BFA');
xForm('mfcr', 19, [F.RT()], 'alu', 'RT ← CR');
xForm('mtcrf', 144, [F.FXM(), F.RS()], 'alu', 'CR fields selected by FXM (bit 7 = cr0) ← the same fields of RS');

// ---- loads and stores --------------------------------------------------------------------------------------
const dl = (mnemonic: string, primary: number, summary: string, constraint: Constraint = 'none'): void =>
  dForm(mnemonic, primary, [F.RT(), F.D(), F.RA(constraint === 'none' || constraint === 'loadMultiple' ? 'gpr0' : 'gpr')], 'load-store', summary, constraint);
dl('lbz', 34, 'RT ← zero-extended byte at (RA|0) + D');
dl('lbzu', 35, 'RT ← zero-extended byte at EA = RA + D; RA ← EA', 'loadUpdate');
dl('lhz', 40, 'RT ← zero-extended halfword at (RA|0) + D');
dl('lhzu', 41, 'RT ← zero-extended halfword at EA = RA + D; RA ← EA', 'loadUpdate');
dl('lha', 42, 'RT ← sign-extended halfword at (RA|0) + D');
dl('lhau', 43, 'RT ← sign-extended halfword at EA = RA + D; RA ← EA', 'loadUpdate');
dl('lwz', 32, 'RT ← word at (RA|0) + D');
dl('lwzu', 33, 'RT ← word at EA = RA + D; RA ← EA', 'loadUpdate');
dl('stb', 38, 'byte at (RA|0) + D ← RS[24:31]');
dl('stbu', 39, 'byte at EA = RA + D ← RS[24:31]; RA ← EA', 'storeUpdate');
dl('sth', 44, 'halfword at (RA|0) + D ← RS[16:31]');
dl('sthu', 45, 'halfword at EA = RA + D ← RS[16:31]; RA ← EA', 'storeUpdate');
dl('stw', 36, 'word at (RA|0) + D ← RS');
dl('stwu', 37, 'word at EA = RA + D ← RS; RA ← EA', 'storeUpdate');
dl('lmw', 46, 'RT..r31 ← consecutive words from (RA|0) + D', 'loadMultiple');
dl('stmw', 47, 'consecutive words from (RA|0) + D ← RS..r31');
const xl = (mnemonic: string, xo: number, summary: string, constraint: Constraint = 'none'): void =>
  xForm(mnemonic, xo, [F.RT(), F.RA(constraint === 'none' ? 'gpr0' : 'gpr'), F.RB()], 'load-store', summary, { constraint });
xl('lbzx', 87, 'RT ← zero-extended byte at (RA|0) + RB');
xl('lbzux', 119, 'RT ← zero-extended byte at EA = RA + RB; RA ← EA', 'loadUpdate');
xl('lhzx', 279, 'RT ← zero-extended halfword at (RA|0) + RB');
xl('lhzux', 311, 'RT ← zero-extended halfword at EA = RA + RB; RA ← EA', 'loadUpdate');
xl('lhax', 343, 'RT ← sign-extended halfword at (RA|0) + RB');
xl('lhaux', 375, 'RT ← sign-extended halfword at EA = RA + RB; RA ← EA', 'loadUpdate');
xl('lwzx', 23, 'RT ← word at (RA|0) + RB');
xl('lwzux', 55, 'RT ← word at EA = RA + RB; RA ← EA', 'loadUpdate');
xl('stbx', 215, 'byte at (RA|0) + RB ← RS[24:31]');
xl('stbux', 247, 'byte at EA = RA + RB ← RS[24:31]; RA ← EA', 'storeUpdate');
xl('sthx', 407, 'halfword at (RA|0) + RB ← RS[16:31]');
xl('sthux', 439, 'halfword at EA = RA + RB ← RS[16:31]; RA ← EA', 'storeUpdate');
xl('stwx', 151, 'word at (RA|0) + RB ← RS');
xl('stwux', 183, 'word at EA = RA + RB ← RS; RA ← EA', 'storeUpdate');

// ---- branches ----------------------------------------------------------------------------------------------
for (const [suffix, aa, lk] of [['', false, false], ['l', false, true], ['a', true, false], ['la', true, true]] as const) {
  const target = aa ? 'LI' : 'PC + LI';
  add({ mnemonic: `b${suffix}`, form: 'I', primaryOpcode: 18, extendedOpcode: -1, match: (op(18) | (aa ? 2 : 0) | (lk ? 1 : 0)) >>> 0, operands: [F.LI(aa ? 'liAbs' : 'liRel')], cycleClass: 'branch', summary: `PC ← ${target}` + (lk ? '; LR ← PC + 4' : ''), link: lk, absolute: aa });
  add({ mnemonic: `bc${suffix}`, form: 'B', primaryOpcode: 16, extendedOpcode: -1, match: (op(16) | (aa ? 2 : 0) | (lk ? 1 : 0)) >>> 0, operands: [F.BO(), F.BI(), F.BD(aa ? 'bdAbs' : 'bdRel')], cycleClass: 'branch', summary: `if BO/BI condition: PC ← ${aa ? 'BD' : 'PC + BD'} (BO bit 2 clear: CTR ← CTR − 1 first)` + (lk ? '; LR ← PC + 4' : ''), constraint: 'bo', link: lk, absolute: aa });
}
xlForm('bclr', 16, [F.BO(), F.BI()], 'branch', 'if BO/BI condition: PC ← LR & ~3 (BO bit 2 clear: CTR ← CTR − 1 first)', { constraint: 'bo' });
xlForm('bclrl', 16, [F.BO(), F.BI()], 'branch', 'as bclr; LR ← PC + 4', { lk: true, constraint: 'bo' });
xlForm('bcctr', 528, [F.BO(), F.BI()], 'branch', 'if BO/BI condition: PC ← CTR & ~3 (BO must not decrement CTR)', { constraint: 'boCounterless' });
xlForm('bcctrl', 528, [F.BO(), F.BI()], 'branch', 'as bcctr; LR ← PC + 4', { lk: true, constraint: 'boCounterless' });

// ---- special-purpose registers and synchronisation ---------------------------------------------------------
add({ mnemonic: 'mfspr', form: 'XFX', primaryOpcode: 31, extendedOpcode: 339, match: (op(31) | (339 << 1)) >>> 0, operands: [F.RT(), F.SPR()], cycleClass: 'alu', summary: 'RT ← SPR (1 XER, 8 LR, 9 CTR, 268/269 time base)' });
add({ mnemonic: 'mtspr', form: 'XFX', primaryOpcode: 31, extendedOpcode: 467, match: (op(31) | (467 << 1)) >>> 0, operands: [F.SPR(), F.RS()], cycleClass: 'alu', summary: 'SPR ← RS (1 XER, 8 LR, 9 CTR)' });
add({ mnemonic: 'mftb', form: 'XFX', primaryOpcode: 31, extendedOpcode: 371, match: (op(31) | (371 << 1)) >>> 0, operands: [F.RT(), F.TBR()], cycleClass: 'alu', summary: 'RT ← time base, lower (268) or upper (269) word; counts PPU cycles' });
xForm('sync', 598, [], 'alu', 'wait until all earlier memory accesses have completed');
xForm('wait', 62, [], 'alu', 'halt the core until the host restarts it (the end of a kernel: PPUStatusRegister reports it sleeping)');
xlForm('isync', 150, [], 'alu', 'wait until all earlier instructions have completed; refetch');

// ---- the s2pp vector extension (opcode 4, FXV form; upstream extended opcodes) ----------------------------
const v3 = [F.VRT(), F.VRA(), F.VRB(), F.COND()];
const vec = (mnemonic: string, xo: number, summary: string): void => fxv(mnemonic, xo, v3, 'vector-alu', summary);
vec('fxvaddbm', 461, 'VRT.b[i] ← VRA.b[i] + VRB.b[i] mod 2^8');
vec('fxvaddhm', 460, 'VRT.h[i] ← VRA.h[i] + VRB.h[i] mod 2^16');
vec('fxvaddbfs', 477, 'VRT.b[i] ← sat8(VRA.b[i] + VRB.b[i]), signed Q0.7');
vec('fxvaddhfs', 476, 'VRT.h[i] ← sat16(VRA.h[i] + VRB.h[i]), signed Q0.15');
vec('fxvsubbm', 333, 'VRT.b[i] ← VRA.b[i] − VRB.b[i] mod 2^8');
vec('fxvsubhm', 332, 'VRT.h[i] ← VRA.h[i] − VRB.h[i] mod 2^16');
vec('fxvsubbfs', 349, 'VRT.b[i] ← sat8(VRA.b[i] − VRB.b[i]), signed Q0.7');
vec('fxvsubhfs', 348, 'VRT.h[i] ← sat16(VRA.h[i] − VRB.h[i]), signed Q0.15');
vec('fxvmulbm', 77, 'VRT.b[i] ← VRA.b[i] × VRB.b[i] mod 2^8');
vec('fxvmulhm', 76, 'VRT.h[i] ← VRA.h[i] × VRB.h[i] mod 2^16');
vec('fxvmulbfs', 93, 'VRT.b[i] ← sat8((VRA.b[i] × VRB.b[i]) >> 7), signed Q0.7');
vec('fxvmulhfs', 92, 'VRT.h[i] ← sat16((VRA.h[i] × VRB.h[i]) >> 15), signed Q0.15');
vec('fxvmabm', 13, 'VRT.b[i] ← ACC.b[i] + VRA.b[i] × VRB.b[i] mod 2^8 (ACC unchanged)');
vec('fxvmahm', 12, 'VRT.h[i] ← ACC.h[i] + VRA.h[i] × VRB.h[i] mod 2^16 (ACC unchanged)');
vec('fxvmabfs', 29, 'VRT.b[i] ← sat8(ACC.b[i] + (VRA.b[i] × VRB.b[i]) >> 7) (ACC unchanged)');
vec('fxvmahfs', 28, 'VRT.h[i] ← sat16(ACC.h[i] + (VRA.h[i] × VRB.h[i]) >> 15) (ACC unchanged)');
vec('fxvmatacbm', 45, 'ACC.b[i] ← ACC.b[i] + VRA.b[i] × VRB.b[i] mod 2^8; VRT not written');
vec('fxvmatachm', 44, 'ACC.h[i] ← ACC.h[i] + VRA.h[i] × VRB.h[i] mod 2^16; VRT not written');
vec('fxvmatacbfs', 61, 'ACC.b[i] ← sat8(ACC.b[i] + (VRA.b[i] × VRB.b[i]) >> 7); VRT not written');
vec('fxvmatachfs', 60, 'ACC.h[i] ← sat16(ACC.h[i] + (VRA.h[i] × VRB.h[i]) >> 15); VRT not written');
vec('fxvmultacbm', 109, 'ACC.b[i] ← VRA.b[i] × VRB.b[i] mod 2^8; VRT not written');
vec('fxvmultachm', 108, 'ACC.h[i] ← VRA.h[i] × VRB.h[i] mod 2^16; VRT not written');
vec('fxvmultacbfs', 125, 'ACC.b[i] ← sat8((VRA.b[i] × VRB.b[i]) >> 7); VRT not written');
vec('fxvmultachfs', 124, 'ACC.h[i] ← sat16((VRA.h[i] × VRB.h[i]) >> 15); VRT not written');
vec('fxvaddtacb', 429, 'ACC.b[i] ← VRA.b[i] + VRB.b[i] mod 2^8; VRT not written');
vec('fxvaddtachm', 428, 'ACC.h[i] ← VRA.h[i] + VRB.h[i] mod 2^16; VRT not written');
const accIn = [F.VRT(), F.VRA(), F.COND()];
fxv('fxvaddacbm', 397, accIn, 'vector-alu', 'VRT.b[i] ← ACC.b[i] + VRA.b[i] mod 2^8');
fxv('fxvaddachm', 396, accIn, 'vector-alu', 'VRT.h[i] ← ACC.h[i] + VRA.h[i] mod 2^16');
fxv('fxvaddacbfs', 413, accIn, 'vector-alu', 'VRT.b[i] ← sat8(ACC.b[i] + VRA.b[i])');
fxv('fxvaddachfs', 412, accIn, 'vector-alu', 'VRT.h[i] ← sat16(ACC.h[i] + VRA.h[i])');
fxv('fxvaddactacb', 365, accIn, 'vector-alu', 'ACC.b[i] ← ACC.b[i] + VRA.b[i] mod 2^8; VRT.b[i] ← the new ACC.b[i]');
fxv('fxvaddactachm', 364, accIn, 'vector-alu', 'ACC.h[i] ← ACC.h[i] + VRA.h[i] mod 2^16; VRT.h[i] ← the new ACC.h[i]');
fxv('fxvaddactacbf', 381, accIn, 'vector-alu', 'ACC.b[i] ← sat8(ACC.b[i] + VRA.b[i]); VRT.b[i] ← the new ACC.b[i]');
fxv('fxvaddactachf', 380, accIn, 'vector-alu', 'ACC.h[i] ← sat16(ACC.h[i] + VRA.h[i]); VRT.h[i] ← the new ACC.h[i]');
const toAcc = [F.VRA(), F.COND()];
fxv('fxvmtacb', 14, toAcc, 'vector-alu', 'ACC.b[i] ← VRA.b[i]');
fxv('fxvmtach', 15, toAcc, 'vector-alu', 'ACC.h[i] ← VRA.h[i]');
fxv('fxvmtacbf', 30, toAcc, 'vector-alu', 'ACC.b[i] ← VRA.b[i] as fractional (same bits; marks ACC saturating)');
fxv('fxvmtachf', 31, toAcc, 'vector-alu', 'ACC.h[i] ← VRA.h[i] as fractional (same bits; marks ACC saturating)');
fxv('fxvsplatb', 269, [F.VRT(), F.RA(), F.COND()], 'vector-alu', 'VRT.b[i] ← RA[24:31] for all 128 bytes');
fxv('fxvsplath', 268, [F.VRT(), F.RA(), F.COND()], 'vector-alu', 'VRT.h[i] ← RA[16:31] for all 64 halfwords');
fxv('fxvshb', 317, [F.VRT(), F.VRA(), F.VSH(), F.COND()], 'vector-alu', 'VRT.b[i] ← VRA.b[i] << SH (SH ≥ 0) or >> −SH arithmetic; no saturation');
fxv('fxvshh', 316, [F.VRT(), F.VRA(), F.VSH(), F.COND()], 'vector-alu', 'VRT.h[i] ← VRA.h[i] << SH (SH ≥ 0) or >> −SH arithmetic; no saturation');
fxv('fxvcmpb', 301, [F.VRA()], 'vector-alu', 'vector condition.b[i] ← sign of VRA.b[i] (gt / lt / eq zero)');
fxv('fxvcmph', 300, [F.VRA()], 'vector-alu', 'vector condition.h[i] ← sign of VRA.h[i] (gt / lt / eq zero)');
fxv('fxvsel', 319, [F.VRT(), F.VRA(), F.VRB(), F.COND()], 'vector-alu', 'VRT.b[i] ← C holds for element i ? VRA.b[i] : VRB.b[i] (C 0: always)');
fxv('fxvpckbu', 239, [F.VRT(), F.VRA(), F.VRB(), F.COND()], 'vector-alu', 'VRT.b[i] ← high byte of VRA.h[i] (i < 64), of VRB.h[i − 64] (i ≥ 64)');
fxv('fxvpckbl', 255, [F.VRT(), F.VRA(), F.VRB(), F.COND()], 'vector-alu', 'VRT.b[i] ← low byte of VRA.h[i] (i < 64), of VRB.h[i − 64] (i ≥ 64)');
fxv('fxvupckbl', 287, [F.VRT(), F.VRA(), F.VRB(), F.COND()], 'vector-alu', 'VRT.h[i] ← VRA.b[i] ‖ VRB.b[i] (bytes 0..63: left half)');
fxv('fxvupckbr', 271, [F.VRT(), F.VRA(), F.VRB(), F.COND()], 'vector-alu', 'VRT.h[i] ← VRA.b[64 + i] ‖ VRB.b[64 + i] (bytes 64..127: right half)');
fxv('fxvlax', 492, [F.VRT(), F.RA('gpr0'), F.RB()], 'vector-load-store', 'VRT ← 128 bytes of local memory at (RA|0) + RB');
fxv('fxvstax', 508, [F.VRT(), F.RA('gpr0'), F.RB(), F.COND()], 'vector-load-store', '128 bytes at (RA|0) + RB ← VRT, only elements for which C holds');
fxv('fxvinx', 236, [F.VRT(), F.RA('gpr0'), F.RB()], 'vector-io', 'VRT ← the vector window at (RA|0) + RB (synapse array / CADC, hardware.md §7)');
fxv('fxvoutx', 252, [F.VRT(), F.RA('gpr0'), F.RB(), F.COND()], 'vector-io', 'vector window at (RA|0) + RB ← VRT, only elements for which C holds');
// Choice (project): stochastic rounding and the vector random generator as instructions, in extended opcodes
// upstream leaves free (README, "The vector extension").
fxv('fxvsrsb', 141, [F.VRT(), F.VRA(), F.VSH(), F.COND()], 'vector-alu', 'VRT.b[i] ← VRA.b[i] >> SH (SH 0..15) arithmetic, rounded up with probability (discarded bits) / 2^SH from the random generator', 'rightShift');
fxv('fxvsrsh', 140, [F.VRT(), F.VRA(), F.VSH(), F.COND()], 'vector-alu', 'VRT.h[i] ← VRA.h[i] >> SH (SH 0..15) arithmetic, rounded up with probability (discarded bits) / 2^SH from the random generator', 'rightShift');
fxv('fxvrand', 156, [F.VRT()], 'vector-alu', 'VRT ← 128 fresh bytes of the vector random generator');

/** Every instruction of the table, indexed by id. */
export const instructions: readonly InstructionDef[] = Object.freeze(
  drafts.map((d, id): InstructionDef => {
    let operandBits = 0;
    // L of the compares can only be 0 on this 32-bit core, so its bit stays in the mask: a word with L = 1 is not decoded.
    for (const o of d.operands) if (o.kind !== 'l32') operandBits = (operandBits | fieldMask(o)) >>> 0;
    return Object.freeze({
      optionalTrailing: 0,
      constraint: 'none',
      recordsCr0: false,
      recordsOverflow: false,
      link: false,
      absolute: false,
      ...d,
      id,
      mask: ~operandBits >>> 0,
    });
  }),
);

const byMnemonic = new Map(instructions.map((i) => [i.mnemonic, i]));

/** The instruction with this mnemonic (base instructions only; extended mnemonics live in extended.ts). */
export function instructionByMnemonic(mnemonic: string): InstructionDef | undefined {
  return byMnemonic.get(mnemonic);
}

/** The id of a base mnemonic; throws for an unknown one (for interpreters building their dispatch once). */
export function instructionId(mnemonic: string): number {
  const def = byMnemonic.get(mnemonic);
  if (def === undefined) throw new RangeError(`'${mnemonic}' is not an instruction of the PPU table`);
  return def.id;
}
