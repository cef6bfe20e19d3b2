import { ChipSimArgumentError } from '../errors.js';
import type { NeuronParameters } from './neuron-parameters.js';
import { createFastPath } from './fast-path.js';
import { InputEventQueue, StepInputLog } from './input-events.js';
import { COLD_COEFFICIENTS, HOT_COEFFICIENTS, PairFlag, STEP_LOG_CAPACITY, type WasmEngine, engineFor } from './wasm-engine.js';
import { NodeModel, phi } from './propagators.js';
import { Random, streamSeed } from './random.js';
import { SUPPLY_MAX_MV } from './transfer.js';
import { NEURON_COUNT, temporalNoiseMagnitudes } from './variation.js';

/** Synaptic input of a circuit (hardware.md §8.2); the values of halco `SynapticInputOnNeuron`. */
export const Receptor = Object.freeze({ excitatory: 0, inhibitory: 1 });
export type Receptor = (typeof Receptor)[keyof typeof Receptor];

/** Phase of a node's backend (§8.1). */
export const NeuronPhase = Object.freeze({ free: 0, reset: 1, refractory: 2 });

/** The circuit constants the kernel tables depend on: C, g, the two synaptic rates, the two g_m. */
const KERNEL_INPUTS = 6;
const { free: FREE, reset: RESET, refractory: REFRACTORY } = NeuronPhase;
/** Synaptic input targets are `receptor · 512 + circuit` (see `SynapticInputSink`). */
const CIRCUIT_MASK = NEURON_COUNT - 1;
/** Targets per kernel-table entry: the tables are indexed [s / 2 ns][target], so one row event reads neighbours. */
const TARGETS = 2 * NEURON_COUNT;
const RECEPTOR_SHIFT = Math.log2(NEURON_COUNT);
/**
 * Steps up to this length keep exact kernel tables (2 · 512 · (h / 2 ns + 1) entries each, 4 MB at the limit)
 * and sum events into the step accumulators; longer steps take every event through the queue.
 */
const MAX_KERNEL_STEP_NS = 510;

/** Entries per kernel table of an engine with step `step_ns`: h / 2 ns + 1, or 0 beyond MAX_KERNEL_STEP_NS. */
export function kernelTableSize(step_ns: number): number {
  return step_ns <= MAX_KERNEL_STEP_NS ? step_ns / 2 + 1 : 0;
}
// A module-local copy of the supply rail for the inner loops.
const SUPPLY_MV = SUPPLY_MAX_MV;
/** Root finding of a threshold crossing stops at this bracket width (1 fs) or this distance from threshold. */
const CROSSING_TIME_TOLERANCE_US = 1e-9;
const CROSSING_VOLTAGE_TOLERANCE_MV = 1e-9;
const MAX_CROSSING_ITERATIONS = 100;

export interface NeuronArrayOptions {
  /** The fixed analog step in ns: a positive multiple of 2 ns (one 500 MHz MADC clock). */
  step_ns: number;
  /** Seeded temporal membrane noise (§8.4): off by default; `true` uses σ = 1 mV, a number sets σ in mV. */
  membraneNoise?: boolean | number;
  /** Seed of the noise stream; default: derived from the chip seed of the parameters' variation. */
  noiseSeed?: number;
  /**
   * The fast path's implementation: `'wasm'` (WebAssembly SIMD), `'typescript'`, or `'auto'` (default: wasm
   * where the runtime has WebAssembly SIMD). Both give bit-identical results (tested).
   */
  engine?: 'auto' | 'wasm' | 'typescript';
  /**
   * An engine instance made by the chip model (with the event router's fan-out in its memory).
   * @internal
   */
  wasmEngine?: WasmEngine;
  /**
   * Configuration changes that keep the compartment topology update only the nodes they touch (default);
   * `false` rebuilds every derived table on each change (the reference the incremental update is tested against).
   */
  incrementalUpdates?: boolean;
}

/**
 * The analog state of the 512 neuron circuits and its fixed-step integration (hardware.md §8.1, §8.2).
 *
 * State, per circuit (typed arrays indexed by AtomicNeuronOnDLS enum value): membrane `membrane_mV`, synaptic
 * integrators `synapticExc_nA` / `synapticInh_nA` (the x of §8.2: the PSC at g_m = 1), adaptation current
 * `adaptation_nA`; per node (merged membranes, at the node's lowest circuit): backend phase and the times its
 * reset and refractory period end. Time is `time_ns`, always a whole number of steps.
 *
 * Numerical scheme (see the README): linear dynamics use the exact propagator; input events act at their exact
 * time inside a step (the step is split there); threshold crossings are located by root finding on the same
 * solution and stamped with the crossing time; AdEx and COBA terms use an exponential Rosenbrock–Euler step.
 * Spikes are appended to `spikeCircuit` / `spikeTime_ns` (sorted by time within each step) until `clearSpikes`.
 */
export class NeuronArray {
  readonly parameters: NeuronParameters;
  readonly step_ns: number;
  private readonly step_us: number;
  private readonly noiseSigma_mV: number;
  private readonly noise: Random;
  private model!: NodeModel;
  /** The fast path of the current configuration (see `createFastPath`); returns the number of deferred nodes. */
  private fastPath!: (t1: number) => number;
  private configuredVersion = -1;
  private readonly incrementalUpdates: boolean;
  private stepIndex = 0;

  /** The WebAssembly fast path and the memory the state arrays below live in (undefined: TypeScript engine). */
  private readonly wasm: WasmEngine | undefined;
  /** Which fast path steps the array: `'wasm'` or `'typescript'` (identical results). */
  readonly engine: 'wasm' | 'typescript';

  readonly membrane_mV: Float64Array;
  readonly synapticExc_nA: Float64Array;
  readonly synapticInh_nA: Float64Array;
  readonly adaptation_nA = new Float64Array(NEURON_COUNT);
  /** NeuronPhase per node, as floats (the WebAssembly engine compares it lane-wise). */
  private readonly phase: Float64Array;
  private readonly resetEnd_ns: Float64Array;
  private readonly refractoryEnd_ns: Float64Array;
  /** Coupling current into each node (at its representative), from the voltages at the step start. */
  private readonly couplingCurrent_nA: Float64Array;
  /** Fast-path nodes handed to the general path in the current step. */
  private readonly deferred: Int32Array;

