import { AtomicNeuron, type AtomicNeuronGroupName, type NeuronVoltageKind, nominal } from '@bss2/lola';
import { ChipSimArgumentError } from '../errors.js';
import { LARGE_CAPACITANCE_STEP_FACTOR, synapticShiftOffset_nA } from './transfer.js';
import { type BiasGain, ChipVariation, NEURON_COUNT, type VoltageCell } from './variation.js';

type GroupFields<G> = G extends { values(): infer V } ? Readonly<V> : never;

/**
 * What the engine reads of a neuron configuration: the field values of every AtomicNeuron group and the 34
 * words of `encode()` (to detect a change). A lola AtomicNeuron is one; so is any plain object of that shape
 * (the register-file view builds one without lola's validation). CapMem fields may be fractional (settling).
 */
export type NeuronConfigurationView = { readonly [G in AtomicNeuronGroupName]: GroupFields<AtomicNeuron[G]> } & { encode(): Uint32Array };

/** The fields of a CommonNeuronBackendConfig (lola) the analog model reads (hardware.md §3.4). */
export interface BackendClockSettings {
  readonly enClocks: boolean;
  readonly clockScaleSlow: number;
  readonly clockScaleFast: number;
}

const resetClocks: BackendClockSettings = { enClocks: true, clockScaleSlow: 0, clockScaleFast: 0 };
const QUADRANT_SIZE = 128;
const WORDS_PER_NEURON = AtomicNeuron.wordCount;
/** Changes remembered for incremental updates (a whole-chip write is 512; older ones mean a full rebuild). */
const CHANGE_LOG = 4096;
const DEFAULT_SYNAPSE_DAC_BIAS_LSB = 0;

const f64 = (): Float64Array => new Float64Array(NEURON_COUNT);
/** Configurations per circuit kept by `setNeuronWords` (the executor's disarmed, thresholds-on and armed states). */
const RECENT_CONFIGURATIONS = 4;
/** The raw words of a circuit as the chip model gives them: NeuronConfig, NeuronBackendConfig, 24 CapMem values. */
const RAW_WORDS = WORDS_PER_NEURON;

function sameWords(a: Uint32Array, at: number, b: Uint32Array, bt: number, count: number): boolean {
  for (let k = 0; k < count; k++) if (a[at + k] !== b[bt + k]) return false;
  return true;
}
const u8 = (): Uint8Array => new Uint8Array(NEURON_COUNT);

/**
 * The physical parameters of the 512 neuron circuits (hardware.md §8), structure of arrays indexed by
 * AtomicNeuronOnDLS enum value (`256·row + column`), in the engine's units: mV, nA, nS, pF, µs (synaptic,
 * adaptation) and ns (backend timing). Computed from the AtomicNeuron configurations through the nominal
 * transfer functions (lola `nominal`, `transfer.ts`) and the chip's fixed pattern (`variation.ts`), plus the
 * shared settings: the backend clock scalers of each half (CommonNeuronBackendConfig) and `syn_i_bias_dac` of
 * each quadrant.
 *
 * A setter recomputes the affected circuits only when the configuration differs from what it holds, and then
 * bumps `version`; the NeuronArray rebuilds its propagators when the version moved. Before any `setNeuron`
 * every circuit holds the default AtomicNeuron (all analog fields 0: g_L = 0, no threshold, no input).
 */
/**
 * How the neuron's voltage settings become potentials: `'perParameter'` (the default) gives the leak, reset and
 * threshold settings each their own transfer (lola `neuronVoltageTransfers`, the reference chip's behaviour the
 * tutorials describe); `'datasheet'` sends every voltage cell through hardware.md §8.3's one formula, `1.2 V ·
 * value / 1022` — one exact linear scale for all potentials, for reference solutions that need it.
 */
export type VoltageTransferChoice = 'perParameter' | 'datasheet';

/** The voltage cells with a transfer of their own (lola `neuronVoltageTransfers`); the others are plain CapMem cells. */
const NEURON_VOLTAGE_KIND: Partial<Record<VoltageCell, NeuronVoltageKind>> = { vLeak: 'leak', vReset: 'reset', vThreshold: 'threshold' };

export class NeuronParameters {
  readonly variation: ChipVariation;
  /** Which transfer the voltage settings go through (see `VoltageTransferChoice`). */
  readonly voltageTransfer: VoltageTransferChoice;
  /** Bumped on every effective change. */
  version = 0;

