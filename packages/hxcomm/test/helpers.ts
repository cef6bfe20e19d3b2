import { type Instruction, InstructionStream, Loopback } from '@bss2/fisch';
import fc from 'fast-check';

/** Fixed seed: every property run is reproducible. */
export const SEED = 0x4c0_3317;

/** A 32-bit read-write word: top PPU memory (hardware.md §3.11). */
export const PPU_WORD = 0x0280_0010;
/** Word 0 of NeuronConfig(0) (hardware.md §3.11), an 8-bit register. */
export const NEURON_CONFIG = 0x16_0002;

/** Valid instructions touching a few addresses; short waits so that programs run in microseconds. */
export function instructionArbitrary(): fc.Arbitrary<Instruction> {
  const u = (max: number) => fc.integer({ min: 0, max });
  return fc.oneof(
    fc.record({ address: fc.constantFrom(PPU_WORD, NEURON_CONFIG, 0x0400_0000), byteEnables: u(15), isRead: fc.boolean() }).map(
      (r): Instruction => ({ kind: 'OmnibusAddress', ...r }),
    ),
    u(0xffff_ffff).map((value): Instruction => ({ kind: 'OmnibusData', value })),
    fc.constant<Instruction>({ kind: 'TimingSetup' }),
    u(2000).map((value): Instruction => ({ kind: 'WaitUntil', value })),
    u(31).map((mask): Instruction => ({ kind: 'Barrier', mask })),
    fc.constant<Instruction>({ kind: 'Loopback', value: Loopback.tick }),
    fc.integer({ min: 3, max: 33 }).map((numBits): Instruction => ({ kind: 'JtagData', numBits, data: 0, keepResponse: true })),
    u(0xffff).map((label): Instruction => ({ kind: 'SpikePack1', labels: [label] })),
  );
}

/** A complete program: the instructions, then Loopback(halt). */
export function programArbitrary(maxLength = 40): fc.Arbitrary<Uint8Array> {
  return fc.array(instructionArbitrary(), { maxLength }).map((list) => InstructionStream.from(list).loopback(Loopback.halt).toBytes());
}

/** Writes `value` to the PPU word and reads it back. */
export function writeReadProgram(value: number): Uint8Array {
  return new InstructionStream().omnibusWrite(PPU_WORD, value).omnibusRead(PPU_WORD).loopback(Loopback.halt).toBytes();
}
