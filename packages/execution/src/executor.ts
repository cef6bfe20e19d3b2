// The executor (grenade's `run`): a network graph and a connection → playback programs → spikes and traces per
// run or batch entry, in chip time. It keeps what the chip holds, so each program writes only what changed.
import {
  CadcNeuronReadout,
  type CalibrationResult,
  type LIFCalibrationTarget,
  calibrateLIF,
  canonicalJSON,
  nominalCalibration,
} from '@bss2/calibration';
import {
  AtomicNeuronOnDLS,
  BackgroundSpikeSourceOnDLS,
  EventRecordingConfigOnFPGA,
  MADCConfigOnDLS,
  MADCControlOnDLS,
  ReadoutSourceSelectionOnDLS,
  type SynapseQuadOnDLS,
  SystimeSyncBaseOnDLS,
  SynramOnDLS,
  SystimeSyncOnFPGA,
  TimerOnDLS,
} from '@bss2/halco';
import type { Connection } from '@bss2/hxcomm';
import {
  type AtomicNeuron,
  BackgroundSpikeSource,
  type CADCSampleQuad,
  type Container,
  EventRecordingConfig,
  MADCControl,
  type NeuronConfig,
  type NeuronReadoutSource,
  ReadoutSourceSelection,
  SystimeSync,
  SystimeSyncBase,
  Timer,
  describeValue,
} from '@bss2/lola';
import { type ConfigWrite, type RoutingOptions, type RoutingResult, updateWeights } from '@bss2/routing';
import { type ContainerTicket, MAX_PROGRAM_SIZE, type PlaybackProgram, PlaybackProgramBuilder, generateSystemInit, run as runProgram } from '@bss2/stadls';
import { ExecutorClosedError, GraphError, RunRequestError } from './errors.js';
import type { NetworkGraph, NeuronRef, RunInputs } from './graph.js';
import { type InjectedConfiguration, type InjectedReadout, readAll } from './hooks.js';
import { InputSchedule, type SentSpikes } from './input-schedule.js';
import { SPIKE_PACK_SIZE, inputSpikeCount, maxInputSpikes } from './limits.js';
import { adaptationTaus_us, capMemDiffers, chipTarget, checkGivenCalibration, circuitNeurons } from './neurons.js';
import { PlasticityKernelError, type PlasticityResult } from './plasticity/rules.js';
import { PlasticityChipState, type PreparedPlasticity, preparePlasticity } from './plasticity/run.js';
import { withShortTermPlasticity } from './plasticity/stp.js';
import { type CadcPlan, type MadcPlan, planCadc, planMadc } from './recording-plan.js';
import { type RoutedGraph, memberOfLabel, rerouteGraph } from './routed-graph.js';
import {
  CONTINUOUS_WRITE_BUDGET,
  ENTRY_SYSTIME_SPAN,
  LOOKAHEAD_CYCLES,
  MAX_ENTRIES_PER_PROGRAM,
  MAX_RUN_CYCLES,
  ORIGIN_AFTER_GENERATORS,
  SETTLE_CYCLES,
  STALE_SYSTIME_BASE,
  SYSTIME_AT_TIMER_ZERO,
  cyclesToUs,
  relaxCycles,
  responseLatencyOf,
  usToCycles,
} from './timing.js';

/** Provides a calibration for a target, e.g. a cached one (`calibrateLIFCached` of `@bss2/calibration/node`). */
export type CalibrationProvider = (connection: Connection, target: LIFCalibrationTarget) => Promise<CalibrationResult>;

/**
 * 'calibrate' (default): measure the chip for the graph's targets (again when they change); 'nominal': the §8.3
 * transfer functions without measuring (exact on an ideal chip); a CalibrationResult made for exactly these
 * targets; or a provider function (e.g. a disk cache).
 */
export type CalibrationSource = 'calibrate' | 'nominal' | CalibrationResult | CalibrationProvider;

export interface ExecutorOptions {
  readonly connection: Connection;
  readonly calibration?: CalibrationSource;
  /** Placement and router options (`neuronPermutation`, portfolio). */
  readonly routing?: RoutingOptions;
  /** Commands of your own at fixed points of every run's program (hardware.md §11.1 InjectedConfiguration). */
  readonly injectedConfig?: InjectedConfiguration;
  /** Containers read back before and after each run (InjectedReadout). */
  readonly injectedReadout?: InjectedReadout;
}

/** One run: its length (µs of chip time) and what the external populations send. */
export interface BatchOptions {
  /** Wait between entries for the neurons to rest, µs (default: 10 of the slowest time constants). */
  readonly interEntryWait_us?: number;
}

export interface RunRequest {
  readonly duration_us: number;
  readonly inputs?: RunInputs;
}

/** An MADC channel's samples: raw codes at their exact times (µs from the segment's start). */
export interface MadcTrace extends NeuronRef {
  readonly source: NeuronReadoutSource;
  readonly channelPeriod_us: number;
  readonly time_us: number[];
  readonly code: number[];
}

/** A neuron's CADC samples: raw codes at the times of their reads (µs from the segment's start). */
export interface CadcTrace extends NeuronRef {
  readonly interval_us: number;
  readonly time_us: number[];
  readonly code: number[];
}