  /** Events for the exact path: general nodes, bypassed inputs, events beyond the present step. */
  private readonly events: InputEventQueue;

  /**
   * Synaptic input of the present step for the circuits that take it on the fast path (single-circuit linear
   * nodes without bypass, see `accumulates`): each event's exact effect on the step's end state, summed as it
   * arrives — membrane `Δx·(g_m/C)·e^{−s/τ}·φ(λ − 1/τ, s)` and integrator `Δx·e^{−s/τ}` with s = t1 − τ (the
   * superposition of `superpose`, done once per event instead of through a queue). `stepInput_nA` is indexed
   * by target `receptor · 512 + circuit`. The events are also kept in `stepLog`, so a circuit that turns out
   * to cross threshold, end a phase or sit in its reset phase takes them through the exact path instead.
   */
  private readonly stepMembrane_mV: Float64Array;
  private readonly stepInput_nA: Float64Array;
  /**
   * The WebAssembly engine's word per pair of circuits (PairFlag): which lanes need its full branch (not a
   * fast-path circuit, not free, or with queued events: kept here by `markSpecial` wherever one of those can
   * change), step input, sleeping (0 wakes a pair: see assembly/engine.ts).
   */
  private readonly flags: Int32Array | undefined;
  /** 1 for fast-path circuits (single-circuit linear nodes). */
  private readonly isFast = new Uint8Array(NEURON_COUNT);
  /** 1 for circuits whose input is summed into the step accumulators (fast node, no bypass). */
  private readonly accumulates: Uint8Array;
  /** Event charge per target (`receptor · 512 + circuit`), 0 where the input is disabled. */
  private readonly targetCharge_nA: Float64Array;
  private readonly stepLog: StepInputLog;

  /**
   * Kernel tables of the superposition (see `superpose`): e^{−s/τ_syn} and the membrane response
   * (g_m/C)·e^{−s/τ_syn}·φ(λ − 1/τ_syn, s) (negative for inhibition) at entry `k · 1024 + target` for an
   * event s = 2k ns before the step end (k = 0..h/2; target `receptor · 512 + circuit`), so that the events of
   * one row, which share s, read neighbouring entries. Filled per circuit after each configuration.
   */
  private readonly kernelSize: number;
  private readonly kernelDecay: Float64Array;
  private readonly kernelMembrane: Float64Array;
  /** The engine's own fan-out table (the chip's main engine): rows delivered from it are scattered in WebAssembly. */
  private readonly fanTarget: Uint16Array | undefined;
  private readonly kernelReady = new Uint8Array(NEURON_COUNT);
  /** Per circuit, the constants its kernel tables were filled for (NaN: never filled). */
  private readonly kernelInputs = new Float64Array(NEURON_COUNT * KERNEL_INPUTS).fill(Number.NaN);

  /** Emitted spikes: circuit and time, `spikeCount` valid entries. */
  spikeCircuit = new Int32Array(1024);
  spikeTime_ns = new Float64Array(1024);
  spikeCount = 0;

  constructor(parameters: NeuronParameters, options: NeuronArrayOptions) {
    const step = options?.step_ns;
    if (!(Number.isInteger(step) && step > 0 && step % 2 === 0)) {
      throw new ChipSimArgumentError('step_ns', step, 'a positive multiple of 2 ns (the 500 MHz MADC clock)');
    }
    this.parameters = parameters;
    // Kernel tables for steps up to MAX_KERNEL_STEP_NS; a longer step (the relaxation engine's) sums no input.
    const kernelSize = kernelTableSize(step);
    const given = options.wasmEngine;
    if (given !== undefined && given.kernelSize !== kernelSize) throw new ChipSimArgumentError('wasmEngine', given.kernelSize, `an engine made for kernel size ${kernelSize}`);
    const wasm = given ?? engineFor(options.engine ?? 'auto', { kernelSize, fanOut: false });
    this.wasm = wasm;
    this.engine = wasm === undefined ? 'typescript' : 'wasm';
    const f64 = (): Float64Array => new Float64Array(NEURON_COUNT);
    this.membrane_mV = wasm?.membrane_mV ?? f64();
    this.synapticExc_nA = wasm?.synapticExc_nA ?? f64();
    this.synapticInh_nA = wasm?.synapticInh_nA ?? f64();
    this.phase = wasm?.phase ?? f64();
    this.resetEnd_ns = wasm?.resetEnd_ns ?? f64();
    this.refractoryEnd_ns = wasm?.refractoryEnd_ns ?? f64();
    this.couplingCurrent_nA = wasm?.couplingCurrent_nA ?? f64();
    this.stepMembrane_mV = wasm?.stepMembrane_mV ?? f64();
    this.stepInput_nA = wasm?.stepInput_nA ?? new Float64Array(2 * NEURON_COUNT);
    this.flags = wasm?.flags;
    this.deferred = wasm?.deferred ?? new Int32Array(NEURON_COUNT);
    this.accumulates = wasm?.accumulates ?? new Uint8Array(NEURON_COUNT);
    this.targetCharge_nA = wasm?.charge_nA ?? new Float64Array(2 * NEURON_COUNT);
    this.kernelSize = kernelSize;
    this.kernelDecay = wasm?.kernelDecay ?? new Float64Array(2 * NEURON_COUNT * kernelSize);
    this.kernelMembrane = wasm?.kernelMembrane ?? new Float64Array(2 * NEURON_COUNT * kernelSize);
    this.fanTarget = wasm?.fanTarget;
    const logCapacity = kernelSize > 0 ? STEP_LOG_CAPACITY : 0;
    this.stepLog = wasm !== undefined ? new StepInputLog(wasm.logTarget, wasm.logAmount, wasm.logTime_ns, wasm.logCount) : StepInputLog.create(logCapacity);
    this.events = new InputEventQueue(wasm?.nextEvent_ns ?? f64());
    const incremental = options.incrementalUpdates ?? true;
    if (typeof incremental !== 'boolean') throw new ChipSimArgumentError('incrementalUpdates', incremental, 'a boolean');
    this.incrementalUpdates = incremental;
    this.step_ns = step;
    this.step_us = step / 1000;
    const noise = options.membraneNoise ?? false;
    this.noiseSigma_mV = noise === true ? temporalNoiseMagnitudes.membrane_mV : noise === false ? 0 : noise;
    if (!(this.noiseSigma_mV >= 0 && Number.isFinite(this.noiseSigma_mV))) {
      throw new ChipSimArgumentError('membraneNoise', noise, 'a boolean or a standard deviation ≥ 0 in mV');
    }
    this.noise = new Random(options.noiseSeed ?? streamSeed(parameters.variation.seed ?? 0, 'noise.membrane', 0));
    this.resetState();
  }

