import { BUSES_PER_HEMISPHERE, COLUMNS, HEMISPHERE_COUNT, columnOfCircuit, hemisphereOfCircuit } from './bus-load.js';
import { CHUNK_SIZE, ROW_SELECTS, addChunk, driversNeeded, measureChunk, newChunk, type Chunking, type SynapsesBySource } from './chunks.js';
import type { SynapseList } from './connection-split.js';
import { projectionsWhere, quoted } from './constraints.js';
import { DRIVERS_PER_BUS } from './driver-matching.js';
import { UnsuccessfulRouting } from './errors.js';
import { HEMISPHERES } from './network.js';
import { SourceKind, type Sources } from './sources.js';
import type { IndexedNetwork } from './validate.js';

/** A source's synapses grouped by key `(h·256 + column)·2 + receptor`, with their counts. */
function groupedTargets(synapses: SynapseList, ids: Int32Array, from: number, to: number): { keys: number[]; counts: number[] } {
  const raw: number[] = [];
  for (let k = from; k < to; k++) {
    const s = ids[k]!;
    const circuit = synapses.circuit[s]!;
    raw.push((hemisphereOfCircuit(circuit) * COLUMNS + columnOfCircuit(circuit)) * 2 + synapses.receptor[s]!);
  }
  raw.sort((a, b) => a - b);
  const keys: number[] = [];
  const counts: number[] = [];
  for (const key of raw) {
    if (keys[keys.length - 1] === key) counts[counts.length - 1]!++;
    else {
      keys.push(key);
      counts.push(1);
    }
  }
  return { keys, counts };
}

/** An external chunk being filled: its members and, per (hemisphere, column, receptor), its synapse counts. */
interface OpenChunk {
  readonly bus: number;
  readonly members: number[];
  readonly counts: Int32Array;
  /** Rows per hemisphere and receptor, `2·h + receptor`: the largest count. */
  readonly rows: Int32Array;
}

function drivers(rows: Int32Array, h: number): number {
  return Math.ceil((rows[2 * h]! + rows[2 * h + 1]!) / 2);
}

function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/**
 * Step 4 of hardware.md §10.2 for external sources: each may use any bus of the target block; it takes one
 * bus index in both hemispheres (it has one label) and joins a chunk of ≤ 64 sources there. **Choice:** the
 * reference cuts a bus's sources linearly into chunks; here each source (most connected first) joins the
 * chunk — open, or new while the bus has row-select addresses left — that costs the fewest extra drivers,
 * then the fewest extra rows, then leaves the least loaded bus. A chunk needs as many rows as its most
 * loaded column, so packing sources with disjoint targets together keeps that low (random sparse input of
 * ~1000 sources: the fullest bus needs 64 rows instead of 68–72). A bus is ruled out when a hemisphere it reaches would need more than
 * its 32 drivers (which also bounds every circuit's synapses over the bus by 64).
 */
