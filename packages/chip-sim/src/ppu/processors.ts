import { PPUOnDLS } from '@bss2/halco';
import { PPUControlRegister, PPUStatusRegister } from '@bss2/lola';
import { streamSeed } from '../analog/random.js';
import type { ChipModelContext } from '../chip-model.js';
import { WriteDecoder } from '../events/register-writes.js';
import { fieldBits, readBits, writeBits } from '../model/field-bits.js';
import { ChipBus, type PPUChipHooks } from './chip-bus.js';
import { DEFAULT_PPU_TIMEOUT_CYCLES, LOCAL_WORDS, PPU_CYCLES_PER_FPGA_CYCLE } from './constants.js';
import { CoreState, PPUCore, Stop } from './core.js';
import type { PPUFaultRecord } from './fault.js';

const INHIBIT_RESET = fieldBits(PPUControlRegister, 'inhibitReset');
const SLEEP = fieldBits(PPUStatusRegister, 'sleep');

/** What `PlasticityProcessors` needs besides the chip-model context. */
export interface PlasticityProcessorHooks extends PPUChipHooks {
  /** Bring the rest of the chip (analog engine, event path) up to FPGA cycle `cycle` (excluding). */
  advanceChip(cycle: number): void;
}

/** What the host can learn about one PPU (`SimulatedChip.ppuState`). */
export interface PPUState {
  readonly ppu: number;
  readonly state: 'reset' | 'running' | 'halted' | 'faulted';
  /** Byte address of the next instruction (or the faulting one). */
  readonly pc: number;
  /** PPU cycle (250 MHz since power-on) the core has reached. */
  readonly cycle: number;
  /** Instructions executed since power-on. */
  readonly retired: number;
  readonly fault: PPUFaultRecord | undefined;
}

const STATE_NAMES = ['reset', 'running', 'halted', 'faulted'] as const;

/**
 * The chip's two plasticity processors (hardware.md §7), one per hemisphere, inside the chip model: started
 * and held by PPUControlRegister.inhibit_reset (clearing it starts the core at address 0, setting it holds the
 * core in reset), reporting PPUStatusRegister.sleep when the core halted or faulted, and interleaved with the
 * rest of the chip in time: `runTo(c)` lets every running core execute up to FPGA cycle c (2 PPU cycles per
 * FPGA cycle, 250 per µs); an access beyond local memory first brings the chip to the access's cycle, earliest
 * access of either core first, so a weight written at cycle c acts on every event from c on.
 */
export class PlasticityProcessors {
  private cores: PPUCore[] | undefined;
  private bus: ChipBus | undefined;
  private readonly pending: boolean[] = [];
  private readonly control: Uint32Array;
  private readonly status: Uint32Array;
  private readonly memory: Uint32Array;
  private readonly controlWrites: WriteDecoder;
  private running = 0;
  /** FPGA cycle of the chip model (the last `runTo` / `advanceChip`). */
  private now = 0;

  constructor(
    private readonly context: ChipModelContext,
    private readonly hooks: PlasticityProcessorHooks,
    /** The instruction timeout in PPU cycles from a core's start (Choice: 10 ms of chip time). */
    private readonly timeout_cycles = DEFAULT_PPU_TIMEOUT_CYCLES,
  ) {
    const registers = context.registers;
    this.control = registers.containerWords('PPUControlRegister');
    this.status = context.modelOwned('PPUStatusRegister');
    this.memory = registers.containerWords('PPUMemoryWord');
    this.controlWrites = new WriteDecoder(context.map, { PPUControlRegister: 1 });
  }

  /** The cores (made on the first start: a chip whose PPUs never run pays nothing for them). */
  private coresOrMake(): PPUCore[] {
    if (this.cores !== undefined) return this.cores;
    const hooks = this.hooks;
    const cores: PPUCore[] = [];
    this.bus = new ChipBus(this.context.registers, this.context.map.synapseLayout, hooks, (ppu) => cores[ppu]!.vector);
    for (let ppu = 0; ppu < PPUOnDLS.size; ppu++) {
      const memory = this.memory.subarray(ppu * LOCAL_WORDS, (ppu + 1) * LOCAL_WORDS);
      const core = new PPUCore(ppu, memory, this.bus, streamSeed(this.context.seed, 'ppu.random', ppu), this.timeout_cycles);
      core.powerOn(PPU_CYCLES_PER_FPGA_CYCLE * this.now);
      cores.push(core);
      this.pending.push(false);
    }
    return (this.cores = cores);
  }

