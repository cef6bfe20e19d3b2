import { AtomicNeuronOnDLS, ExternalPPUDRAMMemoryByteOnFPGA, NeuronColumnOnDLS, NeuronRowOnDLS, SynapseQuadOnDLS, SynapseQuadOnSynram, omnibusAddresses } from '@bss2/halco';
import { CADCSampleQuad } from '@bss2/lola';
import { ppuAddressWindows, ppuCycleCosts } from '@bss2/ppu';
import type { CorrelationSensors } from '../events/index.js';
import type { Cadc } from '../readout/cadc.js';
import type { RegisterFile } from '../register-file.js';
import type { SynapseLayout } from '../synapse-storage.js';
import { Access, type PPUBus } from './bus.js';
import { VECTOR_BYTES } from './constants.js';
import type { VectorUnit } from './vector-unit.js';

/** What the PPUs need from the chip model around them. */
export interface PPUChipHooks {
  /** An omnibus write reached a writable unit: the model's side effects (as for a host write). */
  onWrite(address: number, value: number): void;
  /** An omnibus read is about to load `address` (CADC trigger reads convert now). */
  beforeRead(address: number): void;
  /** The CADC model (built on first use). */
  cadc(): Cadc;
  /** The correlation sensors of the event path (built on first use). */
  correlation(): CorrelationSensors;
}

/** Vector windows of `fxvinx`/`fxvoutx` (hardware.md §7), as offsets of the window base. */
const Window = {
  weights: 0x0_0000,
  timeCalib: 0x1_0000,
  ampCalib: 0x2_0000,
  labels: 0x4_0000,
  causal: 0x8_0000,
  causalReset: 0x9_0000,
  acausal: 0xc_0000,
  acausalReset: 0xd_0000,
  random: 0xe_0000,
  raw: 0xf_0000,
} as const;
/** The windows a half-row index addresses (every window but the random generator). */
const ROW_WINDOWS: ReadonlySet<number> = new Set(Object.values(Window).filter((w) => w !== Window.random));
const WINDOW_MASK = 0xffff_0000;
const INDEX_MASK = 0xffff;
/** Address bit selecting the buffered CADC results (§7). */
const BUFFERED = 0x20_0000;
/** `fxvoutx` target of the neuron reset vectors: +0 even columns, +1 odd columns (libnux `dls_neuron_reset_base`). */
const NEURON_RESET = 0x00c9_0000 + 512;
/** Pointer bit 31: chip registers; the omnibus word address is the byte address / 4 (libnux `get_omnibus_pointer`). */
const CHIP_REGISTERS = 0x8000_0000;
/** Host omnibus base of the FPGA DRAM bytes (halco `ExternalPPUDRAMMemoryByte`). */
const DRAM_OMNIBUS = omnibusAddresses.ExternalPPUDRAMMemoryByte(new ExternalPPUDRAMMemoryByteOnFPGA(0))[0]!;

const inWindow = (address: number, w: { begin: number; size_bytes: number }): boolean => address >= w.begin && address - w.begin < w.size_bytes;
const hex = (value: number): string => `0x${(value >>> 0).toString(16).padStart(8, '0')}`;

/**
 * The PPUs' view of the chip (hardware.md §7; the Choices of the README): local memory is handled by the
 * core; this bus serves the FPGA memory windows, chip registers through pointer bit 31 (the omnibus, with
 * the same access rules and model side effects as a host access) and the vector windows into the synapse
 * array of the PPU's own hemisphere, the CADC and the neuron reset.
 */
export class ChipBus implements PPUBus {
  cost_cycles = 0;
  loaded = 0;
  refusedDetail = '';
  private readonly sram: Uint32Array;
  private readonly weights: Uint8Array;
  private readonly labels: Uint8Array;
  private readonly timeCalibs: Uint8Array;
  private readonly ampCalibs: Uint8Array;
  private readonly columnsPerRow: number;
  private readonly rowsPerSynram: number;
  private readonly synapsesPerSynram: number;
  /** Per (synram, row): omnibus address of the row's first weight quad (marks the row for the event path). */
  private readonly rowQuadAddress: Uint32Array;
  private readonly quadsPerRow: number;
  private readonly samples: Uint32Array;
  /**
   * Per parity and group g of four elements of a half row (columns 2k + parity, k = 4g … 4g + 3): the row's
   * CADCSampleQuad holding their codes, entries 0..3 in element order (halco's quad mapping puts the four
   * columns of a quad next to each other in a half row), so a CADC read moves 32 words, not 128 lookups.
   */
  private readonly sampleQuadOfGroup = new Uint8Array((2 * VECTOR_BYTES) / 4);
  /** Per hemisphere and column: the NeuronReset address. */
  private readonly neuronResetAddress: Uint32Array;