/** What one run or batch entry recorded; times in µs of chip time from its segment's start. */
export interface EntryResult {
  readonly start_us: number;
  readonly end_us: number;
  /** Spikes of recorded neurons and generators, per population. */
  readonly spikes: ReadonlyMap<string, SentSpikes>;
  /** Spikes the host sent for recorded external sources, per population. */
  readonly inputSpikes: ReadonlyMap<string, SentSpikes>;
  readonly madc: readonly MadcTrace[];
  readonly cadc: readonly CadcTrace[];
  /** Input spikes written to the chip. */
  readonly inputCount: number;
  /** Whether the run began with the neurons settling (CapMem written, new segment) instead of continuing. */
  readonly settled: boolean;
  readonly preRealtime: ReadonlyMap<string, Container>;
  readonly postRealtime: ReadonlyMap<string, Container>;
  /** The plasticity rules' invocations, observables and read-back weights (graphs with rules only). */
  readonly plasticity?: PlasticityResult;
}

/** Host wall time of a run's phases, ms. */
export interface WallTimes {
  readonly route: number;
  readonly calibrate: number;
  /** The neurons' configurations and the recording plans, then the program. */
  readonly build: number;
  readonly execute: number;
  readonly decode: number;
}

export interface RunReport extends EntryResult {
  readonly program: PlaybackProgram;
  readonly wall_ms: WallTimes;
}

export interface BatchReport {
  readonly entries: readonly EntryResult[];
  readonly programs: readonly PlaybackProgram[];
  readonly wall_ms: WallTimes;
}

/** What a graph needs written, computed once per run or batch. */
interface Prepared {
  readonly routed: RoutedGraph;
  /** Synapse writes of a weights-only update; consumed by the first run of a batch. */
  weightWrites: ConfigWrite[];
  readonly calibration: CalibrationResult;
  readonly neurons: AtomicNeuron[];
  readonly madc: MadcPlan;
  readonly cadc: CadcPlan | undefined;
  readonly madcKey: string;
  readonly relax_cycles: number;
  readonly plasticity: PreparedPlasticity | undefined;
  /** The graph's STP settings as a key: a change rewrites the event path. */
  readonly stpKey: string;
}

/** Writes between a configuration's armed, disarmed and thresholds-on states, to copy into programs. */
interface Arming {
  readonly disarm: PlaybackProgramBuilder;
  readonly thresholdsOn: PlaybackProgramBuilder;
  readonly arm: PlaybackProgramBuilder;
  disarmedNeurons(): AtomicNeuron[];
}

/** A container's reset value (what the chip holds after its reset line was pulsed). */
function resetValueOf(container: Container): Container {
  const type = container.constructor as unknown as { new (): Container; defaults?: () => Container };
  return type.defaults?.() ?? new type();
}

/** The key of the synapse matrix holding a synapse quad (a weight update changes the matrix the chip holds). */
function synramKey(quad: ConfigWrite['coordinate']): string {
  return (quad as SynapseQuadOnDLS).toSynramOnDLS().toString();
}

/**
 * A copy of `neuron` without threshold, offset current, exponential term and adaptation: while the CapMem
 * settles, the exponential's onset voltage charges up from 0 V and would drive the membrane to the rail, and an
 * adaptation as strong as the leak with a negative `a` (a delayed-firing AdEx) has no stable rest to relax to; a
 * switched-off adaptation holds w = 0 (chip-sim Choice), so every segment starts from PyNN's w = 0.
 */
function disarm(neuron: AtomicNeuron): AtomicNeuron {
  const copy = neuron.clone();
  copy.threshold = neuron.threshold.with({ enable: false });
  copy.constantCurrent = neuron.constantCurrent.with({ enable: false });
  copy.exponential = neuron.exponential.with({ enable: false });
  copy.adaptation = neuron.adaptation.with({ enable: false });
  return copy;
}

/** Words that differ between the neurons held and the next ones (each written as an address and a data word). */
function changedNeuronWords(held: readonly AtomicNeuron[], next: readonly AtomicNeuron[]): number {
  let count = 0;
  for (let i = 0; i < next.length; i++) {
    if (held[i]!.equals(next[i]!)) continue;
    const a = held[i]!.encode();
    const b = next[i]!.encode();
    for (let k = 0; k < b.length; k++) if (a[k] !== b[k]) count++;
  }
  return count;
}

type PendingSample = { readonly channel: number; readonly time_us: number; readonly code: number };
type Pending = { spikes: { ref: NeuronRef; time_us: number }[]; samples: PendingSample[] };
const nothingPending = (): Pending => ({ spikes: [], samples: [] });

const now = (): number => (globalThis as { performance?: { now(): number } }).performance?.now() ?? Date.now();

export class Executor {
  readonly connection: Connection;
  readonly #calibrationSource: CalibrationSource;
  readonly #routingOptions: RoutingOptions;
  readonly #injectedConfig: InjectedConfiguration;
  readonly #injectedReadout: InjectedReadout;
  #closed = false;
  #segment = 0;
  #time_us = 0;
  #initialised = false;
  #routed: RoutedGraph | undefined;
  readonly #calibrations = new Map<string, CalibrationResult>();
  #calibrationRuns = 0;
  #calibrationSeconds = 0;
  #calibration: CalibrationResult | undefined;
  /** What the chip holds: per circuit the AtomicNeuron written (armed), the segment configured, the routing, the readout. */
  #written: { neurons: AtomicNeuron[]; segment: number; routing: number; calibration: CalibrationResult; madc: string } | undefined;
  /**
   * The event-path containers the chip holds, by coordinate (null: unknown, written whole): a routing writes only
   * the words that differ. After the system init's chip reset, a coordinate not listed holds its reset value.
   */
  #eventPath = new Map<string, Container | null>();
  #eventPathAtReset = false;
  readonly #armings = new WeakMap<AtomicNeuron[], Arming>();
  #neuronCache: { calibration: CalibrationResult; result: RoutingResult; specs: readonly unknown[]; madcKey: string; neurons: AtomicNeuron[] } | undefined;
  readonly #inputs = new InputSchedule();
  /** The timer base of the running stretch of a segment: timer `origin` is segment time `start_us`, on systime `base`. */
  #clock: { segment: number; origin: number; start_us: number; base: number } | undefined;
  /** Events the chip sent after a run's end: they belong to the next run of the segment, if it continues. */
  #pending: Pending = nothingPending();
  /** The MADC plan the chip is recording with across programs, if it is. */
  #madcRunning: string | undefined;
  #lastProgram: PlaybackProgram | undefined;
  /** What the PPUs hold (program, parameters) between runs. */
  readonly #ppus = new PlasticityChipState();
  /** The STP settings the event path on the chip was written with. */
  #stpWritten: string | undefined;
  #stp: NetworkGraph['shortTermPlasticity'];

