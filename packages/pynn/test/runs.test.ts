// Runs: cumulative runs within a segment, reset() and its new segment, parameter and weight changes between
// runs, runUntil and the errors of run().
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';
import { IDEAL, bypassNeuron, rejected, signalOf, spikeTimes } from './support/network.js';

/** Spike trains of `group` in segment `k`. */
const trains = (group: pynn.BasePopulation, k: number) => spikeTimes(group, k);

describe('cumulative runs and reset()', () => {
  const DURATION_MS = 50;
  /** Input of the bypass neurons: on both sides of the cuts at 10 and 25 ms, and in the last cycle of the segment. */
  const bypassInput = [3, 9.992, 10, 10.008, 17.504, 24.992, 25, 25.008, 33.336, 49.992];
  let bypass: pynn.Population;
  let resting: pynn.Population;
  let bursting: pynn.Population;
  let driven: pynn.Population;
  const times: number[] = [];

  beforeAll(async () => {
    pynn.setup(IDEAL);
    const input = new pynn.Population(1, new pynn.SpikeSourceArray({ spike_times: bypassInput }), { label: 'bypass input' });
    bypass = new pynn.Population(2, bypassNeuron(), { label: 'bypass' });
    new pynn.Projection(input, bypass, new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: 30 }));
    // Two bursts with a quiet gap around 25 ms: the neuron is back at rest at that cut.
    const bursts = new pynn.Population(1, new pynn.SpikeSourceArray({ spike_times: [2, 3, 4, 5, 6, 7, 8, 9, 10.5, 11, 11.5, 35, 36, 37, 38, 39, 40] }), { label: 'bursts' });
    const cell = { tau_m: 5, v_thresh: -55, v_reset: -70, tau_refrac: 2 };
    resting = new pynn.Population(1, new pynn.IF_curr_exp(cell), { label: 'resting' });
    bursting = new pynn.Population(1, new pynn.IF_curr_exp(cell), { label: 'bursting' });
    new pynn.Projection(bursts, resting, new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: 40 }));
    new pynn.Projection(bursts, bursting, new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: 40 }));
    // Driven by an offset current alone: v_∞ = −25 mV, first spike after τ_m ln(40 / 25) = 9.4 ms.
    driven = new pynn.Population(1, new pynn.IF_curr_exp({ i_offset: 2, tau_refrac: 2 }), { label: 'driven' });
    for (const p of [bypass, resting, bursting, driven]) p.record('spikes');
    resting.record('v');

    // Segment 0: one run; segment 1: cut at 25 ms (and a run of 0 ms there); segment 2: cut at 10 ms.
    times.push(await pynn.run(DURATION_MS));
    pynn.reset();
    times.push(pynn.getCurrentTime(), await pynn.run(25), await pynn.run(0), await pynn.runFor(25));
    pynn.reset();
    times.push(await pynn.run(10), await pynn.runUntil(DURATION_MS));
  });
  afterAll(() => pynn.end());

  it('run() returns the current time; runs add up; reset() rewinds to 0', () => {
    expect(times).toEqual([50, 0, 25, 25, 50, 10, 50]);
    expect(pynn.getCurrentTime()).toBe(50);
    expect(pynn.getTimeStep()).toBe(0.008);
  });

  it('one segment per reset(), each from 0 to 50 ms', () => {
    const block = bypass.getData();
    expect(block.segments.map((s) => [s.index, s.t_start, s.t_stop])).toEqual([[0, 0, 50], [1, 0, 50], [2, 0, 50]]);
    for (const s of block.segments) for (const st of s.spiketrains) expect([st.t_start, st.t_stop]).toEqual([0, 50]);
  });

  it('bypass neurons: the cut runs give exactly the spikes of one run, inputs at the cuts included', () => {
    for (const k of [0, 1, 2]) {
      expect(trains(bypass, k).map((train) => train.length)).toEqual([bypassInput.length, bypassInput.length]);
      for (const train of trains(bypass, k)) train.forEach((t, i) => expect(t).toBeCloseTo(bypassInput[i]!, 9));
    }
  });

  it('a neuron at rest at the cut: run(25) + run(0) + run(25) gives the spikes of run(50), within 3 cycles', () => {
    const whole = trains(resting, 0)[0]!;
    const cut = trains(resting, 1)[0]!;
    expect(whole.filter((t) => t < 25).length).toBeGreaterThan(0);
    expect(whole.filter((t) => t > 25).length).toBeGreaterThan(0);
    expect(cut).toHaveLength(whole.length);
    // Threshold crossings are found on the chip's 100 ns analog step grid; the few cycles between the two
    // programs shift that grid against the inputs, which moves a crossing by a few ns (measured: 2 cycles).
    cut.forEach((t, i) => expect(Math.abs(t - whole[i]!)).toBeLessThanOrEqual(3 * 0.008 + 1e-9));
  });

  it('reset() and the same input give the same output: every segment agrees before its first cut', () => {
    for (const k of [1, 2]) {
      expect(trains(bursting, k)[0]!.filter((t) => t < 10)).toEqual(trains(bursting, 0)[0]!.filter((t) => t < 10));
      expect(trains(resting, k)[0]!.filter((t) => t < 10)).toEqual(trains(resting, 0)[0]!.filter((t) => t < 10));
    }
  });

  it('reset() and an offset current give the same output: the first spike of every segment within an analog step', () => {
    const first = [0, 1, 2].map((k) => trains(driven, k)[0]![0]!);
    expect(first[0]).toBeCloseTo(9.4, 0);
    // The offset current switches on with a register write, which the chip's analog engine applies at its next
    // 100 ns step: the onset moves by up to a step with the grid's phase, 2 mV/ms × 0.1 ms of membrane at the
    // start, ≈ 0.2 mV at the threshold crossing, where the membrane rises by ≈ 1.25 mV/ms: ≤ 0.2 ms. (At a 10 ns
    // step the same experiment agrees within 2 cycles.)
    for (const t of first) expect(Math.abs(t - first[0]!)).toBeLessThanOrEqual(0.2);
  });

  it('a neuron whose state spans the cut: the same spikes as one run, within 3 cycles', () => {
    // A run that continues the previous one keeps its clock: the chip's time and the segment's run on together
    // across the cut (the next program's start-up cycles are part of the segment, its inputs were sent ahead), so
    // a neuron refractory or charging at the cut fires as in one run. What remains is the analog step grid's
    // phase against the inputs (see above).
    const whole = trains(bursting, 0)[0]!;
    const cut = trains(bursting, 2)[0]!;
    expect(whole.some((t) => t > 10 && t < 15)).toBe(true);
    expect(cut).toHaveLength(whole.length);
    cut.forEach((t, i) => expect(Math.abs(t - whole[i]!)).toBeLessThanOrEqual(3 * 0.008 + 1e-9));
  });

  it('the membrane trace of cut runs is one trace: every run contributes its samples, in time order', () => {
    const whole = resting.getData('v').segments[0]!.analogsignals[0]!;
    const cut = resting.getData('v').segments[1]!.analogsignals[0]!;
    const period = pynn.MADC_BASE_PERIOD_NS / 1000;
    for (const s of [whole, cut]) {
      expect(s.times.length).toBeGreaterThan(0.99 * (DURATION_MS / period));
      expect(s.times.every((t, i) => t >= 0 && t < DURATION_MS && (i === 0 || t > s.times[i - 1]!))).toBe(true);
      expect(Math.max(...s.times.slice(1).map((t, i) => t - s.times[i]!))).toBeLessThan(2 * period);
    }
    // Both traces sample the same membrane: at rest around the cut they agree within an MADC step.
    expect(Math.abs(meanBetween(cut, 20, 30) - meanBetween(whole, 20, 30))).toBeLessThan(0.1);
  });
});