  /** Current time in ns (a whole number of steps since construction or `resetState`). */
  get time_ns(): number {
    return this.stepIndex * this.step_ns;
  }

  /** Back to time 0: membranes at their leak potential, integrators and adaptation 0, no phase, no events. */
  resetState(): void {
    this.stepIndex = 0;
    this.ensureConfigured();
    const p = this.parameters;
    this.membrane_mV.set(p.leakPotential_mV);
    this.synapticExc_nA.fill(0);
    this.synapticInh_nA.fill(0);
    this.adaptation_nA.fill(0);
    this.phase.fill(FREE);
    this.events.clear();
    this.clearStepInput();
    for (let c = 0; c < NEURON_COUNT; c++) this.refreshSpecial(c);
    this.wakeAll();
    this.spikeCount = 0;
    this.mergeMembranes();
  }

  /** Set the membrane of the node that `circuit` belongs to (all merged circuits share it). */
  setMembrane_mV(circuit: number, value_mV: number): void {
    checkCircuit(circuit);
    this.ensureConfigured();
    const topo = this.model.topology;
    const k = topo.nodeOf[circuit]!;
    for (let j = topo.memberStart[k]!; j < topo.memberStart[k + 1]!; j++) this.membrane_mV[topo.members[j]!] = value_mV;
    this.wakeAll();
  }

  /** Phase of the node of `circuit`: NeuronPhase.free / reset / refractory. */
  phaseOf(circuit: number): number {
    checkCircuit(circuit);
    this.ensureConfigured();
    return this.phase[this.model.topology.nodeRep[this.model.topology.nodeOf[circuit]!]!]!;
  }

  /**
   * The backend's refractory counter of `circuit`'s node (§8.1): loaded with `0xFF − refractory_time` at a
   * spike, counting up to 0xFF; 0xFF when not refractory.
   */
  refractoryCounter(circuit: number): number {
    if (this.phaseOf(circuit) === FREE) return 0xff;
    const rep = this.model.topology.nodeRep[this.model.topology.nodeOf[circuit]!]!;
    const remaining_ns = this.refractoryEnd_ns[rep]! - this.time_ns;
    const cycles = Math.ceil(remaining_ns / this.parameters.backendClockPeriod_ns[this.model.control[rep]!]!);
    return Number.isFinite(cycles) ? Math.max(0, 0xff - cycles) : 0;
  }

  /**
   * An event on `receptor` of `circuit` at `time_ns` (absolute chip time; earlier than `time_ns` of the array
   * is taken as now). `amount` is the event amplitude in units of a full-weight nominal pulse, i.e.
   * (weight / 63) × synapse gain × driver pulse × STP; the integrator jumps by amount × q × s_dac(quadrant).
   */
  injectSynapticInput(circuit: number, receptor: Receptor, amount: number, time_ns: number): void {
    checkCircuit(circuit);
    if (receptor !== 0 && receptor !== 1) throw new ChipSimArgumentError('receptor', receptor, '0 (excitatory) or 1 (inhibitory)');
    if (!Number.isFinite(amount)) throw new ChipSimArgumentError('amount', amount, 'a finite number');
    if (!Number.isFinite(time_ns)) throw new ChipSimArgumentError('time_ns', time_ns, 'a finite time in ns');
    this.pushEvent(circuit, receptor, amount, Math.max(time_ns, this.time_ns));
  }

  /**
   * `injectSynapticInput` without the argument checks, for the chip model (the event router gives a valid
   * circuit and receptor, a finite amount and a finite time).
   * @internal
   */
  queueSynapticInput(circuit: number, receptor: number, amount: number, time_ns: number): void {
    this.scalarTarget[0] = receptor * NEURON_COUNT + circuit;
    this.scalarWeight[0] = 1;
    this.queueSynapticInputs(this.scalarTarget, this.scalarWeight, 0, 1, amount, time_ns);
  }

  private readonly scalarTarget = new Uint16Array(1);
  private readonly scalarWeight = new Float32Array(1);

  /**
   * Events of one synapse row at `time_ns`: target `targets[k]` (`receptor · 512 + circuit`) receives
   * `weights[k] · pulse` for k in [from, to) (see `SynapticInputSink`). Unchecked, for the chip model.
   * @internal
   */
  queueSynapticInputs(targets: Uint16Array, weights: Float32Array, from: number, to: number, pulse: number, time_ns: number): void {
    if (this.configuredVersion !== this.parameters.version) this.ensureConfigured();
    const t0 = this.stepIndex * this.step_ns;
    const t = time_ns > t0 ? time_ns : t0;
    const s_ns = t0 + this.step_ns - t;
    // Events beyond the present step or off the 2 ns grid of the kernel tables take the queue.
    const inStep = s_ns > 0 && s_ns % 2 === 0 && this.kernelSize > 0;
    const half = inStep ? s_ns >> 1 : 0;
    const wasm = this.wasm;
    if (inStep && wasm !== undefined && targets === this.fanTarget) {
      // The WebAssembly scatter; entries it cannot sum come back to be queued here.
      const overflow = wasm.deliver(from, to, pulse, half, t);
      for (let i = 0; i < overflow; i++) {
        const k = wasm.overflow[i]!;
        this.pushEvent(targets[k]! & CIRCUIT_MASK, targets[k]! >> RECEPTOR_SHIFT, weights[k]! * pulse, t);
      }
      return;
    }
    const first = this.events.firstTime_ns;
    const accumulates = this.accumulates;
    const charge = this.targetCharge_nA;
    const kernelMembrane = this.kernelMembrane;
    const kernelDecay = this.kernelDecay;
    const stepMembrane = this.stepMembrane_mV;
    const stepInput = this.stepInput_nA;
    const flags = this.flags;
    const phase = this.phase;
    const log = this.stepLog;
    const logTarget = log.target;
    const logAmount = log.amount;
    const logTime = log.time_ns;
    const capacity = log.capacity;
    let n = log.count;
    for (let k = from; k < to; k++) {
      const target = targets[k]!;
      const circuit = target & CIRCUIT_MASK;
      const amount = weights[k]! * pulse;
      // A circuit with queued events keeps taking the queue, so its events stay in one place and in order; one
      // in its reset phase takes the exact path this step anyway; so does everything beyond the log's capacity.
      if (!inStep || accumulates[circuit] === 0 || first[circuit] !== Infinity || phase[circuit] === RESET || n >= capacity) {
        this.pushEvent(circuit, target >> RECEPTOR_SHIFT, amount, t);
        continue;
      }
      const dx = amount * charge[target]!;
      if (dx === 0) continue;
      const at = half * TARGETS + target;
      stepMembrane[circuit] = stepMembrane[circuit]! + dx * kernelMembrane[at]!;
      stepInput[target] = stepInput[target]! + dx * kernelDecay[at]!;
      if (flags !== undefined) flags[circuit >> 1] = (flags[circuit >> 1]! | PairFlag.hasInput) & ~PairFlag.sleeping;
      logTarget[n] = target;
      logAmount[n] = amount;
      logTime[n++] = t;
    }
    log.count = n;
  }

