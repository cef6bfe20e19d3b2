// Mapping back: recorded spikes reach the right population and index (hardware.md §10.2, "results back from
// hardware ids to populations"), for several populations, views and assemblies, on-chip sources, neurons that
// are not recorded, and under a neuron permutation (placement changes, results do not). Every bypass neuron
// here fires at a time that names it: its spikes show where the chip's events were mapped to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';
import { IDEAL, bypassNeuron, circuitOf, spikeTimes } from './support/network.js';

interface Net {
  readonly populations: readonly pynn.Population[];
  readonly silent: pynn.Population;
  readonly assemblyIn: pynn.Population;
  readonly assemblyOut: pynn.Assembly;
}

const SIZES = [3, 2, 4];
/** Neuron j of population k fires at 1 + 10k + j ms. */
const firingTime = (k: number, j: number) => 1 + 10 * k + j;

/** Three recorded populations of bypass neurons and a silent (unrecorded) one interleaved in creation order. */
function build(): Net {
  const total = SIZES.reduce((a, b) => a + b, 0);
  const input = new pynn.Population(total, new pynn.SpikeSourceArray({ spike_times: SIZES.flatMap((n, k) => Array.from({ length: n }, (_, j) => [firingTime(k, j)])) }), { label: 'input' });
  const populations: pynn.Population[] = [];
  let silent: pynn.Population | undefined;
  let offset = 0;
  SIZES.forEach((n, k) => {
    const p = new pynn.Population(n, bypassNeuron(), { label: `pop${k}` });
    new pynn.Projection(input.slice(offset, offset + n), p, new pynn.OneToOneConnector(), new pynn.StaticSynapse({ weight: 20 }), 'excitatory', { label: `to pop${k}` });
    populations.push(p);
    offset += n;
    // Between pop0 and pop1: neurons that fire with pop1 but are not recorded (they share its event output).
    if (k === 0) {
      silent = new pynn.Population(2, bypassNeuron(), { label: 'silent' });
      new pynn.Projection(input.slice(SIZES[0]!, SIZES[0]! + 2), silent, new pynn.OneToOneConnector(), new pynn.StaticSynapse({ weight: 20 }), 'excitatory', { label: 'to silent' });
    }
  });
  // A projection between assemblies: pre position i → post position i across population boundaries.
  const assemblyIn = new pynn.Population(5, new pynn.SpikeSourceArray({ spike_times: Array.from({ length: 5 }, (_, i) => [60 + 2 * i]) }), { label: 'assembly input' });
  const left = new pynn.Population(2, bypassNeuron(), { label: 'left' });
  const right = new pynn.Population(3, bypassNeuron(), { label: 'right' });
  const assemblyOut = new pynn.Assembly(right.view([2, 0]), left, right.view([1]));
  new pynn.Projection(assemblyIn, assemblyOut, new pynn.OneToOneConnector(), new pynn.StaticSynapse({ weight: 20 }), 'excitatory', { label: 'assemblies' });
  // The silent neurons project somewhere, so they send events (neurons neither recorded nor presynaptic do not).
  const sink = new pynn.Population(1, new pynn.IF_curr_exp(), { label: 'sink' });
  new pynn.Projection(silent!, sink, new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: 1 }), 'excitatory', { label: 'from silent' });
  for (const p of populations) p.record('spikes');
  assemblyOut.record('spikes');
  return { populations, silent: silent!, assemblyIn, assemblyOut };
}

