// The datasheet's nominal numbers, once for the whole stack (architecture.md: lola is their one home): clocks,
// chip-wide counts, limits, readout scales and the §8.3 transfer from settings to physics. Counts are halco's
// coordinate sizes and limits are read from lola's own field definitions, so a number is written here only when
// no coordinate or container already carries it. Sections (§) are hardware.md's.
import {
  AtomicNeuronOnDLS,
  BackgroundSpikeSourceOnDLS,
  CADCChannelConfigOnDLS,
  CADCOnDLS,
  HemisphereOnDLS,
  NeuronBackendAddressOut,
  NeuronColumnOnDLS,
  PADIBusOnDLS,
  PADIBusOnPADIBusBlock,
  PADIRowSelectAddress,
  SourceMultiplexerOnReadoutSourceSelection,
  SynapseDriverOnDLS,
  SynapseDriverOnPADIBus,
  SynapseLabel,
  SynapseOnDLS,
  SynapseQuadColumnOnDLS,
  SynapseRowOnSynapseDriver,
} from '@bss2/halco';
import { BackgroundSpikeSource } from './background-spike-source.js';
import { CADCSampleQuad } from './cadc.js';
import { capMemCellValueType, capMemDisableRefresh, capMemValueMax } from './capmem.js';
import { LolaError } from './errors.js';
import { type AnyField, isArrayField } from './field.js';
import { MADCConfig, madcClock_hz, madcMinimalCyclesPerSample } from './madc.js';
import { CommonNeuronBackendConfig, NeuronBackendConfig } from './neuron-backend.js';
import { NeuronConfig } from './neuron-config.js';
import { SynapseDriverConfig } from './synapse-driver.js';
import { SynapseQuad } from './synapse-quad.js';

/** The largest number a field holds: its own value type asked for each raw code of its bits, from the top. */
function largestValue(name: string, field: AnyField): number {
  const type = isArrayField(field) ? field.element : field.type;
  const slices = isArrayField(field) ? field.slices[0]! : field.slices;
  const width = slices.reduce((bits, s) => bits + s.width, 0);
  for (let raw = 2 ** width - 1; raw >= 0; raw--) {
    const value = type.fromRaw(raw);
    if (typeof value === 'number') return value;
  }
  throw new LolaError(`${name} holds no number, so it has no largest value`);
}

/** Bits of one element of a field. */
function widthOf(field: AnyField): number {
  return (isArrayField(field) ? field.slices[0]! : field.slices).reduce((bits, s) => bits + s.width, 0);
}

// §1.1: the two clocks the datasheet's timing is stated in.
const fpgaClock_hz = 125e6;
const ppuClock_hz = 250e6;
const fpgaClockCyclesPerUs = fpgaClock_hz / 1e6;

// §8.3: CapMem voltage cells span 1.2 V over their value range; the MADC reads the same 0..1.2 V in 10 bits;
// the CADC is linear, 0.06 V at code 0 and 4.5 mV per code.
const capMemFullScale_V = 1.2;
const madcResolution_bits = 10;
const madcCodeMax = 2 ** madcResolution_bits - 1;
const cadcZero_V = 0.06;
const cadcLsb_V = 0.0045;
const cadcCodeMax = largestValue('CADCSampleQuad.samples', CADCSampleQuad.fields.samples);

// §8.3: range switches and unity settings of the bias-controlled quantities.
const otaRangeFactor = 8;
const interCompartmentRangeFactor = 4;
const synapticTauScale_us = 300;
const synapticTauLargeCapacitanceFactor = 4;
const synapticTauHighResistanceFactor = 8;
const synapticGmUnity_lsb = 500;
const synapseDacUnity_lsb = 600;
const membraneCapacitanceMax = largestValue('NeuronConfig.memCapSize', NeuronConfig.fields.memCapSize);
const membraneCapacitanceOffset_pF = 0.1;
const membraneCapacitanceSpan_pF = 2.1;
/** §8.1: the reset ends `0x1F − 2·reset_holdoff` backend cycles before the refractory period. */
const resetHoldoffBase_cycles = 0x1f;