  // Membrane
  readonly capacitance_pF = f64();
  readonly leakConductance_nS = f64();
  readonly leakPotential_mV = f64();
  readonly resetConductance_nS = f64();
  readonly resetPotential_mV = f64();
  readonly thresholdPotential_mV = f64();
  /** Threshold comparator on and its fire signal routed (`threshold.enable` and `analogOutput` ≠ off). */
  readonly fireEnabled = u8();
  /** Offset current, signed (sink negative), 0 when `constantCurrent.enable` is off. */
  readonly constantCurrent_nA = f64();

  // Synaptic input (§8.2), per receptor
  readonly synapticInputEnabledExc = u8();
  readonly synapticInputEnabledInh = u8();
  readonly tauSynExc_us = f64();
  readonly tauSynInh_us = f64();
  readonly gmExc = f64();
  readonly gmInh = f64();
  readonly shiftExc_nA = f64();
  readonly shiftInh_nA = f64();
  readonly cobaExc = u8();
  readonly cobaInh = u8();
  readonly reversalExc_mV = f64();
  readonly reversalInh_mV = f64();
  /** 1 / ΔV_coba (0 when `i_bias_coba` is 0). */
  readonly invCobaScaleExc_perMV = f64();
  readonly invCobaScaleInh_perMV = f64();
  /** Jump of x per unit event amount: q · s_dac(quadrant) · (¼ without the small capacitance). */
  readonly eventChargeExc_nA = f64();
  readonly eventChargeInh_nA = f64();

  // Adaptation and exponential term (AdEx)
  readonly adaptationEnabled = u8();
  readonly adaptationPulseEnabled = u8();
  readonly adaptationA_nS = f64();
  readonly adaptationB_nA = f64();
  readonly tauAdaptation_us = f64();
  readonly adaptationLeakPotential_mV = f64();
  /** The voltage that stands for w = 0 on the adaptation capacitor (readout only). */
  readonly adaptationReference_mV = f64();
  readonly exponentialEnabled = u8();
  readonly exponentialCurrent_nA = f64();
  readonly exponentialPotential_mV = f64();
  readonly exponentialSlope_mV = f64().fill(nominal.exponentialSlope_mV);

  // Backend timing and routing
  /** τ_ref, at least one backend clock period; Infinity when the half's clocks are off. */
  readonly refractoryPeriod_ns = f64();
  /** Period of the backend clock the circuit's refractory counter runs on (§1.1); Infinity when stopped. */
  readonly backendClockPeriod_ns = f64();
  /** Duration of the reset phase; ≤ 0 = no reset (§8.1). */
  readonly resetDuration_ns = f64();
  readonly enablePause = u8();
  readonly bypassExc = u8();
  readonly bypassInh = u8();
  /** `eventRouting.enableDigital` (the backend sends the spike out), for the event model. */
  readonly digitalOutput = u8();

  // Multi-compartment switches (§4) and the inter-compartment conductance
  readonly connectSoma = u8();
  readonly connectSomaRight = u8();
  readonly connectRight = u8();
  readonly connectVertical = u8();
  readonly enableConductance = u8();
  readonly interCompartmentConductance_nS = f64();

  private readonly words = new Uint32Array(NEURON_COUNT * WORDS_PER_NEURON);
  /**
   * Every per-circuit table above (one entry per circuit), for the configuration cache of `setNeuronWords`; split
   * by element type so the restore loops stay monomorphic.
   */
  private perCircuitF64: Float64Array[] = [];
  private perCircuitU8: Uint8Array[] = [];
  /** Per circuit: the raw words it holds (`setNeuronWords`; all ones: none), and up to RECENT_CONFIGURATIONS it held. */
  private readonly rawWords = new Uint32Array(NEURON_COUNT * RAW_WORDS).fill(0xffffffff);
  private readonly recent: ({ raw: Uint32Array; f64: Float64Array; u8: Uint8Array; words: Uint32Array }[] | undefined)[] = new Array(NEURON_COUNT);
  private readonly refractoryTime = new Uint8Array(NEURON_COUNT);
  private readonly resetHoldoff = new Uint8Array(NEURON_COUNT);
  private readonly inputClock = new Uint8Array(NEURON_COUNT);
  private readonly smallCapExc = u8();
  private readonly smallCapInh = u8();
  private readonly clocks: BackendClockSettings[] = [resetClocks, resetClocks];
  private readonly dacBias_lsb = new Float64Array(4).fill(DEFAULT_SYNAPSE_DAC_BIAS_LSB);

