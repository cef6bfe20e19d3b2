// Rules on cells (hardware.md §11.1: a cell type's `plasticity_rule`, read back with
// `Population.get_plasticity_data`): the kernel gets the population's placed neurons; a per-neuron observable (a
// rule-language half.observe) comes back per invocation, with its time, one value per neuron in the population's
// order, wherever the neurons sit (both hemispheres, even and odd columns).
import { defineRule } from '@bss2/ppu';
import { afterEach, describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';
import { IDEAL, thrown } from './support/network.js';

const rateRule = () =>
  new pynn.PlasticityRule({
    // Reading and resetting the rate counters of a hemisphere takes ≈ 65 µs of chip time (§7: 16 cycles per
    // register; the odd half ≈ 32 µs after the even one), so the spikes keep clear of the invocations.
    timer: new pynn.Timer({ start: 10, period: 200, numPeriods: 3 }),
    kernel: defineRule('spike_counts', (k) => k.halves((half) => half.observe('counts', half.rates({ reset: true })))),
  });

describe('rules on cells and Population.getPlasticityData', () => {
  afterEach(() => pynn.end());

  it('a cell rule sees the placed neurons; its per-neuron observable comes back per invocation in the population’s order', async () => {
    // Neuron 0 on the bottom hemisphere (circuit 300: column 44), neuron 1 on an odd column, neuron 2 on column 0.
    pynn.setup({ ...IDEAL, neuronPermutation: [300, 7, 0, 1] });
    const rule = rateRule();
    let placed: readonly pynn.PlacedNeuron[] = [];
    const recording = new pynn.PlasticityRule({
      timer: new pynn.Timer({ start: 10, period: 0, numPeriods: 1 }),
      kernel: ({ neurons }) => {
        placed = neurons;
        return { name: 'nothing', source: '.text\n.globl kernel\nkernel:\n li r3, 0\n blr\n' };
      },
    });
    // Neuron i fires (i + 1)·w times in window w (10..210, 210..410 ms): the counts of invocations at 210 and 410.
    const times = (i: number) => [...Array.from({ length: i + 1 }, (_, j) => 100 + 2 * j), ...Array.from({ length: 2 * (i + 1) }, (_, j) => 300 + 2 * j)];
    const source = new pynn.Population(3, new pynn.SpikeSourceArray({ spike_times: [0, 1, 2].map(times) }), { label: 'source' });
    const relay = new pynn.Population(3, new pynn.HXNeuron({ event_routing_enable_bypass_excitatory: true, excitatory_input_enable: true, plasticity_rule: rule }), { label: 'relay' });
    const other = new pynn.Population(1, new pynn.HXNeuron({ plasticity_rule: recording }), { label: 'other' });
    new pynn.Projection(source, relay, new pynn.OneToOneConnector(), new pynn.StaticSynapse({ weight: 63 }), 'excitatory');
    relay.record('spikes');
    await pynn.run(500);
    expect(relay.getData().segments[0]!.spiketrains.map((s) => s.times.length)).toEqual([3, 6, 9]);
    const data = relay.getPlasticityData('counts');
    expect(data.time_ms.map(Math.round)).toEqual([10, 210, 410]);
    expect(data.values).toEqual([
      [0, 0, 0],
      [1, 2, 3],
      [2, 4, 6],
    ]);
    expect(placed).toEqual([{ population: 'other', index: 0, hemisphere: 0, column: 1 }]);
    expect(thrown(pynn.PlasticityError, () => relay.getPlasticityData('weights')).message).toMatch(/no data of observable 'weights'/);
    expect(thrown(pynn.PlasticityError, () => source.getPlasticityData('counts')).message).toMatch(/no plasticity_rule/);
    expect(thrown(pynn.PlasticityError, () => other.getPlasticityData('counts')).message).toMatch(/no data of observable 'counts'/);
  });

  it('a LIF population carries a rule too: its kernel gets the calibrated neurons’ placement', async () => {
    pynn.setup({ ...IDEAL, neuronPermutation: [257, 2, 3] });
    let placed: readonly pynn.PlacedNeuron[] = [];
    const rule = new pynn.PlasticityRule({
      timer: new pynn.Timer({ start: 5, period: 0, numPeriods: 1 }),
      kernel: ({ neurons }) => {
        placed = neurons;
        return defineRule('idle', () => undefined);
      },
    });
    new pynn.Population(2, new pynn.IF_curr_exp({ plasticity_rule: rule }), { label: 'lif' });
    await pynn.run(20);
    expect(placed).toEqual([
      { population: 'lif', index: 0, hemisphere: 1, column: 1 },
      { population: 'lif', index: 1, hemisphere: 0, column: 2 },
    ]);
  });

  it('a rule both on cells and on a projection is refused before the run', async () => {
    pynn.setup(IDEAL);
    const rule = rateRule();
    const source = new pynn.Population(1, new pynn.SpikeSourceArray({ spike_times: [[5]] }), { label: 'source' });
    const cells = new pynn.Population(1, new pynn.HXNeuron({ plasticity_rule: rule }), { label: 'cells' });
    new pynn.Projection(source, cells, new pynn.OneToOneConnector(), new pynn.PlasticSynapse({ weight: 10, plasticityRule: rule }), 'excitatory', { label: 'plastic' });
    const error = await pynn.run(20).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(pynn.PlasticityError);
    expect((error as Error).message).toMatch(/plasticity_rule of population 'cells' and the rule of projection 'plastic'/);
  });
});