  constructor(
    private readonly registers: RegisterFile,
    layout: SynapseLayout,
    private readonly hooks: PPUChipHooks,
    private readonly vectors: (ppu: number) => VectorUnit,
  ) {
    const storage = registers.synapses;
    this.sram = registers.containerWords('ExternalPPUMemoryByte');
    this.weights = storage.field('weights');
    this.labels = storage.field('labels');
    this.timeCalibs = storage.field('timeCalibs');
    this.ampCalibs = storage.field('ampCalibs');
    this.columnsPerRow = layout.columnsPerRow;
    this.quadsPerRow = layout.quadsPerRow;
    this.synapsesPerSynram = SynapseQuadOnSynram.size * layout.entriesPerQuad;
    this.rowsPerSynram = this.synapsesPerSynram / this.columnsPerRow;
    this.samples = registers.containerWords('CADCSampleQuad');
    this.sampleQuadOfGroup.fill(0xff);
    const entries = layout.entriesPerQuad;
    CADCSampleQuad.fields.samples.slices.forEach((slices, e) => {
      for (let x = 0; x < this.quadsPerRow; x++) {
        const column = layout.columnOfLane[x * entries + e]!;
        const k = column >>> 1;
        const group = (column & 1) * (VECTOR_BYTES / 4) + (k >>> 2);
        // The gather below takes entry e as the word's big-endian byte e, for element 4g + e.
        const placed = slices[0]!.bit === 24 - 8 * e && (k & 3) === e && (this.sampleQuadOfGroup[group] === 0xff || this.sampleQuadOfGroup[group] === x);
        if (!placed) throw new RangeError(`CADC sample layout: entry ${e} of quad ${x} (column ${column}) is not byte ${k & 3} of its group of four columns`);
        this.sampleQuadOfGroup[group] = x;
      }
    });
    const rows = SynapseQuadOnDLS.size / this.quadsPerRow;
    this.rowQuadAddress = new Uint32Array(rows);
    for (let r = 0; r < rows; r++) {
      this.rowQuadAddress[r] = omnibusAddresses.SynapseWeightQuad(new SynapseQuadOnDLS(r * this.quadsPerRow))[0]!;
    }
    this.neuronResetAddress = new Uint32Array(NeuronRowOnDLS.size * NeuronColumnOnDLS.size);
    for (const neuron of AtomicNeuronOnDLS.all()) {
      this.neuronResetAddress[neuron.y.value * NeuronColumnOnDLS.size + neuron.x.value] = omnibusAddresses.NeuronReset(neuron.toNeuronResetOnDLS())[0]!;
    }
  }

  private refuse(status: number, detail: string): number {
    this.refusedDetail = detail;
    return status;
  }

  load(_ppu: number, address: number, size: number): number {
    if ((address & CHIP_REGISTERS) !== 0 && !inWindow(address, ppuAddressWindows.sramInstruction) && !inWindow(address, ppuAddressWindows.dramInstruction)) {
      return this.chipRegister(address, size, undefined);
    }
    return this.fpgaMemory(address, size, undefined, false);
  }

  store(_ppu: number, address: number, size: number, value: number): number {
    if ((address & CHIP_REGISTERS) !== 0 && !inWindow(address, ppuAddressWindows.sramInstruction) && !inWindow(address, ppuAddressWindows.dramInstruction)) {
      return this.chipRegister(address, size, value);
    }
    return this.fpgaMemory(address, size, value, false);
  }

  fetch(_ppu: number, address: number): number {
    if ((address & 3) !== 0) return this.refuse(Access.misaligned, `instruction address ${hex(address)} is not word-aligned`);
    return this.fpgaMemory(address, 4, undefined, true);
  }

