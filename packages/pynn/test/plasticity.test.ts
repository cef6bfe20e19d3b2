// The plasticity API of the PyNN layer (hardware.md §11.1): Timer, PlasticityRule, PlasticSynapse,
// StaticRecordingSynapse and their errors; observables per invocation through Projection.getData and
// getObservableData; a kernel stuck in an endless loop as a typed error with the run's data kept.
import { connectInProcess } from '@bss2/hxcomm/in-process';
import { defineRule } from '@bss2/ppu';
import { describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';
import { IDEAL, rejected, thrown } from './support/network.js';

const relayCell = () => new pynn.HXNeuron({ threshold_enable: false, event_routing_enable_bypass_excitatory: true, excitatory_input_enable: true });

describe('plasticity API errors', () => {
  it('Timer, PlasticityRule and the built-in rules refuse bad parameters with PlasticityError', () => {
    pynn.setup(IDEAL);
    expect(thrown(pynn.PlasticityError, () => new pynn.Timer({ start: -1, period: 10, numPeriods: 1 })).message).toMatch(/start -1/);
    expect(thrown(pynn.PlasticityError, () => new pynn.Timer({ start: 0, period: 0, numPeriods: 2 })).message).toMatch(/period 0/);
    expect(thrown(pynn.PlasticityError, () => new pynn.Timer({ start: 0, period: 1, numPeriods: 1.5 })).message).toMatch(/numPeriods 1.5/);
    expect(thrown(pynn.PlasticityError, () => new pynn.Timer({ start: 0, period: 1, numPeriods: 1, stop: 3 } as never)).message).toMatch(/no parameter 'stop'/);
    const timer = new pynn.Timer({ start: 10, period: 10, numPeriods: 3 });
    expect(timer.times()).toEqual([10, 20, 30]);
    expect(timer.toChip()).toEqual({ start_us: 10, period_us: 10, numPeriods: 3 });
    expect(thrown(pynn.PlasticityError, () => new pynn.PlasticityRule({ timer, kernel: 'no kernel' as never })).message).toMatch(/kernel must be/);
    expect(thrown(pynn.PlasticityError, () => new pynn.PlasticityRule({ timer: { start: 0 } as never, kernel: { name: 'k', source: '' } })).message).toMatch(/must be a Timer/);
    expect(thrown(pynn.PlasticityError, () => new pynn.STDP({ timer, etaPlus: 200 })).message).toMatch(/etaPlus 200/);
    expect(thrown(pynn.PlasticityError, () => new pynn.STDP({ timer, variant: 'triplet' as never })).message).toMatch(/variant/);
    expect(thrown(pynn.PlasticityError, () => new pynn.Homeostasis({ timer, targetRate: 1e6 })).message).toMatch(/0..255/);
    expect(thrown(pynn.PlasticityError, () => new pynn.RewardModulatedSTDP({ timer }).setReward(2)).message).toMatch(/reward 2/);
    expect(thrown(pynn.PlasticityError, () => new pynn.PlasticSynapse({ weight: 1, plasticityRule: {} as never })).message).toMatch(/plasticityRule/);
    expect(thrown(pynn.PlasticityError, () => new pynn.StaticRecordingSynapse({ timer, weight: 1, observables: ['voltage' as never] })).message).toMatch(/observables/);
  });

  it('a plastic projection sharing synapse rows with another projection is refused before the run', async () => {
    pynn.setup(IDEAL);
    const source = new pynn.Population(2, new pynn.SpikeSourceArray({ spike_times: [[5], [6]] }), { label: 'source' });
    const a = new pynn.Population(1, relayCell(), { label: 'a' });
    const b = new pynn.Population(1, relayCell(), { label: 'b' });
    const rule = new pynn.STDP({ timer: new pynn.Timer({ start: 5, period: 5, numPeriods: 2 }) });
    new pynn.Projection(source, a, new pynn.AllToAllConnector(), new pynn.PlasticSynapse({ weight: 10, plasticityRule: rule }), 'excitatory', { label: 'plastic' });
    new pynn.Projection(source, b, new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: 10 }), 'excitatory', { label: 'static' });
    const error = await rejected(pynn.PlasticityError, () => pynn.run(20));
    expect(error.message).toMatch(/shares synapse row \d+ with projection 'static'/);
    await pynn.end();
  });
});

