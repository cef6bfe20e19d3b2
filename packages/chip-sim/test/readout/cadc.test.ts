// The CADC through ordinary programs (hardware.md §3.9, §8.3): CADCSampleQuad trigger reads convert now,
// buffered reads return the last conversion; code = round((V − 0.06 V) / 4.5 mV) + channel offset in 0..255;
// causal / acausal channels read the neuron or the correlation sensors as ColumnCorrelationQuad switches them.
import {
  CADCChannelConfigOnDLS,
  CADCChannelConfigOnSynram,
  CADCChannelColumnOnSynram,
  CADCChannelType,
  CADCConfigOnDLS,
  ColumnCorrelationQuadOnDLS,
  SynapseOnSynapseRow,
  SynramOnDLS,
} from '@bss2/halco';
import { AtomicNeuron, CADCChannelConfig, CADCConfig, CADCSampleQuad, ColumnCorrelationQuad, SynapseDriverConfig } from '@bss2/lola';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimulatedChip, defaultCorrelationParameters } from '../../src/index.js';
import {
  CYCLES_PER_US,
  Program,
  SETTLE_CYCLES,
  cadcCodeOf,
  cadcQuad,
  driver,
  openEventPath,
  passiveNeuron,
  synapseDacBias,
  writeNeuron,
  writeSynapse,
} from '../model/program.js';

const SEED = 0xcadc;

function switchCoord(synram: number, column: number): ColumnCorrelationQuadOnDLS {
  return new ColumnCorrelationQuadOnDLS(new SynapseOnSynapseRow(column).toSynapseQuadColumnOnDLS(), new SynramOnDLS(synram));
}

/** Switches of one column's quad: the given column's entry set as `on` says, the others off. */
function switches(column: number, on: Partial<Record<'neuronCausal' | 'neuronAcausal' | 'internalCausal' | 'internalAcausal', boolean>>): ColumnCorrelationQuad {
  const entry = new SynapseOnSynapseRow(column).toEntryOnQuad().value;
  const flags = (flag: boolean | undefined) => [0, 1, 2, 3].map((e) => e === entry && flag === true);
  return new ColumnCorrelationQuad({
    enableCadcNeuronReadoutCausal: flags(on.neuronCausal),
    enableCadcNeuronReadoutAcausal: flags(on.neuronAcausal),
    enableInternalCausal: flags(on.internalCausal),
    enableInternalAcausal: flags(on.internalAcausal),
  });
}

function channel(synram: number, column: number, type: CADCChannelType): CADCChannelConfigOnDLS {
  return new CADCChannelConfigOnDLS(new CADCChannelConfigOnSynram(new CADCChannelColumnOnSynram(column), type), new SynramOnDLS(synram));
}

/** Codes the ideal CADC may give for V: round((V − 0.06) / 4.5 mV) + offset, clamped (both neighbours at a tie). */
function admissible(voltage_V: number, offset: number): number[] {
  const raw = (voltage_V - 0.06) / 0.0045;
  const candidates = Math.abs(raw - Math.floor(raw) - 0.5) < 1e-6 ? [Math.floor(raw), Math.ceil(raw)] : [Math.round(raw)];
  return candidates.map((c) => Math.min(255, Math.max(0, c + offset)));
}

