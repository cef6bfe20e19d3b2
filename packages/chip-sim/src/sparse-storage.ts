/** Words per page of a sparse store. */
const PAGE_WORDS = 4096;

/**
 * Word storage for a unit too large to allocate up front — the FPGA's 256 MiB DRAM reachable from the PPUs
 * (hardware.md §1, §7) — in pages allocated on the first write. A word never written reads as its reset
 * value; pages are visited in address order, so the state digest is deterministic.
 */
export class SparseStorage {
  private readonly pages = new Map<number, Uint32Array>();

  /** `resetWords[slot % resetWords.length]` is the reset value of `slot`. */
  constructor(private readonly resetWords: Uint32Array) {}

  read(slot: number): number {
    const page = this.pages.get(Math.floor(slot / PAGE_WORDS));
    return page === undefined ? this.resetWords[slot % this.resetWords.length]! : page[slot % PAGE_WORDS]!;
  }

  /** Keeps the bits of `value` selected by `mask`, the others of the stored word. */
  write(slot: number, value: number, mask: number): void {
    const index = Math.floor(slot / PAGE_WORDS);
    let page = this.pages.get(index);
    if (page === undefined) {
      page = new Uint32Array(PAGE_WORDS);
      const first = index * PAGE_WORDS;
      for (let i = 0; i < PAGE_WORDS; i++) page[i] = this.resetWords[(first + i) % this.resetWords.length]!;
      this.pages.set(index, page);
    }
    const at = slot % PAGE_WORDS;
    page[at] = ((page[at]! & ~mask) | (value & mask)) >>> 0;
  }

  reset(): void {
    this.pages.clear();
  }

  /** Allocated pages in address order: `[page index, words]`. */
  *allocatedPages(): IterableIterator<readonly [number, Uint32Array]> {
    for (const index of [...this.pages.keys()].sort((a, b) => a - b)) yield [index, this.pages.get(index)!];
  }
}
