// The relocatable object the assembler produces and the linker consumes.
import type { OperandSpec } from './isa/operands.js';

/**
 * How a relocation patches its place, with S the target's address, A the addend and P the place's address:
 * `addr32` S+A into a word, `addr16`/`addr8` into a halfword/byte of data, `field` S+A into an instruction
 * operand (range-checked by the operand's kind), `lo`/`hi`/`ha` the low, high and high-adjusted halves of S+A
 * into a 16-bit field (never range-checked: they cannot overflow), `rel` S+A−P into a branch displacement.
 */
export type RelocationType = 'addr32' | 'addr16' | 'addr8' | 'field' | 'lo' | 'hi' | 'ha' | 'rel';

/** What a relocation refers to: a symbol by name, the start of a section of the same object, or nothing (absolute). */
export type RelocationTarget = { readonly kind: 'symbol'; readonly name: string } | { readonly kind: 'section'; readonly name: string } | { readonly kind: 'absolute' };

export interface Relocation {
  /** Byte offset of the patched word/halfword/byte in its section. */
  readonly offset: number;
  readonly type: RelocationType;
  readonly target: RelocationTarget;
  readonly addend: number;
  /** For instruction relocations: the operand field patched. */
  readonly field?: OperandSpec;
  /** Source line (1-based) it came from, for messages. */
  readonly line: number;
}

export interface ObjectSection {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Required alignment of the section start in bytes (a power of two). */
  readonly alignment_bytes: number;
  readonly relocations: readonly Relocation[];
}

export interface ObjectSymbol {
  readonly name: string;
  readonly section: string;
  readonly offset: number;
  readonly global: boolean;
}

/** One assembled source file. */
export interface ObjectModule {
  /** The source's name (file name), used in messages. */
  readonly name: string;
  readonly sections: readonly ObjectSection[];
  /** Labels (section-relative). Constants from `.equ`/`.set` are resolved during assembly and not listed. */
  readonly symbols: readonly ObjectSymbol[];
}
