// What setup() takes, and the check that a given calibration fits the network.
import type { CalibrationResult, LIFCalibrationTarget } from '@bss2/calibration';
import type { Connection } from '@bss2/hxcomm';
import { SetupError } from './errors.js';
import type { InjectedConfiguration, InjectedReadout } from './injection.js';
import type { PlacedNeuron } from './neurons.js';

/** Provides a calibration for a target, e.g. a cached one (`calibrateLIFCached` of `@bss2/calibration/node`). */
export type CalibrationProvider = (connection: Connection, target: LIFCalibrationTarget) => Promise<CalibrationResult>;

export interface SetupOptions {
  /** Seed of the built-in simulated chip (default 1); not with `connection`. */
  readonly chipSeed?: number;
  /** A connection to a chip; default: a new in-process simulated chip. pynn closes only what it opened. */
  readonly connection?: Connection;
  /** Built-in chip only: no fixed-pattern variation (default false). */
  readonly idealChip?: boolean;
  /** Built-in chip only: seeded temporal noise (default false). */
  readonly temporalNoise?: boolean;
  /** Built-in chip only: the analog step, ns (default 100). */
  readonly analogStep_ns?: number;
  /**
   * 'calibrate' (default): measure the chip for the model parameters on the first run (and when they change);
   * 'nominal': the §8.3 transfer functions without measuring (exact on an ideal chip); a CalibrationResult made
   * for exactly these parameters; or a provider function (e.g. a disk cache).
   */
  readonly calibration?: 'calibrate' | 'nominal' | CalibrationResult | CalibrationProvider;
  /** Circuits (AtomicNeuronOnDLS enum) placement walks, in order (hardware.md §10.1). */
  readonly neuronPermutation?: readonly number[];
  /** 'auto' (default): SpikeSourcePoisson populations run on background generators where their rate allows. */
  readonly onChipPoisson?: 'auto' | 'never';
  /** Seed of the host generator: random connectors without their own rng, host Poisson trains (default 1). */
  readonly seed?: number;
  /** Commands of your own at fixed points of every run's program (hardware.md §11.1 InjectedConfiguration). */
  readonly injectedConfig?: InjectedConfiguration;
  /** Containers read back before and after each run (InjectedReadout): `getPreRealtimeRead()` / `getPostRealtimeRead()`. */
  readonly injectedReadout?: InjectedReadout;
}

export const SETUP_KEYS = ['chipSeed', 'connection', 'idealChip', 'temporalNoise', 'analogStep_ns', 'calibration', 'neuronPermutation', 'onChipPoisson', 'seed', 'injectedConfig', 'injectedReadout'];

/** A given CalibrationResult must have been made for the placed neurons' parameters. */
export function checkGivenCalibration(result: CalibrationResult, target: LIFCalibrationTarget, placed: readonly PlacedNeuron[]): void {
  const given = result.target as unknown as Record<string, number | readonly number[]>;
  const wanted = target as unknown as Record<string, number | readonly number[]>;
  const at = (v: number | readonly number[], i: number) => (typeof v === 'number' ? v : v[i]!);
  for (const n of placed) {
    if (n.population.cellType.kind !== 'lif') continue;
    for (const key of Object.keys(wanted)) {
      if (key === 'synapseDacBias_lsb') continue;
      const a = at(given[key]!, n.circuit);
      const b = at(wanted[key]!, n.circuit);
      if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(b))) {
        throw new SetupError(
          `the CalibrationResult given to setup() was made for ${key} = ${a} on circuit ${n.circuit}, but population '${n.population.label}' neuron ${n.index} placed there needs ${b}; calibrate for these parameters (calibration: 'calibrate') or change them`,
          { population: n.population.label, parameter: key, value: b },
        );
      }
    }
  }
}

