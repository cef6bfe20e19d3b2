import { JtagRegister } from '@bss2/fisch';

/**
 * IEEE 1149.1 IDCODE of the simulated chip: version 3 (HICANN-X revision 3, hardware.md intro), part number
 * 0x4858 ("HX" in ASCII), manufacturer 0x057, bit 0 set as the standard demands.
 */
export const JTAG_IDCODE = 0x3485_80af;

const REGISTERS = 128;

/**
 * The chip's JTAG test access port (hardware.md §5.2, opcodes 0..3). jtag Ins selects a data register;
 * jtag Data shifts `numBits` bits through it and returns the bits shifted out. IDCODE shifts out
 * `JTAG_IDCODE` and ignores what is shifted in; BYPASS (and every code without a register, as IEEE 1149.1
 * demands) is one bit long. Every other register (EXTEST, SAMPLE_PRELOAD, the PLL and omnibus registers) is a
 * plain shift register that returns its previous content: board bring-up through JTAG has no effect on the
 * simulated chip, whose clocks are nominal (§3.10) and whose omnibus is reached by the omnibus instructions.
 */
export class JtagTap {
  private instruction: number = JtagRegister.IDCODE;
  private readonly content = new Float64Array(REGISTERS);
  private scaler = 0;

  /** jtag Init: Test-Logic-Reset selects IDCODE and clears the data registers. */
  init(): void {
    this.instruction = JtagRegister.IDCODE;
    this.content.fill(0);
  }

  /** Power-on: Test-Logic-Reset and the scaler back to 0. */
  powerOn(): void {
    this.init();
    this.scaler = 0;
  }

  /** jtag Scaler: the TCK divider; timing of the simulated port does not depend on it. */
  setScaler(value: number): void {
    this.scaler = value;
  }

  select(instruction: number): void {
    this.instruction = instruction;
  }

  /** Shifts `numBits` (3..33) bits of `data` in; returns the `numBits` bits shifted out. */
  shift(data: number, numBits: number): number {
    const modulus = 2 ** numBits;
    const ir = this.instruction;
    if (ir === JtagRegister.IDCODE) return JTAG_IDCODE % modulus;
    if (ir === JtagRegister.BYPASS || !isDataRegister(ir)) {
      const previous = this.content[JtagRegister.BYPASS]!;
      this.content[JtagRegister.BYPASS] = Math.floor(data / 2 ** (numBits - 1)) % 2;
      return (data * 2 + previous) % modulus;
    }
    const out = this.content[ir]! % modulus;
    this.content[ir] = data;
    return out;
  }

  /** Selected instruction, scaler and register contents, for the state digest. */
  snapshot(): Float64Array {
    const out = new Float64Array(REGISTERS + 2);
    out.set(this.content);
    out[REGISTERS] = this.instruction;
    out[REGISTERS + 1] = this.scaler;
    return out;
  }
}

const DATA_REGISTERS = new Set<number>(Object.values(JtagRegister));

function isDataRegister(code: number): boolean {
  return DATA_REGISTERS.has(code);
}
