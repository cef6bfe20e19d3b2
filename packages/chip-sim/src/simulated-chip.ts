import { DecodeError, type DeviceIdentity, InstructionStream, PROTOCOL_VERSION } from '@bss2/fisch';
import type { OmnibusContainerName } from '@bss2/halco';
import { writeRaw } from '@bss2/lola';
import type { ChipModel, ChipModelContext, ChipModelFactory } from './chip-model.js';
import { fieldsOf, leafContainer, slicesOf } from './container-words.js';
import { ChipSimArgumentError, InstructionStreamRejectedError } from './errors.js';
import { type ExecutionCounters, Executor } from './executor.js';
import { SIMULATOR_VERSION } from './identity.js';
import type { PPUFaultRecord } from './ppu/fault.js';
import { memoryMap } from './memory-map.js';
import { type AnalogChipModelOptions, analogChipModel } from './model/analog-chip-model.js';
import { chipSeedSchema } from './options.js';
import { type AccessCounters, RegisterFile } from './register-file.js';
import { StateDigest } from './state-digest.js';

const UINT32_MAX = 0xffff_ffff;

export interface SimulatedChipOptions {
  /** The chip's identity, an integer 0..2^32 − 1; seeds its fixed-pattern variation (architecture.md). */
  seed: number;
  /**
   * Power-on value of InstructionTimeoutConfig in FPGA cycles (0..2^32 − 1); default: lola's reset value,
   * 1 250 000 cycles = 10 ms (hardware.md §3.10).
   */
  instructionTimeout?: number;
  /**
   * Builds the analog/event model; default: the analog chip model (`AnalogChipModel`) with `analog`. Pass
   * `() => new DigitalOnlyModel()` for the digital core alone.
   */
  model?: ChipModelFactory;
  /** Options of the default analog chip model (step, ideal chip, temporal noise); not with `model`. */
  analog?: AnalogChipModelOptions;
}

/** Everything the chip ignored or gave up on, counted since power-on. */
export type ChipCounters = AccessCounters & ExecutionCounters;

/**
 * The simulated BrainScaleS-2 chip with its FPGA, device side (design "chip-sim digital core"): it executes
 * fisch instruction streams cycle by cycle and answers with fisch response streams. Deterministic: the same
 * instructions on a chip in the same state give bit-identical responses and state.
 */
export class SimulatedChip {
  /**
   * What the chip reports in a connection's handshake; the connection adds its `kind`. The response latency is
   * its model's (`ChipModel.responseLatency_cycles`: ⌈analog step / 8 ns⌉ + 1 for the analog model).
   */
  readonly identity: Omit<DeviceIdentity, 'kind'>;
  private readonly registers: RegisterFile;
  private readonly executor: Executor;
  private readonly stream = new InstructionStream();
  private readonly modelFactory: ChipModelFactory;
  private readonly context: ChipModelContext;
  private readonly instructionTimeout: number | undefined;
  private currentModel: ChipModel;

  constructor(options: SimulatedChipOptions) {
    const given: unknown = options;
    if (given === null || typeof given !== 'object') {
      throw new ChipSimArgumentError('options', given, 'an object { seed, instructionTimeout?, model? }');
    }
    const { seed, instructionTimeout, model, analog } = options;
    const seedCheck = chipSeedSchema.safeParse(seed);
    if (!seedCheck.success) throw new ChipSimArgumentError('seed', seed, seedCheck.error.issues[0]!.message);
    if (instructionTimeout !== undefined && !(Number.isInteger(instructionTimeout) && instructionTimeout >= 0 && instructionTimeout <= UINT32_MAX)) {
      throw new ChipSimArgumentError('instructionTimeout', instructionTimeout, `an integer number of FPGA cycles in 0..${UINT32_MAX}`);
    }
    if (model !== undefined && typeof model !== 'function') {
      throw new ChipSimArgumentError('model', model, 'a function (context) => ChipModel');
    }
    if (model !== undefined && analog !== undefined) {
      throw new ChipSimArgumentError('analog', analog, 'no analog options together with a model factory (they configure the default model)');
    }
    const defaultModel = model === undefined ? analogChipModel(analog) : undefined;
    this.instructionTimeout = instructionTimeout;
    const map = memoryMap();
    this.registers = new RegisterFile(map);
    this.executor = new Executor(this.registers);
    const registers = this.registers;
    this.context = Object.freeze({
      seed,
      map,
      registers,
      modelOwned(name: OmnibusContainerName): Uint32Array {
        if (map.container(name).writable) {
          throw new ChipSimArgumentError('modelOwned(name)', name, 'a read-only unit (its content comes from the chip model)');
        }
        return registers.containerWords(name);
      },
    });
    this.modelFactory = model ?? defaultModel!;
    this.currentModel = this.powerOn();
    const latency = this.currentModel.responseLatency_cycles;
    if (!(Number.isInteger(latency) && latency >= 0 && latency <= UINT32_MAX)) {
      throw new ChipSimArgumentError('model().responseLatency_cycles', latency, `an integer number of FPGA cycles in 0..${UINT32_MAX}`);
    }
    this.identity = Object.freeze({ chipSeed: seed, simulatorVersion: SIMULATOR_VERSION, protocolVersion: PROTOCOL_VERSION, responseLatency_cycles: latency });
  }

