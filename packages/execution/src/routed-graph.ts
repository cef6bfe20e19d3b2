// From the graph to routing and back: the routing network of a graph, the placed neurons with their specs, the
// labels of external sources, the member behind a recorded spike label; and when a graph may keep the last
// routing (same structure) or needs only new weights (hardware.md §10.2 `requires_routing`).
import { SpikeLabel } from '@bss2/halco';
import {
  type ConfigWrite,
  type Network,
  type Population as RoutedPopulation,
  type Projection,
  type RoutingOptions,
  type RoutingResult,
  requiresRouting,
  routeNetwork,
  updateWeights,
} from '@bss2/routing';
import { GraphError } from './errors.js';
import type { GraphPopulation, NetworkGraph, NeuronRef, NeuronSpec, SpikeRecording } from './graph.js';
import type { InjectedPopulation } from './input-schedule.js';
import type { PlacedNeuron } from './neurons.js';

export interface RoutedGraph {
  readonly graph: NetworkGraph;
  readonly result: RoutingResult;
  /** Everything routing depends on except the weights. */
  readonly key: string;
  /** Distinct for every routing from scratch: the chip's event path is written again when it changes. */
  readonly generation: number;
  readonly placed: readonly PlacedNeuron[];
  /** Per neuron population, member → first circuit. */
  readonly circuits: ReadonlyMap<string, Int32Array>;
  readonly external: readonly InjectedPopulation[];
  readonly hasGenerators: boolean;
  /** Raw 16-bit label → recorded member (null: not recorded), filled as labels arrive. */
  readonly labelCache: Map<number, NeuronRef | null>;
}

/** Whether member `index` records spikes. */
export function recordsSpikes(recording: SpikeRecording | undefined, index: number): boolean {
  return recording === undefined ? false : typeof recording === 'boolean' ? recording : recording[index] === true;
}

function anyRecorded(recording: SpikeRecording | undefined): boolean {
  return recording === undefined ? false : typeof recording === 'boolean' ? recording : recording.some((x) => x);
}

/** Routing's view of a population: the graph's fields without the executor's own. */
function routedPopulation(p: GraphPopulation): RoutedPopulation {
  const { recordSpikes: _record, ...rest } = p;
  if (rest.kind !== 'neurons') return rest;
  const { neurons: _neurons, ...routed } = rest;
  return routed;
}

/** The routing network of a graph: spikes leave the chip for recorded neurons and generators. */
export function routingNetwork(graph: NetworkGraph): Network {
  const recorded = graph.populations.filter((p) => p.kind !== 'external' && anyRecorded(p.recordSpikes)).map((p) => p.name);
  return { populations: graph.populations.map(routedPopulation), projections: graph.projections, recorded };
}

function structureKey(network: Network): string {
  return JSON.stringify([network.populations, network.recorded, network.projections.map((p) => [p.name, p.pre, p.post, p.receptor, p.postCompartment, p.connections.length])]);
}

/** The spec of member `index`, checked. */
function specOf(p: GraphPopulation & { kind: 'neurons' }, index: number): NeuronSpec {
  const spec = Array.isArray(p.neurons) ? (p.neurons as readonly NeuronSpec[])[index] : (p.neurons as NeuronSpec);
  if (spec === undefined || (spec.kind !== 'calibrated' && spec.kind !== 'raw')) {
    throw new GraphError(`population '${p.name}' neuron ${index} has no neuron spec ({ kind: 'calibrated', target } or { kind: 'raw', neuron })`, { population: p.name, index, value: spec });
  }
  return spec;
}

function checkGraph(graph: NetworkGraph): void {
  for (const p of graph.populations) {
    if (p.kind === 'neurons' && Array.isArray(p.neurons) && p.neurons.length !== p.size) {
      throw new GraphError(`population '${p.name}' has size ${p.size} but ${p.neurons.length} neuron specs`, { population: p.name, value: p.neurons.length });
    }
    if (Array.isArray(p.recordSpikes) && p.recordSpikes.length !== p.size) {
      throw new GraphError(`population '${p.name}' has size ${p.size} but recordSpikes lists ${p.recordSpikes.length} members`, { population: p.name, value: p.recordSpikes.length });
    }
  }
}

