// Word → assembler text. Every text it prints assembles back to the same word (a property test checks it):
// relative branch targets are printed as `.±offset`, preferred extended mnemonics only where they map back exactly.
import { decodeId, decodeOperands } from './codec.js';
import { type ExtendedMnemonic, expandOperands, extendedMnemonics } from './extended.js';
import { type OperandKind, fitsOperand } from './operands.js';
import { instructions } from './table.js';

const preferredByBase = new Map<string, ExtendedMnemonic[]>();
for (const entry of extendedMnemonics) {
  if (!entry.preferred) continue;
  const list = preferredByBase.get(entry.base) ?? [];
  list.push(entry);
  preferredByBase.set(entry.base, list);
}

function formatValue(kind: OperandKind, value: number): string {
  switch (kind) {
    case 'gpr':
    case 'gpr0':
      return `r${value}`;
    case 'vr':
      return `v${value}`;
    case 'crf':
      return `cr${value}`;
    case 'bdRel':
    case 'liRel':
      return value < 0 ? `.-${-value}` : `.+${value}`;
    case 'bdAbs':
    case 'liAbs':
      return value < 0 ? `${value}` : `0x${value.toString(16)}`;
    case 'uimm16':
    case 'fxm':
      return value > 9 ? `0x${value.toString(16)}` : `${value}`;
    default:
      return `${value}`;
  }
}

function formatOperands(kinds: readonly OperandKind[], values: readonly number[], options: { omitLeading: boolean; optionalTrailing: number }): string {
  const parts: string[] = [];
  let last = kinds.length;
  // Omitted optional trailing operands are 0.
  for (let k = 0; k < options.optionalTrailing && last > 0 && values[last - 1] === 0; k++) last--;
  for (let i = options.omitLeading ? 1 : 0; i < last; i++) {
    const kind = kinds[i]!;
    if (kind === 'disp16' && kinds[i + 1] === 'gpr0' || kind === 'disp16' && kinds[i + 1] === 'gpr') {
      parts.push(`${values[i]}(${formatValue(kinds[i + 1]!, values[i + 1]!)})`);
      i++;
      continue;
    }
    parts.push(formatValue(kind, values[i]!));
  }
  return parts.join(',');
}

function sourcesFor(entry: ExtendedMnemonic, base: readonly number[]): number[] | undefined {
  if (entry.recover !== undefined) return entry.recover(base);
  const sources = new Array<number>(entry.operands.length);
  for (let i = 0; i < entry.operands.length; i++) {
    const position = entry.map.indexOf(i);
    if (position < 0) return undefined;
    sources[i] = base[position]!;
  }
  return sources;
}

function tryExtended(entry: ExtendedMnemonic, base: readonly number[]): string | undefined {
  const sources = sourcesFor(entry, base);
  if (sources === undefined) return undefined;
  if (!sources.every((v, i) => fitsOperand(entry.operands[i]!, v))) return undefined;
  const again = expandOperands(entry, sources);
  if (!again.every((v, i) => v === base[i])) return undefined;
  const operands = formatOperands(entry.operands, sources, { omitLeading: entry.optionalLeadingCrf && sources[0] === 0, optionalTrailing: 0 });
  return operands === '' ? entry.mnemonic : `${entry.mnemonic} ${operands}`;
}

/** Assembler text of one instruction word, or `.long 0x…` for a word the table does not accept. */
export function disassemble(word: number): string {
  const w = word >>> 0;
  const id = decodeId(w);
  if (id < 0) return `.long 0x${w.toString(16).padStart(8, '0')}`;
  const def = instructions[id]!;
  const values = decodeOperands(id, w);
  for (const entry of preferredByBase.get(def.mnemonic) ?? []) {
    const text = tryExtended(entry, values);
    if (text !== undefined) return text;
  }
  const operands = formatOperands(def.operands.map((o) => o.kind), values, { omitLeading: false, optionalTrailing: def.optionalTrailing });
  return operands === '' ? def.mnemonic : `${def.mnemonic} ${operands}`;
}

/** One line per word: address, word in hex, text. */
export function disassembleWords(words: ArrayLike<number>, baseAddress = 0): string[] {
  const lines: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const address = baseAddress + 4 * i;
    const w = words[i]! >>> 0;
    lines.push(`${address.toString(16).padStart(8, '0')}:  ${w.toString(16).padStart(8, '0')}  ${disassemble(w)}`);
  }
  return lines;
}