  /**
   * Executes a complete instruction stream (64-bit big-endian fisch words, hardware.md §5.2, §6.1) and
   * returns the complete response stream: a Systime response, then the responses of the instructions and
   * the recorded events in time order, up to and including the echo of the first Loopback(halt).
   * The stream is decoded completely first: an invalid one throws `InstructionStreamRejectedError` and
   * nothing is executed.
   */
  execute(instructions: Uint8Array): Uint8Array {
    if (!(instructions instanceof Uint8Array)) {
      throw new ChipSimArgumentError('instructions', instructions, 'a Uint8Array of 64-bit big-endian instruction words');
    }
    const stream = this.stream;
    stream.clear();
    try {
      stream.appendBytes(instructions);
    } catch (error) {
      if (error instanceof DecodeError) throw new InstructionStreamRejectedError(error);
      throw error;
    }
    return this.executor.run(stream, this.currentModel);
  }

  /** Power-on: every unit at its lola reset value, time 0, counters 0, a fresh chip model. */
  reset(): void {
    this.currentModel = this.powerOn();
  }

  private powerOn(): ChipModel {
    this.registers.resetAll();
    this.executor.powerOn();
    if (this.instructionTimeout !== undefined) {
      const name = 'InstructionTimeoutConfig';
      const { offset, wordCount } = this.registers.map.container(name);
      writeRaw(this.registers.words.subarray(offset, offset + wordCount), slicesOf(fieldsOf(leafContainer(name)).value!), this.instructionTimeout);
    }
    const model = this.modelFactory(this.context);
    this.executor.attachModel(model);
    return model;
  }

  /** The chip model in use (replaced at every `reset()`). */
  get model(): ChipModel {
    return this.currentModel;
  }

  /** Current FPGA systime in cycles (43 bit, hardware.md §1.1); keeps running across programs. */
  get systime(): number {
    return this.executor.systime;
  }

  /** FPGA cycles executed since power-on (never jumps, unlike systime). */
  get cycle(): number {
    return this.executor.cycle;
  }

  /** Reads the word at omnibus `address` now, with the rules of an omnibus read (counted like one). */
  readWord(address: number): number {
    checkWord('address', address);
    return this.executor.read(address);
  }

  /** Writes `value` to omnibus `address` now, all bytes enabled, with the rules of an omnibus write. */
  writeWord(address: number, value: number): void {
    checkWord('address', address);
    checkWord('value', value);
    this.executor.write(address, value);
  }

  /**
   * The fault that stopped plasticity processor `ppu` (0 top, 1 bottom; hardware.md §7), or undefined when it did
   * not fault (or the model has no PPUs). `PPUFault.from(record)` turns it into the typed error.
   */
  ppuFault(ppu: number): PPUFaultRecord | undefined {
    if (!(ppu === 0 || ppu === 1)) throw new ChipSimArgumentError('ppu', ppu, 'a PPUOnDLS: 0 (top) or 1 (bottom)');
    return this.currentModel.ppuFault?.(ppu);
  }

  counters(): ChipCounters {
    return { ...this.registers.counters, ...this.executor.counters };
  }

  /** A digest of the complete chip state (registers, synapses, memories, time, JTAG, counters). */
  stateDigest(): string {
    const digest = new StateDigest().words(this.registers.words);
    for (const field of this.registers.synapses.fields) digest.bytes(field);
    for (const store of this.registers.sparseStores()) {
      for (const [index, page] of store.allocatedPages()) digest.numbers([index]).words(page);
    }
    const counters = this.counters();
    return digest
      .numbers(this.executor.snapshot())
      .numbers(this.executor.jtag.snapshot())
      .numbers(Object.values(counters))
      .hex();
  }
}

function checkWord(name: string, value: number): void {
  if (!(Number.isInteger(value) && value >= 0 && value <= UINT32_MAX)) {
    throw new ChipSimArgumentError(name, value, `an integer in 0..${UINT32_MAX}`);
  }
}
