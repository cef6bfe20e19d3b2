// Driver compare masks (hardware.md §3.6) and the exactness of the driver assignment (Hall's condition).
import { driverMatches } from '@bss2/lola';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DRIVERS_PER_BUS, compareMask, driverServes, matchDrivers } from '../src/index.js';

const address = fc.integer({ min: 0, max: 31 });

describe('compare masks', () => {
  it('a driver at k with compareMask(k, r) accepts exactly the addresses that differ from r only where k does', () => {
    fc.assert(
      fc.property(address, address, (k, r) => {
        const mask = compareMask(k, r);
        for (let a = 0; a < 32; a++) expect(driverMatches(a, k, mask)).toBe(((a ^ r) & ~(k ^ r)) === 0);
        expect(driverMatches(r, k, mask)).toBe(true);
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('driverServes(k, r, arrivals) iff the driver accepts no other arriving address', () => {
    fc.assert(
      fc.property(address, fc.uniqueArray(address, { minLength: 1, maxLength: 10 }), (k, arrivals) => {
        const r = arrivals[0]!;
        const others = arrivals.slice(1);
        expect(driverServes(k, r, arrivals)).toBe(others.every((a) => !driverMatches(a, k, compareMask(k, r))));
      }),
      { seed: 12, numRuns: 500 },
    );
  });
});

describe('matchDrivers', () => {
  const groups = fc
    .uniqueArray(address, { minLength: 1, maxLength: 8 })
    .chain((addresses) => fc.tuple(fc.constant(addresses), fc.array(fc.integer({ min: 0, max: 8 }), { minLength: addresses.length, maxLength: addresses.length })));

  it('returns a valid assignment whenever Hall\'s condition holds, and undefined only when it fails', () => {
    fc.assert(
      fc.property(groups, ([addresses, demands]) => {
        const owner = matchDrivers(addresses, demands);
        const serving = addresses.map((r) => Array.from({ length: DRIVERS_PER_BUS }, (_, k) => k).filter((k) => driverServes(k, r, addresses)));
        if (owner !== undefined) {
          const counts = addresses.map(() => 0);
          owner.forEach((group, k) => {
            if (group < 0) return;
            counts[group]!++;
            expect(serving[group]).toContain(k);
          });
          expect(counts).toEqual(demands);
          return;
        }
        // Some set of groups needs more drivers than the drivers able to serve any of them.
        let violated = false;
        for (let subset = 1; subset < 1 << addresses.length && !violated; subset++) {
          const union = new Set<number>();
          let need = 0;
          addresses.forEach((_, i) => {
            if ((subset >> i) & 1) {
              need += demands[i]!;
              for (const k of serving[i]!) union.add(k);
            }
          });
          violated = need > union.size;
        }
        expect(violated).toBe(true);
      }),
      { seed: 13, numRuns: 400 },
    );
  });
});
