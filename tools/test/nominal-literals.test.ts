// Repository rule: the datasheet's numbers are written once, in lola's nominal module (architecture.md: lola is
// "the one home of the datasheet's nominal numbers"); every other source imports `nominal` from @bss2/lola.
// Scans the code (not the comments) of every packages/*/src file and of tools/ (without tests and tools/bench).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const nominalModule = 'packages/lola/src/nominal.ts';

interface Rule {
  /** How the literal is named in messages and in the allowlist. */
  readonly literal: string;
  readonly pattern: RegExp;
  /** What to import instead. */
  readonly use: string;
}

// A number on its own: no part of `x1022`, `0.1022`, `10220` or `1022.5` (but `0..1022` counts).
const bare = (n: string): RegExp => new RegExp(`(?<!\\w)(?<!\\d\\.)${n.replace(/\./g, '\\.')}(?![\\w.])`, 'g');
// A datasheet quantity under one of its usual names, defined by a literal.
const named = (name: string): RegExp => new RegExp(`\\b${name}\\s*=\\s*-?[\\d.]`, 'g');

const rules: readonly Rule[] = [
  { literal: '125e6', pattern: bare('125e6'), use: 'nominal.fpgaClock_hz' },
  { literal: '125_000_000', pattern: bare('125_000_000'), use: 'nominal.fpgaClock_hz' },
  { literal: '125000000', pattern: bare('125000000'), use: 'nominal.fpgaClock_hz' },
  { literal: '250e6', pattern: bare('250e6'), use: 'nominal.ppuClock_hz' },
  { literal: '250_000_000', pattern: bare('250_000_000'), use: 'nominal.ppuClock_hz' },
  { literal: '= 125;', pattern: /=\s*125\s*;/g, use: 'nominal.fpgaClockCyclesPerUs' },
  { literal: '= 63;', pattern: /=\s*63\s*;/g, use: 'nominal.synapseWeightMax (or synapseLabelMax, membraneCapacitanceMax)' },
  { literal: '= 512;', pattern: /=\s*512\s*;/g, use: 'nominal.neuronCount' },
  { literal: '0.034', pattern: bare('0.034'), use: 'nominal.madcBaseSamplePeriod_ns' },
  { literal: '0.0045', pattern: bare('0.0045'), use: 'nominal.cadcLsb_V' },
  { literal: '1022', pattern: bare('1022'), use: 'nominal.capMemValueMax_lsb' },
  { literal: '1023', pattern: bare('1023'), use: 'nominal.madcCodeMax_lsb or nominal.capMemDisableRefreshCode' },
  { literal: 'CYCLES_PER_US = <number>', pattern: named('CYCLES_PER_US'), use: 'nominal.fpgaClockCyclesPerUs' },
  { literal: 'NEURON_COUNT = <number>', pattern: named('NEURON_COUNT'), use: 'nominal.neuronCount' },
  { literal: 'WEIGHT_MAX = <number>', pattern: named('(?:MAX_SYNAPSE_WEIGHT|WEIGHT_MAX)'), use: 'nominal.synapseWeightMax' },
  { literal: 'BUS_EVENTS_PER_CYCLE = <number>', pattern: named('BUS_EVENTS_PER_CYCLE'), use: 'nominal.padiBusEventsPerFpgaCycle' },
  { literal: 'CAPMEM_MAX_LSB = <number>', pattern: named('CAPMEM_MAX_LSB'), use: 'nominal.capMemValueMax_lsb' },
];

/** Known offenders, each a file and literal with the number of times it occurs there: none left. */
const pendingRewrites: readonly { file: string; literal: string; occurrences: number }[] = [];

/** `code` with every comment blanked out (newlines kept, so line numbers hold); strings and regexes stay. */
function withoutComments(code: string): string {
  const out = code.split('');
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  // Open template literals: the `${` depth at which each one's expression started.
  const templates: number[] = [];
  let braces = 0;
  let i = 0;
  const skipQuoted = (quote: string): void => {
    for (i++; i < code.length && code[i] !== quote && code[i] !== '\n'; i++) if (code[i] === '\\') i++;
    i++;
  };
  const skipTemplateText = (): void => {
    // From inside a template's text to its end (`) or to the start of an expression (${).
    for (; i < code.length; i++) {
      if (code[i] === '\\') i++;
      else if (code[i] === '`') return void i++;
      else if (code[i] === '$' && code[i + 1] === '{') {
        templates.push(braces);
        braces++;
        i += 2;
        return;
      }
    }
  };
  let previous = '';
  while (i < code.length) {
    const c = code[i]!;
    const next = code[i + 1];
    if (c === '/' && next === '/') {
      const end = code.indexOf('\n', i);
      blank(i, end < 0 ? code.length : end);
      i = end < 0 ? code.length : end;
    } else if (c === '/' && next === '*') {
      const end = code.indexOf('*/', i + 2);
      blank(i, end < 0 ? code.length : end + 2);
      i = end < 0 ? code.length : end + 2;
    } else if (c === '/' && (previous === '' || '(,=:[!&|?{};+-*%<>~^'.includes(previous))) {
      // A regex literal: skip to its closing slash (outside a character class).
      let inClass = false;
      for (i++; i < code.length && code[i] !== '\n'; i++) {
        if (code[i] === '\\') i++;
        else if (code[i] === '[') inClass = true;
        else if (code[i] === ']') inClass = false;
        else if (code[i] === '/' && !inClass) break;
      }
      i++;
      previous = '/';
    } else if (c === "'" || c === '"') {
      skipQuoted(c);
      previous = c;
    } else if (c === '`') {
      i++;
      skipTemplateText();
      previous = '`';
    } else {
      if (c === '{') braces++;
      if (c === '}') {
        braces--;
        if (templates.length > 0 && templates.at(-1) === braces) {
          templates.pop();
          i++;
          skipTemplateText();
          previous = '`';
          continue;
        }
      }
      if (!/\s/.test(c)) previous = c;
      i++;
    }
  }
  return out.join('');
}

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly literal: string;
  readonly use: string;
}

