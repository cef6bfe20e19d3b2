import { AtomicNeuron, nominal } from '@bss2/lola';
import {  } from '../../src/analog/index.js';

/** An AdEx parameter set in biological units (Naud et al. 2008, Table 1): pF, nS, mV, ms, pA. */
export interface AdExBio {
  C: number;
  gL: number;
  EL: number;
  VT: number;
  a: number;
  tauW: number;
  b: number;
  Vr: number;
  I: number;
}

/** The patterns of Naud et al. (2008) Table 1 (Δ_T = 2 mV, cut at V_peak = 0 mV). */
export const naudPatterns = {
  tonic: { C: 200, gL: 10, EL: -70, VT: -50, a: 2, tauW: 30, b: 0, Vr: -58, I: 500 },
  adapting: { C: 200, gL: 12, EL: -70, VT: -50, a: 2, tauW: 300, b: 60, Vr: -58, I: 500 },
  initialBurst: { C: 130, gL: 18, EL: -58, VT: -50, a: 4, tauW: 150, b: 120, Vr: -50, I: 400 },
  regularBursting: { C: 200, gL: 10, EL: -58, VT: -50, a: 2, tauW: 120, b: 100, Vr: -46, I: 210 },
  delayed: { C: 200, gL: 12, EL: -70, VT: -50, a: -10, tauW: 300, b: 0, Vr: -58, I: 300 },
  transient: { C: 100, gL: 10, EL: -65, VT: -50, a: 10, tauW: 90, b: 100, Vr: -47, I: 180 },
  irregular: { C: 100, gL: 12, EL: -60, VT: -50, a: -11, tauW: 130, b: 30, Vr: -48, I: 160 },
} satisfies Record<string, AdExBio>;
export type PatternName = keyof typeof naudPatterns;

/*
 * Bio → hardware mapping for AdEx (hardware Δ_T is fixed at 15 mV, so voltages scale by 7.5):
 * - voltage: V_hw = 300 mV + 7.5 · (V_bio + 70 mV), rounded to the nearest CapMem LSB (1.17 mV hw = 0.16 mV bio);
 * - time: 1 ms bio = 1 µs hw; conductance: g_hw = 5 · g_bio, capacitance C_hw = 5 · C_bio / 1000 (τ ÷ 1000):
 *   C 200 / 130 / 100 pF → 1.0 / 0.633 / 0.5 pF (codes 27 / 16 / 12), so that the strongest reset (8176 nS) pulls
 *   the membrane to V_r with τ ≤ 122 ns;
 * - current: I_hw = 7.5 · 5 · I_bio; I_0 = g_L,hw · Δ_T,hw (so I_exp = g_L Δ_T exp((V − V_T)/Δ_T)), V_exp = V_T;
 * - a → i_bias_a (0.1 nS/LSB, invert_a for a < 0), b → i_bias_b (0.05 nA/LSB), τ_w → i_bias_tau (10 ms / value);
 * - spike cut V_peak = 0 mV bio → threshold; reset to V_r through g_reset = 8176 nS for 1 µs (refractory_time 126
 *   at clock scale 0 = 1.008 µs, hold-off 15: reset 125 cycles), ≥ 8 reset time constants; enable_pause keeps the
 *   exponential term from fighting the reset. The model has an instantaneous reset; the 1 ms (bio) dead time is
 *   short against the intervals that define the patterns.
 * Every value lies in the reachable ranges of hardware.md §9.3 (τ_m 7–20 µs, C ≤ 2.2 pF).
 */
const VOLTAGE_SCALE = 7.5;
const voltageLsb = (v_bio: number): number => Math.round(((300 + VOLTAGE_SCALE * (v_bio + 70)) * nominal.capMemValueMax_lsb) / nominal.capMemVoltage_mV(nominal.capMemValueMax_lsb));
const lsb = (value: number, perLsb: number): number => {
  const code = Math.round(Math.abs(value) / perLsb);
  if (code > nominal.capMemValueMax_lsb) throw new RangeError(`${value} needs ${code} LSB`);
  return code;
};

export function adexNeuron(p: AdExBio): AtomicNeuron {
  const s = 5;
  const gL_nS = s * p.gL;
  const capacitance = Math.round(((s * p.C) / 1000 - 0.1) * (63 / 2.1));
  return new AtomicNeuron({
    membraneCapacitance: { capacitance },
    leak: { vLeak: voltageLsb(p.EL), iBias: lsb(gL_nS, 1) },
    reset: { vReset: voltageLsb(p.Vr), iBias: 1022, enableMultiplication: true },
    threshold: { enable: true, vThreshold: voltageLsb(0) },
    exponential: { enable: true, vExp: voltageLsb(p.VT), iBias: lsb((gL_nS * 15) / 1000, 0.1) },
    adaptation: {
      enable: true,
      enablePulse: true,
      invertA: p.a < 0,
      iBiasA: lsb(s * p.a, 0.1),
      iBiasB: lsb((VOLTAGE_SCALE * s * p.b) / 1000, 0.05),
      iBiasTau: lsb(10_000 / p.tauW, 1),
      vLeak: voltageLsb(p.EL),
      vRef: voltageLsb(p.EL),
    },
    constantCurrent: { enable: true, iOffset: lsb((VOLTAGE_SCALE * s * p.I) / 1000, 0.1) },
    refractoryPeriod: { refractoryTime: 126, resetHoldoff: 15, enablePause: true },
    eventRouting: { analogOutput: 'normal', enableDigital: true },
  });
}