function meanBetween(signal: pynn.AnalogSignal, from: number, to: number): number {
  const values = Array.from(signal.values).filter((_, i) => signal.times[i]! >= from && signal.times[i]! < to);
  return values.reduce((a, b) => a + b, 0) / values.length;
}

describe('changes between runs', () => {
  let lif: pynn.Population;
  let hx: pynn.Population;
  let input: pynn.Population;
  let drive: pynn.Projection;
  let psp: pynn.Population;
  let pspDrive: pynn.Projection;
  const spikesOfRun: number[][][] = [];

  /** Runs 20 ms and keeps the spikes of that run (the segment's trains keep growing). */
  async function run(): Promise<void> {
    const from = pynn.getCurrentTime();
    await pynn.run(20);
    spikesOfRun.push([lif, hx].map((p) => spikeTimes(p).flat().filter((t) => t >= from).map((t) => t - from)));
  }

  beforeAll(async () => {
    pynn.setup(IDEAL);
    // i_offset 2 nA into 1 nF with τ_m 20 ms: v_∞ = −25 mV, above −50 mV (first spike after 9.4 ms), below −20 mV.
    lif = new pynn.Population(1, new pynn.IF_curr_exp({ tau_refrac: 2 }), { label: 'lif' });
    hx = new pynn.Population(1, bypassNeuron(), { label: 'hx' });
    input = new pynn.Population(1, new pynn.SpikeSourceArray({ spike_times: [5, 25, 45, 65, 85, 105] }), { label: 'input' });
    drive = new pynn.Projection(input, hx, new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: 10 }), 'excitatory', { label: 'drive' });
    psp = new pynn.Population(1, new pynn.IF_curr_exp({ v_thresh: -40 }), { label: 'psp' });
    pspDrive = new pynn.Projection(input, psp, new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: 20 }), 'excitatory', { label: 'psp drive' });
    lif.record('spikes');
    hx.record('spikes');
    psp.record('v');
    await run(); // 0: as built
    lif.set({ i_offset: 2 });
    hx.set({ event_routing_enable_bypass_excitatory: false });
    pspDrive.set({ weight: 40 });
    await run(); // 1: offset current on, bypass off, PSP weight doubled
    lif.set({ v_thresh: -20 });
    hx.set({ event_routing_enable_bypass_excitatory: true });
    drive.set({ weight: 0 });
    await run(); // 2: threshold out of reach, bypass on but weight 0
    drive.set({ weight: 63 });
    input.set({ spike_times: [5, 25, 45, 66, 67.5, 85, 105] });
    await run(); // 3: weight back, new input times
  });
  afterAll(() => pynn.end());

  it('pop.set on a model neuron takes effect in the next run (i_offset, v_thresh)', () => {
    expect(spikesOfRun.map((r) => r[0]!.length)).toEqual([0, 1, 0, 0]);
    expect(spikesOfRun[1]![0]![0]).toBeCloseTo(9.4, 0);
    expect(lif.get('i_offset')).toBe(2);
    expect(lif.get('v_thresh')).toBe(-20);
  });

  it('pop.set on an HXNeuron takes effect in the next run (bypass off, on)', () => {
    expect(spikesOfRun[0]![1]).toEqual([5]);
    expect(spikesOfRun[1]![1]).toEqual([]);
  });

  it('proj.set({ weight }) between runs: weight 0 silences the bypass neuron, 63 brings it back', () => {
    expect(spikesOfRun[2]![1]).toEqual([]);
    // The new input times: 66 and 67.5 ms (on the cycle grid 67.504 ms) instead of 65 ms.
    expect(spikesOfRun[3]![1]!.map((t) => t.toFixed(3))).toEqual(['6.000', '7.504']);
  });

  it('a weight update within the synapses is written without routing again: the same rows and columns', () => {
    const placed = drive.placedConnections()[0]!;
    expect(placed.weight).toBe(63);
    expect(placed.synapses.map((s) => s.weight)).toEqual([63]);
  });

  it('a doubled weight doubles the PSP in the next run', () => {
    const v = signalOf(psp, 'v');
    const peak = (from: number) => Math.max(...Array.from(v.values).filter((_, i) => v.times[i]! >= from && v.times[i]! < from + 15));
    const rest = meanBetween(v, 0, 4);
    expect((peak(25) - rest) / (peak(5) - rest)).toBeCloseTo(2, 1);
  });

  it('a weight beyond the routed synapses routes again and takes effect', async () => {
    pspDrive.set({ weight: 100 });
    await pynn.run(20);
    expect(pspDrive.placedConnections()[0]!.synapses.map((s) => s.weight)).toEqual([63, 37]);
    const v = signalOf(psp, 'v');
    const rest = meanBetween(v, 0, 4);
    const peak = Math.max(...Array.from(v.values).filter((_, i) => v.times[i]! >= 85 && v.times[i]! < 100));
    const peak20 = Math.max(...Array.from(v.values).filter((_, i) => v.times[i]! >= 5 && v.times[i]! < 20));
    expect((peak - rest) / (peak20 - rest)).toBeCloseTo(5, 1);
  });
});

