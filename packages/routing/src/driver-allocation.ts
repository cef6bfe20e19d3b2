import { BUSES_PER_HEMISPHERE, HEMISPHERE_COUNT } from './bus-load.js';
import { driversNeeded, type Chunk, type Chunking, type LabelGroup } from './chunks.js';
import { DRIVERS_PER_BUS, matchDrivers } from './driver-matching.js';
import { UnsuccessfulRouting } from './errors.js';
import { HEMISPHERES, type RouterName } from './network.js';

/** Row-select addresses and drivers of every chunk (step 5 of hardware.md §10.2). */
export interface DriverAllocation {
  /** Per chunk: its row-select address (PADIRowSelectAddress). */
  readonly rowSelect: Int32Array;
  /** Per chunk and hemisphere: the bus indices (SynapseDriverOnPADIBus) of its drivers, ascending. */
  readonly drivers: readonly (readonly number[][])[];
  /** Search nodes visited (statistics). */
  readonly nodes: number;
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
}

/** The state of one bus index's search: the address of each chunk chosen so far. */
class BusSearch {
  readonly address = new Map<number, number>();
  used = 0;
  nodes = 0;
  /** The deepest group index the search reached: where a failed search got stuck. */
  deepest = 0;
  /** The node limit stopped the search. */
  exhausted = false;

  constructor(readonly chunks: readonly Chunk[]) {}

  /** The assignment of drivers in hemisphere h for the chunks chosen so far, or undefined when none exists. */
  match(h: number): { ids: number[]; owner: Int32Array } | undefined {
    const ids: number[] = [];
    const addresses: number[] = [];
    const demands: number[] = [];
    for (const [id, r] of this.address) {
      const chunk = this.chunks[id]!;
      if (!chunk.arrives[h]) continue;
      ids.push(id);
      addresses.push(r);
      demands.push(driversNeeded(chunk, h));
    }
    const owner = matchDrivers(addresses, demands);
    return owner === undefined ? undefined : { ids, owner };
  }

  /**
   * Candidates of a group in preference order: a new address `a` takes from a chosen address `e` the
   * 2^(5 − distance(a, e)) drivers beyond `a` as seen from `e` (and as many from `a`), so candidates with the
   * smallest total of that loss come first.
   */
  ordered(group: LabelGroup): number[] {
    const width = group.chunks.length;
    const hemispheres = [0, 1].filter((h) => group.chunks.some((id) => this.chunks[id]!.arrives[h]));
    const scored: [number, number][] = [];
    for (const base of group.candidates) {
      let span = 0;
      for (let j = 0; j < width; j++) span |= 1 << (base + j);
      if ((this.used & span) !== 0) continue;
      let loss = 0;
      for (const [id, e] of this.address) {
        if (!hemispheres.some((h) => this.chunks[id]!.arrives[h])) continue;
        for (let j = 0; j < width; j++) loss += 2 ** (5 - popcount((base + j) ^ e));
      }
      scored.push([loss, base]);
    }
    scored.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    return scored.map(([, base]) => base);
  }

  assign(group: LabelGroup, base: number | undefined): void {
    group.chunks.forEach((id, j) => {
      if (base === undefined) {
        this.used &= ~(1 << this.address.get(id)!);
        this.address.delete(id);
      } else {
        this.address.set(id, base + j);
        this.used |= 1 << (base + j);
      }
    });
  }

  feasible(group: LabelGroup): boolean {
    for (let h = 0; h < HEMISPHERE_COUNT; h++) {
      if (group.chunks.some((id) => this.chunks[id]!.arrives[h]) && this.match(h) === undefined) return false;
    }
    return true;
  }

  /** Depth-first over the groups; `backtrack` false stops at the first group without a feasible address (greedy). */
  search(order: readonly LabelGroup[], i: number, backtrack: boolean, nodeLimit: number): boolean {
    if (i === order.length) return true;
    this.deepest = Math.max(this.deepest, i);
    const group = order[i]!;
    for (const base of this.ordered(group)) {
      if (this.nodes >= nodeLimit) {
        this.exhausted = true;
        return false;
      }
      this.nodes++;
      this.assign(group, base);
      if (this.feasible(group)) {
        if (this.search(order, i + 1, backtrack, nodeLimit)) return true;
        if (this.exhausted || !backtrack) {
          this.assign(group, undefined);
          return false;
        }
      }
      this.assign(group, undefined);
    }
    return false;
  }
}

