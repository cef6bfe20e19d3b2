// runExperiment end to end on the in-process simulated chip (ideal chip, nominal calibration: fast and exact).
import { nominalCalibration } from '@bss2/calibration';
import { connectInProcess } from '@bss2/hxcomm/in-process';
import { RoutingError } from '@bss2/routing';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PyNNError } from '../src/errors.js';
import { type ExperimentResults, parseExperiment, rasterPlot, resultsToJSON, runExperiment, tracePlot } from '../src/experiment/index.js';

const FIXTURES = fileURLToPath(new URL('../../../test-fixtures/experiments/', import.meta.url));
const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(`${FIXTURES}${name}`, 'utf8')) as Record<string, unknown>;

const spikeCount = (results: ExperimentResults, segment: number, label: string) => results.segments[segment]!.populations[label]!.spikes!.flat().length;

/** A source spiking every 2 ms onto one neuron; `schedule` decides the rest. */
function driven(schedule: unknown[], weight = 30): unknown {
  return {
    name: 'driven',
    setup: { idealChip: true, calibration: 'nominal' },
    populations: [
      { label: 'input', size: 1, cellType: 'SpikeSourceArray', parameters: { spike_times: Array.from({ length: 50 }, (_, k) => 1 + 2 * k) } },
      { label: 'neuron', size: 1, cellType: 'IF_curr_exp', parameters: { tau_refrac: 2, v_thresh: -55 }, record: ['spikes'] },
    ],
    projections: [{ label: 'drive', pre: 'input', post: 'neuron', connector: { type: 'OneToOne' }, synapse: { weight } }],
    schedule,
  };
}

