import { AtomicNeuronOnDLS } from '@bss2/halco';
import { NeuronArray, NeuronParameters, NeuronPhase, Random, streamSeed, type ChipVariation, type VoltageTransferChoice } from '../analog/index.js';
import type { ChipModel, ChipModelContext, ChipModelFactory, EventSink } from '../chip-model.js';
import { ChipSimArgumentError } from '../errors.js';
import { EventRouter, type SynapticInputSink } from '../events/index.js';
import { WriteDecoder } from '../events/register-writes.js';
import { analogOptionsSchema } from '../options.js';
import { kernelTableSize } from '../analog/neuron-array.js';
import { type WasmEngine, engineFor } from '../analog/wasm-engine.js';
import { Cadc } from '../readout/cadc.js';
import { Madc } from '../readout/madc.js';
import { type PPUFaultRecord, type PPUState, PlasticityProcessors } from '../ppu/index.js';
import { chipVariation } from './chip-variations.js';
import { NeuronConfiguration } from './neuron-configuration.js';
import { type NeuronWiring, neuronWiring } from './neuron-wiring.js';
import { RecordedEvents } from './recorded-events.js';

/** Options of the analog chip model (the default model of `SimulatedChip`). */
export interface AnalogChipModelOptions {
  /** The fixed analog step in ns, a positive multiple of 2 ns (the 500 MHz MADC clock); default 100. */
  analogStep_ns?: number;
  /** No fixed-pattern variation: exactly the nominal transfer functions of hardware.md §8.3; default false. */
  idealChip?: boolean;
  /** Seeded temporal noise of §8.4 (membrane σ 1 mV, MADC 1.5 LSB, CADC 1 LSB); default off. */
  temporalNoise?: boolean;
  /**
   * The neuron engine's hot loops (step and event scatter): `'wasm'` (WebAssembly SIMD), `'typescript'`, or
   * `'auto'` (default: WebAssembly where the runtime has SIMD). Results are bit-identical.
   */
  engine?: 'auto' | 'wasm' | 'typescript';
  /**
   * How the leak, reset and threshold settings become potentials: `'perParameter'` (default; lola
   * `neuronVoltageTransfers`) or `'datasheet'` (every voltage cell `1.2 V · value / 1022`, hardware.md §8.3).
   */
  voltageTransfer?: VoltageTransferChoice;
  /**
   * The PPU instruction timeout: PPU cycles (250 per µs) a core may run after its start without halting before
   * it stops with a timeout fault; default 2 500 000 (10 ms of chip time).
   */
  ppuTimeout_cycles?: number;
}

export const DEFAULT_ANALOG_STEP_NS = 100;
const CYCLE_NS = 8;
const HALF_CYCLE_NS = 4;
/** Steps between two tests for a fixed point of the whole array while it is active. */
const QUIESCENCE_CHECK_STEPS = 32;
/** A step that moves no membrane by more than this (mV) and leaves synaptic inputs below ε is a fixed point. */
const REST_MEMBRANE_MV = 1e-9;
const REST_SYNAPTIC_NA = 1e-12;
const REST_ADAPTATION_NA = 1e-12;
const NEURONS = AtomicNeuronOnDLS.size;
/**
 * Step of the relaxation engine (ns, rounded down to a multiple of the analog step): input-free linear circuits
 * are integrated exactly by their propagators at any step, so waits in which nothing arrives take few steps.
 */
const RELAXATION_STEP_NS = 10_000;
/** Analog steps after a relaxation that had to be undone (a spike) before the next attempt. */
const RELAXATION_BACKOFF_STEPS = 1024;

/** What a write means to the analog model (the event path decodes its own part). */
const Action = {
  none: 0,
  neuronConfig: 1,
  backend: 2,
  commonBackend: 3,
  capMemCell: 4,
  capMemBlockConfig: 5,
  neuronReset: 6,
  neuronResetQuad: 7,
  madcConfig: 8,
  madcControl: 9,
  readoutSelection: 10,
} as const;

