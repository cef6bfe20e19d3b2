// Random small networks that fit are routed without error, and the written configuration realises exactly the
// requested connectivity, checked by `realisedConnectivity`, which follows the event path through the containers alone.
import { SynapseQuadOnDLS } from '@bss2/halco';
import { SynapseWeightQuad } from '@bss2/lola';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { routeNetwork, updateWeights, requiresRouting } from '../src/index.js';
import { expectRealises } from './support/check.js';
import { random, randomNetwork } from './support/random-network.js';

const seed = fc.integer({ min: 1, max: 2 ** 31 - 1 });

describe('routing realises the requested connectivity', () => {
  it('random networks that fit: every (pre, post, receptor) weight arrives, nothing else does', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const { network, options } = randomNetwork(s);
        const result = routeNetwork(network, options);
        expectRealises(result, network);
      }),
      { seed: 20_261_127, numRuns: 80 },
    );
  });

  it('a weights-only update reuses the routing, writes only changed weight quads and realises the new weights', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const { network, options } = randomNetwork(s);
        const result = routeNetwork(network, options);
        const next = random(s ^ 0x5bd1e995);
        let current = result;
        for (const projection of network.projections) {
          const placed = current.placedConnections(projection.name);
          const weights = placed.map((c) => Math.floor(next() * (63 * c.synapses.length + 1)));
          const changed = new Set<number>();
          placed.forEach((c, k) => {
            let rest = weights[k]!;
            for (const syn of c.synapses) {
              const w = Math.min(63, rest);
              rest -= w;
              if (w !== syn.weight) changed.add(new SynapseQuadOnDLS(syn.row.value * 64 + syn.column.toSynapseQuadColumnOnDLS().value + 16384 * syn.hemisphere.value).value);
            }
          });
          const proposed = {
            ...current.network,
            projections: current.network.projections.map((p) => (p.name === projection.name ? { ...p, connections: p.connections.map((c, k) => ({ ...c, weight: weights[k]! })) } : p)),
          };
          expect(requiresRouting(current, proposed, options)).toBe(false);
          const update = updateWeights(current, projection.name, weights);
          expect(update.writes.every((w) => w.container instanceof SynapseWeightQuad && w.coordinate instanceof SynapseQuadOnDLS)).toBe(true);
          expect(new Set(update.writes.map((w) => w.coordinate.value))).toEqual(changed);
          current = update.result;
        }
        expectRealises(current, current.network);
      }),
      { seed: 7, numRuns: 25 },
    );
  });
});
