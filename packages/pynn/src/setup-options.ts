// What setup() takes, as one zod schema: its type, its checks and an experiment file's `setup` (the JSON-able
// part, experiment/schema.ts) all come from it. The built-in chip's options are chip-sim's own schemas, so setup()
// refuses at once what the simulator would refuse when it is loaded (lazily, on the first run).
import { CalibrationResult } from '@bss2/calibration';
import { type AnalogOptions, DEFAULT_CHIP_SEED, analogOptionsSchema, chipSeedSchema } from '@bss2/chip-sim/options';
import { CONFIGURATION_POINTS, READOUT_POINTS, type CalibrationProvider, type InjectedConfiguration, type InjectedReadout } from '@bss2/execution';
import type { Connection } from '@bss2/hxcomm';
import * as z from 'zod';
import { SetupError } from './errors.js';
import { formatPath } from './experiment/issues.js';
import type { HxBase } from './hx-neurons.js';

export type { CalibrationProvider, InjectedConfiguration, InjectedReadout };

/** Seed of the host generator when none is given. */
const DEFAULT_SEED = 1;
const CIRCUIT_RULE = 'a neuron circuit (AtomicNeuronOnDLS enum value), an integer ≥ 0';

/**
 * A strict object: its messages are rules ("an options object") for a wrong type, and for an unknown key
 * `<owner>has no <noun> 'key'; <noun>s: …` naming the keys it allows.
 */
function strict<Shape extends z.ZodRawShape>(shape: Shape, owner: string, noun: string, rule: string) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `${owner}has no ${noun} '${issue.keys[0]}'; ${noun}s: ${allowed}` : issue.code === 'invalid_type' ? rule : undefined),
  });
}

/** The options an experiment file's `setup` holds too: JSON values only. */
export const setupFileShape = {
  chipSeed: chipSeedSchema.optional().meta({ description: `seed of the built-in simulated chip (default ${DEFAULT_CHIP_SEED}); not with a connection` }),
  ...analogOptionsSchema.shape,
  calibration: z.enum(['calibrate', 'nominal'], { error: "'calibrate' or 'nominal'" }).optional().meta({
    description: "'calibrate' (default): measure the chip for the model parameters on the first run (and when they change); 'nominal': the §8.3 transfer functions without measuring (exact on an ideal chip)",
  }),
  neuronPermutation: z
    .array(z.int({ error: CIRCUIT_RULE }).min(0, { error: CIRCUIT_RULE }), { error: 'a list of neuron circuits' })
    .optional()
    .meta({ description: 'circuits (AtomicNeuronOnDLS enum) placement walks, in order (hardware.md §10.1)' }),
  onChipPoisson: z.enum(['auto', 'never'], { error: "'auto' or 'never'" }).optional().meta({ description: "'auto' (default): SpikeSourcePoisson populations run on background generators where their rate allows" }),
  seed: z.int({ error: 'an integer' }).optional().meta({ description: `host random seed: random connectors without their own rng, host Poisson trains (default ${DEFAULT_SEED})` }),
  enableNeuronBypass: z.boolean({ error: 'a boolean' }).optional().meta({
    description:
      "the reference's enable_neuron_bypass: HXNeuron and multi-compartment circuits start with threshold off and both synaptic inputs bypassed (each input event is re-emitted as a spike), over the calibration with initialConfig; model cell types (IF_*, EIF_*) are refused",
  }),
  initialConfig: z.enum(['calibration'], { error: "'calibration'" }).optional().meta({
    description:
      "the reference's initial_config = a calibration: HXNeuron and multi-compartment circuits start from the chip's calibration (the spiking preset, measured as `calibration` says) and the values given override it; default: the AtomicNeuron's defaults",
  }),
};

/** The options of the built-in simulated chip: chip-sim's, refused together with a connection. */
const ANALOG_OPTIONS = analogOptionsSchema.keyof().options;
export const BUILT_IN_CHIP_OPTIONS = ['chipSeed', ...ANALOG_OPTIONS] as const;

type Hook = NonNullable<InjectedConfiguration[keyof InjectedConfiguration]>;
type ReadoutList = NonNullable<InjectedReadout[keyof InjectedReadout]>;

/** One optional `item` per injection point. */
function pointShape<const Points extends readonly string[], Item extends z.ZodType>(points: Points, item: Item) {
  return Object.fromEntries(points.map((point) => [point, item.optional()])) as { [Point in Points[number]]: z.ZodOptional<Item> };
}

const hook = z.custom<Hook>((value) => typeof value === 'function', { error: 'a function (builder) => void' });
const readoutList = z.custom<ReadoutList>(
  (value) => Array.isArray(value) && value.every((entry) => Array.isArray(entry) && entry.length === 2 && typeof entry[1] === 'function'),
  { error: 'a list of [coordinate, ContainerType] pairs' },
);
const connection = z.custom<Connection>((value) => {
  const given = value as Partial<Connection> | null;
  return typeof given === 'object' && given !== null && typeof given.execute === 'function' && typeof given.close === 'function' && 'identity' in given;
}, { error: 'a Connection (execute, close, identity)' });

const { chipSeed, ...fileOptions } = setupFileShape;

