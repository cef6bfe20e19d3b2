import {
  AtomicNeuronOnDLS,
  BackgroundSpikeSourceOnDLS,
  ColumnCurrentQuadOnDLS,
  CommonPADIBusConfigOnDLS,
  CrossbarNodeOnDLS,
  NeuronLabel,
  SpikeLabel,
  SynapseDriverOnDLS,
  SynapseOnSynapseRow,
  SynapseRowOnSynram,
  SynramOnDLS,
  type Coordinate,
  type NeuronBackendConfigOnDLS,
} from '@bss2/halco';
import type { Container, LogicalNeuronOnDLS, NeuronBackendConfig, SynapseMatrix } from '@bss2/lola';
import { columnOfCircuit, hemisphereOfCircuit } from './bus-load.js';
import { BACKGROUND_BIT, NEURON_LABEL_MASK, busOfBackgroundLabel, internalNeuronLabel } from './labels.js';
import { RoutingError } from './errors.js';
import type { Network, RoutingOptions } from './network.js';
import type { RoutedState, RoutingStatistics } from './routed-state.js';

/** One configuration write: a lola container at its halco coordinate. */
export interface ConfigWrite {
  readonly coordinate: Coordinate;
  readonly container: Container;
}

/**
 * What routing decides in a neuron's backend config (hardware.md §3.4): its label's low byte and whether its
 * spikes leave the backend. The other fields (refractory time, clocks, …) belong to the neuron model, so this
 * is a patch to merge (`applyBackendPatch`), not a container.
 */
export interface NeuronBackendPatch {
  readonly coordinate: NeuronBackendConfigOnDLS;
  readonly neuron: AtomicNeuronOnDLS;
  readonly addressOut: number;
  readonly enSpikeOut: boolean;
}

/** A backend config with the routing's fields set. */
export function applyBackendPatch(config: NeuronBackendConfig, patch: NeuronBackendPatch): NeuronBackendConfig {
  return config.with({ addressOut: patch.addressOut, enSpikeOut: patch.enSpikeOut });
}

export interface PlacedSynapse {
  readonly hemisphere: SynramOnDLS;
  readonly row: SynapseRowOnSynram;
  readonly column: SynapseOnSynapseRow;
  readonly weight: number;
}

/** A connection as realised: its synapses (one per 63 of weight, §10.2 step 0). */
export interface PlacedConnection {
  readonly pre: number;
  readonly post: number;
  readonly weight: number;
  readonly synapses: readonly PlacedSynapse[];
}

/** The population member behind a circuit or label (§10.2: the mapping back). */
export interface HardwareLocation {
  readonly population: string;
  readonly index: number;
  /** For a circuit: its compartment of the logical neuron. */
  readonly compartment?: number;
  /**
   * Whether the population is recorded. Spikes of a source neuron sharing its event output (32 columns) with a
   * recorded neuron reach the FPGA too; callers drop those with `recorded` false.
   */
  readonly recorded: boolean;
}

const INTERNAL_LABELS = 1 << 11;

function enumerate<C>(type: { readonly size: number; new (value: number): C }): readonly C[] {
  return Array.from({ length: type.size }, (_, i) => new type(i));
}

/** The coordinates `writes()` names, built on first use: coordinates are immutable values. */
interface WriteCoordinates {
  readonly crossbar: readonly CrossbarNodeOnDLS[];
  readonly padi: readonly CommonPADIBusConfigOnDLS[];
  readonly drivers: readonly SynapseDriverOnDLS[];
  readonly columnQuads: readonly ColumnCurrentQuadOnDLS[];
  readonly synrams: readonly SynramOnDLS[];
  readonly generators: readonly BackgroundSpikeSourceOnDLS[];
}

let writeCoordinates: WriteCoordinates | undefined;

function writeCoordinatesOnce(): WriteCoordinates {
  writeCoordinates ??= {
    crossbar: enumerate(CrossbarNodeOnDLS),
    padi: enumerate(CommonPADIBusConfigOnDLS),
    drivers: enumerate(SynapseDriverOnDLS),
    columnQuads: enumerate(ColumnCurrentQuadOnDLS),
    synrams: enumerate(SynramOnDLS),
    generators: enumerate(BackgroundSpikeSourceOnDLS),
  };
  return writeCoordinates;
}

