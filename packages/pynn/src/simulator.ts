// The state behind PyNN's module-level API: the network, the chip connection, the recorded data. A front end over
// @bss2/execution: `run` translates the network into the execution graph and the results into neo-like data.
import type { CalibrationResult } from '@bss2/calibration';
import { CalibrationMismatchError, ExecutionError, Executor, GraphError, MAX_RUN_CYCLES, RecordingPlanError, RunRequestError, SETTLE_CYCLES } from '@bss2/execution';
import type { Connection } from '@bss2/hxcomm';
import type { Container } from '@bss2/lola';
import type { PlacedConnection, RoutingResult, RoutingStatistics } from '@bss2/routing';
import type { PlaybackProgram } from '@bss2/stadls';
import { BuiltInChip } from './built-in-chip.js';
import { DataStore } from './data.js';
import { ConnectionError, NotSetUpError, ParameterError, RecordingError, RunError, SetupError } from './errors.js';
import { type BuiltGraph, GraphTranslation } from './graph.js';
import type { Population } from './populations.js';
import type { Projection } from './projection.js';
import { NumpyRNG } from './random.js';
import { storeResults } from './results.js';
import { type SetupOptions, checkSetupOptions } from './setup-options.js';
import { chipMicrosecondsToMs, cyclesToMs, msToChipMicroseconds, msToCycles } from './units.js';

/** What one run() did, for statistics. */
interface RunRecord {
  readonly duration_ms: number;
  readonly instructions: number;
  readonly inputSpikes: number;
  readonly recordedSpikes: number;
  readonly madcSamples: number;
  readonly settled: boolean;
  readonly wall_ms: { readonly route: number; readonly calibrate: number; readonly build: number; readonly execute: number };
}

export interface BackendStatistics {
  readonly routing: RoutingStatistics | undefined;
  readonly calibration: { readonly mode: string; readonly runs: number; readonly duration_s: number };
  readonly runs: readonly RunRecord[];
  readonly onChipPoisson: readonly string[];
}

const now = (): number => (globalThis as { performance?: { now(): number } }).performance?.now() ?? Date.now();

export class Simulator {
  readonly connection: Connection;
  readonly #ownsConnection: boolean;
  readonly options: SetupOptions;
  readonly rng: NumpyRNG;
  readonly data = new DataStore();
  readonly populations: Population[] = [];
  readonly projections: Projection[] = [];
  readonly #executor: Executor;
  readonly #translation: GraphTranslation;
  readonly #runs: RunRecord[] = [];
  #alive = true;
  #nextId = 0;
  #built: BuiltGraph | undefined;
  #reads: { pre: ReadonlyMap<string, Container>; post: ReadonlyMap<string, Container> } = { pre: new Map(), post: new Map() };

