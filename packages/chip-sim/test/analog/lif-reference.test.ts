// Acceptance: on the ideal chip a single LIF circuit configured through an AtomicNeuron reproduces the exact
// spike times of test-fixtures/references/lif_reference.json (PyNN IF_curr_exp) within one analog step.
import { readFileSync } from 'node:fs';
import { nominal } from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import { Receptor } from '../../src/analog/index.js';
import { chip, neuron, spikesOf } from './analog-helpers.js';

interface Reference {
  cell: { cm: number; tau_m: number; v_rest: number; v_reset: number; v_thresh: number; tau_refrac: number; tau_syn_E: number; tau_syn_I: number };
  spike_input: { exc_spike_times_ms: number[]; inh_spike_times_ms: number[]; w_exc_nA: number; w_inh_nA: number; delay_ms: number };
  constant_current: { i_offset_nA: number[] };
  t_stop_ms: number;
  exact: { spike_input: { spike_times_ms: number[] }; constant_current: { spike_times_ms: number[][] } };
}
const reference = JSON.parse(readFileSync(new URL('../../../../test-fixtures/references/lif_reference.json', import.meta.url), 'utf8')) as Reference;

/*
 * The bio → hardware mapping, exact in CapMem integers (time ×1/1000: 1 ms bio = 1 µs hw = 1000 ns):
 * - voltage: 5 mV bio = 73 LSB = 1.2 V · 73/1022 = 85.714… mV hw (1022 = 14 · 73, so 73 LSB = 1.2 V / 14);
 *   v_reset −70 → 300 LSB, v_rest −65 → 373, v_thresh −55 → 519; k = 120/7 mV hw per mV bio.
 * - membrane: capacitance 18 → 0.1 + 2.1·18/63 = 0.7 pF, leak i_bias 70 → 70 nS, τ_m = 0.7 pF / 70 nS = 10 µs.
 * - current: ΔV_bio = I_bio·τ_m/cm = 50 mV/nA, ΔV_hw = I_hw / 70 nS, so I_hw = 70 nS · k · 50 mV/nA · I_bio =
 *   60 · I_bio: 0.25 / 0.5 / 1.0 nA → 15 / 30 / 60 nA = i_offset 150 / 300 / 600 (0.1 nA per LSB, below 800).
 * - synapses: τ_syn = 300 µs / 60 = 5 µs; an event of amount 1 (weight 63/63, no gains) with syn_i_bias_dac 600
 *   steps x by q = 100 nA; the PSC is g_m · x, so 0.6 nA bio = 36 nA hw needs g_m = 0.36 (i_bias_gm 180) and
 *   1.0 nA bio = 60 nA needs g_m = 0.6 (i_bias_gm 300). i_shift_reference 500 nulls the offset.
 * - reset: i_bias 1022 × 8 = 8176 nS, τ = 0.7 pF / 8176 nS = 86 ns: after 2 µs (23 τ) V is V_reset to 1e-10.
 * - refractory: clock scale 0 → 125 MHz, 8 ns per cycle; reset_holdoff 15 → the reset ends 0x1F − 30 = 1 cycle
 *   before the refractory period. PyNN clamps V for the whole tau_refrac = 2 ms, so the *reset* must last 2 µs:
 *   refractory_time 251 → τ_ref = 2.008 µs, reset 250 cycles = 2.000 µs. (refractory_time 250 would free the
 *   membrane 8 ns early in every interval, a drift of 8 ns per spike; see the last test.)
 */
const K_MV_HW_PER_MV_BIO = 120 / 7;
const voltageLsb = (v_bio: number): number => 300 + (73 * (v_bio + 70)) / 5;

function lifNeuron(iOffset_lsb: number, refractoryTime = 251) {
  return neuron({
    leak: { vLeak: voltageLsb(reference.cell.v_rest), iBias: 70 },
    reset: { vReset: voltageLsb(reference.cell.v_reset), iBias: 1022, enableMultiplication: true },
    threshold: { enable: true, vThreshold: voltageLsb(reference.cell.v_thresh) },
    membraneCapacitance: { capacitance: 18 },
    excitatoryInput: { enable: true, iBiasTau: 60, iBiasGm: 180, iShiftReference: 500 },
    inhibitoryInput: { enable: true, iBiasTau: 60, iBiasGm: 300, iShiftReference: 500 },
    constantCurrent: { enable: iOffset_lsb > 0, iOffset: iOffset_lsb },
    refractoryPeriod: { refractoryTime, resetHoldoff: 15, enablePause: true },
    eventRouting: { analogOutput: 'normal', enableDigital: true },
  });
}

const BIO_MS_TO_NS = 1000; // 1 ms bio = 1 µs hw = 1000 ns
/** The four cases side by side on one chip, in different quadrants: spike input, then 0.25 / 0.5 / 1.0 nA. */
const SPIKE_INPUT_CIRCUIT = 130;
/** The reference gives times to 1e-6 ms (1 ps hw); the integration is exact, so errors stay at that level. */
const REFERENCE_ROUNDING_NS = 0.01;
const CURRENT_CIRCUITS = [5, 300, 511];
const CURRENT_LSB = [150, 300, 600];