describe('observables', () => {
  it('StaticRecordingSynapse records the weights per invocation (getData: per connection, times in ms)', async () => {
    pynn.setup(IDEAL);
    const source = new pynn.Population(3, new pynn.SpikeSourceArray({ spike_times: [[5], [15], [25]] }), { label: 'source' });
    const relay = new pynn.Population(3, relayCell(), { label: 'relay' });
    relay.record('spikes');
    const synapse = new pynn.StaticRecordingSynapse({ timer: new pynn.Timer({ start: 10, period: 10, numPeriods: 3 }), weight: [7, 21, 63], observables: ['weights', 'correlation_causal'] });
    const projection = new pynn.Projection(source, relay, new pynn.OneToOneConnector(), synapse, 'excitatory', { label: 'recorded' });
    await pynn.run(40);
    const weights = projection.getData('weights');
    expect(weights.time_ms.map(Math.round)).toEqual([10, 20, 30]);
    expect(weights.values).toEqual([
      [7, 21, 63],
      [7, 21, 63],
      [7, 21, 63],
    ]);
    // Causal codes: one value per connection, a CADC code.
    const causal = projection.getData('correlation_causal');
    expect(causal.values.flat().every((c) => Number.isInteger(c) && c >= 0 && c <= 255)).toBe(true);
    expect(relay.getData().segments[0]!.spiketrains.map((s) => s.times.length)).toEqual([1, 1, 1]);
    expect(thrown(pynn.PlasticityError, () => projection.getData('voltage')).message).toMatch(/no data of observable 'voltage'/);
    await pynn.end();
  });

  it('a rule-language kernel’s observables come back per invocation with their time; parameters change between runs', async () => {
    pynn.setup(IDEAL);
    const source = new pynn.Population(1, new pynn.SpikeSourceArray({ spike_times: [[5]] }), { label: 'source' });
    const relay = new pynn.Population(1, relayCell(), { label: 'relay' });
    const rule = new pynn.PlasticityRule({
      timer: new pynn.Timer({ start: 5, period: 10, numPeriods: 4 }),
      kernel: ({ rows }) =>
        defineRule('offset', (k) => {
          const offset = k.param('offset', 1);
          k.halves((half) => half.rows(rows, (row) => row.observe('shifted', row.weights().add(row.splat(offset)))));
        }),
      params: { offset: 3 },
    });
    new pynn.Projection(source, relay, new pynn.OneToOneConnector(), new pynn.PlasticSynapse({ weight: 9, plasticityRule: rule }), 'excitatory', { label: 'p' });
    await pynn.run(20);
    rule.setParameter('offset', 30);
    await pynn.run(20);
    const records = rule.getObservableData().get('shifted')!;
    expect(records.map((r) => Math.round(r.time_ms))).toEqual([5, 15, 25, 35]);
    // Neuron 0 sits in column 0 of the top hemisphere: element 0 of the even half of its row.
    expect(records.map((r) => r.top[0])).toEqual([12, 12, 39, 39]);
    await pynn.end();
  });
});

describe('kernel failures', () => {
  it('an endless loop ends at the instruction timeout: PlasticityError naming rule and PPU, the run’s spikes kept', async () => {
    // The chip's instruction timeout made short (chip-sim option; default 10 ms of chip time).
    pynn.setup({ calibration: 'nominal', connection: connectInProcess({ seed: 1, analog: { idealChip: true, ppuTimeout_cycles: 25_000 } }) });
    const source = new pynn.Population(2, new pynn.SpikeSourceArray({ spike_times: [[5, 150], [6, 160]] }), { label: 'source' });
    const relay = new pynn.Population(2, relayCell(), { label: 'relay' });
    relay.record('spikes');
    const rule = new pynn.PlasticityRule({ timer: new pynn.Timer({ start: 10, period: 0, numPeriods: 1 }), kernel: { name: 'endless', source: '.text\n.globl kernel\nkernel:\nspin:\n b spin\n' } });
    new pynn.Projection(source, relay, new pynn.OneToOneConnector(), new pynn.PlasticSynapse({ weight: 20, plasticityRule: rule }), 'excitatory', { label: 'p' });
    const error = await rejected(pynn.PlasticityError, () => pynn.run(200));
    expect(error.message).toMatch(new RegExp(`plasticity rule '${rule.label}' on PPU 0 .*stopped without returning`));
    expect((error.value as { kind: string; ppu: number }[]).map((f) => [f.ppu, f.kind])).toEqual([
      [0, 'fault'],
      [1, 'fault'],
    ]);
    expect(relay.getData().segments[0]!.spiketrains.map((s) => [...s.times].map(Math.round))).toEqual([
      [5, 150],
      [6, 160],
    ]);
    await pynn.end();
  });
});
