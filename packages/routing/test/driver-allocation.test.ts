// Step 5 on one bus: the greedy router keeps the first feasible row-select address per label group; the
// backtracking router revisits earlier choices. A full bus (32 of 32 drivers) where only backtracking succeeds.
import { describe, expect, it } from 'vitest';
import { newChunk, type Chunking } from '../src/chunks.js';
import { allocateDrivers } from '../src/driver-allocation.js';
import { driverServes } from '../src/driver-matching.js';
import { UnsuccessfulRouting } from '../src/index.js';
import { SourceKind } from '../src/sources.js';

/** Groups on bus 0: one of event output 0 (addresses 0..3), the rest external (any address). */
function crowdedBus(): Chunking {
  const spec = [
    { internal: true, top: 1, bottom: 0 },
    { internal: false, top: 11, bottom: 0 },
    { internal: false, top: 12, bottom: 0 },
    { internal: false, top: 2, bottom: 0 },
    { internal: false, top: 1, bottom: 1 },
    { internal: false, top: 3, bottom: 1 },
    { internal: false, top: 2, bottom: 0 },
  ];
  const chunks = spec.map((g, i) => {
    const chunk = newChunk(g.internal ? SourceKind.internal : SourceKind.external, 0, g.internal ? 0 : -1, [i], [0]);
    chunk.arrives[0] = true;
    chunk.arrives[1] = g.bottom > 0;
    chunk.rows[0] = 2 * g.top;
    chunk.rows[2] = 2 * g.bottom;
    return chunk;
  });
  const groups = spec.map((g, i) => ({ chunks: [i], candidates: g.internal ? [0, 1, 2, 3] : Array.from({ length: 32 }, (_, r) => r), priority: g.internal ? 0 : 2 }));
  return { chunks, groups, chunkOf: new Int32Array(0), labelOf: new Int32Array(0), generatorOn: [], recordedGenerator: [], recordedSource: new Uint8Array(0) };
}

describe('driver allocation', () => {
  it('greedy gets stuck on a full bus', () => {
    expect(() => allocateDrivers(crowdedBus(), 'greedy', 20_000, () => "'x'")).toThrow(UnsuccessfulRouting);
    expect(() => allocateDrivers(crowdedBus(), 'greedy', 20_000, () => "'x'")).toThrow(/^Synapse driver allocations not successful\. PADI bus 0: no row-select address for 1 source\(s\) of 'x' needing/);
  });

  it('backtracking finds addresses and drivers for every group; each driver accepts no other group', () => {
    const chunking = crowdedBus();
    const allocation = allocateDrivers(chunking, 'backtracking', 20_000, () => "'x'");
    expect(allocation.rowSelect[0]).toBeLessThan(4);
    for (const h of [0, 1]) {
      const arriving = chunking.chunks.map((c, id) => (c.arrives[h] ? allocation.rowSelect[id]! : -1)).filter((r) => r >= 0);
      const used = new Set<number>();
      chunking.chunks.forEach((chunk, id) => {
        const drivers = allocation.drivers[id]![h]!;
        expect(drivers.length).toBe(chunk.arrives[h] ? Math.ceil((chunk.rows[2 * h]! + chunk.rows[2 * h + 1]!) / 2) : 0);
        for (const k of drivers) {
          expect(used.has(k)).toBe(false);
          used.add(k);
          expect(driverServes(k, allocation.rowSelect[id]!, arriving)).toBe(true);
        }
      });
    }
  });

  it('a node limit bounds the search', () => {
    expect(() => allocateDrivers(crowdedBus(), 'backtracking', 5, () => "'x'")).toThrow(/\(backtracking stopped at its limit of 5 nodes\)$/);
  });
});