  /** The step input of `circuit` goes to the exact path: its logged events into the queue, accumulators cleared. */
  private queueStepInput(circuit: number): void {
    const log = this.stepLog;
    for (let e = 0; e < log.count; e++) if ((log.target[e]! & CIRCUIT_MASK) === circuit) this.queueLogged(e);
    this.stepMembrane_mV[circuit] = 0;
    this.stepInput_nA[circuit] = 0;
    this.stepInput_nA[NEURON_COUNT + circuit] = 0;
  }

  /** Logged step event `e` into the exact path's queue. */
  private queueLogged(e: number): void {
    const log = this.stepLog;
    this.pushEvent(log.target[e]! & CIRCUIT_MASK, log.target[e]! >> RECEPTOR_SHIFT, log.amount[e]!, log.time_ns[e]!);
  }

  /** An event for the exact path; the circuit's pair is awake from now on (its next event is no longer ∞). */
  private pushEvent(circuit: number, receptor: number, amount: number, time_ns: number): void {
    this.events.push(circuit, receptor, amount, time_ns);
    this.markSpecial(circuit, true);
  }

  /** Whether the engine's full branch must take `circuit`, from its present phase, queue and configuration. */
  private refreshSpecial(circuit: number): void {
    const free = this.phase[circuit] === FREE && this.events.firstTime_ns[circuit] === Infinity;
    this.markSpecial(circuit, !(this.isFast[circuit] === 1 && free));
  }

  /** Sets the lane bit of `circuit` in its pair's flags (and wakes the pair). */
  private markSpecial(circuit: number, special: boolean): void {
    const flags = this.flags;
    if (flags === undefined) return;
    const pair = circuit >> 1;
    const lane = 1 << (circuit & 1);
    flags[pair] = (special ? flags[pair]! | lane : flags[pair]! & ~lane) & ~PairFlag.sleeping;
  }

  /**
   * The state arrays were written from outside (a state copied in): no pair may stay asleep on its old state.
   * @internal
   */
  wakeAll(): void {
    const flags = this.flags;
    if (flags !== undefined) for (let pair = 0; pair < flags.length; pair++) flags[pair] = flags[pair]! & ~PairFlag.sleeping;
  }

  /** Forget the step input (at a reset). */
  private clearStepInput(): void {
    this.stepMembrane_mV.fill(0);
    this.stepInput_nA.fill(0);
    this.stepLog.count = 0;
  }

  /** Forget the recorded spikes. */
  clearSpikes(): void {
    this.spikeCount = 0;
  }

  /** Advance by `steps` fixed steps. */
  advance(steps = 1): void {
    for (let s = 0; s < steps; s++) this.step();
  }

  /** Advance by whole steps while the next step ends at or before `time_ns`. */
  advanceTo(time_ns: number): void {
    while ((this.stepIndex + 1) * this.step_ns <= time_ns) this.step();
  }

  private ensureConfigured(): void {
    const p = this.parameters;
    if (this.configuredVersion === p.version) return;
    // Step input summed under the old configuration: its kernels and who takes the fast path may change, so
    // the step's events go to the exact path (rare: a write inside the step of an event).
    const log = this.stepLog;
    for (let e = 0; e < log.count; e++) this.queueLogged(e);
    if (log.count > 0) this.clearStepInput();
    const old = this.model as NodeModel | undefined;
    const changed = old === undefined || !this.incrementalUpdates || p.topologyVersion > this.configuredVersion ? undefined : p.changedSince(this.configuredVersion);
    // Circuits whose per-circuit tables below may change (undefined: all of them).
    let touched: Set<number> | undefined;
    if (old !== undefined && changed !== undefined) {
      // Same topology: only the touched nodes' constants and kernels change.
      touched = new Set(changed);
      for (const rep of old.update(p, touched)) {
        this.kernelReady[rep] = 0;
        touched.add(rep);
      }
    } else {
      this.model = new NodeModel(p, this.step_us, this.noiseSigma_mV);
      this.kernelReady.fill(0);
      // Recomputed every step for the coupled nodes; a node no longer coupled must not keep its old current.
      this.couplingCurrent_nA.fill(0);
    }
    this.wakeAll();
    this.fastPath = this.wasm !== undefined ? this.wasmFastPath(this.wasm) : createFastPath(this.model, {
      membrane_mV: this.membrane_mV,
      synapticExc_nA: this.synapticExc_nA,
      synapticInh_nA: this.synapticInh_nA,
      phase: this.phase,
      resetEnd_ns: this.resetEnd_ns,
      refractoryEnd_ns: this.refractoryEnd_ns,
      nextEvent_ns: this.events.firstTime_ns,
      couplingCurrent_nA: this.couplingCurrent_nA,
      deferred: this.deferred,
      stepMembrane_mV: this.stepMembrane_mV,
      stepInput_nA: this.stepInput_nA,
    });
    if (touched === undefined) for (let c = 0; c < NEURON_COUNT; c++) this.configureCircuit(c);
    else for (const c of touched) this.configureCircuit(c);
    this.configuredVersion = p.version;
    if (old !== undefined && changed === undefined) this.mergeMembranes();
  }

