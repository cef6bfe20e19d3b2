// Every error of hardware.md §10 (placement, the §10.2 error table, the "rejected before routing" list) is
// raised, typed, and names the offending projection or population and the limit.
import { AtomicNeuronOnDLS } from '@bss2/halco';
import { LogicalNeuronOnDLS } from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import {
  BusInDegreeError,
  BusRowsError,
  InDegreeError,
  NetworkError,
  NetworkRule,
  PlacementError,
  ReceptorError,
  RoutingError,
  UnsuccessfulRouting,
  WeightUpdateError,
  routeNetwork,
  updateWeights,
  type Connection,
  type Network,
  type Population,
  type Projection,
  type RoutingOptions,
} from '../src/index.js';
import { PAIR, STACK } from './support/random-network.js';

const neurons = (name: string, size: number, extra: object = {}): Population => ({ kind: 'neurons', name, size, ...extra });
const external = (name: string, size: number): Population => ({ kind: 'external', name, size });
const background = (name: string, size: number, extra: object = {}): Population => ({ kind: 'background', name, size, period: 100, rate: 10, ...extra });
const projection = (name: string, pre: string, post: string, connections: Connection[], extra: Partial<Projection> = {}): Projection => ({
  name,
  pre,
  post,
  receptor: 'excitatory',
  connections,
  ...extra,
});
const net = (populations: Population[], projections: Projection[] = [], recorded?: string[]): Network => ({ populations, projections, ...(recorded ? { recorded } : {}) });

/** Routes and returns the error, which must be of `type`. */
function failure<E extends RoutingError>(type: new (...args: never[]) => E, network: Network, options?: RoutingOptions): E {
  try {
    routeNetwork(network, options);
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(RoutingError);
    return error as E;
  }
  throw new Error('routing succeeded');
}

function rule(network: Network, expected: NetworkRule): NetworkError {
  const error = failure(NetworkError, network);
  expect(error.rule).toBe(expected);
  return error;
}

