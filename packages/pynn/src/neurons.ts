// What each PyNN neuron asks of its circuit, as the execution graph's neuron spec: the calibration target (PyNN
// parameters in model units → hardware targets) and the model's extras that calibration leaves raw (offset
// current, COBA reversal potentials, AdEx terms) as a patch over the calibrated settings; or, for an HXNeuron,
// its AtomicNeuron as given.
import {
  CAPMEM_MAX_LSB,
  CalibrationTargetError,
  potentialToMillivolt,
  voltageToCadcCode,
  RESET_BIAS_LSB,
  RESET_MULTIPLICATION,
  capacitanceToLsb,
  capacitanceToNanofarad,
  type LIFCalibrationTarget,
  modelRangeOf,
  modelToHardwareTarget,
  modelUnits,
  nominalPotentialSetting,
  potentialToLsb,
  resolveTarget,
  spikingTarget,
} from '@bss2/calibration';
import type { AtomicNeuronPatch, NeuronSpec, NeuronTarget } from '@bss2/execution';
import { nominal } from '@bss2/lola';
import { EIF_cond_exp_isfa_ista } from './cells.js';
import type { OffsetDrive } from './current-sources.js';
import { type HxBase, hxSpec } from './hx-neurons.js';
import { ParameterError } from './errors.js';
import type { Population } from './populations.js';
import { CHIP_NA_PER_MODEL_NA, CHIP_NS_PER_MODEL_NS, msToChipMicroseconds } from './units.js';

const CAPMEM_MAX = CAPMEM_MAX_LSB;
/** The CADC codes the CapMem voltage cells span (0 V .. 1.2 V, §8.3): what a potential parameter may ask for. */
const LOWEST_CODE = voltageToCadcCode(0);
const HIGHEST_CODE = voltageToCadcCode(nominal.capMemFullScale_V);
/** §8.3: `i_offset` 0.1 nA per LSB (linear up to 800), adaptation a 0.1 nS, b 0.05 nA, I_0 0.1 nA per LSB, τ_w 10 ms / value. */
const OFFSET_NA_PER_LSB = nominal.offsetCurrent_nA(1);
const OFFSET_LINEAR_MAX_LSB = nominal.offsetCurrentLinearMax_lsb;
const ADAPT_A_NS_PER_LSB = nominal.adaptationConductance_nS(1);
const ADAPT_B_NA_PER_LSB = nominal.adaptationIncrement_nA(1);
const EXP_NA_PER_LSB = nominal.exponentialCurrent_nA(1);
const ADAPT_TAU_US_TIMES_LSB = nominal.adaptationTimeConstant_us(1);
/** `i_bias_coba` 500 gives ΔV_coba = 300 mV (§8.3): a full-weight COBA event equals the CUBA one 300 mV chip (22.2 mV model) from reversal. */
export const COBA_BIAS_LSB = 500;

/** §8.3: the reset OTA's conductance, nS (1 nS per LSB, ×8 with multiplication). */
const RESET_CONDUCTANCE_NS = nominal.otaConductance_nS(RESET_BIAS_LSB, false, RESET_MULTIPLICATION);
/** The reset phase must last this many reset time constants: the membrane then sits within 1 % of v_reset. */
const RESET_TIME_CONSTANTS = 4.6;

/** The shortest tau_refrac (ms) whose reset phase brings a membrane of `cm` (nF) to v_reset (within 1 %). */
export function minimumRefractoryTime(cm_nF: number): number {
  const capacitance_pF = capacitanceToNanofarad(capacitanceToLsb(cm_nF)) * 2.2;
  // τ = C / g in ms of chip time for pF / nS; ×1000 gives chip µs, which are biological ms.
  const tau_ms = (capacitance_pF / RESET_CONDUCTANCE_NS) * 1000;
  return RESET_TIME_CONSTANTS * tau_ms;
}

