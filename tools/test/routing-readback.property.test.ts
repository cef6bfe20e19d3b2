// The routing acceptance property (hardware.md §10): random small networks that fit are placed and routed without
// error, and the routed configuration, written to a simulated chip and read back from it, realises exactly the
// requested connectivity. The chip's containers — not the router's — go into `realisedConnectivity`.
import { connectInProcess } from '@bss2/hxcomm/in-process';
import { AtomicNeuronOnLogicalNeuron, NeuronColumnOnLogicalNeuron, NeuronRowOnLogicalNeuron, SynapseRowOnDLS, SynramOnDLS } from '@bss2/halco';
import { LogicalNeuronCompartments, NeuronBackendConfig, type SynapseMatrix } from '@bss2/lola';
import {
  applyBackendPatch,
  realisedConnectivity,
  routeNetwork,
  type ConfigWrite,
  type Connection,
  type ConfigurationLookup,
  type Network,
  type Population,
  type Projection,
  type RoutingOptions,
  type RoutingResult,
  type WeightedConnection,
} from '@bss2/routing';
import { PlaybackProgramBuilder, run } from '@bss2/stadls';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { expectChipRealises, neuronKey as key, readEventPath } from '../testing/event-path.js';

/** Every container the routing decides: its writes, and per circuit a reset backend config with its patch. */
function routedContainers(result: RoutingResult): ConfigWrite[] {
  const backends = result.backendPatches().map((patch): ConfigWrite => ({ coordinate: patch.coordinate, container: applyBackendPatch(new NeuronBackendConfig(), patch) }));
  return [...backends, ...result.writes()];
}

/**
 * Writes `writes` to a new simulated chip in one program, then reads the whole event path back in a second one;
 * returns the read containers as a lookup.
 */
async function writeAndReadBack(writes: readonly ConfigWrite[], seed: number): Promise<ConfigurationLookup> {
  const connection = connectInProcess({ seed });
  try {
    const writing = new PlaybackProgramBuilder();
    for (const { coordinate, container } of writes) writing.write(coordinate, container);
    await run(connection, writing.done());
    return await readEventPath(connection);
  } finally {
    await connection.close();
  }
}

// ---- random networks that fit the chip by construction ----
// Every neuron receives at most 5 hardware synapses per receptor, so a label group needs at most 10 rows on a
// bus, and a bus carries at most 6 groups (2 neuron event outputs, 1 background population, ≤ 3 groups of the
// ≤ 160 external sources): at most 60 of its 64 rows.
const PER_RECEPTOR_BUDGET = 5;
const at = (c: number, r: number) => new AtomicNeuronOnLogicalNeuron(new NeuronColumnOnLogicalNeuron(c), new NeuronRowOnLogicalNeuron(r));
/** One compartment of two circuits side by side. */
const PAIR = new LogicalNeuronCompartments([[at(0, 0), at(1, 0)]]);

const weight = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 14, arbitrary: fc.integer({ min: 1, max: 63 }) }, { weight: 5, arbitrary: fc.integer({ min: 64, max: 200 }) });
const background = fc.oneof(
  fc.record({ mode: fc.constant('poisson' as const), size: fc.integer({ min: 0, max: 6 }).map((k) => 2 ** k), period: fc.integer({ min: 1, max: 1000 }), rate: fc.integer({ min: 0, max: 255 }), seed: fc.integer({ min: 1, max: 2 ** 31 }) }),
  fc.record({ mode: fc.constant('regular' as const), size: fc.constant(1), period: fc.integer({ min: 1, max: 1000 }) }),
);
const projectionDraft = fc.record({
  pre: fc.nat(),
  post: fc.nat(),
  inhibitory: fc.boolean(),
  // (pre, post) drawn large and reduced modulo the population sizes, so shrinking keeps them valid.
  connections: fc.array(fc.record({ pre: fc.nat(), post: fc.nat(), weight }), { maxLength: 150, size: 'medium' }),
});

interface RandomCase {
  readonly network: Network;
  readonly options: RoutingOptions;
}

