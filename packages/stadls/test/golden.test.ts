// Pins the instruction stream of one fixed program, bit for bit, in test-fixtures/stadls/fixed-program.hex.
import { WORD_BYTES, type Instruction } from '@bss2/fisch';
import {
  BarrierOnFPGA,
  CapMemCellOnDLS,
  CrossbarNodeOnDLS,
  NeuronConfigOnDLS,
  SpikeCounterReadOnDLS,
  SpikePack1ToChipOnDLS,
  SpikePack2ToChipOnDLS,
  SpikePack3ToChipOnDLS,
  SynapseQuadOnDLS,
  TimerOnDLS,
} from '@bss2/halco';
import {
  Barrier,
  CapMemCell,
  CrossbarNode,
  NeuronConfig,
  SpikeCounterRead,
  SpikePack1ToChip,
  SpikePack2ToChip,
  SpikePack3ToChip,
  SynapseQuad,
  Timer,
  TimerValue,
} from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import { PlaybackProgram, PlaybackProgramBuilder } from '../src/index.js';

const HEADER = [
  '# stadls fixed program: timer reset, writes of NeuronConfig, CapMemCell, SynapseQuad, CrossbarNode (one of them',
  '# differential), a SpikeCounterRead read, waits, SpikePack1/2/3, an omnibus barrier. One 64-bit big-endian',
  '# instruction word per line, followed by its decoded form.',
  '# Regenerate on purpose: cd packages/stadls && npx vitest run test/golden.test.ts -u',
];

function fixedProgram(): PlaybackProgram {
  const timer = new TimerOnDLS(0);
  const neuron = new NeuronConfig({ enFire: true, memCapSize: 33, readoutSelect: 'inhSynin', enReadout: true });
  const quad = SynapseQuad.decode(Uint32Array.of(0x3f2a_1503, 0x0c30_c30c));
  const builder = new PlaybackProgramBuilder()
    .write(timer, new Timer())
    .write(new NeuronConfigOnDLS(129), neuron)
    .write(new NeuronConfigOnDLS(129), neuron.with({ memCapSize: 34 }), neuron)
    .write(new CapMemCellOnDLS(4711), new CapMemCell({ value: 1022 }))
    .write(new SynapseQuadOnDLS(40_000 % SynapseQuadOnDLS.size), quad)
    .write(new CrossbarNodeOnDLS(17), new CrossbarNode({ mask: 0x3f00, target: 0x0100, enableDropCounter: true }))
    .blockUntil(timer, TimerValue.fromMicroseconds(10))
    .write(new SpikePack1ToChipOnDLS(0), new SpikePack1ToChip([0x4081]))
    .write(new SpikePack2ToChipOnDLS(0), new SpikePack2ToChip([0x0001, 0xbeef]))
    .blockUntil(timer, new TimerValue(2500))
    .write(new SpikePack3ToChipOnDLS(0), new SpikePack3ToChip([0x1234, 0x5678, 0x9abc]))
    .blockUntil(timer, new TimerValue(125_000))
    .blockUntil(new BarrierOnFPGA(0), Barrier.omnibus);
  builder.read(new SpikeCounterReadOnDLS(300), SpikeCounterRead);
  return builder.done();
}

function describeInstruction(instruction: Instruction): string {
  const { kind, ...fields } = instruction;
  const parts = Object.entries(fields).map(([name, value]) =>
    name === 'address' ? `address=0x${(value as number).toString(16).padStart(8, '0')}` : `${name}=${JSON.stringify(value)}`,
  );
  return [kind, ...parts].join(' ');
}

function hex(program: PlaybackProgram): string {
  const bytes = program.encode();
  const lines = [...HEADER];
  for (let i = 0; i < program.instructionCount; i++) {
    const word = Array.from(bytes.subarray(i * WORD_BYTES, (i + 1) * WORD_BYTES), (b) => b.toString(16).padStart(2, '0')).join('');
    lines.push(`${word}  ${describeInstruction(program.instructionAt(i))}`);
  }
  return lines.join('\n') + '\n';
}

describe('golden instruction stream', () => {
  it('encodes the fixed program to the pinned bytes', async () => {
    const program = fixedProgram();
    await expect(hex(program)).toMatchFileSnapshot('../../../test-fixtures/stadls/fixed-program.hex');
  });

  it('decodes the pinned bytes back to the same program', () => {
    const program = fixedProgram();
    expect(PlaybackProgram.decode(program.encode()).toInstructions()).toEqual(program.toInstructions());
  });
});