/** A factory for `SimulatedChip({ model })`: the analog chip model with `options`. */
export function analogChipModel(options: AnalogChipModelOptions = {}): ChipModelFactory {
  checkOptions(options);
  return (context) => new AnalogChipModel(context, options);
}

function checkOptions(options: AnalogChipModelOptions): void {
  const checked = analogOptionsSchema.safeParse(options);
  if (checked.success) return;
  // One option at a fault is named as itself; a non-object or a foreign key, as the whole `analog`.
  const issue = checked.error.issues[0]!;
  const key = issue.code === 'unrecognized_keys' ? undefined : issue.path[0];
  throw key === undefined ? new ChipSimArgumentError('analog', options, issue.message) : new ChipSimArgumentError(String(key), options[key as keyof AnalogChipModelOptions], issue.message);
}

/** How the model spent chip time since power-on (for tests and benchmarks; not chip state). */
export interface AnalogModelStatistics {
  /** Analog steps integrated one by one. */
  steps: number;
  /** Long steps of the relaxation engine (input-free linear circuits). */
  relaxationSteps: number;
  /** Chip time (ns) skipped because nothing could change. */
  skipped_ns: number;
}

/** The analog side of the chip, built when a program first touches it (a pristine chip needs none of it). */
interface AnalogParts {
  readonly parameters: NeuronParameters;
  readonly neurons: NeuronArray;
  readonly configuration: NeuronConfiguration;
  readonly madc: Madc;
  readonly cadc: Cadc;
}

/**
 * The whole chip as one model (hardware.md §1.3, §3, §8): the neuron engine (`NeuronArray`, parameters from
 * the register file through `NeuronConfiguration`), the event path (`EventRouter`), MADC and CADC, all driven
 * by the register state that programs write — nothing else configures it.
 *
 * Time: the engine advances in fixed steps of `analogStep_ns` on the chip-time grid; the model keeps it at the
 * last step boundary not after the core's cycle (it lags by less than one step). Events inside a step act at
 * their exact time (FPGA and background events at their cycle); configuration writes and resets take effect at
 * the first step boundary at or after the write; neuron spikes are routed when their step is done, so the
 * synaptic events they cause start at the end of that step (a latency below one step). While nothing in the
 * array can change (a fixed point, no pending events, no noise) whole runs of steps are skipped.
 *
 * Cost: the event path is built on the first event or event-path trigger, the analog side on the first write
 * to a neuron, CapMem or readout unit, synaptic input or CADC conversion — until then every circuit sits at its
 * power-on state, which cannot change, and a chip costs no more than the digital core.
 */
