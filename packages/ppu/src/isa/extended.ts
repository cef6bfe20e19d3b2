// Extended mnemonics (Power ISA Book I, appendix "Assembler extended mnemonics"), each a fixed mapping onto one
// base instruction of the table. The assembler expands them; the disassembler prints the preferred ones.
import type { OperandKind } from './operands.js';

/** Where a base operand comes from: a source operand (by index), a constant, or a function of constant sources. */
export type OperandSource = number | { readonly value: number } | { readonly of: readonly number[]; readonly compute: (sources: readonly number[]) => number };

export interface ExtendedMnemonic {
  readonly mnemonic: string;
  /** Kinds of the source operands, in order. */
  readonly operands: readonly OperandKind[];
  /** The first operand (a CR field) may be omitted; it is then cr0. */
  readonly optionalLeadingCrf: boolean;
  /** The base instruction. */
  readonly base: string;
  /** One source per base operand. */
  readonly map: readonly OperandSource[];
  /** For the disassembler: source operands from base operands where the map is not a plain copy. */
  readonly recover?: (base: readonly number[]) => number[];
  /** The disassembler prints this form when it matches. */
  readonly preferred: boolean;
}

const table: ExtendedMnemonic[] = [];

function ext(mnemonic: string, operands: OperandKind[], base: string, map: OperandSource[], options: { optionalLeadingCrf?: boolean; recover?: (base: readonly number[]) => number[]; preferred?: boolean } = {}): void {
  table.push({ mnemonic, operands, base, map, optionalLeadingCrf: options.optionalLeadingCrf ?? false, preferred: options.preferred ?? true, ...(options.recover === undefined ? {} : { recover: options.recover }) });
}

const negate = (index: number): OperandSource => ({ of: [index], compute: ([v]) => -v! });

// ---- immediates, moves, no-op --------------------------------------------------------------------------------
ext('li', ['gpr', 'simm16'], 'addi', [0, { value: 0 }, 1]);
ext('lis', ['gpr', 'simm16opt'], 'addis', [0, { value: 0 }, 1]);
ext('la', ['gpr', 'disp16', 'gpr0'], 'addi', [0, 2, 1], { preferred: false });
ext('mr', ['gpr', 'gpr'], 'or', [0, 1, 1]);
ext('mr.', ['gpr', 'gpr'], 'or.', [0, 1, 1]);
ext('not', ['gpr', 'gpr'], 'nor', [0, 1, 1]);
ext('not.', ['gpr', 'gpr'], 'nor.', [0, 1, 1]);
ext('nop', [], 'ori', [{ value: 0 }, { value: 0 }, { value: 0 }]);

// ---- subtraction ---------------------------------------------------------------------------------------------
ext('subi', ['gpr', 'gpr0', 'simm16'], 'addi', [0, 1, negate(2)], { preferred: false });
ext('subis', ['gpr', 'gpr0', 'simm16'], 'addis', [0, 1, negate(2)], { preferred: false });
ext('subic', ['gpr', 'gpr', 'simm16'], 'addic', [0, 1, negate(2)], { preferred: false });
ext('subic.', ['gpr', 'gpr', 'simm16'], 'addic.', [0, 1, negate(2)], { preferred: false });
for (const suffix of ['', '.', 'o', 'o.']) {
  ext(`sub${suffix}`, ['gpr', 'gpr', 'gpr'], `subf${suffix}`, [0, 2, 1], { preferred: false });
  ext(`subc${suffix}`, ['gpr', 'gpr', 'gpr'], `subfc${suffix}`, [0, 2, 1], { preferred: false });
}

// ---- compares ------------------------------------------------------------------------------------------------
ext('cmpw', ['crf', 'gpr', 'gpr'], 'cmp', [0, { value: 0 }, 1, 2], { optionalLeadingCrf: true });
ext('cmplw', ['crf', 'gpr', 'gpr'], 'cmpl', [0, { value: 0 }, 1, 2], { optionalLeadingCrf: true });
ext('cmpwi', ['crf', 'gpr', 'simm16'], 'cmpi', [0, { value: 0 }, 1, 2], { optionalLeadingCrf: true });
ext('cmplwi', ['crf', 'gpr', 'uimm16'], 'cmpli', [0, { value: 0 }, 1, 2], { optionalLeadingCrf: true });

// ---- rotates and shifts (rlwinm / rlwnm) -------------------------------------------------------------------
for (const rc of ['', '.']) {
  const rlwinm = `rlwinm${rc}`;
  ext(`rotlwi${rc}`, ['gpr', 'gpr', 'uimm5'], rlwinm, [0, 1, 2, { value: 0 }, { value: 31 }]);
  ext(`rotrwi${rc}`, ['gpr', 'gpr', 'uimm5'], rlwinm, [0, 1, { of: [2], compute: ([n]) => (32 - n!) & 31 }, { value: 0 }, { value: 31 }], { preferred: false });
  ext(`slwi${rc}`, ['gpr', 'gpr', 'uimm5'], rlwinm, [0, 1, 2, { value: 0 }, { of: [2], compute: ([n]) => 31 - n! }]);
  ext(`srwi${rc}`, ['gpr', 'gpr', 'uimm5'], rlwinm, [0, 1, { of: [2], compute: ([n]) => (32 - n!) & 31 }, 2, { value: 31 }]);
  ext(`clrlwi${rc}`, ['gpr', 'gpr', 'uimm5'], rlwinm, [0, 1, { value: 0 }, 2, { value: 31 }]);
  ext(`clrrwi${rc}`, ['gpr', 'gpr', 'uimm5'], rlwinm, [0, 1, { value: 0 }, { value: 0 }, { of: [2], compute: ([n]) => 31 - n! }], {
    recover: (b) => [b[0]!, b[1]!, 31 - b[4]!],
  });
  ext(`rotlw${rc}`, ['gpr', 'gpr', 'gpr'], `rlwnm${rc}`, [0, 1, 2, { value: 0 }, { value: 31 }]);
}