describe('rejected before routing (NetworkError)', () => {
  it('names: empty, duplicate population, duplicate projection', () => {
    rule(net([neurons('', 1)]), NetworkRule.invalidName);
    expect(rule(net([neurons('a', 1), external('a', 2)]), NetworkRule.duplicateName).population).toBe('a');
    expect(rule(net([neurons('a', 1)], [projection('p', 'a', 'a', []), projection('p', 'a', 'a', [])]), NetworkRule.duplicateName).projection).toBe('p');
  });

  it('sizes must be positive integers', () => {
    expect(rule(net([neurons('a', 0)]), NetworkRule.invalidSize).population).toBe('a');
    rule(net([external('x', 1.5)]), NetworkRule.invalidSize);
  });

  it('unknown populations in projections and recordings', () => {
    expect(rule(net([neurons('a', 1)], [projection('p', 'ghost', 'a', [])]), NetworkRule.unknownPopulation).projection).toBe('p');
    rule(net([neurons('a', 1)], [], ['ghost']), NetworkRule.unknownPopulation);
  });

  it('a projection onto an off-chip population', () => {
    const e = rule(net([neurons('a', 1), external('x', 1)], [projection('p', 'a', 'x', [{ pre: 0, post: 0, weight: 1 }])]), NetworkRule.offChipTarget);
    expect(e).toMatchObject({ projection: 'p', population: 'x' });
    rule(net([neurons('a', 1), background('b', 1, { mode: 'regular' })], [projection('p', 'a', 'b', [])]), NetworkRule.offChipTarget);
  });

  it('an index out of range names the population and its range', () => {
    const pre = rule(net([external('x', 3), neurons('a', 2)], [projection('p', 'x', 'a', [{ pre: 3, post: 0, weight: 1 }])]), NetworkRule.indexOutOfRange);
    expect(pre).toMatchObject({ projection: 'p', population: 'x', limit: 2, value: 3 });
    const post = rule(net([external('x', 3), neurons('a', 2)], [projection('p', 'x', 'a', [{ pre: 0, post: -1, weight: 1 }])]), NetworkRule.indexOutOfRange);
    expect(post).toMatchObject({ projection: 'p', population: 'a', limit: 1 });
  });

  it('weights are non-negative integers in hardware units', () => {
    rule(net([neurons('a', 1)], [projection('p', 'a', 'a', [{ pre: 0, post: 0, weight: -1 }])]), NetworkRule.invalidWeight);
    rule(net([neurons('a', 1)], [projection('p', 'a', 'a', [{ pre: 0, post: 0, weight: 2.5 }])]), NetworkRule.invalidWeight);
  });

  it('a duplicate (pre, post, receptor) connection', () => {
    const e = rule(net([neurons('a', 2)], [projection('p', 'a', 'a', [{ pre: 0, post: 1, weight: 1 }, { pre: 1, post: 1, weight: 1 }, { pre: 0, post: 1, weight: 2 }])]), NetworkRule.duplicateConnection);
    expect(e.message).toMatch(/connection 2: \(pre 0, post 1, excitatory\) is connected twice \(first at connection 0\)/);
  });

  it('receptors and compartments', () => {
    rule(net([neurons('a', 1)], [projection('p', 'a', 'a', [], { receptor: 'modulatory' as 'excitatory' })]), NetworkRule.invalidReceptors);
    rule(net([neurons('a', 1, { shape: STACK, receptors: [[['excitatory']]] })]), NetworkRule.invalidReceptors);
    const e = rule(net([neurons('a', 1, { shape: PAIR })], [projection('p', 'a', 'a', [], { postCompartment: 1 })]), NetworkRule.invalidCompartment);
    expect(e).toMatchObject({ projection: 'p', limit: 0, value: 1 });
  });

  it('background populations: power-of-two size up to 256 (Poisson), 1 (regular), field ranges', () => {
    expect(rule(net([background('b', 3)]), NetworkRule.invalidBackground)).toMatchObject({ population: 'b', value: 3 });
    rule(net([background('b', 512)]), NetworkRule.invalidBackground);
    rule(net([background('b', 2, { mode: 'regular' })]), NetworkRule.invalidBackground);
    rule(net([background('b', 1, { period: 0 })]), NetworkRule.invalidBackground);
    rule(net([background('b', 1, { rate: 256 })]), NetworkRule.invalidBackground);
    rule(net([background('b', 1, { seed: -1 })]), NetworkRule.invalidBackground);
    rule(net([background('b', 1, { hemispheres: ['top', 'top'] })]), NetworkRule.invalidBackground);
  });

  it('a background source that cannot reach the target hemisphere', () => {
    const network = net(
      [background('b', 4, { hemispheres: ['top'] }), neurons('a', 1)],
      [projection('p', 'b', 'a', [{ pre: 0, post: 0, weight: 1 }])],
    );
    // The permutation puts the neuron in the bottom row, where only generator 4 + bus could feed it.
    const e = failure(NetworkError, network, { neuronPermutation: [300] });
    expect(e.rule).toBe(NetworkRule.unreachableHemisphere);
    expect(e).toMatchObject({ projection: 'p', population: 'b' });
  });

  it('external populations cannot be recorded', () => {
    expect(rule(net([external('x', 1)], [], ['x']), NetworkRule.invalidRecording).population).toBe('x');
  });

  it('explicit placements must list one LogicalNeuronOnDLS per neuron', () => {
    rule(net([neurons('a', 2, { placement: [] })]), NetworkRule.invalidPlacement);
  });
});

describe('placement errors (§10.1)', () => {
  it('"Cannot register more than N neuron circuits", naming the population', () => {
    const e = failure(PlacementError, net([neurons('a', 300), neurons('b', 213)]));
    expect(e.message).toMatch(/^Cannot register more than 512 neuron circuits: population 'b' neuron 212/);
    expect(e).toMatchObject({ population: 'b', limit: 512 });
    const short = failure(PlacementError, net([neurons('a', 4)]), { neuronPermutation: [5, 6, 7] });
    expect(short.message).toMatch(/^Cannot register more than 3 neuron circuits/);
  });

  it('"LogicalNeuron cannot be placed" when no anchor of the permutation fits the shape', () => {
    const e = failure(PlacementError, net([neurons('mc', 1, { shape: PAIR })]), { neuronPermutation: [0, 2, 4, 6] });
    expect(e.message).toMatch(/^LogicalNeuron cannot be placed: population 'mc' neuron 0/);
    expect(e.population).toBe('mc');
  });

  it('invalid permutations: too many, repeated, out-of-range entries', () => {
    expect(failure(PlacementError, net([neurons('a', 1)]), { neuronPermutation: Array.from({ length: 513 }, (_, i) => i % 512) }).message).toMatch(/lists 513 circuits/);
    expect(failure(PlacementError, net([neurons('a', 1)]), { neuronPermutation: [1, 2, 1] }).message).toMatch(/lists circuit 1 twice/);
    expect(failure(PlacementError, net([neurons('a', 1)]), { neuronPermutation: [512] }).message).toMatch(/neuronPermutation\[0\] = 512/);
    expect(failure(PlacementError, net([neurons('a', 1)]), { neuronPermutation: [0.5] }).value).toBe(0.5);
  });

  it('a neuron location in two populations', () => {
    const at = (n: number) => new LogicalNeuronOnDLS(STACK, new AtomicNeuronOnDLS(n));
    const e = failure(PlacementError, net([neurons('a', 1, { placement: [at(3)] }), neurons('b', 1, { placement: [at(3)] })]));
    expect(e.message).toMatch(/placed twice: population 'a' neuron 0 and population 'b' neuron 0/);
  });

  it('more than four on-chip background populations', () => {
    const e = failure(PlacementError, net([0, 1, 2, 3, 4].map((i) => background(`b${i}`, 1))));
    expect(e).toMatchObject({ population: 'b4', limit: 4, value: 5 });
  });
});

