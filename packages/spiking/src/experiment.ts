// An experiment holds one network's layers, the edges their calls recorded, and — unless it is a mock — the
// chip session that runs them (hardware.md §11.2: the reference's Experiment).
import type { CalibrationSource } from '@bss2/execution';
import type { Connection } from '@bss2/hxcomm';
import { ExperimentRunError, ModuleMisuseError, SpikingParameterError, describeValue } from './errors.js';
import type { Handle } from './handles.js';
import { HardwareSession } from './hardware.js';
import type { Module } from './module.js';
import type { tf } from '@bss2/tensor';

/** Software-only refinements of the mock model, to make it behave more like a chip. */
export interface MockOptions {
  /** Forward weights on the chip's 6-bit grid (saturating at ±63 LSB; straight-through gradient). */
  readonly quantizeWeights?: boolean;
  /** Standard deviation of Gaussian noise added to every layer's input current per step (model units). */
  readonly currentNoise?: number;
}

export interface ExperimentOptions {
  /** Run in software only (default false: the chip, with the model for the gradients). */
  readonly mock?: boolean;
  /** The time step, biological ms (1 ms ≙ 1 µs on the chip); default 1. */
  readonly dt_ms?: number;
  /** Seed of weight initialisation, dropout masks and mock noise (default 1). */
  readonly seed?: number;
  readonly mockOptions?: MockOptions;
  /** The chip; default the built-in simulated chip (`chip` options), loaded on the first hardware run. */
  readonly connection?: Connection;
  readonly chip?: { readonly seed?: number; readonly analog?: { readonly idealChip?: boolean; readonly temporalNoise?: boolean; readonly analogStep_ns?: number } };
  /** How neurons are calibrated (execution's CalibrationSource); default 'calibrate' for the layers' targets. */
  readonly calibration?: CalibrationSource;
  /** Wait between batch entries for the neurons to rest, µs of chip time (default 5 of the slowest time constants). */
  readonly interEntryWait_us?: number;
  /**
   * Chip weight LSB per model weight unit. Default: measured on the chip before the first hardware run (the
   * PSP of a full-weight synapse against the model's); in mock mode `DEFAULT_WEIGHT_SCALE`.
   */
  readonly weightScale?: number;
}

/**
 * Chip weight LSB per model weight unit assumed in mock mode when none is given: what `measureWeightScale`
 * finds on the nominal simulated chip for leak 80, threshold 125 CADC LSB and τ = 6 µs (57 on the varied chip
 * of seed 1 after calibration). A hardware run measures its own.
 */
export const DEFAULT_WEIGHT_SCALE = 60;

interface Edge {
  readonly module: Module;
  readonly inputs: readonly Handle[];
  readonly output: Handle;
  readonly data: tf.Tensor3D | undefined;
  readonly order: number;
}

let experiments = 0;

export class Experiment {
  /** Distinguishes experiments in one engine: tfjs variable names are global (`exp3/Synapse_0.weight`). */
  readonly id = experiments++;
  readonly mock: boolean;
  readonly dt_ms: number;
  readonly seed: number;
  readonly mockOptions: Required<MockOptions>;
  readonly options: ExperimentOptions;
  readonly #modules: Module[] = [];
  readonly #edges = new Map<Module, Edge>();
  #order = 0;
  #noiseSeed: number;
  #hardware: HardwareSession | undefined;
  #weightScale: number | undefined;
  #closed = false;

