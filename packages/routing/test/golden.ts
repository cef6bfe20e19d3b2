// Golden routings of test-fixtures/routing/: a few seeded networks and SHA-256 digests of everything routing decides
// (containers as encoded words, backend patches, placement, placed synapses, input labels, statistics). Imported by
// golden.test.ts, so that a change meant to be a pure optimisation provably changes nothing. Regenerate on purpose,
// from the repository root:  npx tsx packages/routing/test/golden.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AtomicNeuronOnDLS } from '@bss2/halco';
import { LogicalNeuronOnDLS } from '@bss2/lola';
import { chipFillingNetwork } from '@bss2/bench/chip-filling';
import { routeNetwork, type Connection, type Network, type Population, type Projection, type Receptor, type RoutingOptions, type RoutingResult } from '../src/index.js';
import { PAIR, STACK, random, randomNetwork } from './support/random-network.js';

export const FIXTURE_FILE = fileURLToPath(new URL('../../../test-fixtures/routing/routing.golden.json', import.meta.url));

export interface GoldenCase {
  readonly name: string;
  readonly network: Network;
  readonly options: RoutingOptions;
}

/** A mid-size network using every kind of population, shapes, receptor lists, explicit placement and weights > 63. */
function midSizeNetwork(seed: number): Network {
  const next = random(seed);
  const populations: Population[] = [
    { kind: 'neurons', name: 'comp', size: 20, shape: STACK, receptors: [[['excitatory']], [['excitatory', 'inhibitory']]] },
    { kind: 'neurons', name: 'exc', size: 180 },
    { kind: 'neurons', name: 'inh', size: 48, shape: PAIR },
    {
      kind: 'neurons',
      name: 'placed',
      size: 4,
      placement: [0, 1, 2, 3].map((k) => new LogicalNeuronOnDLS(PAIR, new AtomicNeuronOnDLS(256 + 200 + 2 * k))),
    },
    { kind: 'external', name: 'ext', size: 500 },
    { kind: 'background', name: 'noise', size: 128, period: 100, rate: 20, seed: 7 },
    { kind: 'background', name: 'clock', size: 1, mode: 'regular', period: 50, hemispheres: ['bottom'] },
  ];
  const size = new Map(populations.map((p) => [p.name, p.size]));
  const projection = (pre: string, post: string, receptor: Receptor, p: number, maxWeight: number, postCompartment = 0): Projection => {
    const connections: Connection[] = [];
    for (let a = 0; a < size.get(pre)!; a++) {
      for (let b = 0; b < size.get(post)!; b++) if (next() < p) connections.push({ pre: a, post: b, weight: Math.floor(next() * (maxWeight + 1)) });
    }
    return { name: `${pre}→${post}:${receptor}${postCompartment > 0 ? `@${postCompartment}` : ''}`, pre, post, receptor, connections, ...(postCompartment > 0 ? { postCompartment } : {}) };
  };
  const projections = [
    projection('ext', 'exc', 'excitatory', 0.06, 100),
    projection('ext', 'inh', 'excitatory', 0.04, 63),
    projection('exc', 'exc', 'excitatory', 0.05, 63),
    projection('exc', 'inh', 'excitatory', 0.1, 40),
    projection('inh', 'exc', 'inhibitory', 0.1, 120),
    projection('ext', 'comp', 'excitatory', 0.05, 63),
    projection('exc', 'comp', 'excitatory', 0.05, 63, 1),
    projection('inh', 'comp', 'inhibitory', 0.2, 63, 1),
    projection('noise', 'exc', 'excitatory', 0.1, 63),
    projection('clock', 'comp', 'excitatory', 1, 20, 1),
    projection('ext', 'placed', 'excitatory', 0.2, 63),
    projection('placed', 'exc', 'excitatory', 0.3, 63),
  ];
  return { populations, projections, recorded: ['exc', 'inh', 'noise'] };
}

/** A seeded permutation of the 512 circuits. */
function permutation(seed: number): number[] {
  const next = random(seed);
  const order = Array.from({ length: AtomicNeuronOnDLS.size }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

export function goldenCases(): GoldenCase[] {
  const small = [3, 17, 101, 2024, 31337, 777_777].map((seed): GoldenCase => ({ name: `random-small-${seed}`, ...randomNetwork(seed) }));
  return [
    { name: 'chip-filling-150', network: chipFillingNetwork(150), options: {} },
    { name: 'chip-filling-60-permuted', network: chipFillingNetwork(60, 11), options: { neuronPermutation: permutation(5) } },
    { name: 'mid-size-random', network: midSizeNetwork(42), options: {} },
    ...small,
  ];
}

/** Bytes of a sequence of numbers (each as a 64-bit float, so that no value is truncated) and strings. */
class Digest {
  readonly #parts: Uint8Array[] = [];
  readonly #encoder = new TextEncoder();

  text(value: string): void {
    this.#parts.push(this.#encoder.encode(`${value}\u0000`));
  }

  numbers(values: ArrayLike<number>): void {
    this.#parts.push(new Uint8Array(Float64Array.from(values).buffer));
  }

  words(values: Uint32Array): void {
    this.#parts.push(new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice());
  }

  async hex(): Promise<string> {
    const total = this.#parts.reduce((n, p) => n + p.length, 0);
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const p of this.#parts) {
      bytes.set(p, at);
      at += p.length;
    }
    const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    return Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('');
  }
}

export type GoldenDigests = Record<string, string | number>;

/** SHA-256 per aspect of a routing: any changed bit of the decided configuration changes a digest. */
export async function routingDigests(result: RoutingResult, network: Network): Promise<GoldenDigests> {
  const writes = new Digest();
  const list = result.writes();
  for (const { coordinate, container } of list) {
    writes.text(`${coordinate.toString()} ${container.containerType.typeName}`);
    writes.words(container.encode());
  }
  const backend = new Digest();
  for (const patch of result.backendPatches()) backend.numbers([patch.coordinate.value, patch.neuron.value, patch.addressOut, patch.enSpikeOut ? 1 : 0]);
  const placement = new Digest();
  const labels = new Digest();
  for (const p of network.populations) {
    if (p.kind === 'neurons') placement.text(JSON.stringify(result.logicalNeurons(p.name).map((n) => n.toAtomicNeurons().map((c) => c.map((x) => x.value)))));
    if (p.kind === 'background') placement.numbers([result.backgroundBus(p.name)]);
    if (p.kind === 'external') labels.numbers(result.inputLabels(p.name).map((l) => l?.value ?? -1));
  }
  const synapses = new Digest();
  for (const projection of network.projections) {
    for (const c of result.placedConnections(projection.name)) {
      synapses.numbers([c.pre, c.post, c.weight, c.synapses.length]);
      for (const s of c.synapses) synapses.numbers([s.hemisphere.value, s.row.value, s.column.value, s.weight]);
    }
  }
  const { durations: _, ...statistics } = result.statistics;
  return {
    writeCount: list.length,
    writes: await writes.hex(),
    backend: await backend.hex(),
    placement: await placement.hex(),
    synapses: await synapses.hex(),
    labels: await labels.hex(),
    statistics: JSON.stringify(statistics),
  };
}

export async function goldenDigests(): Promise<Record<string, GoldenDigests>> {
  const out: Record<string, GoldenDigests> = {};
  for (const { name, network, options } of goldenCases()) out[name] = await routingDigests(routeNetwork(network, options), network);
  return out;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(FIXTURE_FILE, `${JSON.stringify(await goldenDigests(), null, 2)}\n`);
  console.log(`wrote ${FIXTURE_FILE}`);
}
