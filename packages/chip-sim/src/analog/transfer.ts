// Nominal transfer from settings to physics (hardware.md §8.3, a Choice of the datasheet) and the backend
// clock arithmetic of §1.1 / §8.1. These are the values of the "ideal chip"; `variation.ts` adds the
// fixed-pattern offsets and gains of a seeded chip. Units are in the names: CapMem LSB in, V / mV, nS, pF, µs,
// nA out. A bias of 0 gives an infinite time constant (the integrator holds) or a zero conductance.

/** Full scale of a CapMem voltage cell: 1.2 V at code 1022. */
export const CAPMEM_FULL_SCALE_V = 1.2;
export const CAPMEM_MAX_LSB = 1022;
/** The supply rails clamp every analog voltage (the MADC reads 0..1.2 V). */
export const SUPPLY_MAX_MV = 1200;
/** §8.3: Δ_T of the exponential term, the same on every circuit. */
export const EXPONENTIAL_SLOPE_MV = 15;
/**
 * Amplitude of one synaptic event at full weight (63/63), `syn_i_bias_dac` 600, nominal driver pulse and the
 * small integrator capacitance: the jump of the integrator state x in nA (§8.2 `q`). **Choice:** 100 nA, so
 * that with `i_bias_gm` 500 (g_m = 1) the PSC peaks at 100 nA, of the order of the offset current's range.
 */
export const SYNAPTIC_EVENT_CHARGE_NA = 100;
/** §8.2: without the small capacitance the integrator step is smaller; **Choice:** by the same 4 as τ grows. */
export const LARGE_CAPACITANCE_STEP_FACTOR = 0.25;

/** CapMem voltage cell (v_*, e_*_rev): `1.2 V · value / 1022`. */
export function capMemVoltage_V(value_lsb: number): number {
  return (CAPMEM_FULL_SCALE_V * value_lsb) / CAPMEM_MAX_LSB;
}

/** The same in mV (the unit of the neuron engine). */
export function capMemVoltage_mV(value_lsb: number): number {
  return (1000 * CAPMEM_FULL_SCALE_V * value_lsb) / CAPMEM_MAX_LSB;
}

/** `mem_cap_size` 0..63: `C_m = 0.1 pF + 2.1 pF · c / 63`. */
export function membraneCapacitance_pF(capacitance_lsb: number): number {
  return 0.1 + (2.1 * capacitance_lsb) / 63;
}

/** Leak or reset OTA: `1 nS · i_bias`, ×8 with multiplication, ÷8 with division (both: ×1). */
export function otaConductance_nS(iBias_lsb: number, division: boolean, multiplication: boolean): number {
  return iBias_lsb * (multiplication ? 8 : 1) / (division ? 8 : 1);
}

/** Leak conductance g_L from `leak.i_bias` and its range switches. */
export const leakConductance_nS = otaConductance_nS;
/** Reset conductance g_reset from `reset.i_bias` and its range switches. */
export const resetConductance_nS = otaConductance_nS;

/** Inter-compartment conductance from `i_bias_nmda`: `1 nS · value`, ×4 / ÷4. */
export function interCompartmentConductance_nS(iBiasNmda_lsb: number, division: boolean, multiplication: boolean): number {
  return iBiasNmda_lsb * (multiplication ? 4 : 1) / (division ? 4 : 1);
}

/** Synaptic time constant: `300 µs / i_bias_tau`, ×4 without the small capacitance, ×8 with high resistance. */
export function synapticTimeConstant_us(iBiasTau_lsb: number, smallCapacitance: boolean, highResistance: boolean): number {
  return (300 / iBiasTau_lsb) * (smallCapacitance ? 1 : 4) * (highResistance ? 8 : 1);
}

/** Synaptic input transconductance gain g_m (dimensionless): linear, 1.0 at `i_bias_gm` 500. */
export function synapticTransconductance(iBiasGm_lsb: number): number {
  return iBiasGm_lsb / 500;
}

/** Synapse DAC gain s_dac of a quadrant (dimensionless): linear, 1.0 at `syn_i_bias_dac` 600. */
export function synapseDacGain(synIBiasDac_lsb: number): number {
  return synIBiasDac_lsb / 600;
}

