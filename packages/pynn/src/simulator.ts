// The state behind PyNN's module-level API: the network, the chip connection, the routed and calibrated
// configuration, the recorded data; and `run`, which turns all of it into playback programs.
import {
  CADC_READS_PER_SWEEP,
  CadcNeuronReadout,
  type CalibrationResult,
  potentialToMillivolt,
  NEURON_COUNT,
  calibrateLIF,
  canonicalJSON,
  nominalCalibration,
} from '@bss2/calibration';
import { AtomicNeuronOnDLS, BackgroundSpikeSourceOnDLS, MADCConfigOnDLS, MADCControlOnDLS, ReadoutSourceSelectionOnDLS, SpikeLabel, TimerOnDLS } from '@bss2/halco';
import { type Connection, connectInProcess } from '@bss2/hxcomm';
import { AtomicNeuron, type CADCSampleQuad, type Container, BackgroundSpikeSource, EventRecordingConfig, MADCControl, NeuronConfig, ReadoutSourceSelection, SystimeSync, SystimeSyncBase, Timer } from '@bss2/lola';
import { EventRecordingConfigOnFPGA, SystimeSyncBaseOnDLS, SystimeSyncOnFPGA } from '@bss2/halco';
import { type ConfigWrite, type PlacedConnection, type RoutingResult, type RoutingStatistics, requiresRouting, routeNetwork, updateWeights } from '@bss2/routing';
import { type ContainerTicket, type PlaybackProgram, PlaybackProgramBuilder, generateSystemInit, run as runProgram } from '@bss2/stadls';
import { DataStore } from './data.js';
import { ConnectionError, NotSetUpError, RunError, SetupError } from './errors.js';
import { InputSchedule } from './inputs.js';
import { checkInjectedConfiguration, checkInjectedReadout, readAll } from './injection.js';
import { type MadcChannel, type MadcPlan, planMadc } from './madc-plan.js';
import { planCadc } from './cadc-plan.js';
import {
  ANALOG_STEP_NS,
  CONTINUOUS_WRITE_BUDGET,
  LOOKAHEAD_CYCLES,
  MAX_PROGRAM_CYCLES,
  ORIGIN_AFTER_GENERATORS,
  SETTLE_CYCLES,
  STALE_SYSTIME,
  STALE_SYSTIME_BASE,
  SYSTIME_AT_TIMER_ZERO,
  capMemDiffers,
  relaxCycles,
} from './chip-timing.js';
import { type SetupOptions, SETUP_KEYS, checkGivenCalibration } from './setup-options.js';
import { type RoutedPart, type Realisation, realisations, routedParts, routingNetwork } from './network.js';
import { type PlacedNeuron, applyModelExtras, calibrationTarget, hxAtomicNeuron, readoutSourceOf } from './neurons.js';
import type { Population } from './populations.js';
import type { Projection } from './projection.js';
import { NumpyRNG } from './random.js';
import { cyclesToMs, madcCodeToModelMillivolt, msToCycles, RAW_UNITS } from './units.js';

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

/** The routed network and what it was made from. */
interface Routed {
  readonly result: RoutingResult;
  readonly parts: readonly RoutedPart[];
  readonly how: ReadonlyMap<Population, Realisation>;
  readonly key: string;
  readonly weightVersions: readonly number[];
  readonly placed: readonly PlacedNeuron[];
  /** Circuit → placed neuron. */
  readonly byCircuit: ReadonlyMap<number, PlacedNeuron>;
  /** Raw 16-bit recorded label → population member (cached populationOf). */
  readonly labelCache: Map<number, { population: Population; index: number } | null>;
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
  #alive = true;
  #nextId = 0;
  #time_ms = 0;
  #segment = 0;
  #initialised = false;
  #routed: Routed | undefined;
  #calibrations = new Map<string, CalibrationResult>();
  #calibrationSeconds = 0;
  #calibrationRuns = 0;
  /** What the chip holds: per circuit the AtomicNeuron written (armed), the segment configured, the routing written. */
  #written: { neurons: AtomicNeuron[]; segment: number; routingKey: string; calibration: CalibrationResult; madc: string } | undefined;
  readonly #inputs: InputSchedule;
  readonly #runs: RunRecord[] = [];
  #lastProgram: PlaybackProgram | undefined;
  #calibrationInUse: CalibrationResult | undefined;
  #reads: { pre: Map<string, Container>; post: Map<string, Container> } = { pre: new Map(), post: new Map() };
  #neuronKey = '';
  /** The timer base of the running stretch of a segment: timer `origin` is segment time `start_ms`. */
  #clock: { segment: number; origin: number; start_ms: number } | undefined;
  /** Recorded spikes the chip sent after a run's end (its drain): they belong to the next run of the segment. */
  #pending: { spikes: [number, number][]; samples: { channel: MadcChannel; t_ms: number; code: number }[] } = { spikes: [], samples: [] };
  /** The MADC plan the chip is recording with across programs, if it is. */
  #madcRunning: string | undefined;
  #neuronRouting: RoutingResult | undefined;

