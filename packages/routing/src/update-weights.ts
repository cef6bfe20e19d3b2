import { SynapseOnDLS, SynapseOnSynram, SynapseOnSynapseRow, SynapseQuadOnDLS, SynapseRowOnSynram, SynramOnDLS } from '@bss2/halco';
import { SynapseMatrix, SynapseWeightQuad } from '@bss2/lola';
import { COLUMNS, columnOfCircuit, hemisphereOfCircuit } from './bus-load.js';
import { MAX_SYNAPSE_WEIGHT, splitWeight, synapsesForWeight } from './connection-split.js';
import { WeightUpdateError } from './errors.js';
import type { Network, Population, Projection, RoutingOptions } from './network.js';
import { RoutingResult, type ConfigWrite } from './result.js';

/** A weights-only change: the new result and the containers that differ from the old one. */
export interface WeightUpdate {
  readonly result: RoutingResult;
  /** SynapseWeightQuads (weights only: labels stay as written) of every quad with a changed weight. */
  readonly writes: ConfigWrite[];
}

/**
 * The training fast path (hardware.md §10.2: `requires_routing` false): new weights for one projection's
 * connections, in its connection order, realised on the synapses it already has — a weight up to 63 × its
 * synapse count fits, filled 63 per synapse in order. A larger weight needs routing again (WeightUpdateError).
 */
export function updateWeights(result: RoutingResult, projection: string, weights: ArrayLike<number>): WeightUpdate {
  const state = result.state;
  const { indexed, synapses, synapseConfig } = state;
  const pi = indexed.projectionIndex.get(projection);
  if (pi === undefined) throw new WeightUpdateError(`projection '${projection}' is not part of the routed network`, { projection });
  const old = indexed.network.projections[pi]!;
  if (weights.length !== old.connections.length) {
    throw new WeightUpdateError(`projection '${projection}' has ${old.connections.length} connections, ${weights.length} weights given`, {
      projection,
      limit: old.connections.length,
      value: weights.length,
    });
  }
  const starts = synapses.connectionStart[pi]!;
  const weight = synapses.weight.slice();
  const matrices = synapseConfig.matrices.map((m) => m);
  const copied = [false, false];
  const changedQuads = new Set<number>();
  for (let k = 0; k < weights.length; k++) {
    const w = weights[k]!;
    const count = starts[k + 1]! - starts[k]!;
    if (!Number.isSafeInteger(w) || w < 0) {
      throw new WeightUpdateError(`projection '${projection}', connection ${k}: weight ${w} must be a non-negative integer in hardware units`, { projection, value: w });
    }
    if (w > MAX_SYNAPSE_WEIGHT * count) {
      throw new WeightUpdateError(
        `projection '${projection}', connection ${k} (pre ${old.connections[k]!.pre}, post ${old.connections[k]!.post}): weight ${w} needs ${synapsesForWeight(w)} synapses, it was routed with ${count} (up to ${MAX_SYNAPSE_WEIGHT * count}); route the network again`,
        { projection, limit: MAX_SYNAPSE_WEIGHT * count, value: w },
      );
    }
    for (let j = 0; j < count; j++) {
      const s = starts[k]! + j;
      const next = splitWeight(w, j);
      if (next === weight[s]) continue;
      weight[s] = next;
      const circuit = synapses.circuit[s]!;
      const h = hemisphereOfCircuit(circuit);
      if (!copied[h]) {
        const m = matrices[h]!;
        matrices[h] = new SynapseMatrix({ weights: m.weights, labels: m.labels, timeCalibs: m.timeCalibs, ampCalibs: m.ampCalibs });
        copied[h] = true;
      }
      const row = synapseConfig.placedRow[s]!;
      matrices[h]!.weights[row * COLUMNS + columnOfCircuit(circuit)] = next;
      const synapse = new SynapseOnDLS(new SynapseOnSynram(new SynapseOnSynapseRow(columnOfCircuit(circuit)), new SynapseRowOnSynram(row)), new SynramOnDLS(h));
      changedQuads.add(synapse.toSynapseQuadOnDLS().value);
    }
  }
  const writes: ConfigWrite[] = [...changedQuads].sort((a, b) => a - b).map((value) => {
    const quad = new SynapseQuadOnDLS(value);
    const h = quad.toSynramOnDLS().value;
    const row = quad.toSynapseRowOnDLS().toSynapseRowOnSynram().value;
    const entries = quad.toSynapseQuadOnSynram().toSynapseQuadColumnOnDLS().toNeuronColumnOnDLS();
    return { coordinate: quad, container: new SynapseWeightQuad({ weights: entries.map((c) => matrices[h]!.weights[row * COLUMNS + c.value]!) }) };
  });
  const projections = indexed.network.projections.map((p, i) =>
    i === pi ? { ...p, connections: p.connections.map((c, k) => ({ pre: c.pre, post: c.post, weight: weights[k]! })) } : p,
  );
  const network: Network = { ...indexed.network, projections };
  return {
    result: new RoutingResult({
      ...state,
      indexed: { ...indexed, network },
      synapses: { ...synapses, weight },
      synapseConfig: { ...synapseConfig, matrices },
    }),
    writes,
  };
}

function samePopulation(a: Population, b: Population): boolean {
  if (a.kind !== b.kind || a.name !== b.name || a.size !== b.size) return false;
  if (a.kind === 'neurons' && b.kind === 'neurons') {
    const sameShape = a.shape === b.shape || (a.shape !== undefined && b.shape !== undefined && a.shape.equals(b.shape));
    const samePlacement =
      a.placement === b.placement ||
      (a.placement !== undefined && b.placement !== undefined && a.placement.length === b.placement.length && a.placement.every((p, i) => p.equals(b.placement![i])));
    return sameShape && samePlacement && JSON.stringify(a.receptors) === JSON.stringify(b.receptors);
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

function sameStructure(a: Projection, b: Projection): boolean {
  return (
    a.name === b.name &&
    a.pre === b.pre &&
    a.post === b.post &&
    a.receptor === b.receptor &&
    (a.postCompartment ?? 0) === (b.postCompartment ?? 0) &&
    a.connections.length === b.connections.length &&
    a.connections.every((c, k) => c.pre === b.connections[k]!.pre && c.post === b.connections[k]!.post)
  );
}

/**
 * Whether `network` needs routing again, or is the routed one with other weights that its synapses can hold
 * (then `updateWeights` per changed projection is enough). Populations, recording, connection lists and
 * options must be unchanged; background generator settings count as structure.
 */
export function requiresRouting(result: RoutingResult, network: Network, options: RoutingOptions = result.options): boolean {
  const old = result.network;
  if (JSON.stringify(options) !== JSON.stringify(result.options)) return true;
  if (old.populations.length !== network.populations.length || !old.populations.every((p, i) => samePopulation(p, network.populations[i]!))) return true;
  const recorded = (n: Network) => JSON.stringify([...(n.recorded ?? [])].sort());
  if (recorded(old) !== recorded(network)) return true;
  if (old.projections.length !== network.projections.length) return true;
  const { synapses } = result.state;
  return !old.projections.every((p, pi) => {
    const next = network.projections[pi]!;
    if (!sameStructure(p, next)) return false;
    const starts = synapses.connectionStart[pi]!;
    return next.connections.every((c, k) => Number.isSafeInteger(c.weight) && c.weight >= 0 && c.weight <= MAX_SYNAPSE_WEIGHT * (starts[k + 1]! - starts[k]!));
  });
}
