// DCSource and StepCurrentSource (PyNN's current sources) on the neurons' offset current: on the ideal chip the
// membrane follows the exact LIF solution through every step (the run is cut at the step times; the offset
// current switches on, off and in sign at once; each cut pauses the clock for the switches' writes); schedules with two magnitudes, injections into HXNeurons or
// spike sources, and wrong parameters are refused by name.
import { afterEach, describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';
import { IDEAL, rejected, signalOf, thrown } from './support/network.js';

const CELL = { tau_m: 10, cm: 1, v_thresh: -40, v_rest: -65 };
/** Membrane resistance, MΩ = mV per nA: τ_m / C. */
const R = CELL.tau_m / CELL.cm;

/** The exact membrane of a LIF neuron at rest at 0 ms driven by the piecewise-constant current `current(t)` (nA). */
function exactMembrane(steps: readonly (readonly [number, number])[], t: number): number {
  // steps: [time, total current from then on], ascending from 0.
  let v = CELL.v_rest;
  for (let k = 0; k < steps.length; k++) {
    const [from, current] = steps[k]!;
    if (from >= t) break;
    const to = Math.min(t, steps[k + 1]?.[0] ?? Infinity);
    const target = CELL.v_rest + R * current;
    v = target + (v - target) * Math.exp(-(to - from) / CELL.tau_m);
  }
  return v;
}

/** The recorded membrane at the sample nearest `t`. */
function at(signal: pynn.AnalogSignal, t: number): number {
  let best = 0;
  signal.times.forEach((x, i) => {
    if (Math.abs(x - t) < Math.abs(signal.times[best]! - t)) best = i;
  });
  return signal.values[best]!;
}

afterEach(() => pynn.end());

describe('current sources follow the exact LIF solution', () => {
  it('a DCSource from 0 without end is i_offset: the same trace', async () => {
    const traces: pynn.AnalogSignal[] = [];
    for (const inject of [true, false]) {
      pynn.setup(IDEAL);
      const neuron = new pynn.Population(1, new pynn.IF_curr_exp({ ...CELL, i_offset: inject ? 0 : 0.5 }), { label: 'neuron' });
      if (inject) neuron.inject(new pynn.DCSource({ amplitude: 0.5 }));
      neuron.record('v');
      await pynn.run(40);
      traces.push(signalOf(neuron, 'v'));
      await pynn.end();
    }
    expect(Array.from(traces[0]!.values)).toEqual(Array.from(traces[1]!.values));
  });

  it('DCSource with start and stop, StepCurrentSource through 0.5, −0.5 and 0 nA, summed with i_offset: exact within 0.25 mV; runs cut at every step', async () => {
    pynn.setup(IDEAL);
    const neurons = new pynn.Population(3, new pynn.IF_curr_exp(CELL), { label: 'neurons' });
    new pynn.DCSource({ amplitude: 0.5, start: 20, stop: 60 }).injectInto(neurons.slice(0, 1));
    neurons.slice(1, 2).inject(new pynn.StepCurrentSource({ times: [10, 30, 50], amplitudes: [0.5, -0.5, 0] }));
    // i_offset 0.5 nA plus a step source: the totals 0.5, 0, −0.5 nA share one magnitude.
    neurons.set({ i_offset: [0, 0, 0.5] });
    new pynn.StepCurrentSource({ times: [25, 45], amplitudes: [-0.5, -1] }).injectInto(neurons.slice(2, 3));
    const schedules: [number, number][][] = [
      [[0, 0], [20, 0.5], [60, 0]],
      [[0, 0], [10, 0.5], [30, -0.5], [50, 0]],
      [[0, 0.5], [25, 0], [45, -0.5]],
    ];
    // The MADC records two neurons at a time: the same segment twice.
    for (const recorded of [[0, 1], [2]]) {
      neurons.record(null);
      neurons.view(recorded).record('v');
      await pynn.run(35);
      await pynn.run(45);
      const signals = neurons.getData('v').segments.at(-1)!.analogsignals;
      expect(signals.map((s) => s.annotations.source_index)).toEqual(recorded);
      signals.forEach((signal, k) => {
        // A step's switch is a small write before the next run, which continues the segment's clock (README,
        // Choices: current sources): the switch acts a few cycles after the step time (its instructions, the
        // analog step), the MADC's codes are 0.09 mV; measured ≤ 0.14 mV.
        for (const t of [5, 15, 24, 29, 34, 36, 44, 49, 55, 59, 65, 79]) expect(Math.abs(at(signal, t) - exactMembrane(schedules[recorded[k]!]!, t))).toBeLessThan(0.25);
      });
      pynn.reset();
    }
    // One program per stretch between steps (and the user's cut at 35 ms).
    expect(pynn.getBackendStatistics().runs.slice(0, 9).map((r) => r.duration_ms)).toEqual([10, 10, 5, 5, 5, 10, 5, 10, 20]);
  });

  it('set() of a source applies from the next run; a neuron that fires on a step fires only while it is on', async () => {
    pynn.setup(IDEAL);
    const neuron = new pynn.Population(1, new pynn.IF_curr_exp({ ...CELL, v_thresh: -60, tau_refrac: 2 }), { label: 'neuron' });
    const source = new pynn.DCSource({ amplitude: 2, start: 10, stop: 30 });
    source.injectInto(neuron);
    neuron.record('spikes');
    await pynn.run(40);
    const first = neuron.getData('spikes').segments[0]!.spiketrains[0]!.times;
    expect(first.length).toBeGreaterThan(2);
    for (const t of first) expect(t > 10 && t < 30.5).toBe(true);
    source.set({ start: 50, stop: 70 });
    await pynn.run(40);
    const all = Array.from(neuron.getData('spikes').segments[0]!.spiketrains[0]!.times);
    const second = all.slice(first.length);
    expect(second.length).toBe(first.length);
    for (const t of second) expect(t > 50 && t < 70.5).toBe(true);
  });
});

describe('what cannot be realised is refused by name', () => {
  it('two magnitudes in one schedule: the offset current’s magnitude is a CapMem cell that settles for milliseconds of chip time', async () => {
    pynn.setup(IDEAL);
    const neuron = new pynn.Population(2, new pynn.IF_curr_exp(CELL), { label: 'stepped' });
    new pynn.StepCurrentSource({ times: [10, 20], amplitudes: [0.5, 1] }).injectInto(neuron.slice(1, 2));
    const error = await rejected(pynn.NotSupportedError, () => pynn.run(30));
    expect(error).toMatchObject({ population: 'stepped', parameter: 'amplitude', value: 0.5 });
    expect(error.message).toMatch(/neuron 1: .* steps through 0, 0\.5, 1 nA; .*magnitude is a CapMem cell/);
  });

  it('injections into HXNeurons, spike sources; wrong parameters', () => {
    pynn.setup(IDEAL);
    const hx = new pynn.Population(1, new pynn.HXNeuron(), { label: 'hx' });
    const source = new pynn.Population(1, new pynn.SpikeSourceArray(), { label: 'source' });
    expect(thrown(pynn.NotSupportedError, () => new pynn.DCSource().injectInto(hx))).toMatchObject({ population: 'hx' });
    expect(thrown(pynn.ParameterError, () => source.inject(new pynn.DCSource()))).toMatchObject({ population: 'source' });
    expect(thrown(pynn.ParameterError, () => new pynn.DCSource({ amplitude: Number.NaN }))).toMatchObject({ parameter: 'amplitude' });
    expect(thrown(pynn.ParameterError, () => new pynn.DCSource({ start: 10, stop: 5 }))).toMatchObject({ parameter: 'stop', value: 5 });
    expect(thrown(pynn.ParameterError, () => new pynn.DCSource({ amplitudes: 1 } as never)).message).toMatch(/DCSource has no option 'amplitudes'; options: amplitude, start, stop/);
    expect(thrown(pynn.ParameterError, () => new pynn.StepCurrentSource({ times: [1, 1], amplitudes: [1, 2] }))).toMatchObject({ parameter: 'times' });
    expect(thrown(pynn.ParameterError, () => new pynn.StepCurrentSource({ times: [1, 2], amplitudes: [1] }))).toMatchObject({ parameter: 'amplitudes' });
  });
});
