import { AtomicNeuronOnDLS } from '@bss2/halco';
import type { ContainerType } from '@bss2/lola';
import { expect } from 'vitest';
import {
  realisedConnectivity,
  requestedConnectivity,
  writtenConfiguration,
  type ConfigurationLookup,
  type Network,
  type NetworkNeuron,
  type RoutingResult,
  type WeightedConnection,
} from '../../src/index.js';

/** The routing's configuration as a chip would hold it: every container's words decoded by its own type. */
export function asWords(result: RoutingResult): ConfigurationLookup {
  const written = writtenConfiguration(result);
  return (coordinate) => {
    const container = written(coordinate);
    return (container.containerType as ContainerType).decode(container.encode());
  };
}

/** A synapse of weight 0 moves no charge, so only non-zero sums are observable. */
export function nonZero(connections: readonly WeightedConnection[]): WeightedConnection[] {
  return connections.filter((c) => c.weight !== 0);
}

export function neuronKey(n: NetworkNeuron): string {
  return `${n.population}[${n.index}]`;
}

/**
 * The routed configuration realises exactly the requested connectivity: per (pre, post, compartment,
 * receptor) the charge `realisedConnectivity` sees equals the requested weight; every placed synapse is reached
 * by its own source only (so a weight update cannot leak), every other reached synapse has weight 0, no
 * synapse is reached by two sources; recorded spikes map back to their sources.
 */
export function expectRealises(result: RoutingResult, network: Network): void {
  const realised = realisedConnectivity(result, asWords(result));
  expect(nonZero(realised.connections)).toEqual(nonZero(requestedConnectivity(network)));

  const reached = new Map(realised.synapses.map((s) => [`${s.hemisphere.value}|${s.row.value}|${s.column.value}`, s.sources.map(neuronKey)]));
  const placedSynapses = new Set<string>();
  for (const projection of network.projections) {
    result.placedConnections(projection.name).forEach((placed, k) => {
      const requested = projection.connections[k]!;
      expect(placed.weight).toBe(requested.weight);
      // Routing gives max(1, ⌈w / 63⌉) synapses; a later weight update may leave some of them at 0.
      expect(placed.synapses.length).toBeGreaterThanOrEqual(Math.max(1, Math.ceil(requested.weight / 63)));
      expect(placed.synapses.reduce((s, x) => s + x.weight, 0)).toBe(requested.weight);
      const pre = neuronKey({ population: projection.pre, index: requested.pre });
      for (const synapse of placed.synapses) {
        const key = `${synapse.hemisphere.value}|${synapse.row.value}|${synapse.column.value}`;
        placedSynapses.add(key);
        expect(reached.get(key)).toEqual([pre]);
      }
    });
  }
  // Outside the placed synapses a source may reach only synapses of weight 0: the idle synapses of a label group
  // of 64 members carry labels a member sends (README, "Idle synapses"), and they move no charge.
  expect(realised.synapses.filter((s) => s.weight > 0 && !placedSynapses.has(`${s.hemisphere.value}|${s.row.value}|${s.column.value}`))).toEqual([]);
  expect(realised.synapses.filter((s) => s.sources.length !== 1)).toEqual([]);

  const recordedNames = new Set(network.recorded ?? []);
  const seen = new Map<string, number>();
  for (const { source, label } of realised.recorded) {
    const back = result.populationOf(label);
    expect(back).toMatchObject({ population: source.population, index: source.index });
    expect(back!.recorded).toBe(recordedNames.has(source.population));
    if (back!.recorded) seen.set(neuronKey(source), (seen.get(neuronKey(source)) ?? 0) + 1);
  }
  for (const p of network.populations) {
    expect(p.kind === 'external' && realised.recorded.some((r) => r.source.population === p.name)).toBe(false);
    if (!recordedNames.has(p.name)) continue;
    for (let i = 0; i < p.size; i++) expect(seen.get(neuronKey({ population: p.name, index: i }))).toBe(1);
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