  constructor(options: ExecutorOptions) {
    this.connection = options.connection;
    this.#calibrationSource = options.calibration ?? 'calibrate';
    this.#routingOptions = options.routing ?? {};
    this.#injectedConfig = options.injectedConfig ?? {};
    this.#injectedReadout = options.injectedReadout ?? {};
  }

  /** The current segment's time, µs of chip time. */
  get time_us(): number {
    return this.#time_us;
  }

  get segment(): number {
    return this.#segment;
  }

  /** The routing of the last graph run or prepared. */
  get routing(): RoutingResult | undefined {
    return this.#routed?.result;
  }

  /** The calibration written to the chip. */
  get calibration(): CalibrationResult | undefined {
    return this.#calibration;
  }

  get lastProgram(): PlaybackProgram | undefined {
    return this.#lastProgram;
  }

  /** Calibrations measured (not 'nominal', not given) and the seconds they took. */
  get calibrationStatistics(): { readonly runs: number; readonly duration_s: number } {
    return { runs: this.#calibrationRuns, duration_s: this.#calibrationSeconds };
  }

  /** Rewinds to time 0 of a new segment: the next run starts from rest with fresh input trains. */
  reset(): void {
    this.#checkOpen('reset()');
    this.#segment++;
    this.#time_us = 0;
    this.#inputs.newSegment();
  }

  /** Stops using the connection (it is the caller's to close). */
  close(): void {
    this.#closed = true;
  }

  /** The routing the graph would run with (the last one where it still serves); changes nothing. */
  route(graph: NetworkGraph): RoutingResult {
    this.#checkOpen('route()');
    return rerouteGraph(this.#routed, graph, this.#routingOptions).routed.result;
  }

  /** Runs the graph for `duration_us`, continuing the segment: the chip's clock runs on where it can. */
  async run(graph: NetworkGraph, request: RunRequest): Promise<RunReport> {
    this.#checkOpen('run()');
    checkRequest(request, undefined, this.#time_us);
    const prepared = await this.#prepare(graph);
    checkInputs(prepared.routed, request, undefined);
    const t2 = now();
    const builder = new PlaybackProgramBuilder();
    const decode = this.#guard(() => this.#appendRun(builder, prepared, request, 0));
    const program = builder.done();
    this.#lastProgram = program;
    const t3 = now();
    await this.#guardAsync(() => runProgram(this.connection, program));
    const t4 = now();
    const entry = decode(program);
    const report: RunReport = { ...entry, program, wall_ms: { route: prepared.wall.route, calibrate: prepared.wall.calibrate, build: prepared.wall.configure + t3 - t2, execute: t4 - t3, decode: now() - t4 } };
    // A failed kernel leaves the rest of the run valid: its results travel with the error.
    if ((entry.plasticity?.failures.length ?? 0) > 0) throw new PlasticityKernelError(entry.plasticity!.failures, report);
    return report;
  }

  /**
   * Runs `entries` back to back, each from rest in a segment of its own (a reset before each), packed into as few
   * programs as the program size allows. `interEntryWait_us` (the reference's `inter_batch_entry_wait`) replaces
   * the wait for the neurons to rest between entries (default 10 of the slowest time constants): shorter is
   * faster and leaves a remainder of the previous entry's activity, the caller's trade.
   */
  async runBatch(graph: NetworkGraph, entries: readonly RunRequest[], options: BatchOptions = {}): Promise<BatchReport> {
    this.#checkOpen('runBatch()');
    if (!Array.isArray(entries) || entries.length === 0) throw new RunRequestError(`runBatch() takes a non-empty list of run requests, got ${Array.isArray(entries) ? 'an empty list' : String(entries)}`, { value: entries });
    const wait = options.interEntryWait_us;
    if (wait !== undefined && !(typeof wait === 'number' && Number.isFinite(wait) && wait >= 0 && usToCycles(wait) <= SETTLE_CYCLES)) {
      throw new RunRequestError(`interEntryWait_us is a time in µs from 0 to ${cyclesToUs(SETTLE_CYCLES)} (the CapMem settling), got ${describeValue(wait)}`, { value: wait });
    }
    const relaxOverride = wait === undefined ? undefined : usToCycles(wait);
    // Each entry runs from the start of a segment of its own.
    entries.forEach((e, i) => checkRequest(e, i, 0));
    const prepared = await this.#prepare(graph);
    entries.forEach((e, i) => checkInputs(prepared.routed, e, i));
    const results = new Array<EntryResult>(entries.length);
    const programs: PlaybackProgram[] = [];
    let builder = new PlaybackProgramBuilder();
    let decoders: { index: number; decode: (program: PlaybackProgram) => EntryResult }[] = [];
    let build_ms = 0;
    let execute_ms = 0;
    let decode_ms = 0;
    const flush = async () => {
      if (decoders.length === 0) return;
      const program = builder.done();
      programs.push(program);
      this.#lastProgram = program;
      const started = now();
      await this.#guardAsync(() => runProgram(this.connection, program));
      const ran = now();
      for (const d of decoders) results[d.index] = d.decode(program);
      execute_ms += ran - started;
      decode_ms += now() - ran;
      decoders = [];
      builder = new PlaybackProgramBuilder();
    };
    for (let i = 0; i < entries.length; i++) {
      if (decoders.length === MAX_ENTRIES_PER_PROGRAM) await flush();
      const started = now();
      this.reset();
      const entry = new PlaybackProgramBuilder();
      const decode = this.#guard(() => this.#appendRun(entry, prepared, entries[i]!, decoders.length, relaxOverride));
      build_ms += now() - started;
      if (builder.sizeToFpga() + entry.sizeToFpga() > MAX_PROGRAM_SIZE) await flush();
      // An entry keeps the systime base of its slot in the program it was built for; in a new program it is just as unique.
      builder.mergeBack(entry);
      decoders.push({ index: i, decode });
    }
    await flush();
    const batch: BatchReport = { entries: results, programs, wall_ms: { route: prepared.wall.route, calibrate: prepared.wall.calibrate, build: prepared.wall.configure + build_ms, execute: execute_ms, decode: decode_ms } };
    const failures = results.flatMap((e) => e.plasticity?.failures ?? []);
    if (failures.length > 0) throw new PlasticityKernelError(failures, batch);
    return batch;
  }

  /** Routes, calibrates and writes the configuration without running (the reference's PREPARE). */
  async prepare(graph: NetworkGraph): Promise<RunReport> {
    return this.run(graph, { duration_us: 0 });
  }

  /**
   * The weights a kernel left on the chip become the ones the executor holds for `routed`: the next graph is
   * compared with them (a graph that carries them writes nothing, one with other weights writes those).
   */
  #adoptLearnedWeights(routed: RoutedGraph, weights: ReadonlyMap<string, readonly number[]>): void {
    if (this.#routed !== routed || weights.size === 0) return;
    let result = routed.result;
    for (const [name, values] of weights) result = updateWeights(result, name, [...values]).result;
    const projections = routed.graph.projections.map((p) => {
      const values = weights.get(p.name);
      return values === undefined ? p : { ...p, connections: p.connections.map((c, k) => ({ ...c, weight: values[k]! })) };
    });
    this.#routed = { ...routed, result, graph: { ...routed.graph, projections } };
    // Same placement, other weights: the neurons derived for the old result still hold.
    if (this.#neuronCache?.result === routed.result) this.#neuronCache = { ...this.#neuronCache, result };
  }

  #checkOpen(what: string): void {
    if (this.#closed) throw new ExecutorClosedError(what);
  }

  /** A failure while building or running leaves the chip's state unknown: the next run writes everything again. */
  #forget(): void {
    this.#written = undefined;
    this.#eventPath = new Map();
    this.#eventPathAtReset = false;
    this.#clock = undefined;
    this.#madcRunning = undefined;
    this.#initialised = false;
    this.#pending = nothingPending();
    this.#ppus.forget();
    this.#stpWritten = undefined;
  }

  /**
   * The writes between the armed, disarmed (no threshold, no offset current: each segment starts at rest with the
   * current switching on at time 0) and thresholds-on states of `neurons`, built once per configuration: a batch
   * writes them for every entry.
   */
  #arming(neurons: AtomicNeuron[]): Arming {
    let arming = this.#armings.get(neurons);
    if (arming !== undefined) return arming;
    const armed: NeuronConfig[] = [];
    const disarmed: NeuronConfig[] = [];
    const thresholdsOn: NeuronConfig[] = [];
    for (const n of neurons) {
      // The neuron passes through the two other states and back (cheaper than a copy per state).
      const { threshold, constantCurrent, exponential, adaptation } = n;
      armed.push(n.toNeuronConfig());
      n.threshold = threshold.with({ enable: false });
      n.constantCurrent = constantCurrent.with({ enable: false });
      n.exponential = exponential.with({ enable: false });
      n.adaptation = adaptation.with({ enable: false });
      disarmed.push(n.toNeuronConfig());
      n.threshold = threshold;
      thresholdsOn.push(n.toNeuronConfig());
      n.constantCurrent = constantCurrent;
      n.exponential = exponential;
      n.adaptation = adaptation;
    }
    const writes = (from: NeuronConfig[], to: NeuronConfig[]) => {
      const builder = new PlaybackProgramBuilder();
      for (let i = 0; i < to.length; i++) if (!from[i]!.equals(to[i]!)) builder.write(new AtomicNeuronOnDLS(i).toNeuronConfigOnDLS(), to[i]!, from[i]!);
      return builder;
    };
    arming = { disarm: writes(armed, disarmed), thresholdsOn: writes(disarmed, thresholdsOn), arm: writes(thresholdsOn, armed), disarmedNeurons: () => neurons.map(disarm) };
    this.#armings.set(neurons, arming);
    return arming;
  }

  #guard<T>(f: () => T): T {
    try {
      return f();
    } catch (error) {
      this.#forget();
      throw error;
    }
  }

  async #guardAsync<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (error) {
      this.#forget();
      throw error;
    }
  }

  async #calibrate(target: LIFCalibrationTarget, routed: RoutedGraph): Promise<CalibrationResult> {
    const source = this.#calibrationSource;
    if (typeof source === 'object') {
      checkGivenCalibration(source, target, routed.placed);
      return source;
    }
    const key = canonicalJSON(target);
    const cached = this.#calibrations.get(key);
    if (cached !== undefined) return cached;
    const started = now();
    const result = source === 'nominal' ? nominalCalibration(target) : source === 'calibrate' ? await calibrateLIF(this.connection, target) : await source(this.connection, target);
    if (source !== 'nominal') {
      this.#calibrationRuns++;
      this.#calibrationSeconds += (now() - started) / 1000;
      // A calibration leaves the chip in its own state: everything is written again.
      this.#forget();
    }
    this.#calibrations.set(key, result);
    return result;
  }

  async #prepare(graph: NetworkGraph): Promise<Prepared & { wall: { route: number; calibrate: number; configure: number } }> {
    const t0 = now();
    const { routed, weightWrites } = rerouteGraph(this.#routed, graph, this.#routingOptions);
    this.#routed = routed;
    const t1 = now();
    const calibration = await this.#calibrate(chipTarget(routed.placed, graph.synapseDacBias_lsb), routed);
    this.#calibration = calibration;
    const t2 = now();
    const circuitOf = (n: NeuronRef): number => {
      const circuit = routed.circuits.get(n.population)?.[n.index];
      if (circuit === undefined || !Number.isSafeInteger(n.index) || n.index < 0) {
        throw new GraphError(`the recording names population '${n.population}' neuron ${n.index}, which is no placed neuron of the graph`, { population: n.population, index: n.index });
      }
      return circuit;
    };
    const madc = planMadc(graph.recording?.madc, circuitOf);
    const cadc = planCadc(graph.recording?.cadc, circuitOf, madc);
    const madcKey = JSON.stringify([madc.channels.map((c) => [c.circuit, c.source]), madc.period_ns, cadc === undefined ? null : [cadc.interval_cycles, [...cadc.neurons.keys()], cadc.reads]]);
    // Deriving 512 AtomicNeurons costs ≈ 0.1 s: reused while nothing they depend on changed.
    const specs = graph.populations.map((p) => (p.kind === 'neurons' ? p.neurons : undefined));
    const cache = this.#neuronCache;
    const reuse =
      cache !== undefined &&
      cache.calibration === calibration &&
      cache.result === routed.result &&
      cache.madcKey === madcKey &&
      cache.specs.length === specs.length &&
      cache.specs.every((s, i) => s === specs[i]);
    const neurons = reuse ? cache.neurons : circuitNeurons(routed.placed, calibration, routed.result, madc);
    this.#neuronCache = { calibration, result: routed.result, specs, madcKey, neurons };
    const relax_cycles = relaxCycles(calibration, adaptationTaus_us(routed.placed, neurons));
    const plasticity = preparePlasticity(graph.plasticity, routed.result);
    // Checked now (one source per STP driver), applied to the event path when it is written.
    withShortTermPlasticity([], graph.shortTermPlasticity, routed.result);
    this.#stp = graph.shortTermPlasticity;
    const stpKey = JSON.stringify(graph.shortTermPlasticity ?? null);
    return { routed, weightWrites, calibration, neurons, madc, cadc, madcKey, relax_cycles, plasticity, stpKey, wall: { route: t1 - t0, calibrate: t2 - t1, configure: now() - t2 } };
  }

  /**
   * Appends one run to `builder`: configuration (only what differs from what the chip holds), settling when
   * needed, the segment clock, inputs and reads, the drain. `slot` is the run's place in its program (its
   * systime base). Returns the decoder of its results.
   */
  #appendRun(builder: PlaybackProgramBuilder, prepared: Prepared, request: RunRequest, slot: number, relaxOverride_cycles?: number): (program: PlaybackProgram) => EntryResult {
    const { routed, calibration, neurons, madc, cadc, madcKey } = prepared;
    const weightWrites = prepared.weightWrites;
    prepared.weightWrites = [];
    const hooks = this.#injectedConfig;
    const readout = this.#injectedReadout;
    if (!this.#initialised) {
      // The init pulses the chip's reset line: every container is at its reset value (hardware.md §3.10).
      builder.mergeBack(generateSystemInit());
      builder.write(new EventRecordingConfigOnFPGA(), new EventRecordingConfig({ enableEventRecording: true }));
      this.#initialised = true;
      this.#eventPath = new Map();
      this.#eventPathAtReset = true;
    }
    const written = this.#written;
    const newSegment = written === undefined || written.segment !== this.#segment || written.calibration !== calibration;
    const eventPathChanged = written === undefined || written.routing !== routed.generation || this.#stpWritten !== prepared.stpKey;
    // Configuration phase: generators stopped, event path, shared calibration settings, neurons disarmed while
    // the CapMem settles.
    const restartGenerators = routed.hasGenerators && (newSegment || eventPathChanged);
    // The event path's containers are built only when they are written.
    const eventPath = eventPathChanged || restartGenerators ? withShortTermPlasticity(routed.result.writes(), this.#stp, routed.result) : [];
    const generators = eventPath.filter((w) => w.container instanceof BackgroundSpikeSource);
    const fullWrite = written === undefined || written.calibration !== calibration;
    const unchanged = !fullWrite && neurons === written.neurons;
    const capMemChanged = fullWrite || (!unchanged && neurons.some((n, i) => capMemDiffers(written.neurons[i]!, n)));
    // CapMem changes need the settling wait (§3.8); a new segment needs the neurons back at rest. Both happen
    // disarmed — no threshold (a threshold cell charging from 0 V would fire) and no offset current, so each
    // segment starts at rest with the current switching on at time 0 — and are not part of the segment's time.
    const settle = capMemChanged || newSegment;
    // The timer maps chip time to segment time: timer `origin` is segment time `start_us`. A run that continues
    // the previous one without a pause keeps its clock (no systime sync, no timer reset) and the MADC recording,
    // so the segment's time runs on exactly with the chip's; the inputs due while the next program starts are
    // sent ahead by this one. Otherwise (a new segment, CapMem changes, restarted generators, another MADC plan)
    // systime and timer restart.
    const start_us = this.#time_us;
    const end_us = start_us + request.duration_us;
    const cycles = usToCycles(request.duration_us);
    const recording = madc.config !== undefined;
    // Read per run: a connection may learn its device's identity only when it first reaches it.
    const drain = responseLatencyOf(this.connection);
    const clock = this.#clock;
    const continuedOrigin = clock === undefined ? 0 : clock.origin + usToCycles(start_us) - usToCycles(clock.start_us);
    // Writes before the experiment delay it by their instruction count: beyond a few, the run pauses instead. A
    // change of digital neuron bits only (a switch such as a current source's enable or sign; no CapMem cell, so
    // nothing to settle) is such a write too, so the run continues its clock.
    const digitalOnly = !fullWrite && !unchanged && !capMemChanged;
    const neuronWords = digitalOnly ? changedNeuronWords(written.neurons, neurons) : 0;
    const ppu = prepared.plasticity === undefined ? undefined : this.#ppus.begin(prepared.plasticity, start_us, end_us, cadc !== undefined);
    const smallWrites =
      !eventPathChanged &&
      (unchanged || digitalOnly) &&
      weightWrites.reduce((n, w) => n + 2 * w.container.encode().length, 0) + 2 * neuronWords + 2 * (ppu?.configWords ?? 0) <= CONTINUOUS_WRITE_BUDGET;
    // Commands injected before the real-time part are outside the segment's time: such a run pauses.
    const injectedBefore = hooks.preRealtime !== undefined || (readout.preRealtime?.length ?? 0) > 0;
    const continuous =
      !injectedBefore &&
      clock !== undefined &&
      clock.segment === this.#segment &&
      !settle &&
      !restartGenerators &&
      smallWrites &&
      (recording ? madcKey : undefined) === this.#madcRunning &&
      continuedOrigin + cycles + LOOKAHEAD_CYCLES + drain < MAX_RUN_CYCLES;
    const timer = new TimerOnDLS();
    if (!continuous) {
      // Until the segment's clock starts below, systime runs from far away: whatever the chip sends meanwhile
      // (the tail of an earlier run, the settling neurons) cannot be taken for an event of the segment.
      builder.write(new SystimeSyncBaseOnDLS(), new SystimeSyncBase({ value: STALE_SYSTIME_BASE }));
      builder.write(new SystimeSyncOnFPGA(), new SystimeSync({ doSync: true }));
    }
    if (!continuous && this.#madcRunning !== undefined) {
      // Stopped first, and given time to act: a stop still pending would swallow the next start.
      builder.write(new MADCControlOnDLS(), new MADCControl({ stopRecording: true }));
      builder.write(timer, new Timer());
      builder.waitUntil(drain);
      this.#madcRunning = undefined;
    }
    if (restartGenerators || (eventPathChanged && written !== undefined)) {
      for (const coord of BackgroundSpikeSourceOnDLS.all()) builder.write(coord, new BackgroundSpikeSource());
    }
    if (eventPathChanged) {
      // A routing writes every event-path unit, so the containers held by the chip are known exactly.
      for (const w of eventPath) {
        if (w.container instanceof BackgroundSpikeSource) continue;
        const key = w.coordinate.toString();
        const known = this.#eventPath.get(key);
        const held = known === null ? undefined : (known ?? (this.#eventPathAtReset ? resetValueOf(w.container) : undefined));
        if (held === undefined || !held.equals(w.container)) builder.write(w.coordinate, w.container, held);
        this.#eventPath.set(key, w.container);
      }
      this.#stpWritten = prepared.stpKey;
    }
    for (const w of weightWrites) builder.write(w.coordinate, w.container);
    // The held synapse matrices no longer show the chip's weights: the next routing writes them whole.
    if (weightWrites.length > 0) for (const w of weightWrites) this.#eventPath.set(synramKey(w.coordinate), null);
    // Neurons settle disarmed; the three states (disarmed, thresholds on, armed: offset current and exponential
    // term on) differ in NeuronConfig bits only.
    const arming = settle ? this.#arming(neurons) : undefined;
    if (fullWrite) calibration.apply(builder, { waitForCapMem: false, neurons: arming!.disarmedNeurons() });
    else if (unchanged && arming !== undefined) builder.copyBack(arming.disarm);
    else if (!unchanged) {
      const target = arming === undefined ? neurons : arming.disarmedNeurons();
      for (let i = 0; i < neurons.length; i++) if (!written.neurons[i]!.equals(target[i]!)) builder.write(new AtomicNeuronOnDLS(i), target[i]!, written.neurons[i]!);
    }
    if (fullWrite || newSegment || madcKey !== written.madc) {
      if (cadc !== undefined) CadcNeuronReadout.configure(builder);
      builder.write(new ReadoutSourceSelectionOnDLS(), madc.sourceSelection ?? new ReadoutSourceSelection());
      if (madc.config !== undefined) {
        builder.write(new MADCConfigOnDLS(), madc.config);
        builder.write(new MADCControlOnDLS(), new MADCControl({ wakeUp: true }));
      }
    }
    ppu?.configure(builder);
    hooks.preRealtime?.(builder);
    const preRead = readAll(builder, readout.preRealtime);
    if (settle) {
      builder.write(timer, new Timer());
      builder.waitUntil(capMemChanged ? SETTLE_CYCLES : (relaxOverride_cycles ?? prepared.relax_cycles));
      // Thresholds first; the offset currents last, right before the segment starts (one neuron per cycle).
      builder.copyBack(arming!.thresholdsOn);
      builder.copyBack(arming!.arm);
    }
    this.#written = { neurons, segment: this.#segment, routing: routed.generation, calibration, madc: madcKey };

    // Experiment phase: the clock continues, or systime and timer restart (generators restart first and the
    // MADC starts early: every instruction takes a cycle, §5.2; the MADCControl write is two).
    let origin: number;
    let base: number;
    if (continuous) {
      origin = continuedOrigin;
      base = clock!.base;
    } else {
      origin = restartGenerators ? ORIGIN_AFTER_GENERATORS : recording ? 3 : 0;
      base = slot * ENTRY_SYSTIME_SPAN;
      builder.write(new SystimeSyncBaseOnDLS(), new SystimeSyncBase({ value: base }));
      builder.write(new SystimeSyncOnFPGA(), new SystimeSync({ doSync: true }));
      builder.write(timer, new Timer());
      if (restartGenerators) for (const w of generators) builder.write(w.coordinate, w.container);
      if (recording) {
        builder.waitUntil(origin - 3);
        builder.write(new MADCControlOnDLS(), new MADCControl({ startRecording: true, enableContinuousSampling: true }));
        this.#madcRunning = madcKey;
      }
      this.#clock = { segment: this.#segment, origin, start_us, base };
    }
    const begin = hooks.insideRealtimeBegin;
    begin?.(builder);
    // CADC sweeps on the segment's grid (k · interval from time 0), one read per cycle, merged with the inputs.
    const cadcReads: { at: number; k: number; ticket: ContainerTicket<CADCSampleQuad> }[] = [];
    const commands: { cycle: number; emit(b: PlaybackProgramBuilder, at: number): void }[] = [];
    if (cadc !== undefined && cycles > 0) {
      const startCycle = usToCycles(start_us);
      for (let sweep = Math.ceil(startCycle / cadc.interval_cycles) * cadc.interval_cycles; sweep < startCycle + cycles; sweep += cadc.interval_cycles) {
        for (const [j, k] of cadc.reads.entries()) {
          commands.push({ cycle: sweep - startCycle + j, emit: (b, at) => cadcReads.push({ at, k, ticket: CadcNeuronReadout.readAt(b, k) }) });
        }
      }
    }
    if (ppu !== undefined) commands.push(...ppu.commands(origin));
    const injected = this.#inputs.inject(builder, routed.external, request.inputs ?? {}, {
      start_us,
      end_us,
      sendUntil_us: end_us + cyclesToUs(LOOKAHEAD_CYCLES),
      origin,
      nextInstructionAt: continuous || begin !== undefined ? -1 : recording || !restartGenerators ? origin : -1,
      continuous,
      commands,
    });
    if (hooks.insideRealtimeEnd !== undefined) {
      builder.waitUntil(Math.max(0, origin + cycles - 1));
      hooks.insideRealtimeEnd(builder);
    }
    // Events of the run's last cycles reach the host only after the device's response latency. What arrives
    // after the end belongs to the next run's time and is kept for it.
    builder.waitUntil(Math.max(origin + cycles + drain, injected.lastTimer + 1));
    const decodePlasticity = ppu?.finish(builder);
    // Kernels may have changed any weight: the next routing writes the synapse matrices whole.
    if (ppu !== undefined) for (const synram of SynramOnDLS.all()) this.#eventPath.set(synram.toString(), null);
    hooks.postRealtime?.(builder);
    const postRead = readAll(builder, readout.postRealtime);
    this.#time_us = end_us;
    const pendingBefore = continuous ? this.#pending : nothingPending();

    return (program) => {
      const originSystime = base + origin + SYSTIME_AT_TIMER_ZERO;
      const lastSystime = base + ENTRY_SYSTIME_SPAN;
      const pending = nothingPending();
      const spikes = new Map<string, SentSpikes>();
      const record = (ref: NeuronRef, time_us: number) => {
        if (time_us >= end_us) {
          pending.spikes.push({ ref, time_us });
          return;
        }
        let list = spikes.get(ref.population);
        if (list === undefined) spikes.set(ref.population, (list = { index: [], time_us: [] }));
        list.index.push(ref.index);
        list.time_us.push(time_us);
      };
      for (const s of pendingBefore.spikes) record(s.ref, s.time_us);
      for (const spike of program.spikes) {
        if (spike.chipTime < originSystime || spike.chipTime >= lastSystime) continue;
        const member = memberOfLabel(routed, spike.label);
        if (member !== undefined) record(member, start_us + cyclesToUs(spike.chipTime - originSystime));
      }
      const madcTraces: MadcTrace[] = madc.channels.map((c) => ({ population: c.population, index: c.index, source: c.source, channelPeriod_us: madc.channelPeriod_ns / 1000, time_us: [], code: [] }));
      const sample = (channel: number, time_us: number, code: number) => {
        if (time_us >= end_us) pending.samples.push({ channel, time_us, code });
        else {
          madcTraces[channel]!.time_us.push(time_us);
          madcTraces[channel]!.code.push(code);
        }
      };
      for (const s of pendingBefore.samples) sample(s.channel, s.time_us, s.code);
      for (const s of program.madcSamples) {
        if (s.chipTime < originSystime || s.chipTime >= lastSystime || s.channel >= madcTraces.length) continue;
        sample(s.channel, start_us + cyclesToUs(s.chipTime - originSystime), s.value);
      }
      const cadcTraces = new Map<number, CadcTrace>();
      for (const [circuit, ref] of cadc?.neurons ?? []) cadcTraces.set(circuit, { ...ref, interval_us: cyclesToUs(cadc!.interval_cycles), time_us: [], code: [] });
      for (const read of cadcReads) {
        const word = read.ticket.words[0]!;
        const circuits = CadcNeuronReadout.neuronsOfRead(read.k);
        for (let e = 0; e < circuits.length; e++) {
          const trace = cadcTraces.get(circuits[e]!);
          if (trace === undefined) continue;
          trace.time_us.push(start_us + cyclesToUs(read.at - origin));
          trace.code.push(CadcNeuronReadout.codeOf(word, e));
        }
      }
      this.#pending = pending;
      const plasticity = decodePlasticity?.();
      if (plasticity !== undefined) this.#adoptLearnedWeights(routed, plasticity.weights);
      return {
        start_us,
        end_us,
        spikes,
        inputSpikes: injected.recorded,
        madc: madcTraces,
        cadc: [...cadcTraces.values()],
        inputCount: injected.count,
        settled: settle,
        preRealtime: preRead(),
        postRealtime: postRead(),
        ...(plasticity === undefined ? {} : { plasticity }),
      };
    };
  }
}

