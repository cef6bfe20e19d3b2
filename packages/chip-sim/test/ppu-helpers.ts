import { InstructionStream, Loopback } from '@bss2/fisch';
import { PPUControlRegisterOnDLS, PPUMemoryWordOnDLS, PPUMemoryWordOnPPU, PPUOnDLS, omnibusAddresses } from '@bss2/halco';
import { PPUControlRegister } from '@bss2/lola';
import { ProgramImage, assemble, link } from '@bss2/ppu';
import { type AnalogChipModel, type AnalogChipModelOptions, SimulatedChip } from '../src/index.js';

/** Assembles and links one source into a program image (code at 0, mailbox at word 3072). */
export function image(source: string): ProgramImage {
  return new ProgramImage(link([assemble(source, { fileName: 'test.s' })]));
}

export function memoryAddress(ppu: number, word: number): number {
  return omnibusAddresses.PPUMemoryWord(new PPUMemoryWordOnDLS(new PPUMemoryWordOnPPU(word), new PPUOnDLS(ppu)))[0]!;
}

export function controlAddress(ppu: number): number {
  return omnibusAddresses.PPUControlRegister(new PPUControlRegisterOnDLS(ppu))[0]!;
}

export const RUN = new PPUControlRegister({ inhibitReset: false }).encode()[0]!;
export const HOLD = new PPUControlRegister({ inhibitReset: true }).encode()[0]!;

/** A chip with the analog model (ideal chip unless told), its model at hand. */
export function chipWith(options: AnalogChipModelOptions = {}, seed = 1): { chip: SimulatedChip; model: AnalogChipModel } {
  const chip = new SimulatedChip({ seed, analog: { idealChip: true, ...options } });
  return { chip, model: chip.model as AnalogChipModel };
}

/** Writes the image's local words into PPU `ppu` with direct omnibus writes. */
export function load(chip: SimulatedChip, ppu: number, program: ProgramImage): void {
  const words = program.words();
  words.forEach((w, i) => {
    if (w !== 0) chip.writeWord(memoryAddress(ppu, i), w);
  });
}

/** Lets chip time pass: a program that waits `cycles` FPGA cycles. */
export function wait(chip: SimulatedChip, cycles: number): void {
  chip.execute(new InstructionStream().timingSetup().waitUntil(cycles).loopback(Loopback.halt).toBytes());
}

/** Loads, starts PPU `ppu` and lets `cycles` FPGA cycles pass. */
export function runProgram(chip: SimulatedChip, ppu: number, source: string, cycles = 10_000): ProgramImage {
  const program = image(source);
  load(chip, ppu, program);
  chip.writeWord(controlAddress(ppu), RUN);
  wait(chip, cycles);
  return program;
}

/** Writes a lola container at `coordinate` with direct omnibus writes (its addresses and words from lola). */
export function writeContainer(chip: SimulatedChip, coordinate: unknown, container: { encode(): Uint32Array }): void {
  const type = container.constructor as unknown as { addresses(c: unknown): readonly number[] };
  const words = container.encode();
  type.addresses(coordinate).forEach((address, i) => chip.writeWord(address, words[i]!));
}

/** Reads a lola container at `coordinate` with direct omnibus reads. */
export function readContainer<T>(chip: SimulatedChip, coordinate: unknown, type: { addresses(c: unknown): readonly number[]; decode(words: Uint32Array): T }): T {
  return type.decode(Uint32Array.from(type.addresses(coordinate), (a) => chip.readWord(a)));
}