/**
 * Realised over requested capacitance: `cm` is set with 6 bits (§8.3), so currents (synaptic strength, offset,
 * adaptation) are scaled by this ratio to keep the voltage effects the model asks for.
 */
export function capacitanceRatio(cm_nF: number): number {
  return capacitanceToNanofarad(capacitanceToLsb(cm_nF)) / cm_nF;
}

/** The chip's exponential slope (15 mV, fixed by the circuit, §8.3) in model mV at the default voltage scale: 1.11. */
export const CHIP_EXP_SLOPE_MODEL_MV = nominal.exponentialSlope_mV / (modelUnits.LSB_PER_MV * 1000 * nominal.cadcLsb_V);

/**
 * The population's voltage scale `f` (README, Choices: AdEx): model potentials reach the chip as
 * `REST_MV + f · (v − REST_MV)` in the calibration's model units, and model currents × f, so the neuron's
 * dynamics are unchanged and only the chip's voltage span changes. 1 for every cell type but the AdEx, whose
 * `f = 1.11 mV / delta_T` makes the circuit's fixed 15 mV slope the `delta_T` the parameters ask for (delta_T is
 * positive by its parameter spec). A population shares one scale (its traces are converted with it):
 * `neuronSpecs` refuses different `delta_T` within one population before anything runs.
 */
export function voltageScale(p: Population): number {
  if (!(p.cellType instanceof EIF_cond_exp_isfa_ista)) return 1;
  return CHIP_EXP_SLOPE_MODEL_MV / (p.parameterValue('delta_T', 0) as number);
}

/** One voltage scale per population: different `delta_T` within one AdEx population are a ParameterError. */
function checkOneDeltaT(p: Population): void {
  if (!(p.cellType instanceof EIF_cond_exp_isfa_ista)) return;
  const first = p.parameterValue('delta_T', 0) as number;
  for (let i = 1; i < p.size; i++) {
    const d = p.parameterValue('delta_T', i) as number;
    if (d !== first) {
      throw new ParameterError(
        `delta_T of population '${p.label}' differs between neurons (${first} mV at 0, ${d} mV at ${i}): the chip's slope is fixed (15 mV), so a population realises one delta_T through its voltage scale — use one population per delta_T`,
        { population: p.label, parameter: 'delta_T', value: d },
      );
    }
  }
}

/** A model potential on the population's voltage scale (the potential the calibration's model units are given). */
export function scaledPotential(v_mV: number, scale: number): number {
  return modelUnits.REST_MV + scale * (v_mV - modelUnits.REST_MV);
}

/** The inverse: a potential in the calibration's model units back on the population's own scale. */
export function unscaledPotential(v_mV: number, scale: number): number {
  return modelUnits.REST_MV + (v_mV - modelUnits.REST_MV) / scale;
}

/** Hardware target parameter → PyNN parameter, for messages. */
function modelParameterOf(hardware: string, population: Population): string {
  const names: Record<string, string> = {
    leak_lsb: 'v_rest',
    reset_lsb: 'v_reset',
    threshold_lsb: population.cellType instanceof EIF_cond_exp_isfa_ista ? 'v_spike' : 'v_thresh',
    tauMembrane_us: 'tau_m',
    tauSynExc_us: 'tau_syn_E',
    tauSynInh_us: 'tau_syn_I',
    refractoryTime_us: 'tau_refrac',
    holdoffTime_us: 'tau_refrac',
    membraneCapacitance_lsb: 'cm',
  };
  return names[hardware] ?? hardware;
}

type ScalarTarget = { -readonly [K in keyof LIFCalibrationTarget]: number };

/**
 * The chip's synaptic time constant per model `tau_syn`: 1 for exponential synapses; e for alpha synapses, whose
 * PSC `w · (t/τ) · e^(1 − t/τ)` is realised as the exponential PSC of the same peak `w` and the same charge
 * `w · e · τ` (README, Choices: alpha synapses).
 */