/**
 * Nominal part of the synaptic input offset o_shift of §8.2 (`I = g_m · (x + o_shift)`), set by
 * `i_shift_reference`. **Choice:** `0.004 nA · (500 − value)`: zero at 500, ±2 nA over the range, enough to
 * null the per-circuit offset of `variation.ts` (N(0, 0.5 nA)).
 */
export function synapticShiftOffset_nA(iShiftReference_lsb: number): number {
  return 0.004 * (500 - iShiftReference_lsb);
}

/** COBA voltage scale: `ΔV_coba = 300 mV · 500 / i_bias_coba` (infinite at 0: no modulation current). */
export function cobaVoltageScale_mV(iBiasCoba_lsb: number): number {
  return (300 * 500) / iBiasCoba_lsb;
}

/**
 * Offset current `0.1 nA · i_offset`, "compressing above 800" (§8.3). **Choice:** above 800 LSB the current
 * follows `80 nA + 22.2 nA · tanh((value − 800) / 222)`, continuous in value and slope; 1022 gives 96.9 nA.
 */
export function offsetCurrent_nA(iOffset_lsb: number): number {
  if (iOffset_lsb <= 800) return 0.1 * iOffset_lsb;
  const knee_lsb = CAPMEM_MAX_LSB - 800;
  return 80 + 0.1 * knee_lsb * Math.tanh((iOffset_lsb - 800) / knee_lsb);
}

/** Adaptation time constant: `τ_w = 10 ms / value` (hardware time; 100 → 100 µs). */
export function adaptationTimeConstant_us(iBiasTau_lsb: number): number {
  return 10_000 / iBiasTau_lsb;
}

/** Subthreshold adaptation `a = 0.1 nS · value` (sign from `invert_a`). */
export function adaptationConductance_nS(iBiasA_lsb: number): number {
  return 0.1 * iBiasA_lsb;
}

/** Spike-triggered adaptation `b = 0.05 nA · value` (sign from `invert_b`). */
export function adaptationIncrement_nA(iBiasB_lsb: number): number {
  return 0.05 * iBiasB_lsb;
}

/** Exponential term strength `I_0 = 0.1 nA · i_bias_exp`. */
export function exponentialCurrent_nA(iBiasExp_lsb: number): number {
  return 0.1 * iBiasExp_lsb;
}

/** MADC code of a voltage: `round(1023 · V / 1.2 V)`, clamped to 0..1023. */
export function madcCode(voltage_V: number): number {
  return Math.min(1023, Math.max(0, Math.round((1023 * voltage_V) / CAPMEM_FULL_SCALE_V)));
}

/** CADC code: `round((V − 0.06 V) / 4.5 mV) + channel offset`, clamped to 0..255 (0.15 V → 20, 1.05 V → 220). */
export function cadcCode(voltage_V: number, channelOffset_lsb = 0): number {
  return Math.min(255, Math.max(0, Math.round((voltage_V - 0.06) / 0.0045) + channelOffset_lsb));
}

/** Neuron backend clock `s` (§1.1): `250 MHz / 2^(s+1)`. */
export function backendClockFrequency_MHz(clockScale: number): number {
  return 250 / 2 ** (clockScale + 1);
}

/** One period of backend clock `s`: `8 ns · 2^s`. */
export function backendClockPeriod_ns(clockScale: number): number {
  return 1000 / backendClockFrequency_MHz(clockScale);
}

/**
 * §8.1: the refractory counter is loaded with `0xFF − refractory_time` and counts up to 0xFF, so
 * `τ_ref = refractory_time / f`.
 */
export function refractoryPeriod_ns(refractoryTime: number, clockScale: number): number {
  return refractoryTime * backendClockPeriod_ns(clockScale);
}

/**
 * §8.1: the reset phase ends `0x1F − 2·reset_holdoff` clock cycles before the refractory period does, so it
 * lasts `(refractory_time − 0x1F + 2·reset_holdoff) / f`; zero or negative means no reset.
 */
export function resetDuration_ns(refractoryTime: number, resetHoldoff: number, clockScale: number): number {
  return (refractoryTime - (0x1f - 2 * resetHoldoff)) * backendClockPeriod_ns(clockScale);
}
