import { describe, expect, it } from 'vitest';
import { assemble, linkWithRuntime, runtimeObject, runtimeSource, runtimeSymbols, runtimeWordsFor } from '../src/index.js';

const kernel = (body: string) => assemble(`    .globl kernel\nkernel:\n${body}\n`, { fileName: 'kernel.s' });

describe('runtime library', () => {
  it('assembles and exports the handle interface', () => {
    const object = runtimeObject();
    const globals = object.symbols.filter((s) => s.global).map((s) => s.name);
    for (const name of ['_start', 'exit', 'get_weights', 'set_weights', 'get_causal_correlation', 'get_acausal_correlation', 'get_correlation', 'reset_correlation', 'get_rate_counters', 'get_rate_counters_half', 'get_cadc', 'now', 'sleep_until', 'sleep_cycles', 'mailbox_read', 'mailbox_write', '__ppu_hemisphere', 'rt_scratch']) {
      expect(globals).toContain(name);
    }
    expect(runtimeSource()).toContain('RT_COUNTER_READ_0');
  });

  it('links with a kernel: _start at 0, the hemisphere word in the mailbox, set per PPU', () => {
    const image = linkWithRuntime([kernel('    li r3, 7\n    blr')]);
    expect(image.symbol(runtimeSymbols.entry)).toBe(0);
    expect(image.symbol(runtimeSymbols.hemisphere)).toBe(image.symbol('__mailbox'));
    expect(image.symbol(runtimeSymbols.scratch) % 16).toBe(0);
    const at = image.symbol(runtimeSymbols.hemisphere) >>> 2;
    expect(runtimeWordsFor(image, 0)[at]).toBe(0);
    expect(runtimeWordsFor(image, 1)[at]).toBe(1);
    expect(() => runtimeWordsFor(image, 2)).toThrow(/not a PPU/);
    expect(image.disassembleCode()[0]).toMatch(/lis r1/);
  });

  it('a kernel without `kernel` does not link', () => {
    expect(() => linkWithRuntime([assemble('    .globl other\nother:\n    blr\n', { fileName: 'k.s' })])).toThrow(/kernel/);
  });
});
