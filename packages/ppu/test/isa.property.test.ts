import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AssemblyError,
  type InstructionDef,
  assemble,
  constraintViolation,
  decodeId,
  decodeOperands,
  disassemble,
  encodeInstruction,
  instructions,
  link,
  operandRange,
} from '../src/index.js';

function wordOf(source: string): number {
  const s = assemble(source).sections.find((x) => x.name === '.text')!;
  return new DataView(s.bytes.buffer, s.bytes.byteOffset).getUint32(0);
}

/** Valid operand tuples of `def`: every value in range, form rules kept. */
function operandsOf(def: InstructionDef): fc.Arbitrary<number[]> {
  const fields = def.operands.map((o) => {
    const r = operandRange(o.kind);
    return fc.integer({ min: r.min / r.step, max: r.max / r.step }).map((v) => v * r.step);
  });
  return fc.tuple(...fields).filter((values) => constraintViolation(def, values) === undefined);
}

describe('instruction table properties', () => {
  it('decode ∘ encode is the identity for every instruction and random valid operands', () => {
    for (const def of instructions) {
      fc.assert(
        fc.property(operandsOf(def), (values) => {
          const word = encodeInstruction(def, values);
          expect(decodeId(word)).toBe(def.id);
          // simm16opt accepts 0x8000..0xffff as the same bits as −32768..−1; the decoder gives the signed form.
          const expected = values.map((v, i) => (def.operands[i]!.kind === 'simm16opt' && v >= 0x8000 ? v - 0x10000 : v));
          expect(decodeOperands(def.id, word)).toEqual(expected);
        }),
        { seed: 1, numRuns: 40 },
      );
    }
  });

  it('assemble(disassemble(w)) = w for every word the decoder accepts', () => {
    // Random words rarely decode; mix them with words built from the table with random operand bits.
    const fromTable = fc.tuple(fc.integer({ min: 0, max: instructions.length - 1 }), fc.integer({ min: 0, max: 0xffffffff })).map(([id, noise]) => {
      const def = instructions[id]!;
      return ((def.match | (noise & ~def.mask)) >>> 0) as number;
    });
    fc.assert(
      fc.property(fc.oneof(fromTable, fc.integer({ min: 0, max: 0xffffffff })), (word) => {
        if (decodeId(word) < 0) return;
        expect(wordOf(disassemble(word))).toBe(word);
      }),
      { seed: 1, numRuns: 4000 },
    );
  });

  it('each word decodes to at most one instruction: no two table entries overlap', () => {
    for (const a of instructions) {
      for (const b of instructions) {
        if (a.id >= b.id) continue;
        const common = a.mask & b.mask;
        expect(((a.match & common) >>> 0) !== ((b.match & common) >>> 0), `${a.mnemonic} / ${b.mnemonic}`).toBe(true);
      }
    }
  });

  it('out-of-range operands always give an AssemblyError, never a truncated word', () => {
    const ranged = instructions.filter((d) => d.operands.length > 0);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: ranged.length - 1 }),
        fc.nat(),
        fc.oneof(fc.integer({ min: 1, max: 1 << 20 }), fc.integer({ min: -(1 << 20), max: -1 })),
        (index, operandSeed, excess) => {
          const def = ranged[index]!;
          const which = operandSeed % def.operands.length;
          const kind = def.operands[which]!.kind;
          const r = operandRange(kind);
          const values = def.operands.map((o) => Math.max(operandRange(o.kind).min, 0));
          values[which] = excess > 0 ? r.max + excess : r.min + excess;
          const text = def.operands.map((o, i) => (o.kind === 'bdRel' || o.kind === 'liRel' ? `.+${values[i]}`.replace('+-', '-') : `${values[i]}`)).join(',');
          // D-form loads/stores are written d(ra).
          const source = def.operands.some((o) => o.kind === 'disp16')
            ? `${def.mnemonic} ${values[0]},${values[1]}(${values[2]})`
            : `${def.mnemonic} ${text}`;
          expect(() => assemble(source)).toThrow(AssemblyError);
        },
      ),
      { seed: 1, numRuns: 2000 },
    );
  });
});

describe('linker properties', () => {
  it('never overlaps sections, and every relocation resolves to its symbol address', () => {
    const objectSpec = fc.record({
      code: fc.integer({ min: 0, max: 40 }),
      data: fc.integer({ min: 0, max: 200 }),
      align: fc.integer({ min: 0, max: 4 }),
    });
    fc.assert(
      fc.property(fc.array(objectSpec, { minLength: 1, maxLength: 6 }), fc.nat(), (specs, pick) => {
        const sources = specs.map((s, i) => {
          const lines = [`.globl f${i}`, `.globl d${i}`, `f${i}:`];
          for (let k = 0; k < s.code; k++) lines.push('nop');
          lines.push(`bl f${(i + pick) % specs.length}`, `lis r3, d${(i + pick) % specs.length}@ha`, `addi r3, r3, d${(i + pick) % specs.length}@l`);
          lines.push('.data', `.align ${s.align}`, `.space ${s.data}`, `d${i}: .long f${(i + 1) % specs.length}, d${(i + pick + 1) % specs.length}`);
          return assemble(lines.join('\n'), { fileName: `o${i}.s` });
        });
        const program = link(sources);
        const ranges = program.sections.filter((p) => p.size_bytes > 0).map((p) => [p.address, p.address + p.size_bytes] as const).sort((a, b) => a[0] - b[0]);
        for (let k = 1; k < ranges.length; k++) expect(ranges[k]![0]).toBeGreaterThanOrEqual(ranges[k - 1]![1]);
        for (const p of program.sections) {
          const view = new DataView(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength);
          const i = Number(/o(\d+)\.s/.exec(p.object)![1]);
          const sym = (name: string): number => program.symbols.get(name)!;
          if (p.name === '.text') {
            const end = p.size_bytes;
            const bl = view.getUint32(end - 12);
            const target = sym(`f${(i + pick) % specs.length}`);
            expect(p.address + end - 12 + (((bl & 0x03fffffc) << 6) >> 6)).toBe(target);
            const d = sym(`d${(i + pick) % specs.length}`);
            const hi = view.getUint32(end - 8) & 0xffff;
            const lo = view.getUint32(end - 4) & 0xffff;
            expect(((hi << 16) + ((lo << 16) >> 16)) >>> 0).toBe(d);
          } else {
            expect(view.getUint32(p.size_bytes - 8)).toBe(sym(`f${(i + 1) % specs.length}`));
            expect(view.getUint32(p.size_bytes - 4)).toBe(sym(`d${(i + pick + 1) % specs.length}`));
          }
        }
      }),
      { seed: 1, numRuns: 150 },
    );
  });
});
