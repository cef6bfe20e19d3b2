import { nested, ranged } from './coordinate.js';
import { PPUOnDLS } from './hemisphere.js';

/** A 32-bit word of a PPU's 16 KiB memory (hardware.md §2.2, §7). */
export class PPUMemoryWordOnPPU extends ranged('PPUMemoryWordOnPPU', 0, 4095) {
  /** By convention the word a program leaves its return code in. */
  static readonly returnCode = new PPUMemoryWordOnPPU(3071);
  /** First word of the mailbox (words 3072..4095). */
  static readonly mailboxBegin = new PPUMemoryWordOnPPU(3072);

  isMailbox(): boolean {
    return this.value >= PPUMemoryWordOnPPU.mailboxBegin.value;
  }
}

/** A PPU memory word of the chip: `4096·ppu + word`. */
export class PPUMemoryWordOnDLS extends nested('PPUMemoryWordOnDLS', PPUMemoryWordOnPPU, () => PPUOnDLS) {
  toPPUMemoryWordOnPPU(): PPUMemoryWordOnPPU {
    return this.local;
  }
  toPPUOnDLS(): PPUOnDLS {
    return this.outer;
  }
}
