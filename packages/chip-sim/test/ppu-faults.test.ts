// Faults stop only the PPU that caused them (hardware.md §7): timeout, illegal instruction, bad address,
// misaligned access — typed, with PPU, PC and instruction, and nothing else on the chip changes.
import { describe, expect, it } from 'vitest';
import { PPUFault } from '../src/index.js';
import { HOLD, chipWith, controlAddress, image, load, runProgram, wait } from './ppu-helpers.js';

function faultOf(source: string, options = {}, cycles = 5_000) {
  const { chip, model } = chipWith(options);
  runProgram(chip, 0, source, cycles);
  const state = model.ppuState(0);
  expect(state.state).toBe('faulted');
  return { fault: state.fault!, chip, model };
}

describe('PPU faults', () => {
  it('an endless loop ends at the instruction timeout with a typed fault naming the PC', () => {
    const { fault } = faultOf(`
      li r3, 1
    spin:
      addi r3, r3, 1
      b spin
    `, { ppuTimeout_cycles: 10_000 }, 20_000);
    expect(fault.reason).toBe('timeout');
    expect(fault.ppu).toBe(0);
    expect([4, 8]).toContain(fault.pc);
    expect(fault.cycle).toBeGreaterThanOrEqual(10_000);
    const error = PPUFault.from(fault);
    expect(error).toBeInstanceOf(PPUFault);
    expect(error.name).toBe('PPUFault');
    expect(error.message).toMatch(/PPU 0 stopped: timeout at pc 0x0000000[48]/);
  });

  it('an illegal word stops the core with its PC, word and disassembly', () => {
    const { fault } = faultOf(`
      li r3, 1
      .long 0x00000000
      li r3, 2
    `);
    expect(fault).toMatchObject({ reason: 'illegal-instruction', pc: 4, instruction: 0, disassembly: '.long 0x00000000' });
  });

  it('an SPR the core does not have (only XER, LR, CTR and the time base) is an illegal instruction naming it', () => {
    const { fault } = faultOf(`
      li r3, 1
      mfspr r4, 272
    `);
    expect(fault).toMatchObject({ reason: 'illegal-instruction', pc: 4, disassembly: 'mfspr r4,272' });
    expect(fault.detail).toMatch(/SPR 272 is not implemented \(XER 1, LR 8, CTR 9, time base 268\/269\)/);
  });

  it('the chip API reports the record of a faulted PPU and nothing for the others', () => {
    const { chip } = faultOf('.long 0x00000000');
    expect(chip.ppuFault(0)).toMatchObject({ ppu: 0, reason: 'illegal-instruction', pc: 0 });
    expect(chip.ppuFault(1)).toBeUndefined();
    expect(() => chip.ppuFault(2)).toThrow(/ppu = 2 is invalid/);
  });

  it('a data address outside every window is a bad address; a misaligned word is misaligned', () => {
    const bad = faultOf(`
      lis r3, 0x6000
      lwz r4, 0(r3)
    `).fault;
    expect(bad).toMatchObject({ reason: 'bad-address', pc: 4, address: 0x6000_0000 });
    expect(bad.disassembly).toBe('lwz r4,0(r3)');
    const misaligned = faultOf(`
      li r3, 0x102
      stw r4, 0(r3)
    `).fault;
    expect(misaligned).toMatchObject({ reason: 'misaligned', pc: 4, address: 0x102 });
    const window = faultOf(`
      lis r3, 0x0007
      fxvinx v1, 0, r3
    `).fault;
    expect(window).toMatchObject({ reason: 'bad-address', address: 0x0007_0000 });
    const unmapped = faultOf(`
      lis r3, 0xffff
      ori r3, r3, 0xfff0
      lwz r4, 0(r3)
    `).fault;
    expect(unmapped.reason).toBe('bad-address');
  });

  it('leaves the other PPU and the rest of the chip exactly as without the faulting program', () => {
    const worker = image(`
      li r3, 0
      li r4, 100
      mtctr r4
    loop:
      addi r3, r3, 7
      bdnz loop
      lis r5, 0x0000
      stw r3, 0x3000(r5)      # mailbox word 3072
      blr
    `);
    const faulty = image(`
      li r3, 5
      .long 0xffffffff
    `);
    const states = [true, false].map((withFault) => {
      const { chip, model } = chipWith();
      load(chip, 0, faulty);
      load(chip, 1, worker);
      if (withFault) chip.writeWord(controlAddress(0), 0);
      chip.writeWord(controlAddress(1), 0);
      wait(chip, 5_000);
      if (withFault) expect(model.ppuFault(0)?.reason).toBe('illegal-instruction');
      expect(model.ppuState(1).state).toBe('halted');
      // Holding PPU 0 in reset clears its status: then only the fault itself could differ.
      chip.writeWord(controlAddress(0), HOLD);
      return { digest: chip.stateDigest(), other: Array.from(model.ppus.core(1).snapshot()) };
    });
    expect(states[0]!.digest).toBe(states[1]!.digest);
    expect(states[0]!.other).toEqual(states[1]!.other);
  });
});
