// Online updates of neuron parameters by a kernel during a run (issue 13 item 3; hardware.md §7 "anything else
// through registers", §3.8): a cell's plasticity_rule whose kernel writes the neurons' registers at its n-th
// invocation. A NeuronConfig switch acts at once; a CapMem cell settles (chip-sim: τ = 2 ms of chip time, a
// staircase on a 1 ms grid), so a written leak potential shows only from the next grid point on.
import { nominal } from '@bss2/lola';
import { afterEach, describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';
import { IDEAL, thrown } from './support/network.js';

/** A neuron whose leak potential lies above its threshold: it fires regularly once the threshold is on. */
const leakOverThreshold = {
  leak_v_leak: 1000,
  leak_i_bias: 150,
  threshold_v_threshold: 300,
  reset_v_reset: 400,
  membrane_capacitance_capacitance: 63,
  refractory_period_refractory_time: 255,
  reset_i_bias: 1022,
  reset_enable_multiplication: true,
};

describe('online neuron parameter updates', () => {
  afterEach(() => pynn.end());

  it('a NeuronConfig switch written at the 3rd invocation acts at once: the neuron fires from then on, only the chosen neuron', async () => {
    pynn.setup(IDEAL);
    const timer = new pynn.Timer({ start: 50, period: 50, numPeriods: 4 });
    const rule = new pynn.PlasticityRule({
      timer,
      kernel: ({ neurons }) => pynn.neuronParameterKernel({ neurons: neurons.filter((n) => n.index === 0), atInvocation: 3, set: { threshold_enable: true } }),
    });
    const pop = new pynn.Population(2, new pynn.HXNeuron({ ...leakOverThreshold, threshold_enable: false, plasticity_rule: rule }), { label: 'switched' });
    pop.record('spikes');
    await pynn.run(300);
    const [switched, untouched] = pop.getData().segments[0]!.spiketrains.map((s) => [...s.times]);
    const written_ms = timer.times()[2]!;
    expect(switched!.length).toBeGreaterThan(5);
    // Nothing before the write; the first spike within 1 ms (biological) of it: the switch acts at once.
    expect(switched![0]!).toBeGreaterThan(written_ms);
    expect(switched![0]! - written_ms).toBeLessThan(1);
    expect(untouched).toEqual([]);
  });

  it('a CapMem cell (leak potential) written mid-run settles on chip-sim’s 1 ms grid with τ = 2 ms of chip time', async () => {
    pynn.setup(IDEAL);
    const [before, after] = [300, 800];
    const timer = new pynn.Timer({ start: 300, period: 300, numPeriods: 3 });
    const rule = new pynn.PlasticityRule({ timer, kernel: ({ neurons }) => pynn.neuronParameterKernel({ neurons, atInvocation: 3, set: { leak_v_leak: after } }) });
    const pop = new pynn.Population(1, new pynn.HXNeuron({ leak_v_leak: before, leak_i_bias: 200, membrane_capacitance_capacitance: 63, threshold_enable: false, plasticity_rule: rule }), { label: 'leaky' });
    const samplingInterval = 50;
    pop.record('v', { device: 'cadc', samplingInterval });
    const run_ms = 4500;
    await pynn.run(run_ms);
    const [signal] = pop.getData().segments[0]!.analogsignals;
    const times = [...signal!.times];
    const codes = [...signal!.values];
    // CADC code of a leak setting on the ideal chip (cadc.test.ts: (mV − 60) / 4.5).
    const code = (setting: number) => (1000 * nominal.neuronVoltage_V('leak', setting) - 60) / 4.5;
    const written_ms = timer.times()[2]!;
    // 1 µs of chip time = 1 ms biological: τ = 2000 ms, the grid 1000 ms (biological).
    const tau_ms = nominal.capMemSettlingTau_us;
    const grid_ms = nominal.capMemUpdatePeriod_us;
    for (let k = 0; k < times.length && times[k]! < written_ms; k++) expect(Math.abs(codes[k]! - code(before)), `sample at ${times[k]} ms`).toBeLessThan(3);
    const firstChange = times.findIndex((t, k) => t > written_ms && Math.abs(codes[k]! - code(before)) >= 3);
    expect(firstChange).toBeGreaterThan(0);
    // No effect right after the write (an attempt watching 350 µs of chip time may see none): the next grid point.
    const stepAt_ms = (times[firstChange - 1]! + times[firstChange]!) / 2;
    expect(stepAt_ms - written_ms).toBeGreaterThan(0);
    expect(stepAt_ms - written_ms).toBeLessThanOrEqual(grid_ms + samplingInterval);
    // Then the staircase: at each grid point the whole LSB nearest the exponential approach.
    const level = (t: number) => after + (before - after) * Math.exp(-(t - written_ms) / tau_ms);
    for (let k = firstChange; k < times.length; k++) {
      const gridPoint = stepAt_ms + Math.floor((times[k]! - stepAt_ms) / grid_ms) * grid_ms;
      expect(Math.abs(codes[k]! - code(Math.round(level(gridPoint)))), `sample at ${times[k]} ms`).toBeLessThan(3);
    }
    // 3.6 ms of chip time after the write the cell is still on its way (settled only ≈ 15 ms after a full step).
    expect(code(after) - codes[codes.length - 1]!).toBeGreaterThan(3);
  }, 120_000);

  it('bad updates are PlasticityErrors naming the parameter; a cell rule has no synapse rows', async () => {
    const neuron = { population: 'p', index: 0, hemisphere: 0, column: 3 };
    expect(thrown(pynn.PlasticityError, () => pynn.neuronParameterKernel({ neurons: [neuron], atInvocation: 1, set: { leak_v_lek: 3 } })).message).toMatch(/'leak_v_lek' is not an HXNeuron parameter/);
    expect(thrown(pynn.PlasticityError, () => pynn.neuronParameterKernel({ neurons: [neuron], atInvocation: 1, set: { leak_v_leak: 5000 } })).message).toMatch(/leak_v_leak = 5000 is invalid/);
    expect(thrown(pynn.PlasticityError, () => pynn.neuronParameterKernel({ neurons: [neuron], atInvocation: 0, set: { threshold_enable: true } })).message).toMatch(/atInvocation 0/);
    expect(thrown(pynn.PlasticityError, () => pynn.neuronParameterKernel({ neurons: [], atInvocation: 1, set: { threshold_enable: true } })).message).toMatch(/neurons/);
    // A switch is a read-modify-write of its bit; a CapMem cell a whole word.
    const [threshold] = pynn.neuronRegisterWrites(neuron, 'threshold_enable', true);
    expect(threshold).toMatchObject({ capMem: false, hemisphere: 0 });
    expect(threshold!.bits).toBe(threshold!.mask);
    expect(threshold!.mask.toString(2).replace(/0/g, '')).toBe('1');
    const leak = pynn.neuronRegisterWrites(neuron, 'leak_v_leak', 700);
    expect(leak).toEqual([expect.objectContaining({ capMem: true, bits: 700, mask: 0xffff_ffff })]);

    pynn.setup(IDEAL);
    const stdp = new pynn.STDP({ timer: new pynn.Timer({ start: 5, period: 5, numPeriods: 1 }) });
    expect(thrown(pynn.ParameterError, () => new pynn.SpikeSourceArray({ spike_times: [], plasticity_rule: stdp })).message).toMatch(/no parameter 'plasticity_rule'/);
    expect(thrown(pynn.ParameterError, () => new pynn.HXNeuron({ plasticity_rule: 'stdp' })).message).toMatch(/plasticity_rule must be a PlasticityRule/);
    new pynn.Population(1, new pynn.HXNeuron({ plasticity_rule: stdp }), { label: 'cells' });
    const error = await pynn.run(20).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(pynn.PlasticityError);
    expect((error as Error).message).toMatch(/plasticity_rule: its kernel gets the population's neurons/);
  });
});
