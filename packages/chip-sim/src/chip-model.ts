import type { OmnibusContainerName } from '@bss2/halco';
import type { MemoryMap } from './memory-map.js';
import type { PPUFaultRecord } from './ppu/fault.js';
import type { RegisterFile } from './register-file.js';

/**
 * Where a chip model reports what the chip sends to the host (hardware.md §5.3): recorded spikes and MADC
 * samples, each at its chip time. `cycle` is the core's monotonic FPGA cycle count (125 MHz, the `cycle` of
 * every hook); `halfCycle` is the extra 250 MHz tick of the 8-bit event timestamp (§1.1). Report events in
 * time order; the core converts cycles to systime and frames the responses.
 */
export interface EventSink {
  /** A spike with its 16-bit label (hardware.md §2.4) that reached an FPGA link of the crossbar (§1.3). */
  spike(label: number, cycle: number, halfCycle?: 0 | 1): void;
  /** A 10-bit MADC sample of channel 0 or 1. */
  madcSample(value: number, channel: number, cycle: number, halfCycle?: 0 | 1): void;
}

/**
 * The analog and event side of the chip, as the digital core sees it (design, "Hooks"). The core owns the
 * register file and time; a model reads the configuration from the register file, owns the state the
 * analog circuits produce (membranes, correlation, PPU), fills the read-only units that report it
 * (SpikeCounterRead, CADCSampleQuad, the crossbar counters, PPUStatusRegister) and reports events.
 *
 * Call order at every instruction: `advanceTo(t)` with the instruction's cycle `t` (non-decreasing), then
 * `drainEvents`, then the instruction executes — an omnibus read calls `beforeRead` before the word is
 * loaded, an omnibus write calls `onWrite` after it is stored, a
 * SpikePack instruction calls `injectSpikes`, the Reset instruction calls `onReset`. Stalls (WaitUntil,
 * PollingOmnibusBlock) advance the model before the next instruction, in steps while polling.
 */
export interface ChipModel {
  /**
   * True if the model never changes chip state or reports events between hook calls (no dynamics). A
   * PollingOmnibusBlock on a passive model's chip needs no polling steps: a condition that does not hold at
   * once only changes with the running timer, so the core goes straight to the timeout otherwise.
   */
  readonly passive?: boolean;
  /**
   * The model reports every event of cycle c by `advanceTo(c + responseLatency_cycles)` at the latest (a
   * non-negative integer, the same for every model a factory builds); the chip reports it in its identity
   * (`DeviceIdentity.responseLatency_cycles`). At least 1 for a model that reports events, since `advanceTo(c)`
   * stops before cycle c; 0 for one that reports none.
   */
  readonly responseLatency_cycles: number;
  /** Simulate up to (excluding) FPGA cycle `cycle`. */
  advanceTo(cycle: number): void;
  /** A write reached a writable unit at `address` (raw data word as sent); caches of it are stale. */
  onWrite(address: number, value: number): void;
  /**
   * An omnibus read of `address` at `cycle` is about to return the stored word: a model whose read-only units
   * produce their content at read time (a CADC `trigger_read` starts a conversion, hardware.md §3.9) stores it
   * now. Called for every read of a program and for `SimulatedChip.readWord`, not for PollingOmnibusBlock.
   */
  beforeRead?(address: number, cycle: number): void;
  /** The FPGA injects the first `count` labels of `labels` at `cycle` (SpikePack1/2/3, hardware.md §5.2). */
  injectSpikes(labels: ArrayLike<number>, count: number, cycle: number): void;
  /** Report the events produced so far, in time order, and forget them. */
  drainEvents(sink: EventSink): void;
  /** The chip reset line was pulsed at `cycle`: every chip-side unit is back at its reset value. */
  onReset(cycle: number): void;
  /** The fault that stopped plasticity processor `ppu` (hardware.md §7), if the model has PPUs and it faulted. */
  ppuFault?(ppu: number): PPUFaultRecord | undefined;
}

/** What a model gets to work with. */
export interface ChipModelContext {
  /** The chip identity; the seed of every fixed-pattern variation (architecture.md, "The simulated chip"). */
  readonly seed: number;
  readonly map: MemoryMap;
  /**
   * The chip state, to read the configuration from: `registers.containerWords('NeuronConfig')` (unit-major,
   * `(enum − min) · wordCount + word`), `registers.synapses` (the synapse array).
   */
  readonly registers: RegisterFile;
  /**
   * The words of a read-only unit whose content the model produces — SpikeCounterRead, CADCSampleQuad,
   * CrossbarInputDropCounter, CrossbarOutputEventCounter, PPUStatusRegister — unit-major like
   * `containerWords`. Omnibus reads return what the model stores here; the chip reset restores lola defaults.
   */
  modelOwned(name: OmnibusContainerName): Uint32Array;
}

/** Builds the model of a chip; called at construction and at every power-on `reset()`. */
export type ChipModelFactory = (context: ChipModelContext) => ChipModel;
