import { PPUMemoryWordOnPPU } from '@bss2/halco';
import { nominal } from '@bss2/lola';

/** Words of one PPU's local memory (16 KiB, hardware.md §7). */
export const LOCAL_WORDS = PPUMemoryWordOnPPU.size;
export const LOCAL_BYTES = 4 * LOCAL_WORDS;
/** Word of the return code (3071) and first mailbox word (3072), by convention (§7). */
export const RETURN_CODE_WORD = PPUMemoryWordOnPPU.returnCode.value;
export const MAILBOX_WORD = PPUMemoryWordOnPPU.mailboxBegin.value;
/** One vector: 128 bytes = 8 slices × 16 bytes (§7). */
export const VECTOR_BYTES = 128;
export const VECTOR_HALFWORDS = VECTOR_BYTES / 2;
export const VECTOR_REGISTERS = 32;
/** Vectors in local memory are aligned to one 16-byte slice. */
export const VECTOR_ALIGNMENT = 16;
/**
 * **Choice:** the link register holds this address when a core starts; branching to it (the program's
 * outermost `blr`) halts the core like the end of a program, and r3 becomes the return code (word 3071).
 */
export const RETURN_ADDRESS = 0xffff_fffc;
/**
 * **Choice (instruction timeout):** a core that runs this many PPU cycles after its start without halting
 * stops with a timeout fault: 10 ms of chip time, the FPGA's default instruction timeout (§3.10).
 */
export const DEFAULT_PPU_TIMEOUT_CYCLES = 10_000 * nominal.ppuClockCyclesPerUs;
/** PPU cycles per FPGA cycle (250 MHz / 125 MHz). */
export const PPU_CYCLES_PER_FPGA_CYCLE = nominal.ppuClock_hz / nominal.fpgaClock_hz;
