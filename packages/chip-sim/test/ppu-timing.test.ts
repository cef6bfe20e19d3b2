// The PPUs run interleaved with the analog engine (hardware.md §7): a weight the PPU writes at PPU cycle c acts
// on every event from c on and on none before.
import { SynapseDriverConfig } from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import { type AnalogChipModel, SimulatedChip } from '../src/index.js';
import { Program, SETTLE_CYCLES, driver, openEventPath, passiveNeuron, synapseDacBias, writeNeuron, writeSynapses } from './model/program.js';
import { RUN, controlAddress, image, load, memoryAddress } from './ppu-helpers.js';

const COLUMN = 10;
const ROW = 1;
const LABEL = 3;

/** Exc. synaptic input of the neuron below COLUMN just before and 40 cycles after an event injected at `cycle`. */
function jumpAt(chip: SimulatedChip, model: AnalogChipModel, cycle: number): number {
  const p = new Program(chip);
  const origin = p.timerOrigin;
  p.at(cycle - 30 - origin);
  p.run(chip);
  const before = model.neurons.synapticExc_nA[COLUMN]!;
  const q = new Program(chip);
  q.at(cycle - q.timerOrigin).spikes(LABEL).at(cycle + 40 - q.timerOrigin);
  q.run(chip);
  return model.neurons.synapticExc_nA[COLUMN]! - before;
}

describe('PPU timing', () => {
  it('a weight written at PPU cycle c changes the PSP of an event after c, not of one before', () => {
    const chip = new SimulatedChip({ seed: 4, analog: { idealChip: true } });
    const model = chip.model as AnalogChipModel;
    const p = openEventPath(new Program(chip));
    synapseDacBias(p, 600);
    p.write(driver(0, 0), new SynapseDriverConfig({ enableReceiver: true, rowModeTop: 'excitatory' }));
    writeSynapses(p, 0, ROW, [[COLUMN, 0, LABEL]]);
    writeNeuron(p, COLUMN, passiveNeuron(300, { excitatoryInput: { enable: true, iBiasTau: 1, enableHighResistance: true } }));
    p.at(SETTLE_CYCLES).run(chip);

    // The PPU waits for the time base to reach the target (from the mailbox), then sets the weight to 63.
    const program = image(`
      lis r3, 0
      lwz r4, 0x3000(r3)       # target time base (PPU cycles)
    spin:
      mftb r5
      cmplw r5, r4
      blt spin
      li r6, 63
      fxvsplatb v1, r6
      li r7, ${2 * ROW + (COLUMN & 1)}
      fxvoutx v1, 0, r7
      mftb r8
      stw r8, 0x3004(r3)       # when it wrote
      blr
    `);
    load(chip, 0, program);
    const writeAt_fpga = chip.cycle + 4000;
    chip.writeWord(memoryAddress(0, 3072), 2 * writeAt_fpga);
    chip.writeWord(controlAddress(0), RUN);

    const before = jumpAt(chip, model, writeAt_fpga - 60);
    const after = jumpAt(chip, model, writeAt_fpga + 20);
    expect(model.ppuFault(0)).toBeUndefined();
    expect(model.ppuState(0).state).toBe('halted');
    const wroteAt_ppu = chip.readWord(memoryAddress(0, 3073));
    expect(wroteAt_ppu).toBeGreaterThanOrEqual(2 * writeAt_fpga);
    expect(wroteAt_ppu).toBeLessThan(2 * writeAt_fpga + 40);
    expect(before).toBeCloseTo(0, 9);
    expect(after).toBeGreaterThan(1);
  });
});
