import type { Coordinate } from '@bss2/halco';
import type { ContainerType } from '@bss2/lola';

/**
 * The omnibus addresses of a container at a coordinate, memoised. halco's address functions are pure in the
 * coordinate's enum value, but building them costs far more than emitting the instructions (composite
 * containers build one coordinate object per word), and programs address the same units again and again
 * (calibration loops, repeated experiments). The cache is bounded per container type by the words it holds.
 */
const MAX_CACHED_WORDS_PER_TYPE = 1 << 20;

interface TypeCache {
  readonly byValue: Map<number, Uint32Array>;
  words: number;
}

const caches = new WeakMap<ContainerType, TypeCache>();

export function addressesOf(type: ContainerType, coord: Coordinate): Uint32Array {
  let cache = caches.get(type);
  if (cache === undefined) {
    cache = { byValue: new Map(), words: 0 };
    caches.set(type, cache);
  }
  const hit = cache.byValue.get(coord.value);
  if (hit !== undefined) return hit;
  const addresses = Uint32Array.from(type.addresses(coord));
  if (cache.words + addresses.length > MAX_CACHED_WORDS_PER_TYPE) {
    cache.byValue.clear();
    cache.words = 0;
  }
  if (addresses.length <= MAX_CACHED_WORDS_PER_TYPE) {
    cache.byValue.set(coord.value, addresses);
    cache.words += addresses.length;
  }
  return addresses;
}
