// Issue 19 item 1: the reference tutorial's first observations on an uncalibrated chip (HXNeuron, raw settings,
// MADC codes, 0.2 ms of hardware time = 200 ms biological), realised by the per-parameter transfer of the leak,
// reset and threshold settings (lola `neuronVoltageTransfers`, chip-sim README). Each neuron is recorded in a
// run of its own (the MADC records two at a time), as the tutorial does; the chip is seed 1's.
import { afterEach, describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';

const RUN_MS = 200;
const N = 10;
const leakOverThreshold = {
  leak_v_leak: 1000,
  leak_i_bias: 150,
  threshold_v_threshold: 300,
  threshold_enable: true,
  reset_v_reset: 400,
  membrane_capacitance_capacitance: 63,
  refractory_period_refractory_time: 255,
  reset_i_bias: 1022,
  reset_enable_multiplication: true,
};

interface Observation {
  readonly v: number[];
  readonly spikes_ms: number[];
}

/**
 * Every neuron of a population of `N` HXNeurons with `params` over one run each, two at a time (the MADC's two
 * channels; neighbours sit on the two readout lines), the runs separated by resets: one configuration, one
 * CapMem settling. `between` may change parameters before each pair's run.
 */
async function observeAll(params: Record<string, unknown>, count = N, between?: (pop: pynn.Population, k: number) => void): Promise<Observation[]> {
  pynn.setup({ chipSeed: 1 });
  const pop = new pynn.Population(N, new pynn.HXNeuron(params));
  const out: Observation[] = [];
  for (let k = 0; k < count; k += 2) {
    if (k > 0) pynn.reset();
    between?.(pop, k);
    pop.record(null);
    pop.slice(k, Math.min(k + 2, count)).record(['spikes', 'v']);
    await pynn.run(RUN_MS);
    const segment = pop.getData().segments.at(-1)!;
    for (let j = k; j < Math.min(k + 2, count); j++) {
      const signal = segment.analogsignals.find((a) => (a.annotations as { source_index?: number }).source_index === j) ?? segment.analogsignals[j - k]!;
      const train = segment.spiketrains.find((t) => (t.annotations as { source_index?: number }).source_index === j)!;
      out.push({ v: Array.from(signal.values as ArrayLike<number>), spikes_ms: Array.from(train.times as ArrayLike<number>) });
    }
  }
  return out;
}

const median = (x: number[]) => [...x].sort((a, b) => a - b)[Math.floor(x.length / 2)]!;
const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
/** Mean interspike interval in hardware µs: 1 ms biological is 1 µs on the chip, so it is the ISI in ms. */
const isi_us = (spikes_ms: number[]) => (spikes_ms.length < 2 ? NaN : (spikes_ms.at(-1)! - spikes_ms[0]!) / (spikes_ms.length - 1));

afterEach(async () => {
  await pynn.end();
});

describe('the tutorial on an uncalibrated chip', () => {
  it('a silent neuron (leak bias 1022) rests at ≈ 375 ± 25 MADC LSB at leak 700, rising monotonically and saturating at the ends', async () => {
    const levels = [0, 100, 300, 500, 700, 900, 1022];
    // Neuron 0 at each leak setting, one run per setting (the parameter change settles the CapMem again).
    const silent = { leak_v_leak: 700, leak_i_bias: 1022, threshold_enable: false };
    pynn.setup({ chipSeed: 1 });
    const pop = new pynn.Population(1, new pynn.HXNeuron(silent));
    pop.record(['v']);
    const rest: number[] = [];
    for (const leak of levels) {
      pop.set({ leak_v_leak: leak });
      await pynn.run(RUN_MS);
      rest.push(mean(Array.from(pop.getData().segments.at(-1)!.analogsignals[0]!.values as ArrayLike<number>)));
      pynn.reset();
    }
    await pynn.end();
    for (let k = 1; k < levels.length; k++) expect(rest[k]!).toBeGreaterThan(rest[k - 1]!);
    const slopes = levels.slice(1).map((level, k) => (rest[k + 1]! - rest[k]!) / (level - levels[k]!));
    // Steepest in the middle, flat towards both ends of the setting range.
    const steepest = Math.max(...slopes);
    expect(slopes[0]!).toBeLessThan(steepest / 5);
    expect(slopes.at(-1)!).toBeLessThan(steepest / 1.5);
    const at700 = (await observeAll(silent)).map((o) => mean(o.v));
    expect(Math.abs(median(at700) - 375)).toBeLessThanOrEqual(25);
    expect(Math.abs(at700[0]! - 375)).toBeLessThanOrEqual(25);
  }, 120_000);

  it('leak over threshold: a regular sawtooth between a reset ≈ 232 and a threshold ≈ 400 LSB, ISI ≈ 13 µs of hardware time', async () => {
    const seen: { low: number; high: number; isi: number; regular: boolean }[] = [];
    for (const { v, spikes_ms } of await observeAll(leakOverThreshold)) {
      const intervals = spikes_ms.slice(1).map((t, j) => t - spikes_ms[j]!);
      seen.push({ low: Math.min(...v), high: Math.max(...v), isi: isi_us(spikes_ms), regular: Math.max(...intervals) - Math.min(...intervals) < 0.1 * mean(intervals) });
    }
    for (const s of seen) expect(s.regular).toBe(true);
    // 1 ms biological is 1 µs on the chip: the ISI in ms is the hardware ISI in µs.
    expect(Math.abs(median(seen.map((s) => s.low)) - 232)).toBeLessThanOrEqual(30);
    expect(Math.abs(median(seen.map((s) => s.high)) - 400)).toBeLessThanOrEqual(30);
    expect(Math.abs(median(seen.map((s) => s.isi)) / 13 - 1)).toBeLessThanOrEqual(0.3);
    // The tutorial's first neuron, on its own.
    expect(Math.abs(seen[0]!.high - 400)).toBeLessThanOrEqual(30);
    expect(Math.abs(seen[0]!.isi / 13 - 1)).toBeLessThanOrEqual(0.3);
  }, 120_000);

  it('the same on 10 neurons with leak bias 200 and threshold 500: different thresholds, resets, slopes and phases', async () => {
    const seen: { low: number; high: number; isi: number; first: number }[] = [];
    for (const [k, { v, spikes_ms }] of (await observeAll({ ...leakOverThreshold, leak_i_bias: 200, threshold_v_threshold: 500 })).entries()) {
      expect(spikes_ms.length, `neuron ${k} fires`).toBeGreaterThanOrEqual(2);
      seen.push({ low: Math.min(...v), high: Math.max(...v), isi: isi_us(spikes_ms), first: spikes_ms[0]! });
    }
    const distinct = (f: (s: (typeof seen)[number]) => number, resolution: number) => new Set(seen.map((s) => Math.round(f(s) / resolution))).size;
    expect(distinct((s) => s.high, 5)).toBeGreaterThanOrEqual(6);
    expect(distinct((s) => s.low, 5)).toBeGreaterThanOrEqual(6);
    expect(distinct((s) => s.isi, 0.5)).toBeGreaterThanOrEqual(6);
    expect(distinct((s) => s.first, 0.5)).toBeGreaterThanOrEqual(6);
  }, 120_000);
});
