// AdEx with adaptation and exponential term: the firing patterns of Naud et al. (2008), mapped to hardware
// units (adex-patterns.ts), each recognised from its inter-spike intervals.
import { describe, expect, it } from 'vitest';
import { chip, intervals, spikesOf } from './analog-helpers.js';
import { type PatternName, adexNeuron, naudPatterns } from './adex-patterns.js';

const STIMULUS_MS = 600; // bio ms = hw µs
const names = Object.keys(naudPatterns) as PatternName[];

/** Spike times (bio ms) of every pattern, all simulated side by side on one chip (circuit i = pattern i). */
function simulate(step_ns: number): Record<PatternName, number[]> {
  const array = chip(new Map(names.map((name, i) => [i, adexNeuron(naudPatterns[name])])), { step_ns }, undefined, 'datasheet');
  array.advanceTo(STIMULUS_MS * 1000);
  return Object.fromEntries(names.map((name, i) => [name, spikesOf(array, i).map((t) => t / 1000)])) as Record<PatternName, number[]>;
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const cv = (xs: readonly number[]): number => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2))) / mean(xs);
/** Naud et al.'s adaptation index: mean of (ISI_{i+1} − ISI_i) / (ISI_{i+1} + ISI_i). */
const adaptationIndex = (isi: readonly number[]): number => mean(isi.slice(1).map((x, i) => (x - isi[i]!) / (x + isi[i]!)));
/** The interval sequence repeats with some period 1..6 (within 5 %) over its second half. */
function periodic(isi: readonly number[]): boolean {
  const tail = isi.slice(Math.floor(isi.length / 2));
  for (let period = 1; period <= 6 && 2 * period < tail.length; period++) {
    if (tail.slice(period).every((x, i) => Math.abs(x - tail[i]!) < 0.05 * Math.max(x, tail[i]!))) return true;
  }
  return false;
}

/** The qualitative pattern of each parameter set, as properties of its spike train. */
const checks: Record<PatternName, (spikes: number[], isi: number[]) => void> = {
  tonic(spikes, isi) {
    expect(spikes.length).toBeGreaterThan(30);
    expect(cv(isi)).toBeLessThan(0.05);
    expect(Math.abs(adaptationIndex(isi))).toBeLessThan(0.01);
    expect(periodic(isi)).toBe(true);
  },
  adapting(spikes, isi) {
    expect(spikes.length).toBeGreaterThan(5);
    // Gradual lengthening: never shorter, never a jump (that would be an initial burst).
    isi.slice(1).forEach((x, i) => expect(x / isi[i]!).toBeGreaterThanOrEqual(0.99));
    isi.slice(1).forEach((x, i) => expect(x / isi[i]!).toBeLessThan(2));
    expect(isi.at(-1)! / isi[0]!).toBeGreaterThan(3);
    expect(adaptationIndex(isi)).toBeGreaterThan(0.05);
  },
  initialBurst(_spikes, isi) {
    const steady = isi.slice(-5);
    expect(cv(steady)).toBeLessThan(0.02);
    expect(isi[0]!).toBeLessThan(0.2 * mean(steady));
    expect(isi[1]!).toBeLessThan(0.2 * mean(steady));
  },
  regularBursting(_spikes, isi) {
    const long = isi.filter((x) => x > 50);
    const short = isi.filter((x) => x < 10);
    expect(long.length).toBeGreaterThanOrEqual(3);
    expect(short.length).toBeGreaterThanOrEqual(long.length);
    expect(Math.min(...long)).toBeGreaterThan(10 * Math.max(...short));
    expect(cv(long.slice(1))).toBeLessThan(0.05); // bursts repeat regularly
  },
  delayed(spikes, isi) {
    expect(spikes[0]!).toBeGreaterThan(2 * isi.at(-1)!); // late onset
    expect(isi[0]! / isi.at(-1)!).toBeGreaterThan(1.5); // then accelerating
    expect(adaptationIndex(isi)).toBeLessThan(-0.005);
  },
  transient(spikes) {
    expect(spikes.length).toBeGreaterThanOrEqual(1);
    expect(spikes.length).toBeLessThanOrEqual(5);
    expect(spikes.at(-1)!).toBeLessThan(0.2 * STIMULUS_MS); // silent for the rest of the step
  },
  irregular(spikes, isi) {
    expect(spikes.length).toBeGreaterThan(15);
    expect(cv(isi.slice(5))).toBeGreaterThan(0.3);
    expect(periodic(isi)).toBe(false);
  },
};

describe('AdEx firing patterns (Naud et al. 2008) on the ideal chip', () => {
  for (const step_ns of [10, 100]) {
    const results = (() => {
      let cached: Record<PatternName, number[]> | undefined;
      return () => (cached ??= simulate(step_ns));
    })();
    for (const name of names) {
      it(`${name}, step ${step_ns} ns`, () => {
        const spikes = results()[name];
        checks[name](spikes, intervals(spikes));
      });
    }
  }

  it('each parameter set passes its own classifier only', () => {
    const results = simulate(100);
    for (const name of names) {
      for (const other of names) {
        if (other === name) continue;
        expect(() => checks[other](results[name], intervals(results[name])), `${name} must not pass as ${other}`).toThrow();
      }
    }
  });
});