/** Every datasheet literal in the code of `text` (file `file`, relative to the repository). */
function findLiterals(file: string, text: string): Finding[] {
  const lines = withoutComments(text).split('\n');
  const findings: Finding[] = [];
  lines.forEach((line, k) => {
    for (const rule of rules) for (const _ of line.matchAll(rule.pattern)) findings.push({ file, line: k + 1, literal: rule.literal, use: rule.use });
  });
  return findings;
}

function typeScriptFiles(dir: string, skip: (path: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name))
    .filter((path) => !skip(relative(root, path).split(sep).join('/')));
}

function scannedFiles(): string[] {
  const packages = readdirSync(join(root, 'packages')).flatMap((pkg) => typeScriptFiles(join(root, 'packages', pkg, 'src'), (p) => p === nominalModule));
  const tools = typeScriptFiles(join(root, 'tools'), (p) => /^tools\/(bench|test|node_modules)\//.test(p) || /\.test\.ts$/.test(p) || p.includes('/node_modules/'));
  return [...packages, ...tools];
}

describe('datasheet numbers live in lola nominal', () => {
  const findings = scannedFiles().flatMap((path) => findLiterals(relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8')));
  const allowed = (f: Finding): boolean => pendingRewrites.some((a) => a.file === f.file && a.literal === f.literal);

  it('no source outside packages/lola/src/nominal.ts writes one (except the listed files being rewritten)', () => {
    const offenders = findings.filter((f) => !allowed(f)).map((f) => `${f.file}:${f.line}: \`${f.literal}\` — import { nominal } from '@bss2/lola' and use ${f.use}`);
    expect(offenders, `datasheet literals outside ${nominalModule}:\n${offenders.join('\n')}`).toEqual([]);
  });

  it.each(pendingRewrites)('allowlisted $file: `$literal` occurs exactly $occurrences time(s)', ({ file, literal, occurrences }) => {
    const found = findings.filter((f) => f.file === file && f.literal === literal);
    const where = found.map((f) => `${f.file}:${f.line}`).join(', ');
    expect(found.length, `${file}: \`${literal}\` at ${where || 'nowhere'}; fix the new occurrence, or shrink the allowlist entry`).toBe(occurrences);
  });

  it('the scan sees every package and tools/, and the nominal module itself holds the numbers', () => {
    const scanned = scannedFiles().map((p) => relative(root, p).split(sep).join('/'));
    for (const pkg of ['lola', 'chip-sim', 'calibration', 'routing', 'stadls', 'fisch', 'pynn']) expect(scanned.some((p) => p.startsWith(`packages/${pkg}/src/`))).toBe(true);
    expect(scanned.some((p) => p.startsWith('tools/commissioning/'))).toBe(true);
    expect(scanned.some((p) => p.startsWith('tools/bench/') || p.startsWith('tools/test/'))).toBe(false);
    expect(scanned).not.toContain(nominalModule);
    const literals = new Set(findLiterals(nominalModule, readFileSync(join(root, nominalModule), 'utf8')).map((f) => f.literal));
    for (const literal of ['125e6', '250e6', '0.0045']) expect(literals).toContain(literal);
  });
});

describe('the literal scan', () => {
  it('finds each literal in code, with its line, and names the nominal replacement', () => {
    const code = [
      'const a = 125e6;',
      'export const CYCLES_PER_US = 125;',
      "const b = { max: 1022, unit: 'x' };",
      'const c = `0..${1023}`;',
      'const d = f(0.034) + NEURON_COUNT_2;',
      'export const MAX_SYNAPSE_WEIGHT = 63;',
    ].join('\n');
    const found = findLiterals('x.ts', code).map((f) => `${f.line} ${f.literal}`);
    expect(found).toEqual(['1 125e6', '2 = 125;', '2 CYCLES_PER_US = <number>', '3 1022', '4 1023', '5 0.034', '6 = 63;', '6 WEIGHT_MAX = <number>']);
    expect(findLiterals('x.ts', 'const t = 125_000_000;')[0]!.use).toBe('nominal.fpgaClock_hz');
  });

  it('ignores comments, longer numbers and derived values; keeps strings and line numbers', () => {
    const code = [
      '// 125e6 and 1022 in a comment',
      '/* = 512; */ const n = nominal.neuronCount;',
      'const x = 10220 + 0.0341 + 2.1022 + a1023;',
      "const url = 'http://x/y'; const y = 1023; // 1022",
      'const re = /["\']/g; const z = 512 * 2;',
      '/**',
      ' * = 63;',
      ' */',
      "const s = '0..1022';",
    ].join('\n');
    expect(findLiterals('x.ts', code).map((f) => `${f.line} ${f.literal}`)).toEqual(['4 1023', '9 1022']);
  });
});
