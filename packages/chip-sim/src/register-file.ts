import type { OmnibusContainerName } from '@bss2/halco';
import { type MappedContainer, type MemoryMap, Storage } from './memory-map.js';
import { SparseStorage } from './sparse-storage.js';
import { SynapseStorage, type SynapseWindow } from './synapse-storage.js';

/** Per byte-enable nibble of an omnibus access: the bits it selects (bit i enables bits 8i..8i+7). */
const BYTE_MASKS = Uint32Array.from({ length: 16 }, (_, be) => {
  let mask = 0;
  for (let byte = 0; byte < 4; byte++) if ((be >>> byte) & 1) mask |= 0xff << (8 * byte);
  return mask >>> 0;
});

/** The bits an omnibus byte-enable nibble (0..15) selects. */
export function byteEnableMask(byteEnables: number): number {
  return BYTE_MASKS[byteEnables & 0xf]!;
}

/** Registers whose reads or writes do more than store: the executor's timer and systime sync (§3.10). */
export interface RegisterSideEffects {
  /** The current value of a live register (e.g. the timer), read instead of the stored word. */
  readLive(container: MappedContainer, slot: number): number;
  /** Called after a write to a register with side effects was stored. */
  afterWrite(container: MappedContainer, slot: number, value: number): void;
}

/** Omnibus accesses the chip ignored, by reason (the Choices of the README). */
export interface AccessCounters {
  unmappedReads: number;
  unmappedWrites: number;
  readOnlyWrites: number;
  writeOnlyReads: number;
}

/**
 * The chip's omnibus-addressable state and the rules of access to it — the single source of truth
 * (design, "Register file"). Register words live in one `Uint32Array` in unit-major order per container,
 * the synapse array in `SynapseStorage`, the FPGA DRAM in `SparseStorage`. Access rules (hardware.md §3.1,
 * §3.11): unmapped addresses read 0 and ignore writes; read-only units ignore writes; write-only units read
 * 0 — each case counted. A write keeps only the enabled bytes and the bits the container defines.
 */
export class RegisterFile {
  readonly words: Uint32Array;
  readonly synapses: SynapseStorage;
  readonly counters: AccessCounters = { unmappedReads: 0, unmappedWrites: 0, readOnlyWrites: 0, writeOnlyReads: 0 };
  private readonly sparse: (SparseStorage | undefined)[];
  private readonly windows: (SynapseWindow | undefined)[];
  private readonly storageOf: Uint8Array;
  private readonly readableOf: Uint8Array;
  private readonly writableOf: Uint8Array;
  private readonly liveOf: Uint8Array;
  private readonly effectOf: Uint8Array;
  private effects: RegisterSideEffects | undefined;
  private last = 0;

  constructor(readonly map: MemoryMap) {
    this.words = map.resetImage.slice();
    this.synapses = new SynapseStorage(map.synapseLayout);
    const n = map.containers.length;
    this.sparse = map.containers.map((c) => (c.storage === Storage.sparse ? new SparseStorage(c.resetWords) : undefined));
    this.windows = map.containers.map((c) => map.synapseLayout.windows.get(c.name));
    this.storageOf = Uint8Array.from(map.containers, (c) => c.storage);
    this.readableOf = Uint8Array.from(map.containers, (c) => (c.readable ? 1 : 0));
    this.writableOf = Uint8Array.from(map.containers, (c) => (c.writable ? 1 : 0));
    this.liveOf = new Uint8Array(n);
    this.effectOf = new Uint8Array(n);
  }

  /** Routes reads of `live` containers and writes to `effects` containers through `handler`. */
  attachSideEffects(handler: RegisterSideEffects, live: readonly OmnibusContainerName[], effects: readonly OmnibusContainerName[]): void {
    this.effects = handler;
    for (const name of live) this.liveOf[this.map.container(name).id] = 1;
    for (const name of effects) this.effectOf[this.map.container(name).id] = 1;
  }

  /** Interval of `address` or −1; the last hit is tried first (programs access neighbouring words). */
  private locate(address: number): number {
    const map = this.map;
    const last = this.last;
    if (address - map.intervalBase[last]! < map.intervalLength[last]! && address >= map.intervalBase[last]!) return last;
    const found = map.find(address);
    if (found >= 0) this.last = found;
    return found;
  }