  /** A write reached a writable unit: PPUControlRegister starts or holds a core. */
  onWrite(address: number, cycle: number): void {
    if (this.controlWrites.decode(address) === 0) return;
    this.now = Math.max(this.now, cycle);
    const ppu = this.controlWrites.unit;
    const inhibit = readBits(this.control, ppu * PPUControlRegister.wordCount, INHIBIT_RESET) === 1;
    const cores = this.cores;
    if (inhibit) {
      if (cores === undefined) return;
      if (cores[ppu]!.state === CoreState.running) this.running--;
      cores[ppu]!.holdInReset();
      this.pending[ppu] = false;
    } else {
      const core = this.coresOrMake()[ppu]!;
      // Clearing inhibit_reset starts a core held in reset; a halted or faulted core stays as it is.
      if (core.state !== CoreState.reset) return;
      core.start(PPU_CYCLES_PER_FPGA_CYCLE * this.now);
      this.pending[ppu] = false;
      this.running++;
    }
    this.updateStatus();
  }

  /** Lets the running cores execute up to FPGA cycle `cycle` (excluding), in time order with the chip. */
  runTo(cycle: number): void {
    this.now = Math.max(this.now, cycle);
    if (this.running === 0) return;
    const cores = this.cores!;
    const limit = PPU_CYCLES_PER_FPGA_CYCLE * cycle;
    let chipAt = -1;
    for (;;) {
      let next = -1;
      for (let k = 0; k < cores.length; k++) {
        const core = cores[k]!;
        if (core.state !== CoreState.running) continue;
        if (!this.pending[k]) this.pending[k] = core.run(limit, false) === Stop.pending;
        if (this.pending[k] && (next < 0 || core.cycle < cores[next]!.cycle)) next = k;
      }
      if (next < 0) break;
      const core = cores[next]!;
      const accessAt = Math.floor(core.cycle / PPU_CYCLES_PER_FPGA_CYCLE);
      if (accessAt > chipAt) {
        this.hooks.advanceChip(accessAt);
        chipAt = accessAt;
      }
      this.pending[next] = core.run(limit, true) === Stop.pending;
    }
    this.running = cores.reduce((n, c) => n + (c.state === CoreState.running ? 1 : 0), 0);
    this.updateStatus();
  }

  /** Chip reset line / power-on: both cores in reset (the register file already holds the reset values). */
  onReset(cycle: number): void {
    this.now = cycle;
    for (const core of this.cores ?? []) core.powerOn(PPU_CYCLES_PER_FPGA_CYCLE * cycle);
    this.pending.fill(false);
    this.running = 0;
    this.updateStatus();
  }

  private updateStatus(): void {
    const cores = this.cores;
    for (let ppu = 0; ppu < PPUOnDLS.size; ppu++) {
      const state = cores?.[ppu]?.state ?? CoreState.reset;
      writeBits(this.status, ppu * PPUStatusRegister.wordCount, SLEEP, state === CoreState.halted || state === CoreState.faulted ? 1 : 0);
    }
  }

  /** Whether any core is running. */
  get active(): boolean {
    return this.running > 0;
  }

  /** The fault record of `ppu`, or undefined. */
  fault(ppu: number): PPUFaultRecord | undefined {
    return this.cores?.[ppu]?.fault;
  }

  /** The state of `ppu` as the host sees it. */
  state(ppu: number): PPUState {
    const core = this.cores?.[ppu];
    if (core === undefined) return { ppu, state: 'reset', pc: 0, cycle: PPU_CYCLES_PER_FPGA_CYCLE * this.now, retired: 0, fault: undefined };
    return { ppu, state: STATE_NAMES[core.state], pc: core.pc >>> 0, cycle: core.cycle, retired: core.retired, fault: core.fault };
  }

  /** The core of `ppu` (tests and benchmarks: registers, vector unit); made on demand. */
  core(ppu: number): PPUCore {
    return this.coresOrMake()[ppu]!;
  }
}
