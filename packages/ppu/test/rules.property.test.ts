import { NeuronColumnOnDLS } from '@bss2/halco';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CORRELATION_BASELINE, RULE_ROWS, type RuleHemisphereState, compileRule, homeostasisRule, interpretRule, rewardStdpRule, stdpRule } from '../src/index.js';

const COLUMNS = NeuronColumnOnDLS.size;
const cells = RULE_ROWS * COLUMNS;

const state: fc.Arbitrary<RuleHemisphereState> = fc.integer({ min: 1, max: 2 ** 31 - 1 }).map((seed) => {
  let a = seed;
  const next = (n: number) => {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    return (a >>> 8) % n;
  };
  return {
    weights: Uint8Array.from({ length: cells }, () => next(64)),
    causal: Uint8Array.from({ length: cells }, () => next(256)),
    acausal: Uint8Array.from({ length: cells }, () => next(256)),
    correlationBaseline: DEFAULT_CORRELATION_BASELINE,
    spikeCounts: Uint16Array.from({ length: COLUMNS }, () => next(512)),
  };
});
const range = fc.tuple(fc.integer({ min: 0, max: RULE_ROWS - 1 }), fc.integer({ min: 0, max: 3 })).map(([from, span]) => ({ from, to: Math.min(RULE_ROWS - 1, from + span) }));
const kernel = fc.constantFrom('additive', 'multiplicative', 'homeostasis', 'reward');
const param = fc.integer({ min: -128, max: 127 });

describe('built-in kernels: invariants (interpreter)', () => {
  it('weights stay 0..63, rows outside the range and the input are untouched, correlation of the range is reset', () => {
    fc.assert(
      fc.property(kernel, range, state, param, param, param, (which, rows, input, p, q, r) => {
        const rule = which === 'homeostasis' ? homeostasisRule({ rows }) : which === 'reward' ? rewardStdpRule({ rows }) : stdpRule({ rows, variant: which });
        const params: Record<string, number> = which === 'homeostasis' ? { targetCount: p & 0xff, eta: Math.abs(q) } : which === 'reward' ? { reward: p, rewardBaseline: q, eta: Math.abs(r) } : { etaPlus: Math.abs(p), etaMinus: Math.abs(q) };
        const before = input.weights.slice();
        const { state: after } = interpretRule(rule, input, params);
        expect(input.weights.every((w, i) => w === before[i])).toBe(true);
        const violations: string[] = [];
        for (let i = 0; i < cells; i++) {
          const row = Math.floor(i / COLUMNS);
          const inRange = row >= rows.from && row <= rows.to;
          if (after.weights[i]! > 63) violations.push(`weight ${i} = ${after.weights[i]}`);
          if (!inRange && after.weights[i] !== input.weights[i]) violations.push(`weight ${i} outside the range changed`);
          if (which !== 'homeostasis' && inRange && after.causal[i] !== DEFAULT_CORRELATION_BASELINE) violations.push(`causal ${i} not reset`);
        }
        expect(violations.slice(0, 5)).toEqual([]);
        if (which === 'homeostasis') expect(after.spikeCounts.every((c) => c === 0)).toBe(true);
      }),
      { seed: 1, numRuns: 30 },
    );
  });

  it('compilation is deterministic and every built-in fits the registers', () => {
    fc.assert(
      fc.property(kernel, range, (which, rows) => {
        const make = () => (which === 'homeostasis' ? homeostasisRule({ rows }) : which === 'reward' ? rewardStdpRule({ rows }) : stdpRule({ rows, variant: which }));
        const a = compileRule(make());
        const b = compileRule(make());
        expect(a.source).toBe(b.source);
        const words = b.image.words();
        expect(a.image.words().every((w, i) => w === words[i])).toBe(true);
      }),
      { seed: 1, numRuns: 20 },
    );
  });
});