/** Routes a graph from scratch. */
export function routeGraph(graph: NetworkGraph, options: RoutingOptions): RoutedGraph {
  checkGraph(graph);
  const network = routingNetwork(graph);
  const result = routeNetwork(network, options);
  return placedGraph(graph, result, structureKey(network));
}

let generations = 0;

function placedGraph(graph: NetworkGraph, result: RoutingResult, key: string, generation = ++generations): RoutedGraph {
  const placed: PlacedNeuron[] = [];
  const circuits = new Map<string, Int32Array>();
  const external: InjectedPopulation[] = [];
  for (const p of graph.populations) {
    if (p.kind === 'neurons') {
      const first = new Int32Array(p.size);
      result.logicalNeurons(p.name).forEach((logical, index) => {
        const atomic = logical.atomicNeurons().map((a) => a.value);
        first[index] = atomic[0]!;
        placed.push({ population: p.name, index, circuits: atomic, spec: specOf(p, index) });
      });
      circuits.set(p.name, first);
    } else if (p.kind === 'external') {
      const recording = p.recordSpikes;
      external.push({ name: p.name, size: p.size, labels: result.inputLabels(p.name), recorded: (i) => recordsSpikes(recording, i) });
    }
  }
  return { graph, result, key, generation, placed, circuits, external, hasGenerators: graph.populations.some((p) => p.kind === 'background'), labelCache: new Map() };
}

/**
 * The routing of `graph` given the last one: the same if nothing routing depends on changed, the same with new
 * weights (and the synapse writes realising them) if only weights changed and they fit the routed synapses, else
 * routed anew.
 */
export function rerouteGraph(previous: RoutedGraph | undefined, graph: NetworkGraph, options: RoutingOptions): { routed: RoutedGraph; changed: boolean; weightWrites: ConfigWrite[] } {
  if (previous === undefined) return { routed: routeGraph(graph, options), changed: true, weightWrites: [] };
  checkGraph(graph);
  const network = routingNetwork(graph);
  const key = structureKey(network);
  const changedProjections = key === previous.key ? projectionsWithNewWeights(previous.graph.projections, graph.projections) : undefined;
  if (changedProjections !== undefined) {
    const samePlacement = graph.populations.every((p, i) => p === previous.graph.populations[i]);
    const next = samePlacement ? { ...previous, graph, labelCache: graph === previous.graph ? previous.labelCache : new Map<number, NeuronRef | null>() } : placedGraph(graph, previous.result, key, previous.generation);
    if (changedProjections.length === 0) return { routed: next, changed: false, weightWrites: [] };
    if (!requiresRouting(previous.result, network)) {
      let result = previous.result;
      const writes: ConfigWrite[] = [];
      for (const projection of changedProjections) {
        const update = updateWeights(result, projection.name, projection.connections.map((c) => c.weight));
        result = update.result;
        for (const w of update.writes) writes.push(w);
      }
      return { routed: { ...next, result }, changed: false, weightWrites: writes };
    }
  }
  return { routed: routeGraph(graph, options), changed: true, weightWrites: [] };
}

/** Projections whose weights differ (same connections otherwise), or undefined if any connection moved. */
function projectionsWithNewWeights(before: readonly Projection[], after: readonly Projection[]): Projection[] | undefined {
  const changed: Projection[] = [];
  for (let i = 0; i < after.length; i++) {
    const a = before[i]!;
    const b = after[i]!;
    if (a === b || a.connections === b.connections) continue;
    let weights = false;
    for (let k = 0; k < b.connections.length; k++) {
      const x = a.connections[k]!;
      const y = b.connections[k]!;
      if (x.pre !== y.pre || x.post !== y.post) return undefined;
      if (x.weight !== y.weight) weights = true;
    }
    if (weights) changed.push(b);
  }
  return changed;
}

/** The recorded member behind a spike label, or undefined (not recorded, or no source of this graph). */
export function memberOfLabel(routed: RoutedGraph, label: number): NeuronRef | undefined {
  let member = routed.labelCache.get(label);
  if (member === undefined) {
    const location = routed.result.populationOf(new SpikeLabel(label));
    const population = location === undefined || !location.recorded ? undefined : routed.graph.populations.find((p) => p.name === location.population);
    member = population === undefined || !recordsSpikes(population.recordSpikes, location!.index) ? null : { population: population.name, index: location!.index };
    routed.labelCache.set(label, member);
  }
  return member ?? undefined;
}