  private slotOf(interval: number, address: number): number {
    const map = this.map;
    return (map.intervalSlotBase[interval]! + (address - map.intervalBase[interval]!) * map.intervalSlotStep[interval]!) | 0;
  }

  /** Whether `address` holds a live register (one that changes without being written, e.g. the timer). */
  isLive(address: number): boolean {
    const i = this.locate(address);
    return i >= 0 && this.liveOf[this.map.intervalContainer[i]!] === 1;
  }

  /** An omnibus read of the word at `address` (hardware.md §5.3: one data response per read). */
  read(address: number): number {
    const i = this.locate(address);
    if (i < 0) {
      this.counters.unmappedReads++;
      return 0;
    }
    const id = this.map.intervalContainer[i]!;
    if (this.readableOf[id] === 0) {
      this.counters.writeOnlyReads++;
      return 0;
    }
    return this.load(id, this.slotOf(i, address));
  }

  /** The word a read would return, without counting (the executor's polling, hardware.md §3.10). */
  peek(address: number): number {
    const i = this.locate(address);
    if (i < 0) return 0;
    const id = this.map.intervalContainer[i]!;
    return this.readableOf[id] === 0 ? 0 : this.load(id, this.slotOf(i, address));
  }

  private load(id: number, slot: number): number {
    switch (this.storageOf[id]) {
      case Storage.register:
        return this.liveOf[id] === 1 ? this.effects!.readLive(this.map.containers[id]!, slot) : this.words[slot]!;
      case Storage.synapse:
        return this.synapses.read(this.windows[id]!, slot);
      default:
        return this.sparse[id]!.read(slot);
    }
  }

  /**
   * An omnibus write of `value` to `address` with the bytes of `byteMask` enabled. Returns whether it
   * reached a writable unit (the chip model hears only of those).
   */
  write(address: number, value: number, byteMask: number): boolean {
    const i = this.locate(address);
    if (i < 0) {
      this.counters.unmappedWrites++;
      return false;
    }
    const id = this.map.intervalContainer[i]!;
    if (this.writableOf[id] === 0) {
      this.counters.readOnlyWrites++;
      return false;
    }
    const slot = this.slotOf(i, address);
    switch (this.storageOf[id]) {
      case Storage.register: {
        const mask = this.map.maskImage[slot]! & byteMask;
        this.words[slot] = ((this.words[slot]! & ~mask) | (value & mask)) >>> 0;
        break;
      }
      case Storage.synapse:
        this.synapses.write(this.windows[id]!, slot, value, byteMask);
        break;
      default: {
        const c = this.map.containers[id]!;
        this.sparse[id]!.write(slot, value, c.masks[slot % c.wordCount]! & byteMask);
      }
    }
    if (this.effectOf[id] === 1) this.effects!.afterWrite(this.map.containers[id]!, slot, value);
    return true;
  }

  /** The chip reset line (hardware.md §5.2 opcode 9): chip-side units to reset values, FPGA side kept. */
  resetChip(): void {
    this.words.set(this.map.resetImage.subarray(0, this.map.chipRegisterWords));
    this.synapses.reset();
    this.sparse.forEach((s, id) => {
      if (s !== undefined && !this.map.containers[id]!.fpgaSide) s.reset();
    });
  }

  /** Power-on: every unit at its reset value, counters zero. */
  resetAll(): void {
    this.words.set(this.map.resetImage);
    this.synapses.reset();
    for (const s of this.sparse) s?.reset();
    this.counters.unmappedReads = 0;
    this.counters.unmappedWrites = 0;
    this.counters.readOnlyWrites = 0;
    this.counters.writeOnlyReads = 0;
  }

  /** The register-file words of container `name`, unit-major (`slot = (enum − min) · wordCount + word`). */
  containerWords(name: OmnibusContainerName): Uint32Array {
    const c = this.map.container(name);
    if (c.storage !== Storage.register) throw new RangeError(`${name} is not stored in the register file`);
    return this.words.subarray(c.offset, c.offset + c.units * c.wordCount);
  }

  /** Sparse stores in container order, for the state digest. */
  sparseStores(): readonly SparseStorage[] {
    return this.sparse.filter((s): s is SparseStorage => s !== undefined);
  }
}