  /**
   * Chip registers through pointer bit 31. **Choice:** word accesses only (the omnibus moves words); the
   * instruction windows of the FPGA memory (0x8000_0000 SRAM, 0x9000_0000 DRAM) are instruction fetches only,
   * so data pointers with bit 31 set always mean chip registers.
   */
  private chipRegister(address: number, size: number, value: number | undefined): number {
    if (size !== 4) return this.refuse(Access.misaligned, `chip registers (pointer bit 31) are word-accessed; a ${size}-byte access at ${hex(address)}`);
    const word = (address & ~CHIP_REGISTERS) >>> 2;
    if (this.registers.map.find(word) < 0) return this.refuse(Access.badAddress, `omnibus word ${hex(word)} (pointer ${hex(address)}) is not mapped`);
    this.cost_cycles = ppuCycleCosts.chipRegister_cycles;
    if (value === undefined) {
      this.hooks.beforeRead(word);
      this.loaded = this.registers.read(word);
    } else if (this.registers.write(word, value >>> 0, 0xffff_ffff)) {
      this.hooks.onWrite(word, value >>> 0);
    }
    return Access.ok;
  }

  /** FPGA SRAM (data view 0x4000_0000, instruction view 0x8000_0000) and DRAM (0x5000_0000 / 0x9000_0000), big-endian. */
  private fpgaMemory(address: number, size: number, value: number | undefined, instruction: boolean): number {
    const w = ppuAddressWindows;
    const sram = instruction ? w.sramInstruction : w.sramData;
    const dram = instruction ? w.dramInstruction : w.dramData;
    let offset: number;
    let isSram: boolean;
    if (inWindow(address, sram)) {
      offset = address - sram.begin;
      isSram = true;
    } else if (inWindow(address, dram)) {
      offset = address - dram.begin;
      isSram = false;
    } else {
      const what = instruction ? 'instruction fetch' : 'data access';
      return this.refuse(Access.badAddress, `${what} at ${hex(address)} is outside local memory and every FPGA memory window`);
    }
    this.cost_cycles = isSram ? ppuCycleCosts.fpgaSram_cycles : ppuCycleCosts.fpgaDram_cycles;
    if (value === undefined) {
      let v = 0;
      for (let k = 0; k < size; k++) v = (v << 8) | (isSram ? this.sram[offset + k]! & 0xff : this.registers.peek(DRAM_OMNIBUS + offset + k) & 0xff);
      this.loaded = size === 4 ? v >>> 0 : v;
      return Access.ok;
    }
    for (let k = 0; k < size; k++) {
      const byte = (value >>> (8 * (size - 1 - k))) & 0xff;
      if (isSram) this.sram[offset + k] = byte;
      else this.registers.write(DRAM_OMNIBUS + offset + k, byte, 0xff);
    }
    return Access.ok;
  }

  vectorIn(ppu: number, address: number, target: Uint8Array, offset: number): number {
    const buffered = (address & BUFFERED) !== 0;
    const a = address & ~BUFFERED;
    const window = (a & WINDOW_MASK) >>> 0;
    const index = a & INDEX_MASK;
    if (window === Window.random && !buffered && index === 0) {
      this.vectors(ppu).randomBytes(target, offset);
      this.cost_cycles = ppuCycleCosts.synapseArrayVector_cycles;
      return Access.ok;
    }
    const checked = this.checkRow(address, window, index, buffered);
    if (checked !== Access.ok) return checked;
    const row = index >>> 1;
    const parity = index & 1;
    const base = ppu * this.synapsesPerSynram + row * this.columnsPerRow + parity;
    this.cost_cycles = ppuCycleCosts.synapseArrayVector_cycles;
    switch (window) {
      case Window.weights:
      case Window.labels:
      case Window.timeCalib:
      case Window.ampCalib: {
        const field = this.fieldOf(window);
        for (let k = 0; k < VECTOR_BYTES; k++) target[offset + k] = field[base + 2 * k]!;
        return Access.ok;
      }
      case Window.raw:
        for (let k = 0; k < VECTOR_BYTES; k++) target[offset + k] = (this.timeCalibs[base + 2 * k]! << 6) | this.weights[base + 2 * k]!;
        return Access.ok;
      default: {
        const acausal = window === Window.acausal || window === Window.acausalReset;
        if (!buffered) {
          this.convertRow(ppu, row);
          this.cost_cycles = ppuCycleCosts.cadcConversion_cycles;
        }
        // The buffered codes of the row's causal or acausal channels of this parity's columns.
        const samples = this.samples;
        const first = ppu * 4 * SynapseQuadOnSynram.size + (acausal ? 3 : 2) * SynapseQuadOnSynram.size + row * this.quadsPerRow;
        const quadOf = this.sampleQuadOfGroup;
        const at = parity * (VECTOR_BYTES / 4);
        for (let g = 0; g < VECTOR_BYTES / 4; g++) {
          const word = samples[first + quadOf[at + g]!]!;
          const o = offset + 4 * g;
          target[o] = word >>> 24;
          target[o + 1] = word >>> 16;
          target[o + 2] = word >>> 8;
          target[o + 3] = word;
        }
        if (window === Window.causalReset || window === Window.acausalReset) {
          // Choice: read-and-reset clears both sensors of the half row's synapses (as CorrelationReset does).
          this.resetCorrelation(ppu * this.synapsesPerSynram + row * this.columnsPerRow + parity);
        }
        return Access.ok;
      }
    }
  }