export class AnalogChipModel implements ChipModel, SynapticInputSink {
  readonly passive = false;
  readonly step_ns: number;
  /**
   * An event at chip time t in cycle c (t < 8(c + 1) ns) belongs to the step [t0, t0 + h) with t0 ≤ t, and
   * `advanceTo(C)` finishes that step once t0 + h ≤ 8C ns: by C = c + 1 + ⌈h / 8 ns⌉ at the latest. Spikes are
   * routed and MADC samples emitted when their step is done; events of the event path (FPGA input, background
   * generators) are reported at their cycle, earlier.
   */
  readonly responseLatency_cycles: number;
  readonly statistics: AnalogModelStatistics = { steps: 0, relaxationSteps: 0, skipped_ns: 0 };
  private readonly context: ChipModelContext;
  private readonly noise: boolean;
  private readonly idealChip: boolean;
  private readonly recorded = new RecordedEvents();
  private readonly writes: WriteDecoder;
  private readonly reads: WriteDecoder;
  private readonly routerTriggers: WriteDecoder;
  private eventRouter: EventRouter | undefined;
  private readonly engineChoice: 'auto' | 'wasm' | 'typescript';
  private readonly voltageTransfer: VoltageTransferChoice;
  /** The WebAssembly engine of the main neuron array, with the router's fan-out in its memory (null: none). */
  private wasm: WasmEngine | null | undefined;
  private parts: AnalogParts | undefined;
  private fixedPattern: ChipVariation | undefined;
  /** The core's cycle at the last `advanceTo`. */
  private now = 0;
  /** Chip time (ns) of the engine's time 0: skipped steps move it, never the engine. */
  private origin_ns = 0;
  private quiescent = false;
  /** Relaxing: nothing arrives and every circuit is linear, the relaxation engine may take long steps. */
  private relaxing = false;
  /** Every circuit linear and uncoupled (no exponential term, adaptation, COBA, conductance coupling). */
  private linearChip = true;
  private relaxationBackoff = 0;
  private relaxationEngine: NeuronArray | undefined;
  /** Engine time (ns) of the latest synaptic input handed to the engine: pending while ≥ the engine's time. */
  private lastInput_ns = -Infinity;
  /** Engine time (ns) until which some circuit may still be in its reset or refractory phase (from its spikes). */
  private refractoryUntil_ns = -Infinity;
  private stepsSinceCheck = 0;
  private readonly resetPending = new Uint8Array(NEURONS);
  private readonly resetList = new Int32Array(NEURONS);
  private resetCount = 0;
  private resetDue_ns = Infinity;
  private readonly wiring: NeuronWiring = neuronWiring();
  private readonly snapshot = new Float64Array(2 * NEURONS);
  private readonly relaxationState = new Float64Array(4 * NEURONS);
  /** The two plasticity processors, interleaved with the rest of the chip in `advanceTo` (hardware.md §7). */
  readonly ppus: PlasticityProcessors;

  constructor(context: ChipModelContext, options: AnalogChipModelOptions = {}) {
    checkOptions(options);
    this.context = context;
    this.step_ns = options.analogStep_ns ?? DEFAULT_ANALOG_STEP_NS;
    this.responseLatency_cycles = Math.ceil(this.step_ns / CYCLE_NS) + 1;
    this.noise = options.temporalNoise ?? false;
    this.idealChip = options.idealChip ?? false;
    this.engineChoice = options.engine ?? 'auto';
    this.voltageTransfer = options.voltageTransfer ?? 'perParameter';
    this.writes = new WriteDecoder(context.map, {
      NeuronConfig: Action.neuronConfig,
      NeuronBackendConfig: Action.backend,
      CommonNeuronBackendConfig: Action.commonBackend,
      CapMemCell: Action.capMemCell,
      CapMemBlockConfig: Action.capMemBlockConfig,
      NeuronReset: Action.neuronReset,
      NeuronResetQuad: Action.neuronResetQuad,
      MADCConfig: Action.madcConfig,
      MADCControl: Action.madcControl,
      ReadoutSourceSelection: Action.readoutSelection,
    });
    this.reads = new WriteDecoder(context.map, { CADCSampleQuad: 1 });
    // Writes that make the event path act at once (the rest it reads from the registers when it is built).
    this.routerTriggers = new WriteDecoder(context.map, { BackgroundSpikeSource: 1, PADIEvent: 1, BlockPostPulse: 1 });
    this.ppus = new PlasticityProcessors(
      context,
      {
        advanceChip: (cycle) => this.advanceChip(cycle),
        onWrite: (address, value) => this.onWrite(address, value),
        beforeRead: (address) => this.beforeRead(address, this.now),
        cadc: () => this.cadc,
        correlation: () => this.router.correlation,
      },
      options.ppuTimeout_cycles,
    );
  }

  // ---- plasticity processors (hardware.md §7) ------------------------------------------------------------

  /** The fault that stopped PPU `ppu`, or undefined. */
  ppuFault(ppu: number): PPUFaultRecord | undefined {
    return this.ppus.fault(ppu);
  }

  /** The state of PPU `ppu` (reset, running, halted, faulted; PC, cycle). */
  ppuState(ppu: number): PPUState {
    return this.ppus.state(ppu);
  }