function neuronBackendClockPeriod_ns(clockScale: number): number {
  return 1e9 / (ppuClock_hz / 2 ** (clockScale + 1));
}

function capMemVoltage_V(value_lsb: number): number {
  return (capMemFullScale_V * value_lsb) / capMemValueMax;
}

function voltageToCadcCode(voltage_V: number): number {
  return (voltage_V - cadcZero_V) / cadcLsb_V;
}

/** The neuron voltage settings whose transfer differs from the plain CapMem cell (see `neuronVoltageTransfers`). */
export type NeuronVoltageKind = 'leak' | 'reset' | 'threshold';

/** A per-parameter transfer: linear `offset + gain · value`, or logistic between `low` and `high` (saturating). */
export type NeuronVoltageTransfer =
  | { readonly shape: 'linear'; readonly offset_V: number; readonly gain_V_per_lsb: number }
  | { readonly shape: 'logistic'; readonly low_V: number; readonly high_V: number; readonly center_lsb: number; readonly width_lsb: number };

/**
 * **Choice** (issue 19, the reference tutorial's observations on an uncalibrated chip): the leak, reset and
 * threshold settings reach the membrane through different circuits (the leak OTA, the reset OTA, the spike
 * comparator), so one setting means a different potential per parameter — a threshold of 300 sits near a leak
 * of 700. Leak: logistic between 0.15 V and 0.74 V (saturating at both ends; 700 → 0.440 V, 1000 → 0.690 V, 1022 → 0.697 V);
 * reset: `−128 mV + 1 mV · value` (400 → 0.272 V, 1022 → 0.894 V); threshold: `289 mV + 0.6 mV · value` (300 → 0.469 V, 500 →
 * 0.589 V). In MADC LSB: leak 700 → 375, reset 400 → 232, threshold 300 → 400. The other voltage cells
 * (reversal potentials, v_exp, adaptation) are the plain CapMem cell, `1.2 V · value / 1022`.
 */
const neuronVoltageTransfers: Readonly<Record<NeuronVoltageKind, NeuronVoltageTransfer>> = Object.freeze({
  leak: Object.freeze({ shape: 'logistic', low_V: 0.15, high_V: 0.74, center_lsb: 704, width_lsb: 124 }),
  reset: Object.freeze({ shape: 'linear', offset_V: -0.128, gain_V_per_lsb: 0.001 }),
  threshold: Object.freeze({ shape: 'linear', offset_V: 0.289, gain_V_per_lsb: 0.0006 }),
});

function neuronVoltage_V(kind: NeuronVoltageKind, value_lsb: number): number {
  const t = neuronVoltageTransfers[kind];
  if (t.shape === 'linear') return t.offset_V + t.gain_V_per_lsb * value_lsb;
  return t.low_V + (t.high_V - t.low_V) / (1 + Math.exp(-(value_lsb - t.center_lsb) / t.width_lsb));
}

/** The setting (real, unrounded) that gives `voltage_V`; outside a logistic's open range ±Infinity. */
function neuronVoltageSetting_lsb(kind: NeuronVoltageKind, voltage_V: number): number {
  const t = neuronVoltageTransfers[kind];
  if (t.shape === 'linear') return (voltage_V - t.offset_V) / t.gain_V_per_lsb;
  const p = (voltage_V - t.low_V) / (t.high_V - t.low_V);
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  return t.center_lsb + t.width_lsb * Math.log(p / (1 - p));
}

/** d V / d setting at `value_lsb` (V per LSB). */
function neuronVoltageSlope_V_per_lsb(kind: NeuronVoltageKind, value_lsb: number): number {
  const t = neuronVoltageTransfers[kind];
  if (t.shape === 'linear') return t.gain_V_per_lsb;
  const s = 1 / (1 + Math.exp(-(value_lsb - t.center_lsb) / t.width_lsb));
  return ((t.high_V - t.low_V) * s * (1 - s)) / t.width_lsb;
}