/** Every circuit with its backend config's coordinate, for `backendPatches()`, built on first use. */
interface BackendCoordinates {
  readonly neurons: readonly AtomicNeuronOnDLS[];
  readonly backends: readonly NeuronBackendConfigOnDLS[];
}

let backendCoordinates: BackendCoordinates | undefined;

function backendCoordinatesOnce(): BackendCoordinates {
  if (backendCoordinates === undefined) {
    const neurons = [...AtomicNeuronOnDLS.all()];
    backendCoordinates = { neurons, backends: neurons.map((neuron) => neuron.toNeuronBackendConfigOnDLS()) };
  }
  return backendCoordinates;
}

/** The routed network: containers to write, labels to inject, and the way back from hardware to populations. */
export class RoutingResult {
  readonly #state: RoutedState;
  /** Per internal neuron label (bits 10..0): the emitting circuit, −1 none. */
  readonly #circuitOfLabel = new Int32Array(INTERNAL_LABELS).fill(-1);
  readonly #externalOfLabel = new Map<number, number>();

  constructor(state: RoutedState) {
    this.#state = state;
    const { events } = state;
    for (let circuit = 0; circuit < AtomicNeuronOnDLS.size; circuit++) {
      if (events.spikeOut[circuit] === 1) this.#circuitOfLabel[internalNeuronLabel(columnOfCircuit(circuit) >> 5, events.addressOut[circuit]!)] = circuit;
    }
    events.externalLabel.forEach((label, s) => {
      if (label >= 0) this.#externalOfLabel.set(label, s);
    });
  }

  /** @internal The state behind this result (for `updateWeights` and `requiresRouting`). */
  get state(): RoutedState {
    return this.#state;
  }

  get network(): Network {
    return this.#state.indexed.network;
  }

  get options(): RoutingOptions {
    return this.#state.options;
  }

  get statistics(): RoutingStatistics {
    return this.#state.statistics;
  }

  /** Every container to write, in a safe order: filters and drivers first, synapses next, generators last. */
  writes(): ConfigWrite[] {
    const { synapseConfig: syn, events } = this.#state;
    const at = writeCoordinatesOnce();
    const out: ConfigWrite[] = [];
    const add = (units: readonly Coordinate[], containers: readonly Container[]) => {
      for (let i = 0; i < containers.length; i++) out.push({ coordinate: units[i]!, container: containers[i]! });
    };
    add(at.crossbar, events.crossbar);
    add(at.padi, events.padi);
    add(at.drivers, syn.drivers);
    add(at.columnQuads, syn.columnQuads);
    add(at.synrams, syn.matrices);
    // Enabling a generator starts it (§3.7): last, once every path its events take is configured.
    add(at.generators, events.generators);
    return out;
  }

  /** The backend fields of every circuit (spike output off where nothing needs its spikes). */
  backendPatches(): NeuronBackendPatch[] {
    const { events } = this.#state;
    const { neurons, backends } = backendCoordinatesOnce();
    return neurons.map((neuron, n) => ({
      coordinate: backends[n]!,
      neuron,
      addressOut: events.addressOut[neuron.value]!,
      enSpikeOut: events.spikeOut[neuron.value] === 1,
    }));
  }

  /** The synapse array of one hemisphere as routed (also among `writes()`). */
  synapseMatrix(hemisphere: SynramOnDLS): SynapseMatrix {
    return this.#state.synapseConfig.matrices[hemisphere.value]!;
  }