  /** The WebAssembly fast path: `createFastPath`'s step, two circuits per vector (assembly/engine.ts). */
  private wasmFastPath(wasm: WasmEngine): (t1: number) => number {
    const coupled = this.model.coupledNodes.length > 0 ? 1 : 0;
    // Pairs at rest may sleep only while nothing but their own state drives them (no noise, no coupling).
    const sleep = coupled === 0 && this.noiseSigma_mV === 0 ? 1 : 0;
    const step = wasm.step;
    return (t1: number): number => step(t1, SUPPLY_MV, coupled, sleep);
  }

  /**
   * The per-circuit tables of `circuit` for the present model: whether it is a fast one and sums its input,
   * its event charges, its flags, its coefficients in the WebAssembly engine, its kernel tables.
   */
  private configureCircuit(circuit: number): void {
    const m = this.model;
    const p = this.parameters;
    const topo = m.topology;
    const fast = m.linear[circuit] === 1 && m.single[circuit] === 1 && topo.nodeRep[topo.nodeOf[circuit]!] === circuit;
    this.isFast[circuit] = fast ? 1 : 0;
    this.accumulates[circuit] = fast && p.bypassExc[circuit] === 0 && p.bypassInh[circuit] === 0 ? 1 : 0;
    this.targetCharge_nA[circuit] = p.synapticInputEnabledExc[circuit] ? p.eventChargeExc_nA[circuit]! : 0;
    this.targetCharge_nA[NEURON_COUNT + circuit] = p.synapticInputEnabledInh[circuit] ? p.eventChargeInh_nA[circuit]! : 0;
    // **Choice** (§8.1 names `v_ref` the zero of the stored adaptation variable): a circuit with its adaptation
    // switched off holds the variable at that zero, so switching it on starts from w = 0.
    if (p.adaptationEnabled[circuit] === 0) this.adaptation_nA[circuit] = 0;
    this.refreshSpecial(circuit);
    if (this.wasm !== undefined) this.packWasmCoefficients(this.wasm, circuit, fast);
    // The scatter reads the kernel tables of every circuit that sums its input without asking.
    if (this.kernelSize > 0 && this.accumulates[circuit] === 1 && this.kernelReady[circuit] === 0) this.fillKernels(circuit);
  }

  /** The fast path's coefficients of `circuit` into the engine's memory (zeros for a circuit that is not fast). */
  private packWasmCoefficients(wasm: WasmEngine, r: number, fast: boolean): void {
    const m = this.model;
    // Lane r & 1 of vector k of pair r >> 1, in assembly/engine.ts slot order.
    const hot = wasm.coefficients;
    const h = (r >> 1) * 2 * HOT_COEFFICIENTS + (r & 1);
    hot[h] = fast ? m.membraneDecay[r]! : 0;
    hot[h + 2] = fast ? m.membraneDrive_mV[r]! : 0;
    hot[h + 4] = fast ? m.kernelExc[r]! : 0;
    hot[h + 6] = fast ? m.kernelInh[r]! : 0;
    hot[h + 8] = fast ? m.threshold_mV[r]! : 0;
    hot[h + 10] = fast ? m.decayExc[r]! : 0;
    hot[h + 12] = fast ? m.decayInh[r]! : 0;
    const cold = wasm.coldCoefficients;
    const c = (r >> 1) * 2 * COLD_COEFFICIENTS + (r & 1);
    cold[c] = fast ? m.couplingGain_mVperNA[r]! : 0;
    cold[c + 2] = fast ? m.resetMembraneDecay[r]! : 0;
    cold[c + 4] = fast ? m.resetMembraneDrive_mV[r]! : 0;
    cold[c + 6] = fast ? m.resetKernelExc[r]! : 0;
    cold[c + 8] = fast ? m.resetKernelInh[r]! : 0;
    cold[c + 10] = fast ? 1 : 0;
  }

  /** Members of a node share one membrane: charge-conserving average of their voltages (after a merge). */
  private mergeMembranes(): void {
    const topo = this.model.topology;
    const p = this.parameters;
    for (let k = 0; k < topo.nodeCount; k++) {
      const m0 = topo.memberStart[k]!;
      const m1 = topo.memberStart[k + 1]!;
      if (m1 - m0 === 1) continue;
      let charge = 0;
      let capacitance = 0;
      for (let j = m0; j < m1; j++) {
        const c = topo.members[j]!;
        charge += p.capacitance_pF[c]! * this.membrane_mV[c]!;
        capacitance += p.capacitance_pF[c]!;
      }
      for (let j = m0; j < m1; j++) this.membrane_mV[topo.members[j]!] = charge / capacitance;
    }
  }

  private step(): void {
    this.ensureConfigured();
    const m = this.model;
    const topo = m.topology;
    const t0 = this.stepIndex * this.step_ns;
    const t1 = t0 + this.step_ns;
    const V = this.membrane_mV;
    const spikeStart = this.spikeCount;

    // Coupling currents from the start-of-step voltages (frozen over the step).
    const coupling = this.couplingCurrent_nA;
    for (let i = 0; i < m.coupledNodes.length; i++) {
      const k = m.coupledNodes[i]!;
      let current = 0;
      for (let j = topo.couplingStart[k]!; j < topo.couplingStart[k + 1]!; j++) {
        current += (topo.couplingConductance_nS[j]! / 1000) * V[topo.nodeRep[topo.couplingNode[j]!]!]!;
      }
      coupling[topo.nodeRep[k]!] = current;
    }

    // Deferred fast-path nodes: events at the step start jump x (as `applyEvent` does at t0), the others are
    // superposed on the exact step; a crossing, phase end or bypass goes through the general path.
    const deferredCount = this.fastPath(t1);
    const first = this.events.firstTime_ns;
    for (let i = 0; i < deferredCount; i++) {
      const r = this.deferred[i]!;
      // Only a circuit with step input has events in the log (each event leaves a non-zero integrator input).
      if (this.stepInput_nA[r] !== 0 || this.stepInput_nA[NEURON_COUNT + r] !== 0) this.queueStepInput(r);
      if (first[r]! <= t0) this.foldAtStart(r, t0);
      if (!this.superpose(r, t1)) this.stepNode(topo.nodeOf[r]!, t0, t1);
      this.refreshSpecial(r);
    }
    for (let i = 0; i < m.generalNodes.length; i++) this.stepNode(m.generalNodes[i]!, t0, t1);

    if (this.noiseSigma_mV > 0) for (let k = 0; k < topo.nodeCount; k++) this.addNoise(k, t1);
    for (let i = 0; i < m.generalNodes.length; i++) {
      const k = m.generalNodes[i]!;
      const rep = topo.nodeRep[k]!;
      for (let j = topo.memberStart[k]! + 1; j < topo.memberStart[k + 1]!; j++) V[topo.members[j]!] = V[rep]!;
    }
    if (this.spikeCount - spikeStart > 1) this.sortSpikes(spikeStart);
    this.stepLog.count = 0;
    this.stepIndex++;
  }