  constructor(options: SetupOptions = {}) {
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
    this.options = options;
    this.rng = new NumpyRNG({ seed });
    this.#inputs = new InputSchedule(seed);
    if (options.connection !== undefined) {
      this.connection = options.connection;
      this.#ownsConnection = false;
    } else {
      const chipSeed = options.chipSeed ?? 1;
      if (!Number.isSafeInteger(chipSeed) || chipSeed < 0 || chipSeed > 0xffffffff) throw new SetupError(`setup() chipSeed must be an integer in 0..2^32 − 1, got ${String(chipSeed)}`, { parameter: 'chipSeed', value: chipSeed });
      const analog = {
        ...(options.idealChip === undefined ? {} : { idealChip: options.idealChip }),
        ...(options.temporalNoise === undefined ? {} : { temporalNoise: options.temporalNoise }),
        ...(options.analogStep_ns === undefined ? {} : { analogStep_ns: options.analogStep_ns }),
      };
      try {
        this.connection = connectInProcess({ seed: chipSeed, analog });
      } catch (error) {
        throw new SetupError(`setup(): the simulated chip refused its options: ${(error as Error).message}`, { value: analog });
      }
      this.#ownsConnection = true;
    }
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
    return this.#time_ms;
  }

  get segment(): number {
    return this.#segment;
  }

  /** The current routing result (after prepare() or run()). */
  get routing(): RoutingResult | undefined {
    return this.#routed?.result;
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
    return this.#lastProgram;
  }

  /** The calibration written to the chip (after prepare() or run()). */
  get calibration(): CalibrationResult | undefined {
    return this.#calibrationInUse;
  }

  placedConnections(projection: Projection): PlacedConnection[] {
    const routed = this.#routed;
    if (routed === undefined || !this.#structureUnchanged(routed)) {
      throw new ConnectionError(`projection '${projection.label}' is not routed yet: call pynn.prepare() or pynn.run() first`, { projection: projection.label });
    }
    const out = new Array<PlacedConnection>(projection.size());
    for (const part of routed.parts) {
      if (part.projection !== projection) continue;
      const placed = routed.result.placedConnections(part.name);
      part.sources.forEach((ks, r) => ks.forEach((k) => (out[k] = placed[r]!)));
    }
    return out;
  }

