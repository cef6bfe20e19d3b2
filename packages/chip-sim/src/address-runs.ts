/**
 * Runs of units whose omnibus addresses are an affine function of the coordinate's enum value:
 * `address(v, word) = first[word] + stride · (v − start)` for `v` in `start .. start + count − 1`.
 *
 * halco builds every address from the mixed-radix digits of a coordinate (hardware.md §2.1, §3.11), so its
 * address functions are affine between digit carries. Evaluating halco for each of the ~520 000 mapped words
 * costs seconds (coordinate objects); finding the runs by galloping and bisection needs a few thousand
 * evaluations. The memory-map test checks the result against every address halco enumerates.
 */
export interface AddressRun {
  /** Enum value of the first unit. */
  readonly start: number;
  readonly count: number;
  /** Address step from one unit to the next; 0 for a run of one unit. */
  readonly stride: number;
  /** Addresses of the first unit, word 0 first. */
  readonly first: readonly number[];
}

/** The addresses of the unit with enum value `v` (halco's `omnibusAddresses`, word order). */
export type AddressFunction = (v: number) => readonly number[];

/** Splits the enum range `min..max` into maximal affine runs (see the module comment). */
export function findAddressRuns(min: number, max: number, addressesOf: AddressFunction): AddressRun[] {
  const runs: AddressRun[] = [];
  let start = min;
  let first = addressesOf(start);
  while (start <= max) {
    if (start === max) {
      runs.push({ start, count: 1, stride: 0, first });
      break;
    }
    const next = addressesOf(start + 1);
    const stride = next[0]! - first[0]!;
    if (stride === 0 || !isAffine(first, next, stride, 1)) {
      runs.push({ start, count: 1, stride: 0, first });
      start += 1;
      first = next;
      continue;
    }
    const fits = (k: number): boolean => isAffine(first, addressesOf(start + k), stride, k);
    // Gallop: k = 1 fits; double until a probe fails or leaves the range, then bisect the last fitting k.
    const last = max - start;
    let good = 1;
    let bad = last + 1;
    for (let k = 2; ; k *= 2) {
      if (k >= last) {
        if (fits(last)) good = last;
        else bad = last;
        break;
      }
      if (!fits(k)) {
        bad = k;
        break;
      }
      good = k;
    }
    while (bad - good > 1) {
      const mid = good + Math.floor((bad - good) / 2);
      if (fits(mid)) good = mid;
      else bad = mid;
    }
    runs.push({ start, count: good + 1, stride, first });
    start += good + 1;
    if (start <= max) first = addressesOf(start);
  }
  return runs;
}

function isAffine(first: readonly number[], probe: readonly number[], stride: number, k: number): boolean {
  if (probe.length !== first.length) return false;
  for (let w = 0; w < first.length; w++) if (probe[w] !== first[w]! + stride * k) return false;
  return true;
}
