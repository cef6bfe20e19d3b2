// Speed of the simulated plasticity processor (hardware.md §7): simulated PPU instructions per wall second on
// one core, for a realistic scalar loop kernel and for a vector kernel over the synapse rows.
import { InstructionStream, Loopback } from '@bss2/fisch';
import { PPUControlRegisterOnDLS, PPUMemoryWordOnDLS, PPUMemoryWordOnPPU, PPUOnDLS, omnibusAddresses } from '@bss2/halco';
import { PPUControlRegister } from '@bss2/lola';
import { ProgramImage, assemble, link } from '@bss2/ppu';
import { bestOf, type BenchRecord, type Benchmark } from '@bss2/bench';
import { type AnalogChipModel, SimulatedChip } from '../src/index.js';

const REPEATS = 3;

/**
 * A homeostasis-like scalar kernel: per pass, for each of 256 neuron entries in local memory, load the rate and
 * the weight, compare against a target, step the weight up or down with a clamp, store it back; 200 passes.
 */
const SCALAR_KERNEL = `
    li r10, 2000           # passes
outer:
    li r3, 0x1000          # rates at 0x1000, weights at 0x1400
    li r4, 256
    mtctr r4
inner:
    lbz r5, 0(r3)
    lbz r6, 0x400(r3)
    cmpwi r5, 20
    blt up
    addi r6, r6, -1
    b clamp
up:
    addi r6, r6, 1
clamp:
    cmpwi r6, 63
    ble low
    li r6, 63
low:
    cmpwi r6, 0
    bge keep
    li r6, 0
keep:
    stb r6, 0x400(r3)
    addi r3, r3, 1
    bdnz inner
    addic. r10, r10, -1
    bne outer
    blr
`;

/** A vector kernel: per row, the weights of both halves get a saturating step and a clamp to 0..63; 20 passes. */
const VECTOR_KERNEL = `
    li r10, 100
    li r7, 1
    fxvsplatb v1, r7       # step
    li r7, 63
    fxvsplatb v2, r7       # upper bound
outer:
    li r3, 0
    li r4, 512
    mtctr r4
row:
    fxvinx v3, 0, r3
    fxvaddbfs v3, v3, v1
    fxvsubbfs v4, v3, v2
    fxvcmpb v4
    fxvsel v3, v2, v3, 1
    fxvoutx v3, 0, r3
    addi r3, r3, 1
    bdnz row
    addic. r10, r10, -1
    bne outer
    blr
`;

function chipWithProgram(source: string): { chip: SimulatedChip; model: AnalogChipModel } {
  const chip = new SimulatedChip({ seed: 1, analog: { idealChip: true, ppuTimeout_cycles: 2 ** 40 } });
  const program = new ProgramImage(link([assemble(source, { fileName: 'bench.s' })]));
  program.words().forEach((w, i) => {
    if (w !== 0) chip.writeWord(omnibusAddresses.PPUMemoryWord(new PPUMemoryWordOnDLS(new PPUMemoryWordOnPPU(i), new PPUOnDLS(0)))[0]!, w);
  });
  return { chip, model: chip.model as AnalogChipModel };
}

/** Starts PPU 0 and lets chip time pass until it halts; returns the instructions it executed. */
function runToHalt(chip: SimulatedChip, model: AnalogChipModel): number {
  const control = omnibusAddresses.PPUControlRegister(new PPUControlRegisterOnDLS(0))[0]!;
  chip.writeWord(control, new PPUControlRegister({ inhibitReset: true }).encode()[0]!);
  const before = model.ppuState(0).retired;
  chip.writeWord(control, new PPUControlRegister({ inhibitReset: false }).encode()[0]!);
  const stream = new InstructionStream().timingSetup().waitUntil(2 ** 31).loopback(Loopback.halt);
  for (let i = 0; model.ppuState(0).state === 'running' && i < 1000; i++) chip.execute(stream.toBytes());
  if (model.ppuState(0).state !== 'halted') throw new Error(`kernel did not halt: ${JSON.stringify(model.ppuState(0))}`);
  return model.ppuState(0).retired - before;
}

function mipsBench(name: string, kernel: string, description: string): Benchmark {
  return {
    name,
    run(): BenchRecord[] {
      const { chip, model } = chipWithProgram(kernel);
      let instructions = 0;
      const seconds = bestOf(REPEATS, () => {
        instructions = runToHalt(chip, model);
      });
      return [
        {
          name,
          value: +(instructions / seconds / 1e6).toFixed(1),
          unit: 'M instructions/s',
          inputs: { kernel: description, instructions, ms: +(seconds * 1000).toFixed(1), cores: 1 },
        },
      ];
    },
  };
}

export const benchmarks: Benchmark[] = [
  mipsBench('ppu.mips', SCALAR_KERNEL, 'scalar homeostasis-like loop: 2000 passes × 256 entries (byte loads/stores, compares, branches, clamps)'),
  mipsBench('ppu.mips.vector', VECTOR_KERNEL, 'vector loop: 100 passes × 512 half rows (fxvinx, saturating add/sub, compare, select, fxvoutx)'),
];