  statistics(): BackendStatistics {
    return {
      routing: this.#routed?.result.statistics,
      calibration: { mode: typeof this.options.calibration === 'string' ? this.options.calibration : this.options.calibration === undefined ? 'calibrate' : typeof this.options.calibration === 'function' ? 'provider' : 'given', runs: this.#calibrationRuns, duration_s: this.#calibrationSeconds },
      runs: [...this.#runs],
      onChipPoisson: this.#routed === undefined ? [] : [...this.#routed.how].filter(([, r]) => r.kind === 'background').map(([p]) => p.label),
    };
  }

  reset(): void {
    this.checkAlive('reset()');
    this.#time_ms = 0;
    this.#segment++;
    this.data.newSegment();
    this.#inputs.newSegment();
  }

  async end(): Promise<void> {
    if (!this.#alive) return;
    this.#alive = false;
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
    const cycles = msToCycles(duration_ms);
    if (cycles + SETTLE_CYCLES > MAX_PROGRAM_CYCLES) {
      throw new RunError(`run(${duration_ms}) exceeds one program's 32-bit timer: at most ${Math.floor(cyclesToMs(MAX_PROGRAM_CYCLES - SETTLE_CYCLES))} ms per run`, { value: duration_ms });
    }
    if (this.populations.length === 0) throw new RunError('run() with no populations: create a Population first');
    await this.#execute(duration_ms);
    return this.#time_ms;
  }

  // ---- the pipeline --------------------------------------------------------------------------------------

  #structureKey(): string {
    const populations = this.populations.map((p) => [p.label, p.size, p.cellType.kind, p.recorder.any('spikes')]);
    const how = realisations(this.populations, this.options.onChipPoisson ?? 'auto');
    const background = [...how].map(([p, r]) => (r.kind === 'background' ? [p.label, r.settings.period_ticks, r.settings.rate_setting] : p.label));
    const projections = this.projections.map((p) => [p.label, p.size(), p.receptorType]);
    return JSON.stringify([populations, background, projections]);
  }

  #structureUnchanged(routed: Routed): boolean {
    return routed.key === this.#structureKey();
  }

  /** Routes again when the structure changed; updates weights only when that suffices. Returns event-path writes or undefined. */
  #route(): { routed: Routed; changed: boolean; weightWrites: ConfigWrite[] } {
    const key = this.#structureKey();
    const previous = this.#routed;
    const parts = routedParts(this.projections);
    if (previous !== undefined && previous.key === key) {
      const weightVersions = this.projections.map((p) => p.weightVersion);
      if (weightVersions.every((v, i) => v === previous.weightVersions[i])) return { routed: previous, changed: false, weightWrites: [] };
      const network = routingNetwork(this.populations, parts, previous.how, this.options.seed ?? 1);
      if (!requiresRouting(previous.result, network)) {
        let result = previous.result;
        const writes: ConfigWrite[] = [];
        for (const part of parts) {
          const update = updateWeights(result, part.name, part.connections.map((c) => c.weight));
          result = update.result;
          for (const w of update.writes) writes.push(w as unknown as ConfigWrite);
        }
        const routed: Routed = { ...previous, result, parts, weightVersions };
        this.#routed = routed;
        return { routed, changed: false, weightWrites: writes };
      }
    }
    const how = realisations(this.populations, this.options.onChipPoisson ?? 'auto');
    const network = routingNetwork(this.populations, parts, how, this.options.seed ?? 1);
    const result = routeNetwork(network, this.options.neuronPermutation === undefined ? {} : { neuronPermutation: this.options.neuronPermutation });
    const placed: PlacedNeuron[] = [];
    for (const p of this.populations) {
      if (how.get(p)!.kind !== 'neurons') continue;
      result.logicalNeurons(p.label).forEach((logical, index) => placed.push({ population: p, index, circuit: logical.atomicNeurons()[0]!.value }));
    }
    const routed: Routed = {
      result,
      parts,
      how,
      key,
      weightVersions: this.projections.map((p) => p.weightVersion),
      placed,
      byCircuit: new Map(placed.map((n) => [n.circuit, n])),
      labelCache: new Map(),
    };
    this.#routed = routed;
    return { routed, changed: true, weightWrites: [] };
  }

