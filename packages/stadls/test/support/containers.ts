// Random valid contents for every lola container type: random words decoded and re-encoded, so each type's
// own decoder decides what is valid. A word a decoder refuses is replaced by the reset value's word; a
// container refusing whole combinations (AtomicNeuron's cross-field rules) gets fresh random words.
import type { Coordinate } from '@bss2/halco';
import { type Container, type ContainerType, Timer, containerTypes } from '@bss2/lola';

/** xorshift32: deterministic words from a seed drawn by fast-check. */
export function words32(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
}

/** A coordinate of `type` chosen by `next`, whose unit has at most `maxWords` words (undefined: none found). */
export function randomCoordinate(type: ContainerType, next: () => number, maxWords: number): Coordinate | undefined {
  const C = type.coordinateType;
  for (let attempt = 0; attempt < 16; attempt++) {
    const value = C.min + Math.floor((next() / 2 ** 32) * (C.max - C.min + 1));
    let coord: Coordinate;
    try {
      coord = new C(value);
    } catch {
      continue;
    }
    if (type.addresses(coord).length <= maxWords) return coord;
  }
  return undefined;
}

/** A valid container of `type` holding `wordCount` words. */
export function randomContainer<C extends Container>(type: ContainerType<C>, wordCount: number, next: () => number): C {
  if ((type as unknown) === Timer) return new Timer() as unknown as C;
  const reset = type.defaults().encode();
  for (let attempt = 0; attempt < 8; attempt++) {
    const words = new Uint32Array(wordCount);
    for (let i = 0; i < wordCount; i++) words[i] = next();
    for (let fix = 0; fix <= wordCount; fix++) {
      try {
        return type.decode(type.decode(words).encode());
      } catch (error) {
        const word = (error as { word?: number }).word;
        if (word === undefined || reset.length !== wordCount) break;
        words[word] = reset[word]!;
      }
    }
  }
  return type.decode(reset.length === wordCount ? reset : new Uint32Array(wordCount));
}

/** Container types by name, optionally filtered. */
export function typesWhere(predicate: (type: ContainerType) => boolean): ContainerType[] {
  return [...containerTypes().values()].filter(predicate);
}
