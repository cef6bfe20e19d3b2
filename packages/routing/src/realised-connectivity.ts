// An independent model of the event path (hardware.md §1.3, §2.4, §2.5, §3.4–§3.7): from the containers of a
// chip configuration it derives which source reaches which synapse and with what weight. It uses only halco,
// lola and the public result types — nothing of the router's chunks, masks or label layouts — so it can check
// the router, and a chip read back after the router's configuration was written.
import {
  BackgroundSpikeSourceOnDLS,
  ColumnCurrentQuadOnDLS,
  CommonPADIBusConfigOnDLS,
  CrossbarNodeOnDLS,
  NeuronBackendConfigOnDLS,
  NeuronColumnOnDLS,
  SpikeLabel,
  SynapseDriverOnDLS,
  SynapseOnSynapseRow,
  SynapseRowOnSynram,
  SynramOnDLS,
  type Coordinate,
} from '@bss2/halco';
import {
  BackgroundSpikeSource,
  ColumnCurrentQuad,
  CommonPADIBusConfig,
  Container,
  CrossbarNode,
  NeuronBackendConfig,
  SynapseDriverConfig,
  SynapseMatrix,
  type SynapseDriverRowMode,
} from '@bss2/lola';
import { RoutingError } from './errors.js';
import type { Network, Receptor } from './network.js';
import { applyBackendPatch, type RoutingResult } from './result.js';

/**
 * The container at a coordinate of the chip configuration: read back from a chip, or taken from what a
 * routing writes (`writtenConfiguration`). `realisedConnectivity` asks for every CrossbarNodeOnDLS,
 * CommonPADIBusConfigOnDLS, SynapseDriverOnDLS, ColumnCurrentQuadOnDLS, SynramOnDLS (a SynapseMatrix),
 * BackgroundSpikeSourceOnDLS and NeuronBackendConfigOnDLS.
 */
export type ConfigurationLookup = (coordinate: Coordinate) => Container;

/** Where a routing put each population (a RoutingResult is one): it names the hardware sources and targets. */
export type RoutedPlacement = Pick<RoutingResult, 'network' | 'logicalNeurons' | 'inputLabels' | 'backgroundBus'>;

/** A member of a population. */
export interface NetworkNeuron {
  readonly population: string;
  readonly index: number;
}

/** The summed weight from one source onto one compartment of one neuron, on one receptor. */
export interface WeightedConnection {
  readonly pre: NetworkNeuron;
  readonly post: NetworkNeuron;
  readonly compartment: number;
  readonly receptor: Receptor;
  readonly weight: number;
}

/** A synapse that some source's events reach: its label matches behind a driver that accepts the event. */
export interface ReachedSynapse {
  readonly hemisphere: SynramOnDLS;
  readonly row: SynapseRowOnSynram;
  readonly column: SynapseOnSynapseRow;
  readonly weight: number;
  /** More than one: sources that share the synapse (a label collision, unless intended). */
  readonly sources: readonly NetworkNeuron[];
}

/** An event that leaves the chip on an FPGA link: its source and the label the FPGA receives. */
export interface RecordedEvent {
  readonly source: NetworkNeuron;
  readonly label: SpikeLabel;
}

export interface RealisedConnectivity {
  /**
   * Every (pre, post, compartment, receptor) joined by a reached synapse whose current flows into the circuit
   * (row mode and column switch), weights summed; weight-0 synapses give entries of weight 0. Sorted.
   */
  readonly connections: readonly WeightedConnection[];
  /** Every reached synapse, sorted by hemisphere, row and column (including those whose current is switched off). */
  readonly synapses: readonly ReachedSynapse[];
  /** Every event that reaches an FPGA link: one per source and crossbar node forwarding its label to a link. */
  readonly recorded: readonly RecordedEvent[];
}

const COLUMNS = NeuronColumnOnDLS.size;

const receptorsOfRowMode: Record<SynapseDriverRowMode, readonly Receptor[]> = {
  disabled: [],
  excitatory: ['excitatory'],
  inhibitory: ['inhibitory'],
  excitatoryAndInhibitory: ['excitatory', 'inhibitory'],
};

function lookUp<C extends Container>(configuration: ConfigurationLookup, coordinate: Coordinate, type: (abstract new (...args: never[]) => C) & { readonly typeName: string }): C {
  const container = configuration(coordinate);
  if (!(container instanceof type)) {
    const held = container instanceof Container ? `a ${container.containerType.typeName}` : String(container);
    throw new RoutingError(`the configuration holds ${held} at ${coordinate.toString()}, expected a ${type.typeName}`);
  }
  return container;
}

function neuronKey(n: NetworkNeuron): string {
  return `${n.population}[${n.index}]`;
}

