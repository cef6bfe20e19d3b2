// The per-word decode cache of the PPU interpreter is invisible: code rewritten by the host between runs or by
// the program itself executes as the new words, and a never-written word (0) is the illegal instruction it is,
// from the first fetch on (the cache starts as the decode of 0 and checks the word at every fetch).
import { describe, expect, it } from 'vitest';
import { RETURN_CODE_WORD } from '../src/index.js';
import { HOLD, RUN, chipWith, controlAddress, image, load, memoryAddress, wait } from './ppu-helpers.js';

/** The machine word of one instruction. */
const word = (instruction: string): number => image(instruction).words()[0]!;

describe('PPU decode cache', () => {
  it('runs what the host wrote last: the same program with one word changed between two starts', () => {
    const { chip, model } = chipWith();
    load(chip, 0, image(`
      li r3, 5
      addi r3, r3, 1
      blr
    `));
    chip.writeWord(controlAddress(0), RUN);
    wait(chip, 500);
    expect(chip.readWord(memoryAddress(0, RETURN_CODE_WORD))).toBe(6);
    chip.writeWord(controlAddress(0), HOLD);
    chip.writeWord(memoryAddress(0, 1), word('addi r3, r3, 40'));
    chip.writeWord(controlAddress(0), RUN);
    wait(chip, 1000);
    expect(model.ppuState(0).state).toBe('halted');
    expect(chip.readWord(memoryAddress(0, RETURN_CODE_WORD))).toBe(45);
  });

  it('runs code the program itself rewrote (the second pass of a loop executes the stored word)', () => {
    const { chip, model } = chipWith();
    const replacement = word('addi r3, r3, 100');
    load(chip, 0, image(`
      li r3, 0
      li r4, 2
      mtctr r4
      lis r5, ${replacement >>> 16}
      ori r5, r5, ${replacement & 0xffff}
    again:
    patched:
      addi r3, r3, 1
      li r6, 20              # the address of patched: five instructions from 0
      stw r5, 0(r6)
      bdnz again
      blr
    `));
    chip.writeWord(controlAddress(0), RUN);
    wait(chip, 1000);
    expect(model.ppuState(0).fault).toBeUndefined();
    expect(chip.readWord(memoryAddress(0, RETURN_CODE_WORD))).toBe(101);
  });

  it('a word never written (0) is an illegal instruction at its first fetch', () => {
    const { chip, model } = chipWith();
    load(chip, 0, image(`
      li r3, 1
      b 0x100
    `));
    chip.writeWord(controlAddress(0), RUN);
    wait(chip, 500);
    const state = model.ppuState(0);
    expect(state.state).toBe('faulted');
    expect(state.fault).toMatchObject({ reason: 'illegal-instruction', pc: 0x100, instruction: 0 });
  });
});