  constructor(variation: ChipVariation = ChipVariation.ideal(), neurons?: readonly NeuronConfigurationView[], voltageTransfer: VoltageTransferChoice = 'perParameter') {
    this.variation = variation;
    this.voltageTransfer = voltageTransfer;
    const defaults = AtomicNeuron.defaults();
    const words = defaults.encode();
    for (let i = 0; i < NEURON_COUNT; i++) {
      this.words.set(words, i * WORDS_PER_NEURON);
      this.computeNeuron(i, defaults);
    }
    if (neurons !== undefined) this.setNeurons(neurons);
  }

  /** `version` at the last change of the compartment topology (the multi-compartment switches). */
  topologyVersion = 0;
  // Which circuits each version changed, newest last: lets the engine update only what a change touched.
  private readonly logVersion = new Float64Array(CHANGE_LOG);
  private readonly logCircuit = new Int32Array(CHANGE_LOG);
  private logCount = 0;

  /**
   * The circuits whose parameters changed after `version` (with repeats), or undefined when the log no longer
   * reaches back that far (then everything may have changed).
   */
  changedSince(version: number): number[] | undefined {
    const out: number[] = [];
    const oldest = Math.max(0, this.logCount - CHANGE_LOG);
    for (let j = this.logCount - 1; j >= oldest; j--) {
      const at = j % CHANGE_LOG;
      if (this.logVersion[at]! <= version) return out;
      out.push(this.logCircuit[at]!);
    }
    return oldest === 0 ? out : undefined;
  }

  private noteChange(circuit: number): void {
    const at = this.logCount % CHANGE_LOG;
    this.logVersion[at] = this.version;
    this.logCircuit[at] = circuit;
    this.logCount++;
  }

  /** Configure all 512 circuits (index = AtomicNeuronOnDLS enum value). */
  setNeurons(neurons: readonly NeuronConfigurationView[]): boolean {
    if (neurons.length !== NEURON_COUNT) throw new ChipSimArgumentError('neurons.length', neurons.length, `${NEURON_COUNT} AtomicNeurons`);
    let changed = false;
    for (let i = 0; i < NEURON_COUNT; i++) changed = this.setNeuron(i, neurons[i]!) || changed;
    return changed;
  }

  /**
   * Configure circuit `index` from its words (the digital words and the applied CapMem values, as the chip model
   * holds them), decoding them with `view` only when needed: words the circuit holds already change nothing, and a
   * configuration the circuit held recently (the executor toggles threshold, offset current and exponential term
   * between three states around every batch entry) is restored from a per-circuit cache instead of recomputed.
   * Returns whether anything changed.
   */
  setNeuronWords(index: number, words: Uint32Array, view: () => NeuronConfigurationView): boolean {
    if (this.perCircuitF64.length === 0) {
      const tables = Object.values(this).filter((a): a is Float64Array | Uint8Array => (a instanceof Float64Array || a instanceof Uint8Array) && a.length === NEURON_COUNT);
      this.perCircuitF64 = tables.filter((a): a is Float64Array => a instanceof Float64Array);
      this.perCircuitU8 = tables.filter((a): a is Uint8Array => a instanceof Uint8Array);
    }
    const size = words.length;
    const raw = this.rawWords;
    const at = index * RAW_WORDS;
    if (size === RAW_WORDS && sameWords(raw, at, words, 0, size)) return false;
    const cache = (this.recent[index] ??= []);
    const f64 = this.perCircuitF64;
    const u8 = this.perCircuitU8;
    for (let k = 0; k < cache.length; k++) {
      const hit = cache[k]!;
      if (!sameWords(hit.raw, 0, words, 0, size)) continue;
      const switches = this.switchBits(index);
      const conductance = this.interCompartmentConductance_nS[index];
      for (let f = 0; f < f64.length; f++) f64[f]![index] = hit.f64[f]!;
      for (let f = 0; f < u8.length; f++) u8[f]![index] = hit.u8[f]!;
      this.words.set(hit.words, index * WORDS_PER_NEURON);
      raw.set(words, at);
      this.version++;
      this.noteChange(index);
      if (this.switchBits(index) !== switches || this.interCompartmentConductance_nS[index] !== conductance) this.topologyVersion = this.version;
      return true;
    }
    const changed = this.setNeuron(index, view());
    raw.set(words, at);
    if (cache.length >= RECENT_CONFIGURATIONS) cache.shift();
    const savedF64 = new Float64Array(f64.length);
    for (let f = 0; f < f64.length; f++) savedF64[f] = f64[f]![index]!;
    const savedU8 = new Uint8Array(u8.length);
    for (let f = 0; f < u8.length; f++) savedU8[f] = u8[f]![index]!;
    cache.push({ raw: words.slice(), f64: savedF64, u8: savedU8, words: this.words.slice(index * WORDS_PER_NEURON, (index + 1) * WORDS_PER_NEURON) });
    return changed;
  }

