// The chip's identity (architecture.md, "Fixed-pattern variation", "Determinism"): the fixed pattern of a
// seeded chip is visible through ordinary reads, the same for the same seed and different for another; a whole
// program on the same seed answers with bit-identical bytes, temporal noise included.
import {
  BackgroundSpikeSourceOnDLS,
  CADCConfigOnDLS,
  ColumnCorrelationQuadOnDLS,
  MADCConfigOnDLS,
  MADCControlOnDLS,
  ReadoutSourceSelectionOnDLS,
  SynapseQuadColumnOnDLS,
} from '@bss2/halco';
import {
  AtomicNeuron,
  BackgroundSpikeSource,
  CADCConfig,
  CADCSampleQuad,
  ColumnCorrelationQuad,
  MADCConfig,
  MADCControl,
  ReadoutSourceSelection,
  SynapseDriverConfig,
} from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import { SimulatedChip, type SimulatedChipOptions } from '../../src/index.js';
import { CYCLES_PER_US, Program, SETTLE_CYCLES, cadcCodeOf, cadcQuad, driver, openEventPath, passiveNeuron, synapseDacBias, writeNeuron, writeSynapses } from './program.js';

/** Every neuron configured alike (leak potential 400 LSB), all 512 membranes read through the CADC. */
function membraneCodes(options: SimulatedChipOptions): number[] {
  const chip = new SimulatedChip(options);
  const p = new Program(chip);
  for (let n = 0; n < 512; n++) writeNeuron(p, n, passiveNeuron(400, { leak: { iBias: 200 } }));
  for (const synram of [0, 1]) p.write(new CADCConfigOnDLS(synram), new CADCConfig({ enable: true }));
  for (const quad of ColumnCorrelationQuadOnDLS.all()) p.write(quad, new ColumnCorrelationQuad({ enableCadcNeuronReadoutCausal: [true, true, true, true] }));
  p.at(SETTLE_CYCLES);
  for (const synram of [0, 1]) {
    for (const q of SynapseQuadColumnOnDLS.all()) {
      p.read(cadcQuad(synram, 0, q.toNeuronColumnOnDLS()[0]!.value, 'causal', 'trigger'), CADCSampleQuad);
    }
  }
  const words = p.run(chip).data;
  const codes: number[] = [];
  let k = 0;
  for (const synram of [0, 1]) {
    for (const q of SynapseQuadColumnOnDLS.all()) {
      const word = words[k++]!;
      for (const column of q.toNeuronColumnOnDLS()) codes[256 * synram + column.value] = cadcCodeOf(word, column.value);
    }
  }
  return codes;
}

const sd = (xs: number[]): number => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
};

describe('fixed-pattern variation', () => {
  it('is visible, deterministic per seed and different across seeds; the ideal chip has none', () => {
    const a = membraneCodes({ seed: 7 });
    const again = membraneCodes({ seed: 7 });
    const other = membraneCodes({ seed: 8 });
    const ideal = membraneCodes({ seed: 7, analog: { idealChip: true } });
    expect(again).toEqual(a);
    expect(new Set(ideal).size).toBe(1);
    // §8.4: leak potential offsets N(0, 20 mV) ≈ 4.4 CADC LSB, CADC channel offsets N(0, 5 LSB).
    expect(sd(a)).toBeGreaterThan(4);
    expect(sd(a)).toBeLessThan(12);
    expect(a.filter((code, i) => code !== other[i]).length).toBeGreaterThan(400);
  });
});

/**
 * A program that exercises everything: neurons driven by FPGA and Poisson input, spikes, MADC, CADC. With
 * temporal noise nothing ever rests, so it waits only 2.1 ms (two CapMem updates, not settled: no matter here).
 */
const START = 2100 * CYCLES_PER_US;
function busyProgram(chip: SimulatedChip): Program {
  const p = openEventPath(new Program(chip));
  synapseDacBias(p, 600);
  const neuron = new AtomicNeuron({
    leak: { vLeak: 400, iBias: 200 },
    reset: { vReset: 350, iBias: 1000 },
    threshold: { enable: true, vThreshold: 480 },
    membraneCapacitance: { capacitance: 30 },
    excitatoryInput: { enable: true, iBiasTau: 100, iBiasGm: 400 },
    refractoryPeriod: { refractoryTime: 100, resetHoldoff: 0 },
    eventRouting: { analogOutput: 'normal', enableDigital: true, address: 0x80 },
    readout: { enableBufferedAccess: true },
  });
  for (let n = 0; n < 4; n++) writeNeuron(p, 2 * n, neuron);
  p.write(driver(0, 0), new SynapseDriverConfig({ enableReceiver: true, rowModeTop: 'excitatory', rowModeBottom: 'excitatory' }));
  writeSynapses(p, 0, 1, Array.from({ length: 4 }, (_, n) => [2 * n, 20 + 5 * n, 5] as const));
  writeSynapses(p, 0, 0, Array.from({ length: 4 }, (_, n) => [2 * n, 30, 6] as const));
  p.write(new ReadoutSourceSelectionOnDLS(0), new ReadoutSourceSelection({ neuronEvenTop: [true, false] }));
  p.write(new CADCConfigOnDLS(0), new CADCConfig({ enable: true }));
  p.write(new ColumnCorrelationQuadOnDLS(0), new ColumnCorrelationQuad({ enableCadcNeuronReadoutCausal: [true, true, true, true] }));
  p.at(START);
  p.write(new BackgroundSpikeSourceOnDLS(0), new BackgroundSpikeSource({ enable: true, enableRandom: true, period: 50, rate: 120, seed: 99, neuronLabel: 6 }));
  p.write(new MADCConfigOnDLS(0), new MADCConfig({ enableMadcClockScaling: true, madcClockScaleValue: 3 }));
  p.write(new MADCControlOnDLS(0), new MADCControl({ wakeUp: true, startRecording: true, enableContinuousSampling: true }));
  for (let k = 1; k <= 20; k++) {
    p.at(START + k * 2 * CYCLES_PER_US).spikes(5);
    if (k % 5 === 0) p.read(cadcQuad(0, 0, 0, 'causal', 'trigger'), CADCSampleQuad);
  }
  return p.at(START + 50 * CYCLES_PER_US);
}

describe('determinism', () => {
  it('the same program on the same seed gives bit-identical responses (temporal noise on), another seed does not', () => {
    // A coarse step keeps the noisy run short (noise is drawn for every circuit in every step).
    const options = (seed: number): SimulatedChipOptions => ({ seed, analog: { temporalNoise: true, analogStep_ns: 400 } });
    const run = (chip: SimulatedChip) => busyProgram(chip).run(chip);
    const first = run(new SimulatedChip(options(21)));
    const second = run(new SimulatedChip(options(21)));
    expect(first.spikes.length).toBeGreaterThan(10);
    expect(first.madcSamples.length).toBeGreaterThan(150);
    expect(second.bytes).toEqual(first.bytes);
    // After a power-on reset the chip answers the same again.
    const chip = new SimulatedChip(options(21));
    run(chip);
    chip.reset();
    expect(run(chip).bytes).toEqual(first.bytes);
    const other = run(new SimulatedChip(options(22)));
    expect(other.bytes).not.toEqual(first.bytes);
  });
});