/** Spike times (bio ms) per case: [spike input, 0.25 nA, 0.5 nA, 1.0 nA]. */
function simulate(step_ns: number, refractoryTime = 251): number[][] {
  const neurons = new Map([[SPIKE_INPUT_CIRCUIT, lifNeuron(0, refractoryTime)]]);
  CURRENT_CIRCUITS.forEach((c, i) => neurons.set(c, lifNeuron(CURRENT_LSB[i]!, refractoryTime)));
  // One exact linear voltage scale for the three potentials: the datasheet's transfer (chip-sim option).
  const array = chip(neurons, { step_ns }, undefined, 'datasheet');
  const { exc_spike_times_ms, inh_spike_times_ms, delay_ms } = reference.spike_input;
  for (const t of exc_spike_times_ms) array.injectSynapticInput(SPIKE_INPUT_CIRCUIT, Receptor.excitatory, 1, (t + delay_ms) * BIO_MS_TO_NS);
  for (const t of inh_spike_times_ms) array.injectSynapticInput(SPIKE_INPUT_CIRCUIT, Receptor.inhibitory, 1, (t + delay_ms) * BIO_MS_TO_NS);
  array.advanceTo(reference.t_stop_ms * BIO_MS_TO_NS);
  return [SPIKE_INPUT_CIRCUIT, ...CURRENT_CIRCUITS].map((c) => spikesOf(array, c).map((t) => t / BIO_MS_TO_NS));
}

function maxError_ns(actual_ms: number[], expected_ms: number[]): number {
  expect(actual_ms).toHaveLength(expected_ms.length);
  return Math.max(...actual_ms.map((t, i) => Math.abs(t - expected_ms[i]!) * BIO_MS_TO_NS));
}

describe('LIF on the ideal chip against the exact IF_curr_exp solution', () => {
  it('the mapping is exact', () => {
    const { cell } = reference;
    expect(nominal.membraneCapacitance_pF(18) / 70e-3).toBeCloseTo(cell.tau_m, 12); // pF / µS = µs
    expect(nominal.capMemVoltage_mV(73)).toBeCloseTo(5 * K_MV_HW_PER_MV_BIO, 12);
    expect(nominal.synapticTimeConstant_us(60, true, false)).toBe(cell.tau_syn_E);
    for (const [i, lsb] of [150, 300, 600].entries()) {
      const vInf_bio = (reference.constant_current.i_offset_nA[i]! * cell.tau_m) / cell.cm;
      expect(nominal.offsetCurrent_nA(lsb) / 70e-3).toBeCloseTo(vInf_bio * K_MV_HW_PER_MV_BIO, 9); // nA / µS = mV
    }
    expect(nominal.synapticEventCharge_nA * nominal.synapticTransconductance(180)).toBeCloseTo(reference.spike_input.w_exc_nA * 60, 12);
    expect(nominal.synapticEventCharge_nA * nominal.synapticTransconductance(300)).toBeCloseTo(reference.spike_input.w_inh_nA * 60, 12);
    for (const v of [cell.v_rest, cell.v_reset, cell.v_thresh]) expect(Number.isInteger(voltageLsb(v))).toBe(true);
  });

  for (const step_ns of [10, 100]) {
    let cached: number[][] | undefined;
    const results = (): number[][] => (cached ??= simulate(step_ns));
    it(`spike input, step ${step_ns} ns`, () => {
      const error = maxError_ns(results()[0]!, reference.exact.spike_input.spike_times_ms);
      console.log(`spike_input, step ${step_ns} ns: max |Δt| = ${error.toExponential(2)} ns hw`);
      expect(error).toBeLessThan(step_ns);
      expect(error).toBeLessThan(REFERENCE_ROUNDING_NS);
    });
    reference.constant_current.i_offset_nA.forEach((current, i) => {
      it(`constant current ${current} nA, step ${step_ns} ns`, () => {
        const error = maxError_ns(results()[i + 1]!, reference.exact.constant_current.spike_times_ms[i]!);
        console.log(`constant_current ${current} nA, step ${step_ns} ns: max |Δt| = ${error.toExponential(2)} ns hw`);
        expect(error).toBeLessThan(step_ns);
        expect(error).toBeLessThan(REFERENCE_ROUNDING_NS);
      });
    });
  }

  it('refractory_time 250 frees the membrane one backend cycle early: 8 ns drift per interval', () => {
    const actual = simulate(100, 250)[3]!;
    const expected = reference.exact.constant_current.spike_times_ms[2]!;
    const drift_ns = actual.map((t, i) => (expected[i]! - t) * BIO_MS_TO_NS);
    for (let i = 0; i < drift_ns.length; i++) expect(drift_ns[i]).toBeCloseTo(8 * i, 3);
  });
});
