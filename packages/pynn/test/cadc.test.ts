// Recording membranes with the CADC (hardware.md §3.9, §11.1 device 'cadc'): any number of neurons, one sweep of
// every channel per sample, 8-bit codes in mV on the calibration's scale.
import { nominal } from '@bss2/lola';
import { afterEach, describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';
import { IDEAL, rejected, thrown } from './support/network.js';

describe('CADC recording', () => {
  afterEach(() => pynn.end());

  it('records v of many neurons on the segment grid, in mV, agreeing with the MADC trace of an identical neuron', async () => {
    pynn.setup(IDEAL);
    // i_offset 0.7 nA into 1 nF, τ_m 20 ms: every neuron charges alike from −65 mV towards −51 mV, below threshold.
    const pop = new pynn.Population(40, new pynn.IF_curr_exp({ i_offset: 0.7 }), { label: 'pop' });
    pop.view([0]).record('v');
    pop.slice(1, 40).record('v', { device: 'cadc', samplingInterval: 1.5 });
    await pynn.run(30);
    await pynn.run(20); // a continuing run: the sweeps stay on the segment's grid
    const signals = pop.getData().segments[0]!.analogsignals;
    const madc = signals.filter((s) => s.annotations.device === 'madc');
    const cadc = signals.filter((s) => s.annotations.device === 'cadc');
    expect(madc).toHaveLength(1);
    expect(cadc).toHaveLength(39);
    for (const s of cadc) {
      expect(s).toMatchObject({ name: 'v', units: 'mV', sampling_period: 1.5 });
      // Sweeps at 0, 1.5, …, 49.5 ms: 34 samples, each neuron at its quad's position in the sweep (< 1.024 ms).
      expect(s.values).toHaveLength(34);
      s.times.forEach((t, k) => expect(t - 1.5 * k).toBeGreaterThanOrEqual(0));
      s.times.forEach((t, k) => expect(t - 1.5 * k).toBeLessThan(1.1));
    }
    // One CADC LSB is 1/3 mV on the calibration's scale (3 LSB per mV).
    const m = madc[0]!;
    for (const s of cadc) {
      s.times.forEach((t, k) => {
        const j = m.times.findIndex((x) => x >= t);
        expect(Math.abs(m.values[j]! - s.values[k]!)).toBeLessThan(0.8);
      });
    }
  });

  it('raw codes for HXNeuron; wrong variables, intervals and readout conflicts are RecordingErrors', async () => {
    pynn.setup(IDEAL);
    const hx = new pynn.Population(4, new pynn.HXNeuron({ leak_v_leak: 500, leak_i_bias: 200, membrane_capacitance_capacitance: 63 }), { label: 'hx' });
    expect(thrown(pynn.RecordingError, () => hx.record('exc_synin', { device: 'cadc' })).message).toMatch(/membrane \('v'\) only/);
    expect(thrown(pynn.RecordingError, () => hx.record('v', { device: 'pad' as never })).message).toMatch(/'madc' or 'cadc'/);
    hx.record('v', { device: 'cadc' });
    await pynn.run(10);
    const [s] = hx.getData().segments[0]!.analogsignals;
    expect(s).toMatchObject({ units: 'dimensionless', sampling_period: 2, annotations: { device: 'cadc' } });
    // The leak potential of setting 500 (lola's per-parameter transfer: 0.15 V + 0.59 V · σ((500 − 704) / 124) ≈ 248
    // mV): CADC code (248 − 60) / 4.5 ≈ 42.
    const leak_mV = 1000 * nominal.neuronVoltage_V('leak', 500);
    expect(Math.abs(s!.values[s!.values.length - 1]! - (leak_mV - 60) / 4.5)).toBeLessThan(3);

    hx.view([0]).record('v', { device: 'cadc', samplingInterval: 0.5 });
    expect((await rejected(pynn.RecordingError, () => pynn.run(10))).message).toMatch(/shorter than one sweep/);
    hx.record(null);
    hx.view([0]).record('v', { device: 'cadc', samplingInterval: 3 });
    hx.view([1]).record('v', { device: 'cadc' });
    hx.view([1]).record('exc_synin');
    expect((await rejected(pynn.RecordingError, () => pynn.run(10))).message).toMatch(/records 'v' with the CADC and 'exc_synin' with the MADC/);
  });
});

describe('CADC recording in experiment files', () => {
  afterEach(() => pynn.end());

  it('a { variables: ["v"], device: "cadc" } entry records many neurons; other variables are rejected with their path', async () => {
    const experiment = pynn.parseExperiment({
      name: 'cadc',
      setup: { idealChip: true, calibration: 'nominal' },
      populations: [{ label: 'n', size: 8, cellType: 'IF_curr_exp', parameters: { i_offset: 0.7 }, record: [{ variables: ['v'], device: 'cadc', samplingInterval: 2.5 }] }],
      duration_ms: 20,
    });
    const results = await pynn.runExperiment(experiment);
    const signals = results.segments[0]!.populations.n!.signals;
    expect(signals).toHaveLength(8);
    expect(signals.every((s) => s.device === 'cadc' && s.sampling_period === 2.5 && s.values.length === 8)).toBe(true);
    const error = thrown(pynn.ExperimentError, () =>
      pynn.parseExperiment({ name: 'x', populations: [{ label: 'h', size: 1, cellType: 'HXNeuron', record: [{ variables: ['exc_synin'], device: 'cadc' }] }], duration_ms: 1 }),
    );
    expect(error.issues.map((i) => i.path)).toEqual(['populations[0].record[0].device']);
  });
});
