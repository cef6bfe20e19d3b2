import { nominal } from '@bss2/lola';
import type { NeuronParameters } from './neuron-parameters.js';
import { NEURON_COUNT } from './variation.js';

// Multi-compartment structure from the switches of §3.2 / §4 (semantics as lola `multicompartment-switches.ts`):
// direct switches (`connectRight`, `connectVertical`, `connectSoma`, `connectSomaRight` along the somatic line)
// merge membranes into one node; `enableConductance` couples a membrane to its somatic line segment through
// g_ic. A line segment set with no membrane on it is a floating wire: the conductances on it form a star,
// replaced by its exact mesh equivalent (g_jk = g_j·g_k / Σg) between the nodes it touches.

const COLUMNS = nominal.neuronColumnCount;
/** No switch crosses the boundary between column 127 and 128 (§4: a placement may not span it) or ends past 255. */
function hasRightNeighbour(circuit: number): boolean {
  return circuit % 128 !== 127;
}

/**
 * Nodes (electrically one membrane) and their conductance couplings. A node is named by its representative,
 * the lowest circuit index among its members; node ordinals follow ascending representatives.
 */
export interface CompartmentTopology {
  readonly nodeCount: number;
  /** Representative circuit of each node, ascending. */
  readonly nodeRep: Int32Array;
  /** Node ordinal of each circuit. */
  readonly nodeOf: Int32Array;
  /** Members of node k: `members[memberStart[k] .. memberStart[k+1])`, ascending. */
  readonly memberStart: Int32Array;
  readonly members: Int32Array;
  /** Couplings of node k: `couplingNode/couplingConductance_nS[couplingStart[k] .. couplingStart[k+1])`. */
  readonly couplingStart: Int32Array;
  readonly couplingNode: Int32Array;
  readonly couplingConductance_nS: Float64Array;
}

class UnionFind {
  readonly parent: Int32Array;
  constructor(size: number) {
    this.parent = Int32Array.from({ length: size }, (_, i) => i);
  }
  find(x: number): number {
    const p = this.parent;
    while (p[x]! !== x) {
      p[x] = p[p[x]!]!;
      x = p[x]!;
    }
    return x;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/** Build the node structure of the current switch settings (run on configuration change only). */
export function buildTopology(p: NeuronParameters): CompartmentTopology {
  const n = NEURON_COUNT;
  const segment = (i: number): number => n + i;
  const uf = new UnionFind(2 * n);
  for (let i = 0; i < n; i++) {
    if (p.connectRight[i] && hasRightNeighbour(i)) uf.union(i, i + 1);
    if (p.connectSomaRight[i] && hasRightNeighbour(i)) uf.union(segment(i), segment(i + 1));
    // connect_bottom counts as closed when either circuit of the column sets it (lola Choice).
    if (p.connectVertical[i]) uf.union(i % COLUMNS, (i % COLUMNS) + COLUMNS);
    if (p.connectSoma[i]) uf.union(i, segment(i));
  }

  // Membrane circuits are the lowest indices, so every set holding a membrane has a membrane as its root.
  const nodeOfRoot = new Int32Array(2 * n).fill(-1);
  const nodeRep: number[] = [];
  const nodeOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const root = uf.find(i);
    if (nodeOfRoot[root] === -1) {
      nodeOfRoot[root] = nodeRep.length;
      nodeRep.push(i);
    }
    nodeOf[i] = nodeOfRoot[root]!;
  }
  const nodeCount = nodeRep.length;
  const memberStart = new Int32Array(nodeCount + 1);
  for (let i = 0; i < n; i++) memberStart[nodeOf[i]! + 1]!++;
  for (let k = 0; k < nodeCount; k++) memberStart[k + 1]! += memberStart[k]!;
  const members = new Int32Array(n);
  const fill = memberStart.slice(0, nodeCount);
  for (let i = 0; i < n; i++) members[fill[nodeOf[i]!]!++] = i;

  // Conductance links: membrane node ↔ node of its segment, or into a floating wire.
  const pair = new Map<number, number>();
  const addCoupling = (a: number, b: number, g: number): void => {
    if (a === b || !(g > 0)) return;
    const key = Math.min(a, b) * nodeCount + Math.max(a, b);
    pair.set(key, (pair.get(key) ?? 0) + g);
  };
  const floating = new Map<number, Array<[node: number, g: number]>>();
  for (let i = 0; i < n; i++) {
    // A closed connect_soma shorts the conductance (lola forbids both; raw registers may set both).
    if (!p.enableConductance[i] || p.connectSoma[i]) continue;
    const g = p.interCompartmentConductance_nS[i]!;
    const root = uf.find(segment(i));
    const lineNode = nodeOfRoot[root]!;
    if (lineNode >= 0) addCoupling(nodeOf[i]!, lineNode, g);
    else {
      const star = floating.get(root) ?? [];
      star.push([nodeOf[i]!, g]);
      floating.set(root, star);
    }
  }
  for (const star of floating.values()) {
    const total = star.reduce((s, [, g]) => s + g, 0);
    if (!(total > 0)) continue;
    for (let a = 0; a < star.length; a++) {
      for (let b = a + 1; b < star.length; b++) addCoupling(star[a]![0], star[b]![0], (star[a]![1] * star[b]![1]) / total);
    }
  }

  const couplingStart = new Int32Array(nodeCount + 1);
  const entries = [...pair.entries()].map(([key, g]) => [Math.floor(key / nodeCount), key % nodeCount, g] as const);
  for (const [a, b] of entries) {
    couplingStart[a + 1]!++;
    couplingStart[b + 1]!++;
  }
  for (let k = 0; k < nodeCount; k++) couplingStart[k + 1]! += couplingStart[k]!;
  const couplingNode = new Int32Array(couplingStart[nodeCount]!);
  const couplingConductance_nS = new Float64Array(couplingStart[nodeCount]!);
  const next = couplingStart.slice(0, nodeCount);
  for (const [a, b, g] of entries) {
    couplingNode[next[a]!] = b;
    couplingConductance_nS[next[a]!++] = g;
    couplingNode[next[b]!] = a;
    couplingConductance_nS[next[b]!++] = g;
  }
  return { nodeCount, nodeRep: Int32Array.from(nodeRep), nodeOf, memberStart, members, couplingStart, couplingNode, couplingConductance_nS };
}
