/**
 * What a PPU core reaches outside its local memory (hardware.md §7): the scalar data space above the local
 * 16 KiB (FPGA SRAM/DRAM data windows, chip registers through pointer bit 31), instruction fetches from the
 * FPGA instruction windows, and the vector windows of `fxvinx`/`fxvoutx`. Every call happens at the core's
 * current cycle, after the chip was brought to that time; a call either completes (returns `Access.ok` and
 * sets `cost_cycles`) or reports why the access is refused — then nothing changed.
 */
export interface PPUBus {
  /** PPU cycles the last completed access took. */
  cost_cycles: number;
  /** The value of the last completed scalar load (zero-extended to the access size). */
  loaded: number;
  /** The data address of the last refused access, for the fault record. */
  refusedDetail: string;
  /** A scalar load of `size` bytes (1, 2, 4) at `address` (aligned); the value lands in `loaded`. */
  load(ppu: number, address: number, size: number): number;
  /** A scalar store of the low `size` bytes of `value` at `address` (aligned). */
  store(ppu: number, address: number, size: number, value: number): number;
  /** An instruction fetch from the external instruction windows; the word lands in `loaded`. */
  fetch(ppu: number, address: number): number;
  /** `fxvinx`: 128 bytes from the window at `address` into `target[offset..offset + 127]`. */
  vectorIn(ppu: number, address: number, target: Uint8Array, offset: number): number;
  /** `fxvoutx`: the bytes of `source[offset..]` whose `mask` byte is non-zero to the window at `address`. */
  vectorOut(ppu: number, address: number, source: Uint8Array, offset: number, mask: Uint8Array): number;
}

/** Outcome of a bus access. */
export const Access = {
  ok: 0,
  /** Outside every mapped window (or a write to a read-only one). */
  badAddress: 1,
  /** Not aligned to its size where the window requires it. */
  misaligned: 2,
} as const;
