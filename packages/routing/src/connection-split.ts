import { AtomicNeuronOnDLS } from '@bss2/halco';
import { nominal } from '@bss2/lola';
import { NetworkError, NetworkRule, ReceptorError } from './errors.js';
import { HEMISPHERES, type BackgroundPopulation, type NeuronPopulation } from './network.js';
import { placedNeurons, type Placement } from './placement.js';
import type { Sources } from './sources.js';
import { carriesReceptor, type IndexedNetwork } from './validate.js';

/** Largest weight of one synapse: 6 bit (hardware.md §3.5). */
export const MAX_SYNAPSE_WEIGHT = nominal.synapseWeightMax;

/** Hardware synapses of a logical weight (§10.2 step 0): `max(1, ⌈w / 63⌉)`, so 0 still gets a synapse to update later. */
export function synapsesForWeight(weight: number): number {
  return Math.max(1, Math.ceil(weight / MAX_SYNAPSE_WEIGHT));
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

/**
 * Step 0 of hardware.md §10.2: each connection becomes `max(1, ⌈w / 63⌉)` synapses, each given to the circuit
 * of the target compartment that carries the receptor and has the smallest in-degree so far.
 */
export function splitConnections(indexed: IndexedNetwork, placement: Placement, sources: Sources): SynapseList {
  let count = 0;
  for (const projection of indexed.network.projections) {
    for (const c of projection.connections) count += synapsesForWeight(c.weight);
  }
  const source = new Int32Array(count);
  const circuit = new Int32Array(count);
  const weight = new Uint8Array(count);
  const receptor = new Uint8Array(count);
  const projectionOf = new Int32Array(count);
  const inDegree = new Int32Array(AtomicNeuronOnDLS.size);
  const connectionStart: Int32Array[] = [];
  let s = 0;
  indexed.network.projections.forEach((projection, pi) => {
    const pre = indexed.populations[indexed.projectionPre[pi]!]!;
    const postIndex = indexed.projectionPost[pi]!;
    const post = indexed.populations[postIndex] as NeuronPopulation;
    const compartment = projection.postCompartment ?? 0;
    const receptorCode = projection.receptor === 'excitatory' ? 0 : 1;
    // §3.7: a generator feeds only its own hemisphere's bus, so a background source reaches only the
    // hemispheres whose generator it may use.
    const reachable = pre.kind === 'background' ? ((pre as BackgroundPopulation).hemispheres ?? HEMISPHERES).map((h) => HEMISPHERES.indexOf(h)) : [0, 1];
    const starts = new Int32Array(projection.connections.length + 1);
    const firstSource = sources.first[indexed.projectionPre[pi]!]!;
    // Candidates depend only on the post neuron: computed once per neuron of this projection.
    const candidatesOf: (number[] | undefined)[] = new Array(post.size);
    projection.connections.forEach((c, k) => {
      starts[k] = s;
      const all = (candidatesOf[c.post] ??= candidateCircuits(placement, post, postIndex, c.post, compartment, projection.receptor));
      if (all.length === 0) {
        throw new ReceptorError(
          `No neuron on compartment features receptor requested by projection. Projection '${projection.name}' asks for ${projection.receptor} input on compartment ${compartment} of '${post.name}' neuron ${c.post}, whose circuits carry none`,
          { projection: projection.name, population: post.name },
        );
      }
      const candidates = reachable.length === 2 ? all : all.filter((n) => reachable.includes(Math.floor(n / 256)));
      if (candidates.length === 0) {
        throw new NetworkError(
          NetworkRule.unreachableHemisphere,
          `projection '${projection.name}': background population '${pre.name}' may use the ${reachable.map((h) => HEMISPHERES[h]).join(' and ')} hemisphere only, but '${post.name}' neuron ${c.post} sits in the other one`,
          { projection: projection.name, population: pre.name },
        );
      }
      const n = synapsesForWeight(c.weight);
      for (let j = 0; j < n; j++, s++) {
        let best = candidates[0]!;
        for (const candidate of candidates) if (inDegree[candidate]! < inDegree[best]!) best = candidate;
        inDegree[best]!++;
        source[s] = firstSource + c.pre;
        circuit[s] = best;
        weight[s] = splitWeight(c.weight, j);
        receptor[s] = receptorCode;
        projectionOf[s] = pi;
      }
    });
    starts[projection.connections.length] = s;
    connectionStart.push(starts);
  });
  return { count, source, circuit, weight, receptor, projection: projectionOf, connectionStart, inDegree };
}