  constructor(options: ExperimentOptions = {}) {
    if (options === null || typeof options !== 'object') throw new SpikingParameterError(`Experiment options are an object, got ${describeValue(options)}`, { value: options });
    this.options = options;
    this.mock = options.mock ?? false;
    if (typeof this.mock !== 'boolean') throw new SpikingParameterError(`Experiment: mock is a boolean, got ${describeValue(this.mock)}`, { parameter: 'mock', value: this.mock });
    this.dt_ms = options.dt_ms ?? 1;
    if (!(typeof this.dt_ms === 'number' && Number.isFinite(this.dt_ms) && this.dt_ms > 0)) throw new SpikingParameterError(`Experiment: dt_ms is a time step > 0 in ms, got ${describeValue(this.dt_ms)}`, { parameter: 'dt_ms', value: this.dt_ms });
    this.seed = options.seed ?? 1;
    if (!Number.isSafeInteger(this.seed) || this.seed < 0) throw new SpikingParameterError(`Experiment: seed is a whole number ≥ 0, got ${describeValue(this.seed)}`, { parameter: 'seed', value: this.seed });
    this.#noiseSeed = this.seed;
    const mock = options.mockOptions ?? {};
    this.mockOptions = { quantizeWeights: mock.quantizeWeights ?? false, currentNoise: mock.currentNoise ?? 0 };
    if (!(this.mockOptions.currentNoise >= 0 && Number.isFinite(this.mockOptions.currentNoise))) {
      throw new SpikingParameterError(`Experiment: mockOptions.currentNoise is a standard deviation ≥ 0, got ${describeValue(mock.currentNoise)}`, { parameter: 'mockOptions.currentNoise', value: mock.currentNoise });
    }
    if (options.weightScale !== undefined && !(Number.isFinite(options.weightScale) && options.weightScale > 0)) {
      throw new SpikingParameterError(`Experiment: weightScale is chip LSB per model unit, > 0, got ${describeValue(options.weightScale)}`, { parameter: 'weightScale', value: options.weightScale });
    }
    this.#weightScale = options.weightScale;
  }

  /** The layers in creation order. */
  get modules(): readonly Module[] {
    return this.#modules;
  }

  /** Called by a module's constructor: its unique name. */
  register(module: Module, kind: string): string {
    this.#checkOpen();
    const index = this.#modules.filter((m) => m.name.startsWith(`${kind}_`)).length;
    this.#modules.push(module);
    return `${kind}_${index}`;
  }

  /** Called by a module's call: records (or replaces) its edge. */
  connect(module: Module, inputs: readonly Handle[], output: Handle, data?: tf.Tensor3D): void {
    this.#checkOpen();
    if (module.experiment !== this) throw new ModuleMisuseError(`${module.name} belongs to another experiment`, { module: module.name });
    this.#edges.set(module, { module, inputs, output, data, order: this.#order++ });
  }

  /** The recorded edges in call order (a topological order: a call takes only handles of earlier calls). */
  edges(): Edge[] {
    return [...this.#edges.values()].sort((a, b) => a.order - b.order);
  }

  /** Forget the recorded edges (the layers stay). */
  clear(): void {
    this.#edges.clear();
  }

  seedFor(module: Module): number {
    return (this.seed * 0x9e3779b1 + this.#modules.indexOf(module) * 0x85ebca6b + 1) >>> 0;
  }

  nextNoiseSeed(): number {
    this.#noiseSeed = (Math.imul(this.#noiseSeed ^ (this.#noiseSeed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return this.#noiseSeed;
  }

  /** Chip weight LSB per model weight unit (measured by the first hardware run unless given). */
  get weightScale(): number {
    return this.#weightScale ?? DEFAULT_WEIGHT_SCALE;
  }

  /** Whether the weight scale is known for this chip (given or measured). */
  get weightScaleKnown(): boolean {
    return this.#weightScale !== undefined;
  }

  setWeightScale(scale: number): void {
    if (!(Number.isFinite(scale) && scale > 0)) throw new SpikingParameterError(`weightScale is chip LSB per model unit, > 0, got ${describeValue(scale)}`, { parameter: 'weightScale', value: scale });
    this.#weightScale = scale;
  }

  /** The chip session (created on first use). */
  hardware(): HardwareSession {
    this.#checkOpen();
    if (this.mock) throw new ExperimentRunError('a mock experiment has no chip', { parameter: 'mock', value: true });
    this.#hardware ??= new HardwareSession(this);
    return this.#hardware;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Releases the chip (the reference's release_hardware); the experiment cannot run afterwards. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const m of this.#modules) (m as Partial<{ weight: tf.Variable }>).weight?.dispose();
    await this.#hardware?.close();
  }

  #checkOpen(): void {
    if (this.#closed) throw new ExperimentRunError('the experiment was closed', {});
  }
}

export type { Edge as ExperimentEdge };
