// The state behind PyNN's module-level API: the network, the chip connection, the recorded data. A front end over
// @bss2/execution: `run` translates the network into the execution graph and the results into neo-like data.
import type { CalibrationResult } from '@bss2/calibration';
import { CalibrationMismatchError, ExecutionError, Executor, GraphError, MAX_RUN_CYCLES, PlasticityKernelError, PlasticityRuleError, RecordingPlanError, type RunReport, RunRequestError, type RunInputs, SETTLE_CYCLES } from '@bss2/execution';
import type { Connection } from '@bss2/hxcomm';
import type { Container } from '@bss2/lola';
import type { PlacedConnection, RoutingResult, RoutingStatistics } from '@bss2/routing';
import type { PlaybackProgram } from '@bss2/stadls';
import { BuiltInChip } from './built-in-chip.js';
import { DataStore } from './data.js';
import type { CellType } from './cells.js';
import { type CurrentSource, cutTimes } from './current-sources.js';
import { ConnectionError, NotSetUpError, NotSupportedError, ParameterError, RecordingError, RunError, SetupError } from './errors.js';
import { type BuiltGraph, GraphTranslation } from './graph.js';
import { BYPASS_DEFAULTS } from './hx-neurons.js';
import type { Population } from './populations.js';
import type { Projection } from './projection.js';
import { PlasticityError } from './plasticity/errors.js';
import { PlasticityPlan } from './plasticity/plan.js';
import { shortTermPlasticity } from './plasticity/stp.js';
import { NumpyRNG } from './random.js';
import { storeResults } from './results.js';
import { type CheckedSetup, type PyNNWarning, type SetupOptions, checkSetupOptions } from './setup-options.js';
import { chipMicrosecondsToMs, cyclesToMs, msToChipMicroseconds, msToCycles } from './units.js';

/**
 * The reference's run commands (`pynn.run(t, RunCommand.APPEND)`): PREPARE places, routes, calibrates and
 * configures; APPEND stages a snippet of `t` ms with the network as it is now (parameters may change before the
 * next); EXECUTE runs the staged snippets, and one more of `t` ms if given (the default: `run(t)`).
 */
export const RunCommand = Object.freeze({ PREPARE: 'prepare', APPEND: 'append', EXECUTE: 'execute' } as const);
export type RunCommand = (typeof RunCommand)[keyof typeof RunCommand];
const RUN_COMMANDS: readonly unknown[] = Object.values(RunCommand);

/** A run below this (ms, biological) is probably a hardware-time value from a ported script (hardware.md §11.1). */
export const SHORT_RUN_MS = 1;

