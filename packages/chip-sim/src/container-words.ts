import type { OmnibusContainerName } from '@bss2/halco';
import { type AnyField, type BitSlice, type ContainerType, containerTypes, isArrayField, readRaw } from '@bss2/lola';

/**
 * What the core needs of a lola leaf container: its word layout. Reset values are the words of
 * `defaults()` (design: never hand-written), and each word keeps exactly the bits that the container's fields
 * define (hardware.md §3.1: the container is the bit layout of its unit), so other bits read back as 0.
 */
export interface ContainerWords {
  readonly type: ContainerType;
  readonly resetWords: Uint32Array;
  readonly masks: Uint32Array;
}

/** The fields of a `register()` leaf container (lola exposes them as the class's static `fields`). */
export function fieldsOf(type: ContainerType): Readonly<Record<string, AnyField>> {
  return (type as unknown as { fields?: Record<string, AnyField> }).fields ?? {};
}

/** Every bit slice of a field, elements of array fields included. */
export function slicesOf(field: AnyField): readonly BitSlice[] {
  return isArrayField(field) ? field.slices.flat() : field.slices;
}

/** The lola leaf container behind an omnibus container name; a missing one is a broken halco/lola contract. */
export function leafContainer(name: OmnibusContainerName): ContainerType {
  const type = containerTypes().get(name);
  if (type === undefined) {
    throw new Error(`@bss2/lola registers no container ${name}, which @bss2/halco maps (notes/leaf-containers.md)`);
  }
  return type;
}

export function containerWords(name: OmnibusContainerName, wordCount: number): ContainerWords {
  const type = leafContainer(name);
  if (type.wordCount !== wordCount) {
    throw new Error(`${name}: @bss2/lola has ${type.wordCount} words, @bss2/halco maps ${wordCount}`);
  }
  const resetWords = Uint32Array.from(type.defaults().encode());
  const masks = new Uint32Array(wordCount);
  for (const field of Object.values(fieldsOf(type))) {
    for (const slice of slicesOf(field)) {
      const bits = slice.width === 32 ? 0xffffffff : ((2 ** slice.width - 1) * 2 ** slice.bit) >>> 0;
      masks[slice.word] = (masks[slice.word]! | bits) >>> 0;
    }
  }
  return { type, resetWords, masks };
}

/** Reads the raw value of field `name` of `type` from the container's words starting at `words[at]`. */
export function fieldReader(type: ContainerType, name: string): (words: Uint32Array, at: number) => number {
  const field = fieldsOf(type)[name];
  if (field === undefined || isArrayField(field)) throw new Error(`${type.typeName} has no scalar field ${name}`);
  const slices = field.slices;
  return (words, at) => readRaw(words.subarray(at, at + type.wordCount), slices);
}
