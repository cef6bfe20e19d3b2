import {
  type CoordinateType,
  type OmnibusAccess,
  type OmnibusContainerName,
  omnibusAddresses,
  omnibusAddressesOf,
  omnibusAliasWindows,
  omnibusLayout,
} from '@bss2/halco';
import { findAddressRuns, type AddressRun } from './address-runs.js';
import { containerWords } from './container-words.js';
import { SynapseLayout } from './synapse-storage.js';

/** How a container's words are stored. */
export const Storage = {
  /** Dense words in the register file, in unit-major order. */
  register: 0,
  /** Bytes of the synapse array, seen through a window (`SynapseLayout`). */
  synapse: 1,
  /** Pages allocated on first write (`SparseStorage`). */
  sparse: 2,
} as const;
export type Storage = (typeof Storage)[keyof typeof Storage];

/** Containers of more words than this are stored sparsely: only the FPGA DRAM (2^28 words) today. */
const SPARSE_WORDS = 2 ** 20;
/** Address directory: 2^12 blocks of 2^20 words, each split into 2^12 pages of 2^8 words. */
const BLOCK_SHIFT = 20;
const PAGE_SHIFT = 8;
const PAGES_PER_BLOCK = 1 << (BLOCK_SHIFT - PAGE_SHIFT);
const PAGE_MASK = PAGES_PER_BLOCK - 1;
/** Directory entry of a block without intervals; entries below it name the one interval covering the block. */
const EMPTY_BLOCK = -1;
/** FPGA-side units have address bit 31 set (hardware.md §3.11); the chip reset line does not reach them. */
const FPGA_SPACE = 0x8000_0000;

/** One leaf container on the omnibus: its words are `slot = (enum − min) · wordCount + word`. */
export interface MappedContainer {
  readonly id: number;
  readonly name: OmnibusContainerName;
  readonly access: OmnibusAccess;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly wordCount: number;
  readonly coordinate: CoordinateType;
  readonly units: number;
  readonly storage: Storage;
  /** Register storage: index of the container's first word in the register file. */
  readonly offset: number;
  /** All addresses in FPGA space: kept across the chip reset line. */
  readonly fpgaSide: boolean;
  /** Reset value per word (lola `defaults()`). */
  readonly resetWords: Uint32Array;
  /** Bits kept per word (lola field layout). */
  readonly masks: Uint32Array;
}

/**
 * The omnibus address map of the simulated chip, built once per process from `@bss2/halco`'s address
 * functions and `@bss2/lola`'s containers (hardware.md §3.11). Addresses resolve through a table of
 * intervals sorted by base address (typed arrays, binary search); inside an interval the slot is affine in the
 * address: `slot = slotBase + (address − base) · slotStep` (for register storage the slot is the index into
 * the register file). Holds no chip state: every `SimulatedChip` shares it.
 */
export class MemoryMap {
  readonly containers: readonly MappedContainer[];
  readonly synapseLayout: SynapseLayout;
  /** Words of the register file; chip-side containers come first. */
  readonly registerWords: number;
  /** Register-file words below this index belong to chip-side containers (reset by the Reset instruction). */
  readonly chipRegisterWords: number;
  /** Reset value and kept bits of every register-file word. */
  readonly resetImage: Uint32Array;
  readonly maskImage: Uint32Array;

  readonly intervalBase: Uint32Array;
  readonly intervalLength: Uint32Array;
  readonly intervalContainer: Uint8Array;
  /** Slots and steps fit 31 bits (the DRAM has 2^28 words); int32 keeps typed-array indexing on the fast path. */
  readonly intervalSlotBase: Int32Array;
  readonly intervalSlotStep: Int32Array;
  /** Per block: its page table, `EMPTY_BLOCK`, or `−2 − interval` for a block inside one interval. */
  private readonly blocks: Int32Array;
  /** Per page of the page tables: the first interval overlapping the page and how many do. */
  private readonly pageFirst: Int32Array;
  private readonly pageCount: Uint16Array;
  private readonly byName: ReadonlyMap<OmnibusContainerName, MappedContainer>;