  /** The chip's fixed pattern (hardware.md §8.4), or the ideal chip's. */
  get variation(): ChipVariation {
    return (this.fixedPattern ??= chipVariation(this.context.seed, this.idealChip));
  }

  /** The event path (built on first use). */
  get router(): EventRouter {
    if (this.eventRouter !== undefined) return this.eventRouter;
    const engine = this.wasmEngine();
    return (this.eventRouter = new EventRouter({
      registers: this.context.registers,
      sink: this,
      recorder: this.recorded,
      variation: this.variation,
      fanOut: engine === undefined ? undefined : { target: engine.fanTarget!, weight: engine.fanWeight! },
    }));
  }

  /**
   * The main neuron array's WebAssembly engine (made once, before the router and the array that share it), or
   * undefined with the TypeScript engine. A step too long for kernel tables has no fan-out to scatter.
   */
  private wasmEngine(): WasmEngine | undefined {
    if (this.wasm === undefined) {
      const kernelSize = kernelTableSize(this.step_ns);
      this.wasm = engineFor(this.engineChoice, { kernelSize, fanOut: kernelSize > 0 }) ?? null;
    }
    return this.wasm ?? undefined;
  }

  get parameters(): NeuronParameters {
    return this.analog().parameters;
  }

  get neurons(): NeuronArray {
    return this.analog().neurons;
  }

  get configuration(): NeuronConfiguration {
    return this.analog().configuration;
  }

  get madc(): Madc {
    return this.analog().madc;
  }

  get cadc(): Cadc {
    return this.analog().cadc;
  }

  /** The chip time (ns) up to which the analog state is integrated (a step boundary). */
  get analogTime_ns(): number {
    return (this.parts?.neurons.time_ns ?? 0) + this.origin_ns;
  }

  /** The analog side, built now if it does not exist: every circuit at its power-on state from `time_ns` on. */
  private analog(time_ns = CYCLE_NS * this.now): AnalogParts {
    if (this.parts !== undefined) return this.parts;
    const { registers, seed } = this.context;
    const variation = this.variation;
    const parameters = new NeuronParameters(variation, undefined, this.voltageTransfer);
    const engine = this.wasmEngine();
    const neurons = new NeuronArray(parameters, {
      step_ns: this.step_ns,
      membraneNoise: this.noise,
      noiseSeed: streamSeed(seed, 'noise.membrane', 0),
      engine: engine === undefined ? 'typescript' : 'wasm',
      ...(engine === undefined ? {} : { wasmEngine: engine }),
    });
    const configuration = new NeuronConfiguration(registers, parameters);
    const madc = new Madc(registers, configuration, neurons, parameters, this.recorded, this.noise ? new Random(streamSeed(seed, 'noise.madc', 0)) : undefined);
    const router = this.router;
    const cadc = new Cadc(
      registers,
      this.context.modelOwned('CADCSampleQuad'),
      configuration,
      neurons,
      parameters,
      router.correlation,
      router.topology,
      variation,
      this.noise ? new Random(streamSeed(seed, 'noise.cadc', 0)) : undefined,
    );
    configuration.reset();
    neurons.resetState();
    // Until now nothing could move: the engine starts on the step grid at the present time.
    this.origin_ns = Math.floor(time_ns / this.step_ns) * this.step_ns;
    this.quiescent = this.relaxing = false;
    this.parts = { parameters, neurons, configuration, madc, cadc };
    return this.parts;
  }

  // ---- ChipModel ------------------------------------------------------------------------------------------

  advanceTo(cycle: number): void {
    // The PPUs run first; each access of theirs beyond local memory brings the chip to its cycle (advanceChip).
    this.ppus.runTo(cycle);
    this.advanceChip(cycle);
  }

