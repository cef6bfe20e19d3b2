// A linked program as the lola containers stadls writes: the PPU's local memory (whole, or the blocks the
// program occupies) and the external FPGA memory it uses, plus the symbol table.
import { ExternalPPUDRAMMemoryByteOnFPGA, ExternalPPUMemoryByteOnFPGA, type PPUOnDLS, PPUMemoryWordOnPPU } from '@bss2/halco';
import { ExternalPPUDRAMMemoryByte, ExternalPPUMemoryBlock, ExternalPPUMemoryBlockOnFPGA, PPUMemory, PPUMemoryBlock, PPUMemoryBlockOnDLS } from '@bss2/lola';
import { disassembleWords } from './isa/disassembler.js';
import { ppuAddressWindows } from './isa/cycles.js';
import type { LinkedProgram, PlacedSection } from './linker.js';

const wordsPerMemory = PPUMemoryWordOnPPU.size;

/** The program of one PPU, ready to be written. Words are big-endian: byte 4·i is the top byte of word i. */
export class ProgramImage {
  readonly #words = new Uint32Array(wordsPerMemory);
  /** Which local words the program defines (code, data, mailbox content). */
  readonly #used = new Uint8Array(wordsPerMemory);
  readonly #sram = new Map<number, number>();
  readonly #dram = new Map<number, number>();

  constructor(readonly program: LinkedProgram) {
    const bytes = new Uint8Array(wordsPerMemory * 4);
    for (const section of program.sections) {
      if (section.region === 'code' || section.region === 'data' || section.region === 'mailbox') {
        bytes.set(section.bytes, section.address);
        for (let w = Math.floor(section.address / 4); w < Math.ceil((section.address + section.size_bytes) / 4); w++) this.#used[w] = 1;
      } else {
        const window = externalWindow(section);
        const target = section.region.startsWith('sram') ? this.#sram : this.#dram;
        section.bytes.forEach((b, i) => target.set(section.address - window + i, b));
      }
    }
    const view = new DataView(bytes.buffer);
    for (let w = 0; w < wordsPerMemory; w++) this.#words[w] = view.getUint32(4 * w);
  }

  /** Address of a symbol; throws a RangeError naming the known symbols' count for an unknown one. */
  symbol(name: string): number {
    const address = this.program.symbols.get(name);
    if (address === undefined) throw new RangeError(`no symbol '${name}' in the program (${this.program.symbols.size} symbols)`);
    return address;
  }

  /** The whole 16 KiB (all other words zero): one PPUMemory write. */
  toPPUMemory(): PPUMemory {
    return new PPUMemory(this.#words);
  }

  /** Only the words the program defines, as contiguous blocks for `ppu` (fewer writes than a whole memory). */
  toPPUMemoryBlocks(ppu: PPUOnDLS): { coordinate: PPUMemoryBlockOnDLS; container: PPUMemoryBlock }[] {
    const blocks: { coordinate: PPUMemoryBlockOnDLS; container: PPUMemoryBlock }[] = [];
    for (let w = 0; w < wordsPerMemory; ) {
      if (this.#used[w] === 0) {
        w++;
        continue;
      }
      let end = w;
      while (end < wordsPerMemory && this.#used[end] === 1) end++;
      blocks.push({ coordinate: new PPUMemoryBlockOnDLS(ppu, new PPUMemoryWordOnPPU(w), end - w), container: new PPUMemoryBlock(this.#words.subarray(w, end)) });
      w = end;
    }
    return blocks;
  }

  /** External SRAM content as contiguous blocks (byte offsets within the 128 KiB). */
  toExternalMemoryBlocks(): { coordinate: ExternalPPUMemoryBlockOnFPGA; container: ExternalPPUMemoryBlock }[] {
    const offsets = [...this.#sram.keys()].sort((a, b) => a - b);
    const blocks: { coordinate: ExternalPPUMemoryBlockOnFPGA; container: ExternalPPUMemoryBlock }[] = [];
    for (let i = 0; i < offsets.length; ) {
      let j = i;
      while (j + 1 < offsets.length && offsets[j + 1] === offsets[j]! + 1) j++;
      const first = offsets[i]!;
      const bytes = offsets.slice(i, j + 1).map((o) => this.#sram.get(o)!);
      blocks.push({ coordinate: new ExternalPPUMemoryBlockOnFPGA(new ExternalPPUMemoryByteOnFPGA(first), bytes.length), container: new ExternalPPUMemoryBlock(bytes) });
      i = j + 1;
    }
    return blocks;
  }

  /** External DRAM content, byte by byte (lola has no DRAM block container). */
  toExternalDRAMBytes(): { coordinate: ExternalPPUDRAMMemoryByteOnFPGA; container: ExternalPPUDRAMMemoryByte }[] {
    return [...this.#dram].sort(([a], [b]) => a - b).map(([offset, value]) => ({ coordinate: new ExternalPPUDRAMMemoryByteOnFPGA(offset), container: new ExternalPPUDRAMMemoryByte({ value }) }));
  }

  /** A copy of the 4096 local words. */
  words(): Uint32Array {
    return this.#words.slice();
  }

  /** Disassembly of the code region, one line per word. */
  disassembleCode(): string[] {
    const [begin, end] = this.program.layout.code;
    return disassembleWords(this.#words.subarray(begin / 4, Math.ceil(end / 4)), begin);
  }
}

function externalWindow(section: PlacedSection): number {
  switch (section.region) {
    case 'sram-code':
      return ppuAddressWindows.sramInstruction.begin;
    case 'sram-data':
      return ppuAddressWindows.sramData.begin;
    case 'dram-code':
      return ppuAddressWindows.dramInstruction.begin;
    default:
      return ppuAddressWindows.dramData.begin;
  }
}
