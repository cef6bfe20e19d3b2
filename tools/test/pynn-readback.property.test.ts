// The acceptance property through the modelers' API (issue 7): random small PyNN networks that fit — populations of
// neurons and spike sources, views, every connector kind, both receptors, weights beyond 63, on-chip Poisson —
// are placed and routed by pynn.prepare() without error, and the configuration read back from the simulated chip
// realises exactly the connectivity the PyNN projections ask for (each (pre, post, receptor) pair: the rounded
// magnitudes of its connections' weights, summed).
import * as pynn from '@bss2/pynn';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { expectChipRealises, neuronKey, readEventPath } from '../testing/event-path.js';

/** Per neuron and receptor at most this many connections arrive: every drawn network fits the chip. */
const IN_DEGREE = 4;

type ConnectorDraft =
  | { kind: 'all' }
  | { kind: 'one' }
  | { kind: 'probability'; p: number; seed: number }
  | { kind: 'pre'; n: number; seed: number }
  | { kind: 'list'; entries: [number, number][] };

interface Draft {
  neurons: number[];
  arrays: number[];
  poisson: number | undefined;
  projections: { pre: number; post: number; view: boolean; connector: ConnectorDraft; inhibitory: boolean; weights: number[] }[];
  recordNeurons: boolean;
}

const draft: fc.Arbitrary<Draft> = fc
  .record({
    neurons: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 3 }),
    arrays: fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 2 }),
    poisson: fc.option(fc.constantFrom(2, 4, 8, 16), { nil: undefined }),
    recordNeurons: fc.boolean(),
    projections: fc.array(
      fc.record({
        pre: fc.nat(),
        post: fc.nat(),
        view: fc.boolean(),
        connector: fc.oneof(
          fc.constant({ kind: 'all' as const }),
          fc.constant({ kind: 'one' as const }),
          fc.record({ kind: fc.constant('probability' as const), p: fc.double({ min: 0, max: 1, noNaN: true }), seed: fc.nat() }),
          fc.record({ kind: fc.constant('pre' as const), n: fc.integer({ min: 0, max: 3 }), seed: fc.nat() }),
          fc.record({ kind: fc.constant('list' as const), entries: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 12 }) }),
        ),
        inhibitory: fc.boolean(),
        weights: fc.array(fc.oneof(fc.integer({ min: 0, max: 63 }), fc.integer({ min: 64, max: 150 }), fc.double({ min: 0, max: 63, noNaN: true })), { minLength: 1, maxLength: 64 }),
      }),
      { maxLength: 5 },
    ),
  })
  .map((d) => d as Draft);

/** Builds the network of a draft; connections beyond the in-degree budget are left out. Returns the projections. */
function build(d: Draft): pynn.Projection[] {
  const neurons = d.neurons.map((n, i) => new pynn.Population(n, new pynn.IF_curr_exp(), { label: `n${i}` }));
  const arrays = d.arrays.map((n, i) => new pynn.Population(n, new pynn.SpikeSourceArray({ spike_times: [1, 2] }), { label: `a${i}` }));
  const poisson = d.poisson === undefined ? [] : [new pynn.Population(d.poisson, new pynn.SpikeSourcePoisson({ rate: 20 }), { label: 'p' })];
  const sources = [...neurons, ...arrays, ...poisson];
  if (d.recordNeurons) neurons.forEach((p) => p.record('spikes'));
  const inDegree = new Map<string, number>();
  return d.projections.map((pd, k) => {
    const pre = sources[pd.pre % sources.length]!;
    const postPopulation = neurons[pd.post % neurons.length]!;
    const post = pd.view && postPopulation.size > 1 ? postPopulation.slice(0, Math.ceil(postPopulation.size / 2)) : postPopulation;
    const receptor = pd.inhibitory ? 'inhibitory' : 'excitatory';
    // The connector draws; the list kept respects the budget (a FromListConnector over the drawn pairs).
    const drawn = connector(pd.connector, pre.size, post.size).connect({
      preSize: pre.size,
      postSize: post.size,
      isSelf: (i, j) => pre.at(i).id === post.at(j).id,
      rng: new pynn.NumpyRNG({ seed: k }),
      projection: `p${k}`,
    });
    const kept: number[][] = [];
    for (const c of drawn) {
      const slot = `${post.at(c.post).id}|${receptor}`;
      const used = inDegree.get(slot) ?? 0;
      if (used >= IN_DEGREE) continue;
      inDegree.set(slot, used + 1);
      const w = pd.weights[kept.length % pd.weights.length]!;
      kept.push([c.pre, c.post, pd.inhibitory ? -w : w]);
    }
    return new pynn.Projection(pre, post, new pynn.FromListConnector(kept), new pynn.StaticSynapse(), receptor, { label: `p${k}` });
  });
}

function connector(c: ConnectorDraft, preSize: number, postSize: number): pynn.Connector {
  switch (c.kind) {
    case 'all':
      return new pynn.AllToAllConnector();
    case 'one':
      return preSize === postSize ? new pynn.OneToOneConnector() : new pynn.AllToAllConnector({ allowSelfConnections: false });
    case 'probability':
      return new pynn.FixedProbabilityConnector(c.p, { rng: new pynn.NumpyRNG({ seed: c.seed }) });
    case 'pre':
      return new pynn.FixedNumberPreConnector(Math.min(c.n, preSize), { rng: new pynn.NumpyRNG({ seed: c.seed }) });
    case 'list':
      return new pynn.FromListConnector(c.entries.map(([i, j]) => [i % preSize, j % postSize]));
  }
}

/** What the PyNN projections ask for, in routing's terms: per (pre, post, receptor) the summed rounded magnitudes. */
function requested(projections: readonly pynn.Projection[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of projections) {
    // Repeated pairs of one projection are merged before rounding (their weights add on the same synapses).
    const pairs = new Map<string, number>();
    p.connections.forEach((c, k) => {
      const { pre, post } = p.endpoints(k);
      const key = `${neuronKey({ population: pre.population.label, index: pre.index })}|${neuronKey({ population: post.population.label, index: post.index })}|${p.receptorType}`;
      pairs.set(key, (pairs.get(key) ?? 0) + c.weight);
    });
    for (const [key, w] of pairs) out.set(key, (out.get(key) ?? 0) + Math.round(Math.abs(w)));
  }
  for (const [key, w] of out) if (w === 0) out.delete(key);
  return out;
}

describe('PyNN networks read back from the chip', () => {
  afterEach(async () => pynn.end());

  // 12 random networks in all, split into three seeded ranges of four so that each test stays short on a loaded
  // machine; each range is reproducible on its own (seed 7 + k).
  for (const k of [0, 1, 2]) {
    it(`random small networks that fit are routed without error and realise exactly their projections (range ${k})`, async () => {
      await fc.assert(
        fc.asyncProperty(draft, fc.integer({ min: 0, max: 1000 }), async (d, chipSeed) => {
          pynn.setup({ chipSeed, calibration: 'nominal' });
          const projections = build(d);
          await expect(pynn.prepare()).resolves.toBeUndefined();
          const simulator = pynn.simulator();
          const chip = await readEventPath(simulator.connection);
          const realised = expectChipRealises(simulator.routing!, chip);
          const fromChip = new Map(realised.map((c) => [`${neuronKey(c.pre)}|${neuronKey(c.post)}|${c.receptor}`, c.weight]));
          expect(fromChip).toEqual(requested(projections));
          await pynn.end();
        }),
        { numRuns: 4, seed: 7 + k, endOnFailure: true },
      );
    });
  }
});