  /** Simulates the analog engine and the event path up to (excluding) FPGA cycle `cycle`. */
  private advanceChip(cycle: number): void {
    if (cycle < this.now) return;
    this.now = cycle;
    if (this.parts !== undefined) this.integrateTo(this.parts, CYCLE_NS * cycle);
    // Background events up to the cycle itself: a write at `cycle` must not reroute earlier ones.
    this.eventRouter?.advanceTo(cycle);
  }

  onWrite(address: number, _value: number): void {
    const cycle = this.now;
    this.ppus.onWrite(address, cycle);
    const time = CYCLE_NS * cycle;
    if (this.eventRouter !== undefined || this.routerTriggers.decode(address) !== 0) this.router.onWrite(address, cycle);
    const action = this.writes.decode(address);
    if (action === Action.none) return;
    const unit = this.writes.unit;
    const { configuration, madc } = this.analog();
    switch (action) {
      case Action.neuronConfig:
        configuration.onCircuitWords(this.wiring.circuitOfConfig[unit]!, time);
        break;
      case Action.backend:
        configuration.onCircuitWords(this.router.topology.backendCircuit[unit]!, time);
        break;
      case Action.commonBackend:
        configuration.onCommonBackend(unit, time);
        break;
      case Action.capMemCell:
        configuration.onCapMemCell(unit, time);
        break;
      case Action.capMemBlockConfig:
        configuration.onCapMemBlockConfig(unit, time);
        break;
      case Action.neuronReset:
        this.scheduleReset(this.wiring.circuitOfReset[unit]!, time);
        break;
      case Action.neuronResetQuad:
        for (let k = 0; k < 4; k++) this.scheduleReset(this.wiring.circuitsOfResetQuad[4 * unit + k]!, time);
        break;
      case Action.madcConfig:
        madc.onConfig();
        break;
      case Action.madcControl:
        madc.onControl(time);
        break;
      case Action.readoutSelection:
        madc.onSourceSelection();
        break;
    }
  }

  beforeRead(address: number, _cycle: number): void {
    if (this.reads.decode(address) !== 0) this.analog().cadc.beforeRead(this.reads.unit);
  }

  injectSpikes(labels: ArrayLike<number>, count: number, cycle: number): void {
    const router = this.router;
    for (let i = 0; i < count; i++) router.routeExternalEvent(labels[i]!, cycle);
  }

  drainEvents(sink: EventSink): void {
    if (!this.recorded.empty) this.recorded.drain(sink);
  }

  onReset(cycle: number): void {
    this.now = cycle;
    this.ppus.onReset(cycle);
    this.eventRouter?.onReset(cycle);
    this.resetPending.fill(0);
    this.resetCount = 0;
    this.resetDue_ns = Infinity;
    const parts = this.parts;
    if (parts === undefined) return;
    parts.configuration.reset();
    parts.madc.reset();
    // The engine restarts at its time 0 on the present step boundary.
    this.origin_ns += parts.neurons.time_ns;
    parts.neurons.resetState();
    this.lastInput_ns = this.refractoryUntil_ns = -Infinity;
    this.quiescent = this.relaxing = false;
  }

  /** Synaptic input from the event path (SynapticInputSink): at its cycle, or at once if that step is done. */
  synapticInputs(targets: Uint16Array, weights: Float32Array, from: number, to: number, pulse: number, cycle: number): void {
    const parts = this.parts ?? this.analog(CYCLE_NS * cycle);
    const neurons = parts.neurons;
    const time = CYCLE_NS * cycle - this.origin_ns;
    this.quiescent = this.relaxing = false;
    neurons.queueSynapticInputs(targets, weights, from, to, pulse, time);
    // The engine takes an event before its time as now; it is pending until a step has passed its time.
    this.lastInput_ns = Math.max(this.lastInput_ns, time, neurons.time_ns);
  }

  // ---- integration ----------------------------------------------------------------------------------------