/** A run request's duration and input shapes, and that the input path can deliver its spikes (limits.ts). */
function checkRequest(request: RunRequest, entry: number | undefined, start_us: number): void {
  const where = entry === undefined ? 'run()' : `batch entry ${entry}`;
  const d = (request as { duration_us?: unknown } | undefined)?.duration_us;
  if (typeof d !== 'number' || !Number.isFinite(d) || d < 0) throw new RunRequestError(`${where} takes a duration ≥ 0 µs, got ${String(d)}`, { entry, value: d });
  if (usToCycles(d) + SETTLE_CYCLES > MAX_RUN_CYCLES) {
    throw new RunRequestError(`${where}: ${d} µs exceeds one program's 32-bit timer (at most ${Math.floor(cyclesToUs(MAX_RUN_CYCLES - SETTLE_CYCLES))} µs per run)`, { entry, value: d });
  }
  for (const [name, source] of Object.entries(request.inputs ?? {})) checkSource(name, source, where, entry);
  checkSpikeCount(request, where, entry, start_us);
}

/**
 * The spikes a run sends (its duration and the lookahead sent with it) against what the input path delivers:
 * refused before anything is built, naming the population that sends most.
 */
function checkSpikeCount(request: RunRequest, where: string, entry: number | undefined, start_us: number): void {
  const d = request.duration_us;
  const limit = maxInputSpikes(d);
  const to_us = start_us + d + cyclesToUs(LOOKAHEAD_CYCLES);
  let total = 0;
  let estimated = false;
  let largest: { name: string; count: number; estimated: boolean } | undefined;
  for (const [name, source] of Object.entries(request.inputs ?? {})) {
    const count = inputSpikeCount(source, start_us, to_us);
    total += count;
    estimated ||= source.kind === 'poisson';
    if (largest === undefined || count > largest.count) largest = { name, count, estimated: source.kind === 'poisson' };
  }
  if (largest === undefined || total <= limit) return;
  // Host Poisson trains are not drawn yet: their count is the expected one.
  const counted = (n: number, expected: boolean) => (expected ? `${Math.ceil(n)} (expected)` : String(n));
  throw new RunRequestError(
    `${where}: the inputs send ${counted(total, estimated)} spikes in ${d} µs (population '${largest.name}' ${counted(largest.count, largest.estimated)} of them), but the input path delivers at most ${limit}: ` +
      `${SPIKE_PACK_SIZE} labels per FPGA cycle of the run and its ${LOOKAHEAD_CYCLES}-cycle lookahead, at most ${MAX_PROGRAM_SIZE} instructions per program; spread the spikes over more or longer runs`,
    { population: largest.name, entry, parameter: 'inputs', value: total, limit },
  );
}

