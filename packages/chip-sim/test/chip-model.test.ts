import { InstructionStream, Loopback } from '@bss2/fisch';
import {
  CADCSampleQuadOnDLS,
  NeuronConfigOnDLS,
  PPUStatusRegisterOnDLS,
  PollingOmnibusBlockConfigOnFPGA,
  SpikeCounterReadOnDLS,
  omnibusAddressesOf,
} from '@bss2/halco';
import { CADCSampleQuad, PPUStatusRegister, PollingOmnibusBlockConfig, SpikeCounterRead } from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import { ChipSimArgumentError, type ChipModel, type ChipModelContext, POLL_INTERVAL_CYCLES, SimulatedChip } from '../src/index.js';
import { run } from './helpers.js';

/** Counts calls and fills model-owned units: spike counter n = number of writes seen so far. */
class RecordingModel implements ChipModel {
  readonly responseLatency_cycles = 0;
  readonly calls: string[] = [];
  readonly advances: number[] = [];
  readonly counters: Uint32Array;
  readonly samples: Uint32Array;

  constructor(readonly context: ChipModelContext) {
    this.counters = context.modelOwned('SpikeCounterRead');
    this.samples = context.modelOwned('CADCSampleQuad');
  }

  advanceTo(cycle: number): void {
    this.advances.push(cycle);
  }
  onWrite(address: number, value: number): void {
    this.calls.push(`write 0x${address.toString(16)}=${value}`);
    this.counters[3] = new SpikeCounterRead({ count: this.calls.length }).encode()[0]!;
  }
  injectSpikes(labels: ArrayLike<number>, count: number, cycle: number): void {
    this.calls.push(`inject ${Array.from({ length: count }, (_, i) => labels[i]).join(',')} @${cycle}`);
  }
  drainEvents(): void {}
  onReset(cycle: number): void {
    this.calls.push(`reset @${cycle}`);
  }
}

describe('the chip model hooks (design, "Hooks")', () => {
  it('are called in program order with cycles; model-owned units read back what the model stored', () => {
    let model!: RecordingModel;
    const chip = new SimulatedChip({ seed: 4, model: (context) => (model = new RecordingModel(context)) });
    const [neuron] = omnibusAddressesOf('NeuronConfig', new NeuronConfigOnDLS(0));
    const [counter] = omnibusAddressesOf('SpikeCounterRead', new SpikeCounterReadOnDLS(3));
    const [sample] = omnibusAddressesOf('CADCSampleQuad', new CADCSampleQuadOnDLS(10));
    model.samples[10] = new CADCSampleQuad({ samples: [1, 2, 3, 4] }).encode()[0]!;
    const responses = run(chip, (s) =>
      s.omnibusWrite(neuron!, 5).omnibusWrite(counter!, 9).spikePack2(1, 2).omnibusRead(counter!).omnibusRead(sample!).reset(true),
    );
    expect(model.calls).toEqual([`write 0x${neuron!.toString(16)}=5`, 'inject 1,2 @4', 'reset @7']);
    expect(responses.filter((r) => r.kind === 'OmnibusData').map((r) => (r as { value: number }).value)).toEqual([
      new SpikeCounterRead({ count: 1 }).encode()[0],
      new CADCSampleQuad({ samples: [1, 2, 3, 4] }).encode()[0],
    ]);
    // One advance per instruction (9 with the halt), each at the instruction's cycle.
    expect(model.advances).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    // The chip reset restored the model-owned units to lola defaults.
    expect(chip.readWord(counter!)).toBe(0);
    expect(chip.readWord(sample!)).toBe(0);
  });

  it('advance the model through stalls before the next instruction', () => {
    let model!: RecordingModel;
    const chip = new SimulatedChip({ seed: 4, model: (context) => (model = new RecordingModel(context)) });
    chip.execute(new InstructionStream().timingSetup().waitUntil(1000).loopback(Loopback.halt).toBytes());
    expect(model.advances).toEqual([0, 1, 1002]);
  });

  it('let PollingOmnibusBlock see a model-owned word change at the next poll', () => {
    const sleepAt = 1000;
    let status!: Uint32Array;
    const chip = new SimulatedChip({
      seed: 4,
      model: (context) => {
        status = context.modelOwned('PPUStatusRegister');
        return {
          responseLatency_cycles: 0,
          advanceTo: (cycle: number) => {
            if (cycle > sleepAt) status[0] = new PPUStatusRegister({ sleep: true }).encode()[0]!;
          },
          onWrite: () => {},
          injectSpikes: () => {},
          drainEvents: () => {},
          onReset: () => {},
        };
      },
    });
    const [address] = PPUStatusRegister.addresses(new PPUStatusRegisterOnDLS(0));
    const config = new PollingOmnibusBlockConfig({ address: address!, mask: 1, target: 1 }).encode();
    const [a0, a1, a2] = PollingOmnibusBlockConfig.addresses(new PollingOmnibusBlockConfigOnFPGA(0));
    run(chip, (s) => s.omnibusWrite(a0!, config[0]!).omnibusWrite(a1!, config[1]!).omnibusWrite(a2!, config[2]!).pollingOmnibusBlock(true));
    // The poll starts at cycle 6 and reads every POLL_INTERVAL_CYCLES; the first read after cycle 1000 holds.
    const end = 6 + Math.ceil((sleepAt + 1 - 6) / POLL_INTERVAL_CYCLES) * POLL_INTERVAL_CYCLES;
    expect(chip.systime).toBe(end + 2);
    expect(chip.counters().timeouts).toBe(0);
  });

  it('hand out only read-only units as model-owned', () => {
    expect(() => new SimulatedChip({ seed: 4, model: (context) => (context.modelOwned('NeuronConfig'), new RecordingModel(context)) })).toThrow(
      ChipSimArgumentError,
    );
  });
});