  #population(name: string, kind?: string): number {
    const index = this.#state.indexed.populationIndex.get(name);
    if (index === undefined) throw new RoutingError(`population '${name}' is not part of the routed network`, { population: name });
    if (kind !== undefined && this.#state.indexed.populations[index]!.kind !== kind) {
      throw new RoutingError(`population '${name}' is not a${kind === 'external' ? 'n' : ''} ${kind} population`, { population: name });
    }
    return index;
  }

  /** Labels to inject for the sources of an external population (undefined: the source has no synapse). */
  inputLabels(population: string): (SpikeLabel | undefined)[] {
    const p = this.#population(population, 'external');
    const first = this.#state.sources.first[p]!;
    const size = this.#state.indexed.populations[p]!.size;
    return Array.from({ length: size }, (_, i) => {
      const label = this.#state.events.externalLabel[first + i]!;
      return label < 0 ? undefined : new SpikeLabel(label);
    });
  }

  inputLabel(population: string, index: number): SpikeLabel | undefined {
    const labels = this.inputLabels(population);
    if (!Number.isInteger(index) || index < 0 || index >= labels.length) {
      throw new RoutingError(`index ${index} is outside population '${population}' (0..${labels.length - 1})`, { population, value: index });
    }
    return labels[index];
  }

  /** The logical neurons of a neuron population, by index. */
  logicalNeurons(population: string): readonly LogicalNeuronOnDLS[] {
    return this.#state.placement.neurons[this.#population(population, 'neurons')]!;
  }

  /** The bus (PADIBusOnPADIBusBlock value, both hemispheres) of a background population. */
  backgroundBus(population: string): number {
    return this.#state.placement.backgroundBus[this.#population(population, 'background')]!;
  }

  /**
   * The population member behind a circuit, a recorded label (SpikeLabel as the FPGA delivers it, or its
   * 14-bit NeuronLabel) or an external input label (SpikeLabel only: its link is part of it).
   */
  populationOf(item: AtomicNeuronOnDLS | SpikeLabel | NeuronLabel): HardwareLocation | undefined {
    const { indexed, placement, sources } = this.#state;
    const location = (population: number, index: number, compartment?: number): HardwareLocation => ({
      population: indexed.populations[population]!.name,
      index,
      ...(compartment === undefined ? {} : { compartment }),
      recorded: indexed.recorded.has(population),
    });
    if (item instanceof AtomicNeuronOnDLS) {
      const p = placement.circuitPopulation[item.value]!;
      return p < 0 ? undefined : location(p, placement.circuitNeuron[item.value]!, placement.circuitCompartment[item.value]!);
    }
    if (item instanceof SpikeLabel) {
      const external = this.#externalOfLabel.get(item.value);
      if (external !== undefined) return location(sources.population[external]!, sources.index[external]!);
    } else if (!(item instanceof NeuronLabel)) {
      throw new RoutingError(`populationOf takes an AtomicNeuronOnDLS, a SpikeLabel or a NeuronLabel, got ${String(item)}`);
    }
    const label = item.value & NEURON_LABEL_MASK;
    if ((label & BACKGROUND_BIT) !== 0) {
      const bus = busOfBackgroundLabel(label);
      const p = placement.backgroundBus.findIndex((b) => b === bus);
      if (p < 0) return undefined;
      const size = indexed.populations[p]!.size;
      const random = (indexed.populations[p] as { mode?: string }).mode === 'regular' ? 0 : size - 1;
      return (label & ~random) === this.#state.events.backgroundLabel[p] ? location(p, label & random) : undefined;
    }
    if (label >= INTERNAL_LABELS) return undefined;
    const circuit = this.#circuitOfLabel[label]!;
    if (circuit < 0) return undefined;
    const p = placement.circuitPopulation[circuit]!;
    return location(p, placement.circuitNeuron[circuit]!);
  }

  /** Every connection of a projection with its placed synapses (§11.1 `placed_connections`). */
  placedConnections(projection: string): PlacedConnection[] {
    const { indexed, synapses, synapseConfig } = this.#state;
    const pi = indexed.projectionIndex.get(projection);
    if (pi === undefined) throw new RoutingError(`projection '${projection}' is not part of the routed network`, { projection });
    const starts = synapses.connectionStart[pi]!;
    return indexed.network.projections[pi]!.connections.map((c, k) => {
      const placed: PlacedSynapse[] = [];
      for (let s = starts[k]!; s < starts[k + 1]!; s++) {
        const circuit = synapses.circuit[s]!;
        placed.push({
          hemisphere: new SynramOnDLS(hemisphereOfCircuit(circuit)),
          row: new SynapseRowOnSynram(synapseConfig.placedRow[s]!),
          column: new SynapseOnSynapseRow(columnOfCircuit(circuit)),
          weight: synapses.weight[s]!,
        });
      }
      return { pre: c.pre, post: c.post, weight: c.weight, synapses: placed };
    });
  }
}