describe('CADC', () => {
  it('converts the neuron readout: round((V − 0.06 V) / 4.5 mV) + offset, clamped to 0..255; buffered repeats it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1022 }),
        fc.integer({ min: -128, max: 127 }),
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom(0, 1),
        (lsb, offset, column, synram) => {
          const c = new SimulatedChip({ seed: 1, analog: { idealChip: true, voltageTransfer: 'datasheet' } });
          const p = new Program(c);
          writeNeuron(p, 256 * synram + column, passiveNeuron(lsb));
          p.write(new CADCConfigOnDLS(synram), new CADCConfig({ enable: true }));
          p.write(switchCoord(synram, column), switches(column, { neuronAcausal: true }));
          p.write(channel(synram, column, CADCChannelType.acausal), new CADCChannelConfig({ offset }));
          p.at(SETTLE_CYCLES);
          p.read(cadcQuad(synram, 17, column, 'acausal', 'buffered'), CADCSampleQuad);
          p.read(cadcQuad(synram, 17, column, 'acausal', 'trigger'), CADCSampleQuad);
          p.read(cadcQuad(synram, 17, column, 'acausal', 'buffered'), CADCSampleQuad);
          p.read(cadcQuad(synram, 18, column, 'acausal', 'buffered'), CADCSampleQuad);
          const [before, trigger, buffered, otherRow] = p.run(c).data as [number, number, number, number];
          expect(before).toBe(0);
          expect(admissible((1.2 * lsb) / 1022, offset)).toContain(cadcCodeOf(trigger, column));
          expect(buffered).toBe(trigger);
          expect(otherRow).toBe(0);
        },
      ),
      { numRuns: 40, seed: SEED },
    );
  });

  it('reads 0 while disabled, floats to the code of 0 V without a switch, and each channel type has its own switch', () => {
    const c = new SimulatedChip({ seed: 1, analog: { idealChip: true, voltageTransfer: 'datasheet' } });
    const p = new Program(c);
    const column = 9;
    writeNeuron(p, column, passiveNeuron(700));
    p.write(switchCoord(0, column), switches(column, { neuronCausal: true }));
    p.at(SETTLE_CYCLES).read(cadcQuad(0, 0, column, 'causal', 'trigger'), CADCSampleQuad);
    p.write(new CADCConfigOnDLS(0), new CADCConfig({ enable: true }));
    p.read(cadcQuad(0, 0, column, 'causal', 'trigger'), CADCSampleQuad);
    p.read(cadcQuad(0, 0, column, 'acausal', 'trigger'), CADCSampleQuad);
    p.write(channel(0, column, CADCChannelType.acausal), new CADCChannelConfig({ offset: 100 }));
    p.read(cadcQuad(0, 0, column, 'acausal', 'trigger'), CADCSampleQuad);
    const [disabled, causal, floating, floatingWithOffset] = p.run(c).data as [number, number, number, number];
    expect(disabled).toBe(0);
    expect(cadcCodeOf(causal, column)).toBe(Math.round(((1.2 * 700) / 1022 - 0.06) / 0.0045));
    expect(cadcCodeOf(floating, column)).toBe(0);
    expect(cadcCodeOf(floatingWithOffset, column)).toBe(100 - 13);
  });

  it('reads the correlation sensors of the sample row: baseline, then lower as causal pairs accumulate', () => {
    const c = new SimulatedChip({ seed: 1, analog: { idealChip: true, voltageTransfer: 'datasheet' } });
    const p = openEventPath(new Program(c));
    synapseDacBias(p, 600);
    const column = 40;
    const row = 7; // the top row of driver 3 (bus 3, index 0)
    // A bypass neuron fires on every event of its excitatory input: pre and post at the same time (§8.2).
    writeNeuron(p, column, new AtomicNeuron({ eventRouting: { analogOutput: 'normal', enableDigital: false, enableBypassExcitatory: true } }));
    p.write(driver(0, 3), new SynapseDriverConfig({ enableReceiver: true, rowModeTop: 'excitatory' }));
    writeSynapse(p, 0, row, column, 20, 5);
    p.write(new CADCConfigOnDLS(0), new CADCConfig({ enable: true }));
    p.write(switchCoord(0, column), switches(column, { internalCausal: true, internalAcausal: true }));
    p.at(SETTLE_CYCLES);
    p.read(cadcQuad(0, row, column, 'causal', 'trigger'), CADCSampleQuad);
    const pairs = 6;
    for (let k = 0; k < pairs; k++) p.at(SETTLE_CYCLES + (k + 1) * 100 * CYCLES_PER_US).spikes(5);
    p.at(SETTLE_CYCLES + (pairs + 2) * 100 * CYCLES_PER_US);
    p.read(cadcQuad(0, row, column, 'causal', 'trigger'), CADCSampleQuad);
    p.read(cadcQuad(0, row, column, 'acausal', 'trigger'), CADCSampleQuad);
    p.read(cadcQuad(0, row + 2, column, 'causal', 'trigger'), CADCSampleQuad);
    const [start, causal, acausal, otherRow] = p.run(c).data.map((w) => cadcCodeOf(w, column));
    const { baseline_lsb, amplitude_lsb } = defaultCorrelationParameters;
    expect(start).toBe(baseline_lsb);
    expect(causal).toBe(baseline_lsb - pairs * amplitude_lsb);
    // A pre 100 µs after the last post pairs with weight e^(−20): nothing measurable.
    expect(acausal).toBe(baseline_lsb);
    expect(otherRow).toBe(baseline_lsb);
  });
});
