// Placement (hardware.md §10.1): first fit in creation order over a permutation, logical-neuron shapes,
// explicit placements, background buses 3, 2, 1, 0.
import { AtomicNeuronOnDLS, BackgroundSpikeSourceOnDLS } from '@bss2/halco';
import { BackgroundSpikeSource, LogicalNeuronOnDLS } from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import { routeNetwork, type Network, type Population } from '../src/index.js';
import { expectRealises } from './support/check.js';
import { PAIR, STACK } from './support/random-network.js';

const circuitsOf = (result: ReturnType<typeof routeNetwork>, population: string) => result.logicalNeurons(population).map((n) => n.atomicNeurons().map((c) => c.value));
const only = (populations: Population[]): Network => ({ populations, projections: [] });

describe('first fit', () => {
  it('places populations in creation order on consecutive circuits (identity permutation)', () => {
    const result = routeNetwork(only([{ kind: 'neurons', name: 'a', size: 3 }, { kind: 'external', name: 'x', size: 9 }, { kind: 'neurons', name: 'b', size: 2 }]));
    expect(circuitsOf(result, 'a')).toEqual([[0], [1], [2]]);
    expect(circuitsOf(result, 'b')).toEqual([[3], [4]]);
  });

  it('walks the neuron permutation; circuits it does not list stay unused', () => {
    const neuronPermutation = [511, 7, 300, 0, 256];
    const result = routeNetwork(only([{ kind: 'neurons', name: 'a', size: 2 }, { kind: 'neurons', name: 'b', size: 3 }]), { neuronPermutation });
    expect(circuitsOf(result, 'a')).toEqual([[511], [7]]);
    expect(circuitsOf(result, 'b')).toEqual([[300], [0], [256]]);
    expect(result.statistics.circuits).toBe(5);
  });

  it('logical neurons take the first anchor where the shape is valid and all circuits are free', () => {
    // 127 single circuits fill columns 0..126; a pair anchored at 127 would span columns 127 and 128 (§4).
    const result = routeNetwork(only([{ kind: 'neurons', name: 's', size: 127 }, { kind: 'neurons', name: 'mc', size: 2, shape: PAIR }]));
    expect(circuitsOf(result, 'mc')).toEqual([[128, 129], [130, 131]]);
    expect(result.logicalNeurons('mc').every((n) => n.compartments.equals(PAIR))).toBe(true);
  });

  it('a two-row shape needs both circuits of its column free', () => {
    const result = routeNetwork(only([{ kind: 'neurons', name: 'mc', size: 2, shape: STACK }]), { neuronPermutation: [256, 0, 1, 257, 2] });
    // Anchor 256 is in the bottom row (the shape is 2 rows high), anchor 0 fits: (0, top) and (0, bottom).
    expect(circuitsOf(result, 'mc')).toEqual([[0, 256], [1, 257]]);
    const location = result.populationOf(new AtomicNeuronOnDLS(257));
    expect(location).toEqual({ population: 'mc', index: 1, compartment: 1, recorded: false });
  });

  it('explicit placements are reserved before first fit', () => {
    const placement = [new LogicalNeuronOnDLS(STACK, new AtomicNeuronOnDLS(1))];
    const result = routeNetwork(only([{ kind: 'neurons', name: 'free', size: 3 }, { kind: 'neurons', name: 'fixed', size: 1, placement }]));
    expect(circuitsOf(result, 'fixed')).toEqual([[1, 257]]);
    expect(circuitsOf(result, 'free')).toEqual([[0], [2], [3]]);
  });
});

describe('background populations', () => {
  it('take buses 3, 2, 1, 0 in creation order; generators b and 4 + b run where they have targets', () => {
    const network: Network = {
      populations: [
        { kind: 'neurons', name: 'top', size: 1 },
        { kind: 'background', name: 'b0', size: 4, period: 10, rate: 100, seed: 9 },
        { kind: 'background', name: 'b1', size: 1, mode: 'regular', period: 50 },
        { kind: 'background', name: 'b2', size: 2, period: 10, rate: 1 },
        { kind: 'background', name: 'b3', size: 128, period: 10, rate: 1 },
      ],
      projections: [
        { name: 'p0', pre: 'b0', post: 'top', receptor: 'excitatory', connections: [{ pre: 3, post: 0, weight: 9 }] },
        { name: 'p3', pre: 'b3', post: 'top', receptor: 'inhibitory', connections: [{ pre: 100, post: 0, weight: 2 }] },
      ],
      recorded: ['b1'],
    };
    const result = routeNetwork(network, { neuronPermutation: [0] });
    expect(['b0', 'b1', 'b2', 'b3'].map((b) => result.backgroundBus(b))).toEqual([3, 2, 1, 0]);
    const generators = new Map(
      result.writes().filter((w) => w.coordinate instanceof BackgroundSpikeSourceOnDLS).map((w) => [w.coordinate.value, w.container as BackgroundSpikeSource]),
    );
    const on = [...generators].filter(([, g]) => g.enable).map(([j]) => j).sort();
    // b0 → generator 3 (top target); b3 → generator 0; b1 is recorded without targets: its top generator 2.
    expect(on).toEqual([0, 2, 3]);
    expect(generators.get(3)).toMatchObject({ enableRandom: true, mask: 3, period: 10, rate: 100, seed: 9 });
    expect(generators.get(2)).toMatchObject({ enableRandom: false, mask: 0, period: 50 });
    expect(generators.get(0)!.mask).toBe(127);
    expectRealises(result, network);
  });

  it('a population used in both hemispheres runs both generators with the same seed, mask and label', () => {
    const network: Network = {
      populations: [{ kind: 'neurons', name: 'a', size: 2 }, { kind: 'background', name: 'noise', size: 16, period: 8, rate: 30, seed: 77 }],
      projections: [{ name: 'p', pre: 'noise', post: 'a', receptor: 'excitatory', connections: [{ pre: 1, post: 0, weight: 5 }, { pre: 2, post: 1, weight: 6 }] }],
    };
    const result = routeNetwork(network, { neuronPermutation: [10, 300] });
    const generators = result.writes().filter((w) => w.coordinate instanceof BackgroundSpikeSourceOnDLS && (w.container as BackgroundSpikeSource).enable);
    expect(generators.map((g) => g.coordinate.value)).toEqual([3, 7]);
    const [top, bottom] = generators.map((g) => g.container as BackgroundSpikeSource);
    expect(bottom!.equals(top)).toBe(true);
    expectRealises(result, network);
  });
});
