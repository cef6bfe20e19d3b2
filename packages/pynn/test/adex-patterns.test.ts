// Issue 19 item 4: AdEx as users parameterise it. The chip's exponential slope is fixed (15 mV); pynn gives an
// EIF_cond_exp_isfa_ista population the voltage scale that makes it the requested delta_T (README, Choices:
// AdEx), so the eight firing patterns of Naud et al. (2008), Table 1 (delta_T = 2 mV), fire on the ideal chip as
// their model does: the same class and spike counts within 15 % over 500 ms, against Brian2 at a fine step
// (test-fixtures/references/adex_naud_patterns.json, tools/references/adex_naud_patterns.py).
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';
import { IDEAL } from './support/network.js';

interface Pattern {
  readonly parameters: { C: number; gL: number; EL: number; VT: number; a: number; tauW: number; b: number; Vr: number; I: number };
  readonly spike_times_ms: number[];
}
const reference = JSON.parse(readFileSync(new URL('../../../test-fixtures/references/adex_naud_patterns.json', import.meta.url), 'utf8')) as {
  delta_T_mV: number;
  v_spike_mV: number;
  duration_ms: number;
  patterns: Record<string, Pattern>;
  variants: Record<string, Pattern>;
};

/** Spike times (ms) of one pattern as a PyNN EIF_cond_exp_isfa_ista neuron on the ideal chip. */
async function run(name: string): Promise<number[]> {
  const p = reference.patterns[name]!.parameters;
  pynn.setup(IDEAL);
  const pop = new pynn.Population(
    1,
    new pynn.EIF_cond_exp_isfa_ista({
      cm: p.C / 1000,
      tau_m: p.C / p.gL,
      v_rest: p.EL,
      v_thresh: p.VT,
      delta_T: reference.delta_T_mV,
      v_spike: reference.v_spike_mV,
      v_reset: p.Vr,
      a: p.a,
      b: p.b / 1000,
      tau_w: p.tauW,
      i_offset: p.I / 1000,
      tau_refrac: 0.3,
    }),
  );
  pop.record('spikes');
  await pynn.run(reference.duration_ms);
  return Array.from(pop.getData().segments[0]!.spiketrains[0]!.times as ArrayLike<number>);
}

const mean = (x: readonly number[]) => x.reduce((a, b) => a + b, 0) / x.length;
const cv = (x: readonly number[]) => Math.sqrt(mean(x.map((v) => (v - mean(x)) ** 2))) / mean(x);

/**
 * The firing class of a spike train by its ISIs (the categories of Naud et al. 2008, Fig. 4): 'transient' (at most
 * two spikes); bursts when the sorted ISIs fall into a short and a long group (a gap of ≥ 3×) and the long ones
 * are regular (CV < 0.15) — 'initial burst' if no short ISI follows the first long one, else 'bursting';
 * 'adapting' / 'accelerating' when the ISIs mostly (≥ 70 %) grow / shrink, the last third ≥ 1.3× / ≤ 0.77× the
 * first; 'irregular' for an ISI CV above 0.3; else 'tonic'.
 */
function firingClass(times: readonly number[]): string {
  if (times.length <= 2) return 'transient';
  const isi = times.slice(1).map((t, k) => t - times[k]!);
  const sorted = [...isi].sort((x, y) => x - y);
  let gap = 1;
  let split = Infinity;
  for (let k = 1; k < sorted.length; k++) {
    if (sorted[k]! / sorted[k - 1]! > gap) {
      gap = sorted[k]! / sorted[k - 1]!;
      split = sorted[k]!;
    }
  }
  if (gap >= 3) {
    const long = isi.filter((d) => d >= split);
    if (long.length >= 2 && cv(long) < 0.15) return isi.slice(isi.findIndex((d) => d >= split)).some((d) => d < split) ? 'bursting' : 'initial burst';
  }
  const n = Math.max(1, Math.floor(isi.length / 3));
  const [early, late] = [mean(isi.slice(0, n)), mean(isi.slice(-n))];
  const steps = isi.slice(1).map((d, k) => Math.sign(d - isi[k]!));
  const growing = steps.filter((s) => s > 0).length / Math.max(1, steps.length);
  const shrinking = steps.filter((s) => s < 0).length / Math.max(1, steps.length);
  if (late >= 1.3 * early && growing >= 0.7) return 'adapting';
  if (late <= 0.77 * early && shrinking >= 0.7) return 'accelerating';
  return cv(isi) > 0.3 ? 'irregular' : 'tonic';
}

it('the classifier tells the eight reference patterns apart as Naud et al. name them', () => {
  const classes = Object.fromEntries(Object.entries(reference.patterns).map(([name, p]) => [name, firingClass(p.spike_times_ms)]));
  expect(classes).toEqual({
    tonic: 'tonic',
    adapting: 'adapting',
    initialBurst: 'initial burst',
    regularBursting: 'bursting',
    delayedAccelerating: 'accelerating',
    delayedRegularBursting: 'bursting',
    transient: 'transient',
    irregular: 'irregular',
  });
});

afterEach(async () => {
  await pynn.end();
});

describe('AdEx firing patterns through PyNN (delta_T = 2 mV) on the ideal chip', () => {
  // The irregular set is chaotic: with b 5 % higher — the b the chip realises for it, 11 steps of 0.05 nA for 10.5 —
  // the exact model fires periodic doublets for 300 ms before it turns irregular again (the fixture's
  // "irregularAtChipB"), and the chip stays in doublets. Its class is checked as "ISIs of very different lengths"
  // (CV > 0.3, what irregular and bursting trains share), its count against both references.
  it.each(Object.keys(reference.patterns))('%s: the class and the spike count (±15 %) of the exact model', async (name) => {
    const expected = reference.patterns[name]!.spike_times_ms;
    const got = await run(name);
    const shown = `${name}: ${got.length} spikes at ${got.slice(0, 12).map((t) => t.toFixed(1)).join(', ')}`;
    if (name === 'irregular') {
      const isi = (t: readonly number[]) => t.slice(1).map((x, k) => x - t[k]!);
      expect(cv(isi(got)), shown).toBeGreaterThan(0.3);
      expect(cv(isi(expected))).toBeGreaterThan(0.3);
      const atChipB = reference.variants.irregularAtChipB!.spike_times_ms;
      expect(Math.abs(got.length - atChipB.length)).toBeLessThanOrEqual(0.15 * atChipB.length);
    } else {
      expect(firingClass(got), shown).toBe(firingClass(expected));
    }
    expect(Math.abs(got.length - expected.length)).toBeLessThanOrEqual(0.15 * expected.length);
  }, 60_000);

  it('realises delta_T through the population voltage scale; mixed delta_T in one population are refused by name', () => {
    pynn.setup(IDEAL);
    const pop = new pynn.Population(2, new pynn.EIF_cond_exp_isfa_ista({ delta_T: [2, 3] }), { label: 'mixed' });
    pop.record('spikes');
    return expect(pynn.run(10)).rejects.toThrow(/delta_T of population 'mixed' differs between neurons \(2 mV at 0, 3 mV at 1\)/);
  });
});
