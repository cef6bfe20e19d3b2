import { MAX_PROGRAM_INSTRUCTIONS } from '@bss2/fisch';
import { ProgramTooLargeError } from './errors.js';

/**
 * Instructions one program may hold: the FPGA playback memory (hardware.md §1, §5.4) minus the
 * `Loopback(halt)` run() appends. Checked before anything is appended, so a refused operation leaves the
 * builder as it was.
 */
export const MAX_PROGRAM_SIZE = MAX_PROGRAM_INSTRUCTIONS - 1;

export function checkProgramSize(instructions: number): void {
  if (instructions > MAX_PROGRAM_SIZE) throw new ProgramTooLargeError(instructions, MAX_PROGRAM_SIZE);
}
