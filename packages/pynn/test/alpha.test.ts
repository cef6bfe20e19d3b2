// IF_curr_alpha and IF_cond_alpha (README, Choices: alpha synapses): the chip's synaptic inputs are
// exponential, so an alpha PSC of peak I at tau_syn is realised as the exponential PSC of the same peak and the
// same charge (time constant tau_syn · e). On the ideal chip: an alpha neuron's trace equals that of the
// exponential neuron with tau_syn · e; its PSP is that realisation's exact PSP and carries the alpha PSC's
// charge (∫ΔV dt = τ_m/C · I · e · τ_syn); its height and peak time against the exact alpha PSP are the
// Choice's figures.
import { modelRangeOf } from '@bss2/calibration';
import { afterEach, describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';
import { IDEAL, rejected, signalOf, thrown } from './support/network.js';

const TAU_M = 10;
const CM = 1;
const WEIGHT = 20;
const INPUT_MS = 10;
const RUN_MS = 100;

/** One neuron of `cell` receiving one event of WEIGHT at INPUT_MS; its membrane trace. */
async function psp(cell: pynn.CellType): Promise<pynn.AnalogSignal> {
  pynn.setup(IDEAL);
  const neuron = new pynn.Population(1, cell, { label: 'neuron' });
  const input = new pynn.Population(1, new pynn.SpikeSourceArray({ spike_times: [INPUT_MS] }), { label: 'input' });
  new pynn.Projection(input, neuron, new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: WEIGHT }));
  neuron.record('v');
  await pynn.run(RUN_MS);
  const signal = signalOf(neuron, 'v');
  await pynn.end();
  return signal;
}

/** The exact PSP of an alpha current `I (t/τs) e^(1 − t/τs)` into a LIF membrane (τ_m, C), sampled at `t`. */
function alphaPsp(peak_nA: number, tauSyn: number, t: number): number {
  // Closed form of τ_m dV/dt = −V + (τ_m/C) I(t), V(0) = 0, with a = 1/τs − 1/τm.
  if (t <= 0) return 0;
  const a = 1 / tauSyn - 1 / TAU_M;
  const k = ((peak_nA * Math.E) / (tauSyn * CM)) * Math.exp(-t / TAU_M);
  return (k * (1 - Math.exp(-a * t) * (1 + a * t))) / (a * a);
}

/** The exact PSP of an exponential current `I e^(−t/τe)` into the same membrane. */
function exponentialPsp(peak_nA: number, tauExp: number, t: number): number {
  if (t <= 0) return 0;
  return ((peak_nA * TAU_M) / CM) * (tauExp / (tauExp - TAU_M)) * (Math.exp(-t / tauExp) - Math.exp(-t / TAU_M));
}

afterEach(() => pynn.end());

describe('alpha-shaped synapses', () => {
  const cell = { tau_m: TAU_M, cm: CM, v_thresh: -40, tau_syn_E: 2 };

  it('IF_curr_alpha is the exponential neuron with tau_syn · e: the same trace, sample by sample', async () => {
    const alpha = await psp(new pynn.IF_curr_alpha(cell));
    const exponential = await psp(new pynn.IF_curr_exp({ ...cell, tau_syn_E: cell.tau_syn_E * Math.E }));
    expect(Array.from(alpha.times)).toEqual(Array.from(exponential.times));
    alpha.values.forEach((v, i) => expect(v).toBeCloseTo(exponential.values[i]!, 3));
  });

  it('the PSP is the exponential realisation’s and carries the alpha PSC’s charge; its height and time against the exact alpha PSP are the Choice’s', async () => {
    const trace = await psp(new pynn.IF_curr_alpha(cell));
    const rest = trace.values[0]!;
    const peak_nA = (WEIGHT / 63) * pynn.FULL_WEIGHT_CURRENT_NA;
    let area = 0;
    for (let i = 1; i < trace.times.length; i++) area += (trace.values[i]! - rest) * (trace.times[i]! - trace.times[i - 1]!);
    // ∫ΔV dt = (τ_m / C) · Q, Q = I · e · τ_syn: the alpha PSC's charge (nA · ms / nF · ms = mV · ms).
    const charge = peak_nA * Math.E * cell.tau_syn_E;
    expect(Math.abs(area - (TAU_M / CM) * charge) / ((TAU_M / CM) * charge)).toBeLessThan(0.03);
    // The trace is the exponential PSC's PSP (peak I, τ = e · tau_syn), sample by sample.
    const realised = (t: number) => exponentialPsp(peak_nA, Math.E * cell.tau_syn_E, t);
    const height = Math.max(...trace.values) - rest;
    trace.times.forEach((t, i) => expect(Math.abs(trace.values[i]! - rest - realised(t - INPUT_MS))).toBeLessThan(0.05 * height));
    // Against the exact alpha PSP: the Choice's figures for τ_m 10, τ_syn 2 (README): 0.81 of its height, +9 % in time.
    const peakOf = (f: (t: number) => number) => {
      let best = { t: 0, v: -Infinity };
      for (let t = 0; t < 50; t += 0.001) if (f(t) > best.v) best = { t, v: f(t) };
      return best;
    };
    const alpha = peakOf((t) => alphaPsp(peak_nA, cell.tau_syn_E, t));
    const exponential = peakOf(realised);
    expect(exponential.v / alpha.v).toBeCloseTo(0.81, 2);
    expect(exponential.t / alpha.t - 1).toBeCloseTo(0.09, 2);
  });

  it('IF_cond_alpha: conductance-based, alpha-shaped; PyNN’s defaults but e_rev_E and tau_refrac (README)', async () => {
    const type = new pynn.IF_cond_alpha();
    expect(type.synapses).toEqual({ shape: 'alpha', conductanceBased: true });
    expect(type.defaults).toMatchObject({ tau_syn_E: 0.3, tau_syn_I: 0.5, e_rev_E: -10, e_rev_I: -70, tau_refrac: 2 });
    expect(new pynn.IF_curr_alpha().defaults).toMatchObject({ tau_syn_E: 0.5, tau_syn_I: 0.5 });
    const trace = await psp(new pynn.IF_cond_alpha({ ...cell, tau_syn_E: 2 }));
    const rest = trace.values[0]!;
    expect(Math.max(...trace.values) - rest).toBeGreaterThan(0.5);
  });

  it('a tau_syn whose realisation (× e) is beyond the chip is a ParameterError with the range in model units of the alpha neuron', async () => {
    pynn.setup(IDEAL);
    // The chip's synaptic time constants reach 30 µs (hardware.md §8.3): tau_syn ≤ 30 / e ≈ 11 ms for alpha synapses.
    new pynn.Population(1, new pynn.IF_curr_alpha({ tau_syn_E: 12 }), { label: 'slow' });
    const error = await rejected(pynn.ParameterError, () => pynn.run(1));
    expect(error).toMatchObject({ population: 'slow', parameter: 'tau_syn_E', value: 12 });
    const max = Number(/\.\.(\d+(?:\.\d+)?) ms/.exec(error.message)?.[1]);
    expect(max).toBeCloseTo(modelRangeOf('tauSynExc_us').max / Math.E, 2);
    thrown(pynn.ParameterError, () => new pynn.IF_curr_alpha({ tau_syn_X: 1 }));
  });
});