export function distributeExternalSources(
  indexed: IndexedNetwork,
  sources: Sources,
  synapses: SynapseList,
  bySource: SynapsesBySource,
  chunking: Chunking,
): void {
  // What the fixed chunks (neurons, background) already take of each bus.
  const busDrivers = new Int32Array(HEMISPHERE_COUNT * BUSES_PER_HEMISPHERE);
  const busLabels = new Int32Array(BUSES_PER_HEMISPHERE);
  for (const chunk of chunking.chunks) {
    if (!chunk.arrives[0] && !chunk.arrives[1]) continue;
    busLabels[chunk.bus]!++;
    for (let h = 0; h < HEMISPHERE_COUNT; h++) if (chunk.arrives[h]) busDrivers[h * BUSES_PER_HEMISPHERE + chunk.bus]! += driversNeeded(chunk, h);
  }
  const open: OpenChunk[][] = Array.from({ length: BUSES_PER_HEMISPHERE }, () => []);
  const order: number[] = [];
  for (let s = 0; s < sources.count; s++) {
    if (sources.kind[s] === SourceKind.external && bySource.start[s + 1]! > bySource.start[s]!) order.push(s);
  }
  const degree = (s: number) => bySource.start[s + 1]! - bySource.start[s]!;
  order.sort((a, b) => degree(b) - degree(a) || a - b);
  const rowsAfter = new Int32Array(2 * HEMISPHERE_COUNT);
  const empty = new Int32Array(2 * HEMISPHERE_COUNT);

  for (const s of order) {
    const { keys, counts } = groupedTargets(synapses, bySource.ids, bySource.start[s]!, bySource.start[s + 1]!);
    const touched = [false, false];
    for (const key of keys) touched[Math.floor(key / (2 * COLUMNS))] = true;
    let best: { bus: number; chunk: OpenChunk | undefined; cost: number[] } | undefined;
    const refusals: string[] = [];
    for (let bus = 0; bus < BUSES_PER_HEMISPHERE; bus++) {
      const candidates: (OpenChunk | undefined)[] = open[bus]!.filter((c) => c.members.length < CHUNK_SIZE);
      if (busLabels[bus]! < ROW_SELECTS) candidates.push(undefined);
      if (candidates.length === 0) refusals.push(`bus ${bus}: all ${ROW_SELECTS} row-select addresses hold full groups`);
      let tooFull: string | undefined;
      for (const chunk of candidates) {
        const before = chunk?.rows ?? empty;
        rowsAfter.set(before);
        keys.forEach((key, k) => {
          const slot = 2 * Math.floor(key / (2 * COLUMNS)) + (key & 1);
          const count = (chunk?.counts[key] ?? 0) + counts[k]!;
          if (count > rowsAfter[slot]!) rowsAfter[slot] = count;
        });
        let extraDrivers = 0;
        let extraRows = 0;
        let load = 0;
        let feasible = true;
        for (let h = 0; h < HEMISPHERE_COUNT; h++) {
          if (!touched[h]) continue;
          const after = busDrivers[h * BUSES_PER_HEMISPHERE + bus]! + drivers(rowsAfter, h) - drivers(before, h);
          if (after > DRIVERS_PER_BUS) {
            feasible = false;
            tooFull ??= `the ${HEMISPHERES[h]} hemisphere would need ${after} of its ${DRIVERS_PER_BUS} drivers`;
          }
          extraDrivers += drivers(rowsAfter, h) - drivers(before, h);
          extraRows += rowsAfter[2 * h]! + rowsAfter[2 * h + 1]! - before[2 * h]! - before[2 * h + 1]!;
          load = Math.max(load, after);
        }
        if (!feasible) continue;
        const cost = [extraDrivers, extraRows, load, chunk === undefined ? 1 : 0, bus];
        if (best === undefined || lexLess(cost, best.cost)) best = { bus, chunk, cost };
      }
      if (tooFull !== undefined) refusals.push(`bus ${bus}: ${tooFull}`);
    }
    if (best === undefined) {
      const population = indexed.populations[sources.population[s]!]!.name;
      const projections = projectionsWhere(indexed, synapses, (syn) => synapses.source[syn] === s);
      throw new UnsuccessfulRouting(
        'source distribution',
        `Source distribution not successful: external source '${population}' ${sources.index[s]} (projections ${quoted(projections)}, ${degree(s)} synapses into the ${HEMISPHERES.filter((_, h) => touched[h]).join(' and ')} hemisphere) fits on no PADI bus (${refusals.join('; ')}). Lower the fan-in onto the most loaded neurons or the number of inputs`,
        { population, projection: projections.join(', '), limit: DRIVERS_PER_BUS },
      );
    }
    let chunk = best.chunk;
    if (chunk === undefined) {
      chunk = { bus: best.bus, members: [], counts: new Int32Array(HEMISPHERE_COUNT * COLUMNS * 2), rows: new Int32Array(2 * HEMISPHERE_COUNT) };
      open[best.bus]!.push(chunk);
      busLabels[best.bus]!++;
    }
    for (let h = 0; h < HEMISPHERE_COUNT; h++) busDrivers[h * BUSES_PER_HEMISPHERE + best.bus]! -= drivers(chunk.rows, h);
    chunk.members.push(s);
    keys.forEach((key, k) => {
      const value = (chunk.counts[key]! += counts[k]!);
      const slot = 2 * Math.floor(key / (2 * COLUMNS)) + (key & 1);
      if (value > chunk.rows[slot]!) chunk.rows[slot] = value;
    });
    for (let h = 0; h < HEMISPHERE_COUNT; h++) busDrivers[h * BUSES_PER_HEMISPHERE + best.bus]! += drivers(chunk.rows, h);
  }

  open.forEach((list, bus) =>
    list.forEach((c) => {
      const id = addChunk(chunking, newChunk(SourceKind.external, bus, -1, c.members, c.members.map((_, k) => k)));
      measureChunk(chunking.chunks[id]!, bySource);
      chunking.groups.push({ chunks: [id], candidates: Array.from({ length: ROW_SELECTS }, (_, r) => r), priority: 2 });
    }),
  );
}
