import { describe, expect, it } from 'vitest';
import { assemble, decodeId, disassemble, instructions } from '../src/index.js';
import { scalarEncodings } from './golden.js';

/** The single word `source` assembles to (a lone instruction: no relocations). */
function wordOf(source: string): number {
  const object = assemble(source);
  const text = object.sections.find((s) => s.name === '.text')!;
  expect(text.relocations).toEqual([]);
  expect(text.bytes.length).toBe(4);
  return new DataView(text.bytes.buffer, text.bytes.byteOffset).getUint32(0);
}

const entries = scalarEncodings();

describe('scalar encodings against GNU as (test-fixtures/ppu/scalar-encodings.json)', () => {
  it('covers every scalar instruction of the table', () => {
    const mnemonics = new Set(entries.map((e) => e.source.split(' ')[0]));
    const missing = instructions.filter((d) => d.form !== 'FXV' && !mnemonics.has(d.mnemonic)).map((d) => d.mnemonic);
    expect(missing).toEqual([]);
    expect(entries.length).toBeGreaterThan(1000);
  });

  it('assembles every line to the word GNU as produced', () => {
    const mismatches = entries
      .map((e) => ({ ...e, ours: `0x${wordOf(e.source).toString(16).padStart(8, '0')}` }))
      .filter((e) => e.ours !== e.word);
    expect(mismatches).toEqual([]);
  });

  it('decodes every word and disassembles it to text that assembles back to the same word', () => {
    const failures: string[] = [];
    for (const e of entries) {
      const word = Number(e.word);
      if (decodeId(word) < 0) failures.push(`${e.source}: not decoded`);
      const text = disassemble(word);
      if (wordOf(text) !== word) failures.push(`${e.source} → '${text}' → another word`);
    }
    expect(failures).toEqual([]);
  });
});
