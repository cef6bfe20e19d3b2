// A seeded subset of the experiment fuzzer (tools/fuzz/experiments.ts): every case ends in a result or a typed
// error of the stack within its time limit. Findings print with the case seed that replays them.
import { describe, expect, it } from 'vitest';
import { ExperimentError } from '@bss2/pynn';
import { caseSeed, experimentCase, isTyped, playCase, runExperimentFuzz, showInput } from '../fuzz/experiments.js';

describe('experiment fuzzer', () => {
  const outcomes = { result: 0, typed: 0 };

  // Three seeded subsets of 20 cases (each test stays short under load): most cases are refused in
  // milliseconds; a case that runs pays the chip's configuration (≈ 0.5 s).
  it.each([1, 2, 3])('ends every case of seeded subset %i in a result or a typed error, none over the time limit', async (seed) => {
    const summary = await runExperimentFuzz({ cases: 20, seed, caseTimeoutMs: 10_000 });
    expect(summary.findings, JSON.stringify(summary.findings, null, 2)).toEqual([]);
    expect(summary.outcomes.untyped + summary.outcomes.hang).toBe(0);
    expect(summary.outcomes.result + summary.outcomes.typed).toBe(20);
    outcomes.result += summary.outcomes.result;
    outcomes.typed += summary.outcomes.typed;
  });

  it('reaches the simulator and the error paths alike across the subsets', () => {
    // A subset that only ever fails at parsing would not reach the simulator: some cases must run.
    expect(outcomes.result).toBeGreaterThan(0);
    expect(outcomes.typed).toBeGreaterThan(0);
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
