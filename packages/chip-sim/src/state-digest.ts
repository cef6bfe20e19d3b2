/**
 * A 64-bit digest of chip state (two FNV-1a-style 32-bit lanes), for tests and tools that must
 * show that state is bit-identical — e.g. after a rejected instruction stream (architecture.md, "Errors").
 * Not cryptographic.
 */
export class StateDigest {
  private a = 0x811c9dc5;
  private b = 0x2545f491;
  private readonly scratch = new Float64Array(1);
  private readonly scratchWords = new Uint32Array(this.scratch.buffer);

  /** Mixes in 32-bit words: even ones into one lane, odd ones into the other (two independent chains run faster). */
  words(words: Uint32Array): this {
    let a = this.a;
    let b = this.b;
    const n = words.length;
    let i = 0;
    for (; i + 1 < n; i += 2) {
      a = Math.imul(a ^ words[i]!, 0x01000193);
      b = Math.imul(b ^ words[i + 1]!, 0x5bd1e995);
    }
    if (i < n) a = Math.imul(a ^ words[i]!, 0x01000193);
    this.a = Math.imul(a ^ n, 0x01000193);
    this.b = b;
    return this;
  }

  /** Mixes in bytes (length a multiple of 4 and 4-byte aligned, as every state array is). */
  bytes(bytes: Uint8Array): this {
    return this.words(new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 2));
  }

  /** Mixes in numbers exactly (their IEEE-754 bits). */
  numbers(values: ArrayLike<number>): this {
    for (let i = 0; i < values.length; i++) {
      this.scratch[0] = values[i]!;
      this.words(this.scratchWords);
    }
    return this;
  }

  /** The digest as 16 hex digits. */
  hex(): string {
    return (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0');
  }
}