const randomCase: fc.Arbitrary<RandomCase> = fc
  .record({
    neurons: fc.array(fc.record({ size: fc.integer({ min: 1, max: 24 }), pair: fc.integer({ min: 0, max: 3 }).map((k) => k === 0) }), { minLength: 1, maxLength: 3 }),
    externals: fc.array(fc.integer({ min: 1, max: 80 }), { maxLength: 2 }),
    backgrounds: fc.array(background, { maxLength: 2 }),
    projections: fc.array(projectionDraft, { minLength: 1, maxLength: 6, size: 'medium' }),
    recorded: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    scatter: fc.boolean(),
  })
  .map(({ neurons, externals, backgrounds, projections, recorded, scatter }) => {
    const populations: Population[] = [
      ...neurons.map((n, i): Population => ({ kind: 'neurons', name: `n${i}`, size: n.size, ...(n.pair ? { shape: PAIR } : {}) })),
      ...externals.map((size, i): Population => ({ kind: 'external', name: `x${i}`, size })),
      ...backgrounds.map((b, i): Population => ({ kind: 'background', name: `b${i}`, ...b })),
    ];
    const targets = populations.filter((p) => p.kind === 'neurons');
    const budget = new Map<string, number>();
    const routed: Projection[] = projections.map((draft, i) => {
      const pre = populations[draft.pre % populations.length]!;
      const post = targets[draft.post % targets.length]!;
      const receptor = draft.inhibitory ? 'inhibitory' : 'excitatory';
      const seen = new Set<string>();
      const connections: Connection[] = [];
      for (const c of draft.connections) {
        const connection = { pre: c.pre % pre.size, post: c.post % post.size, weight: c.weight };
        const slot = `${post.name}/${connection.post}/${receptor}`;
        const needed = Math.max(1, Math.ceil(c.weight / 63));
        if (seen.has(`${connection.pre}/${connection.post}`) || (budget.get(slot) ?? 0) + needed > PER_RECEPTOR_BUDGET) continue;
        seen.add(`${connection.pre}/${connection.post}`);
        budget.set(slot, (budget.get(slot) ?? 0) + needed);
        connections.push(connection);
      }
      return { name: `p${i}:${pre.name}→${post.name}`, pre: pre.name, post: post.name, receptor, connections };
    });
    const network: Network = {
      populations,
      projections: routed,
      recorded: populations.filter((p, i) => p.kind !== 'external' && recorded[i]).map((p) => p.name),
    };
    // Scattered: neuron k on circuit 167·k mod 512 — both hemispheres and all eight event outputs.
    const options: RoutingOptions = scatter ? { neuronPermutation: Array.from({ length: 512 }, (_, k) => (k * 167) % 512) } : {};
    return { network, options };
  });

