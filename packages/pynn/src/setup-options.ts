// What setup() takes.
import type { CalibrationResult } from '@bss2/calibration';
import { CONFIGURATION_POINTS, READOUT_POINTS, type CalibrationProvider, type InjectedConfiguration, type InjectedReadout } from '@bss2/execution';
import type { Connection } from '@bss2/hxcomm';
import { SetupError } from './errors.js';

export type { CalibrationProvider, InjectedConfiguration, InjectedReadout };

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

export function checkInjectedConfiguration(value: unknown): InjectedConfiguration | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object') throw new SetupError(`setup() injectedConfig must be an object of hooks (${CONFIGURATION_POINTS.join(', ')}), got ${String(value)}`, { parameter: 'injectedConfig', value });
  for (const [key, hook] of Object.entries(value)) {
    if (!(CONFIGURATION_POINTS as readonly string[]).includes(key)) throw new SetupError(`setup() injectedConfig has no point '${key}'; points: ${CONFIGURATION_POINTS.join(', ')}`, { parameter: `injectedConfig.${key}`, value: hook });
    if (typeof hook !== 'function') throw new SetupError(`setup() injectedConfig.${key} must be a function (builder) => void, got ${typeof hook}`, { parameter: `injectedConfig.${key}`, value: hook });
  }
  return value as InjectedConfiguration;
}

export function checkInjectedReadout(value: unknown): InjectedReadout | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object') throw new SetupError(`setup() injectedReadout must be an object with preRealtime / postRealtime lists, got ${String(value)}`, { parameter: 'injectedReadout', value });
  for (const [key, list] of Object.entries(value)) {
    if (!(READOUT_POINTS as readonly string[]).includes(key)) throw new SetupError(`setup() injectedReadout has no point '${key}'; points: ${READOUT_POINTS.join(', ')}`, { parameter: `injectedReadout.${key}`, value: list });
    if (!Array.isArray(list) || list.some((entry) => !Array.isArray(entry) || entry.length !== 2 || typeof entry[1] !== 'function')) {
      throw new SetupError(`setup() injectedReadout.${key} must be a list of [coordinate, ContainerType] pairs`, { parameter: `injectedReadout.${key}`, value: list });
    }
  }
  return value as InjectedReadout;
}

/** Reads `entries` into `builder`; the returned function gives the containers once the program ran. */

/** What the simulator takes from checked options. */
export interface CheckedSetup {
  readonly seed: number;
  readonly onChipPoisson: 'auto' | 'never';
  readonly chip: { readonly seed: number; readonly analog: { idealChip?: boolean; temporalNoise?: boolean; analogStep_ns?: number } };
}

/** Checks setup() options: unknown keys and bad values are SetupErrors naming the option. */
export function checkSetupOptions(options: SetupOptions): CheckedSetup {
  if (options === null || typeof options !== 'object') throw new SetupError(`setup() takes an options object, got ${String(options)}`, { value: options });
  for (const key of Object.keys(options)) {
    if (!SETUP_KEYS.includes(key)) throw new SetupError(`setup() has no option '${key}'; options: ${SETUP_KEYS.join(', ')}`, { parameter: key, value: (options as Record<string, unknown>)[key] });
  }
  const builtIn = ['chipSeed', 'idealChip', 'temporalNoise', 'analogStep_ns'].filter((k) => (options as Record<string, unknown>)[k] !== undefined);
  if (options.connection !== undefined && builtIn.length > 0) {
    throw new SetupError(`setup(): ${builtIn.join(', ')} configure the built-in simulated chip and cannot be combined with a connection`, { parameter: builtIn[0] });
  }
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new SetupError(`setup() seed must be an integer, got ${String(seed)}`, { parameter: 'seed', value: seed });
  const calibration = options.calibration ?? 'calibrate';
  if (calibration !== 'calibrate' && calibration !== 'nominal' && typeof calibration !== 'function' && !(typeof calibration === 'object' && 'neurons' in calibration && 'target' in calibration)) {
    throw new SetupError(`setup() calibration must be 'calibrate', 'nominal', a CalibrationResult or a provider function, got ${String(calibration)}`, { parameter: 'calibration', value: calibration });
  }
  if (options.onChipPoisson !== undefined && options.onChipPoisson !== 'auto' && options.onChipPoisson !== 'never') {
    throw new SetupError(`setup() onChipPoisson must be 'auto' or 'never', got ${String(options.onChipPoisson)}`, { parameter: 'onChipPoisson', value: options.onChipPoisson });
  }
  checkInjectedConfiguration(options.injectedConfig);
  checkInjectedReadout(options.injectedReadout);
  const chipSeed = options.chipSeed ?? 1;
  if (!Number.isSafeInteger(chipSeed) || chipSeed < 0 || chipSeed > 0xffffffff) throw new SetupError(`setup() chipSeed must be an integer in 0..2^32 − 1, got ${String(chipSeed)}`, { parameter: 'chipSeed', value: chipSeed });
  const analog = {
    ...(options.idealChip === undefined ? {} : { idealChip: options.idealChip }),
    ...(options.temporalNoise === undefined ? {} : { temporalNoise: options.temporalNoise }),
    ...(options.analogStep_ns === undefined ? {} : { analogStep_ns: options.analogStep_ns }),
  };
  return { seed, onChipPoisson: options.onChipPoisson ?? 'auto', chip: { seed: chipSeed, analog } };
}
