// Reading a chip's event-path configuration back and checking what it realises against a routed network: shared
// by the read-back properties of routing (tools/test/routing-readback.property.test.ts) and pynn
// (tools/test/pynn-readback.property.test.ts).
import {
  BackgroundSpikeSourceOnDLS,
  ColumnCurrentQuadOnDLS,
  CommonPADIBusConfigOnDLS,
  CrossbarNodeOnDLS,
  NeuronBackendConfigOnDLS,
  SynapseDriverOnDLS,
  SynramOnDLS,
  type Coordinate,
} from '@bss2/halco';
import type { Connection } from '@bss2/hxcomm';
import { BackgroundSpikeSource, ColumnCurrentQuad, CommonPADIBusConfig, CrossbarNode, NeuronBackendConfig, SynapseDriverConfig, SynapseMatrix } from '@bss2/lola';
import { realisedConnectivity, requestedConnectivity, type ConfigurationLookup, type NetworkNeuron, type RoutingResult, type WeightedConnection } from '@bss2/routing';
import { PlaybackProgramBuilder, run, type ContainerClass, type ContainerTicket } from '@bss2/stadls';
import { expect } from 'vitest';

/** What `realisedConnectivity` looks at, every unit of it. All of them are readable on the simulated chip. */
const EVENT_PATH: readonly (readonly [readonly Coordinate[], ContainerClass])[] = (
  [
    [CrossbarNodeOnDLS.all(), CrossbarNode],
    [CommonPADIBusConfigOnDLS.all(), CommonPADIBusConfig],
    [SynapseDriverOnDLS.all(), SynapseDriverConfig],
    [ColumnCurrentQuadOnDLS.all(), ColumnCurrentQuad],
    [SynramOnDLS.all(), SynapseMatrix],
    [BackgroundSpikeSourceOnDLS.all(), BackgroundSpikeSource],
    [NeuronBackendConfigOnDLS.all(), NeuronBackendConfig],
  ] as const
).map(([coordinates, type]) => [[...(coordinates as Iterable<Coordinate>)], type as ContainerClass] as const);

/** Reads the whole event path of the chip behind `connection` in one program; returns it as a lookup. */
export async function readEventPath(connection: Connection): Promise<ConfigurationLookup> {
  const reading = new PlaybackProgramBuilder();
  const tickets = new Map<string, ContainerTicket>();
  for (const [coordinates, type] of EVENT_PATH) {
    for (const coordinate of coordinates) tickets.set(coordinate.toString(), reading.read(coordinate, type));
  }
  await run(connection, reading.done());
  const read = new Map([...tickets].map(([key, ticket]) => [key, ticket.get()]));
  return (coordinate) => {
    const container = read.get(coordinate.toString());
    if (container === undefined) throw new Error(`${coordinate.toString()} was not read back`);
    return container;
  };
}

/** `population[index]`. */
export const neuronKey = (n: NetworkNeuron): string => `${n.population}[${n.index}]`;
const key = neuronKey;
const synapseKey = (s: { hemisphere: SynramOnDLS; row: { value: number }; column: { value: number } }) => `${s.hemisphere.value}|${s.row.value}|${s.column.value}`;
export const nonZero = (connections: readonly WeightedConnection[]): WeightedConnection[] => connections.filter((c) => c.weight !== 0);

/**
 * The chip realises exactly what the routed network asks for: the same summed weight per (pre, post, compartment,
 * receptor), every placed synapse reached by its own source only, no other synapse of non-zero weight reached,
 * no synapse reached by two sources, and every recorded event names its source. Returns the realised
 * connections (non-zero) for further comparison.
 */
export function expectChipRealises(result: RoutingResult, chip: ConfigurationLookup): WeightedConnection[] {
  const realised = realisedConnectivity(result, chip);
  expect(nonZero(realised.connections)).toEqual(nonZero(requestedConnectivity(result.network)));

  const reached = new Map(realised.synapses.map((s) => [synapseKey(s), s.sources.map(key)]));
  const placed = new Set<string>();
  for (const projection of result.network.projections) {
    result.placedConnections(projection.name).forEach((connection) => {
      for (const synapse of connection.synapses) {
        placed.add(synapseKey(synapse));
        expect(reached.get(synapseKey(synapse)), `${projection.name} ${synapseKey(synapse)}`).toEqual([key({ population: projection.pre, index: connection.pre })]);
      }
    });
  }
  // Idle synapses in the rows of a label group of 64 carry labels a member sends (routing README, "Idle
  // synapses"): reached, but with weight 0 they move no charge.
  expect(realised.synapses.filter((s) => s.weight > 0 && !placed.has(synapseKey(s))).map(synapseKey)).toEqual([]);
  expect(realised.synapses.filter((s) => s.sources.length !== 1).map(synapseKey)).toEqual([]);
  for (const { source, label } of realised.recorded) expect(result.populationOf(label)).toMatchObject(source);
  return nonZero(realised.connections);
}
