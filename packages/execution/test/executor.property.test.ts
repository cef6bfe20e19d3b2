// Random feed-forward graphs through the simulated chip: every recorded spike maps back to the population and
// neuron the graph says fired. Bypass neurons fire exactly when an excitatory event reaches them, and every
// source sends one spike at a time of its own, so each neuron's spikes are the spikes of its sources.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExternalPopulation, NetworkGraph, NeuronPopulation } from '../src/index.js';
import { calibratedBypass, idealExecutor, timesOf } from './support.js';

const arbitraryGraph = fc
  .record({
    sources: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 2 }),
    targets: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  })
  .chain(({ sources, targets, seed }) =>
    fc.record({
      sources: fc.constant(sources),
      targets: fc.constant(targets),
      seed: fc.constant(seed),
      // Per (source population, target population) pair: which member pairs connect.
      connections: fc.array(fc.array(fc.array(fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), { minLength: 6, maxLength: 6 }), { minLength: targets.length, maxLength: targets.length }), {
        minLength: sources.length,
        maxLength: sources.length,
      }),
      recorded: fc.array(fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), { minLength: targets.length, maxLength: targets.length }),
    }),
  );

describe('random graphs through the chip', () => {
  const executor = idealExecutor();
  afterAll(async () => executor.connection.close());

  // 25 random graphs in all (each a whole chip run), split into five seeded ranges of five so that each test
  // stays short on a loaded machine; each range is reproducible on its own (seed 20261207 + k).
  for (const k of [0, 1, 2, 3, 4]) {
    it(`spikes map back to the right populations and neurons (range ${k})`, async () => {
      await fc.assert(
        fc.asyncProperty(arbitraryGraph, async ({ sources, targets, connections, recorded }) => {
          const external: ExternalPopulation[] = sources.map((size, s) => ({ kind: 'external', name: `in${s}`, size }));
          const neurons: NeuronPopulation[] = targets.map((size, t) => ({ kind: 'neurons', name: `out${t}`, size, neurons: calibratedBypass, recordSpikes: recorded[t]!.slice(0, size) }));
          // Source member j of all sources sends at 1 + 2j µs: distinct times, far apart.
          const offsets = sources.map((_, s) => sources.slice(0, s).reduce((a, b) => a + b, 0));
          const sendTime = (s: number, i: number) => 1 + 2 * (offsets[s]! + i);
          const projections: { pre: number; post: number; weight: number }[][] = [];
          const graph: NetworkGraph = {
            populations: [...external, ...neurons],
            projections: sources.flatMap((size, s) =>
              targets.flatMap((tsize, t) => {
                const list: { pre: number; post: number; weight: number }[] = [];
                for (let i = 0; i < size; i++) for (let k = 0; k < tsize; k++) if (connections[s]![t]![i]![k]) list.push({ pre: i, post: k, weight: 1 + ((i * 7 + k * 13) % 63) });
                projections.push(list);
                return list.length === 0 ? [] : [{ name: `in${s}→out${t}`, pre: `in${s}`, post: `out${t}`, receptor: 'excitatory' as const, connections: list }];
              }),
            ),
          };
          const total = sources.reduce((a, b) => a + b, 0);
          const inputs = Object.fromEntries(sources.map((size, s) => [`in${s}`, { kind: 'array' as const, times_us: Array.from({ length: size }, (_, i) => [sendTime(s, i)]) }]));
          executor.reset();
          const report = await executor.run(graph, { duration_us: 2 * total + 3, inputs });
          for (const [t, tsize] of targets.entries()) {
            const expected = Array.from({ length: tsize }, (_, k) => {
              if (!recorded[t]![k]) return [];
              const times: number[] = [];
              sources.forEach((size, s) => {
                for (let i = 0; i < size; i++) if (connections[s]![t]![i]![k]) times.push(sendTime(s, i));
              });
              return times.sort((a, b) => a - b);
            });
            const got = timesOf(report.spikes, `out${t}`, tsize);
            expect(got.map((x) => x.length)).toEqual(expected.map((x) => x.length));
            got.forEach((times, k) => times.forEach((time, n) => expect(time - expected[k]![n]!).toBeGreaterThanOrEqual(0)));
            got.forEach((times, k) => times.forEach((time, n) => expect(time - expected[k]![n]!).toBeLessThan(1)));
          }
          for (const name of report.spikes.keys()) expect(name).toMatch(/^out\d$/);
        }),
        { numRuns: 5, seed: 20261207 + k },
      );
    });
  }
});