describe('routing errors (§10.2 error table)', () => {
  it('step 0: "No neuron on compartment features receptor requested by projection."', () => {
    const network = net(
      [external('x', 1), neurons('mc', 1, { shape: STACK, receptors: [[['excitatory']], [['excitatory']]] })],
      [projection('inh', 'x', 'mc', [{ pre: 0, post: 0, weight: 5 }], { receptor: 'inhibitory' })],
    );
    const e = failure(ReceptorError, network);
    expect(e.message).toMatch(/^No neuron on compartment features receptor requested by projection\. Projection 'inh'/);
    expect(e).toMatchObject({ projection: 'inh', population: 'mc' });
  });

  it('step 1: in-degree larger than the number of synapse rows (256)', () => {
    const connections = Array.from({ length: 129 }, (_, i) => ({ pre: i, post: 0, weight: 100 }));
    const e = failure(InDegreeError, net([external('x', 129), neurons('a', 1)], [projection('wide', 'x', 'a', connections)]));
    expect(e.message).toMatch(/^Neuron\(s\) with in-degree larger than the number of synapse rows exist: 'a' neuron 0/);
    expect(e).toMatchObject({ population: 'a', projection: 'wide', limit: 256, value: 258 });
  });

  it('step 1: in-degree on a single PADI bus larger than its 64 rows', () => {
    // A background population feeds one bus; 33 weights of 100 take 66 rows of it.
    const connections = Array.from({ length: 33 }, (_, i) => ({ pre: i, post: 0, weight: 100 }));
    const e = failure(BusInDegreeError, net([background('noise', 64), neurons('a', 1)], [projection('bg', 'noise', 'a', connections)]));
    expect(e.message).toMatch(/^In-degree on a single PADI bus larger than its synapse rows: 'a' neuron 0 .* receives 66 synapses from sources on PADI bus 3 of the top hemisphere/);
    expect(e).toMatchObject({ population: 'a', projection: 'bg', limit: 64, value: 66, bus: 3 });
  });

  it('step 1: required rows of a PADI bus larger than its 64 rows', () => {
    const exc = Array.from({ length: 40 }, (_, i) => ({ pre: i, post: 0, weight: 1 }));
    const inh = Array.from({ length: 30 }, (_, i) => ({ pre: i, post: 1, weight: 1 }));
    const e = failure(
      BusRowsError,
      net([background('noise', 64), neurons('a', 2)], [projection('e', 'noise', 'a', exc), projection('i', 'noise', 'a', inh, { receptor: 'inhibitory' })]),
    );
    expect(e.message).toMatch(/^Required rows of a PADI bus larger than its synapse rows: PADI bus 3 of the top hemisphere needs 40 excitatory \+ 30 inhibitory rows = 70/);
    expect(e).toMatchObject({ projection: 'e, i', limit: 64, value: 70, bus: 3 });
  });

  it('step 4: "Source distribution not successful" when an external source fits on no bus', () => {
    // 256 neurons in the top row: those of bus b are the indices with ⌊i / 32⌋ % 4 = b. Post 0 hears all of
    // buses 0–2 (64 rows each), post 1 all of buses 0, 1, 3: an external source onto both has no free bus.
    const onBuses = (buses: number[], post: number) => Array.from({ length: 256 }, (_, i) => i).filter((i) => buses.includes(Math.floor(i / 32) % 4)).map((pre) => ({ pre, post, weight: 1 }));
    const network = net(
      [neurons('pre', 256), neurons('post', 2), external('x', 1)],
      [
        projection('recurrent', 'pre', 'post', [...onBuses([0, 1, 2], 0), ...onBuses([0, 1, 3], 1)]),
        projection('input', 'x', 'post', [{ pre: 0, post: 0, weight: 1 }, { pre: 0, post: 1, weight: 1 }]),
      ],
    );
    const e = failure(UnsuccessfulRouting, network);
    expect(e.step).toBe('source distribution');
    expect(e.message).toMatch(/^Source distribution not successful: external source 'x' 0 \(projections 'input', 2 synapses into the bottom hemisphere\) fits on no PADI bus \(bus 0: the bottom hemisphere would need 33 of its 32 drivers;/);
    expect(e).toMatchObject({ population: 'x', projection: 'input', limit: 32 });
  });

  it('step 4: more groups of 64 external sources than row-select addresses', () => {
    const size = 4 * 32 * 64 + 1;
    const connections = Array.from({ length: size }, (_, i) => ({ pre: i, post: i % 512, weight: 1 }));
    const e = failure(UnsuccessfulRouting, net([external('x', size), neurons('a', 512)], [projection('input', 'x', 'a', connections)]));
    expect(e.step).toBe('source distribution');
    expect(e.message).toMatch(/^Source distribution not successful: external source 'x' 8192 .* fits on no PADI bus \(bus 0: all 32 row-select addresses hold full groups; bus 1: all 32/);
    expect(e).toMatchObject({ population: 'x', projection: 'input' });
  });

  // 17 sources of event output 0 (neurons 0..16) and 17 of output 4 (128..144) share bus 0; weights of 126
  // take two rows each, so each group needs 34 rows = 17 drivers of the bus's 32.
  const crowded = net(
    [neurons('pre', 256), neurons('post', 2)],
    [
      projection('a', 'pre', 'post', Array.from({ length: 17 }, (_, i) => ({ pre: i, post: 0, weight: 126 }))),
      projection('b', 'pre', 'post', Array.from({ length: 17 }, (_, i) => ({ pre: 128 + i, post: 1, weight: 126 }))),
    ],
  );

  it('step 5: "Synapse driver allocations not successful."', () => {
    const e = failure(UnsuccessfulRouting, crowded, { portfolio: ['greedy'] });
    expect(e.step).toBe('driver allocation');
    expect(e.message).toMatch(/^Synapse driver allocations not successful\. PADI bus 0 of the bottom hemisphere needs 34 drivers \(68 rows\)/);
    expect(e).toMatchObject({ limit: 32, value: 34, bus: 4 });
  });

  it('"No router of portfolio was successful." lists every member\'s failure', () => {
    const e = failure(UnsuccessfulRouting, crowded);
    expect(e.step).toBe('portfolio');
    expect(e.message).toMatch(/^No router of portfolio was successful\. greedy: Synapse driver allocations not successful\..* \| backtracking: Synapse driver/);
    expect(e.failures.map((f) => f.step)).toEqual(['driver allocation', 'driver allocation']);
  });
});

describe('weight updates that need routing (WeightUpdateError)', () => {
  const network = net([external('x', 2), neurons('a', 1)], [projection('p', 'x', 'a', [{ pre: 0, post: 0, weight: 70 }, { pre: 1, post: 0, weight: 0 }])]);
  const result = routeNetwork(network);

  it('a weight beyond its synapses names the projection, the capacity and the weight', () => {
    expect(() => updateWeights(result, 'p', [127, 0])).toThrow(WeightUpdateError);
    expect(() => updateWeights(result, 'p', [127, 0])).toThrow(/connection 0 \(pre 0, post 0\): weight 127 needs 3 synapses, it was routed with 2 \(up to 126\)/);
    try {
      updateWeights(result, 'p', [10, 64]);
    } catch (error) {
      expect(error).toMatchObject({ projection: 'p', limit: 63, value: 64 });
    }
  });

  it('wrong length, unknown projection, negative weights', () => {
    expect(() => updateWeights(result, 'p', [1])).toThrow(/has 2 connections, 1 weights given/);
    expect(() => updateWeights(result, 'q', [1, 1])).toThrow(/projection 'q' is not part of the routed network/);
    expect(() => updateWeights(result, 'p', [-1, 0])).toThrow(WeightUpdateError);
  });
});

describe('routing options', () => {
  it('an unknown router or a bad node limit', () => {
    const network = net([neurons('a', 1)]);
    expect(() => routeNetwork(network, { portfolio: ['annealing' as 'greedy'] })).toThrow(/portfolio must be a non-empty list of 'greedy', 'backtracking'/);
    expect(() => routeNetwork(network, { portfolio: [] })).toThrow(RoutingError);
    expect(() => routeNetwork(network, { backtrackingNodeLimit: 0 })).toThrow(/backtrackingNodeLimit must be a positive integer, got 0/);
  });
});