/** A part of a staged snippet: the network as of its start (current sources switched as then) and its inputs. */
interface Piece {
  readonly duration_ms: number;
  readonly built: BuiltGraph;
  readonly inputs: RunInputs;
  /** Host wall time of the translation, ms. */
  readonly translate_ms: number;
}

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
  /** The current sources injected into this simulator's neurons. */
  readonly currentSources: CurrentSource[] = [];
  readonly #executor: Executor;
  readonly #translation: GraphTranslation;
  readonly #checked: CheckedSetup;
  readonly #runs: RunRecord[] = [];
  /** Snippets staged by `run(t, APPEND)`, run by the next EXECUTE. */
  #staged: { readonly duration_ms: number; readonly pieces: readonly Piece[] }[] = [];
  readonly #warned = new Set<PyNNWarning['code']>();
  #alive = true;
  #nextId = 0;
  #built: BuiltGraph | undefined;
  #reads: { pre: ReadonlyMap<string, Container>; post: ReadonlyMap<string, Container> } = { pre: new Map(), post: new Map() };

  constructor(options: SetupOptions = {}) {
    const checked = checkSetupOptions(options);
    this.options = options;
    this.#checked = checked;
    this.rng = new NumpyRNG({ seed: checked.seed });
    this.#translation = new GraphTranslation({ seed: checked.seed, onChipPoisson: checked.onChipPoisson, hxBase: checked.hxBase, neuronPermutation: options.neuronPermutation });
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

  /** Cell types this simulator's setup refuses: model neurons under `enableNeuronBypass`. */
  checkCellType(cellType: CellType, label: string): void {
    if (this.#checked.hxBase.bypass && cellType.kind === 'lif') {
      throw new NotSupportedError(
        `population '${label}': setup({ enableNeuronBypass: true }) makes neurons relay their input events (the reference's default_neuron_bypass); ${cellType.modelName} neurons integrate their input: use HXNeuron (or multi-compartment) populations, or set event_routing_enable_bypass_* on HXNeurons without enableNeuronBypass`,
        { population: label, parameter: 'enableNeuronBypass', value: true },
      );
    }
  }

  /** The values HXNeuron and multi-compartment circuits start from where none is given (`enableNeuronBypass`). */
  chipNeuronDefaults(cellType: CellType): Readonly<Record<string, unknown>> {
    return this.#checked.hxBase.bypass && (cellType.kind === 'hx' || cellType.kind === 'mc') ? BYPASS_DEFAULTS : {};
  }

  addCurrentSource(source: CurrentSource): void {
    if (!this.currentSources.includes(source)) this.currentSources.push(source);
  }

  /** Reports `warning` once per simulator and code (setup's `onWarning`, default console.warn). */
  warn(warning: PyNNWarning): void {
    if (this.#warned.has(warning.code)) return;
    this.#warned.add(warning.code);
    this.#checked.onWarning(warning);
  }

  addProjection(p: Projection): void {
    if (this.projections.some((q) => q.label === p.label)) {
      throw new ConnectionError(`a projection labelled '${p.label}' exists already; labels must be unique`, { projection: p.label });
    }
    this.projections.push(p);
  }

  /** The segment's time, ms: what has run, and the snippets staged by APPEND. */
  get time_ms(): number {
    return chipMicrosecondsToMs(this.#executor.time_us) + this.#staged.reduce((sum, s) => sum + s.duration_ms, 0);
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
    if (this.#staged.length > 0) {
      throw new RunError(`reset() with ${this.#staged.length} snippet(s) staged by run(t, APPEND): run them with run(null, EXECUTE) first`, { value: this.#staged.length });
    }
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
    if (this.populations.length === 0) throw new RunError('prepare() with no populations: create a Population first');
    const started = now();
    const built = this.#build(this.time_ms);
    await this.#runPiece({ duration_ms: 0, built, inputs: this.#translation.inputs(built.how), translate_ms: now() - started });
  }

  /**
   * `run(duration)` runs for `duration` ms; with a command, the reference's PREPARE (no duration), APPEND
   * (stages a snippet) or EXECUTE (runs the staged snippets and `duration` more, if given). Returns the time.
   */
  async run(duration_ms: number | null | undefined, command: RunCommand = RunCommand.EXECUTE): Promise<number> {
    this.checkAlive('run()');
    if (!RUN_COMMANDS.includes(command)) {
      throw new RunError(`run() command must be one of RunCommand.PREPARE, APPEND, EXECUTE ('prepare', 'append', 'execute'), got ${String(command)}`, { parameter: 'command', value: command });
    }
    const given = duration_ms !== null && duration_ms !== undefined;
    if (command === RunCommand.PREPARE) {
      if (given) throw new RunError(`run(${String(duration_ms)}, PREPARE): PREPARE configures without running and takes no duration (null)`, { value: duration_ms });
      await this.prepare();
      return this.time_ms;
    }
    if (given) this.#stage(duration_ms);
    else if (command === RunCommand.APPEND) throw new RunError('run(null, APPEND): a snippet needs a duration in ms (the reference forbids appending a configuration run for no time)', { value: duration_ms });
    else if (this.#staged.length === 0) {
      throw new RunError('run(null, EXECUTE) with nothing staged: stage snippets with run(t, APPEND) first, or run(t); run(null, PREPARE) only configures', { value: duration_ms });
    }
    if (command === RunCommand.EXECUTE) await this.#executeStaged();
    return this.time_ms;
  }

  /** The network as of segment time `time_ms` (current sources switched as then). */
  #build(time_ms: number): BuiltGraph {
    return this.#translate(() => this.#translation.build(this.populations, this.projections, time_ms, this.currentSources));
  }

  /** Stages a snippet of `duration_ms`: the network as it is now, cut where a current source steps. */
  #stage(duration_ms: number): void {
    if (typeof duration_ms !== 'number' || !Number.isFinite(duration_ms) || duration_ms < 0) {
      throw new RunError(`run() takes a duration ≥ 0 ms, got ${String(duration_ms)}`, { value: duration_ms });
    }
    if (msToCycles(duration_ms) + SETTLE_CYCLES > MAX_RUN_CYCLES) {
      throw new RunError(`run(${duration_ms}) exceeds one program's 32-bit timer: at most ${Math.floor(cyclesToMs(MAX_RUN_CYCLES - SETTLE_CYCLES))} ms per run`, { value: duration_ms });
    }
    if (this.populations.length === 0) throw new RunError('run() with no populations: create a Population first');
    if (duration_ms > 0 && duration_ms < SHORT_RUN_MS) {
      this.warn({
        code: 'short-run',
        message: `run(${duration_ms}) runs ${duration_ms} ms of biological time (${duration_ms} µs on the chip). pynn speaks biological ms (1 ms ≙ 1 µs of chip time); the reference's pynn.run takes hardware ms: a script ported from it needs its run times × 1000 (run(0.2) there is run(200) here)`,
        value: duration_ms,
      });
    }
    const start = this.time_ms;
    const bounds = [start, ...cutTimes(this.currentSources, start, start + duration_ms), start + duration_ms];
    const pieces: Piece[] = [];
    for (let k = 0; k + 1 < bounds.length; k++) {
      const started = now();
      const built = this.#build(bounds[k]!);
      pieces.push({ duration_ms: bounds[k + 1]! - bounds[k]!, built, inputs: this.#translation.inputs(built.how), translate_ms: now() - started });
    }
    this.#staged.push({ duration_ms, pieces });
  }

  async #executeStaged(): Promise<void> {
    const staged = this.#staged;
    this.#staged = [];
    for (const snippet of staged) for (const piece of snippet.pieces) await this.#runPiece(piece);
  }

  async #runPiece(piece: Piece): Promise<void> {
    const { built, inputs, duration_ms, translate_ms: translated } = piece;
    this.#built = built;
    if (this.connection instanceof BuiltInChip) await this.#translateAsync(() => (this.connection as BuiltInChip).chip());
    const graph = { ...built, recording: built.recording.request };
    // Plasticity rules need the placement (their kernels get the rows of their projections): routed first.
    const plasticity = new PlasticityPlan(built.parts);
    const stp = shortTermPlasticity(built.parts);
    const withStp = stp === undefined ? graph : { ...graph, shortTermPlasticity: stp };
    const plastic = plasticity.empty ? withStp : { ...withStp, plasticity: this.#translate(() => plasticity.specs(this.#executor.route(graph))) };
    let report: RunReport;
    let failed: PlasticityKernelError | undefined;
    try {
      report = await this.#executor.run(plastic, { duration_us: msToChipMicroseconds(duration_ms), inputs });
    } catch (error) {
      // A failed kernel leaves the run's results valid: they are stored, then the failure is thrown.
      if (!(error instanceof PlasticityKernelError)) throw pynnError(error);
      failed = error;
      report = error.result as RunReport;
    }
    plasticity.store(report.plasticity);
    this.#reads = { pre: report.preRealtime, post: report.postRealtime };
    const stored = storeResults(this.data, this.populations, built.recording, report, built.sites);
    this.#runs.push({
      duration_ms,
      instructions: report.program.instructionCount,
      inputSpikes: report.inputCount,
      recordedSpikes: stored.spikes,
      madcSamples: stored.samples,
      settled: report.settled,
      wall_ms: { route: translated + report.wall_ms.route, calibrate: report.wall_ms.calibrate, build: report.wall_ms.build, execute: report.wall_ms.execute + report.wall_ms.decode },
    });
    if (failed !== undefined) throw new PlasticityError(failed.message, { parameter: failed.failures[0]!.rule, value: failed.failures });
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
  if (error instanceof PlasticityRuleError) return new PlasticityError(error.message, details);
  return error;
}
