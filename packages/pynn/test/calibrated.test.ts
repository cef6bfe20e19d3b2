// Calibration through pynn (setup({ calibration: 'calibrate' }), the default): on a chip with fixed-pattern
// variation, eight IF_curr_exp neurons with the same parameters and the same input fire at nearly the same
// times once calibrated, close to the ideal chip; with the nominal transfer functions the variation spreads
// them. The ideal and nominal runs are shared by the tests; the one test that calibrates (the whole chip, a few
// seconds) is the last.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';
import { spikeTimes } from './support/network.js';

const CHIP_SEED = 1;
const SIZE = 8;
const cell = { tau_m: 10, v_thresh: -55, v_reset: -70, tau_refrac: 2 };
/**
 * Six inputs 1 ms apart bring the neurons to threshold after three or four: the first spike time depends on
 * leak, threshold, τ_m, τ_syn and the synaptic strength, and crosses threshold steeply enough (≈ 3 mV/ms) that
 * the calibration's precision (potentials ±1 CADC LSB = 0.33 mV, time constants and PSP amplitudes ±3 %,
 * packages/calibration acceptance) moves it by a few tenths of a millisecond at most.
 */
const input = [10, 11, 12, 13, 14, 15];

async function spikesOn(options: pynn.SetupOptions): Promise<number[][]> {
  pynn.setup({ chipSeed: CHIP_SEED, ...options });
  const neurons = new pynn.Population(SIZE, new pynn.IF_curr_exp(cell), { label: 'neurons' });
  const source = new pynn.Population(1, new pynn.SpikeSourceArray({ spike_times: input }), { label: 'input' });
  new pynn.Projection(source, neurons, new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: 40 }));
  neurons.record('spikes');
  await pynn.run(40);
  return spikeTimes(neurons);
}

const mean = (x: readonly number[]) => x.reduce((a, b) => a + b, 0) / x.length;
const std = (x: readonly number[]) => Math.sqrt(mean(x.map((v) => (v - mean(x)) ** 2)));
/** The k-th spike of every neuron (all must have one). */
const kth = (trains: number[][], k: number) => trains.map((t) => {
  expect(t.length).toBeGreaterThan(k);
  return t[k]!;
});

describe('calibration on a chip with fixed-pattern variation', () => {
  let ideal: number[][];
  let nominal: number[][];

  beforeAll(async () => {
    ideal = await spikesOn({ idealChip: true, calibration: 'nominal' });
    await pynn.end();
    nominal = await spikesOn({ calibration: 'nominal' });
    await pynn.end();
  });
  afterEach(() => pynn.end());

  it('the ideal chip: every neuron fires alike', () => {
    expect(new Set(ideal.map((t) => t.length)).size).toBe(1);
    expect(new Set(kth(ideal, 0)).size).toBe(1);
  });

  it("'nominal' on the varied chip: the first spikes spread over more than a millisecond, some spike counts differ", () => {
    const nominalFirst = kth(nominal, 0);
    expect(Math.max(...nominalFirst) - Math.min(...nominalFirst)).toBeGreaterThan(0.8);
    expect(nominal.some((train) => train.length !== ideal[0]!.length)).toBe(true);
  });

  it("'calibrate' removes the spread the variation causes under 'nominal': the neurons fire together, as on the ideal chip", async () => {
    const calibrated = await spikesOn({ calibration: 'calibrate' });
    const statistics = pynn.getBackendStatistics().calibration;
    expect(statistics).toMatchObject({ mode: 'calibrate', runs: 1 });
    expect(statistics.duration_s).toBeGreaterThan(0);

    // Calibrated: every neuron fires as often as on the ideal chip, the spread of the first spikes is less than
    // half of the nominal one, and each first spike lies within 0.5 ms of the ideal chip's.
    const idealFirst = kth(ideal, 0)[0]!;
    for (const train of calibrated) expect(train).toHaveLength(ideal[0]!.length);
    const calibratedFirst = kth(calibrated, 0);
    expect(std(calibratedFirst)).toBeLessThan(0.5 * std(kth(nominal, 0)));
    for (const t of calibratedFirst) expect(Math.abs(t - idealFirst)).toBeLessThan(0.5);
  });
});
