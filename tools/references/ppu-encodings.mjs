#!/usr/bin/env node
// Regenerates test-fixtures/ppu/scalar-encodings.json: a corpus covering every scalar instruction and extended
// mnemonic of @bss2/ppu's table (several operand values each, edge values, negative displacements and branch
// offsets), assembled by the real GNU assembler (Debian's binutils-powerpc-linux-gnu). The tests of @bss2/ppu
// check the project's assembler and disassembler against it without needing binutils.
//
//   cd /work/main && npx -y pnpm@10.34.8 build --filter=@bss2/ppu... && node tools/references/ppu-encodings.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constraintViolation, extendedMnemonics, instructions, expandOperands, instructionByMnemonic } from '../../packages/ppu/dist/index.js';

const AS = 'powerpc-linux-gnu-as';
const AS_FLAGS = ['-a32', '-mbig', '-mregnames'];
const OBJCOPY = 'powerpc-linux-gnu-objcopy';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'test-fixtures', 'ppu', 'scalar-encodings.json');

/** Edge and ordinary values per operand kind. */
const samples = {
  gpr: [3, 0, 31, 17, 1],
  gpr0: [4, 0, 31, 9, 2],
  vr: [0, 31, 5],
  crf: [0, 7, 3, 1],
  crb: [0, 31, 6, 13],
  simm16: [-32768, 32767, -1, 0, 1234],
  simm16opt: [-32768, 65535, 0x7fff, -1, 0],
  uimm16: [0, 65535, 0x8000, 255],
  disp16: [-32768, 32767, -4, 0, 16],
  uimm5: [0, 31, 7, 16, 1],
  bo: [12, 4, 16, 18, 20, 0, 5, 8, 10, 13],
  bi: [0, 31, 6, 2],
  bdRel: [8, -4, -32768, 32764, 0],
  bdAbs: [0x100, 0, 0x7ffc, -32768],
  liRel: [8, -4, -0x2000000, 0x1fffffc, 0],
  liAbs: [0x100, 0, 0x1fffffc, -0x2000000],
  spr: [8, 9, 1, 268, 1023],
  tbr: [268, 269],
  fxm: [0xff, 0x80, 0x01, 0x5a],
  l32: [0],
  cond: [0, 1, 2, 3],
  vsh: [0, -16, 15],
};

function format(kind, value, variant) {
  switch (kind) {
    case 'gpr':
      return variant % 3 === 2 ? `${value}` : `r${value}`;
    case 'gpr0':
      // (RA|0): GNU as warns about a written r0 here, so 0 is written as the literal it stands for.
      return variant % 3 === 2 || value === 0 ? `${value}` : `r${value}`;
    case 'crf':
      return variant % 2 === 1 ? `${value}` : `cr${value}`;
    case 'crb':
    case 'bi':
      return variant % 2 === 1 && value < 32 ? `4*cr${value >> 2}+${['lt', 'gt', 'eq', 'so'][value & 3]}` : `${value}`;
    case 'bdRel':
    case 'liRel':
      return value < 0 ? `.-${-value}` : `.+${value}`;
    case 'uimm16':
    case 'fxm':
      return variant % 2 === 1 ? `0x${value.toString(16)}` : `${value}`;
    default:
      return `${value}`;
  }
}

function renderOperands(kinds, values, variant, omitLeading) {
  const parts = [];
  for (let i = omitLeading ? 1 : 0; i < kinds.length; i++) {
    if (kinds[i] === 'disp16') {
      parts.push(`${values[i]}(${format(kinds[i + 1], values[i + 1], variant)})`);
      i++;
    } else {
      parts.push(format(kinds[i], values[i], variant));
    }
  }
  return parts.join(',');
}

/** Up to `count` operand tuples, cycling every operand through its samples at a different pace. */
function tuples(kinds, count) {
  const result = [];
  for (let j = 0; j < count; j++) result.push(kinds.map((k, i) => samples[k][(j * (i + 1) + i) % samples[k].length]));
  return result;
}

const lines = [];
for (const def of instructions) {
  if (def.form === 'FXV') continue; // the vector extension is the project's documented table, not binutils'
  const kinds = def.operands.map((o) => o.kind);
  const count = kinds.length === 0 ? 1 : 6;
  let emitted = 0;
  for (const [j, values] of tuples(kinds, count * 3).entries()) {
    if (emitted >= count) break;
    if (constraintViolation(def, values) !== undefined) continue;
    lines.push(`${def.mnemonic}${kinds.length ? ' ' : ''}${renderOperands(kinds, values, j, false)}`);
    emitted++;
  }
}
for (const entry of extendedMnemonics) {
  const base = instructionByMnemonic(entry.base);
  const count = entry.operands.length === 0 ? 1 : 4;
  let emitted = 0;
  for (const [j, values] of tuples(entry.operands, count * 4).entries()) {
    if (emitted >= count) break;
    const expanded = expandOperands(entry, values);
    if (constraintViolation(base, expanded) !== undefined) continue;
    // subi and friends negate their immediate: −32768 has no negation in 16 bits.
    if (entry.mnemonic.startsWith('sub') && values.includes(-32768)) continue;
    const omit = entry.optionalLeadingCrf && j % 2 === 0 && values[0] === 0;
    lines.push(`${entry.mnemonic}${entry.operands.length ? ' ' : ''}${renderOperands(entry.operands, values, j, omit)}`);
    emitted++;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'ppu-encodings-'));
try {
  // Instructions the generic PowerPC target lacks are assembled for the core that has them (directives emit no
  // bytes, so the corpus stays one word per line).
  const machineOf = { wait: 'e500mc' };
  const source = lines.map((line) => {
    const machine = machineOf[line.split(' ')[0]];
    return machine === undefined ? line : `.machine push\n.machine ${machine}\n${line}\n.machine pop`;
  });
  writeFileSync(join(dir, 'corpus.s'), source.join('\n') + '\n');
  execFileSync(AS, [...AS_FLAGS, join(dir, 'corpus.s'), '-o', join(dir, 'corpus.o')], { stdio: 'inherit' });
  execFileSync(OBJCOPY, ['-O', 'binary', '-j', '.text', join(dir, 'corpus.o'), join(dir, 'corpus.bin')]);
  const bytes = readFileSync(join(dir, 'corpus.bin'));
  if (bytes.length !== 4 * lines.length) throw new Error(`expected ${lines.length} words, GNU as produced ${bytes.length / 4}`);
  const relocations = execFileSync('powerpc-linux-gnu-objdump', ['-r', join(dir, 'corpus.o')], { encoding: 'utf8' });
  if (/R_PPC/.test(relocations)) throw new Error(`the corpus must assemble without relocations:\n${relocations}`);
  const version = execFileSync(AS, ['--version'], { encoding: 'utf8' }).split('\n')[0];
  const entries = lines.map((source, i) => ({ source, word: `0x${bytes.readUInt32BE(4 * i).toString(16).padStart(8, '0')}` }));
  const fixture = {
    description: 'Scalar PPU instructions and extended mnemonics assembled by GNU as; regenerate with tools/references/ppu-encodings.mjs',
    assembler: `${version} (${AS} ${AS_FLAGS.join(' ')})`,
    entries,
  };
  writeFileSync(out, JSON.stringify(fixture, null, 1) + '\n');
  console.log(`wrote ${entries.length} encodings to ${out}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