  constructor(options: SetupOptions = {}) {
    const checked = checkSetupOptions(options);
    this.options = options;
    this.rng = new NumpyRNG({ seed: checked.seed });
    this.#translation = new GraphTranslation(checked.seed, checked.onChipPoisson);
    this.#ownsConnection = options.connection === undefined;
    this.connection = options.connection ?? new BuiltInChip(checked.chip);
    this.#executor = new Executor({
      connection: this.connection,
      calibration: options.calibration ?? 'calibrate',
      routing: options.neuronPermutation === undefined ? {} : { neuronPermutation: options.neuronPermutation },
      ...(options.injectedConfig === undefined ? {} : { injectedConfig: options.injectedConfig }),
      ...(options.injectedReadout === undefined ? {} : { injectedReadout: options.injectedReadout }),
    });
  }

  checkAlive(what: string): this {
    if (!this.#alive) throw new NotSetUpError(what);
    return this;
  }

  get populationCount(): number {
    return this.populations.length;
  }

  get projectionCount(): number {
    return this.projections.length;
  }

  allocateIds(count: number): number {
    const first = this.#nextId;
    this.#nextId += count;
    return first;
  }

  addPopulation(p: Population): void {
    if (this.populations.some((q) => q.label === p.label)) {
      throw new SetupError(`a population labelled '${p.label}' exists already; labels name populations in routing and results, so they must be unique`, { population: p.label });
    }
    this.populations.push(p);
  }

  addProjection(p: Projection): void {
    if (this.projections.some((q) => q.label === p.label)) {
      throw new ConnectionError(`a projection labelled '${p.label}' exists already; labels must be unique`, { projection: p.label });
    }
    this.projections.push(p);
  }

  get time_ms(): number {
    return chipMicrosecondsToMs(this.#executor.time_us);
  }

  get segment(): number {
    return this.#executor.segment;
  }

  /** The current routing result (after prepare() or run()). */
  get routing(): RoutingResult | undefined {
    return this.#executor.routing;
  }

  /** The containers of `injectedReadout.preRealtime` as the last run read them, by coordinate (its `toString()`). */
  get preRealtimeRead(): ReadonlyMap<string, Container> {
    return this.#reads.pre;
  }

  /** The containers of `injectedReadout.postRealtime` as the last run read them. */
  get postRealtimeRead(): ReadonlyMap<string, Container> {
    return this.#reads.post;
  }

  /** The playback program of the last run (configuration, inputs, recording), with its results. */
  get lastProgram(): PlaybackProgram | undefined {
    return this.#executor.lastProgram;
  }

  /** The calibration written to the chip (after prepare() or run()). */
  get calibration(): CalibrationResult | undefined {
    return this.#executor.calibration;
  }

  /** The synapses realising each connection of `projection`, in its connection order (after prepare() or run()). */
  placedConnections(projection: Projection): PlacedConnection[] {
    if (this.#executor.routing === undefined) {
      throw new ConnectionError(`projection '${projection.label}' is not routed yet: call pynn.prepare() or pynn.run() first`, { projection: projection.label });
    }
    const built = this.#translate(() => this.#translation.build(this.populations, this.projections));
    const routing = this.#translate(() => this.#executor.route({ ...built, recording: built.recording.request }));
    const out = new Array<PlacedConnection>(projection.size());
    for (const part of built.parts) {
      if (part.projection !== projection) continue;
      const placed = routing.placedConnections(part.name);
      for (let r = 0; r < part.connections.length; r++) for (const k of part.sourcesOf(r)) out[k] = placed[r]!;
    }
    return out;
  }

  statistics(): BackendStatistics {
    const mode = this.options.calibration;
    return {
      routing: this.#executor.routing?.statistics,
      calibration: { mode: typeof mode === 'string' ? mode : mode === undefined ? 'calibrate' : typeof mode === 'function' ? 'provider' : 'given', ...this.#executor.calibrationStatistics },
      runs: [...this.#runs],
      onChipPoisson: this.#built === undefined ? [] : [...this.#built.how].filter(([, r]) => r.kind === 'background').map(([p]) => p.label),
    };
  }

  reset(): void {
    this.checkAlive('reset()');
    this.#executor.reset();
    this.data.newSegment();
  }

  async end(): Promise<void> {
    if (!this.#alive) return;
    this.#alive = false;
    this.#executor.close();
    if (this.#ownsConnection) await this.connection.close();
  }

  /** Places, routes, calibrates and writes the configuration without running (the reference's PREPARE). */
  async prepare(): Promise<void> {
    this.checkAlive('prepare()');
    await this.#execute(0);
  }

  async run(duration_ms: number): Promise<number> {
    this.checkAlive('run()');
    if (typeof duration_ms !== 'number' || !Number.isFinite(duration_ms) || duration_ms < 0) {
      throw new RunError(`run() takes a duration ≥ 0 ms, got ${String(duration_ms)}`, { value: duration_ms });
    }
    if (msToCycles(duration_ms) + SETTLE_CYCLES > MAX_RUN_CYCLES) {
      throw new RunError(`run(${duration_ms}) exceeds one program's 32-bit timer: at most ${Math.floor(cyclesToMs(MAX_RUN_CYCLES - SETTLE_CYCLES))} ms per run`, { value: duration_ms });
    }
    if (this.populations.length === 0) throw new RunError('run() with no populations: create a Population first');
    await this.#execute(duration_ms);
    return this.time_ms;
  }

  async #execute(duration_ms: number): Promise<void> {
    const started = now();
    const built = this.#translate(() => this.#translation.build(this.populations, this.projections));
    this.#built = built;
    const inputs = this.#translation.inputs(built.how);
    const translated = now() - started;
    if (this.connection instanceof BuiltInChip) await this.#translateAsync(() => (this.connection as BuiltInChip).chip());
    const report = await this.#translateAsync(() => this.#executor.run({ ...built, recording: built.recording.request }, { duration_us: msToChipMicroseconds(duration_ms), inputs }));
    this.#reads = { pre: report.preRealtime, post: report.postRealtime };
    const stored = storeResults(this.data, this.populations, built.recording, report);
    this.#runs.push({
      duration_ms,
      instructions: report.program.instructionCount,
      inputSpikes: report.inputCount,
      recordedSpikes: stored.spikes,
      madcSamples: stored.samples,
      settled: report.settled,
      wall_ms: { route: translated + report.wall_ms.route, calibrate: report.wall_ms.calibrate, build: report.wall_ms.build, execute: report.wall_ms.execute + report.wall_ms.decode },
    });
  }

  /** Errors of the execution layer as PyNN's: the same message, population and value. */
  #translate<T>(f: () => T): T {
    try {
      return f();
    } catch (error) {
      throw pynnError(error);
    }
  }

  async #translateAsync<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (error) {
      throw pynnError(error);
    }
  }
}

function pynnError(error: unknown): unknown {
  if (!(error instanceof ExecutionError)) return error;
  const details = { population: error.population, parameter: error.parameter, value: error.value, limit: error.limit };
  if (error instanceof RecordingPlanError) return new RecordingError(error.message, details);
  if (error instanceof CalibrationMismatchError) return new SetupError(error.message.replace('the CalibrationResult given', 'the CalibrationResult given to setup()'), details);
  if (error instanceof RunRequestError) return new RunError(error.message, details);
  if (error instanceof GraphError) return new ParameterError(error.message, details);
  return error;
}