  constructor() {
    const names = Object.keys(omnibusAddresses) as OmnibusContainerName[];
    const synapseBase = new Set(omnibusAliasWindows.map((a) => a.of));
    if (synapseBase.size !== 1) throw new Error(`alias windows onto ${[...synapseBase].join(', ')}: only the synapse array is supported`);
    const synapseNames = new Set<OmnibusContainerName>([...synapseBase, ...omnibusAliasWindows.map((a) => a.window)]);
    this.synapseLayout = new SynapseLayout([...synapseBase][0]!, omnibusAliasWindows.map((a) => a.window));

    const runsOf = names.map((name) => {
      const type = omnibusLayout[name].coordinate;
      return findAddressRuns(type.min, type.max, (v) => omnibusAddressesOf(name, new type(v)));
    });

    // Register offsets: chip-side containers first, so that the chip reset copies one prefix of the file.
    const drafts = names.map((name, id) => {
      const layout = omnibusLayout[name];
      const words = containerWords(name, layout.wordCount);
      const units = layout.coordinate.size;
      const storage: Storage = synapseNames.has(name)
        ? Storage.synapse
        : units * layout.wordCount > SPARSE_WORDS
          ? Storage.sparse
          : Storage.register;
      const fpgaSide = runsOf[id]!.every((run) => run.first.every((a) => a >= FPGA_SPACE));
      return { id, name, layout, words, units, storage, fpgaSide };
    });
    const offsets = new Map<number, number>();
    let registerWords = 0;
    let chipRegisterWords = 0;
    for (const fpga of [false, true]) {
      for (const d of drafts) {
        if (d.storage !== Storage.register || d.fpgaSide !== fpga) continue;
        offsets.set(d.id, registerWords);
        registerWords += d.units * d.layout.wordCount;
      }
      if (!fpga) chipRegisterWords = registerWords;
    }
    this.registerWords = registerWords;
    this.chipRegisterWords = chipRegisterWords;

    this.containers = drafts.map((d) => ({
      id: d.id,
      name: d.name,
      access: d.layout.access,
      readable: d.layout.access !== 'w',
      writable: d.layout.access !== 'r',
      wordCount: d.layout.wordCount,
      coordinate: d.layout.coordinate,
      units: d.units,
      storage: d.storage,
      offset: offsets.get(d.id) ?? -1,
      fpgaSide: d.fpgaSide,
      resetWords: d.words.resetWords,
      masks: d.words.masks,
    }));
    this.byName = new Map(this.containers.map((c) => [c.name, c]));

    this.resetImage = new Uint32Array(registerWords);
    this.maskImage = new Uint32Array(registerWords);
    for (const c of this.containers) {
      if (c.storage !== Storage.register) continue;
      tile(this.resetImage, c.offset, c.units, c.resetWords);
      tile(this.maskImage, c.offset, c.units, c.masks);
    }

    const intervals = buildIntervals(this.containers, runsOf);
    const n = intervals.length;
    this.intervalBase = new Uint32Array(n);
    this.intervalLength = new Uint32Array(n);
    this.intervalContainer = new Uint8Array(n);
    this.intervalSlotBase = new Int32Array(n);
    this.intervalSlotStep = new Int32Array(n);
    intervals.forEach((iv, i) => {
      const c = this.containers[iv.container]!;
      this.intervalBase[i] = iv.base;
      this.intervalLength[i] = iv.length;
      this.intervalContainer[i] = iv.container;
      this.intervalSlotBase[i] = iv.slotBase + (c.storage === Storage.register ? c.offset : 0);
      this.intervalSlotStep[i] = iv.length === 1 ? 0 : iv.slotStep;
    });
    const directory = buildDirectory(intervals);
    this.blocks = directory.blocks;
    this.pageFirst = directory.pageFirst;
    this.pageCount = directory.pageCount;
  }

  /** The container called `name` (a key of halco's `omnibusAddresses`). */
  container(name: OmnibusContainerName): MappedContainer {
    const c = this.byName.get(name);
    if (c === undefined) throw new RangeError(`no omnibus container ${String(name)}`);
    return c;
  }

  /**
   * Index of the interval holding `address`, or −1 for an unmapped address: the directory narrows the search
   * to the intervals of one 256-word page (a few), then a branch-free bisection picks the one.
   */
  find(address: number): number {
    const block = this.blocks[address >>> BLOCK_SHIFT]!;
    if (block === EMPTY_BLOCK) return -1;
    let lo: number;
    let n: number;
    if (block < EMPTY_BLOCK) {
      lo = EMPTY_BLOCK - 1 - block;
      n = 1;
    } else {
      const page = block * PAGES_PER_BLOCK + ((address >>> PAGE_SHIFT) & PAGE_MASK);
      n = this.pageCount[page]!;
      if (n === 0) return -1;
      lo = this.pageFirst[page]!;
    }
    const base = this.intervalBase;
    while (n > 1) {
      const half = n >>> 1;
      lo = base[lo + half]! <= address ? lo + half : lo;
      n -= half;
    }
    return address >= base[lo]! && address - base[lo]! < this.intervalLength[lo]! ? lo : -1;
  }

  /** Container and slot of `address` (`slot = (enum − min) · wordCount + word`), or `undefined` if unmapped. */
  lookup(address: number): { readonly container: MappedContainer; readonly slot: number } | undefined {
    const i = this.find(address >>> 0);
    if (i < 0) return undefined;
    const container = this.containers[this.intervalContainer[i]!]!;
    const slot = this.intervalSlotBase[i]! + ((address >>> 0) - this.intervalBase[i]!) * this.intervalSlotStep[i]!;
    return { container, slot: container.storage === Storage.register ? slot - container.offset : slot };
  }
}

