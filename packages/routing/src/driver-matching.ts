import { PADIRowSelectAddress, SynapseDriverOnPADIBus } from '@bss2/halco';

/** Drivers on one PADI bus, at bus indices 0..31 (hardware.md §2.7). */
export const DRIVERS_PER_BUS = SynapseDriverOnPADIBus.size;
/** The 5 row-select bits a driver compares (PADIRowSelectAddress 0..31). */
const ADDRESS_BITS = PADIRowSelectAddress.max;

/**
 * The compare mask of a driver at bus index `k` serving row-select address `r` (hardware.md §3.6: it fires iff
 * `(rowSelect & mask) == (k & mask)`). **Choice:** the largest mask that still accepts `r`, i.e. every bit where
 * `k` and `r` agree; the driver then accepts exactly the addresses that differ from `r` only where `k` does.
 */
export function compareMask(k: number, r: number): number {
  return ~(k ^ r) & ADDRESS_BITS;
}

/**
 * Whether a driver at bus index `k` may serve the label group with address `r` while `arrivals` (every
 * row-select address reaching the bus) also travel on it: with the mask of `compareMask`, it accepts an
 * address `a` iff `a ^ r` lies inside `k ^ r`, so no other arriving address may.
 */
export function driverServes(k: number, r: number, arrivals: readonly number[]): boolean {
  const free = k ^ r;
  for (const a of arrivals) {
    if (a !== r && ((a ^ r) & ~free & ADDRESS_BITS) === 0) return false;
  }
  return true;
}

/** Bit k set: the driver at bus index k may serve address `r` among `arrivals`. */
function servingDrivers(r: number, arrivals: readonly number[]): number {
  let mask = 0;
  for (let k = 0; k < DRIVERS_PER_BUS; k++) if (driverServes(k, r, arrivals)) mask |= 1 << k;
  return mask;
}

/**
 * Assigns drivers of one bus to label groups: group i (address `addresses[i]`) needs `demands[i]` drivers,
 * each one that may serve it (`driverServes`). A bipartite b-matching by augmenting paths (Kuhn), so it finds
 * an assignment whenever one exists. Returns the group of each driver (−1 unused), or undefined.
 */
export function matchDrivers(addresses: readonly number[], demands: readonly number[]): Int32Array | undefined {
  let total = 0;
  for (const d of demands) total += d;
  if (total > DRIVERS_PER_BUS) return undefined;
  const serving = addresses.map((r, i) => (demands[i]! > 0 ? servingDrivers(r, addresses) : 0));
  const owner = new Int32Array(DRIVERS_PER_BUS).fill(-1);
  let visited = 0;
  const augment = (group: number): boolean => {
    const candidates = serving[group]!;
    for (let k = 0; k < DRIVERS_PER_BUS; k++) {
      const bit = 1 << k;
      if ((candidates & bit) === 0 || (visited & bit) !== 0) continue;
      visited |= bit;
      const holder = owner[k]!;
      if (holder < 0 || augment(holder)) {
        owner[k] = group;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < demands.length; i++) {
    for (let copy = 0; copy < demands[i]!; copy++) {
      visited = 0;
      if (!augment(i)) return undefined;
    }
  }
  return owner;
}
