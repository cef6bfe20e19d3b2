// hardware.md §5.4: a program holds at most 4 194 304 instructions; run() appends the halt, so a builder
// holds one less. Checked with real instructions: 4 194 303 of them build in well under a second.
import { InstructionStream, MAX_PROGRAM_INSTRUCTIONS } from '@bss2/fisch';
import { CapMemCellOnDLS, PPUMemoryOnDLS } from '@bss2/halco';
import { CapMemCell, PPUMemory } from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import { MAX_PROGRAM_SIZE, PlaybackProgram, PlaybackProgramBuilder, ProgramTooLargeError } from '../src/index.js';

/** A builder exactly at the limit: whole PPU memories (8192 instructions each), then single waits. */
function fullBuilder(): PlaybackProgramBuilder {
  const builder = new PlaybackProgramBuilder();
  const memory = new PPUMemory();
  const coord = new PPUMemoryOnDLS(0);
  while (builder.sizeToFpga() + 8192 <= MAX_PROGRAM_SIZE) builder.write(coord, memory);
  while (builder.sizeToFpga() < MAX_PROGRAM_SIZE) builder.waitUntil(0);
  return builder;
}

describe('program size limit', () => {
  it('is the FPGA playback memory minus the halt', () => {
    expect(MAX_PROGRAM_SIZE).toBe(MAX_PROGRAM_INSTRUCTIONS - 1);
    expect(MAX_PROGRAM_INSTRUCTIONS).toBe(4_194_304);
  });

  it('refuses the instruction beyond it before appending anything, on every path', () => {
    const builder = fullBuilder();
    expect(builder.sizeToFpga()).toBe(4_194_303);
    expect(() => builder.waitUntil(0)).toThrow(ProgramTooLargeError);
    expect(() => builder.write(new CapMemCellOnDLS(0), new CapMemCell())).toThrow(/at most 4194303 instructions .* would hold 4194305/);
    expect(() => builder.read(new CapMemCellOnDLS(0), CapMemCell)).toThrow(ProgramTooLargeError);
    const other = new PlaybackProgramBuilder().waitUntil(1);
    expect(() => builder.mergeBack(other)).toThrow(ProgramTooLargeError);
    expect(() => builder.mergeFront(other)).toThrow(ProgramTooLargeError);
    expect(() => builder.copyBack(other)).toThrow(ProgramTooLargeError);
    expect(other.sizeToFpga()).toBe(1);
    expect(builder.sizeToFpga()).toBe(4_194_303);
    expect(builder.sizeFromFpga()).toBe(0);
    const program = builder.done();
    expect(program.instructionCount).toBe(4_194_303);

    const error = (() => {
      try {
        new PlaybackProgramBuilder().write(new CapMemCellOnDLS(0), new CapMemCell()).mergeBack(fullBuilder());
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ProgramTooLargeError);
    expect(error).toMatchObject({ instructions: 4_194_305, limit: 4_194_303 });
  });

  it('refuses to decode a stream that fills the whole playback memory (no room for the halt)', () => {
    const bytes = new InstructionStream(MAX_PROGRAM_INSTRUCTIONS);
    for (let i = 0; i < MAX_PROGRAM_INSTRUCTIONS; i++) bytes.timingSetup();
    expect(() => PlaybackProgram.decode(bytes.toBytes())).toThrow(ProgramTooLargeError);
  });
});
