// Homeostasis through PyNN (issue 13 acceptance; hardware.md §7): 64 neurons on a varied chip (seed 1, nominal
// transfer: every neuron differs) with random initial weights under host Poisson input; the rule reads the rate
// counters each period and moves every synapse onto a neuron toward the target count. After 50 invocations the
// mean rate is within 10 % of the target and the spread (coefficient of variation) across neurons ≤ 20 %.
import { describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';

const NEURONS = 64;
const INPUTS = 32;
const PERIOD_MS = 200;
const INVOCATIONS = 50;
const TARGET_HZ = 30;

/** Seeded uniform numbers in [0, 1) (a 32-bit LCG: enough for initial weights). */
function uniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function rateStatistics(trains: readonly { times: Float64Array }[], from_ms: number, to_ms: number): { mean: number; cv: number } {
  const rates = trains.map((s) => [...s.times].filter((t) => t >= from_ms && t < to_ms).length / ((to_ms - from_ms) / 1000));
  const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
  const sd = Math.sqrt(rates.reduce((a, r) => a + (r - mean) ** 2, 0) / rates.length);
  return { mean, cv: sd / mean };
}

describe('Homeostasis through PyNN', () => {
  it('64 neurons with random weights reach the target rate within 50 invocations', async () => {
    pynn.setup({ chipSeed: 1, calibration: 'nominal', seed: 3 });
    const rand = uniform(12345);
    // Per neuron a different scale of its random weights: the neurons start far apart.
    const scale = Array.from({ length: NEURONS }, () => 5 + 58 * rand());
    const input = new pynn.Population(INPUTS, new pynn.SpikeSourcePoisson({ rate: 12, start: 0, duration: 1e6 }), { label: 'input' });
    const neurons = new pynn.Population(NEURONS, new pynn.IF_curr_exp({}), { label: 'neurons' });
    neurons.record('spikes');
    const rule = new pynn.Homeostasis({ timer: new pynn.Timer({ start: PERIOD_MS, period: PERIOD_MS, numPeriods: INVOCATIONS }), targetRate: TARGET_HZ, eta: 127 });
    expect(rule.targetCount).toBe((TARGET_HZ * PERIOD_MS) / 1000);
    const weights = Array.from({ length: INPUTS * NEURONS }, (_, k) => Math.floor(rand() * scale[k % NEURONS]!));
    const projection = new pynn.Projection(input, neurons, new pynn.AllToAllConnector(), new pynn.PlasticSynapse({ weight: weights, plasticityRule: rule }), 'excitatory', { label: 'input→neurons' });
    const total_ms = PERIOD_MS * (INVOCATIONS + 0.5);
    await pynn.run(total_ms);
    const trains = neurons.getData().segments[0]!.spiketrains;
    const window_ms = 10 * PERIOD_MS;
    const before = rateStatistics(trains, 0, PERIOD_MS);
    const after = rateStatistics(trains, total_ms - PERIOD_MS / 2 - window_ms, total_ms - PERIOD_MS / 2);
    const learned = projection.get('weight', { withAddress: false });
    await pynn.end();
    // It had work to do: the neurons started apart from each other.
    expect(before.cv).toBeGreaterThan(after.cv);
    expect(Math.abs(after.mean - TARGET_HZ) / TARGET_HZ, `mean ${after.mean.toFixed(1)} Hz`).toBeLessThanOrEqual(0.1);
    expect(after.cv, `spread ${after.cv.toFixed(3)}`).toBeLessThanOrEqual(0.2);
    // The weights moved (the learned ones are what get() reports).
    expect(learned).not.toEqual(weights);
  }, 120_000);
});