  /** Apply the events of circuit `r` (a single-circuit node) at or before `t0` to its integrators. */
  private foldAtStart(r: number, t0: number): void {
    const p = this.parameters;
    if (p.bypassExc[r] || p.bypassInh[r]) return;
    const q = this.events;
    while (q.firstTime_ns[r]! <= t0) {
      const receptor = q.firstReceptor(r);
      const amount = q.firstAmount(r);
      q.pop(r);
      if (receptor === 0) {
        if (p.synapticInputEnabledExc[r]) this.synapticExc_nA[r] = this.synapticExc_nA[r]! + amount * p.eventChargeExc_nA[r]!;
      } else if (p.synapticInputEnabledInh[r]) this.synapticInh_nA[r] = this.synapticInh_nA[r]! + amount * p.eventChargeInh_nA[r]!;
    }
  }

  /**
   * A deferred fast-path node `r` (single circuit, linear) with events in the step: every event at τ ∈ [t0, t1)
   * is superposed on the exact step without splitting it — `V(t1) += Δx·(g_m/C)·e^{−s/τ_syn}·φ(λ − 1/τ_syn, s)`,
   * `x(t1) += Δx·e^{−s/τ_syn}` with s = t1 − τ — exact for CUBA linear dynamics (an event at t0 is the jump of x
   * at the step start). Free or refractory (not ending in the step) only; returns false, changing nothing, on
   * a bypassed input, a phase end or a threshold crossing (the general path then splits the step).
   */
  private superpose(r: number, t1: number): boolean {
    const m = this.model;
    const ph = this.phase[r]!;
    if (ph === RESET || (ph === REFRACTORY && this.refractoryEnd_ns[r]! < t1)) return false;
    const p = this.parameters;
    if (p.bypassExc[r] || p.bypassInh[r]) return false;
    const q = this.events;
    const xe0 = this.synapticExc_nA[r]!;
    const xi0 = this.synapticInh_nA[r]!;
    let v = this.membrane_mV[r]! * m.membraneDecay[r]! + m.membraneDrive_mV[r]! + m.kernelExc[r]! * xe0
      + m.kernelInh[r]! * xi0 + m.couplingGain_mVperNA[r]! * this.couplingCurrent_nA[r]!;
    let xe = xe0 * m.decayExc[r]!;
    let xi = xi0 * m.decayInh[r]!;
    const size = this.kernelSize;
    if (size > 0 && this.kernelReady[r] === 0) this.fillKernels(r);
    const baseExc = r;
    const baseInh = NEURON_COUNT + r;
    const chargeExc = p.synapticInputEnabledExc[r] ? p.eventChargeExc_nA[r]! : 0;
    const chargeInh = p.synapticInputEnabledInh[r] ? p.eventChargeInh_nA[r]! : 0;
    const time = q.time_ns;
    const next = q.next;
    let last = -1;
    for (let e = q.head[r]!; e >= 0 && time[e]! < t1; e = next[e]!) {
      last = e;
      const s_ns = t1 - time[e]!;
      const half = s_ns * 0.5;
      const exc = q.receptor[e] === 0;
      const dx = q.amount[e]! * (exc ? chargeExc : chargeInh);
      if (dx === 0) continue;
      if (size > 0 && half === (half | 0)) {
        const at = half * TARGETS + (exc ? baseExc : baseInh);
        v += dx * this.kernelMembrane[at]!;
        if (exc) xe += dx * this.kernelDecay[at]!;
        else xi += dx * this.kernelDecay[at]!;
      } else {
        // Off the 2 ns grid: the same kernel from exp / expm1.
        const s = s_ns / 1000;
        const rate = exc ? m.rateExc[r]! : m.rateInh[r]!;
        const d = Math.exp(-rate * s);
        v += dx * ((exc ? m.gmExc[r]! : -m.gmInh[r]!) / m.capacitance_pF[r]!) * d * phi(m.conductance_uS[r]! / m.capacitance_pF[r]! - rate, s);
        if (exc) xe += dx * d;
        else xi += dx * d;
      }
    }
    if (ph === FREE && v >= m.threshold_mV[r]!) return false;
    this.membrane_mV[r] = v > SUPPLY_MV ? SUPPLY_MV : v < 0 ? 0 : v;
    this.synapticExc_nA[r] = xe;
    this.synapticInh_nA[r] = xi;
    if (last >= 0) q.popThrough(r, last);
    return true;
  }

  /**
   * The kernel tables of circuit `r` for the present configuration (see `kernelDecay`). They depend on six of the
   * circuit's constants only; a configuration that leaves those alone (a threshold or offset-current switch) keeps
   * its tables.
   */
  private fillKernels(r: number): void {
    const m = this.model;
    const size = this.kernelSize;
    const C = m.capacitance_pF[r]!;
    const inputs = this.kernelInputs;
    const at = r * KERNEL_INPUTS;
    if (inputs[at] === C && inputs[at + 1] === m.conductance_uS[r] && inputs[at + 2] === m.rateExc[r] && inputs[at + 3] === m.rateInh[r] && inputs[at + 4] === m.gmExc[r] && inputs[at + 5] === m.gmInh[r]) {
      this.kernelReady[r] = 1;
      return;
    }
    inputs[at] = C;
    inputs[at + 1] = m.conductance_uS[r]!;
    inputs[at + 2] = m.rateExc[r]!;
    inputs[at + 3] = m.rateInh[r]!;
    inputs[at + 4] = m.gmExc[r]!;
    inputs[at + 5] = m.gmInh[r]!;
    const lambda = m.conductance_uS[r]! / C;
    for (let receptor = 0; receptor < 2; receptor++) {
      const rate = receptor === 0 ? m.rateExc[r]! : m.rateInh[r]!;
      const gain = receptor === 0 ? m.gmExc[r]! / C : -m.gmInh[r]! / C;
      const target = receptor * NEURON_COUNT + r;
      for (let k = 0; k < size; k++) {
        const s = (2 * k) / 1000;
        const d = Math.exp(-rate * s);
        this.kernelDecay[k * TARGETS + target] = d;
        this.kernelMembrane[k * TARGETS + target] = gain * d * phi(lambda - rate, s);
      }
    }
    this.kernelReady[r] = 1;
  }

