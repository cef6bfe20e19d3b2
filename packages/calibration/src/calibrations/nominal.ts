// Nominal settings: what an ideal chip (hardware.md §8.3 transfer functions, no variation) needs for a target.
// They are the uncalibrated configuration (the "before" of every report) and the first probe of every search.
import { CAPMEM_MAX_LSB } from '../parameter-range.js';

/** §8.3: CADC code = round((V − 0.06 V) / 4.5 mV); CapMem voltage = 1.2 V · value / 1022. */
const CADC_ZERO_V = 0.06;
const CADC_LSB_V = 0.0045;
const CAPMEM_FULL_SCALE_V = 1.2;

export function cadcCodeToVoltage_V(code: number): number {
  return CADC_ZERO_V + code * CADC_LSB_V;
}

export function voltageToCadcCode(voltage_V: number): number {
  return (voltage_V - CADC_ZERO_V) / CADC_LSB_V;
}

/** The CapMem voltage cell value that nominally gives CADC code `code`, clamped to the cell range. */
export function potentialSetting(code: number): number {
  return Math.min(CAPMEM_MAX_LSB, Math.max(0, Math.round((cadcCodeToVoltage_V(code) / CAPMEM_FULL_SCALE_V) * CAPMEM_MAX_LSB)));
}

/** CapMem LSB per CADC LSB of a voltage cell, nominally (≈ 3.83). */
export const CAPMEM_PER_CADC_LSB = (CADC_LSB_V / CAPMEM_FULL_SCALE_V) * CAPMEM_MAX_LSB;

/** §8.3: C_m = 0.1 pF + 2.1 pF · c / 63. */
export function membraneCapacitance_pF(capacitance: number): number {
  return 0.1 + (2.1 * capacitance) / 63;
}

/** Leak range switch and bias of a membrane time constant: g = C / τ, `1 nS · i_bias`, ×8 / ÷8 (§8.3). */
export interface LeakBias {
  readonly iBias: number;
  readonly division: boolean;
  readonly multiplication: boolean;
}

/**
 * The leak bias that nominally gives τ_mem. The range switch keeps the bias between ≈ 100 and 1000 LSB where
 * one LSB changes τ by at most 1 % and the ±50 % fixed-pattern spread still fits the cell.
 */
export function leakBias(tau_us: number, capacitance: number): LeakBias {
  const g_nS = (membraneCapacitance_pF(capacitance) / tau_us) * 1000;
  if (g_nS < 100) return { iBias: Math.min(CAPMEM_MAX_LSB, Math.round(8 * g_nS)), division: true, multiplication: false };
  if (g_nS > 1000) return { iBias: Math.min(CAPMEM_MAX_LSB, Math.round(g_nS / 8)), division: false, multiplication: true };
  return { iBias: Math.round(g_nS), division: false, multiplication: false };
}

/** Synaptic `i_bias_tau` and high-resistance switch for τ_syn: 300 µs / value, ×8 with high resistance (§8.3). */
export function synapticTauBias(tau_us: number): { iBias: number; highResistance: boolean } {
  const plain = 300 / tau_us;
  if (plain >= 100) return { iBias: Math.min(CAPMEM_MAX_LSB, Math.round(plain)), highResistance: false };
  return { iBias: Math.min(CAPMEM_MAX_LSB, Math.round(8 * plain)), highResistance: true };
}

/** §8.2/§8.3: one full-weight event adds 100 nA to the synaptic integrator (small capacitance, nominal pulse). */
export const EVENT_CURRENT_NA = 100;
/** §8.3: `i_bias_gm` and `syn_i_bias_dac` are normalised to gain 1.0 at these settings. */
export const GM_UNITY_LSB = 500;
export const DAC_UNITY_LSB = 600;

/**
 * The nominal PSP (CADC LSB) at `t_us` after `events` full-weight events: C dV/dt = −C V/τm + I₀ e^(−t/τs) with
 * I₀ = events · 100 nA · (gm / 500) · (dac / 600) gives V = I₀/C · τs·τm/(τm − τs) · (e^(−t/τm) − e^(−t/τs)).
 */
export function nominalPsp_lsb(t_us: number, events: number, gm_lsb: number, dac_lsb: number, capacitance: number, tauMem_us: number, tauSyn_us: number): number {
  const current_nA = events * EVENT_CURRENT_NA * (gm_lsb / GM_UNITY_LSB) * (dac_lsb / DAC_UNITY_LSB);
  const kernel_us =
    Math.abs(tauMem_us - tauSyn_us) < 1e-6 * tauMem_us
      ? t_us * Math.exp(-t_us / tauMem_us)
      : ((tauSyn_us * tauMem_us) / (tauMem_us - tauSyn_us)) * (Math.exp(-t_us / tauMem_us) - Math.exp(-t_us / tauSyn_us));
  // nA · µs / pF = mV.
  return (current_nA / membraneCapacitance_pF(capacitance)) * kernel_us / (CADC_LSB_V * 1000);
}
