import { PPUOnDLS } from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import { AssemblyError, assemble, disassemble, link, ProgramImage } from '../src/index.js';

function words(source: string, section = '.text'): number[] {
  const s = assemble(source).sections.find((x) => x.name === section)!;
  const view = new DataView(s.bytes.buffer, s.bytes.byteOffset, s.bytes.byteLength);
  return Array.from({ length: s.bytes.length / 4 }, (_, i) => view.getUint32(4 * i));
}

function errorOf(source: string): AssemblyError {
  try {
    assemble(source, { fileName: 'kernel.s' });
  } catch (e) {
    if (e instanceof AssemblyError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('assembler', () => {
  it('resolves labels and relative branches within a section, as GNU as does', () => {
    expect(words('loop: addi r3,r3,-1\n cmpwi r3,0\n bne loop\n b .+8\n blr')).toEqual([0x3863ffff, 0x2c030000, 0x4082fff8, 0x48000008, 0x4e800020]);
  });

  it('evaluates expressions, .equ/.set, = and @l/@h/@ha on constants', () => {
    expect(words('.equ N, 3 * (4 + 1)\n X = 0x12348000\n li r3, N << 1\n lis r4, X@ha\n addi r4, r4, X@l\n ori r5, r5, X@h')).toEqual([
      0x3860001e, 0x3c801235, 0x38848000, 0x60a51234,
    ]);
  });

  it('emits data directives big-endian with alignment', () => {
    const s = assemble('.data\n.byte 1, -1\n.align 2\n.short 0x1234\n.long -2\n.asciz "hi"\n.space 3, 0xaa').sections.find((x) => x.name === '.data')!;
    expect(Array.from(s.bytes)).toEqual([1, 0xff, 0, 0, 0x12, 0x34, 0xff, 0xff, 0xff, 0xfe, 0x68, 0x69, 0, 0xaa, 0xaa, 0xaa]);
  });

  it('assembles the vector extension with optional conditions', () => {
    const [add, addCond, inx, sel] = words('fxvaddbm v1, v2, v3\n fxvaddbm v1, v2, v3, 3\n fxvinx v4, r5, r6\n fxvsel 7, 8, 9, 1');
    expect(add).toBe(((4 << 26) | (1 << 21) | (2 << 16) | (3 << 11) | (461 << 2)) >>> 0);
    expect(addCond).toBe((add! | 3) >>> 0);
    expect(inx).toBe(((4 << 26) | (4 << 21) | (5 << 16) | (6 << 11) | (236 << 2)) >>> 0);
    expect(disassemble(sel!)).toBe('fxvsel v7,v8,v9,1');
  });

  it('reports errors with file, line, column and the offending text', () => {
    const e = errorOf('nop\n  addi r3, r4, 40000');
    expect(e.name).toBe('AssemblyError');
    expect([e.file, e.line, e.column, e.text]).toEqual(['kernel.s', 2, 16, '40000']);
    expect(e.message).toMatch(/out of range.*-32768\.\.32767/);
    expect(errorOf('frob r1').text).toBe('frob');
    expect(errorOf('lwz r3, 4(r40)').message).toMatch(/no register 'r40'/);
    expect(errorOf('lwzu r3, 4(r3)').message).toMatch(/RA ≠ 0 and RA ≠ RT/);
    expect(errorOf('.align 20').message).toMatch(/0\.\.12/);
    expect(errorOf('a: nop\na: nop').message).toMatch(/defined twice/);
    expect(errorOf('add r1, r2').message).toMatch(/takes 3 operands, got 2/);
    expect(errorOf('li r3, 1 +').message).toMatch(/ends early/);
    expect(errorOf('.byte 256').message).toMatch(/does not fit 1 byte/);
    expect(errorOf('fxvshb v1, v2, 16').message).toMatch(/-16\.\.15/);
    expect(errorOf('.data\n.byte 1\n.text\nnop\n.data\nnop').message).toMatch(/not word-aligned/);
  });
});

describe('linker and program image', () => {
  const kernel = `
    .text
    .globl _start
_start:
    lis r1, __stack_top@ha
    addi r1, r1, __stack_top@l
    bl compute
    lis r4, __return_code@ha
    stw r3, __return_code@l(r4)
halt:
    b halt
    .data
table: .long compute, 7
`;
  const library = `
    .globl compute
    .text
compute:
    li r3, 42
    blr
`;

  it('places code at 0, data after it, resolves symbols across objects and applies relocations', () => {
    const program = link([assemble(kernel, { fileName: 'kernel.s' }), assemble(library, { fileName: 'lib.s' })]);
    const compute = program.symbols.get('compute')!;
    expect(program.symbols.get('_start')).toBe(0);
    expect(compute).toBe(24);
    const image = new ProgramImage(program);
    const w = image.words();
    expect(w[2]).toBe(0x48000000 | (compute - 8) | 1); // bl compute
    expect(disassemble(w[4]!)).toBe('stw r3,12284(r4)'); // __return_code = word 3071 · 4
    const data = program.sections.find((s) => s.name === '.data')!;
    expect(data.address % 16).toBe(0);
    expect(w[data.address / 4]).toBe(compute);
    expect(image.toPPUMemory().word(data.address / 4 + 1)).toBe(7);
    expect(image.disassembleCode()[0]).toMatch(/lis r1,0/);
  });

  it('names the undefined symbol, the duplicate and the section that does not fit', () => {
    expect(() => link([assemble('bl nowhere', { fileName: 'a.s' })])).toThrow(/a\.s:1: undefined symbol 'nowhere'/);
    const twice = '.globl f\nf: blr';
    expect(() => link([assemble(twice, { fileName: 'a.s' }), assemble(twice, { fileName: 'b.s' })])).toThrow(/'f' is defined in b\.s and a\.s/);
    expect(() => link([assemble('.data\n.space 12000', { fileName: 'big.s' })])).toThrow(/big\.s: section '\.data' at 0x0\.\.0x2ee0 runs into the stack/);
    expect(() => link([assemble('.section .mailbox\n.space 4100', { fileName: 'm.s' })])).toThrow(/past the mailbox/);
    expect(() => link([assemble('.section .weird\n.long 1', { fileName: 'w.s' })])).toThrow(/'\.weird' has no place/);
    expect(() => link([assemble('nop\n.globl _start\n_start: nop')])).toThrow(/starts executing at address 0/);
  });

  it('range-checks relocated branch displacements and immediates', () => {
    expect(() => link([assemble('.section .ext.text\n.globl far\nfar: blr'), assemble('bl far')])).toThrow(/branch displacement .* does not fit LI/);
    expect(() => link([assemble('.data\n.globl d\nd: .long 0'), assemble('li r3, d + 40000')])).toThrow(/does not fit SI/);
  });

  it('writes the mailbox and external memory through the lola containers', () => {
    const program = link([assemble('nop\n.section .mailbox\n.long 0xdeadbeef\n.section .ext.data\nx: .byte 1, 2, 3')]);
    const image = new ProgramImage(program);
    const blocks = image.toPPUMemoryBlocks(PPUOnDLS.bottom);
    expect(blocks.map((b) => [b.coordinate.firstIndex, b.coordinate.length])).toEqual([[0, 1], [3072, 1]]);
    expect(blocks[1]!.container.word(0)).toBe(0xdeadbeef);
    expect(image.toPPUMemory().mailbox()[0]).toBe(0xdeadbeef);
    const external = image.toExternalMemoryBlocks();
    expect(external.map((b) => [b.coordinate.firstIndex, Array.from(b.container.bytes())])).toEqual([[0, [1, 2, 3]]]);
  });
});
