// The STDP window through PyNN on a varied chip (issue 13 acceptance; hardware.md §7, §8.2): pre/post pairs at
// Δt ∈ {−40, −30, …, +40} ms and ±2, ±5 ms, 60 pairings each, one neuron and plastic synapse per Δt. The post
// neuron fires exactly when its teacher's event arrives (inhibitory bypass; the plastic synapse is excitatory
// and the threshold off, so it never fires the neuron). The STDP kernel reads each sensor against its own rest
// code (read after the reset), so the sensors' fixed-pattern offsets stay out of Δw: the same protocol without
// post spikes (a second segment, weights set back) leaves every weight where it was, and Δw = w(pairs) − w0.
// (With one fixed baseline of 230 for all sensors the control moved weights by −12..+8 LSB.)
import { describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';

const DTS = [-40, -30, -20, -10, -5, -2, 0, 2, 5, 10, 20, 30, 40];
const PAIRS = 60;
/** Between pairings: 20 τ_c, so pairs do not interact. */
const GAP_MS = 100;
const FIRST_MS = 60;
const W0 = 32;
const ETA = 32;
/** chip-sim's correlation sensor (docs/events.md, hardware.md §8.2): τ_c = 5 µs of chip time = 5 ms biological, A = 2 LSB per pair. */
const TAU_C_MS = 5;
const AMPLITUDE_LSB = 2;

/** Least-squares slope of ln|Δw| over Δt → τ = −1 / slope (|Δt| as given). */
function fitTau(points: readonly [number, number][]): number {
  const xs = points.map(([x]) => x);
  const ys = points.map(([, y]) => Math.log(y));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const slope = xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  return -1 / slope;
}

describe('STDP window through PyNN (chip seed 1)', () => {
  it('Δw has the sign of Δt and exponential sides with the sensors’ τ', async () => {
    pynn.setup({ chipSeed: 1 });
    const n = DTS.length;
    const preTimes = DTS.map(() => Array.from({ length: PAIRS }, (_, k) => FIRST_MS + k * GAP_MS));
    const postTimes = DTS.map((dt, i) => preTimes[i]!.map((t) => t + dt));
    const end = FIRST_MS + PAIRS * GAP_MS;
    const pre = new pynn.Population(n, new pynn.SpikeSourceArray({ spike_times: preTimes }), { label: 'pre' });
    const teacher = new pynn.Population(n, new pynn.SpikeSourceArray({ spike_times: postTimes }), { label: 'teacher' });
    const post = new pynn.Population(n, new pynn.HXNeuron({ threshold_enable: false, event_routing_enable_bypass_inhibitory: true, inhibitory_input_enable: true, bayesian_to_post_pulse: true }), { label: 'post' });
    post.record('spikes');
    // First invocation: resets the sensors at the start; second: the update after all pairings.
    const stdp = new pynn.STDP({ timer: new pynn.Timer({ start: 10, period: end - 10, numPeriods: 2 }), etaPlus: ETA, etaMinus: ETA });
    const plastic = new pynn.Projection(pre, post, new pynn.OneToOneConnector(), new pynn.PlasticSynapse({ weight: W0, plasticityRule: stdp }), 'excitatory', { label: 'plastic' });
    new pynn.Projection(teacher, post, new pynn.OneToOneConnector(), new pynn.StaticSynapse({ weight: -63 }), 'inhibitory', { label: 'teacher' });
    await pynn.run(end + 5);
    const paired = plastic.get('weight', { withAddress: false });
    const spikes = post.getData().segments[0]!.spiketrains;
    expect(spikes.map((s) => s.times.length)).toEqual(DTS.map(() => PAIRS));
    // The post spikes are where the teacher put them: Δt is exact.
    spikes.forEach((s, i) => expect([...s.times].map((t) => Math.round(t))).toEqual(postTimes[i]));

    pynn.reset();
    plastic.set({ weight: W0 });
    teacher.set({ spike_times: DTS.map(() => []) });
    await pynn.run(end + 5);
    const control = plastic.get('weight', { withAddress: false });
    await pynn.end();

    // Unpaired sensors change nothing: no offset leaks into the weights.
    expect(control).toEqual(DTS.map(() => W0));
    const dw = DTS.map((_, i) => paired[i]! - W0);
    for (let i = 0; i < n; i++) {
      const dt = DTS[i]!;
      if (Math.abs(dt) < 2) continue;
      // Never the wrong sign; nonzero wherever the 60 pairings accumulate ≥ 1 weight LSB (|Δt| ≤ 10 ms; beyond,
      // 60 · 2 LSB · e^(−|Δt|/5 ms) · η is below the sensors' and weights' resolution: 0.55 LSB at 20 ms).
      expect(Math.sign(dt) * dw[i]!, `Δt ${dt} ms: Δw ${dw[i]}`).toBeGreaterThanOrEqual(0);
      const expected = (PAIRS * AMPLITUDE_LSB * Math.exp(-Math.abs(dt) / TAU_C_MS) * ETA) / 128;
      if (expected >= 1.5) expect(Math.sign(dw[i]!), `Δt ${dt} ms: Δw ${dw[i]}`).toBe(Math.sign(dt));
    }
    const side = (sign: number) =>
      DTS.map((dt, i) => [Math.abs(dt), Math.abs(dw[i]!)] as [number, number]).filter(([adt], i) => Math.sign(DTS[i]!) === sign && adt >= 2 && Math.abs(dw[i]!) >= 2);
    for (const sign of [1, -1]) {
      const points = side(sign);
      expect(points.length, `points for the fit on side ${sign}`).toBeGreaterThanOrEqual(3);
      const tau = fitTau(points);
      expect(Math.abs(tau - TAU_C_MS) / TAU_C_MS, `τ ${tau.toFixed(2)} ms on side ${sign} (points ${JSON.stringify(points)})`).toBeLessThanOrEqual(0.25);
    }
  }, 120_000);
});
