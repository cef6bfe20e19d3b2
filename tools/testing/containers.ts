// fast-check arbitraries for the regression suites: random valid contents of any lola container at a random
// coordinate. Contents come from random words passed through the type's own decoder, so each container decides
// what is valid; a word its decoder refuses falls back to the reset word.
import type { Coordinate } from '@bss2/halco';
import { type Container, type ContainerType, containerTypes } from '@bss2/lola';
import fc from 'fast-check';

/** One write of a regression case. */
export interface RandomWrite {
  readonly type: ContainerType;
  readonly coord: Coordinate;
  readonly container: Container;
}

/** A valid container of `type` made from `words` (fixed up word by word where the decoder refuses one). */
export function containerFromWords<C extends Container>(type: ContainerType<C>, words: Uint32Array): C {
  const reset = type.defaults().encode();
  const candidate = words.slice();
  for (let fix = 0; fix <= candidate.length; fix++) {
    try {
      return type.decode(type.decode(candidate).encode());
    } catch (error) {
      const word = (error as { word?: number }).word;
      if (word === undefined || reset.length !== candidate.length) break;
      candidate[word] = reset[word]!;
    }
  }
  return type.defaults();
}

/** A coordinate of `type` whose unit has at most `maxWords` words (range coordinates are sparse: filtered). */
function coordinateArbitrary(type: ContainerType, maxWords: number): fc.Arbitrary<Coordinate> {
  const C = type.coordinateType;
  return fc
    .integer({ min: C.min, max: C.max })
    .map((v) => {
      try {
        return new C(v);
      } catch {
        return undefined;
      }
    })
    .filter((c): c is Coordinate => c !== undefined && type.addresses(c).length <= maxWords);
}

/** A random valid write of `type` at a random coordinate (memory blocks size themselves by their coordinate). */
export function writeArbitrary(type: ContainerType, maxWords = 4096): fc.Arbitrary<RandomWrite> {
  return coordinateArbitrary(type, maxWords).chain((coord) => {
    const wordCount = type.addresses(coord).length;
    return fc
      .array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: wordCount, maxLength: wordCount })
      .map((words) => ({ type, coord, container: containerFromWords(type, Uint32Array.from(words)) }));
  });
}

/** Container types by name that satisfy `predicate`. */
export function containerTypesWhere(predicate: (type: ContainerType) => boolean): ContainerType[] {
  return [...containerTypes().values()].filter(predicate);
}