// ---- special-purpose registers -------------------------------------------------------------------------------
for (const [name, spr] of [['xer', 1], ['lr', 8], ['ctr', 9]] as const) {
  ext(`mf${name}`, ['gpr'], 'mfspr', [0, { value: spr }]);
  ext(`mt${name}`, ['gpr'], 'mtspr', [{ value: spr }, 0]);
}
ext('mftb', ['gpr'], 'mftb', [0, { value: 268 }]);
ext('mftbu', ['gpr'], 'mftb', [0, { value: 269 }]);
ext('mtcr', ['gpr'], 'mtcrf', [{ value: 0xff }, 0]);

// ---- condition-register logic ---------------------------------------------------------------------------------
ext('crset', ['crb'], 'creqv', [0, 0, 0]);
ext('crclr', ['crb'], 'crxor', [0, 0, 0]);
ext('crmove', ['crb', 'crb'], 'cror', [0, 1, 1]);
ext('crnot', ['crb', 'crb'], 'crnor', [0, 1, 1]);

// ---- branches --------------------------------------------------------------------------------------------------
const BO_TRUE = 12; // branch if the CR bit is set
const BO_FALSE = 4; // branch if it is clear
const BO_ALWAYS = 20;
const BO_DNZ = 16;
const BO_DZ = 18;
ext('blr', [], 'bclr', [{ value: BO_ALWAYS }, { value: 0 }]);
ext('blrl', [], 'bclrl', [{ value: BO_ALWAYS }, { value: 0 }]);
ext('bctr', [], 'bcctr', [{ value: BO_ALWAYS }, { value: 0 }]);
ext('bctrl', [], 'bcctrl', [{ value: BO_ALWAYS }, { value: 0 }]);
for (const [suffix, aa] of [['', false], ['l', false], ['a', true], ['la', true]] as const) {
  const bd: OperandKind = aa ? 'bdAbs' : 'bdRel';
  ext(`bdnz${suffix}`, [bd], `bc${suffix}`, [{ value: BO_DNZ }, { value: 0 }, 0]);
  ext(`bdz${suffix}`, [bd], `bc${suffix}`, [{ value: BO_DZ }, { value: 0 }, 0]);
  ext(`bt${suffix}`, ['crb', bd], `bc${suffix}`, [{ value: BO_TRUE }, 0, 1], { preferred: false });
  ext(`bf${suffix}`, ['crb', bd], `bc${suffix}`, [{ value: BO_FALSE }, 0, 1], { preferred: false });
}
ext('bdnzlr', [], 'bclr', [{ value: BO_DNZ }, { value: 0 }]);
ext('bdzlr', [], 'bclr', [{ value: BO_DZ }, { value: 0 }]);

/** Branch conditions: the CR bit within a field and whether the branch is taken when it is set. */
const conditions: readonly (readonly [string, number, number])[] = [
  ['lt', BO_TRUE, 0],
  ['gt', BO_TRUE, 1],
  ['eq', BO_TRUE, 2],
  ['so', BO_TRUE, 3],
  ['ge', BO_FALSE, 0],
  ['le', BO_FALSE, 1],
  ['ne', BO_FALSE, 2],
  ['ns', BO_FALSE, 3],
  ['nl', BO_FALSE, 0],
  ['ng', BO_FALSE, 1],
  ['un', BO_TRUE, 3],
  ['nu', BO_FALSE, 3],
];
for (const [name, bo, bit] of conditions) {
  // nl/ng/un/nu are synonyms; the disassembler prints ge/le/so/ns.
  const preferred = !['nl', 'ng', 'un', 'nu'].includes(name);
  const bi: OperandSource = { of: [0], compute: ([crf]) => 4 * crf! + bit };
  const recover = (b: readonly number[], target: boolean): number[] => (target ? [b[1]! >> 2, b[2]!] : [b[1]! >> 2]);
  for (const [suffix, aa] of [['', false], ['l', false], ['a', true], ['la', true]] as const) {
    ext(`b${name}${suffix}`, ['crf', aa ? 'bdAbs' : 'bdRel'], `bc${suffix}`, [{ value: bo }, bi, 1], { optionalLeadingCrf: true, preferred, recover: (b) => recover(b, true) });
  }
  for (const [suffix, base] of [['lr', 'bclr'], ['lrl', 'bclrl'], ['ctr', 'bcctr'], ['ctrl', 'bcctrl']] as const) {
    ext(`b${name}${suffix}`, ['crf'], base, [{ value: bo }, bi], { optionalLeadingCrf: true, preferred, recover: (b) => recover(b, false) });
  }
}

/** Every extended mnemonic, in the order the disassembler tries them. */
export const extendedMnemonics: readonly ExtendedMnemonic[] = Object.freeze(table.map((e) => Object.freeze(e)));

const byName = new Map(extendedMnemonics.map((e) => [e.mnemonic, e]));

export function extendedMnemonic(mnemonic: string): ExtendedMnemonic | undefined {
  return byName.get(mnemonic);
}

/** Base operand values from constant source operands. */
export function expandOperands(entry: ExtendedMnemonic, sources: readonly number[]): number[] {
  return entry.map.map((source) => {
    if (typeof source === 'number') return sources[source]!;
    if ('value' in source) return source.value;
    return source.compute(source.of.map((i) => sources[i]!));
  });
}
