import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PPUOnDLS } from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import { ProgramImage, assemble, instructions, link } from '../src/index.js';

const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md'), 'utf8');

describe('README', () => {
  it('documents every vector instruction in its table', () => {
    const missing = instructions.filter((d) => d.form === 'FXV' && !readme.includes(`| \`${d.mnemonic}\` | ${d.extendedOpcode} |`));
    expect(missing.map((d) => d.mnemonic)).toEqual([]);
  });

  it('runs the example and prints the listing it shows', () => {
    const source = /assemble\(`([\s\S]*?)`, \{ fileName/.exec(readme)![1]!;
    const image = new ProgramImage(link([assemble(source, { fileName: 'kernel.s' })]));
    const listing = /prints\n\n```\n([\s\S]*?)```/.exec(readme)![1]!.trimEnd();
    expect(image.disassembleCode().join('\n')).toBe(listing);
    expect(image.toPPUMemoryBlocks(PPUOnDLS.top).map((b) => b.coordinate.length)).toEqual([8]);
  });
});
