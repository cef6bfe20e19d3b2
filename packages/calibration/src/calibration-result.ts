import {
  AtomicNeuronOnDLS,
  CADCChannelConfigOnDLS,
  CADCConfigOnDLS,
  CapMemBlockOnDLS,
  CapMemCellOnCapMemBlock,
  CapMemCellOnDLS,
  CommonNeuronBackendConfigOnDLS,
  TimerOnDLS,
} from '@bss2/halco';
import { type AtomicNeuron, CADCChannelConfig, CADCConfig, CapMemCell, CommonNeuronBackendConfig, Timer, TimerValue, nominal } from '@bss2/lola';
import type { PlaybackProgramBuilder } from '@bss2/stadls';
import { type NeuronSettings, type RawAdExSettings, applyNeuronSettings, lifNeuronBase } from './neuron-settings.js';
import type { LIFCalibrationTarget } from './targets.js';
import { NEURON_COUNT } from './targets.js';
import { CalibrationError } from './errors.js';

/** Who was calibrated: the chip and the simulator that produced the measurements (hardware.md §9.4). */
export interface ChipIdentity {
  readonly chipSeed: number;
  readonly simulatorVersion: string;
  readonly protocolVersion: number;
}

/** Options of a LIF calibration that change its result (part of the cache key). */
export interface CalibrationOptions {
  /** CADC reads averaged per membrane measurement (default 4): the CADC has 1 LSB of temporal noise (§8.4). */
  readonly cadcSamples?: number;
  /** Raw adaptation / exponential settings (not calibrated, §9.1). */
  readonly adex?: RawAdExSettings;
}

/** One calibrated parameter: target, what the uncalibrated chip did, what the calibrated chip does. */
export interface ParameterReport {
  readonly parameter: string;
  readonly unit: string;
  /** Per circuit (512 neurons, or 4 quadrants for the synapse DAC). */
  readonly target: Float64Array;
  /** Measured at the nominal settings (§8.3 transfer functions of an ideal chip): the uncalibrated chip. */
  readonly before: Float64Array;
  /** Measured at the calibrated settings. */
  readonly achieved: Float64Array;
  /** 1 where the search succeeded (hardware.md §9.2). */
  readonly success: Uint8Array;
}

/** Chip-wide settings the calibration decides besides the neurons. */
export interface SharedSettings {
  /** CADCChannelConfig offsets, indexed by CADCChannelConfigOnDLS enum (1024). */
  readonly cadcChannelOffsets: Int32Array;
  /** `syn_i_bias_dac` per quadrant (CapMem block 0..3). */
  readonly synapseDacBias: Int32Array;
  /** CommonNeuronBackendConfig clock scalers per backend half. */
  readonly clockScaleFast: Int32Array;
  readonly clockScaleSlow: Int32Array;
}

export interface CalibrationResultInit {
  readonly target: LIFCalibrationTarget;
  readonly options: CalibrationOptions;
  readonly identity: ChipIdentity;
  readonly softwareVersion: string;
  readonly neurons: NeuronSettings;
  readonly shared: SharedSettings;
  readonly parameters: readonly ParameterReport[];
  /** Wall time the calibration took, s (informative; not part of the key). */
  readonly duration_s: number;
}

export interface ApplyOptions {
  /**
   * Append a wait of 20 ms after the writes (default true): CapMem cells need it to settle before anything
   * is measured (hardware.md §3.8).
   */
  readonly waitForCapMem?: boolean;
  /**
   * The 512 neurons to write instead of `toAtomicNeurons()` (index = AtomicNeuronOnDLS enum): a caller that
   * builds on the calibrated neurons (spike routing, readout, model extras) writes its own versions once.
   */
  readonly neurons?: readonly AtomicNeuron[];
}

/** The software waits this long after CapMem writes (hardware.md §3.8). */
export const CAPMEM_SETTLE_US = nominal.capMemSettle_us;

/**
 * A LIF calibration of one chip (calix `NeuronCalibResult` + `CADCCalibResult`, hardware.md §9.4): per-circuit
 * CapMem and backend settings, chip-wide CADC offsets, synapse DAC biases and refractory clocks, and per
 * parameter the target, the spread before calibration and the values achieved with their success mask.
 * `apply(builder)` writes the whole configuration; serialisation lives in `result-format.ts`.
 */
