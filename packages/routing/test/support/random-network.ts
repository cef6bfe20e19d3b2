// Random small networks that fit the chip by construction: every neuron receives at most 5 hardware synapses
// per receptor, so no label group needs more than 10 rows on a bus and no bus carries more than 5 groups
// (2 neuron outputs, 1 background population, 2 external groups): at most 50 of its 64 rows.
import { AtomicNeuronOnLogicalNeuron, NeuronColumnOnLogicalNeuron, NeuronRowOnLogicalNeuron } from '@bss2/halco';
import { LogicalNeuronCompartments } from '@bss2/lola';
import type { Connection, Network, NeuronPopulation, Population, Projection, Receptor, RoutingOptions } from '../../src/index.js';

/** Deterministic generator (mulberry32) so a fast-check seed names one network. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const at = (c: number, r: number) => new AtomicNeuronOnLogicalNeuron(new NeuronColumnOnLogicalNeuron(c), new NeuronRowOnLogicalNeuron(r));
/** One compartment of two circuits side by side. */
export const PAIR = new LogicalNeuronCompartments([[at(0, 0), at(1, 0)]]);
/** Two compartments of one circuit each, one above the other (both hemispheres). */
export const STACK = new LogicalNeuronCompartments([[at(0, 0)], [at(0, 1)]]);

export const PER_RECEPTOR_BUDGET = 5;

export interface RandomCase {
  readonly network: Network;
  readonly options: RoutingOptions;
}

export function randomNetwork(seed: number): RandomCase {
  const next = random(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const populations: Population[] = [];
  let circuits = 0;
  const neuronPops = int(1, 3);
  for (let i = 0; i < neuronPops; i++) {
    const size = int(1, 40);
    const kind = next();
    let p: NeuronPopulation = { kind: 'neurons', name: `n${i}`, size };
    if (kind < 0.15) {
      p = { ...p, shape: PAIR, ...(next() < 0.5 ? { receptors: [[['excitatory'], ['inhibitory']]] } : {}) };
    } else if (kind < 0.3) {
      p = { ...p, shape: STACK, ...(next() < 0.5 ? { receptors: [[['excitatory']], [['excitatory', 'inhibitory']]] } : {}) };
    }
    circuits += size * (p.shape === undefined ? 1 : 2);
    if (circuits > 400) break;
    populations.push(p);
  }
  const externals = int(0, 2);
  for (let i = 0; i < externals; i++) populations.push({ kind: 'external', name: `x${i}`, size: int(1, 100) });
  const backgrounds = int(0, 2);
  for (let i = 0; i < backgrounds; i++) {
    const regular = next() < 0.3;
    populations.push({
      kind: 'background',
      name: `b${i}`,
      size: regular ? 1 : 2 ** int(0, 6),
      mode: regular ? 'regular' : 'poisson',
      period: int(1, 1000),
      rate: int(0, 255),
      seed: int(1, 2 ** 31),
    });
  }
  const neurons = populations.filter((p): p is NeuronPopulation => p.kind === 'neurons');
  const budget = new Map<string, number>();
  const projections: Projection[] = [];
  const count = int(1, 6);
  for (let i = 0; i < count; i++) {
    const pre = populations[int(0, populations.length - 1)]!;
    const post = neurons[int(0, neurons.length - 1)]!;
    let receptor: Receptor = next() < 0.6 ? 'excitatory' : 'inhibitory';
    let compartment = post.shape === STACK ? int(0, 1) : 0;
    if (post.shape === STACK && post.receptors !== undefined && receptor === 'inhibitory') compartment = 1;
    if (post.shape === PAIR && post.receptors !== undefined && next() < 0.5) receptor = 'excitatory';
    const density = 0.02 + next() * 0.38;
    const connections: Connection[] = [];
    for (let a = 0; a < pre.size; a++) {
      for (let b = 0; b < post.size; b++) {
        if (next() >= density) continue;
        const roll = next();
        const weight = roll < 0.05 ? 0 : roll < 0.85 ? int(1, 63) : int(64, 200);
        const key = `${post.name}/${b}/${receptor}`;
        const used = budget.get(key) ?? 0;
        const needed = Math.max(1, Math.ceil(weight / 63));
        if (used + needed > PER_RECEPTOR_BUDGET) continue;
        budget.set(key, used + needed);
        connections.push({ pre: a, post: b, weight });
      }
    }
    projections.push({ name: `p${i}:${pre.name}→${post.name}`, pre: pre.name, post: post.name, receptor, connections, ...(compartment > 0 ? { postCompartment: compartment } : {}) });
  }
  const recorded = populations.filter((p) => p.kind !== 'external' && next() < 0.4).map((p) => p.name);
  let options: RoutingOptions = {};
  if (next() < 0.3) {
    const permutation = Array.from({ length: 512 }, (_, i) => i);
    for (let i = permutation.length - 1; i > 0; i--) {
      const j = int(0, i);
      [permutation[i], permutation[j]] = [permutation[j]!, permutation[i]!];
    }
    options = { neuronPermutation: permutation };
  }
  return { network: { populations, projections, recorded }, options };
}
