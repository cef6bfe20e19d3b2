import { nominal } from '@bss2/lola';

/**
 * Cost classes of the PPU cycle model (hardware.md §7, **Choice (cost model)**). Every instruction of the table
 * has one; the classes that touch memory get their final cost from the address they reach, which only the
 * processor simulation knows (`memoryAccessCycles`).
 */
export type CycleClass =
  | 'alu' // integer arithmetic, logic, shifts, compares, CR logic, SPR moves, sync: 1 cycle
  | 'branch' // 1 cycle
  | 'load-store' // scalar memory access: cost of the address reached
  | 'vector-alu' // vector arithmetic, shifts, compares, select, pack, accumulator: 1 cycle
  | 'vector-load-store' // fxvlax/fxvstax to local memory: cost of the address reached
  | 'vector-io'; // fxvinx/fxvoutx through the synapse-array / CADC windows: cost of the window

/** The cycle costs of hardware.md §7 (PPU clock cycles, 250 per µs), from lola's `nominal`. */
export const ppuCycleCosts = nominal.ppuCycleCosts;

/** Cycles of a class when no address is involved (the base cost the simulation starts from). */
export function baseCycles(cycleClass: CycleClass): number {
  return cycleClass === 'vector-io' ? ppuCycleCosts.synapseArrayVector_cycles : ppuCycleCosts.alu_cycles;
}

/** Where a data address of a PPU lands (hardware.md §7), which decides the cost of a memory access. */
export type MemoryTarget = 'local' | 'chip-register' | 'fpga-sram' | 'fpga-dram';

/** External FPGA memory windows of the PPU address space (hardware.md §7). */
export const ppuAddressWindows = Object.freeze({
  localMemory: { begin: 0x0000_0000, size_bytes: 16 * 1024 },
  sramInstruction: { begin: 0x8000_0000, size_bytes: 128 * 1024 },
  sramData: { begin: 0x4000_0000, size_bytes: 128 * 1024 },
  dramInstruction: { begin: 0x9000_0000, size_bytes: 256 * 1024 * 1024 },
  dramData: { begin: 0x5000_0000, size_bytes: 256 * 1024 * 1024 },
});

/**
 * Classifies a 32-bit data address: the FPGA memories' data views, then pointer bit 31 (chip registers), else
 * local memory. The instruction views (0x8000_0000 SRAM, 0x9000_0000 DRAM) are fetch addresses only: a data
 * pointer there has bit 31 set and counts as a chip register (hardware.md §7).
 */
export function memoryTarget(address: number): MemoryTarget {
  const a = address >>> 0;
  const inWindow = (w: { begin: number; size_bytes: number }): boolean => a >= w.begin && a < w.begin + w.size_bytes;
  if (inWindow(ppuAddressWindows.sramData)) return 'fpga-sram';
  if (inWindow(ppuAddressWindows.dramData)) return 'fpga-dram';
  if (a >= 0x8000_0000) return 'chip-register';
  return 'local';
}

/** Cycles of one scalar or vector memory access at `address`. */
export function memoryAccessCycles(address: number): number {
  switch (memoryTarget(address)) {
    case 'local':
      return ppuCycleCosts.alu_cycles;
    case 'chip-register':
      return ppuCycleCosts.chipRegister_cycles;
    case 'fpga-sram':
      return ppuCycleCosts.fpgaSram_cycles;
    case 'fpga-dram':
      return ppuCycleCosts.fpgaDram_cycles;
  }
}