  private integrateTo(p: AnalogParts, target_ns: number): void {
    const h = this.step_ns;
    const { configuration, neurons } = p;
    const settling = configuration.settling;
    const router = this.router;
    for (;;) {
      const t0 = neurons.time_ns + this.origin_ns;
      if (t0 + h > target_ns) return;
      if (settling.nextUpdate_ns <= t0) configuration.settle();
      if (configuration.due_ns <= t0) this.applyConfiguration(p);
      if (this.resetDue_ns <= t0) this.applyResets(p);
      router.advanceTo(Math.ceil((t0 + h) / CYCLE_NS));
      if (this.quiescent) this.skip(p, t0, target_ns);
      else if (this.relaxing) this.relax(p, t0, target_ns);
      else this.step(p, t0);
    }
  }

  /** The chip time (ns) of the next thing that may change the analog state: an input source or a scheduled change. */
  private wake_ns(p: AnalogParts, target_ns: number): number {
    const generators = this.router.generators.next_cycles;
    let wake = Math.min(target_ns, p.configuration.due_ns, p.configuration.settling.nextUpdate_ns, this.resetDue_ns);
    for (let i = 0; i < generators.length; i++) wake = Math.min(wake, CYCLE_NS * generators[i]!);
    return wake;
  }

  /** Nothing can change until the next event source or scheduled change: move time on, not the engine. */
  private skip(p: AnalogParts, t0: number, target_ns: number): void {
    const h = this.step_ns;
    const steps = Math.max(1, Math.floor((this.wake_ns(p, target_ns) - t0) / h));
    if (p.madc.isRecording) p.madc.hold(t0, t0 + steps * h);
    this.origin_ns += steps * h;
    this.statistics.skipped_ns += steps * h;
  }

  private step(p: AnalogParts, t0: number): void {
    const array = p.neurons;
    const check = ++this.stepsSinceCheck >= QUIESCENCE_CHECK_STEPS && this.mayRest(array);
    if (check) {
      this.stepsSinceCheck = 0;
      this.snapshot.set(array.membrane_mV, 0);
      this.snapshot.set(array.adaptation_nA, NEURONS);
    }
    const recording = p.madc.isRecording;
    if (recording) p.madc.stepStart();
    array.advance(1);
    this.statistics.steps++;
    const spikes = array.spikeCount;
    if (spikes > 0) this.routeSpikes(array);
    if (recording) p.madc.stepEnd(t0, t0 + this.step_ns);
    if (this.relaxationBackoff > 0) this.relaxationBackoff--;
    if (check && spikes === 0) {
      this.quiescent = this.atRest(array);
      this.relaxing = !this.quiescent && this.linearChip && this.relaxationBackoff === 0 && !p.madc.isRecording;
    }
  }

  /**
   * Relaxation: no input is pending or due before the next wake-up, every node is free and linear, so a second
   * engine with a long step integrates the same dynamics exactly (the propagators are exact at any step). Its
   * state comes back at the end; a step in which a circuit fires is undone and the analog steps take over from
   * its start (the spike must reach the event path at its time).
   */
  private relax(p: AnalogParts, t0: number, target_ns: number): void {
    const h = this.step_ns;
    const big = Math.max(h, Math.floor(RELAXATION_STEP_NS / h) * h);
    const steps = Math.floor((this.wake_ns(p, target_ns) - t0) / big);
    this.relaxing = false;
    if (steps < 2 || p.madc.isRecording) {
      this.step(p, t0);
      return;
    }
    const fine = p.neurons;
    const coarse = (this.relaxationEngine ??= new NeuronArray(p.parameters, { step_ns: big, engine: this.engineChoice }));
    coarse.resetState();
    copyState(fine, coarse);
    const saved = this.relaxationState;
    let done = 0;
    let rest = false;
    for (; done < steps && !rest; done++) {
      saveState(coarse, saved);
      coarse.advance(1);
      if (coarse.spikeCount > 0) {
        coarse.clearSpikes();
        restoreState(saved, coarse);
        this.relaxationBackoff = RELAXATION_BACKOFF_STEPS;
        break;
      }
      rest = movedLessThan(saved, coarse);
    }
    copyState(coarse, fine);
    this.origin_ns += done * big;
    this.statistics.relaxationSteps += done;
    this.quiescent = rest;
  }