  /** Configure circuit `index`; returns whether anything changed. */
  setNeuron(index: number, neuron: NeuronConfigurationView): boolean {
    checkIndex('neuron index', index, NEURON_COUNT);
    const words = neuron.encode();
    const at = index * WORDS_PER_NEURON;
    let same = true;
    for (let w = 0; w < WORDS_PER_NEURON; w++) if (this.words[at + w] !== words[w]) same = false;
    if (same) return false;
    this.words.set(words, at);
    const switches = this.switchBits(index);
    const conductance = this.interCompartmentConductance_nS[index];
    this.computeNeuron(index, neuron);
    this.version++;
    this.noteChange(index);
    if (this.switchBits(index) !== switches || this.interCompartmentConductance_nS[index] !== conductance) this.topologyVersion = this.version;
    return true;
  }

  /** The clock settings of backend half 0 (columns 0–127) or 1 (128–255). */
  setBackendClocks(half: number, settings: BackendClockSettings): boolean {
    checkIndex('backend half', half, 2);
    const old = this.clocks[half]!;
    if (old.enClocks === settings.enClocks && old.clockScaleSlow === settings.clockScaleSlow && old.clockScaleFast === settings.clockScaleFast) return false;
    this.clocks[half] = { enClocks: settings.enClocks, clockScaleSlow: settings.clockScaleSlow, clockScaleFast: settings.clockScaleFast };
    this.version++;
    this.sharedChanged();
    for (let i = 0; i < NEURON_COUNT; i++) {
      if (halfOf(i) !== half) continue;
      this.computeTiming(i);
      this.noteChange(i);
    }
    return true;
  }

  /** `syn_i_bias_dac` (CapMem column 128, row 8) of quadrant 0..3: scales the synaptic events of its circuits. */
  setSynapseDacBias(quadrant: number, value_lsb: number): boolean {
    checkIndex('quadrant', quadrant, 4);
    if (this.dacBias_lsb[quadrant] === value_lsb) return false;
    this.dacBias_lsb[quadrant] = value_lsb;
    this.version++;
    this.sharedChanged();
    for (let i = quadrant * QUADRANT_SIZE; i < (quadrant + 1) * QUADRANT_SIZE; i++) {
      this.computeEventCharge(i);
      this.noteChange(i);
    }
    return true;
  }

  /** Backend clocks or a DAC bias changed: what circuits computed from them before is stale in every cache. */
  private sharedChanged(): void {
    this.rawWords.fill(0xffffffff);
    this.recent.fill(undefined);
  }

  /** What the compartment topology reads of a circuit (topology.ts), as one comparable string. */
  /** The multi-compartment switches of circuit `i` as bits (with the conductance, they make the topology). */
  private switchBits(i: number): number {
    return this.connectSoma[i]! | (this.connectSomaRight[i]! << 1) | (this.connectRight[i]! << 2) | (this.connectVertical[i]! << 3) | (this.enableConductance[i]! << 4);
  }

  /** A voltage setting as the circuit sees it: the per-parameter nominal transfer (lola), then this circuit's gain and offset. */
  private voltage(cell: VoltageCell, i: number, value_lsb: number): number {
    const v = this.variation;
    const kind = this.voltageTransfer === 'datasheet' ? undefined : NEURON_VOLTAGE_KIND[cell];
    const nominal_mV = kind === undefined ? nominal.capMemVoltage_mV(value_lsb) : 1000 * nominal.neuronVoltage_V(kind, value_lsb);
    return v.voltageGain[cell][i]! * nominal_mV + v.voltageOffset_mV[cell][i]!;
  }