/** Inputs name external populations of the graph, with one list (or rate) per member. */
function checkInputs(routed: RoutedGraph, request: RunRequest, entry: number | undefined): void {
  const where = entry === undefined ? 'run()' : `batch entry ${entry}`;
  for (const [name, source] of Object.entries(request.inputs ?? {})) {
    const p = routed.external.find((x) => x.name === name);
    if (p === undefined) throw new RunRequestError(`${where}: inputs name '${name}', which is no external population of the graph`, { population: name, entry });
    const members = source.kind === 'array' ? source.times_us.length : source.rate_hz.length;
    if (members !== p.size) throw new RunRequestError(`${where}: the input of population '${name}' has ${members} members, the population ${p.size}`, { population: name, entry, value: members });
  }
}

function checkSource(name: string, source: RunInputs[string], where: string, entry: number | undefined): void {
  const bad = (rule: string, value: unknown) => new RunRequestError(`${where}: the input of population '${name}' ${rule}`, { population: name, entry, value });
  if (source === null || typeof source !== 'object') throw bad('must be { kind: "array", times_us } or { kind: "poisson", … }', source);
  if (source.kind === 'array') {
    if (!Array.isArray(source.times_us)) throw bad('needs times_us: one list of times per member', source.times_us);
    source.times_us.forEach((times, i) => {
      for (let k = 0; k < times.length; k++) {
        const t = times[k]!;
        if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) throw bad(`has time ${String(t)} µs at member ${i}, position ${k}: times are finite and ≥ 0`, t);
      }
    });
  } else if (source.kind === 'poisson') {
    const n = source.rate_hz.length;
    if (source.start_us.length !== n || source.stop_us.length !== n) throw bad('needs rate_hz, start_us and stop_us of one length', [n, source.start_us.length, source.stop_us.length]);
    source.rate_hz.forEach((r, i) => {
      if (!Number.isFinite(r) || r < 0) throw bad(`has rate ${String(r)} Hz at member ${i}: rates are finite and ≥ 0`, r);
    });
    if (!Number.isSafeInteger(source.seed)) throw bad(`has seed ${String(source.seed)}: an integer`, source.seed);
  } else throw bad(`has kind '${String((source as { kind?: unknown }).kind)}': 'array' or 'poisson'`, source);
}