  /** The engine's spikes of the step just done enter the event path at their cycle (and 250 MHz tick). */
  private routeSpikes(array: NeuronArray): void {
    const router = this.router;
    const refractory = array.parameters.refractoryPeriod_ns;
    const n = array.spikeCount;
    for (let i = 0; i < n; i++) {
      const until = array.spikeTime_ns[i]! + refractory[array.spikeCircuit[i]!]!;
      if (until > this.refractoryUntil_ns) this.refractoryUntil_ns = until;
      const t = array.spikeTime_ns[i]! + this.origin_ns;
      const cycle = Math.floor(t / CYCLE_NS);
      router.routeNeuronSpike(array.spikeCircuit[i]!, cycle, Math.floor(t / HALF_CYCLE_NS) - 2 * cycle === 1 ? 1 : 0);
    }
    array.clearSpikes();
  }

  /** Whether a fixed-point test can succeed: no noise, no pending or decaying input, every node free. */
  private mayRest(array: NeuronArray): boolean {
    // A spike's reset and refractory phase lasts its refractory period; merged nodes are checked below.
    if (this.noise || this.lastInput_ns >= array.time_ns || this.refractoryUntil_ns >= array.time_ns) return false;
    // Cheapest first: an active network fails on its first circuit.
    const exc = array.synapticExc_nA;
    const inh = array.synapticInh_nA;
    for (let c = 0; c < NEURONS; c++) if (Math.abs(exc[c]!) > REST_SYNAPTIC_NA || Math.abs(inh[c]!) > REST_SYNAPTIC_NA) return false;
    for (let c = 0; c < NEURONS; c++) if (array.phaseOf(c) !== NeuronPhase.free) return false;
    return true;
  }

  /** The step just done left every state variable where it was (within rounding): a fixed point. */
  private atRest(array: NeuronArray): boolean {
    const s = this.snapshot;
    for (let c = 0; c < NEURONS; c++) {
      if (Math.abs(array.membrane_mV[c]! - s[c]!) > REST_MEMBRANE_MV) return false;
      if (Math.abs(array.synapticExc_nA[c]!) > REST_SYNAPTIC_NA || Math.abs(array.synapticInh_nA[c]!) > REST_SYNAPTIC_NA) return false;
      if (Math.abs(array.adaptation_nA[c]! - s[NEURONS + c]!) > REST_ADAPTATION_NA) return false;
    }
    return true;
  }

  /** Pending configuration reaches the engine; a circuit that may now move ends a quiescent period. */
  private applyConfiguration(p: AnalogParts): void {
    const config = p.configuration;
    config.apply();
    if (config.changedCount === 0) return;
    p.madc.onNeuronReadout();
    this.linearChip = isLinearChip(p.parameters);
    this.relaxing = false;
    if (!this.quiescent) return;
    for (let i = 0; i < config.changedCount; i++) {
      if (!this.staysAtRest(p, config.changed[i]!)) {
        this.quiescent = false;
        return;
      }
    }
  }

  /**
   * Whether circuit `c` certainly stays where it is under its new parameters (a conservative test): a lone
   * circuit with nothing driving it — no leak pulling it elsewhere, no offset or synaptic shift current, no
   * adaptation, no exponential term, no comparator that would fire at its present voltage.
   */
  private staysAtRest(parts: AnalogParts, c: number): boolean {
    const p = parts.parameters;
    const v = parts.neurons.membrane_mV[c]!;
    if (p.connectSoma[c] || p.connectSomaRight[c] || p.connectRight[c] || p.connectVertical[c] || p.enableConductance[c]) return false;
    if (c % 128 !== 0 && p.connectRight[c - 1]) return false;
    if (p.connectVertical[c ^ 256]) return false;
    if (p.leakConductance_nS[c] !== 0 && p.leakPotential_mV[c] !== v) return false;
    if (p.constantCurrent_nA[c] !== 0 || p.adaptationEnabled[c] || p.exponentialEnabled[c]) return false;
    if (p.synapticInputEnabledExc[c] && p.gmExc[c] !== 0 && p.shiftExc_nA[c] !== 0 && !p.cobaExc[c]) return false;
    if (p.synapticInputEnabledInh[c] && p.gmInh[c] !== 0 && p.shiftInh_nA[c] !== 0 && !p.cobaInh[c]) return false;
    return !(p.fireEnabled[c] && v >= p.thresholdPotential_mV[c]!);
  }

