// Property: for random timers of up to three rules over two runs of a segment, every rule runs exactly at its
// ticks inside each run (clipped to the run, µs on the cycle grid), rules due together run in the same start, and
// each invocation sees its own count (kernel state kept by sameId across the runs).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlasticityRuleSpec } from '../src/index.js';
import { counterKernel as counter, idealExecutor, relayGraph } from './support.js';

const timer = fc.record({ start_us: fc.integer({ min: 0, max: 40 }), period_us: fc.integer({ min: 4, max: 25 }), numPeriods: fc.integer({ min: 0, max: 8 }) });

describe('plasticity schedule (property)', () => {
  it('runs each rule at exactly its ticks inside each run, merged where they coincide', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(timer, { minLength: 1, maxLength: 3 }), fc.integer({ min: 10, max: 40 }), async (timers, firstRun_us) => {
        const executor = idealExecutor();
        const rules: PlasticityRuleSpec[] = timers.map((t, i) => ({ name: `r${i}`, kernel: counter(`k${i}`), timer: t, sameId: `r${i}` }));
        const graph = { ...relayGraph(1), plasticity: rules };
        const runs = [await executor.run(graph, { duration_us: firstRun_us }), await executor.run(graph, { duration_us: 60 - firstRun_us })];
        const starts = new Map<number, Set<string>>();
        timers.forEach((t, i) => {
          const expected = Array.from({ length: t.numPeriods }, (_, k) => t.start_us + k * t.period_us).filter((x) => x < 60);
          const seen = runs.flatMap((r) => r.plasticity!.rules.get(`r${i}`)!);
          expect(seen.length).toBe(expected.length);
          seen.forEach((s, k) => {
            // The start instruction is on the tick, or a few cycles later behind other instructions of the tick.
            expect(s.time_us).toBeGreaterThanOrEqual(expected[k]!);
            expect(s.time_us).toBeLessThan(expected[k]! + 0.2);
            const count = s.ppu[0].observables.get('count')![3];
            expect(count).toBe(k + 1);
            const tick = Math.round(expected[k]! * 125);
            starts.set(tick, (starts.get(tick) ?? new Set()).add(String(s.time_us)));
          });
        });
        // Rules due at the same tick share one start instruction.
        for (const times of starts.values()) expect(times.size).toBe(1);
        executor.close();
      }),
      { seed: 1, numRuns: 6 },
    );
  }, 120_000);
});