let cached: MemoryMap | undefined;

/** The process-wide memory map, built on first use (≈0.1–0.3 s). */
export function memoryMap(): MemoryMap {
  cached ??= new MemoryMap();
  return cached;
}

/** Copies `pattern` `count` times from `offset`. */
function tile(target: Uint32Array, offset: number, count: number, pattern: Uint32Array): void {
  const size = pattern.length;
  target.set(pattern, offset);
  let filled = size;
  const total = count * size;
  while (filled < total) {
    const n = Math.min(filled, total - filled);
    target.copyWithin(offset + filled, offset, offset + n);
    filled += n;
  }
}

interface Interval {
  base: number;
  length: number;
  container: number;
  /** Container-relative slot at `base`. */
  slotBase: number;
  slotStep: number;
}

/**
 * Turns runs into address intervals: runs of stride ±1 give one interval per word, other runs one piece per
 * address; pieces sorted by address merge while the container matches and the slot stays affine. Two
 * containers at one address is a broken halco contract and fails the build.
 */
function buildIntervals(containers: readonly MappedContainer[], runsOf: readonly AddressRun[][]): Interval[] {
  const pieces: Interval[] = [];
  for (const c of containers) {
    const w = c.wordCount;
    const min = c.coordinate.min;
    for (const run of runsOf[c.id]!) {
      const unit = run.start - min;
      for (let word = 0; word < w; word++) {
        const a = run.first[word]!;
        if (run.count > 1 && Math.abs(run.stride) === 1) {
          const up = run.stride === 1;
          pieces.push({
            base: up ? a : a - (run.count - 1),
            length: run.count,
            container: c.id,
            slotBase: (up ? unit : unit + run.count - 1) * w + word,
            slotStep: up ? w : -w,
          });
        } else {
          if (c.storage === Storage.sparse) throw new Error(`${c.name}: sparse storage needs contiguous addresses`);
          for (let k = 0; k < run.count; k++) {
            pieces.push({ base: a + run.stride * k, length: 1, container: c.id, slotBase: (unit + k) * w + word, slotStep: 0 });
          }
        }
      }
    }
  }
  pieces.sort((p, q) => p.base - q.base);
  const out: Interval[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (last !== undefined && last.base + last.length > p.base) {
      const other = containers[last.container]!.name;
      throw new Error(`omnibus address 0x${p.base.toString(16)} is mapped twice (${other}, ${containers[p.container]!.name})`);
    }
    if (last !== undefined && last.container === p.container && last.base + last.length === p.base) {
      const step = last.length === 1 ? p.slotBase - last.slotBase : last.slotStep;
      if (p.slotBase === last.slotBase + last.length * step && (p.length === 1 || p.slotStep === step)) {
        last.slotStep = step;
        last.length += p.length;
        continue;
      }
    }
    out.push({ ...p });
  }
  return out;
}

/** The two-level directory of `MemoryMap.find` over intervals sorted by base address. */
function buildDirectory(intervals: readonly Interval[]): { blocks: Int32Array; pageFirst: Int32Array; pageCount: Uint16Array } {
  const blocks = new Int32Array(2 ** (32 - BLOCK_SHIFT)).fill(EMPTY_BLOCK);
  const blockSize = 2 ** BLOCK_SHIFT;
  const partial: number[] = [];
  intervals.forEach((iv, i) => {
    const end = iv.base + iv.length;
    for (let b = Math.floor(iv.base / blockSize); b * blockSize < end; b++) {
      if (iv.base <= b * blockSize && end >= (b + 1) * blockSize) blocks[b] = EMPTY_BLOCK - 1 - i;
      else if (blocks[b] === EMPTY_BLOCK) {
        blocks[b] = partial.length;
        partial.push(b);
      }
    }
  });
  const pageFirst = new Int32Array(partial.length * PAGES_PER_BLOCK);
  const pageCount = new Uint16Array(partial.length * PAGES_PER_BLOCK);
  const pageSize = 2 ** PAGE_SHIFT;
  intervals.forEach((iv, i) => {
    const last = iv.base + iv.length - 1;
    for (let page = Math.floor(iv.base / pageSize); page <= Math.floor(last / pageSize); page++) {
      const block = blocks[Math.floor(page / PAGES_PER_BLOCK)]!;
      if (block < 0) continue;
      const at = block * PAGES_PER_BLOCK + (page % PAGES_PER_BLOCK);
      if (pageCount[at] === 0) pageFirst[at] = i;
      pageCount[at] = pageCount[at]! + 1;
    }
  });
  return { blocks, pageFirst, pageCount };
}