function compareConnections(a: WeightedConnection, b: WeightedConnection): number {
  return (
    compareText(a.pre.population, b.pre.population) ||
    a.pre.index - b.pre.index ||
    compareText(a.post.population, b.post.population) ||
    a.post.index - b.post.index ||
    a.compartment - b.compartment ||
    compareText(a.receptor, b.receptor)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Adds `weight` to the entry of (pre, post, compartment, receptor). */
function accumulate(into: Map<string, WeightedConnection>, c: WeightedConnection): void {
  const key = `${neuronKey(c.pre)}|${neuronKey(c.post)}|${c.compartment}|${c.receptor}`;
  const previous = into.get(key);
  into.set(key, previous === undefined ? c : { ...previous, weight: previous.weight + c.weight });
}

/**
 * What connectivity does this chip configuration realise? Follows every source's events through the
 * configuration — external sources injected with their input label at the FPGA link of its spl1 address,
 * every circuit whose backend has spike output on (label `(column / 32) << 8 | address_out`), every enabled
 * background generator (one source per value of its random label bits) — across the crossbar filters, the
 * PADI buses' spl1 enables, the drivers' row-select compare, address forwarding and row modes, to the synapses
 * whose label matches, and through the column current switches into the circuits. `placement` only names
 * things: circuits after the populations placed on them, labels after the external sources they belong to,
 * generators after the background population on their bus.
 *
 * Models the routing-relevant path only: the neuron backends' common event registers are assumed on (reset)
 * and nothing analog (pulse widths, STP, biases) is looked at. Throws a RoutingError for a source the
 * placement cannot name (a circuit with spike output that no population occupies, a generator on a bus no
 * background population holds) and for a container of the wrong type.
 */
export function realisedConnectivity(placement: RoutedPlacement, configuration: ConfigurationLookup): RealisedConnectivity {
  const { network } = placement;

  // Column current switches per (hemisphere, column): bit 0 excitatory, bit 1 inhibitory.
  const currentFlows = new Uint8Array(2 * COLUMNS);
  for (const quad of ColumnCurrentQuadOnDLS.all()) {
    const config = lookUp(configuration, quad, ColumnCurrentQuad);
    quad
      .toSynapseQuadColumnOnDLS()
      .toNeuronColumnOnDLS()
      .forEach((column, entry) => {
        currentFlows[quad.toSynramOnDLS().value * COLUMNS + column.value] =
          (config.enableSynapticCurrentExcitatory[entry] ? 1 : 0) | (config.enableSynapticCurrentInhibitory[entry] ? 2 : 0);
      });
  }
  const receptorBit = (r: Receptor) => (r === 'excitatory' ? 1 : 2);

  const padi = [...CommonPADIBusConfigOnDLS.all()].map((c) => lookUp(configuration, c, CommonPADIBusConfig));
  const drivers = [...SynapseDriverOnDLS.all()].map((d) => lookUp(configuration, d, SynapseDriverConfig));
  const matrices = [...SynramOnDLS.all()].map((s) => lookUp(configuration, s, SynapseMatrix));
  const nodesOfInput = new Map<number, { output: number; node: CrossbarNode }[]>();
  for (const node of CrossbarNodeOnDLS.all()) {
    const input = node.toCrossbarInputOnDLS().value;
    if (!nodesOfInput.has(input)) nodesOfInput.set(input, []);
    nodesOfInput.get(input)!.push({ output: node.toCrossbarOutputOnDLS().value, node: lookUp(configuration, node, CrossbarNode) });
  }

  // Which population member and compartment each circuit belongs to, from the placement alone.
  const owner = new Map<number, { neuron: NetworkNeuron; compartment: number }>();
  for (const p of network.populations) {
    if (p.kind !== 'neurons') continue;
    placement.logicalNeurons(p.name).forEach((placed, index) =>
      placed.toAtomicNeurons().forEach((members, compartment) => {
        for (const circuit of members) owner.set(circuit.value, { neuron: { population: p.name, index }, compartment });
      }),
    );
  }

  const connections = new Map<string, WeightedConnection>();
  const reached = new Map<number, { weight: number; sources: Map<string, NetworkNeuron> }>();
  const recorded: RecordedEvent[] = [];

  const onPadiBus = (source: NetworkNeuron, bus: number, neuronLabel: number) => {
    const hemisphere = bus >> 2;
    const busOnBlock = bus & 3;
    if (!padi[hemisphere]!.enableSpl1[busOnBlock]) return;
    const rowSelect = (neuronLabel >> 6) & 31;
    const address = neuronLabel & 63;
    const matrix = matrices[hemisphere]!;
    for (let busIndex = 0; busIndex < 32; busIndex++) {
      const driverOnBlock = 4 * busIndex + busOnBlock;
      const driver = drivers[128 * hemisphere + driverOnBlock]!;
      if (!driver.acceptsEvent(rowSelect, busIndex)) continue;
      // §3.6: without address forwarding only the address MSB reaches the rows.
      const forwarded = driver.enableAddressOut ? address : address & 0x20;
      const rows: [number, SynapseDriverRowMode][] = [
        [2 * driverOnBlock + 1, driver.rowModeTop],
        [2 * driverOnBlock, driver.rowModeBottom],
      ];
      for (const [row, mode] of rows) {
        for (let column = 0; column < COLUMNS; column++) {
          const synapse = row * COLUMNS + column;
          if (matrix.labels[synapse] !== forwarded) continue;
          const weight = matrix.weights[synapse]!;
          const key = hemisphere * COLUMNS * COLUMNS + synapse;
          let entry = reached.get(key);
          if (entry === undefined) reached.set(key, (entry = { weight, sources: new Map() }));
          entry.sources.set(neuronKey(source), source);
          const target = owner.get(hemisphere * COLUMNS + column);
          if (target === undefined) continue;
          for (const receptor of receptorsOfRowMode[mode]) {
            if ((currentFlows[hemisphere * COLUMNS + column]! & receptorBit(receptor)) === 0) continue;
            accumulate(connections, { pre: source, post: target.neuron, compartment: target.compartment, receptor, weight });
          }
        }
      }
    }
  };

  const onCrossbarInput = (source: NetworkNeuron, input: number, neuronLabel: number) => {
    for (const { output, node } of nodesOfInput.get(input) ?? []) {
      if (!node.forwards(neuronLabel)) continue;
      if (output < 8) onPadiBus(source, output, neuronLabel);
      else recorded.push({ source, label: new SpikeLabel(((output - 8) << 14) | neuronLabel) });
    }
  };

  // External sources: injected with their label at FPGA link input 8 + spl1 address (§2.4, §2.5).
  for (const p of network.populations) {
    if (p.kind !== 'external') continue;
    placement.inputLabels(p.name).forEach((label, index) => {
      if (label !== undefined) onCrossbarInput({ population: p.name, index }, 8 + label.spl1Address.value, label.neuronLabel.value);
    });
  }
  // Circuits with spike output: label (column / 32) << 8 | address_out into the crossbar input column / 32 (§1.3).
  for (const coordinate of NeuronBackendConfigOnDLS.all()) {
    const backend = lookUp(configuration, coordinate, NeuronBackendConfig);
    if (!backend.enSpikeOut) continue;
    const circuit = coordinate.toAtomicNeuronOnDLS();
    const who = owner.get(circuit.value);
    if (who === undefined) throw new RoutingError(`${circuit.toString()} has spike output on, but no population is placed on it`);
    const output = circuit.toNeuronEventOutputOnDLS().value;
    onCrossbarInput(who.neuron, output, (output << 8) | backend.addressOut);
  }
  // Background generators: each value of the random label bits is one source, its index those bits (§3.7).
  for (const coordinate of BackgroundSpikeSourceOnDLS.all()) {
    const generator = lookUp(configuration, coordinate, BackgroundSpikeSource);
    if (!generator.enable) continue;
    const bus = coordinate.value % 4;
    const population = network.populations.find((p) => p.kind === 'background' && placement.backgroundBus(p.name) === bus);
    if (population === undefined) throw new RoutingError(`${coordinate.toString()} is enabled, but no background population is on bus ${bus}`);
    const mask = generator.enableRandom ? generator.mask : 0;
    for (let bits = 0; bits <= mask; bits++) {
      if ((bits & ~mask) !== 0) continue;
      onCrossbarInput({ population: population.name, index: bits }, coordinate.toCrossbarInputOnDLS().value, (generator.neuronLabel & ~mask) | bits);
    }
  }

  return {
    connections: [...connections.values()].sort(compareConnections),
    synapses: [...reached.entries()]
      .sort(([a], [b]) => a - b)
      .map(([key, { weight, sources }]) => ({
        hemisphere: new SynramOnDLS(Math.floor(key / (COLUMNS * COLUMNS))),
        row: new SynapseRowOnSynram(Math.floor(key / COLUMNS) % COLUMNS),
        column: new SynapseOnSynapseRow(key % COLUMNS),
        weight,
        sources: [...sources.values()],
      })),
    recorded,
  };
}

/** The connectivity a network asks for, in the form and order of `realisedConnectivity(…).connections`. */
export function requestedConnectivity(network: Network): WeightedConnection[] {
  const connections = new Map<string, WeightedConnection>();
  for (const projection of network.projections) {
    for (const c of projection.connections) {
      accumulate(connections, {
        pre: { population: projection.pre, index: c.pre },
        post: { population: projection.post, index: c.post },
        compartment: projection.postCompartment ?? 0,
        receptor: projection.receptor,
        weight: c.weight,
      });
    }
  }
  return [...connections.values()].sort(compareConnections);
}

/**
 * The configuration a routing writes, as a lookup: its `writes()`, and per circuit a reset NeuronBackendConfig
 * with the routing's backend patch applied. Throws for a coordinate the routing does not configure.
 */
export function writtenConfiguration(result: RoutingResult): ConfigurationLookup {
  const containers = new Map<string, Container>();
  for (const { coordinate, container } of result.writes()) containers.set(coordinate.toString(), container);
  for (const patch of result.backendPatches()) containers.set(patch.coordinate.toString(), applyBackendPatch(new NeuronBackendConfig(), patch));
  return (coordinate) => {
    const container = containers.get(coordinate.toString());
    if (container === undefined) throw new RoutingError(`the routing configures nothing at ${coordinate.toString()}`);
    return container;
  };
}
