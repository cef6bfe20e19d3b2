import { AtomicNeuronOnDLS } from '@bss2/halco';
import { nominal } from '@bss2/lola';
import { NetworkError, NetworkRule, ReceptorError } from './errors.js';
import { HEMISPHERES, type BackgroundPopulation, type Connection, type NeuronPopulation } from './network.js';
import { placedNeurons, type Placement } from './placement.js';
import type { Sources } from './sources.js';
import { carriesReceptor, type IndexedNetwork } from './validate.js';

/** Largest weight of one synapse: 6 bit (hardware.md §3.5). */
export const MAX_SYNAPSE_WEIGHT = nominal.synapseWeightMax;

/** Hardware synapses of a logical weight (§10.2 step 0): `max(1, ⌈w / 63⌉)`, so 0 still gets a synapse to update later. */
export function synapsesForWeight(weight: number): number {
  // Most weights fit one synapse: no division for them.
  return weight <= MAX_SYNAPSE_WEIGHT ? 1 : Math.max(1, Math.ceil(weight / MAX_SYNAPSE_WEIGHT));
}

/**
 * The weight of synapse `k` of a connection: its synapses are filled with 63 in order and the remainder goes
 * last (123 → 63 + 60); a smaller weight (an update) leaves the later synapses at 0.
 */
export function splitWeight(weight: number, k: number): number {
  return Math.min(MAX_SYNAPSE_WEIGHT, Math.max(0, weight - k * MAX_SYNAPSE_WEIGHT));
}

/** Every hardware synapse (structure of arrays), contiguous per connection, connections in projection order. */
export interface SynapseList {
  readonly count: number;
  readonly source: Int32Array;
  /** Target circuit, AtomicNeuronOnDLS value. */
  readonly circuit: Int32Array;
  readonly weight: Uint8Array;
  /** 0 excitatory, 1 inhibitory (SynapticInputOnNeuron). */
  readonly receptor: Uint8Array;
  readonly projection: Int32Array;
  /** Per projection: synapses of connection k are `connectionStart[k] .. connectionStart[k + 1] − 1`. */
  readonly connectionStart: readonly Int32Array[];
  /** Per circuit: the number of synapses onto it. */
  readonly inDegree: Int32Array;
}

/** Per post neuron and the projection's compartment: circuits carrying the receptor, per hemisphere allowed. */
function candidateCircuits(placement: Placement, post: NeuronPopulation, postIndex: number, neuron: number, compartment: number, receptor: 'excitatory' | 'inhibitory'): number[] {
  const members = placedNeurons(placement, postIndex, post)[neuron]!.toAtomicNeurons()[compartment]!;
  const circuits: number[] = [];
  members.forEach((circuit, k) => {
    if (carriesReceptor(post, compartment, k, receptor)) circuits.push(circuit.value);
  });
  return circuits;
}

/** Hardware synapses of a connection list. */
function synapseCount(connections: readonly Connection[]): number {
  let count = 0;
  for (let k = 0; k < connections.length; k++) count += synapsesForWeight(connections[k]!.weight);
  return count;
}

/** `onlyCircuit[post]` before the post neuron's candidates are known, and when it has several. */
const UNKNOWN = -2;
const SEVERAL = -1;

/**
 * A projection's targets as step 0 sees them, filled per post neuron on first use by `resolve` (which throws
 * when the neuron has no candidate): its candidate circuits, and the only one when there is just one.
 */
interface Targets {
  readonly candidatesOf: (readonly number[] | undefined)[];
  readonly onlyCircuit: Int32Array;
  readonly resolve: (post: number) => void;
}

/** The candidate with the smallest in-degree so far (the first of equals). */
function leastLoaded(candidates: readonly number[], inDegree: Int32Array): number {
  let best = candidates[0]!;
  for (let i = 1; i < candidates.length; i++) {
    const candidate = candidates[i]!;
    if (inDegree[candidate]! < inDegree[best]!) best = candidate;
  }
  return best;
}