  private gain(kind: BiasGain, i: number): number {
    return this.variation.biasGain[kind][i]!;
  }

  private computeNeuron(i: number, n: NeuronConfigurationView): void {
    const v = this.variation;
    this.capacitance_pF[i] = nominal.membraneCapacitance_pF(n.membraneCapacitance.capacitance) * v.capacitanceGain[i]!;
    const leak = n.leak;
    this.leakConductance_nS[i] = nominal.otaConductance_nS(leak.iBias, leak.enableDivision, leak.enableMultiplication) * this.gain('leakConductance', i);
    this.leakPotential_mV[i] = this.voltage('vLeak', i, leak.vLeak);
    const reset = n.reset;
    this.resetConductance_nS[i] = nominal.otaConductance_nS(reset.iBias, reset.enableDivision, reset.enableMultiplication) * this.gain('resetConductance', i);
    this.resetPotential_mV[i] = this.voltage('vReset', i, reset.vReset);
    this.thresholdPotential_mV[i] = this.voltage('vThreshold', i, n.threshold.vThreshold);
    this.fireEnabled[i] = n.threshold.enable && n.eventRouting.analogOutput !== 'off' ? 1 : 0;
    const cc = n.constantCurrent;
    this.constantCurrent_nA[i] = cc.enable ? (cc.type === 'sink' ? -1 : 1) * nominal.offsetCurrent_nA(cc.iOffset) * this.gain('offsetCurrent', i) : 0;

    this.computeSynapticInput(i, n.excitatoryInput, 'Exc');
    this.computeSynapticInput(i, n.inhibitoryInput, 'Inh');
    this.computeEventCharge(i);

    const ad = n.adaptation;
    this.adaptationEnabled[i] = ad.enable ? 1 : 0;
    this.adaptationPulseEnabled[i] = ad.enablePulse ? 1 : 0;
    this.adaptationA_nS[i] = (ad.invertA ? -1 : 1) * nominal.adaptationConductance_nS(ad.iBiasA) * this.gain('adaptationA', i);
    this.adaptationB_nA[i] = (ad.invertB ? -1 : 1) * nominal.adaptationIncrement_nA(ad.iBiasB) * this.gain('adaptationB', i);
    this.tauAdaptation_us[i] = nominal.adaptationTimeConstant_us(ad.iBiasTau) * this.gain('tauAdaptation', i);
    this.adaptationLeakPotential_mV[i] = this.voltage('vAdaptLeak', i, ad.vLeak);
    this.adaptationReference_mV[i] = this.voltage('vAdaptRef', i, ad.vRef);
    const ex = n.exponential;
    this.exponentialEnabled[i] = ex.enable ? 1 : 0;
    this.exponentialCurrent_nA[i] = nominal.exponentialCurrent_nA(ex.iBias) * this.gain('exponentialCurrent', i);
    this.exponentialPotential_mV[i] = this.voltage('vExp', i, ex.vExp);

    const rp = n.refractoryPeriod;
    this.refractoryTime[i] = rp.refractoryTime;
    this.resetHoldoff[i] = rp.resetHoldoff;
    this.inputClock[i] = rp.inputClock;
    this.enablePause[i] = rp.enablePause ? 1 : 0;
    this.computeTiming(i);
    const er = n.eventRouting;
    this.bypassExc[i] = er.enableBypassExcitatory ? 1 : 0;
    this.bypassInh[i] = er.enableBypassInhibitory ? 1 : 0;
    this.digitalOutput[i] = er.enableDigital ? 1 : 0;

    const mc = n.multicompartment;
    this.connectSoma[i] = mc.connectSoma ? 1 : 0;
    this.connectSomaRight[i] = mc.connectSomaRight ? 1 : 0;
    this.connectRight[i] = mc.connectRight ? 1 : 0;
    this.connectVertical[i] = mc.connectVertical ? 1 : 0;
    this.enableConductance[i] = mc.enableConductance ? 1 : 0;
    this.interCompartmentConductance_nS[i] =
      nominal.interCompartmentConductance_nS(mc.iBiasNmda, mc.enableConductanceDivision, mc.enableConductanceMultiplication) *
      this.gain('interCompartmentConductance', i);
  }