  /** General path: the step split at events, phase ends and threshold crossings. */
  private stepNode(k: number, t0: number, t1: number): void {
    const m = this.model;
    const topo = m.topology;
    const rep = topo.nodeRep[k]!;
    const m0 = topo.memberStart[k]!;
    const m1 = topo.memberStart[k + 1]!;
    let t = t0;
    for (;;) {
      let eventCircuit = -1;
      let eventTime = t1;
      for (let j = m0; j < m1; j++) {
        const c = topo.members[j]!;
        if (this.events.firstTime_ns[c]! < eventTime) {
          eventTime = this.events.firstTime_ns[c]!;
          eventCircuit = c;
        }
      }
      const ph = this.phase[rep]!;
      const phaseEnd = ph === RESET ? this.resetEnd_ns[rep]! : ph === REFRACTORY ? this.refractoryEnd_ns[rep]! : Infinity;
      if (ph === FREE && this.membrane_mV[rep]! >= m.threshold_mV[rep]!) {
        this.fire(k, t, m.control[rep]!);
        continue;
      }
      const boundary = Math.min(eventTime, phaseEnd, t1);
      if (boundary > t) {
        const dt_us = (boundary - t) / 1000;
        const v = this.membraneAfter(k, dt_us, ph);
        if (ph === FREE && v >= m.threshold_mV[rep]!) {
          const crossing_us = this.findCrossing(k, dt_us, v);
          this.commit(k, crossing_us, this.membraneAfter(k, crossing_us, FREE));
          t += crossing_us * 1000;
          this.fire(k, t, m.control[rep]!);
          continue;
        }
        this.commit(k, dt_us, v);
        t = boundary;
      }
      if (ph !== FREE && t >= phaseEnd) {
        this.phase[rep] = ph === RESET && this.refractoryEnd_ns[rep]! > t ? REFRACTORY : FREE;
        continue;
      }
      if (eventCircuit >= 0 && eventTime <= t) {
        this.applyEvent(k, eventCircuit, t);
        continue;
      }
      if (t >= t1) return;
    }
  }

  private applyEvent(k: number, circuit: number, t: number): void {
    const p = this.parameters;
    const receptor = this.events.firstReceptor(circuit);
    const amount = this.events.firstAmount(circuit);
    this.events.pop(circuit);
    if (receptor === 0) {
      if (p.synapticInputEnabledExc[circuit]) this.synapticExc_nA[circuit] = this.synapticExc_nA[circuit]! + amount * p.eventChargeExc_nA[circuit]!;
    } else if (p.synapticInputEnabledInh[circuit]) this.synapticInh_nA[circuit] = this.synapticInh_nA[circuit]! + amount * p.eventChargeInh_nA[circuit]!;
    // Bypass (§8.1): the event itself is the fire signal, taken by the backend unless it is refractory.
    const bypass = receptor === 0 ? p.bypassExc[circuit] : p.bypassInh[circuit];
    if (bypass && this.phase[this.model.topology.nodeRep[k]!] === FREE) this.fire(k, t, circuit);
  }

  private fire(k: number, t: number, circuit: number): void {
    const p = this.parameters;
    const rep = this.model.topology.nodeRep[k]!;
    const control = this.model.control[rep]!;
    if (this.spikeCount === this.spikeCircuit.length) this.growSpikes();
    this.spikeCircuit[this.spikeCount] = circuit;
    this.spikeTime_ns[this.spikeCount++] = t;
    if (p.adaptationEnabled[circuit] && p.adaptationPulseEnabled[circuit]) this.adaptation_nA[circuit] = this.adaptation_nA[circuit]! + p.adaptationB_nA[circuit]!;
    const resetDuration = p.resetDuration_ns[control]!;
    this.refractoryEnd_ns[rep] = t + p.refractoryPeriod_ns[control]!;
    if (resetDuration > 0) {
      this.phase[rep] = RESET;
      this.markSpecial(rep, true);
      this.resetEnd_ns[rep] = t + resetDuration;
    } else {
      this.phase[rep] = REFRACTORY;
      this.markSpecial(rep, true);
    }
  }