export class CalibrationResult {
  readonly target: LIFCalibrationTarget;
  readonly options: CalibrationOptions;
  readonly identity: ChipIdentity;
  readonly softwareVersion: string;
  readonly neurons: NeuronSettings;
  readonly shared: SharedSettings;
  readonly parameters: readonly ParameterReport[];
  readonly duration_s: number;

  constructor(init: CalibrationResultInit) {
    this.target = init.target;
    this.options = init.options;
    this.identity = init.identity;
    this.softwareVersion = init.softwareVersion;
    this.neurons = init.neurons;
    this.shared = init.shared;
    this.parameters = init.parameters;
    this.duration_s = init.duration_s;
  }

  /** The report of one parameter (e.g. `tauMembrane_us`). */
  parameter(name: string): ParameterReport | undefined {
    return this.parameters.find((p) => p.parameter === name);
  }

  /** Per neuron: 1 iff every per-neuron parameter succeeded. */
  get success(): Uint8Array {
    const out = new Uint8Array(NEURON_COUNT).fill(1);
    for (const p of this.parameters) {
      if (p.success.length !== NEURON_COUNT) continue;
      for (let i = 0; i < NEURON_COUNT; i++) out[i]! &= p.success[i]!;
    }
    return out;
  }

  /** achieved − target of a parameter. */
  residuals(name: string): Float64Array | undefined {
    const p = this.parameter(name);
    return p === undefined ? undefined : Float64Array.from(p.achieved, (a, i) => a - p.target[i]!);
  }

  /** The 512 calibrated neurons (index = AtomicNeuronOnDLS enum), ready for spiking. */
  toAtomicNeurons(): AtomicNeuron[] {
    // Every neuron starts as the same base: built once, copied per neuron.
    const base = lifNeuronBase(this.options.adex);
    return Array.from({ length: NEURON_COUNT }, (_, i) => applyNeuronSettings(base.clone(), this.neurons, i));
  }

  /**
   * Appends the calibrated configuration to `builder`: CADC enable and channel offsets, backend clocks,
   * synapse DAC biases, every neuron; then (by default) the CapMem settling wait.
   */
  apply(builder: PlaybackProgramBuilder, options: ApplyOptions = {}): PlaybackProgramBuilder {
    for (const hemisphere of [0, 1]) builder.write(new CADCConfigOnDLS(hemisphere), new CADCConfig({ enable: true }));
    const offsets = this.shared.cadcChannelOffsets;
    for (let c = 0; c < offsets.length; c++) builder.write(new CADCChannelConfigOnDLS(c), new CADCChannelConfig({ offset: offsets[c]! }));
    for (const half of [0, 1]) {
      builder.write(
        new CommonNeuronBackendConfigOnDLS(half),
        new CommonNeuronBackendConfig({ clockScaleFast: this.shared.clockScaleFast[half]!, clockScaleSlow: this.shared.clockScaleSlow[half]! }),
      );
    }
    for (let q = 0; q < 4; q++) {
      builder.write(new CapMemCellOnDLS(CapMemCellOnCapMemBlock.synIBiasDac, new CapMemBlockOnDLS(q)), new CapMemCell({ value: this.shared.synapseDacBias[q]! }));
    }
    const neurons = options.neurons ?? this.toAtomicNeurons();
    if (neurons.length !== NEURON_COUNT) throw new CalibrationError(`CalibrationResult.apply: options.neurons must hold ${NEURON_COUNT} neurons (one per AtomicNeuronOnDLS), got ${neurons.length}`);
    for (let i = 0; i < NEURON_COUNT; i++) builder.write(new AtomicNeuronOnDLS(i), neurons[i]!);
    if (options.waitForCapMem ?? true) {
      const timer = new TimerOnDLS(0);
      builder.write(timer, new Timer());
      builder.blockUntil(timer, TimerValue.fromMicroseconds(CAPMEM_SETTLE_US));
    }
    return builder;
  }
}