describe('runExperiment', () => {
  it('single-neuron: input spikes as given, the neuron fires, its membrane in mV; results are plain JSON', async () => {
    const progress: [string, number][] = [];
    const results = await runExperiment(parseExperiment(fixture('single-neuron.json')), { onProgress: (step, fraction) => progress.push([step, fraction]) });
    expect(results.experiment).toBe('single-neuron');
    expect(results.setup).toMatchObject({ idealChip: true, calibration: 'nominal' });
    expect(results.chip).toMatchObject({ chipSeed: 1 });
    expect(results.segments).toHaveLength(1);
    const segment = results.segments[0]!;
    expect(segment.t_stop).toBe(60);
    expect(segment.populations.input!.spikes).toEqual([[10, 12, 14, 16, 18, 40]]);
    expect(segment.populations.input!.signals).toEqual([]);
    const neuron = segment.populations.neuron!;
    expect(neuron.spikes![0]!.length).toBeGreaterThan(0);
    for (const t of neuron.spikes![0]!) expect(t).toBeGreaterThan(10);
    expect(neuron.signals).toHaveLength(1);
    const v = neuron.signals[0]!;
    expect(v).toMatchObject({ variable: 'v', units: 'mV', index: 0 });
    expect(v.times.length).toBeGreaterThan(1000);
    expect(v.times.length).toBe(v.values.length);
    expect(Math.min(...v.times)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...v.times)).toBeLessThanOrEqual(60);
    // At rest before the first input (v_rest −65 mV), depolarised towards threshold by the input.
    expect(v.values[0]!).toBeCloseTo(-65, 0);
    expect(Math.max(...v.values)).toBeGreaterThan(-58);
    expect(JSON.parse(resultsToJSON(results))).toEqual(results);
    expect(results.statistics).toMatchObject({ routing: { neurons: 1, projections: 1 } });
    expect(progress[0]).toEqual(['building the network', 0]);
    expect(progress[progress.length - 1]).toEqual(['reading the data', 1]);
    expect(tracePlot(results)).toContain('neuron[0] v');
    expect(rasterPlot(results)).toContain('data-label="neuron"');
  });

  it('is deterministic: the same file gives the same recorded data', async () => {
    const experiment = parseExperiment(fixture('single-neuron.json'));
    const a = await runExperiment(experiment);
    const b = await runExperiment(experiment);
    expect(b.segments).toEqual(a.segments);
  });

  it('a schedule: runs concatenate, setWeights takes effect at the next run, reset opens a segment, set changes parameters', async () => {
    const results = await runExperiment(
      parseExperiment(
        driven([
          { run: 40 },
          { setWeights: { projection: 'drive', weight: 0 } },
          { run: 40 },
          { reset: true },
          { setWeights: { projection: 'drive', weight: 30 } },
          { set: { population: 'neuron', parameters: { v_thresh: -50 } } },
          { run: 40 },
        ]),
      ),
    );
    expect(results.segments.map((s) => [s.index, s.t_stop])).toEqual([
      [0, 80],
      [1, 40],
    ]);
    const first = results.segments[0]!.populations.neuron!.spikes![0]!;
    expect(first.filter((t) => t < 40).length).toBeGreaterThan(0);
    // Input before 40 ms still decays through the synaptic input (τ_syn 5 ms); after that the neuron is silent.
    expect(first.filter((t) => t > 50)).toEqual([]);
    // Same input and weight as the first 40 ms, a higher threshold: fewer spikes.
    expect(spikeCount(results, 1, 'neuron')).toBeGreaterThan(0);
    expect(spikeCount(results, 1, 'neuron')).toBeLessThan(first.filter((t) => t < 40).length);
  });

  it('balanced-network: every population spikes; the Poisson input runs on the on-chip generators', async () => {
    const results = await runExperiment(parseExperiment(fixture('balanced-network.json')));
    for (const label of ['noise', 'exc', 'inh']) expect(spikeCount(results, 0, label)).toBeGreaterThan(0);
    expect(results.segments[0]!.populations.exc!.spikes).toHaveLength(64);
    expect(results.statistics).toMatchObject({ onChipPoisson: ['noise'], routing: { neurons: 80 } });
  });

  it('options.calibration overrides the file: a provider gets the connection and the target', async () => {
    let calls = 0;
    const file = { ...fixture('single-neuron.json'), setup: { idealChip: true } };
    const results = await runExperiment(parseExperiment(file), {
      calibration: async (_connection, target) => {
        calls++;
        return nominalCalibration(target);
      },
    });
    expect(calls).toBe(1);
    expect(results.setup.calibration).toBe('calibrate');
    expect(spikeCount(results, 0, 'input')).toBe(6);
  });

  it('options.connection replaces the built-in chip and stays open', async () => {
    const connection = connectInProcess({ seed: 7, analog: { idealChip: true } });
    try {
      const results = await runExperiment(parseExperiment(fixture('single-neuron.json')), { connection });
      expect(results.chip).toMatchObject({ chipSeed: 7 });
      expect(results.setup).not.toHaveProperty('chipSeed');
      expect(results.setup).not.toHaveProperty('idealChip');
      expect(spikeCount(results, 0, 'input')).toBe(6);
      const again = await runExperiment(parseExperiment(fixture('single-neuron.json')), { connection });
      expect(again.segments[0]!.populations.input!.spikes).toEqual(results.segments[0]!.populations.input!.spikes);
    } finally {
      await connection.close();
    }
  });

  it('pynn and routing errors pass through unchanged and leave no simulator behind', async () => {
    const setup = { idealChip: true, calibration: 'nominal' };
    // Valid as a file, but circuits 0 and 2 share one MADC readout line (hardware.md §3.9).
    const sameLine = { setup, populations: [{ label: 'a', size: 4, cellType: 'IF_curr_exp', record: [{ variables: ['v'], indices: [0, 2] }] }], duration_ms: 1 };
    await expect(runExperiment(parseExperiment(sameLine))).rejects.toSatisfy((e) => e instanceof PyNNError && e.name === 'RecordingError' && /share the readout line/.test(e.message));
    // A routing limit reached from a file (3 circuits for 4 neurons) passes through as routing's error.
    const tooBig = { setup: { ...setup, neuronPermutation: [5, 6, 7] }, populations: [{ label: 'big', size: 4, cellType: 'IF_curr_exp' }], duration_ms: 1 };
    await expect(runExperiment(parseExperiment(tooBig))).rejects.toSatisfy((e) => e instanceof RoutingError && (e as RoutingError).population === 'big');
    const ok = await runExperiment(parseExperiment(driven([{ run: 10 }])));
    expect(ok.segments).toHaveLength(1);
  });
});
