// HXNeuron as the reference's users write it: on a calibrated chip (`initialConfig: 'calibration'`, the
// reference's initial_config = a calibration) the calibration comes first and the values given override it —
// a live trace where the raw defaults give a flat one; and the neuron bypass mode (`enableNeuronBypass`, the
// reference's enable_neuron_bypass): every input event is re-emitted as a spike.
import { type CalibrationResult, neuronSettingFields } from '@bss2/calibration';
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';
import { IDEAL, signalOf, spikeTimes, thrown } from './support/network.js';

const CHIP_SEED = 1;
const RUN_MS = 60;

interface Observed {
  readonly v: Float32Array;
  readonly spikes: number;
}

/** One HXNeuron with `parameters` on the chip `options`, three inputs at 20 ms onto it; its trace and spike count. */
async function observe(options: pynn.SetupOptions, parameters: Record<string, unknown>): Promise<Observed> {
  pynn.setup({ chipSeed: CHIP_SEED, ...options });
  const neuron = new pynn.Population(1, new pynn.HXNeuron(parameters), { label: 'hx' });
  const input = new pynn.Population(3, new pynn.SpikeSourceArray({ spike_times: [20] }), { label: 'input' });
  new pynn.Projection(input, neuron, new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: 63 }));
  neuron.record(['spikes', 'v']);
  await pynn.run(RUN_MS);
  const observed = { v: signalOf(neuron, 'v').values, spikes: spikeTimes(neuron)[0]!.length };
  await pynn.end();
  return observed;
}

const range = (v: Float32Array) => Math.max(...v) - Math.min(...v);
const mean = (v: Float32Array) => v.reduce((a, b) => a + b, 0) / v.length;

afterEach(() => pynn.end());

describe('HXNeuron on a calibrated chip: calibration first, the values given override it', () => {
  let calibration: CalibrationResult;
  const calibrated = (): pynn.SetupOptions => ({ calibration, initialConfig: 'calibration' });
  const drive = { constant_current_enable: true, constant_current_i_offset: 500 };

  beforeAll(async () => {
    // Calibrated once (the whole chip, the spiking preset), then given to every setup (hardware.md §9).
    pynn.setup({ chipSeed: CHIP_SEED, initialConfig: 'calibration' });
    new pynn.Population(1, new pynn.HXNeuron(), { label: 'hx' });
    await pynn.prepare();
    calibration = pynn.simulator().calibration!;
    expect(pynn.getBackendStatistics().calibration).toMatchObject({ mode: 'calibrate', runs: 1 });
    await pynn.end();
  });

  it('without values: at rest at the calibrated leak with an EPSP on the input; the raw defaults give a flat trace', async () => {
    const raw = await observe({ calibration: 'nominal' }, {});
    expect(range(raw.v)).toBeLessThanOrEqual(2);
    const live = await observe(calibrated(), {});
    // The spiking preset rests at 80 CADC LSB (≈ 0.42 V, ≈ 358 MADC LSB) and the EPSP of three full inputs rises well above it.
    expect(Math.abs(live.v[0]! - 358)).toBeLessThan(30);
    expect(range(live.v)).toBeGreaterThan(20);
  });

  it('a few raw values take effect over the calibration: an offset current makes it fire, a lower threshold faster, a higher leak rests higher', async () => {
    const driven = await observe(calibrated(), drive);
    expect(driven.spikes).toBeGreaterThan(3);
    // The spiking preset's threshold is 125 CADC LSB ≈ 0.62 V; threshold 300 is ≈ 0.47 V (hardware.md §8.3).
    const lowThreshold = await observe(calibrated(), { ...drive, threshold_v_threshold: 300 });
    expect(lowThreshold.spikes).toBeGreaterThan(driven.spikes);
    const leak = await observe(calibrated(), { leak_v_leak: 900 });
    expect(mean(leak.v.subarray(0, 100))).toBeGreaterThan(mean((await observe(calibrated(), {})).v.subarray(0, 100)) + 50);
    // The same values on the raw defaults (no leak, no threshold): the current charges the membrane to the rail.
    const raw = await observe({ calibration: 'nominal' }, drive);
    expect(raw.spikes).toBe(0);
    expect(Math.max(...raw.v)).toBe(1023);
  });
});

describe('the README says which fields a calibration sets', () => {
  it('every field of calibration’s neuronSettingFields, by its HXNeuron name', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
    const section = readme.slice(readme.indexOf('A calibration sets these fields'), readme.indexOf('every other field keeps its default'));
    const snake = (x: string) => x.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    for (const path of neuronSettingFields) {
      const [group, field] = path.split('.') as [string, string];
      const name = `${snake(group)}_${snake(field)}`;
      expect(pynn.HXNeuron.getParameterNames()).toContain(name);
      // The inhibitory input's four are listed as "the same four of `inhibitory_input`".
      if (group === 'inhibitoryInput') expect(section).toContain(`\`excitatory_input_${snake(field)}\``);
      else expect(section).toContain(`\`${name}\``);
    }
  });
});

describe('neuron bypass mode (enableNeuronBypass)', () => {
  it('HXNeurons re-emit every event on either input as a spike; values given override the preset; model neurons are refused', async () => {
    pynn.setup({ ...IDEAL, enableNeuronBypass: true });
    const input = new pynn.Population(2, new pynn.SpikeSourceArray({ spike_times: [[5, 12.5, 30], [8, 20]] }), { label: 'input' });
    const relays = new pynn.Population(2, new pynn.HXNeuron(), { label: 'relays' });
    const silent = new pynn.Population(1, new pynn.HXNeuron({ event_routing_enable_bypass_excitatory: false }), { label: 'silent' });
    expect(relays.get('event_routing_enable_bypass_excitatory')).toBe(true);
    expect(relays.get('threshold_enable')).toBe(false);
    new pynn.Projection(input.slice(0, 1), relays.slice(0, 1), new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: 20 }), 'excitatory');
    new pynn.Projection(input.slice(1, 2), relays.slice(1, 2), new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: -20 }), 'inhibitory');
    new pynn.Projection(input.slice(0, 1), silent, new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: 20 }));
    for (const p of [relays, silent]) p.record('spikes');
    await pynn.run(40);
    const [excited, inhibited] = spikeTimes(relays);
    expect(excited).toHaveLength(3);
    expect(inhibited).toHaveLength(2);
    // Input times on the 8 ns (0.008 ms) cycle grid.
    [5, 12.5, 30].forEach((t, i) => expect(Math.abs(excited![i]! - t)).toBeLessThanOrEqual(0.004 + 1e-9));
    [8, 20].forEach((t, i) => expect(Math.abs(inhibited![i]! - t)).toBeLessThanOrEqual(0.004 + 1e-9));
    expect(spikeTimes(silent)[0]).toEqual([]);
    const error = thrown(pynn.NotSupportedError, () => new pynn.Population(1, new pynn.IF_curr_exp(), { label: 'lif' }));
    expect(error).toMatchObject({ population: 'lif', parameter: 'enableNeuronBypass' });
  });
});
