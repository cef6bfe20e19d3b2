// Injected configuration and readout (hardware.md §11.1): commands of one's own at fixed points of each run's
// program, and containers read back before and after it.
import { AtomicNeuronOnDLS, SpikePack1ToChipOnDLS } from '@bss2/halco';
import { AtomicNeuron, SpikePack1ToChip } from '@bss2/lola';
import { afterEach, describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';
import { IDEAL, bypassNeuron, circuitOf, rejected, spikeTimes, thrown } from './support/network.js';

describe('injected configuration and readout', () => {
  afterEach(() => pynn.end());

  it('insideRealtimeBegin / End: spike packs of the input label reach the bypass neuron at the run start and end', async () => {
    let label = 0;
    pynn.setup({
      ...IDEAL,
      injectedConfig: {
        insideRealtimeBegin: (b) => void b.write(new SpikePack1ToChipOnDLS(), new SpikePack1ToChip([label])),
        insideRealtimeEnd: (b) => void b.write(new SpikePack1ToChipOnDLS(), new SpikePack1ToChip([label])),
      },
    });
    const neuron = new pynn.Population(1, bypassNeuron(), { label: 'n' });
    const input = new pynn.Population(1, new pynn.SpikeSourceArray({ spike_times: [10] }), { label: 'in' });
    new pynn.Projection(input, neuron, new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: 63 }));
    neuron.record('spikes');
    await pynn.prepare();
    label = pynn.simulator().routing!.inputLabel('in', 0)!.value;
    await pynn.run(20);
    // This run continues prepare()'s clock: the begin hook runs as soon as the program starts, after the previous
    // program's drain (one analog step, 14 cycles) and its own first instructions: within 0.2 ms. The input comes
    // at 10 ms, the end hook in the run's last cycle; that spike belongs to the next run's time (≥ 20 ms).
    const [times] = spikeTimes(neuron);
    expect(times!.length).toBe(2);
    expect(times![0]).toBeGreaterThan(0);
    expect(times![0]).toBeLessThan(0.2);
    expect(times![1]).toBe(10);
    await pynn.run(5);
    expect(spikeTimes(neuron)[0]![2]).toBeCloseTo(20, 1);
  });

  it('preRealtime commands and readout: a threshold raised behind pynn\'s back silences the neuron and reads back', async () => {
    pynn.setup({
      ...IDEAL,
      injectedConfig: {
        preRealtime: (b) => {
          const n = pynn.simulator().calibration!.toAtomicNeurons()[0]!;
          n.threshold = n.threshold.with({ vThreshold: 1000 });
          n.eventRouting = n.eventRouting.with({ enableDigital: true });
          b.write(new AtomicNeuronOnDLS(0), n);
        },
      },
      injectedReadout: { preRealtime: [[new AtomicNeuronOnDLS(0), AtomicNeuron]], postRealtime: [[new AtomicNeuronOnDLS(0), AtomicNeuron]] },
    });
    // i_offset 2 nA: v_∞ = −25 mV, so the neuron would fire after 9.4 ms at its own threshold (−50 mV).
    const lif = new pynn.Population(1, new pynn.IF_curr_exp({ i_offset: 2 }), { label: 'lif' });
    lif.record('spikes');
    await pynn.run(20);
    expect(circuitOf(lif, 0)).toBe(0);
    expect(spikeTimes(lif)[0]).toEqual([]);
    for (const read of [pynn.getPreRealtimeRead(), pynn.getPostRealtimeRead()]) {
      const neuron = read.get(new AtomicNeuronOnDLS(0).toString()) as AtomicNeuron;
      expect(neuron.threshold.vThreshold).toBe(1000);
    }
    // Armed after the settling wait: the threshold comparator is on again after the run.
    expect((pynn.getPostRealtimeRead().get(new AtomicNeuronOnDLS(0).toString()) as AtomicNeuron).threshold.enable).toBe(true);
  });

  it('bad hooks are SetupErrors naming the point', () => {
    expect(thrown(pynn.SetupError, () => pynn.setup({ injectedConfig: { duringRun: () => undefined } as never })).message).toMatch(/no point 'duringRun'/);
    expect(thrown(pynn.SetupError, () => pynn.setup({ injectedConfig: { preRealtime: 3 } as never })).parameter).toBe('injectedConfig.preRealtime');
    expect(thrown(pynn.SetupError, () => pynn.setup({ injectedReadout: { preRealtime: [[new AtomicNeuronOnDLS(0)]] } as never })).parameter).toBe('injectedReadout.preRealtime');
  });
});

describe('SpikeSourcePoissonOnChip', () => {
  afterEach(() => pynn.end());

  it('runs on a background generator at its rate, mapped back per source; infeasible settings are ParameterErrors', async () => {
    pynn.setup(IDEAL);
    const noise = new pynn.Population(16, new pynn.SpikeSourcePoissonOnChip({ rate: 200, seed: 1234 }), { label: 'noise' });
    const neuron = new pynn.Population(1, new pynn.IF_curr_exp(), { label: 'n' });
    new pynn.Projection(noise, neuron, new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: 1 }));
    noise.record('spikes');
    await pynn.run(500);
    expect(pynn.getBackendStatistics().onChipPoisson).toEqual(['noise']);
    const counts = spikeTimes(noise).map((t) => t.length);
    const total = counts.reduce((a, b) => a + b, 0);
    // 16 × 200 Hz × 0.5 s = 1600 events expected; Poisson: σ = 40, so 4σ.
    expect(Math.abs(total - 1600)).toBeLessThan(160);
    expect(counts.every((c) => c > 50 && c < 150)).toBe(true);
  });

  it('a rate, a size or a fifth population the generators cannot serve is a ParameterError naming the population', async () => {
    pynn.setup(IDEAL);
    new pynn.Population(3, new pynn.SpikeSourcePoissonOnChip({ rate: 10 }), { label: 'odd' });
    expect((await rejected(pynn.ParameterError, () => pynn.run(10))).message).toMatch(/'odd'.*not a power of two/);
    await pynn.end();
    pynn.setup(IDEAL);
    new pynn.Population(256, new pynn.SpikeSourcePoissonOnChip({ rate: 1e6 }), { label: 'fast' });
    expect((await rejected(pynn.ParameterError, () => pynn.run(10))).message).toMatch(/'fast'.*no generator setting/);
    await pynn.end();
    pynn.setup(IDEAL);
    for (let k = 0; k < 5; k++) new pynn.Population(2, new pynn.SpikeSourcePoissonOnChip({ rate: 10 }), { label: `bg${k}` });
    expect((await rejected(pynn.ParameterError, () => pynn.run(10))).population).toBe('bg4');
  });
});
