// The sample plan of the CADC decay measurement (src/calibrations/decay-measurement.ts): 20 delays over three
// time constants, grouped into chains of sweeps that fit after one kick.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SWEEP_SPACING_CYCLES, decayDelays, delayChains } from '../src/calibrations/decay-measurement.js';
import { CADC_READS_PER_SWEEP } from '../src/measurement/cadc-readout.js';

fc.configureGlobal({ seed: 0xdeca1, numRuns: 200 });

/** Increasing, distinct delays on the 25-cycle grid, as `decayDelays` makes them. */
const gridDelays = fc.uniqueArray(fc.integer({ min: 1, max: 2000 }), { minLength: 1, maxLength: 40 }).map((ks) => ks.sort((a, b) => a - b).map((k) => 25 * k));

/** The most delays that lie within one spacing of each other: no plan can use fewer chains. */
function crowdedWindow(delays: readonly number[]): number {
  return Math.max(...delays.map((d) => delays.filter((e) => e >= d && e - d < SWEEP_SPACING_CYCLES).length));
}

describe('decay measurement: delays and sweep chains', () => {
  it('a chain never starts a sweep before the previous one of the same kick has read its 128 quads', () => {
    expect(SWEEP_SPACING_CYCLES).toBeGreaterThanOrEqual(CADC_READS_PER_SWEEP + 2);
  });

  it('chains hold every delay once, increasing and a sweep apart, as few chains as the delays allow, longest last', () => {
    fc.assert(
      fc.property(fc.oneof(gridDelays, fc.double({ min: 0.2, max: 500, noNaN: true }).map(decayDelays)), (delays) => {
        const chains = delayChains(delays);
        expect(chains.flat().sort((a, b) => a - b)).toEqual(delays.map((_, k) => k));
        for (const chain of chains) {
          for (let j = 1; j < chain.length; j++) expect(delays[chain[j]!]! - delays[chain[j - 1]!]!).toBeGreaterThanOrEqual(SWEEP_SPACING_CYCLES);
        }
        expect(chains).toHaveLength(crowdedWindow(delays));
        const lasts = chains.map((c) => delays[c[c.length - 1]!]!);
        expect(lasts).toEqual([...lasts].sort((a, b) => a - b));
      }),
    );
  });

  it('the spiking preset (τ 10 µs): 20 delays from 0.2 µs to 30 µs in three kicks', () => {
    const delays = decayDelays(10);
    expect(delays).toHaveLength(20);
    expect(delays[0]).toBe(25);
    expect(delays[19]).toBe(3775);
    expect(delayChains(delays)).toHaveLength(3);
  });
});