  private computeSynapticInput(i: number, s: NeuronConfigurationView['excitatoryInput'], receptor: 'Exc' | 'Inh'): void {
    const exc = receptor === 'Exc';
    (exc ? this.synapticInputEnabledExc : this.synapticInputEnabledInh)[i] = s.enable ? 1 : 0;
    (exc ? this.smallCapExc : this.smallCapInh)[i] = s.enableSmallCapacitance ? 1 : 0;
    (exc ? this.tauSynExc_us : this.tauSynInh_us)[i] =
      nominal.synapticTimeConstant_us(s.iBiasTau, s.enableSmallCapacitance, s.enableHighResistance) * this.gain(exc ? 'tauSynExc' : 'tauSynInh', i);
    (exc ? this.gmExc : this.gmInh)[i] = nominal.synapticTransconductance(s.iBiasGm) * this.gain(exc ? 'gmExc' : 'gmInh', i);
    (exc ? this.shiftExc_nA : this.shiftInh_nA)[i] =
      synapticShiftOffset_nA(s.iShiftReference) + (exc ? this.variation.shiftOffsetExc_nA : this.variation.shiftOffsetInh_nA)[i]!;
    (exc ? this.cobaExc : this.cobaInh)[i] = s.enableCobaMode ? 1 : 0;
    (exc ? this.reversalExc_mV : this.reversalInh_mV)[i] = this.voltage(exc ? 'eRevExc' : 'eRevInh', i, s.vRevCoba);
    // 1/ΔV rather than ΔV: i_bias_coba 0 is an infinite ΔV, i.e. no modulation current.
    (exc ? this.invCobaScaleExc_perMV : this.invCobaScaleInh_perMV)[i] =
      s.iBiasCoba === 0 ? 0 : 1 / (nominal.cobaVoltageScale_mV(s.iBiasCoba) * this.gain(exc ? 'cobaScaleExc' : 'cobaScaleInh', i));
  }

  private computeEventCharge(i: number): void {
    const dac = nominal.synapseDacGain(this.dacBias_lsb[quadrantOf(i)]!);
    this.eventChargeExc_nA[i] = nominal.synapticEventCharge_nA * dac * (this.smallCapExc[i] ? 1 : LARGE_CAPACITANCE_STEP_FACTOR);
    this.eventChargeInh_nA[i] = nominal.synapticEventCharge_nA * dac * (this.smallCapInh[i] ? 1 : LARGE_CAPACITANCE_STEP_FACTOR);
  }

  private computeTiming(i: number): void {
    const clocks = this.clocks[halfOf(i)]!;
    if (!clocks.enClocks) {
      // Stopped backend clocks: a started refractory counter never reaches 0xFF.
      this.backendClockPeriod_ns[i] = Infinity;
      this.refractoryPeriod_ns[i] = Infinity;
      this.resetDuration_ns[i] = Infinity;
      return;
    }
    const scale = this.inputClock[i] === 1 ? clocks.clockScaleFast : clocks.clockScaleSlow;
    this.backendClockPeriod_ns[i] = nominal.neuronBackendClockPeriod_ns(scale);
    // refractory_time 0 still takes the counter one clock to wrap (Choice): no zero-length refractory period.
    this.refractoryPeriod_ns[i] = Math.max(nominal.refractoryPeriod_ns(this.refractoryTime[i]!, scale), nominal.neuronBackendClockPeriod_ns(scale));
    this.resetDuration_ns[i] = nominal.resetDuration_ns(this.refractoryTime[i]!, this.resetHoldoff[i]!, scale);
  }
}

/** Quadrant of circuit `i` (AtomicNeuronOnDLS enum value): `2·row + column / 128`. */
export function quadrantOf(i: number): number {
  return Math.floor(i / QUADRANT_SIZE);
}

/** Backend half of circuit `i`: 0 for columns 0–127, 1 for 128–255. */
export function halfOf(i: number): number {
  return Math.floor(i / QUADRANT_SIZE) % 2;
}

function checkIndex(argument: string, value: number, count: number): void {
  if (!(Number.isInteger(value) && value >= 0 && value < count)) throw new ChipSimArgumentError(argument, value, `an integer in 0..${count - 1}`);
}
