// Weight splitting (§10.2 step 0) and the weights-only fast path (`requires_routing` false).
import { SynapseQuadOnDLS, SynramOnDLS } from '@bss2/halco';
import { SynapseWeightQuad } from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import {
  realisedConnectivity,
  requiresRouting,
  routeNetwork,
  splitWeight,
  synapsesForWeight,
  updateWeights,
  writtenConfiguration,
  type Network,
  type RoutingResult,
} from '../src/index.js';
import { expectRealises } from './support/check.js';

const network: Network = {
  populations: [
    { kind: 'external', name: 'x', size: 3 },
    { kind: 'neurons', name: 'a', size: 2 },
  ],
  projections: [
    {
      name: 'in',
      pre: 'x',
      post: 'a',
      receptor: 'excitatory',
      connections: [
        { pre: 0, post: 0, weight: 123 },
        { pre: 1, post: 0, weight: 0 },
        { pre: 2, post: 1, weight: 189 },
      ],
    },
  ],
};

describe('weight splitting', () => {
  it('a weight w takes max(1, ⌈w / 63⌉) synapses, filled with 63 in order, the remainder last', () => {
    expect([0, 1, 63, 64, 123, 126, 127].map(synapsesForWeight)).toEqual([1, 1, 1, 2, 2, 2, 3]);
    expect([0, 1].map((k) => splitWeight(123, k))).toEqual([63, 60]);
    expect([0, 1, 2].map((k) => splitWeight(70, k))).toEqual([63, 7, 0]);
  });

  it('123 → 63 + 60 on two excitatory rows of the same column, both answering the source label', () => {
    const result = routeNetwork(network);
    const [first] = result.placedConnections('in');
    expect(first!.synapses.map((s) => s.weight)).toEqual([63, 60]);
    const [a, b] = first!.synapses;
    expect(a!.column.value).toBe(b!.column.value);
    expect(a!.row.value).not.toBe(b!.row.value);
    const matrix = result.synapseMatrix(SynramOnDLS.top);
    expect(matrix.labels[a!.row.value * 256 + a!.column.value]).toBe(matrix.labels[b!.row.value * 256 + b!.column.value]);
    expect(result.statistics.synapses).toBe(2 + 1 + 3);
    expectRealises(result, network);
  });
});

/** The realised weight x[1] → a[0] (excitatory), undefined when no synapse of x[1] reaches a[0]. */
function weightX1A0(r: RoutingResult): number | undefined {
  return realisedConnectivity(r, writtenConfiguration(r)).connections.find((c) => c.pre.population === 'x' && c.pre.index === 1 && c.post.index === 0)?.weight;
}

describe('weights-only updates', () => {
  const result = routeNetwork(network);

  it('requiresRouting is false for new weights that fit, true for any other change', () => {
    const withWeights = (weights: number[]): Network => ({
      ...network,
      projections: [{ ...network.projections[0]!, connections: network.projections[0]!.connections.map((c, k) => ({ ...c, weight: weights[k]! })) }],
    });
    expect(requiresRouting(result, withWeights([126, 63, 0]))).toBe(false);
    expect(requiresRouting(result, withWeights([127, 0, 0]))).toBe(true);
    expect(requiresRouting(result, withWeights([1, 64, 0]))).toBe(true);
    expect(requiresRouting(result, { ...network, recorded: ['a'] })).toBe(true);
    expect(requiresRouting(result, { ...network, populations: [network.populations[0]!, { kind: 'neurons', name: 'a', size: 3 }] })).toBe(true);
    const extra = { ...network.projections[0]!, connections: [...network.projections[0]!.connections, { pre: 1, post: 1, weight: 1 }] };
    expect(requiresRouting(result, { ...network, projections: [extra] })).toBe(true);
    expect(requiresRouting(result, network, { neuronPermutation: [1, 0] })).toBe(true);
  });

  it('updateWeights writes only the weight quads that change and realises the new weights', () => {
    const update = updateWeights(result, 'in', [123, 40, 100]);
    // Connection 0 is unchanged; connection 1 (one synapse) and connection 2 (63 + 63 + 63 → 63 + 37 + 0) change.
    expect(update.writes.every((w) => w.container instanceof SynapseWeightQuad)).toBe(true);
    const placed = update.result.placedConnections('in');
    const quadOf = (s: (typeof placed)[number]['synapses'][number]) =>
      new SynapseQuadOnDLS(16384 * s.hemisphere.value + 64 * s.row.value + s.column.toSynapseQuadColumnOnDLS().value).value;
    const expected = new Set([quadOf(placed[1]!.synapses[0]!), quadOf(placed[2]!.synapses[1]!), quadOf(placed[2]!.synapses[2]!)]);
    expect(new Set(update.writes.map((w) => w.coordinate.value))).toEqual(expected);
    expect(placed.map((c) => c.synapses.map((s) => s.weight))).toEqual([[63, 60], [40], [63, 37, 0]]);
    expectRealises(update.result, update.result.network);
    // The old result is untouched.
    expect(result.placedConnections('in')[1]!.synapses[0]!.weight).toBe(0);
    expect(weightX1A0(result)).toBe(0);
  });

  it('a weight-0 connection still has a synapse its source reaches, so an update makes it conduct', () => {
    const update = updateWeights(result, 'in', [123, 5, 189]);
    expect(weightX1A0(update.result)).toBe(5);
  });
});