/** The synapses of one projection's connections, written from synapse `s` on; returns the next free one. */
function splitProjection(
  synapses: SynapseList,
  connections: readonly Connection[],
  projection: number,
  receptorCode: number,
  firstSource: number,
  targets: Targets,
  starts: Int32Array,
  s: number,
): number {
  const { source, circuit, weight, receptor, inDegree } = synapses;
  const projectionOf = synapses.projection;
  const { candidatesOf, onlyCircuit, resolve } = targets;
  for (let k = 0; k < connections.length; k++) {
    const c = connections[k]!;
    const post = c.post;
    const w = c.weight;
    starts[k] = s;
    if (onlyCircuit[post] === UNKNOWN) resolve(post);
    const only = onlyCircuit[post]!;
    const from = firstSource + c.pre;
    if (only !== SEVERAL && w <= MAX_SYNAPSE_WEIGHT) {
      // The common case: one synapse (of weight splitWeight(w, 0) = w) onto the target's only circuit.
      inDegree[only]!++;
      source[s] = from;
      circuit[s] = only;
      weight[s] = w;
      receptor[s] = receptorCode;
      projectionOf[s] = projection;
      s++;
      continue;
    }
    const candidates = candidatesOf[post]!;
    const n = synapsesForWeight(w);
    for (let j = 0; j < n; j++, s++) {
      const best = leastLoaded(candidates, inDegree);
      inDegree[best]!++;
      source[s] = from;
      circuit[s] = best;
      weight[s] = splitWeight(w, j);
      receptor[s] = receptorCode;
      projectionOf[s] = projection;
    }
  }
  return s;
}

/**
 * Step 0 of hardware.md §10.2: each connection becomes `max(1, ⌈w / 63⌉)` synapses, each given to the circuit
 * of the target compartment that carries the receptor and has the smallest in-degree so far.
 */
export function splitConnections(indexed: IndexedNetwork, placement: Placement, sources: Sources): SynapseList {
  const projections = indexed.network.projections;
  let count = 0;
  for (const projection of projections) count += synapseCount(projection.connections);
  const connectionStart: Int32Array[] = [];
  const synapses: SynapseList = {
    count,
    source: new Int32Array(count),
    circuit: new Int32Array(count),
    weight: new Uint8Array(count),
    receptor: new Uint8Array(count),
    projection: new Int32Array(count),
    connectionStart,
    inDegree: new Int32Array(AtomicNeuronOnDLS.size),
  };
  let s = 0;
  projections.forEach((projection, pi) => {
    const pre = indexed.populations[indexed.projectionPre[pi]!]!;
    const postIndex = indexed.projectionPost[pi]!;
    const post = indexed.populations[postIndex] as NeuronPopulation;
    const compartment = projection.postCompartment ?? 0;
    // §3.7: a generator feeds only its own hemisphere's bus, so a background source reaches only the
    // hemispheres whose generator it may use.
    const reachable = pre.kind === 'background' ? ((pre as BackgroundPopulation).hemispheres ?? HEMISPHERES).map((h) => HEMISPHERES.indexOf(h)) : [0, 1];
    // Candidates depend only on the post neuron: computed once per neuron of this projection.
    const candidatesOf: (readonly number[] | undefined)[] = new Array<readonly number[] | undefined>(post.size).fill(undefined);
    const onlyCircuit = new Int32Array(post.size).fill(UNKNOWN);
    const resolve = (neuron: number): void => {
      const all = candidateCircuits(placement, post, postIndex, neuron, compartment, projection.receptor);
      if (all.length === 0) {
        throw new ReceptorError(
          `No neuron on compartment features receptor requested by projection. Projection '${projection.name}' asks for ${projection.receptor} input on compartment ${compartment} of '${post.name}' neuron ${neuron}, whose circuits carry none`,
          { projection: projection.name, population: post.name },
        );
      }
      const candidates = reachable.length === 2 ? all : all.filter((n) => reachable.includes(Math.floor(n / 256)));
      if (candidates.length === 0) {
        throw new NetworkError(
          NetworkRule.unreachableHemisphere,
          `projection '${projection.name}': background population '${pre.name}' may use the ${reachable.map((h) => HEMISPHERES[h]).join(' and ')} hemisphere only, but '${post.name}' neuron ${neuron} sits in the other one`,
          { projection: projection.name, population: pre.name },
        );
      }
      candidatesOf[neuron] = candidates;
      onlyCircuit[neuron] = candidates.length === 1 ? candidates[0]! : SEVERAL;
    };
    const connections = projection.connections;
    const starts = new Int32Array(connections.length + 1);
    const receptorCode = projection.receptor === 'excitatory' ? 0 : 1;
    s = splitProjection(synapses, connections, pi, receptorCode, sources.first[indexed.projectionPre[pi]!]!, { candidatesOf, onlyCircuit, resolve }, starts, s);
    starts[connections.length] = s;
    connectionStart.push(starts);
  });
  return synapses;
}
