// Every routing error reachable from pynn (hardware.md §10; @bss2/routing README, "Errors"), raised by prepare()
// and run() with pynn's own labels in `population` / `projection`. Networks as in packages/routing's
// errors.test.ts, built with PyNN objects. The NetworkError rules that pynn's own checks pre-empt are listed
// with the pynn error raised instead.
import { BusInDegreeError, BusRowsError, InDegreeError, NetworkError, NetworkRule, PlacementError, RoutingError, UnsuccessfulRouting } from '@bss2/routing';
import { afterEach, describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';
import { IDEAL, rejected, thrown } from './support/network.js';

/** The labels an error's `projection` names: one label, or several joined by ', '. */
function labels(names: string | undefined): string[] {
  expect(names).toBeDefined();
  return names!.split(', ');
}

/** The routing error of prepare(), of class `type`; run() raises the same. */
async function routingFailure<E extends RoutingError>(type: abstract new (...args: never[]) => E): Promise<E> {
  const error = await rejected(type, () => pynn.prepare());
  expect(error).toBeInstanceOf(RoutingError);
  const again = await rejected(type, () => pynn.run(1));
  expect(again.message).toBe(error.message);
  return error;
}

const neurons = (size: number, label: string) => new pynn.Population(size, new pynn.IF_curr_exp(), { label });
const sources = (size: number, label: string) => new pynn.Population(size, new pynn.SpikeSourceArray(), { label });
/** An on-chip Poisson population: 64 sources at 100 Hz fit a background generator. */
const noise = (label: string) => new pynn.Population(64, new pynn.SpikeSourcePoisson({ rate: 100 }), { label });
const connect = (pre: pynn.BasePopulation, post: pynn.BasePopulation, list: number[][], label: string, receptor: 'excitatory' | 'inhibitory' = 'excitatory') =>
  new pynn.Projection(pre, post, new pynn.FromListConnector(list.map(([i, j, w]) => [i!, j!, receptor === 'inhibitory' ? -w! : w!])), new pynn.StaticSynapse(), receptor, { label });

afterEach(() => pynn.end());

describe('placement (§10.1)', () => {
  it('more than 512 neurons: refused when the population is made, naming it and the limit (before routing)', () => {
    pynn.setup(IDEAL);
    neurons(300, 'first');
    const error = thrown(pynn.ParameterError, () => neurons(213, 'second'));
    expect(error.message).toMatch(/^Population 'second' of 213 neurons would bring the simulator's neuron populations to 513 neurons; the chip has 512/);
    expect(error).toMatchObject({ population: 'second', limit: 512 });
  });

  it('a neuron permutation with fewer circuits than neurons', async () => {
    pynn.setup({ ...IDEAL, neuronPermutation: [5, 6, 7] });
    neurons(4, 'four');
    const error = await routingFailure(PlacementError);
    expect(error.message).toMatch(/^Cannot register more than 3 neuron circuits: population 'four' neuron 3/);
    expect(error.population).toBe('four');
  });

  it('invalid permutations: a repeated circuit, one out of range, too many entries', async () => {
    const cases: [number[], RegExp][] = [
      [[1, 2, 1], /lists circuit 1 twice/],
      [[512], /neuronPermutation\[0\] = 512/],
      [Array.from({ length: 513 }, (_, i) => i % 512), /lists 513 circuits/],
    ];
    for (const [permutation, message] of cases) {
      pynn.setup({ ...IDEAL, neuronPermutation: permutation });
      neurons(1, 'one');
      expect((await routingFailure(PlacementError)).message).toMatch(message);
    }
  });
});

describe('routing (§10.2 error table)', () => {
  it('step 1: more than 256 synapses onto one neuron is an InDegreeError naming neuron and projection', async () => {
    pynn.setup(IDEAL);
    const input = sources(129, 'input');
    const target = neurons(1, 'target');
    // 129 weights of 100 need two synapses each: 258 rows.
    connect(input, target, Array.from({ length: 129 }, (_, i) => [i, 0, 100]), 'wide');
    const error = await routingFailure(InDegreeError);
    expect(error.message).toMatch(/^Neuron\(s\) with in-degree larger than the number of synapse rows exist: 'target' neuron 0/);
    expect(error).toMatchObject({ population: 'target', limit: 256, value: 258 });
    expect(labels(error.projection)).toEqual(['wide']);
  });

  it('step 1: more than 64 synapses onto one neuron from one PADI bus is a BusInDegreeError', async () => {
    pynn.setup(IDEAL);
    const background = noise('noise');
    const target = neurons(1, 'target');
    // An on-chip Poisson population feeds one bus; 33 weights of 100 take 66 of its 64 rows.
    connect(background, target, Array.from({ length: 33 }, (_, i) => [i, 0, 100]), 'from noise');
    const error = await routingFailure(BusInDegreeError);
    expect(error.message).toMatch(/^In-degree on a single PADI bus larger than its synapse rows: 'target' neuron 0 .* receives 66 synapses from sources on PADI bus 3 of the top hemisphere/);
    expect(error).toMatchObject({ population: 'target', limit: 64, value: 66, bus: 3 });
    expect(labels(error.projection)).toEqual(['from noise']);
  });

  it('step 1: neurons of one event output sending 128 synapses onto one neuron is a BusInDegreeError too', async () => {
    pynn.setup(IDEAL);
    const pre = neurons(160, 'pre');
    const target = neurons(1, 'target');
    // Columns 0–31 and 128–159 send on PADI bus 0; weights of 64 take two rows each.
    const senders = [...Array.from({ length: 32 }, (_, i) => i), ...Array.from({ length: 32 }, (_, i) => 128 + i)];
    connect(pre, target, senders.map((i) => [i, 0, 64]), 'recurrent');
    const error = await routingFailure(BusInDegreeError);
    expect(error).toMatchObject({ population: 'target', limit: 64, value: 128, bus: 0 });
    expect(labels(error.projection)).toEqual(['recurrent']);
  });

  it('step 1: more than 64 rows needed on one PADI bus (excitatory + inhibitory) is a BusRowsError naming both projections', async () => {
    pynn.setup(IDEAL);
    const background = noise('noise');
    const targets = neurons(2, 'targets');
    connect(background, targets, Array.from({ length: 40 }, (_, i) => [i, 0, 1]), 'e');
    connect(background, targets, Array.from({ length: 30 }, (_, i) => [i, 1, 1]), 'i', 'inhibitory');
    const error = await routingFailure(BusRowsError);
    expect(error.message).toMatch(/^Required rows of a PADI bus larger than its synapse rows: PADI bus 3 of the top hemisphere needs 40 excitatory \+ 30 inhibitory rows = 70/);
    expect(error).toMatchObject({ limit: 64, value: 70, bus: 3 });
    expect(labels(error.projection)).toEqual(['e', 'i']);
  });

  it('step 4: an external source that fits on no PADI bus is UnsuccessfulRouting("source distribution")', async () => {
    pynn.setup(IDEAL);
    // 256 neurons in the top row; those of bus b are the ones with ⌊i / 32⌋ % 4 = b. Post 0 hears all of buses
    // 0–2 (64 rows each), post 1 all of buses 0, 1, 3: an external source onto both has no free bus.
    const pre = neurons(256, 'pre');
    const post = neurons(2, 'post');
    const input = sources(1, 'x');
    const onBuses = (buses: number[], target: number) => Array.from({ length: 256 }, (_, i) => i).filter((i) => buses.includes(Math.floor(i / 32) % 4)).map((i) => [i, target, 1]);
    connect(pre, post, [...onBuses([0, 1, 2], 0), ...onBuses([0, 1, 3], 1)], 'recurrent');
    connect(input, post, [[0, 0, 1], [0, 1, 1]], 'input');
    const error = await routingFailure(UnsuccessfulRouting);
    expect(error.step).toBe('source distribution');
    expect(error.message).toMatch(/^Source distribution not successful: external source 'x' 0 \(projections 'input', 2 synapses into the bottom hemisphere\) fits on no PADI bus/);
    expect(error).toMatchObject({ population: 'x', limit: 32 });
    expect(labels(error.projection)).toEqual(['input']);
  });

  it('step 5: more drivers than a bus has is UnsuccessfulRouting("portfolio") with every router\'s failure', async () => {
    pynn.setup(IDEAL);
    // 17 sources of event output 0 (neurons 0..16) and 17 of output 4 (128..144) share bus 0; weights of 126
    // take two rows each, so each group needs 34 rows = 17 drivers of the bus's 32.
    const pre = neurons(256, 'pre');
    const post = neurons(2, 'post');
    connect(pre, post, Array.from({ length: 17 }, (_, i) => [i, 0, 126]), 'a');
    connect(pre, post, Array.from({ length: 17 }, (_, i) => [128 + i, 1, 126]), 'b');
    const error = await routingFailure(UnsuccessfulRouting);
    expect(error.step).toBe('portfolio');
    expect(error.message).toMatch(/^No router of portfolio was successful\. greedy: Synapse driver allocations not successful\..* \| backtracking: Synapse driver/);
    expect(error.failures.map((f) => f.step)).toEqual(['driver allocation', 'driver allocation']);
    expect(error.failures[0]!).toMatchObject({ limit: 32, value: 34 });
  });

  it('a routing error leaves the simulator usable: after a fix the network runs', async () => {
    pynn.setup(IDEAL);
    const input = sources(129, 'input');
    const target = neurons(1, 'target');
    const wide = connect(input, target, Array.from({ length: 129 }, (_, i) => [i, 0, 100]), 'wide');
    await routingFailure(InDegreeError);
    wide.set({ weight: 60 });
    await pynn.prepare();
    expect(wide.placedConnections().every((c) => c.synapses.length === 1)).toBe(true);
  });
});

describe('NetworkError rules (rejected before routing)', () => {
  it('derived part names of a split projection that collide with another projection: NetworkError("duplicate name")', async () => {
    pynn.setup(IDEAL);
    // A projection onto an assembly is routed as one part per population pair, named `label (pre → post)`.
    const x = sources(1, 'x');
    const a = neurons(1, 'a');
    const b = neurons(1, 'b');
    connect(x, a, [[0, 0, 1]], 'p (x → a)');
    connect(x, new pynn.Assembly(a, b), [[0, 0, 1], [0, 1, 1]], 'p');
    const error = await routingFailure(NetworkError);
    expect(error.rule).toBe(NetworkRule.duplicateName);
    expect(error.projection).toBe('p (x → a)');
  });

  it('the other rules are pynn errors before routing: names, sizes, off-chip targets, indices, weights, duplicates, recording', async () => {
    pynn.setup(IDEAL);
    const x = sources(2, 'x');
    const a = neurons(2, 'a');
    // invalid / duplicate names, invalid size
    expect(() => new pynn.Population(1, new pynn.IF_curr_exp(), { label: '' })).toThrow(pynn.ParameterError);
    expect(thrown(pynn.SetupError, () => neurons(1, 'a'))).toMatchObject({ population: 'a' });
    expect(() => new pynn.Population(0, new pynn.IF_curr_exp())).toThrow(pynn.ParameterError);
    connect(x, a, [[0, 0, 1]], 'p');
    expect(thrown(pynn.ConnectionError, () => connect(x, a, [[1, 1, 1]], 'p'))).toMatchObject({ projection: 'p' });
    // a projection onto an off-chip population; an index out of range
    expect(() => connect(a, x, [[0, 0, 1]], 'onto source')).toThrow(pynn.ConnectionError);
    expect(() => connect(x, a, [[2, 0, 1]], 'out of range')).toThrow(pynn.ConnectionError);
    // weights: rounded to integers, signs checked; duplicate pairs are merged (their weights add)
    const duplicates = connect(x, a, [[0, 1, 2.4], [0, 1, 40]], 'duplicates');
    // a recorded SpikeSourceArray is recorded on the host, not routed to the FPGA
    x.record('spikes');
    await pynn.prepare();
    expect(duplicates.placedConnections().map((c) => c.weight)).toEqual([42, 42]);
  });
});
