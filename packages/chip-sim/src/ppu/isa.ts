import { type InstructionDef, decodeId, decodeOperands, disassemble, instructions } from '@bss2/ppu';
import { Flag, Op, opOfBase } from './ops.js';

/**
 * The bridge from `@bss2/ppu`'s instruction table (the one definition of every encoding) to the interpreter:
 * per table id, the semantic op and its flags, computed once; per instruction word, the operand values the
 * table's decoder extracts, placed in the interpreter's four operand slots (`DecodedSlots`). No bit of an
 * encoding is interpreted here.
 */

/** Per table id: the interpreter op (Op.illegal for an instruction the interpreter does not know). */
const opOfId = new Uint8Array(instructions.length);
const flagsOfId = new Uint8Array(instructions.length);

/** The table mnemonic without the suffixes its flags describe: `.` (Rc), `o` (OE), branch `l`/`a`, load/store `u`/`x`. */
function baseOf(def: InstructionDef): { base: string; flags: number } {
  let m = def.mnemonic;
  let flags = 0;
  if (def.recordsCr0) flags |= Flag.rc;
  if (m.endsWith('.')) m = m.slice(0, -1);
  if (def.recordsOverflow) {
    flags |= Flag.oe;
    m = m.slice(0, -1);
  }
  if (def.link) flags |= Flag.link;
  if (def.absolute) flags |= Flag.absolute;
  if (def.form === 'I') return { base: 'b', flags };
  if (def.form === 'B') return { base: 'bc', flags };
  if (def.form === 'XL' && (m === 'bclrl' || m === 'bcctrl')) return { base: m.slice(0, -1), flags };
  if (def.cycleClass === 'load-store' && m !== 'lmw' && m !== 'stmw') {
    // lbz lbzu lbzx lbzux … stwux: base + [u] + [x]
    const match = /^(lbz|lhz|lha|lwz|stb|sth|stw)(u?)(x?)$/.exec(m);
    if (match !== null) {
      if (match[2] === 'u') flags |= Flag.update;
      if (match[3] === 'x') flags |= Flag.indexed;
      return { base: match[1]!, flags };
    }
  }
  return { base: m, flags };
}

for (const def of instructions) {
  const { base, flags } = baseOf(def);
  opOfId[def.id] = opOfBase[base] ?? Op.illegal;
  flagsOfId[def.id] = flags;
}

/** Table mnemonics the interpreter has no semantics for (a test keeps this empty). */
export function unsupportedMnemonics(): string[] {
  return instructions.filter((d) => opOfId[d.id] === Op.illegal).map((d) => d.mnemonic);
}

/** The decoded form of one word in the interpreter's slots. */
export interface DecodedSlots {
  op: number;
  flags: number;
  a: number;
  b: number;
  c: number;
  d: number;
}

/** MASK(mb, me) of the Power ISA rotates (IBM bit numbering, wrapping when mb > me). */
export function rotateMask(mb: number, me: number): number {
  const from = 0xffff_ffff >>> mb;
  const to = me === 31 ? 0xffff_ffff : ~(0xffff_ffff >>> (me + 1));
  return (mb <= me ? from & to : from | to) | 0;
}

/**
 * Decodes `word` with the table and fills `out`; returns false for a word the table rejects (or whose
 * instruction the interpreter lacks). Slots by op group: a = target / first operand, b = RA (or source),
 * c = RB / immediate / displacement, d = the vector condition or a precomputed rotate mask.
 */
export function decodeInto(word: number, out: DecodedSlots): boolean {
  const id = decodeId(word >>> 0);
  if (id < 0) return false;
  const op = opOfId[id]!;
  if (op === Op.illegal) return false;
  const v = decodeOperands(id, word >>> 0);
  const def = instructions[id]!;
  out.op = op;
  out.flags = flagsOfId[id]!;
  out.a = out.b = out.c = out.d = 0;
  switch (op) {
    case Op.rlwinm:
    case Op.rlwnm:
    case Op.rlwimi:
      out.a = v[0]!;
      out.b = v[1]!;
      out.c = v[2]!;
      out.d = rotateMask(v[3]!, v[4]!);
      return true;
    case Op.cmp:
    case Op.cmpl:
    case Op.cmpi:
    case Op.cmpli:
      // [BF, L, RA, RB|SI|UI]; L is 0 on a 32-bit core.
      out.a = v[0]!;
      out.b = v[2]!;
      out.c = v[3]!;
      return true;
    case Op.addis:
    case Op.andis:
    case Op.oris:
    case Op.xoris:
      out.a = v[0]!;
      out.b = v[1]!;
      out.c = (v[2]! << 16) | 0;
      return true;
    case Op.lbz:
    case Op.lhz:
    case Op.lha:
    case Op.lwz:
    case Op.stb:
    case Op.sth:
    case Op.stw:
    case Op.lmw:
    case Op.stmw:
      // D-form [RT, D, RA] and X-form [RT, RA, RB] → a = RT/RS, b = RA, c = D or RB.
      out.a = v[0]!;
      if ((out.flags & Flag.indexed) !== 0) {
        out.b = v[1]!;
        out.c = v[2]!;
      } else {
        out.b = v[2]!;
        out.c = v[1]!;
      }
      return true;
    case Op.b:
      out.a = v[0]! & ~3;
      return true;
    case Op.bc:
      out.a = v[0]!;
      out.b = v[1]!;
      out.c = v[2]! & ~3;
      return true;
    case Op.vMtacB:
    case Op.vMtacH:
    case Op.vCmpB:
    case Op.vCmpH:
      // [VRA, C] / [VRA]
      out.b = v[0]!;
      out.d = v[1] ?? 0;
      return true;
    case Op.vAddacBM:
    case Op.vAddacHM:
    case Op.vAddacBFS:
    case Op.vAddacHFS:
    case Op.vAddactacBM:
    case Op.vAddactacHM:
    case Op.vAddactacBFS:
    case Op.vAddactacHFS:
    case Op.vSplatB:
    case Op.vSplatH:
      // [VRT, VRA|RA, C]
      out.a = v[0]!;
      out.b = v[1]!;
      out.d = v[2] ?? 0;
      return true;
    default: {
      const n = def.operands.length;
      const isVector = def.form === 'FXV';
      out.a = n > 0 ? v[0]! : 0;
      out.b = n > 1 ? v[1]! : 0;
      out.c = n > 2 ? v[2]! : 0;
      // FXV: a trailing condition operand goes to d.
      out.d = isVector && n > 3 ? v[3]! : 0;
      return true;
    }
  }
}

/** The instruction as text, from the table's disassembler. */
export function disassembly(word: number): string {
  return disassemble(word >>> 0);
}
