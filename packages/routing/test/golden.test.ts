// The routing of a few seeded networks (the chip-filling benchmark network among them) is pinned bit for bit by the
// digests of test-fixtures/routing/routing.golden.json: an optimisation of the router must not change any of them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { routeNetwork } from '../src/index.js';
import { FIXTURE_FILE, goldenCases, routingDigests, type GoldenDigests } from './golden.js';

const golden = JSON.parse(readFileSync(FIXTURE_FILE, 'utf8')) as Record<string, GoldenDigests>;
const cases = goldenCases();

describe('golden routings (test-fixtures/routing)', () => {
  it('the fixture names exactly the golden networks', () => {
    expect(Object.keys(golden).sort()).toEqual(cases.map((c) => c.name).sort());
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s routes to the golden containers, placement, synapses and labels', async (name, { network, options }) => {
    expect(await routingDigests(routeNetwork(network, options), network)).toEqual(golden[name]);
  });
});