  async #calibrate(routed: Routed): Promise<CalibrationResult> {
    const target = calibrationTarget(routed.placed);
    const mode = this.options.calibration ?? 'calibrate';
    if (typeof mode === 'object') {
      checkGivenCalibration(mode, target, routed.placed);
      return mode;
    }
    const key = canonicalJSON(target);
    const cached = this.#calibrations.get(key);
    if (cached !== undefined) return cached;
    const started = now();
    const result = mode === 'nominal' ? nominalCalibration(target) : mode === 'calibrate' ? await calibrateLIF(this.connection, target) : await mode(this.connection, target);
    if (mode !== 'nominal') {
      this.#calibrationRuns++;
      this.#calibrationSeconds += (now() - started) / 1000;
      // A calibration leaves the chip in its own state: everything is written again.
      this.#written = undefined;
      this.#initialised = false;
    }
    this.#calibrations.set(key, result);
    return result;
  }

  /** The AtomicNeuron of every circuit, armed (threshold as the model wants it). */
  #neurons(routed: Routed, calibration: CalibrationResult, madc: MadcPlan): AtomicNeuron[] {
    const calibrated = calibration.toAtomicNeurons();
    const patches = routed.result.backendPatches();
    return calibrated.map((base, circuit) => {
      const placed = routed.byCircuit.get(circuit);
      let neuron = base;
      if (placed !== undefined) {
        if (placed.population.cellType.kind === 'hx') neuron = hxAtomicNeuron(placed.population, placed.index);
        else applyModelExtras(neuron, placed.population, placed.index);
      }
      const patch = patches[circuit]!;
      neuron.eventRouting = neuron.eventRouting.with({ address: patch.addressOut, enableDigital: patch.enSpikeOut });
      const recorded = madc.channels.find((c) => c.circuit === circuit);
      neuron.readout = new AtomicNeuron.Readout(recorded === undefined ? {} : { enableBufferedAccess: true, source: readoutSourceOf(recorded.variable) });
      return neuron;
    });
  }

  async #execute(duration_ms: number): Promise<void> {
    const t0 = now();
    const { routed, changed, weightWrites } = this.#route();
    const t1 = now();
    const calibration = await this.#calibrate(routed);
    this.#calibrationInUse = calibration;
    const t2 = now();
    const madc = planMadc(routed.placed, this.populations);
    const cadc = planCadc(routed.placed, madc);
    // Deriving 512 AtomicNeurons costs ≈ 0.1 s: reused while nothing they depend on changed.
    const neuronKey = `${routed.key}|${this.populations.map((p) => p.parameterVersion).join(',')}|${JSON.stringify(madc.channels.map((c) => [c.circuit, c.variable]))}`;
    const reuse = this.#written !== undefined && this.#written.calibration === calibration && this.#neuronKey === neuronKey && this.#neuronRouting === routed.result;
    const neurons = reuse ? this.#written!.neurons : this.#neurons(routed, calibration, madc);
    this.#neuronKey = neuronKey;
    this.#neuronRouting = routed.result;
    const madcKey =
      JSON.stringify(madc.channels.map((c) => [c.circuit, c.variable])) + madc.period_ns + (cadc === undefined ? '' : `|cadc ${cadc.interval_cycles}: ${[...cadc.neurons.keys()].join(',')}`);

    const builder = new PlaybackProgramBuilder();
    if (!this.#initialised) {
      builder.mergeBack(generateSystemInit());
      builder.write(new EventRecordingConfigOnFPGA(), new EventRecordingConfig({ enableEventRecording: true }));
      this.#initialised = true;
    }
    const written = this.#written;
    const newSegment = written === undefined || written.segment !== this.#segment || written.calibration !== calibration;
    const eventPathChanged = written === undefined || changed || written.routingKey !== routed.key;
    const hasGenerators = [...routed.how.values()].some((r) => r.kind === 'background');
    // Configuration phase: generators stopped, event path, shared calibration settings, neurons disarmed while
    // the CapMem settles.
    const restartGenerators = hasGenerators && (newSegment || eventPathChanged);
    // The event path's containers are built only when they are written.
    const eventPath = eventPathChanged || restartGenerators ? routed.result.writes() : [];
    const generators = eventPath.filter((w) => w.container instanceof BackgroundSpikeSource);
    const fullWrite = written === undefined || written.calibration !== calibration;
    const unchanged = !fullWrite && neurons === written.neurons;
    const capMemChanged = fullWrite || (!unchanged && neurons.some((n, i) => capMemDiffers(written.neurons[i]!, n)));
    // CapMem changes need the 20 ms settling wait (§3.8); a new segment needs the neurons back at rest. Both
    // happen disarmed — no threshold (a threshold cell charging from 0 V would fire) and no offset current, so
    // each segment starts at rest with the current switching on at time 0, as in PyNN — and are not part of
    // the segment's time.
    const settle = capMemChanged || newSegment;
    // The timer maps chip time to segment time: timer `origin` is segment time `start_ms`. A run that continues
    // the previous one without a pause keeps its clock (no systime sync, no timer reset) and the MADC recording,
    // so the segment's time runs on exactly with the chip's; the inputs due while the next program starts are
    // sent ahead by this one. Otherwise (a new segment, CapMem changes, restarted generators, another MADC plan)
    // systime and timer restart.
    const start_ms = this.#time_ms;
    const end_ms = start_ms + duration_ms;
    const cycles = msToCycles(duration_ms);
    const recording = madc.config !== undefined;
    const drain = Math.ceil((this.options.analogStep_ns ?? ANALOG_STEP_NS) / 8) + 1;
    const clock = this.#clock;
    const continuedOrigin = clock === undefined ? 0 : clock.origin + msToCycles(start_ms) - msToCycles(clock.start_ms);
    // Writes before the experiment delay it by their instruction count: beyond a few, the run pauses instead.
    const smallWrites = !eventPathChanged && unchanged && weightWrites.reduce((n, w) => n + 2 * w.container.encode().length, 0) <= CONTINUOUS_WRITE_BUDGET;
    // Commands injected before the real-time part are outside the segment's time: such a run pauses.
    const injectedBefore = this.options.injectedConfig?.preRealtime !== undefined || (this.options.injectedReadout?.preRealtime?.length ?? 0) > 0;
    const continuous =
      !injectedBefore &&
      clock !== undefined &&
      clock.segment === this.#segment &&
      !settle &&
      !restartGenerators &&
      smallWrites &&
      (recording ? madcKey : undefined) === this.#madcRunning &&
      continuedOrigin + cycles + LOOKAHEAD_CYCLES + drain < MAX_PROGRAM_CYCLES;
    const timer = new TimerOnDLS();
    if (!continuous) {
      // Until the segment's clock starts below, systime runs from far away: whatever the chip sends meanwhile
      // (the tail of an earlier run, the settling neurons) cannot be taken for an event of the segment.
      builder.write(new SystimeSyncBaseOnDLS(), new SystimeSyncBase({ value: STALE_SYSTIME_BASE }));
      builder.write(new SystimeSyncOnFPGA(), new SystimeSync({ doSync: true }));
    }
    if (!continuous && this.#madcRunning !== undefined) {
      // Stopped first, and given a step to act: a stop still pending would swallow the next start.
      builder.write(new MADCControlOnDLS(), new MADCControl({ stopRecording: true }));
      builder.write(timer, new Timer());
      builder.waitUntil(drain);
      this.#madcRunning = undefined;
    }
    if (restartGenerators || (eventPathChanged && written !== undefined)) {
      for (const coord of BackgroundSpikeSourceOnDLS.all()) builder.write(coord, new BackgroundSpikeSource());
    }
    if (eventPathChanged) for (const w of eventPath) if (!(w.container instanceof BackgroundSpikeSource)) builder.write(w.coordinate, w.container);
    for (const w of weightWrites) builder.write(w.coordinate, w.container);
    // The three states (disarmed, thresholds on, armed) differ in NeuronConfig bits only: arming writes just those.
    const armed = neurons.map((n) => ({ threshold: n.threshold, constantCurrent: n.constantCurrent }));
    const configs = { disarmed: [] as NeuronConfig[], thresholdsOn: [] as NeuronConfig[], armed: [] as NeuronConfig[] };
    if (settle) {
      neurons.forEach((n, i) => {
        configs.armed.push(n.toNeuronConfig());
        n.constantCurrent = armed[i]!.constantCurrent.with({ enable: false });
        n.threshold = armed[i]!.threshold.with({ enable: false });
        configs.disarmed.push(n.toNeuronConfig());
      });
    }
    if (fullWrite) calibration.apply(builder, { waitForCapMem: false, neurons });
    else if (!unchanged || settle) {
      // With the neurons unchanged but disarmed (a new segment), the written armed state is the reference.
      for (let i = 0; i < NEURON_COUNT; i++) {
        if (unchanged) builder.write(new AtomicNeuronOnDLS(i).toNeuronConfigOnDLS(), configs.disarmed[i]!, configs.armed[i]!);
        else if (!written.neurons[i]!.equals(neurons[i]!)) builder.write(new AtomicNeuronOnDLS(i), neurons[i]!, written.neurons[i]!);
      }
    }
    if (settle) {
      neurons.forEach((n, i) => {
        n.threshold = armed[i]!.threshold;
        configs.thresholdsOn.push(n.toNeuronConfig());
        n.constantCurrent = armed[i]!.constantCurrent;
      });
    }
    if (fullWrite || newSegment || madcKey !== written.madc) {
      if (cadc !== undefined) CadcNeuronReadout.configure(builder);
      builder.write(new ReadoutSourceSelectionOnDLS(), madc.sourceSelection ?? new ReadoutSourceSelection());
      if (madc.config !== undefined) {
        builder.write(new MADCConfigOnDLS(), madc.config);
        builder.write(new MADCControlOnDLS(), new MADCControl({ wakeUp: true }));
      }
    }
    this.options.injectedConfig?.preRealtime?.(builder);
    const preRead = readAll(builder, this.options.injectedReadout?.preRealtime);
    if (settle) {
      builder.write(timer, new Timer());
      builder.waitUntil(capMemChanged ? SETTLE_CYCLES : relaxCycles(routed.placed, calibration));
      // Thresholds first; the offset currents last, right before the segment starts (one neuron per cycle).
      const write = (from: NeuronConfig[], to: NeuronConfig[]) => {
        for (let i = 0; i < NEURON_COUNT; i++) if (!from[i]!.equals(to[i]!)) builder.write(new AtomicNeuronOnDLS(i).toNeuronConfigOnDLS(), to[i]!, from[i]!);
      };
      write(configs.disarmed, configs.thresholdsOn);
      write(configs.thresholdsOn, configs.armed);
    }
    this.#written = { neurons, segment: this.#segment, routingKey: routed.key, calibration, madc: madcKey };

    // Experiment phase: the clock continues, or systime and timer restart (generators restart first and the
    // MADC starts one cycle early: every instruction takes a cycle, §5.2; the MADCControl write is two).
    let origin: number;
    if (continuous) origin = continuedOrigin;
    else {
      origin = restartGenerators ? ORIGIN_AFTER_GENERATORS : recording ? 3 : 0;
      builder.write(new SystimeSyncBaseOnDLS(), new SystimeSyncBase({ value: 0 }));
      builder.write(new SystimeSyncOnFPGA(), new SystimeSync({ doSync: true }));
      builder.write(timer, new Timer());
      if (restartGenerators) for (const w of generators) builder.write(w.coordinate, w.container);
      if (recording) {
        builder.waitUntil(origin - 3);
        builder.write(new MADCControlOnDLS(), new MADCControl({ startRecording: true, enableContinuousSampling: true }));
        this.#madcRunning = madcKey;
      }
      this.#clock = { segment: this.#segment, origin, start_ms };
    }
    const begin = this.options.injectedConfig?.insideRealtimeBegin;
    begin?.(builder);
    // CADC sweeps on the segment's grid (k · interval from time 0), one read per cycle, merged with the inputs.
    const cadcReads: { at: number; k: number; ticket: ContainerTicket<CADCSampleQuad> }[] = [];
    const commands: { cycle: number; emit(b: PlaybackProgramBuilder, at: number): void }[] = [];
    if (cadc !== undefined && cycles > 0) {
      const startCycle = msToCycles(start_ms);
      for (let sweep = Math.ceil(startCycle / cadc.interval_cycles) * cadc.interval_cycles; sweep < startCycle + cycles; sweep += cadc.interval_cycles) {
        for (let k = 0; k < CADC_READS_PER_SWEEP; k++) {
          commands.push({ cycle: sweep - startCycle + k, emit: (b, at) => cadcReads.push({ at, k, ticket: CadcNeuronReadout.readAt(b, k) }) });
        }
      }
    }
    const injected = this.#inputs.inject(builder, routed, {
      start_ms,
      end_ms,
      sendUntil_ms: end_ms + cyclesToMs(LOOKAHEAD_CYCLES),
      origin,
      nextInstructionAt: continuous || begin !== undefined ? -1 : recording || !restartGenerators ? origin : -1,
      continuous,
      commands,
    });
    // The simulated chip integrates in analog steps and lags the program by less than one step: spikes and MADC
    // samples of the run's last step reach the host only once the chip has passed the run's end by a step. What
    // arrives after the end belongs to the next run's time and is kept for it.
    if (this.options.injectedConfig?.insideRealtimeEnd !== undefined) {
      builder.waitUntil(Math.max(0, origin + cycles - 1));
      this.options.injectedConfig.insideRealtimeEnd(builder);
    }
    builder.waitUntil(Math.max(origin + cycles + drain, injected.lastTimer + 1));
    this.options.injectedConfig?.postRealtime?.(builder);
    const postRead = readAll(builder, this.options.injectedReadout?.postRealtime);
    const program = builder.done();
    this.#lastProgram = program;
    const t3 = now();
    await runProgram(this.connection, program);
    const t4 = now();
    this.#reads = { pre: preRead(), post: postRead() };

    // Results: spikes and samples in segment time.
    const originSystime = origin + SYSTIME_AT_TIMER_ZERO;
    let recordedSpikes = 0;
    for (const m of this.#recordingMembers()) this.data.recordsSpikes(m.population.firstId + m.index);
    // What the chip sent after the previous run's end counts only if this run continues it on the same clock.
    const pending = continuous ? this.#pending : { spikes: [], samples: [] };
    this.#pending = { spikes: [], samples: [] };
    const record = (id: number, t_ms: number) => {
      if (t_ms >= end_ms) this.#pending.spikes.push([id, t_ms]);
      else {
        this.data.recordsSpikes(id).push(t_ms);
        recordedSpikes++;
      }
    };
    for (const [id, t_ms] of pending.spikes) record(id, t_ms);
    for (const spike of program.spikes) {
      const t_cycles = spike.chipTime - originSystime;
      if (t_cycles < 0 || spike.chipTime >= STALE_SYSTIME) continue;
      const member = this.#memberOfLabel(routed, spike.label);
      if (member === undefined || !member.population.recorder.variablesOf(member.index).has('spikes')) continue;
      record(member.population.firstId + member.index, start_ms + cyclesToMs(t_cycles));
    }
    for (const [id, times] of injected.recorded) this.data.recordsSpikes(id).push(...times);
    let samples = 0;
    const sample = (channel: MadcChannel, t_ms: number, code: number) => {
      if (t_ms >= end_ms) {
        this.#pending.samples.push({ channel, t_ms, code });
        return;
      }
      const p = channel.population;
      const modelPotential = channel.variable === 'v' && p.cellType.kind === 'lif';
      const signal = this.data.signal(p.firstId + channel.index, channel.variable, modelPotential ? 'mV' : RAW_UNITS, cyclesToMs(madc.channelPeriod_ns / 8));
      signal.times.push(t_ms);
      signal.values.push(modelPotential ? madcCodeToModelMillivolt(code) : code);
      samples++;
    };
    for (const s of pending.samples) sample(s.channel, s.t_ms, s.code);
    for (const read of cadcReads) {
      const word = read.ticket.words[0]!;
      const neurons = CadcNeuronReadout.neuronsOfRead(read.k);
      neurons.forEach((circuit, e) => {
        const n = cadc!.neurons.get(circuit);
        if (n === undefined) return;
        const code = CadcNeuronReadout.codeOf(word, e);
        const model = n.population.cellType.kind === 'lif';
        const signal = this.data.signal(n.population.firstId + n.index, 'v', model ? 'mV' : RAW_UNITS, cadc!.interval_ms, 'cadc');
        signal.times.push(start_ms + cyclesToMs(read.at - origin));
        signal.values.push(model ? potentialToMillivolt(code) : code);
        samples++;
      });
    }
    for (const s of program.madcSamples) {
      const channel = madc.channels[s.channel];
      const t_cycles = s.chipTime - originSystime;
      if (channel === undefined || t_cycles < 0 || s.chipTime >= STALE_SYSTIME) continue;
      sample(channel, start_ms + cyclesToMs(t_cycles), s.value);
    }
    this.#time_ms = end_ms;
    this.data.current.t_stop = this.#time_ms;
    this.#runs.push({
      duration_ms,
      instructions: program.instructionCount,
      inputSpikes: injected.count,
      recordedSpikes,
      madcSamples: samples,
      settled: settle,
      wall_ms: { route: t1 - t0, calibrate: t2 - t1, build: t3 - t2, execute: t4 - t3 },
    });
  }

  *#recordingMembers(): Generator<{ population: Population; index: number }> {
    for (const p of this.populations) for (let i = 0; i < p.size; i++) if (p.recorder.variablesOf(i).has('spikes')) yield { population: p, index: i };
  }

  #memberOfLabel(routed: Routed, label: number): { population: Population; index: number } | undefined {
    let member = routed.labelCache.get(label);
    if (member === undefined) {
      const location = routed.result.populationOf(new SpikeLabel(label));
      const population = location === undefined || !location.recorded ? undefined : this.populations.find((p) => p.label === location.population);
      member = population === undefined ? null : { population, index: location!.index };
      routed.labelCache.set(label, member);
    }
    return member ?? undefined;
  }
}

