// Nominal settings: what an ideal chip (hardware.md §8.3 transfer functions, no variation) needs for a target —
// the inverses of lola's `nominal` transfer. They are the uncalibrated configuration (the "before" of every
// report) and the first probe of every search.
import { type NeuronVoltageKind, nominal } from '@bss2/lola';
import { CAPMEM_MAX_LSB } from '../parameter-range.js';

/** §8.3: CADC code → voltage, `0.06 V + code · 4.5 mV` (public: pynn's voltage scale). */
export const cadcCodeToVoltage_V = nominal.cadcCodeToVoltage_V;
/** §8.3: voltage → CADC code, linear and unrounded. */
export const voltageToCadcCode = nominal.voltageToCadcCode;

/**
 * Which transfer a voltage setting goes through: the leak, reset and threshold settings each have their own
 * (lola `neuronVoltageTransfers`), every other voltage cell (reversal potentials, v_exp, adaptation) is `plain`,
 * `1.2 V · value / 1022`.
 */
export type PotentialCell = NeuronVoltageKind | 'plain';

function settingOf(voltage_V: number, cell: PotentialCell): number {
  return cell === 'plain' ? nominal.voltageToCapMem_lsb(voltage_V) : nominal.neuronVoltageSetting_lsb(cell, voltage_V);
}

/** The CapMem value of cell `cell` that nominally gives CADC code `code`, clamped to the cell range. */
export function potentialSetting(code: number, cell: PotentialCell): number {
  return Math.min(CAPMEM_MAX_LSB, Math.max(0, Math.round(settingOf(nominal.cadcCodeToVoltage_V(code), cell))));
}

/**
 * CapMem LSB per CADC LSB of `cell` near the setting of CADC code `code`, nominally (≈ 3.83 for a plain cell;
 * the leak's saturating transfer needs more at its ends). The second probe of the potential searches.
 */
export function capMemPerCadcLsb(code: number, cell: PotentialCell): number {
  if (cell === 'plain') return (nominal.cadcLsb_V / nominal.capMemFullScale_V) * CAPMEM_MAX_LSB;
  const setting = Math.min(CAPMEM_MAX_LSB, Math.max(0, settingOf(nominal.cadcCodeToVoltage_V(code), cell)));
  return nominal.cadcLsb_V / nominal.neuronVoltageSlope_V_per_lsb(cell, setting);
}

/** §8.3: C_m = 0.1 pF + 2.1 pF · c / 63. */
export const membraneCapacitance_pF = nominal.membraneCapacitance_pF;

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
  const range = nominal.otaRangeFactor;
  if (g_nS < 100) return { iBias: Math.min(CAPMEM_MAX_LSB, Math.round(range * g_nS)), division: true, multiplication: false };
  if (g_nS > 1000) return { iBias: Math.min(CAPMEM_MAX_LSB, Math.round(g_nS / range)), division: false, multiplication: true };
  return { iBias: Math.round(g_nS), division: false, multiplication: false };
}

/** Synaptic `i_bias_tau` and high-resistance switch for τ_syn: 300 µs / value, ×8 with high resistance (§8.3). */
export function synapticTauBias(tau_us: number): { iBias: number; highResistance: boolean } {
  const plain = nominal.synapticTauScale_us / tau_us;
  if (plain >= 100) return { iBias: Math.min(CAPMEM_MAX_LSB, Math.round(plain)), highResistance: false };
  return { iBias: Math.min(CAPMEM_MAX_LSB, Math.round(nominal.synapticTauHighResistanceFactor * plain)), highResistance: true };
}

/**
 * The nominal PSP (CADC LSB) at `t_us` after `events` full-weight events: C dV/dt = −C V/τm + I₀ e^(−t/τs) with
 * I₀ = events · 100 nA · (gm / 500) · (dac / 600) gives V = I₀/C · τs·τm/(τm − τs) · (e^(−t/τm) − e^(−t/τs)).
 */
export function nominalPsp_lsb(t_us: number, events: number, gm_lsb: number, dac_lsb: number, capacitance: number, tauMem_us: number, tauSyn_us: number): number {
  const current_nA = events * nominal.synapticEventCharge_nA * nominal.synapticTransconductance(gm_lsb) * nominal.synapseDacGain(dac_lsb);
  const kernel_us =
    Math.abs(tauMem_us - tauSyn_us) < 1e-6 * tauMem_us
      ? t_us * Math.exp(-t_us / tauMem_us)
      : ((tauSyn_us * tauMem_us) / (tauMem_us - tauSyn_us)) * (Math.exp(-t_us / tauMem_us) - Math.exp(-t_us / tauSyn_us));
  // nA · µs / pF = mV.
  return (current_nA / membraneCapacitance_pF(capacitance)) * kernel_us / (nominal.cadcLsb_V * 1000);
}