  vectorOut(ppu: number, address: number, source: Uint8Array, offset: number, mask: Uint8Array): number {
    if (address === NEURON_RESET || address === NEURON_RESET + 1) {
      // Choice: a non-zero byte resets the neuron of its column (even or odd) — one NeuronReset write each.
      const parity = address - NEURON_RESET;
      for (let k = 0; k < VECTOR_BYTES; k++) {
        if (mask[k] === 0 || source[offset + k] === 0) continue;
        const target = this.neuronResetAddress[ppu * this.columnsPerRow + 2 * k + parity]!;
        if (this.registers.write(target, 0, 0xffff_ffff)) this.hooks.onWrite(target, 0);
      }
      this.cost_cycles = ppuCycleCosts.synapseArrayVector_cycles;
      return Access.ok;
    }
    const buffered = (address & BUFFERED) !== 0;
    const window = (address & ~BUFFERED & WINDOW_MASK) >>> 0;
    const index = address & INDEX_MASK;
    const checked = this.checkRow(address, window, index, buffered);
    if (checked !== Access.ok) return checked;
    if (window !== Window.weights && window !== Window.labels && window !== Window.timeCalib && window !== Window.ampCalib && window !== Window.raw) {
      return this.refuse(Access.badAddress, `vector window ${hex(address)} is read-only (CADC / correlation)`);
    }
    const row = index >>> 1;
    const base = ppu * this.synapsesPerSynram + row * this.columnsPerRow + (index & 1);
    if (window === Window.raw) {
      for (let k = 0; k < VECTOR_BYTES; k++) {
        if (mask[k] === 0) continue;
        const byte = source[offset + k]!;
        this.weights[base + 2 * k] = byte & 0x3f;
        this.timeCalibs[base + 2 * k] = byte >>> 6;
      }
    } else {
      const field = this.fieldOf(window);
      const fieldMask = window === Window.timeCalib || window === Window.ampCalib ? 0x3 : 0x3f;
      for (let k = 0; k < VECTOR_BYTES; k++) if (mask[k] !== 0) field[base + 2 * k] = source[offset + k]! & fieldMask;
    }
    // The event path compiles rows from the synapse bytes: tell it, as a host write to the row would.
    const synramRow = ppu * this.rowsPerSynram + row;
    this.hooks.onWrite(this.rowQuadAddress[synramRow]!, 0);
    this.cost_cycles = ppuCycleCosts.synapseArrayVector_cycles;
    return Access.ok;
  }

  private fieldOf(window: number): Uint8Array {
    return window === Window.weights ? this.weights : window === Window.labels ? this.labels : window === Window.timeCalib ? this.timeCalibs : this.ampCalibs;
  }

  /** The window exists and `index` is a half row (row · 2 + parity, rows 0..255); buffered only for CADC windows. */
  private checkRow(address: number, window: number, index: number, buffered: boolean): number {
    const known = ROW_WINDOWS.has(window);
    const cadc = window === Window.causal || window === Window.causalReset || window === Window.acausal || window === Window.acausalReset;
    if (!known || (buffered && !cadc)) return this.refuse(Access.badAddress, `${hex(address)} is no vector window (hardware.md §7)`);
    if (index >= 2 * this.rowsPerSynram) return this.refuse(Access.badAddress, `vector index ${index} at ${hex(address)}: a half row 0..${2 * this.rowsPerSynram - 1}`);
    return Access.ok;
  }

  /** Both correlation sensors of the 128 synapses `first`, `first + 2`, … (one half row). */
  private resetCorrelation(first: number): void {
    this.hooks.correlation().resetSynapses(first, VECTOR_BYTES, 2);
  }

  /** A CADC conversion of the row's 512 channels (causal and acausal; both trigger and buffered words). */
  private convertRow(ppu: number, row: number): void {
    this.hooks.cadc().convertRow(ppu, row);
  }
}