  /**
   * The membrane of node `k` after `dt` µs in phase `ph`, from the current state, without changing it. Exact for
   * linear nodes. Otherwise one exponential Rosenbrock–Euler step: the exponential term is linearised at the
   * start voltage, the adaptation current and COBA conductances (g_m·x̄/ΔV with x̄ the exact mean of x over the
   * interval) are held; the CUBA currents stay exact exponentials.
   */
  private membraneAfter(k: number, dt: number, ph: number): number {
    const m = this.model;
    const p = this.parameters;
    const topo = m.topology;
    const rep = topo.nodeRep[k]!;
    const capacitance = m.capacitance_pF[rep]!;
    const synaptic = ph !== RESET || m.pause[rep] === 0;
    const v0 = this.membrane_mV[rep]!;
    let g: number;
    let current: number;
    if (ph === RESET) {
      g = m.resetConductance_uS[rep]!;
      current = g * m.resetPotential_mV[rep]! + (synaptic ? m.shiftDrive_nA[rep]! : 0);
    } else {
      g = m.conductance_uS[rep]!;
      current = m.drive_nA[rep]! + this.couplingCurrent_nA[rep]!;
    }
    const m0 = topo.memberStart[k]!;
    const m1 = topo.memberStart[k + 1]!;
    if (!m.linear[rep]) {
      for (let j = m0; j < m1; j++) {
        const c = topo.members[j]!;
        if (synaptic && p.exponentialEnabled[c]) {
          const slope = p.exponentialSlope_mV[c]!;
          const iExp = p.exponentialCurrent_nA[c]! * Math.exp((v0 - p.exponentialPotential_mV[c]!) / slope);
          g -= iExp / slope;
          current += iExp * (1 - v0 / slope);
        }
        if (ph !== RESET && p.adaptationEnabled[c]) current -= this.adaptation_nA[c]!;
        if (synaptic && m.cobaExc[c]) {
          const gc = (m.gmExc[c]! * this.synapticExc_nA[c]! * phi(m.rateExc[c]!, dt)) / dt * p.invCobaScaleExc_perMV[c]!;
          g += gc;
          current += gc * p.reversalExc_mV[c]!;
        }
        if (synaptic && m.cobaInh[c]) {
          const gc = (m.gmInh[c]! * this.synapticInh_nA[c]! * phi(m.rateInh[c]!, dt)) / dt * p.invCobaScaleInh_perMV[c]!;
          g += gc;
          current += gc * p.reversalInh_mV[c]!;
        }
      }
    }
    const rate = g / capacitance;
    let v = v0 * Math.exp(-rate * dt) + (phi(rate, dt) * current) / capacitance;
    if (synaptic) {
      for (let j = m0; j < m1; j++) {
        const c = topo.members[j]!;
        const xe = this.synapticExc_nA[c]!;
        const xi = this.synapticInh_nA[c]!;
        if (!m.cobaExc[c] && xe !== 0) v += (m.gmExc[c]! * xe * Math.exp(-m.rateExc[c]! * dt) * phi(rate - m.rateExc[c]!, dt)) / capacitance;
        if (!m.cobaInh[c] && xi !== 0) v -= (m.gmInh[c]! * xi * Math.exp(-m.rateInh[c]! * dt) * phi(rate - m.rateInh[c]!, dt)) / capacitance;
      }
    }
    // Supply rails; a runaway (overflow, NaN) is the upper rail.
    return v <= SUPPLY_MV ? (v >= 0 ? v : 0) : SUPPLY_MV;
  }

  /** Move node `k` on by `dt` µs with end membrane `v`: integrators decay exactly, w by the trapezoidal V. */
  private commit(k: number, dt: number, v: number): void {
    const m = this.model;
    const p = this.parameters;
    const topo = m.topology;
    const rep = topo.nodeRep[k]!;
    const v0 = this.membrane_mV[rep]!;
    this.membrane_mV[rep] = v;
    for (let j = topo.memberStart[k]!; j < topo.memberStart[k + 1]!; j++) {
      const c = topo.members[j]!;
      if (this.synapticExc_nA[c] !== 0) this.synapticExc_nA[c] = this.synapticExc_nA[c]! * Math.exp(-m.rateExc[c]! * dt);
      if (this.synapticInh_nA[c] !== 0) this.synapticInh_nA[c] = this.synapticInh_nA[c]! * Math.exp(-m.rateInh[c]! * dt);
      if (p.adaptationEnabled[c]) {
        const target = p.adaptationA_nS[c]! / 1000 * (0.5 * (v0 + v) - p.adaptationLeakPotential_mV[c]!);
        this.adaptation_nA[c] = target + (this.adaptation_nA[c]! - target) * Math.exp(-m.rateAdaptation[c]! * dt);
      }
    }
  }

  /** Time in (0, dt] µs at which the free membrane reaches threshold (Illinois regula falsi on membraneAfter). */
  private findCrossing(k: number, dt: number, vEnd: number): number {
    const threshold = this.model.threshold_mV[this.model.topology.nodeRep[k]!]!;
    let a = 0;
    let fa = this.membrane_mV[this.model.topology.nodeRep[k]!]! - threshold;
    let b = dt;
    let fb = vEnd - threshold;
    let side = 0;
    for (let i = 0; i < MAX_CROSSING_ITERATIONS && b - a > CROSSING_TIME_TOLERANCE_US; i++) {
      let c = (a * fb - b * fa) / (fb - fa);
      if (!(c > a && c < b)) c = 0.5 * (a + b);
      const fc = this.membraneAfter(k, c, FREE) - threshold;
      if (fc >= 0) {
        b = c;
        fb = fc;
        if (side === 1) fa *= 0.5;
        side = 1;
        if (fc < CROSSING_VOLTAGE_TOLERANCE_MV) break;
      } else {
        a = c;
        fa = fc;
        if (side === -1) fb *= 0.5;
        side = -1;
        if (-fc < CROSSING_VOLTAGE_TOLERANCE_MV) return c;
      }
    }
    return b;
  }

  /** Temporal noise: exact Ornstein–Uhlenbeck increment of std σ around the deterministic membrane. */
  private addNoise(k: number, t1: number): void {
    const m = this.model;
    const rep = m.topology.nodeRep[k]!;
    if (this.phase[rep] === RESET) return;
    const v = this.membrane_mV[rep]! + m.noiseAmplitude_mV[rep]! * this.noise.normal();
    this.membrane_mV[rep] = v > SUPPLY_MV ? SUPPLY_MV : v < 0 ? 0 : v;
    if (this.phase[rep] === FREE && this.membrane_mV[rep]! >= m.threshold_mV[rep]!) this.fire(k, t1, m.control[rep]!);
  }

  private sortSpikes(start: number): void {
    const circuit = this.spikeCircuit;
    const time = this.spikeTime_ns;
    for (let i = start + 1; i < this.spikeCount; i++) {
      const c = circuit[i]!;
      const t = time[i]!;
      let j = i - 1;
      while (j >= start && (time[j]! > t || (time[j] === t && circuit[j]! > c))) {
        circuit[j + 1] = circuit[j]!;
        time[j + 1] = time[j]!;
        j--;
      }
      circuit[j + 1] = c;
      time[j + 1] = t;
    }
  }

  private growSpikes(): void {
    const circuit = new Int32Array(2 * this.spikeCircuit.length);
    circuit.set(this.spikeCircuit);
    const time = new Float64Array(2 * this.spikeTime_ns.length);
    time.set(this.spikeTime_ns);
    this.spikeCircuit = circuit;
    this.spikeTime_ns = time;
  }
}

function checkCircuit(circuit: number): void {
  if (!(Number.isInteger(circuit) && circuit >= 0 && circuit < NEURON_COUNT)) {
    throw new ChipSimArgumentError('circuit', circuit, `an AtomicNeuronOnDLS enum value 0..${NEURON_COUNT - 1}`);
  }
}