describe('run errors', () => {
  afterAll(() => pynn.end());

  it('run before setup() and after end() is a NotSetUpError', async () => {
    await pynn.end();
    await expect(pynn.run(10)).rejects.toThrow(pynn.NotSetUpError);
    expect(() => pynn.getCurrentTime()).toThrow(pynn.NotSetUpError);
    expect(() => pynn.reset()).toThrow(pynn.NotSetUpError);
    expect(() => new pynn.Population(1, new pynn.IF_curr_exp())).toThrow(pynn.NotSetUpError);
    pynn.setup(IDEAL);
    const p = new pynn.Population(1, new pynn.IF_curr_exp(), { label: 'gone' });
    await pynn.end();
    await expect(pynn.run(10)).rejects.toThrow(/run\(\) needs a simulator: call pynn.setup\(\) first/);
    expect(() => p.getData()).toThrow(pynn.NotSetUpError);
    await expect(pynn.prepare()).rejects.toThrow(pynn.NotSetUpError);
  });

  it('negative, non-finite and too long durations, and a runUntil into the past, are RunErrors', async () => {
    pynn.setup(IDEAL);
    await expect(pynn.run(5)).rejects.toThrow(/no populations/);
    new pynn.Population(1, new pynn.IF_curr_exp());
    for (const bad of [-1, Number.NaN, Infinity, '5' as unknown as number]) {
      const error = await rejected(pynn.RunError, () => pynn.run(bad));
      expect(error.value).toBe(bad);
    }
    // One program's 32-bit timer: 2^32 cycles of 8 ns ≈ 34.4 s of chip time, 34 360 s biological, less the settling time.
    await expect(pynn.run(34_400_000)).rejects.toThrow(/exceeds one program's 32-bit timer: at most 34339\d{3} ms per run/);
    await pynn.run(5);
    expect(pynn.getCurrentTime()).toBe(5);
    await expect(pynn.runUntil(4)).rejects.toThrow(pynn.RunError);
    expect(pynn.getCurrentTime()).toBe(5);
    expect(await pynn.runUntil(5)).toBe(5);
  });
});