export function synapticTimeScale(p: Population): number {
  return p.cellType.synapses.shape === 'alpha' ? Math.E : 1;
}


/** One model neuron's hardware target, checked (ParameterError names population, neuron, parameter, range). */
function neuronTarget(p: Population, i: number, f: number): ScalarTarget {
  const v = (name: string) => p.parameterValue(name, i) as number;
  try {
    const hardware = modelToHardwareTarget({
      v_rest: scaledPotential(v('v_rest'), f),
      v_reset: scaledPotential(v('v_reset'), f),
      v_thresh: scaledPotential(p.cellType instanceof EIF_cond_exp_isfa_ista ? v('v_spike') : v('v_thresh'), f),
      tau_m: v('tau_m'),
      tau_syn_E: v('tau_syn_E') * synapticTimeScale(p),
      tau_syn_I: v('tau_syn_I') * synapticTimeScale(p),
      tau_refrac: v('tau_refrac'),
      cm: v('cm'),
      // A weight is the same current (or conductance) on every voltage scale: the strength × f like every current.
      weightScale: capacitanceRatio(v('cm')) * f,
    }) as ScalarTarget;
    resolveTarget(hardware);
    const minimum = minimumRefractoryTime(v('cm'));
    if (v('tau_refrac') < minimum) {
      throw new ParameterError(
        `tau_refrac = ${v('tau_refrac')} ms of population '${p.label}' neuron ${i} is too short for the chip's reset: the reset conductance pulls a membrane of cm = ${v('cm')} nF to v_reset with τ = ${round(minimum / RESET_TIME_CONSTANTS)} ms, so tau_refrac ≥ ${round(minimum)} ms (within 1 %)`,
        { population: p.label, parameter: 'tau_refrac', value: v('tau_refrac') },
      );
    }
    return hardware;
  } catch (error) {
    if (!(error instanceof CalibrationTargetError)) throw error;
    const parameter = modelParameterOf(error.parameter, p);
    const modelRange = error.parameter in spikingTarget ? modelRangeOf(error.parameter as keyof LIFCalibrationTarget) : undefined;
    // Alpha synapses realise tau_syn × e: their model range is the chip's divided by e.
    const scale = error.parameter === 'tauSynExc_us' || error.parameter === 'tauSynInh_us' ? synapticTimeScale(p) : 1;
    // Potentials: the model range on this population's voltage scale.
    const potential = modelRange?.unit === 'mV';
    const range =
      modelRange === undefined
        ? undefined
        : potential
          ? { ...modelRange, min: unscaledPotential(modelRange.min, f), max: unscaledPotential(modelRange.max, f) }
          : { ...modelRange, min: modelRange.min / scale, max: modelRange.max / scale };
    const value = p.parameterValue(parameter, i);
    const expected = error.rule ?? (range === undefined ? 'a value the chip can realise' : `${round(range.min)}..${round(range.max)} ${range.unit}`);
    throw new ParameterError(`${parameter} = ${String(value)} of population '${p.label}' neuron ${i} is outside what the chip realises: expected ${expected} (${error.message})`, {
      population: p.label,
      parameter,
      value,
    });
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** A CapMem value from a physical quantity, or a ParameterError naming the PyNN parameter and its model range. */
function capmem(value: number, parameter: string, p: Population, i: number, unit: string, realisable: string): number {
  const lsb = Math.round(value);
  if (!(lsb >= 0 && lsb <= CAPMEM_MAX)) {
    const modelValue = p.parameterValue(parameter, i);
    throw new ParameterError(
      `${parameter} = ${String(modelValue)} ${unit} of population '${p.label}' neuron ${i} needs CapMem ${lsb}, outside 0..${CAPMEM_MAX} (realisable: ${realisable})`,
      { population: p.label, parameter, value: modelValue },
    );
  }
  return lsb;
}

/** The voltage cell of a model potential (mV, on the population's voltage scale `f`), checked against the cell's range. */
function potentialCell(v_mV: number, parameter: string, p: Population, i: number, f = 1): number {
  const code = potentialToLsb(scaledPotential(v_mV, f));
  const setting = nominalPotentialSetting(code, 'plain');
  // nominalPotentialSetting clamps; a clamped value is an error here, never a silent change.
  if (code < LOWEST_CODE || code > HIGHEST_CODE) {
    throw new ParameterError(
      `${parameter} = ${v_mV} mV of population '${p.label}' neuron ${i} is outside the chip's voltage range (${round(unscaledPotential(potentialToMillivolt(LOWEST_CODE), f))}..${round(unscaledPotential(potentialToMillivolt(HIGHEST_CODE), f))} mV)`,
      { population: p.label, parameter, value: v_mV },
    );
  }
  return setting;
}

/**
 * The offset current (nA, model) `drive.now_nA`, of magnitude `drive.magnitude_nA` over the segment (current
 * sources switch it on, off and in sign, never in magnitude: current-sources.ts) → constant-current settings;
 * the compressive part above 800 LSB is not used.
 */
function offsetCurrent(drive: OffsetDrive, scale: number, p: Population, i: number): AtomicNeuronPatch['constantCurrent'] {
  const { now_nA, magnitude_nA } = drive;
  if (magnitude_nA === 0) return undefined;
  const lsb = Math.round((magnitude_nA * CHIP_NA_PER_MODEL_NA * scale) / OFFSET_NA_PER_LSB);
  if (lsb > OFFSET_LINEAR_MAX_LSB) {
    const limit = round((OFFSET_LINEAR_MAX_LSB * OFFSET_NA_PER_LSB) / (CHIP_NA_PER_MODEL_NA * scale));
    const offset = p.parameterValue('i_offset', i) as number;
    const what = Math.abs(offset) === magnitude_nA ? `i_offset = ${offset} nA` : `the offset current ±${magnitude_nA} nA (i_offset and current sources)`;
    throw new ParameterError(`${what} of population '${p.label}' neuron ${i} exceeds the chip's linear offset current (±${limit} nA)`, { population: p.label, parameter: 'i_offset', value: magnitude_nA });
  }
  return { enable: now_nA !== 0, iOffset: lsb, type: now_nA < 0 ? 'sink' : 'source' };
}

/**
 * The model's uncalibrated extras for a calibrated LIF neuron, as a patch of AtomicNeuron groups, on the
 * population's voltage scale `f` (voltageScale). `drive` is the offset current with current sources (default:
 * `i_offset`).
 */
export function modelPatch(p: Population, i: number, f: number, drive?: OffsetDrive): AtomicNeuronPatch {
  const v = (name: string) => p.parameterValue(name, i) as number;
  // Currents and conductances act on the realised capacitance (see capacitanceRatio); currents also on the
  // population's voltage scale f: I = g · ΔV with every ΔV × f.
  const conductanceScale = capacitanceRatio(v('cm'));
  const scale = conductanceScale * f;
  // PyNN clamps the membrane at v_reset while refractory: `enable_pause` keeps synaptic input and the
  // exponential term out of the reset phase (§8.1), without which an AdEx neuron's exponential current would
  // outrun the reset conductance.
  const patch: { -readonly [G in keyof AtomicNeuronPatch]: AtomicNeuronPatch[G] } = { refractoryPeriod: { enablePause: true } };
  const offset = offsetCurrent(drive ?? { now_nA: v('i_offset'), magnitude_nA: Math.abs(v('i_offset')) }, scale, p, i);
  if (offset !== undefined) patch.constantCurrent = offset;
  if (p.cellType.synapses.conductanceBased) {
    // ΔV_coba (§8.3: 300 mV · 500 / i_bias_coba) scales with the population's voltages, so a weight is the same
    // conductance on every scale.
    const iBiasCoba = Math.round(COBA_BIAS_LSB / f);
    patch.excitatoryInput = { enableCobaMode: true, vRevCoba: potentialCell(v('e_rev_E'), 'e_rev_E', p, i, f), iBiasCoba };
    patch.inhibitoryInput = { enableCobaMode: true, vRevCoba: potentialCell(v('e_rev_I'), 'e_rev_I', p, i, f), iBiasCoba };
  }
  if (p.cellType instanceof EIF_cond_exp_isfa_ista) {
    const g_leak_nS = (1000 * v('cm')) / v('tau_m');
    // Δ_T is fixed by the circuit (15 mV chip); the voltage scale f makes it the model's delta_T, and the
    // exponential current is matched at V_T: I_0 = g_L · Δ_T, in chip units g_L,chip · 15 mV.
    const i0_chip_nA = (g_leak_nS * v('delta_T') * CHIP_NA_PER_MODEL_NA * scale) / 1000;
    patch.exponential = {
      enable: true,
      vExp: potentialCell(v('v_thresh'), 'v_thresh', p, i, f),
      iBias: capmem(i0_chip_nA / EXP_NA_PER_LSB, 'delta_T', p, i, 'mV', `g_L · delta_T ≤ ${round((CAPMEM_MAX * EXP_NA_PER_LSB * 1000) / (CHIP_NA_PER_MODEL_NA * f))} pA`),
    };
    const a = v('a');
    const b = v('b');
    patch.adaptation = {
      enable: true,
      enablePulse: b !== 0,
      invertA: a < 0,
      invertB: b < 0,
      vLeak: potentialCell(v('v_rest'), 'v_rest', p, i, f),
      vRef: potentialCell(v('v_rest'), 'v_rest', p, i, f),
      iBiasTau: capmem(ADAPT_TAU_US_TIMES_LSB / msToChipMicroseconds(v('tau_w')), 'tau_w', p, i, 'ms', `tau_w ≥ ${round(ADAPT_TAU_US_TIMES_LSB / CAPMEM_MAX)} ms`),
      iBiasA: capmem((Math.abs(a) * CHIP_NS_PER_MODEL_NS * conductanceScale) / ADAPT_A_NS_PER_LSB, 'a', p, i, 'nS', `|a| ≤ ${round((CAPMEM_MAX * ADAPT_A_NS_PER_LSB) / CHIP_NS_PER_MODEL_NS)} nS`),
      iBiasB: capmem((Math.abs(b) * CHIP_NA_PER_MODEL_NA * scale) / ADAPT_B_NA_PER_LSB, 'b', p, i, 'nA', `|b| ≤ ${round((CAPMEM_MAX * ADAPT_B_NA_PER_LSB) / (CHIP_NA_PER_MODEL_NA * f))} nA`),
    };
  }
  return patch;
}

/**
 * The neuron specs of a population (cached by the caller per parameter version): model neurons calibrated to
 * their targets with their extras (`drives`: offset currents with current sources, per neuron), HXNeurons from
 * `base` with their values (hx-neurons.ts). Equal parameters share one target.
 */
export function neuronSpecs(p: Population, base: HxBase, drives?: readonly (OffsetDrive | undefined)[]): NeuronSpec[] {
  const targets = new Map<string, NeuronTarget>();
  checkOneDeltaT(p);
  const f = voltageScale(p);
  return Array.from({ length: p.size }, (_, i): NeuronSpec => {
    if (p.cellType.kind === 'hx') return hxSpec(p, i, base);
    const key = p.cellType.parameterNames.map((n) => String(p.parameterValue(n, i))).join('|');
    let target = targets.get(key);
    if (target === undefined) {
      const { synapseDacBias_lsb: _bias, ...scalar } = neuronTarget(p, i, f);
      target = scalar;
      targets.set(key, target);
    }
    return { kind: 'calibrated', target, patch: modelPatch(p, i, f, drives?.[i]) };
  });
}