  // ---- NeuronReset / NeuronResetQuad (hardware.md §3.4) ----------------------------------------------------

  private scheduleReset(circuit: number, time_ns: number): void {
    if (this.resetPending[circuit] === 0) {
      this.resetPending[circuit] = 1;
      this.resetList[this.resetCount++] = circuit;
    }
    if (time_ns < this.resetDue_ns) this.resetDue_ns = time_ns;
  }

  /**
   * **Choice:** a NeuronReset pulls the circuit's membrane (its whole node) to its reset potential at the first
   * step boundary at or after the write; no spike, no refractory period, synaptic inputs untouched.
   */
  private applyResets(p: AnalogParts): void {
    for (let i = 0; i < this.resetCount; i++) {
      const c = this.resetList[i]!;
      this.resetPending[c] = 0;
      p.neurons.setMembrane_mV(c, p.parameters.resetPotential_mV[c]!);
    }
    this.resetCount = 0;
    this.resetDue_ns = Infinity;
    this.quiescent = this.relaxing = false;
  }
}

/** Every circuit integrates linearly and on its own node's terms (no term the long step would get wrong). */
function isLinearChip(p: NeuronParameters): boolean {
  for (let c = 0; c < NEURONS; c++) {
    if (p.exponentialEnabled[c] || p.adaptationEnabled[c] || p.enableConductance[c]) return false;
    if ((p.cobaExc[c] && p.synapticInputEnabledExc[c]) || (p.cobaInh[c] && p.synapticInputEnabledInh[c])) return false;
  }
  return true;
}

function copyState(from: NeuronArray, to: NeuronArray): void {
  to.membrane_mV.set(from.membrane_mV);
  to.synapticExc_nA.set(from.synapticExc_nA);
  to.synapticInh_nA.set(from.synapticInh_nA);
  to.adaptation_nA.set(from.adaptation_nA);
}

function saveState(array: NeuronArray, saved: Float64Array): void {
  saved.set(array.membrane_mV, 0);
  saved.set(array.synapticExc_nA, NEURONS);
  saved.set(array.synapticInh_nA, 2 * NEURONS);
  saved.set(array.adaptation_nA, 3 * NEURONS);
}

function restoreState(saved: Float64Array, array: NeuronArray): void {
  array.membrane_mV.set(saved.subarray(0, NEURONS));
  array.synapticExc_nA.set(saved.subarray(NEURONS, 2 * NEURONS));
  array.synapticInh_nA.set(saved.subarray(2 * NEURONS, 3 * NEURONS));
  array.adaptation_nA.set(saved.subarray(3 * NEURONS, 4 * NEURONS));
}

/** Whether a long step moved no membrane noticeably and left no synaptic input: the circuits are at rest. */
function movedLessThan(saved: Float64Array, array: NeuronArray): boolean {
  for (let c = 0; c < NEURONS; c++) {
    if (Math.abs(array.membrane_mV[c]! - saved[c]!) > REST_MEMBRANE_MV) return false;
    if (Math.abs(array.synapticExc_nA[c]!) > REST_SYNAPTIC_NA || Math.abs(array.synapticInh_nA[c]!) > REST_SYNAPTIC_NA) return false;
  }
  return true;
}
