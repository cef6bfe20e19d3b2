import { type ContainerType, isArrayField } from '@bss2/lola';
import { fieldsOf } from '../container-words.js';

/** Where a one-slice scalar field of a lola container sits in its words: read without decoding or allocating. */
export interface FieldBits {
  readonly word: number;
  readonly shift: number;
  readonly mask: number;
}

/** The bits of field `name` of `type`, from lola's field definition (never hand-written, style.md). */
export function fieldBits(type: ContainerType, name: string): FieldBits {
  const field = fieldsOf(type)[name];
  if (field === undefined || isArrayField(field) || field.slices.length !== 1) throw new Error(`${type.typeName}.${name} is not a one-slice scalar field`);
  const slice = field.slices[0]!;
  if (slice.width > 31) throw new Error(`${type.typeName}.${name} is wider than 31 bits`);
  return { word: slice.word, shift: slice.bit, mask: 2 ** slice.width - 1 };
}

/** The raw value of `field` in the container whose words start at `words[at]`. */
export function readBits(words: Uint32Array, at: number, field: FieldBits): number {
  return (words[at + field.word]! >>> field.shift) & field.mask;
}

/** Sets the raw value of `field` in the container whose words start at `words[at]`. */
export function writeBits(words: Uint32Array, at: number, field: FieldBits, value: number): void {
  const i = at + field.word;
  words[i] = ((words[i]! & ~(field.mask << field.shift)) | ((value & field.mask) << field.shift)) >>> 0;
}