describe('routed networks read back from the simulated chip', () => {
  // External input with a weight split over two rows, on-chip Poisson noise (one weight 0), recurrent inhibition.
  const network: Network = {
    populations: [
      { kind: 'external', name: 'x', size: 3 },
      { kind: 'background', name: 'noise', size: 4, period: 100, rate: 20 },
      { kind: 'neurons', name: 'n', size: 4 },
    ],
    projections: [
      { name: 'x→n', pre: 'x', post: 'n', receptor: 'excitatory', connections: [{ pre: 0, post: 0, weight: 100 }, { pre: 1, post: 1, weight: 20 }, { pre: 2, post: 3, weight: 63 }] },
      { name: 'noise→n', pre: 'noise', post: 'n', receptor: 'excitatory', connections: [{ pre: 2, post: 2, weight: 5 }, { pre: 3, post: 0, weight: 0 }] },
      { name: 'n→n', pre: 'n', post: 'n', receptor: 'inhibitory', connections: [{ pre: 0, post: 1, weight: 30 }, { pre: 1, post: 0, weight: 7 }, { pre: 3, post: 3, weight: 2 }] },
    ],
    recorded: ['n'],
  };
  const result = routeNetwork(network);
  const n = (population: string, index: number) => ({ population, index });
  const expected: WeightedConnection[] = [
    { pre: n('n', 0), post: n('n', 1), compartment: 0, receptor: 'inhibitory', weight: 30 },
    { pre: n('n', 1), post: n('n', 0), compartment: 0, receptor: 'inhibitory', weight: 7 },
    { pre: n('n', 3), post: n('n', 3), compartment: 0, receptor: 'inhibitory', weight: 2 },
    { pre: n('noise', 2), post: n('n', 2), compartment: 0, receptor: 'excitatory', weight: 5 },
    { pre: n('noise', 3), post: n('n', 0), compartment: 0, receptor: 'excitatory', weight: 0 },
    { pre: n('x', 0), post: n('n', 0), compartment: 0, receptor: 'excitatory', weight: 100 },
    { pre: n('x', 1), post: n('n', 1), compartment: 0, receptor: 'excitatory', weight: 20 },
    { pre: n('x', 2), post: n('n', 3), compartment: 0, receptor: 'excitatory', weight: 63 },
  ];

  it('a hand-checked network: every connection, its weight split 63 + 37 on the chip, recorded neurons', async () => {
    const chip = await writeAndReadBack(routedContainers(result), 1);
    const realised = realisedConnectivity(result, chip);
    expect(realised.connections).toEqual(expected);
    expectChipRealises(result, chip);
    const [split] = result.placedConnections('x→n');
    const matrix = chip(SynramOnDLS.top) as SynapseMatrix;
    expect(split!.synapses.map((s) => matrix.weights[256 * s.row.value + s.column.value])).toEqual([63, 37]);
    expect(new Set(realised.recorded.map((r) => key(r.source)))).toEqual(new Set(['n[0]', 'n[1]', 'n[2]', 'n[3]']));
  });

  it('a weight changed on the chip after the routing was written shows in the read-back connectivity', async () => {
    const synapse = result.placedConnections('x→n')[1]!.synapses[0]!;
    const row = result.synapseMatrix(synapse.hemisphere).getRow(synapse.row);
    row.weights[synapse.column.value] = 21;
    const overwrite = { coordinate: new SynapseRowOnDLS(synapse.row, synapse.hemisphere), container: row };
    const realised = realisedConnectivity(result, await writeAndReadBack([...routedContainers(result), overwrite], 1));
    expect(realised.connections).toEqual(expected.map((c) => (key(c.pre) === 'x[1]' ? { ...c, weight: 21 } : c)));
  });

  // 40 random networks in all, split into four seeded ranges of ten so that each test stays short on a loaded
  // machine; each range is reproducible on its own (seed 20_260_311 + k).
  const ranges = [0, 1, 2, 3];
  const seen = { recurrent: 0, inhibitory: 0, split: 0, external: 0, background: 0, scattered: 0 };
  let rangesRun = 0;
  // The generator keeps producing what the property is about (checked when every range ran).
  afterAll(() => {
    if (rangesRun < ranges.length) return;
    for (const [feature, count] of Object.entries(seen)) expect(count, feature).toBeGreaterThan(0);
  });

  for (const k of ranges) {
    it(`random small networks that fit route without error and the chip realises exactly their connectivity (range ${k})`, async () => {
      await fc.assert(
        fc.asyncProperty(randomCase, fc.integer({ min: 0, max: 2 ** 32 - 1 }), async ({ network, options }, chipSeed) => {
          let result: RoutingResult | undefined;
          expect(() => (result = routeNetwork(network, options))).not.toThrow();
          const chip = await writeAndReadBack(routedContainers(result!), chipSeed);
          expectChipRealises(result!, chip);

          const used = network.projections.filter((p) => p.connections.length > 0);
          const kindOf = (name: string) => network.populations.find((p) => p.name === name)!.kind;
          if (used.some((p) => p.pre === p.post)) seen.recurrent++;
          if (used.some((p) => p.receptor === 'inhibitory')) seen.inhibitory++;
          if (used.some((p) => p.connections.some((c) => c.weight > 63))) seen.split++;
          if (used.some((p) => kindOf(p.pre) === 'external')) seen.external++;
          if (used.some((p) => kindOf(p.pre) === 'background')) seen.background++;
          if (options.neuronPermutation !== undefined) seen.scattered++;
        }),
        { seed: 20_260_311 + k, numRuns: 10 },
      );
      rangesRun++;
    });
  }
});
