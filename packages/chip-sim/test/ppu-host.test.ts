// A host round trip through one playback program (hardware.md §3.10, §5, §7): the program image goes into PPU
// memory with omnibus writes, PPUControlRegister starts the core, a PollingOmnibusBlock waits for
// PPUStatusRegister.sleep, and omnibus reads bring back the return code and the mailbox.
import { PPUStatusRegisterOnDLS, PollingOmnibusBlockConfigOnFPGA } from '@bss2/halco';
import { PPUStatusRegister, PollingOmnibusBlockConfig } from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import { dataWords, run } from './helpers.js';
import { HOLD, RUN, chipWith, controlAddress, image, load, memoryAddress } from './ppu-helpers.js';

describe('PPU host round trip', () => {
  it('loads, starts, waits for sleep and reads the mailbox and return code in one program', () => {
    for (const ppu of [0, 1]) {
      const { chip, model } = chipWith();
      const program = image(`
        .text
        lis r3, mailbox@ha
        addi r3, r3, mailbox@l
        lwz r4, 0(r3)            # the host's input n
        li r5, 0                 # sum of 1..n
        li r6, 1
        mtctr r4
      sum:
        add r5, r5, r6
        addi r6, r6, 1
        bdnz sum
        stw r5, 4(r3)
        mulli r7, r5, 2
        stw r7, 8(r3)
        li r3, 7                 # return code
        blr
        .section .mailbox
      mailbox:
        .long 100
      `);
      const words = program.words();
      const [status] = PPUStatusRegister.addresses(new PPUStatusRegisterOnDLS(ppu));
      const poll = new PollingOmnibusBlockConfig({ address: status!, mask: 1, target: 1 }).encode();
      const pollAt = PollingOmnibusBlockConfig.addresses(new PollingOmnibusBlockConfigOnFPGA(0));
      const responses = run(chip, (s) => {
        s.omnibusWrite(controlAddress(ppu), HOLD);
        words.forEach((w, i) => {
          if (w !== 0) s.omnibusWrite(memoryAddress(ppu, i), w);
        });
        pollAt.forEach((a, i) => s.omnibusWrite(a, poll[i]!));
        s.omnibusWrite(controlAddress(ppu), RUN);
        s.pollingOmnibusBlock(true);
        s.omnibusRead(status!);
        for (const word of [3071, 3072, 3073, 3074]) s.omnibusRead(memoryAddress(ppu, word));
      });
      expect(chip.counters().timeouts).toBe(0);
      expect(dataWords(responses)).toEqual([1, 7, 100, 5050, 10100]);
      expect(model.ppuState(ppu).state).toBe('halted');
      expect(model.ppuState(1 - ppu).state).toBe('reset');
    }
  });

  it('holding a running core in reset stops it; clearing inhibit_reset again restarts it at address 0', () => {
    const { chip, model } = chipWith();
    const program = image(`
      lis r3, 0
      lwz r4, 0x3000(r3)
      addi r4, r4, 1
      stw r4, 0x3000(r3)        # count the starts
    spin:
      b spin
    `);
    program.words().forEach((w, i) => {
      if (w !== 0) chip.writeWord(memoryAddress(0, i), w);
    });
    for (let start = 1; start <= 3; start++) {
      chip.writeWord(controlAddress(0), RUN);
      run(chip, (s) => s.timingSetup().waitUntil(1000));
      expect(model.ppuState(0).state).toBe('running');
      chip.writeWord(controlAddress(0), HOLD);
      expect(model.ppuState(0).state).toBe('reset');
      expect(chip.readWord(memoryAddress(0, 3072))).toBe(start);
    }
  });
});

describe('PPU external memory and chip registers', () => {
  it('stores to the FPGA SRAM / DRAM data windows land in the host-visible bytes; pointer bit 31 reaches omnibus words', async () => {
    const { omnibusAddresses, ExternalPPUMemoryByteOnFPGA, ExternalPPUDRAMMemoryByteOnFPGA } = await import('@bss2/halco');
    const { chip, model } = chipWith();
    const sram = (i: number) => omnibusAddresses.ExternalPPUMemoryByte(new ExternalPPUMemoryByteOnFPGA(i))[0]!;
    const dram = (i: number) => omnibusAddresses.ExternalPPUDRAMMemoryByte(new ExternalPPUDRAMMemoryByteOnFPGA(i))[0]!;
    chip.writeWord(sram(8), 0xab);
    // Pointer of this PPU's own mailbox word 3073 through the omnibus: (omnibus word << 2) | bit 31.
    const viaOmnibus = ((memoryAddress(0, 3073) << 2) | 0x8000_0000) >>> 0;
    const program = image(`
      lis r3, 0x4000
      lis r4, 0x1234
      ori r4, r4, 0x5678
      stw r4, 4(r3)            # SRAM bytes 4..7
      lbz r5, 8(r3)            # SRAM byte 8 (host wrote 0xab)
      lis r6, 0x5000
      sth r4, 2(r6)            # DRAM bytes 2..3
      lis r7, ${viaOmnibus >>> 16}
      ori r7, r7, ${viaOmnibus & 0xffff}
      stw r5, 0(r7)            # mailbox word 3073 through the omnibus
      mftb r8
      lwz r9, 0(r7)
      mftb r10
      subf r3, r8, r10         # cycles of one chip-register load (+1 for the mftb)
      blr
    `);
    load(chip, 0, program);
    chip.writeWord(controlAddress(0), RUN);
    run(chip, (s) => s.timingSetup().waitUntil(2000));
    expect(model.ppuFault(0)).toBeUndefined();
    expect([4, 5, 6, 7].map((i) => chip.readWord(sram(i)))).toEqual([0x12, 0x34, 0x56, 0x78]);
    expect([2, 3].map((i) => chip.readWord(dram(i)))).toEqual([0x56, 0x78]);
    expect(chip.readWord(memoryAddress(0, 3073))).toBe(0xab);
    expect(chip.readWord(memoryAddress(0, 3071))).toBe(16 + 1);
  });
});
