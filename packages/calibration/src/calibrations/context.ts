import { CommonNeuronBackendConfigOnDLS, TimerOnDLS } from '@bss2/halco';
import { type AtomicNeuron, CommonNeuronBackendConfig, Timer, TimerValue } from '@bss2/lola';
import { PlaybackProgramBuilder } from '@bss2/stadls';
import type { CalibrationOptions, ParameterReport, SharedSettings } from '../calibration-result.js';
import { CadcNeuronReadout } from '../measurement/cadc-readout.js';
import { ChipSession } from '../measurement/chip-session.js';
import { type CapMemOverrides, type NeuronSetup, neuronWords } from '../measurement/neuron-words.js';
import type { NeuronSettings } from '../neuron-settings.js';
import { ExcessiveNoiseError } from '../errors.js';
import { NEURON_COUNT, type ResolvedTarget } from '../targets.js';

/** Largest spread of repeated CADC reads of a membrane at rest (LSB) before the reads count as broken. */
const REST_NOISE_LIMIT_LSB = 12;

/** Progress of a calibration: which step, and how far the whole flow is (0..1). */
export type ProgressListener = (step: string, fraction: number) => void;

/**
 * What every calibration step works on: the chip session, the resolved target and options, the calibrated
 * state so far (per-neuron settings and chip-wide settings, updated in place by each step) and the reports.
 */
export class CalibrationContext {
  readonly reports: ParameterReport[] = [];
  /** Gain of each neuron's CADC channel (CADC LSB per nominal LSB, §8.4), measured by the CADC step. */
  readonly cadcGain = new Float64Array(NEURON_COUNT).fill(1);
  /** Clock scalers measurements use, per half; the final ones come from the refractory step. */
  measurementClocks = { fast: 0, slow: 4 };

  constructor(
    readonly session: ChipSession,
    readonly target: ResolvedTarget,
    readonly options: Required<Pick<CalibrationOptions, 'cadcSamples'>> & CalibrationOptions,
    readonly settings: NeuronSettings,
    readonly shared: SharedSettings,
    readonly progress: ProgressListener = () => {},
  ) {}

  /** A builder for one measurement program. */
  builder(): PlaybackProgramBuilder {
    return new PlaybackProgramBuilder();
  }

  /**
   * Appends the neuron configuration of a measurement (calibrated settings + `setup`) and the CapMem settling
   * wait, then the program body; runs it and returns what the body returned (tickets are valid then).
   *
   * The neurons settle with their threshold comparators off and are switched to the measured configuration
   * only after the wait (a digital write, effective at once), followed by `start_us` of run-in: a spiking
   * neuron keeps the simulated chip busy every analog step, a silent one lets it skip the wait (§3.8 settling
   * costs simulated time only).
   */
  async measure<T>(setup: NeuronSetup, body: (builder: PlaybackProgramBuilder) => T, start_us = 20): Promise<T> {
    const builder = this.builder();
    const words = neuronWords(this.settings, withMeasurementDefaults(setup), this.options.adex);
    const quiet = neuronWords(this.settings, withMeasurementDefaults(setup, true), this.options.adex);
    this.session.writeNeurons(builder, quiet);
    this.session.settle(builder);
    if (words.some((w, i) => w.some((word, k) => word !== quiet[i]![k]))) {
      this.session.writeNeurons(builder, words);
      ChipSession.wait(builder, start_us);
    }
    const result = body(builder);
    await this.session.run(builder);
    return result;
  }

  /**
   * CADC code of every neuron's selected readout over `sweeps` sweeps (default `cadcSamples`), reduced per
   * neuron by mean, min or max.
   */
  async readPotentials(setup: NeuronSetup, reduce: 'mean' | 'min' | 'max' = 'mean', sweeps = this.options.cadcSamples): Promise<Float64Array> {
    const tickets = await this.measure(setup, (b) => Array.from({ length: sweeps }, () => CadcNeuronReadout.sweep(b)));
    if (reduce === 'mean' && sweeps > 1) {
      // A membrane at rest reads the same within the CADC's noise (1 LSB, §8.4); far more means it is not at rest.
      const min = CadcNeuronReadout.reduce(tickets, 'min');
      const spread = Float64Array.from(CadcNeuronReadout.reduce(tickets, 'max'), (max, i) => max - min[i]!);
      const worst = spread.reduce((w, d, i) => (d > spread[w]! ? i : w), 0);
      if (spread[worst]! > REST_NOISE_LIMIT_LSB) {
        throw new ExcessiveNoiseError(`neuron ${worst}: ${sweeps} CADC reads of a membrane at rest span ${spread[worst]} LSB (more than ${REST_NOISE_LIMIT_LSB}); the membrane is not at rest`);
      }
    }
    return CadcNeuronReadout.reduce(tickets, reduce);
  }

  /** Writes the backend clock scalers of both halves (refractory timing of measurements, §3.4). */
  writeClocks(builder: PlaybackProgramBuilder, fast: number, slow: number): void {
    for (const half of [0, 1]) builder.write(new CommonNeuronBackendConfigOnDLS(half), new CommonNeuronBackendConfig({ clockScaleFast: fast, clockScaleSlow: slow }));
  }
}

/**
 * Every measurement disables the neurons' digital spike output (their spikes would otherwise travel the
 * crossbar to the stimulus drivers, §1.3) and selects the membrane for readout unless it says otherwise.
 */
function withMeasurementDefaults(setup: NeuronSetup, quiet = false): NeuronSetup {
  return {
    digital: (n: AtomicNeuron) => {
      n.eventRouting.enableDigital = false;
      setup.digital?.(n);
      if (quiet) n.threshold.enable = false;
    },
    ...(setup.capMem === undefined ? {} : { capMem: setup.capMem }),
  };
}

/** Overrides with one field replaced by a per-neuron vector (the search variable). */
export function withSetting(capMem: CapMemOverrides | undefined, path: string, values: ArrayLike<number>): CapMemOverrides {
  return { ...(capMem ?? {}), [path]: values };
}

/** Timer reset now; absolute `blockUntil` times are counted from here (FPGA cycles, §5.1). */
export function resetTimer(builder: PlaybackProgramBuilder): void {
  builder.write(new TimerOnDLS(0), new Timer());
}

export function waitUntil(builder: PlaybackProgramBuilder, cycles: number): void {
  builder.blockUntil(new TimerOnDLS(0), new TimerValue(cycles));
}
