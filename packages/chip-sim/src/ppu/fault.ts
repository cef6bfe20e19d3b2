import { ChipSimError } from '../errors.js';

/** Why a PPU stopped with a fault (hardware.md §7; the Choices of the README, "Plasticity processors"). */
export type PPUFaultReason =
  /** The word at the PC is no instruction of `@bss2/ppu`'s table (or one the simulation does not execute). */
  | 'illegal-instruction'
  /** A data or instruction address outside every mapped window, or a write to a read-only window. */
  | 'bad-address'
  /** An access not aligned to its size where the ISA requires it (words 4, halfwords 2, vectors 16 bytes). */
  | 'misaligned'
  /** The core ran its cycle budget since its start without halting. */
  | 'timeout';

/** What the host learns about a faulted PPU: a plain record (the chip API returns copies of it). */
export interface PPUFaultRecord {
  /** PPUOnDLS: 0 top, 1 bottom hemisphere. */
  readonly ppu: number;
  readonly reason: PPUFaultReason;
  /** Byte address of the faulting instruction. */
  readonly pc: number;
  /** The instruction word at the PC (0 when the fetch itself failed). */
  readonly instruction: number;
  /** The instruction as text (`@bss2/ppu`'s disassembly where the table decodes it, else the hex word). */
  readonly disassembly: string;
  /** The data address of a bad-address or misaligned access, else undefined. */
  readonly address?: number;
  /** PPU cycle (250 MHz, since power-on) at which the core stopped. */
  readonly cycle: number;
  /** Human-readable detail: the rule that was broken. */
  readonly detail: string;
}

const hex = (value: number): string => `0x${(value >>> 0).toString(16).padStart(8, '0')}`;

/**
 * A PPU stopped: the typed fault of hardware.md §7 (illegal instruction, bad address, misaligned access or the
 * instruction timeout). It names the PPU, the PC and the instruction. The simulator never throws it out of a
 * program run — the core stops, its status register reports it asleep and the record is readable through
 * `SimulatedChip.ppuFault(ppu)`; `PPUFault.from(record)` makes it an error a host layer can throw.
 */
export class PPUFault extends ChipSimError {
  override name = 'PPUFault';
  readonly ppu: number;
  readonly reason: PPUFaultReason;
  readonly pc: number;
  readonly instruction: number;
  readonly disassembly: string;
  readonly address: number | undefined;
  readonly cycle: number;

  constructor(readonly record: PPUFaultRecord) {
    const at = record.address === undefined ? '' : ` (address ${hex(record.address)})`;
    super(`PPU ${record.ppu} stopped: ${record.reason} at pc ${hex(record.pc)} '${record.disassembly}' [${hex(record.instruction)}]${at}: ${record.detail}`);
    this.ppu = record.ppu;
    this.reason = record.reason;
    this.pc = record.pc;
    this.instruction = record.instruction;
    this.disassembly = record.disassembly;
    this.address = record.address;
    this.cycle = record.cycle;
  }

  static from(record: PPUFaultRecord): PPUFault {
    return new PPUFault(record);
  }
}