/** Where the offset current stops being linear (§8.3 "compressing above 800"). */
const offsetCurrentLinearMax_lsb = 800;

/**
 * The datasheet's nominal numbers (hardware.md), frozen. Units are in the names (`_hz`, `_ns`, `_us`, `_V`,
 * `_mV`, `_nS`, `_nA`, `_pF`, `_lsb` for codes and CapMem values, `_ticks` / `_cycles` for clock counts).
 *
 * ```ts
 * import { nominal } from '@bss2/lola';
 * const delay_cycles = 20 * nominal.fpgaClockCyclesPerUs;         // 20 µs of chip time
 * const leak_V = nominal.capMemVoltage_V(700);                      // ≈ 0.822 V
 * ```
 */
export const nominal = Object.freeze({
  // ---- §1.1 clocks and time --------------------------------------------------------------------------------
  /** FPGA clock: the unit of every program time, spike timestamp and wait (125 MHz). */
  fpgaClock_hz,
  /** FPGA cycles per µs of chip time (125). */
  fpgaClockCyclesPerUs,
  /** One FPGA cycle (8 ns). */
  fpgaCycle_ns: 1e9 / fpgaClock_hz,
  /** core_1: the PPU clock, base of the neuron backend clocks and of the 8-bit chip event timestamps (250 MHz). */
  ppuClock_hz,
  /** PPU timer counts per µs (250). */
  ppuClockCyclesPerUs: ppuClock_hz / 1e6,
  /** Chip event timestamp ticks per FPGA cycle: timestamps are halved to FPGA cycles on decode (2). */
  chipTimestampTicksPerFpgaCycle: ppuClock_hz / fpgaClock_hz,
  /** ADPLL0 DCO output, the MADC clock (500 MHz; defined beside MADCConfig). */
  madcClock_hz,
  /** Chip time runs this much faster than biological time: 1 µs on the chip is 1 ms biological. */
  speedUpFactor: 1000,
  /** Neuron backend clock `s` (CommonNeuronBackendConfig `clock_scale_*`): `250 MHz / 2^(s+1)`. */
  neuronBackendClock_hz(clockScale: number): number {
    return ppuClock_hz / 2 ** (clockScale + 1);
  },
  /** One period of backend clock `s`: `8 ns · 2^s`. */
  neuronBackendClockPeriod_ns,
  /** Largest backend clock scale (4-bit `clock_scale_*`, §3.4): ≈ 3.81 kHz. */
  neuronBackendClockScaleMax: largestValue('CommonNeuronBackendConfig.clockScaleFast', CommonNeuronBackendConfig.fields.clockScaleFast),

  // ---- §1, §2 counts (halco sizes) ----------------------------------------------------------------------------
  /** Neuron circuits (AtomicNeuronOnDLS): 512. */
  neuronCount: AtomicNeuronOnDLS.size,
  /** Neuron columns per row (NeuronColumnOnDLS): 256. */
  neuronColumnCount: NeuronColumnOnDLS.size,
  /** Hemispheres (synapse arrays, CADCs, PPUs): 2. */
  hemisphereCount: HemisphereOnDLS.size,
  /** Synapses (SynapseOnDLS): 131 072. */
  synapseCount: SynapseOnDLS.size,
  /** Synapse drivers (SynapseDriverOnDLS): 256. */
  synapseDriverCount: SynapseDriverOnDLS.size,
  /** PADI event buses (PADIBusOnDLS): 8. */
  padiBusCount: PADIBusOnDLS.size,
  /** PADI buses per hemisphere (PADIBusOnPADIBusBlock): 4. */
  padiBusesPerHemisphere: PADIBusOnPADIBusBlock.size,
  /** Synapse rows one PADI bus reaches: 32 drivers × 2 rows (§2.7). */
  synapseRowsPerPadiBus: SynapseDriverOnPADIBus.size * SynapseRowOnSynapseDriver.size,
  /** CADC channels (CADCChannelConfigOnDLS): 2 × (256 causal + 256 acausal). */
  cadcChannelCount: CADCChannelConfigOnDLS.size,
  /** Background spike generators (BackgroundSpikeSourceOnDLS), one per PADI bus: 8. */
  backgroundSpikeSourceCount: BackgroundSpikeSourceOnDLS.size,

  // ---- §2.4, §3.5 synapses, labels and the event path ---------------------------------------------------------
  /** Largest 6-bit synapse weight (SynapseQuad `weights`); a pulse is `weight / 63` of the full current (§8.2). */
  synapseWeightMax: largestValue('SynapseQuad.weights', SynapseQuad.fields.weights),
  /** Largest 6-bit `hagen_dac_offset` of a synapse driver (integrator mode, §3.6): 63. */
  hagenDacOffsetMax: largestValue('SynapseDriverConfig.hagenDacOffset', SynapseDriverConfig.fields.hagenDacOffset),
  /** Largest 4-bit pulse-width trim `offset` of a synapse driver (§3.6): 15. */
  driverOffsetMax: largestValue('SynapseDriverConfig.offset', SynapseDriverConfig.fields.offset),
  /** Largest 6-bit synapse label (SynapseLabel), the address a driver sends to its rows. */
  synapseLabelMax: SynapseLabel.max,
  /** Largest 5-bit row-select address a driver compares with its bus index (PADIRowSelectAddress). */
  padiRowSelectAddressMax: PADIRowSelectAddress.max,
  /** Largest 8-bit neuron `address_out` (NeuronBackendAddressOut). */
  neuronAddressOutMax: NeuronBackendAddressOut.max,
  /**
   * **Choice** (PADI bus capacity; the datasheet is silent): a bus carries one event per 250 MHz chip clock,
   * i.e. two per FPGA cycle; a further event in that cycle is dropped (the bus has no queue).
   */
  padiBusEventsPerFpgaCycle: ppuClock_hz / fpgaClock_hz,

  // ---- §3.7 background spike generators -----------------------------------------------------------------------
  /** **Choice:** `period` counts FPGA clock ticks (8 ns): period 1 is the 125 MEvent/s maximum. */
  backgroundSpikeSourceClock_hz: fpgaClock_hz,
  /** Largest 16-bit `period` (ticks). */
  backgroundPeriodMax_ticks: largestValue('BackgroundSpikeSource.period', BackgroundSpikeSource.fields.period),
  /** Poisson spike probability per bin is `rate / 255`: the 8-bit `rate` has 255 steps above silence. */
  backgroundRateSteps: largestValue('BackgroundSpikeSource.rate', BackgroundSpikeSource.fields.rate),
  /** Largest 32-bit LFSR `seed`. */
  backgroundSeedMax: largestValue('BackgroundSpikeSource.seed', BackgroundSpikeSource.fields.seed),
  /** Distinct random labels one Poisson generator draws: 2^(bits of the 8-bit `mask`) = 256. */
  backgroundRandomLabelCount: 2 ** widthOf(BackgroundSpikeSource.fields.mask),

  // ---- §3.1, §3.8 CapMem ------------------------------------------------------------------------------------
  /** Largest CapMem value (10-bit code, the top code is the sentinel): 1022. */
  capMemValueMax_lsb: capMemValueMax,
  /** The "do not refresh" sentinel code: 1023. */
  capMemDisableRefreshCode: capMemCellValueType.toRaw(capMemDisableRefresh),
  /** Software waits this long after CapMem writes before measuring (20 ms). */
  capMemSettle_us: 20_000,
  /** **Choice:** a written cell approaches its value exponentially with τ = 2 ms. */
  capMemSettlingTau_us: 2000,
  /** **Choice:** the simulated cells move on a 1 ms grid of chip time (a staircase towards the target). */
  capMemUpdatePeriod_us: 1000,

  // ---- §3.9, §8.3 readout -------------------------------------------------------------------------------------
  /** Largest 8-bit CADC code (CADCSampleQuad `samples`): 255. */
  cadcCodeMax_lsb: cadcCodeMax,
  /** Reads of one sweep of every neuron: each quad column of both CADCs, one CADCSampleQuad per FPGA cycle. */
  cadcReadsPerSweep: CADCOnDLS.size * SynapseQuadColumnOnDLS.size,
  /** The CADC's input at code 0 (V). */
  cadcZero_V,
  /** One CADC code (V): 4.5 mV. */
  cadcLsb_V,
  /** CADC code → voltage, linear (no offset, no clamping): `0.06 V + code · 4.5 mV`. */
  cadcCodeToVoltage_V(code: number): number {
    return cadcZero_V + code * cadcLsb_V;
  },
  /** Voltage → CADC code, linear and unrounded (the inverse of `cadcCodeToVoltage_V`). */
  voltageToCadcCode,
  /** What the CADC reads: `round((V − 0.06 V) / 4.5 mV) + channel offset`, clamped to 0..255. */
  cadcCode(voltage_V: number, channelOffset_lsb = 0): number {
    return Math.min(cadcCodeMax, Math.max(0, Math.round(voltageToCadcCode(voltage_V)) + channelOffset_lsb));
  },
  /** MADC resolution: 10 bit. */
  madcResolution_bits,
  /** Largest MADC code: 1023. */
  madcCodeMax_lsb: madcCodeMax,
  /** The MADC's input range (V): the 1.2 V the CapMem spans. */
  madcFullScale_V: capMemFullScale_V,
  /** What the MADC reads: `round(1023 · V / 1.2 V)`, clamped to 0..1023. */
  madcCode(voltage_V: number): number {
    return Math.min(madcCodeMax, Math.max(0, Math.round((madcCodeMax * voltage_V) / capMemFullScale_V)));
  },
  /** MADC code → voltage: `code · 1.2 V / 1023`. */
  madcCodeToVoltage_V(code: number): number {
    return (code * capMemFullScale_V) / madcCodeMax;
  },
  /** MADC clock cycles per sample at `sample_duration_adjust` 0 (12; defined beside MADCConfig). */
  madcMinimalCyclesPerSample,
  /** One MADC sample at the reset configuration: `(12 + 5)` MADC clocks = 34 ns (≈ 29.41 MSa/s). */
  madcBaseSamplePeriod_ns: ((madcMinimalCyclesPerSample + MADCConfig.defaults().sampleDurationAdjust) * 1e9) / madcClock_hz,
  /** Largest 12-bit `madc_clock_scale_value` (the rate is further divided by `2·(value + 1)`). */
  madcClockScaleMax: largestValue('MADCConfig.madcClockScaleValue', MADCConfig.fields.madcClockScaleValue),
  /** MADC input channels (SourceMultiplexerOnReadoutSourceSelection): 2. */
  madcChannelCount: SourceMultiplexerOnReadoutSourceSelection.size,

  // ---- §8.3 nominal transfer from settings to physics (**Choice** of the simulated chip) ----------------------
  /** Full scale of a CapMem voltage cell: 1.2 V at the largest value. */
  capMemFullScale_V,
  /** CapMem voltage cell (v_*, e_*_rev): `1.2 V · value / 1022`. */
  capMemVoltage_V,
  /** The same in mV. */
  capMemVoltage_mV(value_lsb: number): number {
    return (1000 * capMemFullScale_V * value_lsb) / capMemValueMax;
  },
  /** Voltage → CapMem voltage-cell value, linear and unrounded (the inverse of `capMemVoltage_V`). */
  voltageToCapMem_lsb(voltage_V: number): number {
    return (voltage_V / capMemFullScale_V) * capMemValueMax;
  },
  /** Per-parameter transfers of the leak, reset and threshold settings (**Choice**, see the type's comment). */
  neuronVoltageTransfers,
  /** Leak / reset / threshold setting → potential (V): `neuronVoltageTransfers`. */
  neuronVoltage_V,
  /** The inverse: potential (V) → setting, real and unrounded (±Infinity beyond a saturating transfer's range). */
  neuronVoltageSetting_lsb,
  /** The slope of `neuronVoltage_V` at a setting (V per LSB). */
  neuronVoltageSlope_V_per_lsb,
  /** Largest 6-bit `membrane_capacitance` (NeuronConfig `mem_cap_size`): 63. */
  membraneCapacitanceMax,
  /** Membrane capacitance at `membrane_capacitance` 0 (pF). */
  membraneCapacitanceOffset_pF,
  /** Capacitance `membrane_capacitance` adds over its range (pF). */
  membraneCapacitanceSpan_pF,
  /** `C_m = 0.1 pF + 2.1 pF · c / 63` (2.2 pF at 63). */
  membraneCapacitance_pF(capacitance: number): number {
    return membraneCapacitanceOffset_pF + (membraneCapacitanceSpan_pF * capacitance) / membraneCapacitanceMax;
  },
  /** Leak and reset `i_bias` range switches: ×8 with multiplication, ÷8 with division. */
  otaRangeFactor,
  /** `i_bias_nmda` range switches: ×4 / ÷4. */
  interCompartmentRangeFactor,
  /** Leak or reset OTA: `g = 1 nS · i_bias`, ×8 / ÷8 (both switches: ×1). */
  otaConductance_nS(iBias_lsb: number, division: boolean, multiplication: boolean): number {
    return (iBias_lsb * (multiplication ? otaRangeFactor : 1)) / (division ? otaRangeFactor : 1);
  },
  /** Inter-compartment conductance from `i_bias_nmda`: `1 nS · value`, ×4 / ÷4. */
  interCompartmentConductance_nS(iBiasNmda_lsb: number, division: boolean, multiplication: boolean): number {
    return (iBiasNmda_lsb * (multiplication ? interCompartmentRangeFactor : 1)) / (division ? interCompartmentRangeFactor : 1);
  },
  /** `τ_syn = 300 µs / i_bias_tau` with the small capacitance and without high resistance. */
  synapticTauScale_us,
  /** τ_syn grows ×4 without the small capacitance. */
  synapticTauLargeCapacitanceFactor,
  /** τ_syn grows ×8 with the high-resistance switch. */
  synapticTauHighResistanceFactor,
  /** Synaptic time constant: `300 µs / i_bias_tau`, ×4 without the small capacitance, ×8 with high resistance. */
  synapticTimeConstant_us(iBiasTau_lsb: number, smallCapacitance: boolean, highResistance: boolean): number {
    return (
      (synapticTauScale_us / iBiasTau_lsb) *
      (smallCapacitance ? 1 : synapticTauLargeCapacitanceFactor) *
      (highResistance ? synapticTauHighResistanceFactor : 1)
    );
  },
  /** `i_bias_gm` of unity synaptic transconductance: 500. */
  synapticGmUnity_lsb,
  /** `syn_i_bias_dac` of unity synapse DAC gain: 600. */
  synapseDacUnity_lsb,
  /** Synaptic input transconductance gain g_m (dimensionless): linear, 1.0 at `i_bias_gm` 500. */
  synapticTransconductance(iBiasGm_lsb: number): number {
    return iBiasGm_lsb / synapticGmUnity_lsb;
  },
  /** Synapse DAC gain of a quadrant (dimensionless): linear, 1.0 at `syn_i_bias_dac` 600. */
  synapseDacGain(synIBiasDac_lsb: number): number {
    return synIBiasDac_lsb / synapseDacUnity_lsb;
  },
  /**
   * §8.2 `q`, **Choice:** the integrator jump (nA) of one event at full weight, unity DAC gain, nominal driver
   * pulse and the small capacitance; with `i_bias_gm` 500 the PSC peaks at 100 nA.
   */
  synapticEventCharge_nA: 100,
  /** COBA voltage scale: `ΔV_coba = 300 mV · 500 / i_bias_coba` (infinite at 0). */
  cobaVoltageScale_mV(iBiasCoba_lsb: number): number {
    return (300 * 500) / iBiasCoba_lsb;
  },
  /**
   * Offset current `0.1 nA · i_offset`, "compressing above 800". **Choice:** above 800 LSB it follows
   * `80 nA + 22.2 nA · tanh((value − 800) / 222)`, continuous in value and slope; 1022 gives 96.9 nA.
   */
  offsetCurrent_nA(iOffset_lsb: number): number {
    if (iOffset_lsb <= offsetCurrentLinearMax_lsb) return 0.1 * iOffset_lsb;
    const knee_lsb = capMemValueMax - offsetCurrentLinearMax_lsb;
    return 0.1 * offsetCurrentLinearMax_lsb + 0.1 * knee_lsb * Math.tanh((iOffset_lsb - offsetCurrentLinearMax_lsb) / knee_lsb);
  },
  /** The offset current is linear (0.1 nA per LSB) up to this setting and compresses above it. */
  offsetCurrentLinearMax_lsb,
  /** Adaptation time constant: `τ_w = 10 ms / value` (100 → 100 µs). */
  adaptationTimeConstant_us(iBiasTau_lsb: number): number {
    return 10_000 / iBiasTau_lsb;
  },
  /** Subthreshold adaptation `a = 0.1 nS · value` (sign from `invert_a`). */
  adaptationConductance_nS(iBiasA_lsb: number): number {
    return 0.1 * iBiasA_lsb;
  },
  /** Spike-triggered adaptation `b = 0.05 nA · value` (sign from `invert_b`). */
  adaptationIncrement_nA(iBiasB_lsb: number): number {
    return 0.05 * iBiasB_lsb;
  },
  /** Exponential term strength `I_0 = 0.1 nA · i_bias_exp`. */
  exponentialCurrent_nA(iBiasExp_lsb: number): number {
    return 0.1 * iBiasExp_lsb;
  },
  /** Δ_T of the exponential term, the same on every circuit: 15 mV. */
  exponentialSlope_mV: 15,

  // ---- §8.1 refractoriness (digital) --------------------------------------------------------------------------
  /** Largest 8-bit `refractory_time` (NeuronBackendConfig). */
  refractoryTimeMax: largestValue('NeuronBackendConfig.refractoryTime', NeuronBackendConfig.fields.refractoryTime),
  /** Largest 4-bit `reset_holdoff` (NeuronBackendConfig). */
  resetHoldoffMax: largestValue('NeuronBackendConfig.resetHoldoff', NeuronBackendConfig.fields.resetHoldoff),
  /** The reset ends `0x1F − 2·reset_holdoff` backend cycles before the refractory period does. */
  resetHoldoffBase_cycles,
  /** `τ_ref = refractory_time / f` (the counter is loaded with `0xFF − refractory_time`). */
  refractoryPeriod_ns(refractoryTime: number, clockScale: number): number {
    return refractoryTime * neuronBackendClockPeriod_ns(clockScale);
  },
  /** The reset phase: `(refractory_time − 0x1F + 2·reset_holdoff) / f`; zero or negative means no reset. */
  resetDuration_ns(refractoryTime: number, resetHoldoff: number, clockScale: number): number {
    return (refractoryTime - (resetHoldoffBase_cycles - 2 * resetHoldoff)) * neuronBackendClockPeriod_ns(clockScale);
  },

  // ---- §7 the plasticity processor ----------------------------------------------------------------------------
  /** §7 **Choice (cost model)**, in PPU clock cycles (250 per µs): what one instruction or access costs. */
  ppuCycleCosts: Object.freeze({
    /** ALU instructions, branches, local-memory accesses. */
    alu_cycles: 1,
    /** One vector access to the synapse array (weights, labels, correlation, config, random). */
    synapseArrayVector_cycles: 8,
    /** One chip register access (pointer bit 31: neuron reset, rate counters, event injection, CapMem). */
    chipRegister_cycles: 16,
    /** One access to the FPGA's external SRAM. */
    fpgaSram_cycles: 64,
    /** One access to the FPGA's external DRAM. */
    fpgaDram_cycles: 256,
    /** One CADC conversion of all 512 channels (0.54 µs). */
    cadcConversion_cycles: 135,
  }),
});

/** The type of `nominal`. */
export type Nominal = typeof nominal;
