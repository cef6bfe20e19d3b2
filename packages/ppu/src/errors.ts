/** Root of every error thrown by `@bss2/ppu`. */
export class PpuError extends Error {
  override name = 'PpuError';
}

/** An instruction operand is outside its field's range or breaks a form rule (encoder level, no source text). */
export class OperandError extends PpuError {
  override name = 'OperandError';
  constructor(
    /** Mnemonic of the instruction being encoded. */
    readonly mnemonic: string,
    /** 0-based index of the operand in the instruction's syntax. */
    readonly operandIndex: number,
    readonly value: number,
    /** What is allowed: a range (`-32768..32767`) or a rule (`RA ≠ 0 and RA ≠ RT`). */
    readonly rule: string,
  ) {
    super(`${mnemonic}: operand ${operandIndex + 1} = ${value} is not allowed (${rule})`);
  }
}

/** Source text could not be assembled; names the file, 1-based line and column and the offending text. */
export class AssemblyError extends PpuError {
  override name = 'AssemblyError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    /** The offending piece of the source (an operand, a mnemonic, a directive). */
    readonly text: string,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${reason} (at '${text}')`);
  }
}

/** A word is not an instruction of the table (unknown opcode, reserved bits set or an invalid form). */
export class DecodeError extends PpuError {
  override name = 'DecodeError';
  constructor(
    readonly word: number,
    readonly reason: string,
  ) {
    super(`0x${(word >>> 0).toString(16).padStart(8, '0')} is not a PPU instruction: ${reason}`);
  }
}

/** Objects could not be linked: an undefined or duplicate symbol, a relocation out of range, sections that do not fit. */
export class LinkError extends PpuError {
  override name = 'LinkError';
}
