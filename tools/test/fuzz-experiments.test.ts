// A seeded subset of the experiment fuzzer (tools/fuzz/experiments.ts): every case ends in a result or a typed
// error of the stack within its time limit. Findings print with the case seed that replays them.
import { describe, expect, it } from 'vitest';
import { ExperimentError } from '@bss2/pynn';
import { caseSeed, experimentCase, isTyped, playCase, runExperimentFuzz, showInput } from '../fuzz/experiments.js';

describe('experiment fuzzer', () => {
  it('ends every case of a seeded subset in a result or a typed error, none over the time limit', async () => {
    // Most cases are refused in milliseconds; a case that runs pays the chip's configuration (≈ 0.5 s).
    const summary = await runExperimentFuzz({ cases: 60, seed: 1, caseTimeoutMs: 10_000 });
    expect(summary.findings, JSON.stringify(summary.findings, null, 2)).toEqual([]);
    expect(summary.outcomes.untyped + summary.outcomes.hang).toBe(0);
    // A subset that only ever fails at parsing would not reach the simulator: some cases must run.
    expect(summary.outcomes.result).toBeGreaterThan(0);
    expect(summary.outcomes.typed).toBeGreaterThan(0);
  });

  it('draws the same case from the same seed, so a finding replays alone', () => {
    const seed = caseSeed(1, 17);
    expect(showInput(experimentCase(seed), Infinity)).toBe(showInput(experimentCase(seed), Infinity));
    expect(caseSeed(1, 17)).not.toBe(caseSeed(2, 17));
  });

  it('tells typed errors of the stack from anything else', async () => {
    expect(isTyped(new TypeError('x'))).toBe(false);
    expect(isTyped(new RangeError('x'))).toBe(false);
    const refused = await playCase({ kind: 'random-document', document: { populations: [] } });
    expect(refused).toBeInstanceOf(ExperimentError);
    expect(isTyped(refused)).toBe(true);
  });
});