function describeChunk(chunk: Chunk, names: (chunk: Chunk) => string): string {
  const need = HEMISPHERES.map((name, h) => (chunk.arrives[h] ? `${driversNeeded(chunk, h)} ${name}` : undefined)).filter((x) => x !== undefined);
  return `${chunk.members.length} source(s) of ${names(chunk)} needing ${need.join(' and ')} driver(s)`;
}

/**
 * Step 5 of hardware.md §10.2, per bus index (the same in both hemispheres): choose each label group's
 * row-select address and give every chunk its drivers. Groups are placed most-constrained first (internal,
 * then background, then external), larger demand first; each address is accepted only if the drivers of
 * every hemisphere it reaches can still be matched (`matchDrivers`). `greedy` keeps the first feasible
 * address per group; `backtracking` revisits earlier choices, bounded by `nodeLimit` search nodes per bus.
 */
export function allocateDrivers(
  chunking: Chunking,
  router: RouterName,
  nodeLimit: number,
  names: (chunk: Chunk) => string,
): DriverAllocation {
  const { chunks, groups } = chunking;
  const rowSelect = new Int32Array(chunks.length).fill(-1);
  const drivers = chunks.map(() => [[], []] as number[][]);
  let nodes = 0;
  const arrives = (id: number) => chunks[id]!.arrives[0] || chunks[id]!.arrives[1];
  for (let bus = 0; bus < BUSES_PER_HEMISPHERE; bus++) {
    const onBus = groups.filter((g) => chunks[g.chunks[0]!]!.bus === bus && g.chunks.some(arrives));
    for (let h = 0; h < HEMISPHERE_COUNT; h++) {
      const needed = onBus.reduce((sum, g) => sum + g.chunks.reduce((s, id) => s + (chunks[id]!.arrives[h] ? driversNeeded(chunks[id]!, h) : 0), 0), 0);
      if (needed > DRIVERS_PER_BUS) {
        const heavy = onBus.flatMap((g) => g.chunks).filter((id) => chunks[id]!.arrives[h]).map((id) => describeChunk(chunks[id]!, names));
        throw new UnsuccessfulRouting(
          'driver allocation',
          `Synapse driver allocations not successful. PADI bus ${bus} of the ${HEMISPHERES[h]} hemisphere needs ${needed} drivers (${2 * needed} rows) for its label groups (${heavy.join('; ')}), it has ${DRIVERS_PER_BUS}: each group of up to 64 sources needs as many rows as its most-connected column receives from it`,
          { limit: DRIVERS_PER_BUS, value: needed },
          [],
          4 * h + bus,
        );
      }
    }
    const demand = (g: LabelGroup) => g.chunks.reduce((s, id) => s + driversNeeded(chunks[id]!, 0) + driversNeeded(chunks[id]!, 1), 0);
    const order = [...onBus].sort((a, b) => a.priority - b.priority || demand(b) - demand(a) || a.chunks[0]! - b.chunks[0]!);
    const search = new BusSearch(chunks);
    // Greedy visits at most 32 addresses per group; the limit bounds only backtracking.
    const found = search.search(order, 0, router === 'backtracking', router === 'backtracking' ? nodeLimit : Number.POSITIVE_INFINITY);
    nodes += search.nodes;
    if (!found) {
      const stuck = order[search.deepest]!;
      const how = router === 'greedy' ? 'greedy' : search.exhausted ? `backtracking stopped at its limit of ${nodeLimit} nodes` : `backtracking, all ${search.nodes} nodes searched`;
      throw new UnsuccessfulRouting(
        'driver allocation',
        `Synapse driver allocations not successful. PADI bus ${bus}: no row-select address for ${describeChunk(chunks[stuck.chunks[0]!]!, names)} leaves drivers for every label group (${how})`,
        { limit: DRIVERS_PER_BUS },
        [],
        bus,
      );
    }
    for (const [id, r] of search.address) rowSelect[id] = r;
    for (let h = 0; h < HEMISPHERE_COUNT; h++) {
      const matched = search.match(h)!;
      matched.owner.forEach((group, k) => {
        if (group >= 0) drivers[matched.ids[group]!]![h]!.push(k);
      });
    }
  }
  // Groups that reach no bus (recorded-only neurons, idle generators) still need an address for their labels.
  for (const g of groups) {
    if (rowSelect[g.chunks[0]!]! < 0) g.chunks.forEach((id, j) => (rowSelect[id] = g.candidates[0]! + j));
  }
  return { rowSelect, drivers, nodes };
}
