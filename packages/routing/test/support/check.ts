import { AtomicNeuronOnDLS, SpikeLabel } from '@bss2/halco';
import { expect } from 'vitest';
import type { Network, RoutingResult } from '../../src/index.js';
import { nonZero, requestedWeights, sourceKey, traceEventPath } from './oracle.js';

/**
 * The routed configuration realises exactly the requested connectivity: per (pre, post, compartment,
 * receptor) the charge the oracle sees equals the requested weight; every placed synapse is reached by its
 * own source and by no other (so a weight update cannot leak); recorded spikes map back to their sources.
 */
export function expectRealises(result: RoutingResult, network: Network): void {
  const trace = traceEventPath(result, network);
  expect(nonZero(trace.weights)).toEqual(nonZero(requestedWeights(network)));

  for (const projection of network.projections) {
    result.placedConnections(projection.name).forEach((placed, k) => {
      const requested = projection.connections[k]!;
      expect(placed.weight).toBe(requested.weight);
      // Routing gives max(1, ⌈w / 63⌉) synapses; a later weight update may leave some of them at 0.
      expect(placed.synapses.length).toBeGreaterThanOrEqual(Math.max(1, Math.ceil(requested.weight / 63)));
      expect(placed.synapses.reduce((s, x) => s + x.weight, 0)).toBe(requested.weight);
      const pre = sourceKey({ population: projection.pre, index: requested.pre });
      for (const synapse of placed.synapses) {
        const reached = trace.synapseSources.get(`${synapse.hemisphere.value}|${synapse.row.value}|${synapse.column.value}`);
        expect([...(reached ?? [])]).toEqual([pre]);
      }
    });
  }

  const recordedNames = new Set(network.recorded ?? []);
  const seen = new Map<string, number>();
  for (const { source, label } of trace.recorded) {
    const back = result.populationOf(new SpikeLabel(label));
    expect(back).toMatchObject({ population: source.population, index: source.index });
    expect(back!.recorded).toBe(recordedNames.has(source.population));
    if (back!.recorded) seen.set(sourceKey(source), (seen.get(sourceKey(source)) ?? 0) + 1);
  }
  for (const p of network.populations) {
    expect(p.kind === 'external' && trace.recorded.some((r) => r.source.population === p.name)).toBe(false);
    if (!recordedNames.has(p.name)) continue;
    for (let i = 0; i < p.size; i++) expect(seen.get(sourceKey({ population: p.name, index: i }))).toBe(1);
  }

  for (const p of network.populations) {
    if (p.kind !== 'neurons') continue;
    result.logicalNeurons(p.name).forEach((placed, index) =>
      placed.toAtomicNeurons().forEach((members, compartment) => {
        for (const circuit of members) {
          expect(result.populationOf(new AtomicNeuronOnDLS(circuit.value))).toEqual({ population: p.name, index, compartment, recorded: recordedNames.has(p.name) });
        }
      }),
    );
  }
}
