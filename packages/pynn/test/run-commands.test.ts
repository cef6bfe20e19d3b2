// The reference's run commands (hardware.md §11.1): PREPARE configures only, APPEND stages snippets with the
// network as it is then (parameters change between snippets), EXECUTE runs them (cut runs that continue the
// segment); their mistakes are RunErrors. And the port guide's warning: a run shorter than 1 ms (biological)
// is reported once, through setup's `onWarning`.
import { afterEach, describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';
import { IDEAL, bypassNeuron, rejected, spikeTimes } from './support/network.js';

const INPUT = [3, 9.992, 10, 17.504, 24.992, 25, 33.336, 49.992];

/** A bypass neuron relaying INPUT, recorded. */
function relay(): pynn.Population {
  const input = new pynn.Population(1, new pynn.SpikeSourceArray({ spike_times: INPUT }), { label: 'input' });
  const neuron = new pynn.Population(1, bypassNeuron(), { label: 'relay' });
  new pynn.Projection(input, neuron, new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: 30 }));
  neuron.record('spikes');
  return neuron;
}

afterEach(() => pynn.end());

describe('PREPARE, APPEND, EXECUTE', () => {
  it('APPEND stages (time advances, nothing runs); EXECUTE runs the snippets: the spikes of one run', async () => {
    pynn.setup(IDEAL);
    const neuron = relay();
    expect(await pynn.run(null, pynn.RunCommand.PREPARE)).toBe(0);
    expect(pynn.simulator().routing).toBeDefined();
    expect(pynn.getBackendStatistics().runs).toHaveLength(1);
    expect(await pynn.run(20, pynn.RunCommand.APPEND)).toBe(20);
    expect(await pynn.run(15, pynn.RunCommand.APPEND)).toBe(35);
    expect(pynn.getCurrentTime()).toBe(35);
    expect(spikeTimes(neuron)[0]).toEqual([]);
    expect(pynn.getBackendStatistics().runs).toHaveLength(1);
    // EXECUTE with a duration appends one more snippet first.
    expect(await pynn.run(15, pynn.RunCommand.EXECUTE)).toBe(50);
    expect(pynn.getBackendStatistics().runs.map((r) => r.duration_ms)).toEqual([0, 20, 15, 15]);
    const times = spikeTimes(neuron)[0]!;
    expect(times).toHaveLength(INPUT.length);
    times.forEach((t, i) => expect(t).toBeCloseTo(INPUT[i]!, 9));
    expect(neuron.getData().segments[0]!.t_stop).toBe(50);
  });

  it('parameters changed between APPENDs act from their snippet on: a silent neuron, then driven, then silent again', async () => {
    pynn.setup(IDEAL);
    const neuron = new pynn.Population(1, new pynn.IF_curr_exp({ tau_m: 10, v_thresh: -60, tau_refrac: 2 }), { label: 'neuron' });
    neuron.record('spikes');
    await pynn.run(20, pynn.RunCommand.APPEND);
    neuron.set({ i_offset: 2 });
    await pynn.run(20, pynn.RunCommand.APPEND);
    neuron.set({ i_offset: 0 });
    await pynn.runUntil(60, pynn.RunCommand.APPEND);
    // Nothing ran yet: no data.
    expect(neuron.getData().segments[0]!.spiketrains).toEqual([]);
    await pynn.run(null, pynn.RunCommand.EXECUTE);
    const times = spikeTimes(neuron)[0]!;
    expect(times.length).toBeGreaterThan(2);
    for (const t of times) expect(t > 20 && t < 40.5).toBe(true);
  });

  it('mistakes: a duration with PREPARE, APPEND without one, EXECUTE with nothing staged, an unknown command, reset() with snippets staged', async () => {
    pynn.setup(IDEAL);
    relay();
    expect(await rejected(pynn.RunError, () => pynn.run(5, pynn.RunCommand.PREPARE))).toMatchObject({ value: 5 });
    expect((await rejected(pynn.RunError, () => pynn.run(null, pynn.RunCommand.APPEND))).message).toMatch(/APPEND.*needs a duration/);
    expect((await rejected(pynn.RunError, () => pynn.run(null))).message).toMatch(/nothing staged/);
    expect(await rejected(pynn.RunError, () => pynn.run(5, 'continue' as pynn.RunCommand))).toMatchObject({ parameter: 'command', value: 'continue' });
    await pynn.run(5, pynn.RunCommand.APPEND);
    expect(() => pynn.reset()).toThrow(pynn.RunError);
    await pynn.run(null, pynn.RunCommand.EXECUTE);
    pynn.reset();
    expect(pynn.getCurrentTime()).toBe(0);
  });
});

describe('runs shorter than 1 ms warn once (a hardware-time value from a ported script?)', () => {
  it('run(0.2) warns through onWarning, naming the value and the ×1000; later short runs do not; run(0) does not', async () => {
    const warnings: pynn.PyNNWarning[] = [];
    pynn.setup({ ...IDEAL, onWarning: (w) => warnings.push(w) });
    relay();
    await pynn.run(0);
    expect(warnings).toEqual([]);
    await pynn.run(0.2);
    await pynn.run(0.5, pynn.RunCommand.APPEND);
    await pynn.run(null);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'short-run', value: 0.2 });
    expect(warnings[0]!.message).toMatch(/run\(0\.2\) runs 0\.2 ms of biological time .*× 1000 \(run\(0\.2\) there is run\(200\) here\)/);
    await pynn.run(pynn.SHORT_RUN_MS);
    expect(warnings).toHaveLength(1);
    // A new simulator warns again.
    pynn.setup({ ...IDEAL, onWarning: (w) => warnings.push(w) });
    relay();
    await pynn.run(0.9);
    expect(warnings).toHaveLength(2);
  });
});