describe('spikes mapped back to population and index', () => {
  let net: Net;
  let circuits: number[];

  beforeAll(async () => {
    pynn.setup(IDEAL);
    net = build();
    await pynn.run(80);
    circuits = net.populations.flatMap((p) => Array.from({ length: p.size }, (_, j) => circuitOf(p, j)));
  });
  afterAll(() => pynn.end());

  it('each neuron of each population has exactly its own spike', () => {
    net.populations.forEach((p, k) => {
      expect(spikeTimes(p)).toEqual(Array.from({ length: p.size }, (_, j) => [firingTime(k, j)]));
    });
  });

  it('trains carry population label, global id and index; ids are unique and consecutive per population', () => {
    const ids = new Set<number>();
    for (const p of net.populations) {
      const trains = p.getData().segments[0]!.spiketrains;
      trains.forEach((st, j) => expect(st.annotations).toEqual({ source_population: p.label, source_id: p.id(j), source_index: j }));
      p.ids().forEach((m, j) => {
        expect(m).toMatchObject({ population: p, index: j, id: p.firstId + j });
        ids.add(m.id);
      });
      expect([...p].map((m) => m.id)).toEqual(p.ids().map((m) => m.id));
    }
    expect(ids.size).toBe(9);
  });

  it('neurons that are not recorded leave no spikes anywhere, though they send events beside recorded ones', () => {
    expect(net.silent.getData().segments[0]!.spiketrains).toEqual([]);
    // They sit between pop0 and pop1, in the same block of 32 columns (one event output).
    expect([circuitOf(net.silent, 0), circuitOf(net.silent, 1)]).toEqual([3, 4]);
    expect(Math.floor(circuits[SIZES[0]!]! / 32)).toBe(0);
  });

  it('a view records and reads its own members only, in its order', () => {
    const view = net.populations[2]!.view([3, 1]);
    expect(view.getData().name).toBe('view of pop2');
    const trains = view.getData().segments[0]!.spiketrains;
    expect(trains.map((st) => [st.annotations.source_index, Array.from(st.times)])).toEqual([[3, [firingTime(2, 3)]], [1, [firingTime(2, 1)]]]);
    expect(view.mask).toEqual([3, 1]);
    expect(net.populations[2]!.slice(1, 4, 2).mask).toEqual([1, 3]);
  });

  it('an assembly reads the members of several populations in its order', () => {
    const assembly = new pynn.Assembly(net.populations[1]!, net.populations[0]!.view([2]));
    expect(assembly.size).toBe(3);
    expect(assembly.populations().map((p) => p.label)).toEqual(['pop1', 'pop0']);
    const trains = assembly.getData().segments[0]!.spiketrains;
    expect(trains.map((st) => [st.annotations.source_population, st.annotations.source_index, Array.from(st.times)])).toEqual([
      ['pop1', 0, [firingTime(1, 0)]],
      ['pop1', 1, [firingTime(1, 1)]],
      ['pop0', 2, [firingTime(0, 2)]],
    ]);
    expect(net.populations[0]!.concat(net.populations[2]!).size).toBe(7);
  });

  it('a projection onto an assembly connects position i to its i-th member, across populations', () => {
    const trains = net.assemblyOut.getData().segments[0]!.spiketrains;
    expect(trains.map((st) => [st.annotations.source_population, st.annotations.source_index, Array.from(st.times)])).toEqual([
      ['right', 2, [60]],
      ['right', 0, [62]],
      ['left', 0, [64]],
      ['left', 1, [66]],
      ['right', 1, [68]],
    ]);
  });

  it('with a neuron permutation the placement follows it and the results stay the same', async () => {
    await pynn.end();
    // Circuits from the bottom row backwards, then odd columns of the top row.
    const permutation = [...Array.from({ length: 256 }, (_, i) => 511 - i), ...Array.from({ length: 128 }, (_, i) => 2 * i + 1)];
    pynn.setup({ ...IDEAL, neuronPermutation: permutation });
    const permuted = build();
    await pynn.run(80);
    const placed = permuted.populations.flatMap((p) => Array.from({ length: p.size }, (_, j) => circuitOf(p, j)));
    expect(placed).not.toEqual(circuits);
    // Placement in creation order along the permutation: pop0 takes its first 3 entries, silent the next 2, …
    expect(placed).toEqual([511, 510, 509, 506, 505, 504, 503, 502, 501]);
    permuted.populations.forEach((p, k) => expect(spikeTimes(p)).toEqual(Array.from({ length: p.size }, (_, j) => [firingTime(k, j)])));
    expect(permuted.silent.getData().segments[0]!.spiketrains).toEqual([]);
    expect(permuted.assemblyOut.getData().segments[0]!.spiketrains.map((st) => Array.from(st.times))).toEqual([[60], [62], [64], [66], [68]]);
  });
});

describe('on-chip sources mapped back', () => {
  beforeAll(() => pynn.setup(IDEAL));
  afterAll(() => pynn.end());

  it('the spikes of a background Poisson source reach the neuron it projects to, and are recorded under its index', async () => {
    const noise = new pynn.Population(64, new pynn.SpikeSourcePoisson({ rate: 100 }), { label: 'noise' });
    const targets = new pynn.Population(2, bypassNeuron(), { label: 'targets' });
    new pynn.Projection(noise, targets, new pynn.FromListConnector([[5, 0], [40, 1]]), new pynn.StaticSynapse({ weight: 30 }));
    noise.record('spikes');
    targets.record('spikes');
    await pynn.run(100);
    expect(pynn.getBackendStatistics().onChipPoisson).toEqual(['noise']);
    const sources = spikeTimes(noise);
    const fired = spikeTimes(targets);
    expect(sources[5]!.length).toBeGreaterThan(0);
    expect(fired[0]).toEqual(sources[5]);
    expect(fired[1]).toEqual(sources[40]);
    expect(sources[5]).not.toEqual(sources[40]);
  });
});
