// Speed of the simulated plasticity processor (hardware.md §7): simulated PPU instructions per wall second on
// one core, for a realistic scalar loop kernel, a short vector loop over the synapse rows and an STDP-like
// vector kernel (whose synapse rows per wall second bound what plasticity costs a run).
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

/**
 * An STDP-like vector kernel (hardware.md §7, "a typical kernel"): per synapse row, both weight vectors, the
 * causal correlation of the even half (one CADC conversion of the row), the other three correlation vectors
 * buffered, the acausal ones with reset; Δw = a₊·causal − a₋·acausal (fractional saturating multiply, add,
 * subtract), clamped to 0..63 with compare and select, both weight vectors stored. 256 rows, 10 passes.
 */
const STDP_KERNEL = `
    li r10, 10             # passes
    li r7, 24
    fxvsplatb v20, r7      # a+ (Q0.7: 24/128)
    li r7, 20
    fxvsplatb v21, r7      # a- (Q0.7: 20/128)
    li r7, 63
    fxvsplatb v22, r7      # upper bound
    li r7, 0
    fxvsplatb v23, r7      # lower bound
    li r20, 0              # weights window
    lis r21, 0x8           # causal, converts the row (0x8_0000)
    lis r22, 0x2C          # acausal buffered (0x20_0000 | 0xC_0000)
    lis r23, 0x28          # causal buffered
    lis r24, 0x2D          # acausal buffered, read and reset
    lis r25, 0x29          # causal buffered, read and reset
pass:
    li r3, 0               # even half row (row · 2)
    li r4, 256
    mtctr r4
row:
    addi r5, r3, 1         # odd half row
    fxvinx v1, r20, r3     # weights, even columns
    fxvinx v2, r20, r5     # weights, odd columns
    fxvinx v3, r21, r3     # causal even (CADC conversion of the whole row)
    fxvinx v4, r24, r3     # acausal even, buffered, reset
    fxvinx v5, r25, r5     # causal odd, buffered, reset
    fxvinx v6, r22, r5     # acausal odd, buffered
    fxvshb v3, v3, -1      # codes 0..255 to 0..127
    fxvshb v4, v4, -1
    fxvshb v5, v5, -1
    fxvshb v6, v6, -1
    fxvmulbfs v3, v3, v20
    fxvmulbfs v4, v4, v21
    fxvmulbfs v5, v5, v20
    fxvmulbfs v6, v6, v21
    fxvaddbfs v1, v1, v3
    fxvsubbfs v1, v1, v4
    fxvaddbfs v2, v2, v5
    fxvsubbfs v2, v2, v6
    fxvcmpb v1             # clamp the even weights to 0..63
    fxvsel v1, v23, v1, 2
    fxvsubbm v7, v1, v22
    fxvcmpb v7
    fxvsel v1, v22, v1, 1
    fxvcmpb v2             # and the odd ones
    fxvsel v2, v23, v2, 2
    fxvsubbm v7, v2, v22
    fxvcmpb v7
    fxvsel v2, v22, v2, 1
    fxvoutx v1, r20, r3
    fxvoutx v2, r20, r5
    addi r3, r3, 2
    bdnz row
    addic. r10, r10, -1
    bne pass
    blr
`;
const STDP_ROWS = 256 * 10;

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

/** `name`: M instructions/s of `kernel`; with `rows`, also `rowsName`: synapse rows the kernel updated per second. */
function mipsBench(name: string, kernel: string, description: string, rows?: { count: number; name: string }): Benchmark {
  return {
    name,
    run(): BenchRecord[] {
      const { chip, model } = chipWithProgram(kernel);
      let instructions = 0;
      const seconds = bestOf(REPEATS, () => {
        instructions = runToHalt(chip, model);
      });
      const inputs = { kernel: description, instructions, ms: +(seconds * 1000).toFixed(1), cores: 1 };
      const records: BenchRecord[] = [{ name, value: +(instructions / seconds / 1e6).toFixed(1), unit: 'M instructions/s', inputs }];
      if (rows !== undefined) records.push({ name: rows.name, value: +(rows.count / seconds / 1e3).toFixed(1), unit: 'k synapse rows/s', inputs: { ...inputs, rows: rows.count } });
      return records;
    },
  };
}

export const benchmarks: Benchmark[] = [
  mipsBench('ppu.mips', SCALAR_KERNEL, 'scalar homeostasis-like loop: 2000 passes × 256 entries (byte loads/stores, compares, branches, clamps)'),
  mipsBench('ppu.mips.vector', VECTOR_KERNEL, 'vector loop: 100 passes × 512 half rows (fxvinx, saturating add/sub, compare, select, fxvoutx)'),
  mipsBench(
    'ppu.mips.vector.stdp',
    STDP_KERNEL,
    'STDP-like vector kernel: 10 passes × 256 rows (2 weight vectors, 4 correlation vectors of which 1 converts and 2 reset, shift, saturating multiply/add/subtract, clamp 0..63 by compare and select, 2 stores)',
    { count: STDP_ROWS, name: 'ppu.stdp.rows' },
  ),
];
