// Reward-modulated STDP learns a two-choice task (issue 13 acceptance; examples/reward-two-choice.ts): over 5
// seeds the scored trials at the end are correct far above chance (one-sided binomial test, p < 0.01).
import { describe, expect, it } from 'vitest';
import { rewardTwoChoice } from '../examples/reward-two-choice.js';

/** P(X ≥ k) for X ~ Binomial(n, 1/2). */
function binomialTail(n: number, k: number): number {
  let p = 0;
  let term = 0.5 ** n; // C(n, 0) / 2^n
  for (let i = 0; i <= n; i++) {
    if (i >= k) p += term;
    term = (term * (n - i)) / (i + 1);
  }
  return p;
}

describe('reward-modulated STDP: two-choice task', () => {
  it('learns above chance across 5 seeds (p < 0.01)', async () => {
    let correct = 0;
    let scored = 0;
    let early = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const result = await rewardTwoChoice({ seed, trials: 60, scoredTrials: 20 });
      correct += result.correct;
      scored += result.scored;
      // The first 10 trials, before learning, for comparison.
      early += result.choices.slice(0, 10).filter((c, i) => c === result.patterns[i]).length;
    }
    const p = binomialTail(scored, correct);
    expect(p, `${correct}/${scored} correct, p = ${p.toExponential(2)}`).toBeLessThan(0.01);
    expect(correct / scored).toBeGreaterThan(early / 50);
  }, 180_000);
});
