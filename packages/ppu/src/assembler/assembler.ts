// GNU-as-like assembler for the PPU: one source → one relocatable ObjectModule. Two passes: the first lays out
// sections and defines labels, the second encodes. Every error is an AssemblyError with line, column and text.
import { AssemblyError, OperandError } from '../errors.js';
import { encodeInstruction } from '../isa/codec.js';
import { type ExtendedMnemonic, expandOperands, extendedMnemonic } from '../isa/extended.js';
import { type OperandKind, type OperandSpec, describeRange, fitsOperand, operandRange } from '../isa/operands.js';
import { type InstructionDef, instructionByMnemonic } from '../isa/table.js';
import type { ObjectModule, ObjectSection, ObjectSymbol, Relocation } from '../object.js';
import { ExpressionError, type Value, evaluate } from './expression.js';

export interface AssembleOptions {
  /** Name of the source in messages and in the object (default `input.s`). */
  readonly fileName?: string;
}

/** A piece of a line with its 0-based start column. */
interface Piece {
  readonly text: string;
  readonly column: number;
}

interface SectionState {
  readonly name: string;
  readonly bytes: number[];
  readonly relocations: Relocation[];
  alignment_bytes: number;
  /** Location counter in pass 1. */
  size: number;
}

const REGISTER_CONSTANTS: Record<string, number> = { sp: 1, rtoc: 2 };
const CR_BIT_NAMES: Record<string, number> = { lt: 0, gt: 1, eq: 2, so: 3, un: 3 };
const RELOCATABLE: ReadonlySet<OperandKind> = new Set(['simm16', 'simm16opt', 'uimm16', 'disp16', 'bdRel', 'bdAbs', 'liRel', 'liAbs']);
const SIXTEEN_BIT: ReadonlySet<OperandKind> = new Set(['simm16', 'simm16opt', 'uimm16', 'disp16']);

/** Splits `text` at top-level commas (outside parentheses and quotes), keeping columns. */
function splitOperands(text: string, column: number): Piece[] {
  const pieces: Piece[] = [];
  let depth = 0;
  let start = 0;
  let quote = false;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === '"') quote = false;
      continue;
    }
    if (c === '"') quote = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if ((c === ',' && depth === 0) || c === undefined) {
      const raw = text.slice(start, i);
      const lead = raw.length - raw.trimStart().length;
      pieces.push({ text: raw.trim(), column: column + start + lead });
      start = i + 1;
    }
  }
  return pieces.length === 1 && pieces[0]!.text === '' ? [] : pieces;
}

/** Removes a `#` comment, outside string and character literals. */
function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote !== undefined) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"') quote = c;
    else if (c === "'" && i + 2 < line.length && (line[i + 2] === "'" || line[i + 1] === '\\')) quote = c;
    else if (c === '#') return line.slice(0, i);
  }
  return line;
}

/** Parses a string literal with C escapes into bytes (UTF-8). */
function parseString(piece: Piece, fail: (p: Piece, reason: string) => never): number[] {
  const m = /^"((?:[^"\\]|\\.)*)"$/.exec(piece.text);
  if (m === null) return fail(piece, 'expected a string literal in double quotes');
  const body = m[1]!.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return ({ n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', '"': '"' } as Record<string, string>)[e] ?? e;
  });
  return utf8(body);
}