/** Everything setup() takes; the key order is the order its unknown-key message lists them in. */
export const setupOptionsSchema = strict(
  {
    chipSeed,
    connection: connection.optional().meta({ description: 'a connection to a chip; default: a new in-process simulated chip. pynn closes only what it opened' }),
    ...fileOptions,
    calibration: z
      .union([fileOptions.calibration.unwrap(), z.instanceof(CalibrationResult), z.custom<CalibrationProvider>((value) => typeof value === 'function')], {
        error: "'calibrate', 'nominal', a CalibrationResult or a provider function (connection, target) => Promise<CalibrationResult>",
      })
      .optional()
      .meta({ description: `${fileOptions.calibration.description}; a CalibrationResult made for exactly these parameters; or a provider function (e.g. a disk cache)` }),
    injectedConfig: strict(pointShape(CONFIGURATION_POINTS, hook), 'injectedConfig ', 'point', `an object of hooks (${CONFIGURATION_POINTS.join(', ')})`)
      .optional()
      .meta({ description: 'commands of your own at fixed points of every run’s program (hardware.md §11.1 InjectedConfiguration)' }),
    injectedReadout: strict(pointShape(READOUT_POINTS, readoutList), 'injectedReadout ', 'point', `an object of [coordinate, ContainerType] lists (${READOUT_POINTS.join(', ')})`)
      .optional()
      .meta({ description: 'containers read back before and after each run (InjectedReadout): getPreRealtimeRead() / getPostRealtimeRead()' }),
    onWarning: z
      .custom<WarningHandler>((value) => typeof value === 'function', { error: 'a function (warning) => void' })
      .optional()
      .meta({ description: 'receives pynn’s warnings (PyNNWarning: code, message, value); default: console.warn where there is one' }),
  },
  '',
  'option',
  'an options object',
);

/** What setup() takes (the schema's input; the `description` of each option is in setupOptionsSchema). */
export type SetupOptions = Readonly<z.input<typeof setupOptionsSchema>>;

/** A warning of pynn: what it is about (`code`), the message, the value that caused it. */
export interface PyNNWarning {
  /** `short-run`: a run shorter than 1 ms (biological), maybe a hardware-time value from a ported script. */
  readonly code: 'short-run';
  readonly message: string;
  readonly value: unknown;
}

export type WarningHandler = (warning: PyNNWarning) => void;

function defaultWarningHandler(warning: PyNNWarning): void {
  (globalThis as { console?: { warn(message: string): void } }).console?.warn(warning.message);
}

/** What the simulator takes from checked options. */
export interface CheckedSetup {
  readonly seed: number;
  readonly onChipPoisson: 'auto' | 'never';
  /** Where HXNeuron and multi-compartment circuits start from. */
  readonly hxBase: HxBase;
  readonly onWarning: WarningHandler;
  readonly chip: { readonly seed: number; readonly analog: AnalogOptions };
}

/** A value for a message: short, and never a function's source. */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `[${value.length} ${value.length === 1 ? 'entry' : 'entries'}]`;
  if (typeof value === 'object' && value !== null) return `{ ${Object.keys(value).join(', ')} }`;
  return String(value);
}

/** The issue as a SetupError: the option's path as `parameter` with its value, the rule, and whose rule it is. */
function setupError(issue: z.core.$ZodIssue, options: unknown): SetupError {
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  const at = (keys: readonly PropertyKey[]): unknown => keys.reduce<unknown>((value, key) => (value as Record<PropertyKey, unknown> | undefined)?.[key], options);
  // An option's path ends where a list index begins (`neuronPermutation`, not its entry 3).
  const end = path.findIndex((key) => typeof key !== 'string');
  const optionPath = end === -1 ? path : path.slice(0, end);
  const details = { parameter: optionPath.join('.'), value: at(optionPath) };
  if (issue.code === 'unrecognized_keys') return new SetupError(`setup() ${issue.message}`, details);
  if (path.length === 0) return new SetupError(`setup() takes ${issue.message}, got ${shown(options)}`, { value: options });
  const invalid = `${formatPath(path)} = ${shown(at(path))} is invalid: expected ${issue.message}`;
  const chipOption = (BUILT_IN_CHIP_OPTIONS as readonly PropertyKey[]).includes(path[0]!);
  return new SetupError(chipOption ? `setup(): the simulated chip refused its options: ${invalid}` : `setup() ${invalid}`, details);
}

/** Checks setup() options against the schema: the first unknown key or bad value is a SetupError naming the option. */
export function checkSetupOptions(options: SetupOptions): CheckedSetup {
  const parsed = setupOptionsSchema.safeParse(options);
  if (!parsed.success) throw setupError(parsed.error.issues[0]!, options);
  const given = parsed.data;
  const builtIn = BUILT_IN_CHIP_OPTIONS.filter((key) => given[key] !== undefined);
  if (given.connection !== undefined && builtIn.length > 0) {
    throw new SetupError(`setup(): ${builtIn.join(', ')} configure the built-in simulated chip and cannot be combined with a connection`, { parameter: builtIn[0], value: given[builtIn[0]!] });
  }
  const analog = Object.fromEntries(ANALOG_OPTIONS.flatMap((key) => (given[key] === undefined ? [] : [[key, given[key]]])));
  const hxBase: HxBase = { calibration: given.initialConfig === 'calibration', bypass: given.enableNeuronBypass === true };
  return {
    seed: given.seed ?? DEFAULT_SEED,
    onChipPoisson: given.onChipPoisson ?? 'auto',
    hxBase,
    onWarning: given.onWarning ?? defaultWarningHandler,
    chip: { seed: given.chipSeed ?? DEFAULT_CHIP_SEED, analog },
  };
}