/** UTF-8 bytes of `text` (by hand: the core has no TextEncoder type in its ES2022 lib). */
function utf8(text: string): number[] {
  const bytes: number[] = [];
  for (const char of text) {
    const c = char.codePointAt(0)!;
    if (c < 0x80) bytes.push(c);
    else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return bytes;
}

/** Assembles `source` into a relocatable object. */
export function assemble(source: string, options: AssembleOptions = {}): ObjectModule {
  const file = options.fileName ?? 'input.s';
  const lines = source.split(/\r?\n/);
  const sections = new Map<string, SectionState>();
  const labels = new Map<string, { section: string; offset: number; line: number }>();
  const equates = new Map<string, Value>();
  const globals = new Set<string>();
  let lineNumber = 0;

  const fail = (piece: Piece, reason: string): never => {
    throw new AssemblyError(file, lineNumber, piece.column + 1, piece.text, reason);
  };

  const sectionNamed = (name: string): SectionState => {
    let s = sections.get(name);
    if (s === undefined) {
      s = { name, bytes: [], relocations: [], alignment_bytes: 1, size: 0 };
      sections.set(name, s);
    }
    return s;
  };

  for (const pass of [1, 2] as const) {
    let current = sectionNamed('.text');
    for (const s of sections.values()) s.size = 0;

    const resolver = (name: string): Value | undefined => {
      if (name === '.') return { addend: current.size, base: { kind: 'section', name: current.name } };
      const label = labels.get(name);
      if (label !== undefined) return { addend: label.offset, base: { kind: 'section', name: label.section } };
      return equates.get(name);
    };

    const evalPiece = (piece: Piece, text = piece.text, extra?: Record<string, number>): Value => {
      if (text.trim() === '') fail(piece, 'missing expression');
      try {
        return evaluate(text, (name) => {
          if (extra !== undefined && name in extra) return { addend: extra[name]! };
          return resolver(name);
        });
      } catch (e) {
        if (e instanceof ExpressionError) throw new AssemblyError(file, lineNumber, piece.column + 1 + e.offset, piece.text, e.message);
        throw e;
      }
    };

    const constantOf = (piece: Piece, what: string): number => {
      const value = evalPiece(piece);
      if (value.base !== undefined) fail(piece, `${what} must be a constant known at this point`);
      return value.addend;
    };

    const emit = (bytes: readonly number[]): void => {
      if (pass === 2) current.bytes.push(...bytes);
      current.size += bytes.length;
    };

    const alignTo = (alignment: number, fill: number): void => {
      current.alignment_bytes = Math.max(current.alignment_bytes, alignment);
      const pad = (alignment - (current.size % alignment)) % alignment;
      emit(new Array<number>(pad).fill(fill & 0xff));
    };

    const dataItems = (pieces: Piece[], size: 1 | 2 | 4): void => {
      for (const piece of pieces) {
        if (pass === 1) {
          emit(new Array<number>(size).fill(0));
          continue;
        }
        const value = evalPiece(piece);
        const min = size === 4 ? -0x8000_0000 : -(2 ** (8 * size - 1));
        const max = 2 ** (8 * size) - 1;
        if (value.base === undefined && (value.addend < min || value.addend > max)) fail(piece, `value ${value.addend} does not fit ${size} byte${size > 1 ? 's' : ''} (${min}..${max})`);
        if (value.base !== undefined) {
          current.relocations.push({ offset: current.size, type: size === 4 ? 'addr32' : size === 2 ? 'addr16' : 'addr8', target: value.base, addend: value.addend, line: lineNumber });
        }
        const v = value.base === undefined ? value.addend : 0;
        const bytes: number[] = [];
        for (let k = size - 1; k >= 0; k--) bytes.push(Number((BigInt(v) >> BigInt(8 * k)) & 0xffn));
        emit(bytes);
      }
    };

    const defineConstant = (namePiece: Piece, exprPiece: Piece): void => {
      const name = namePiece.text;
      if (!/^[A-Za-z_.$][A-Za-z0-9_.$]*$/.test(name) || name === '.') fail(namePiece, 'expected a symbol name');
      if (labels.has(name)) fail(namePiece, `'${name}' is already a label`);
      equates.set(name, evalPiece(exprPiece));
    };

    const directive = (name: Piece, rest: string, restColumn: number): void => {
      const args = splitOperands(rest, restColumn);
      const need = (count: number, max = count): void => {
        if (args.length < count || args.length > max) fail(name, `${name.text} takes ${count === max ? count : `${count}..${max}`} operand${max === 1 ? '' : 's'}, got ${args.length}`);
      };
      switch (name.text) {
        case '.text':
        case '.data':
        case '.bss':
          need(0);
          current = sectionNamed(name.text);
          return;
        case '.section': {
          if (args.length < 1) fail(name, '.section needs a name');
          const sectionName = args[0]!.text.replace(/^"(.*)"$/, '$1');
          if (!/^[A-Za-z_.$][A-Za-z0-9_.$]*$/.test(sectionName)) fail(args[0]!, 'expected a section name');
          current = sectionNamed(sectionName);
          return;
        }
        case '.globl':
        case '.global':
          if (args.length < 1) fail(name, `${name.text} needs a symbol`);
          for (const a of args) {
            if (!/^[A-Za-z_.$][A-Za-z0-9_.$]*$/.test(a.text)) fail(a, 'expected a symbol name');
            globals.add(a.text);
          }
          return;
        case '.long':
        case '.int':
          return dataItems(args, 4);
        case '.short':
        case '.half':
        case '.hword':
          return dataItems(args, 2);
        case '.byte':
          return dataItems(args, 1);
        case '.space':
        case '.skip':
        case '.zero': {
          need(1, name.text === '.zero' ? 1 : 2);
          const count = constantOf(args[0]!, 'the size');
          if (!Number.isInteger(count) || count < 0 || count > 1 << 24) fail(args[0]!, `size ${count} is not a byte count in 0..16777216`);
          const fill = args.length > 1 ? constantOf(args[1]!, 'the fill byte') : 0;
          if (fill < -128 || fill > 255) fail(args[1]!, `fill ${fill} is not a byte`);
          emit(new Array<number>(count).fill(fill & 0xff));
          return;
        }
        case '.align':
        case '.p2align':
        case '.balign': {
          need(1, 2);
          const n = constantOf(args[0]!, 'the alignment');
          const alignment = name.text === '.balign' ? n : 2 ** n;
          if (name.text === '.balign' ? !(Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0 && n <= 4096) : !(Number.isInteger(n) && n >= 0 && n <= 12)) {
            fail(args[0]!, name.text === '.balign' ? 'alignment must be a power of two in 1..4096 bytes' : 'alignment exponent must be 0..12 (PowerPC .align takes a power of two)');
          }
          const fill = args.length > 1 ? constantOf(args[1]!, 'the fill byte') : 0;
          alignTo(alignment, fill);
          return;
        }
        case '.ascii':
        case '.asciz':
        case '.string':
          if (args.length < 1) fail(name, `${name.text} needs a string`);
          for (const a of args) emit([...parseString(a, fail), ...(name.text === '.ascii' ? [] : [0])]);
          return;
        case '.equ':
        case '.set':
          need(2);
          defineConstant(args[0]!, args[1]!);
          return;
        // Accepted for compatibility with compiler output; they carry nothing the linker here needs.
        case '.type':
        case '.size':
        case '.file':
        case '.ident':
          return;
        default:
          fail(name, `unknown directive '${name.text}'`);
      }
    };

    /** Parses a register operand of `kind`, or returns undefined to fall back to an expression. */
    const registerNumber = (piece: Piece, kind: OperandKind): number | undefined => {
      const t = piece.text.toLowerCase();
      let m: RegExpExecArray | null = null;
      if (kind === 'gpr' || kind === 'gpr0') m = /^%?r(\d+)$/.exec(t);
      else if (kind === 'vr') m = /^%?(?:v|qv)(\d+)$/.exec(t);
      else if (kind === 'crf') m = /^%?cr(\d+)$/.exec(t);
      if (m !== null) {
        const n = Number(m[1]);
        if (!fitsOperand(kind, n)) fail(piece, `no register '${piece.text}' (${describeRange(kind)})`);
        return n;
      }
      if ((kind === 'gpr' || kind === 'gpr0') && t in REGISTER_CONSTANTS) return REGISTER_CONSTANTS[t];
      return undefined;
    };

    /** One source operand as a value (constant, or symbolic with an optional @l/@h/@ha modifier). */
    interface Parsed {
      readonly value: Value;
      readonly modifier?: 'lo' | 'hi' | 'ha';
      readonly piece: Piece;
    }

    const parseOperand = (piece: Piece, kind: OperandKind): Parsed => {
      if (piece.text === '') fail(piece, 'missing operand');
      const register = registerNumber(piece, kind);
      if (register !== undefined) return { value: { addend: register }, piece };
      if (kind === 'gpr' || kind === 'gpr0' || kind === 'vr' || kind === 'crf' || kind === 'crb' || kind === 'bi') {
        const extra: Record<string, number> = {};
        if (kind === 'crb' || kind === 'bi') {
          Object.assign(extra, CR_BIT_NAMES);
          for (let f = 0; f < 8; f++) extra[`cr${f}`] = f;
        }
        if (kind === 'crf') for (let f = 0; f < 8; f++) extra[`cr${f}`] = f;
        const value = evalPiece(piece, piece.text, extra);
        if (value.base !== undefined) fail(piece, `expected ${kind === 'vr' ? 'a vector register' : kind === 'crf' ? 'a CR field' : kind === 'crb' || kind === 'bi' ? 'a CR bit' : 'a register'}, got the symbol '${value.base.name}'`);
        return { value, piece };
      }
      const m = /^(.*?)@(l|lo|h|hi|ha)$/i.exec(piece.text);
      if (m !== null) {
        if (!SIXTEEN_BIT.has(kind)) fail(piece, `@${m[2]} only applies to 16-bit immediates and displacements`);
        const modifier = ({ l: 'lo', lo: 'lo', h: 'hi', hi: 'hi', ha: 'ha' } as const)[m[2]!.toLowerCase() as 'l' | 'lo' | 'h' | 'hi' | 'ha'];
        return { value: evalPiece(piece, m[1]!), modifier, piece };
      }
      return { value: evalPiece(piece), piece };
    };

    /** Splits `d(ra)` into its displacement and base pieces. */
    const splitDisplacement = (piece: Piece): [Piece, Piece] => {
      const m = /^(.*)\(([^()]*)\)$/.exec(piece.text);
      if (m === null) return fail(piece, 'expected a displacement and base register, d(rA)');
      const disp = m[1]!.trim();
      return [{ text: disp === '' ? '0' : disp, column: piece.column }, { text: m[2]!.trim(), column: piece.column + m[1]!.length + 1 }];
    };

    /** Source operand pieces for a syntax of `kinds` (d(ra) counts as two). */
    const operandPieces = (mnemonic: Piece, pieces: Piece[], kinds: readonly OperandKind[], optionalLeadingCrf: boolean, optionalTrailing: number): Piece[] => {
      const flat: Piece[] = [];
      const skipped = optionalLeadingCrf && pieces.length === expectedPieces(kinds) - 1 ? 1 : 0;
      for (let i = 0; i < pieces.length; i++) {
        const kind = kinds[flat.length + skipped];
        if (kind === 'disp16') flat.push(...splitDisplacement(pieces[i]!));
        else flat.push(pieces[i]!);
      }
      let result = flat;
      if (optionalLeadingCrf && flat.length === kinds.length - 1) result = [{ text: '0', column: mnemonic.column }, ...flat];
      const missing = kinds.length - result.length;
      if (missing > 0 && missing <= optionalTrailing) result = [...result, ...new Array<Piece>(missing).fill({ text: '0', column: mnemonic.column })];
      if (result.length !== kinds.length) {
        const min = kinds.length - optionalTrailing - (optionalLeadingCrf ? 1 : 0);
        const text = min === kinds.length ? `${kinds.length}` : `${min}..${kinds.length}`;
        fail(mnemonic, `${mnemonic.text} takes ${text} operand${kinds.length === 1 ? '' : 's'}, got ${result.length}`);
      }
      return result;
    };

    const expectedPieces = (kinds: readonly OperandKind[]): number => kinds.length - kinds.filter((k) => k === 'disp16').length;

    const instruction = (mnemonic: Piece, rest: string, restColumn: number): void => {
      if (current.size % 4 !== 0) fail(mnemonic, `instruction at offset ${current.size} of ${current.name} is not word-aligned (add .align 2)`);
      const name = mnemonic.text.toLowerCase();
      const pieceCount = splitOperands(rest, restColumn).length;
      let def = instructionByMnemonic(name);
      const alias = extendedMnemonic(name);
      // A few names are both (mftb rt,tbr and mftb rt): the operand count decides.
      if (def !== undefined && alias !== undefined && pieceCount === expectedPieces(alias.operands)) def = undefined;
      const entry = def === undefined ? alias : undefined;
      if (def === undefined && entry === undefined) fail(mnemonic, `unknown instruction '${mnemonic.text}'`);
      current.alignment_bytes = Math.max(current.alignment_bytes, 4);
      if (pass === 1) {
        current.size += 4;
        return;
      }
      const base = def ?? instructionByMnemonic(entry!.base)!;
      const kinds = def !== undefined ? def.operands.map((o) => o.kind) : entry!.operands;
      const pieces = operandPieces(mnemonic, splitOperands(rest, restColumn), kinds, entry?.optionalLeadingCrf ?? false, def?.optionalTrailing ?? 0);
      const parsed = pieces.map((p, i) => parseOperand(p, kinds[i]!));
      emitInstruction(mnemonic, base, entry, parsed, kinds);
    };

    const emitInstruction = (mnemonic: Piece, base: InstructionDef, entry: ExtendedMnemonic | undefined, parsed: Parsed[], kinds: readonly OperandKind[]): void => {
      const here = current.size;
      // Source operand → the base operand it lands in unchanged (for relocations and messages).
      const sourceToBase = (i: number): number => (entry === undefined ? i : entry.map.indexOf(i));
      const baseToSource = (b: number): number | undefined => {
        if (entry === undefined) return b;
        const s = entry.map[b];
        if (typeof s === 'number') return s;
        if (s !== undefined && typeof s === 'object' && 'of' in s) return s.of[0];
        return undefined;
      };
      const numbers: number[] = [];
      const pending: { field: OperandSpec; parsed: Parsed }[] = [];
      for (let i = 0; i < parsed.length; i++) {
        const p = parsed[i]!;
        const kind = kinds[i]!;
        let v = p.value;
        // A relative branch to a label of the current section is resolved here, as GNU as does.
        if ((kind === 'bdRel' || kind === 'liRel') && v.base?.kind === 'section' && v.base.name === current.name && p.modifier === undefined) v = { addend: v.addend - here };
        if (v.base === undefined) {
          let n = v.addend;
          if (p.modifier !== undefined) {
            const raw = p.modifier === 'lo' ? n & 0xffff : p.modifier === 'hi' ? (n >>> 16) & 0xffff : ((n + 0x8000) >>> 16) & 0xffff;
            n = operandRange(kind).signed && raw >= 0x8000 && kind !== 'simm16opt' ? raw - 0x10000 : raw;
          } else if ((kind === 'bdRel' || kind === 'liRel') && v === p.value && p.value.base === undefined) {
            // A constant target of a relative branch is an absolute address: GNU as turns it into a relocation.
            pending.push({ field: base.operands[sourceToBase(i)]!, parsed: p });
            numbers.push(0);
            continue;
          }
          if (!fitsOperand(kind, n)) fail(p.piece, `${n} is out of range for ${describeKind(kind)} (${describeRange(kind)})`);
          numbers.push(n);
          continue;
        }
        if (!RELOCATABLE.has(kind)) fail(p.piece, `${describeKind(kind)} must be a constant, not the symbol '${v.base.name}'`);
        const target = sourceToBase(i);
        if (target < 0) fail(p.piece, `${mnemonic.text} needs a constant here, not the symbol '${v.base.name}'`);
        pending.push({ field: base.operands[target]!, parsed: { ...p, value: v } });
        numbers.push(0);
      }
      let word: number;
      try {
        word = encodeInstruction(base, entry === undefined ? numbers : expandOperands(entry, numbers));
      } catch (e) {
        if (e instanceof OperandError) {
          const source = baseToSource(e.operandIndex);
          const piece = source === undefined ? mnemonic : parsed[source]?.piece ?? mnemonic;
          fail(piece, e.message);
        }
        throw e;
      }
      for (const { field, parsed: p } of pending) {
        const v = p.value;
        const target = v.base ?? { kind: 'absolute' as const };
        const type = p.modifier ?? (field.kind === 'bdRel' || field.kind === 'liRel' ? 'rel' : 'field');
        current.relocations.push({ offset: here, type, target, addend: v.addend, field, line: lineNumber });
      }
      emit([(word >>> 24) & 0xff, (word >>> 16) & 0xff, (word >>> 8) & 0xff, word & 0xff]);
    };

    for (let index = 0; index < lines.length; index++) {
      lineNumber = index + 1;
      let rest = stripComment(lines[index]!);
      let column = 0;
      // Labels (`name:`), any number of them, then `name = expr`, a directive or an instruction.
      for (;;) {
        const m = /^(\s*)([A-Za-z_.$][A-Za-z0-9_.$]*)\s*:/.exec(rest);
        if (m === null) break;
        const piece = { text: m[2]!, column: column + m[1]!.length };
        if (pass === 1) {
          if (labels.has(piece.text) || equates.has(piece.text)) fail(piece, `symbol '${piece.text}' is defined twice`);
          if (/^(r\d+|cr[0-7]|v\d+|sp|rtoc|lt|gt|eq|so|un)$/i.test(piece.text)) fail(piece, `'${piece.text}' is a register or condition name and cannot be a label`);
          labels.set(piece.text, { section: current.name, offset: current.size, line: lineNumber });
        }
        column += m[0].length;
        rest = rest.slice(m[0].length);
      }
      const assignment = /^(\s*)([A-Za-z_.$][A-Za-z0-9_.$]*)\s*=(.*)$/.exec(rest);
      if (assignment !== null) {
        const exprColumn = column + rest.length - assignment[3]!.length;
        defineConstant({ text: assignment[2]!, column: column + assignment[1]!.length }, { text: assignment[3]!.trim(), column: exprColumn + (assignment[3]!.length - assignment[3]!.trimStart().length) });
        continue;
      }
      const statement = /^(\s*)(\S+)(.*)$/.exec(rest);
      if (statement === null) continue;
      const head = { text: statement[2]!, column: column + statement[1]!.length };
      const restColumn = head.column + head.text.length;
      if (head.text.startsWith('.')) directive(head, statement[3]!, restColumn);
      else instruction(head, statement[3]!, restColumn);
    }
  }

  const objectSections: ObjectSection[] = [];
  for (const s of sections.values()) {
    if (s.bytes.length === 0 && s.name === '.text' && ![...labels.values()].some((l) => l.section === '.text')) continue;
    objectSections.push({ name: s.name, bytes: Uint8Array.from(s.bytes), alignment_bytes: s.alignment_bytes, relocations: s.relocations });
  }
  const symbols: ObjectSymbol[] = [...labels].map(([name, l]) => ({ name, section: l.section, offset: l.offset, global: globals.has(name) }));
  return { name: file, sections: objectSections, symbols };
}

function describeKind(kind: OperandKind): string {
  switch (kind) {
    case 'simm16':
    case 'simm16opt':
      return 'a signed 16-bit immediate';
    case 'uimm16':
      return 'an unsigned 16-bit immediate';
    case 'disp16':
      return 'a 16-bit displacement';
    case 'uimm5':
      return 'a 5-bit field';
    case 'bdRel':
    case 'bdAbs':
      return 'a conditional-branch displacement';
    case 'liRel':
    case 'liAbs':
      return 'a branch displacement';
    case 'cond':
      return 'a vector condition';
    case 'vsh':
      return 'a vector shift';
    default:
      return `a ${kind} operand`;
  }
}
