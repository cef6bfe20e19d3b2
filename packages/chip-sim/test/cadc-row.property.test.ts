// The row-wise CADC conversion (`Cadc.convertRow`, used by the PPU's CADC windows) against the per-channel
// definition of hardware.md §3.9, §8.2–§8.4: on random chips (seed, ideal or varied, temporal noise on or off),
// random switches, channel offsets, membranes and correlation states, converting a row gives exactly the codes
// of (a) one `beforeRead` per quad of the row in quad order and (b) a reference that converts channel by channel
// from halco's coordinates with its own noise stream — same codes, same noise draws in the same order.
import {
  CADCChannelColumnOnSynram,
  CADCChannelConfigOnDLS,
  CADCChannelConfigOnSynram,
  CADCChannelType,
  CADCConfigOnDLS,
  CADCReadoutType,
  CADCSampleQuadOnDLS,
  CADCSampleQuadOnSynram,
  ColumnCorrelationQuadOnDLS,
  EntryOnQuad,
  SynapseOnDLS,
  SynapseOnSynapseRow,
  SynapseOnSynram,
  SynapseQuadColumnOnDLS,
  SynapseQuadOnSynram,
  SynapseRowOnSynram,
  SynramOnDLS,
} from '@bss2/halco';
import { CADCChannelConfig, CADCConfig, CADCSampleQuad, ColumnCorrelationQuad, nominal } from '@bss2/lola';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AnalogChipModel,
  type ChipModelContext,
  ChipSimArgumentError,
  Random,
  SimulatedChip,
  analogChipModel,
  readoutVoltage_mV,
  streamSeed,
  temporalNoiseMagnitudes,
} from '../src/index.js';
import { readContainer, writeContainer } from './ppu-helpers.js';

const QUAD_COLUMNS = SynapseQuadColumnOnDLS.size;
const ENTRIES = 4;
const SWITCH_FIELDS = ['enableCadcNeuronReadoutCausal', 'enableCadcNeuronReadoutAcausal', 'enableInternalCausal', 'enableInternalAcausal'] as const;

/** Chips of the property (each built once: building one takes a good fraction of a second). */
const CHIPS = [
  { seed: 1, idealChip: true, temporalNoise: false },
  { seed: 2, idealChip: false, temporalNoise: true },
  { seed: 3, idealChip: false, temporalNoise: false },
  { seed: 4, idealChip: true, temporalNoise: true },
] as const;

interface Scenario {
  chip: number;
  enable: boolean;
  synram: number;
  row: number;
  /** Per quad column, 16 switch flags (4 fields × 4 entries). */
  switches: boolean[][];
  /** Channel offsets written for some (type, column) pairs. */
  offsets: [number, number, number][];
  /** Membranes (mV) of some columns' neurons of the synram. */
  membranes: [number, number][];
  /** Accumulated causal / acausal values (LSB) of some columns of the row. */
  correlations: [number, number, number][];
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  chip: fc.integer({ min: 0, max: CHIPS.length - 1 }),
  // Mostly enabled: a disabled CADC converts nothing.
  enable: fc.integer({ min: 0, max: 4 }).map((k) => k !== 0),
  synram: fc.constantFrom(0, 1),
  row: fc.integer({ min: 0, max: 255 }),
  switches: fc.array(fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }), { minLength: QUAD_COLUMNS, maxLength: QUAD_COLUMNS }),
  offsets: fc.array(fc.tuple(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 255 }), fc.integer({ min: -128, max: 127 })), { maxLength: 40 }),
  membranes: fc.array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.double({ min: -50, max: 1300, noNaN: true })), { maxLength: 60 }),
  correlations: fc.array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.double({ min: 0, max: 260, noNaN: true }), fc.double({ min: 0, max: 260, noNaN: true })), { maxLength: 120 }),
});

/**
 * A simulated chip, its analog model, the CADCSampleQuad words (model-owned, read here without side effects)
 * and a noise stream that stands where the model's CADC noise should (the reference draws from it).
 */
interface Bench {
  chip: SimulatedChip;
  model: AnalogChipModel;
  samples: Uint32Array;
  noise: Random | undefined;
}

function build(which: number): Bench {
  const { seed, idealChip, temporalNoise } = CHIPS[which]!;
  let context: ChipModelContext | undefined;
  const factory = analogChipModel({ idealChip, temporalNoise });
  const chip = new SimulatedChip({
    seed,
    model: (c) => {
      context = c;
      return factory(c);
    },
  });
  const model = chip.model as AnalogChipModel;
  return { chip, model, samples: context!.modelOwned('CADCSampleQuad'), noise: temporalNoise ? new Random(streamSeed(seed, 'noise.cadc', 0)) : undefined };
}

/** Puts the scenario's configuration and state into a chip. */
function apply(s: Scenario, { chip, model }: Bench): void {
  writeContainer(chip, new CADCConfigOnDLS(s.synram), new CADCConfig({ enable: s.enable }));
  s.switches.forEach((flags, x) => {
    const fields = Object.fromEntries(SWITCH_FIELDS.map((name, f) => [name, flags.slice(4 * f, 4 * f + 4)]));
    writeContainer(chip, new ColumnCorrelationQuadOnDLS(new SynapseQuadColumnOnDLS(x), new SynramOnDLS(s.synram)), new ColumnCorrelationQuad(fields));
  });
  for (const [type, column, offset] of s.offsets) {
    const channel = new CADCChannelConfigOnDLS(new CADCChannelConfigOnSynram(new CADCChannelColumnOnSynram(column), new CADCChannelType(type)), new SynramOnDLS(s.synram));
    writeContainer(chip, channel, new CADCChannelConfig({ offset }));
  }
  const topology = model.router.topology;
  const membrane = model.neurons.membrane_mV;
  for (const [column, v] of s.membranes) membrane[topology.circuitOfColumn[s.synram * topology.columns + column]!] = v;
  const causal = model.router.correlation.causal;
  const acausal = model.router.correlation.acausal;
  for (const [column, c, a] of s.correlations) {
    const synapse = synapseOf(s.synram, s.row, column);
    causal[synapse] = c;
    acausal[synapse] = a;
  }
}

function synapseOf(synram: number, row: number, column: number): number {
  return new SynapseOnDLS(new SynapseOnSynram(new SynapseOnSynapseRow(column), new SynapseRowOnSynram(row)), new SynramOnDLS(synram)).value;
}

function unitOf(synram: number, row: number, x: number, type: number, readout: CADCReadoutType): number {
  const quad = new SynapseQuadOnSynram(new SynapseQuadColumnOnDLS(x), new SynapseRowOnSynram(row));
  return new CADCSampleQuadOnDLS(new CADCSampleQuadOnSynram(quad, new CADCChannelType(type), readout), new SynramOnDLS(synram)).value;
}

/**
 * The per-channel definition: for each quad of the row (causal quads first, then acausal), each entry, the
 * channel's input (neuron readout, else correlation sensor `baseline − accumulated`, else 0 V) and code
 * `clamp(round(gain·(V − 0.06)/4.5 mV + offset_var [+ noise]) + offset)`, noise drawn per channel in that order.
 */
function referenceRow(s: Scenario, row: number, { chip, model, noise }: Bench): Map<number, number> {
  const v = model.variation;
  const topology = model.router.topology;
  const correlation = model.router.correlation;
  const out = new Map<number, number>();
  for (let type = 0; type < 2; type++) {
    for (let x = 0; x < QUAD_COLUMNS; x++) {
      const codes: number[] = [];
      for (let e = 0; e < ENTRIES; e++) {
        const column = new SynapseQuadColumnOnDLS(x).neuronColumnOf(new EntryOnQuad(e)).value;
        const flags = s.switches[x]!;
        let voltage_V = 0;
        if (flags[4 * type + e]) {
          const circuit = topology.circuitOfColumn[s.synram * topology.columns + column]!;
          voltage_V = readoutVoltage_mV(model.neurons, model.parameters, circuit, model.configuration.readoutSource[circuit]!) / 1000;
        } else if (flags[8 + 4 * type + e]) {
          const synapse = synapseOf(s.synram, row, column);
          voltage_V = nominal.cadcCodeToVoltage_V(type === 0 ? correlation.causalCode(synapse) : correlation.acausalCode(synapse));
        }
        const coordinate = new CADCChannelConfigOnDLS(new CADCChannelConfigOnSynram(new CADCChannelColumnOnSynram(column), new CADCChannelType(type)), new SynramOnDLS(s.synram));
        const channel = coordinate.value;
        const offset = (readContainer(chip, coordinate, CADCChannelConfig) as CADCChannelConfig).offset;
        // A disabled CADC converts nothing and draws nothing.
        const drawn = noise === undefined || !s.enable ? 0 : temporalNoiseMagnitudes.cadc_lsb * noise.normal();
        const zero = nominal.cadcZero_V;
        const effective_V = zero + v.cadcGain[channel]! * (voltage_V - zero) + (v.cadcOffset_lsb[channel]! + drawn) * nominal.cadcLsb_V;
        codes.push(nominal.cadcCode(effective_V, offset));
      }
      out.set(unitOf(s.synram, row, x, type, CADCReadoutType.triggerRead), new CADCSampleQuad({ samples: codes }).encode()[0]!);
    }
  }
  return out;
}

/** Word-by-word equality (a deep `toEqual` of 131 072 words is slow); names the first differing word. */
function expectSameWords(actual: Uint32Array, expected: Uint32Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) if (actual[i] !== expected[i]) expect.fail(`word ${i}: ${actual[i]} ≠ ${expected[i]}`);
}

describe('CADC row conversion', () => {
  const benches: [Bench, Bench][] = [];

  it('equals one beforeRead per quad and the per-channel definition (codes, noise draws, untouched words)', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const pair = (benches[s.chip] ??= [build(s.chip), build(s.chip)]);
        const [rowWise, perQuad] = pair;
        apply(s, rowWise);
        apply(s, perQuad);
        expectSameWords(rowWise.samples, perQuad.samples);
        // The row, then its neighbour (the noise streams must still stand at the same draw).
        for (const row of [s.row, (s.row + 1) % 256]) {
          const before = rowWise.samples.slice();
          rowWise.model.cadc.convertRow(s.synram, row);
          for (let type = 0; type < 2; type++) {
            for (let x = 0; x < QUAD_COLUMNS; x++) perQuad.model.cadc.beforeRead(unitOf(s.synram, row, x, type, CADCReadoutType.triggerRead));
          }
          expectSameWords(rowWise.samples, perQuad.samples);
          const reference = referenceRow(s, row, rowWise);
          const changed = new Set<number>();
          for (const [unit, word] of reference) {
            const buffered = unit + 2 * SynapseQuadOnSynram.size;
            changed.add(unit).add(buffered);
            // A disabled CADC converts nothing: its trigger reads give 0, the buffered words stay.
            expect([unit, rowWise.samples[unit]]).toEqual([unit, s.enable ? word : 0]);
            expect([buffered, rowWise.samples[buffered]]).toEqual([buffered, s.enable ? word : before[buffered]]);
          }
          for (let i = 0; i < before.length; i++) if (!changed.has(i) && rowWise.samples[i] !== before[i]) expect.fail(`word ${i} changed`);
        }
      }),
      { seed: 1, numRuns: 40 },
    );
  });

  it('refuses a synram or row that does not exist with a typed error, converting nothing', () => {
    const { model, samples } = build(0);
    const before = samples.slice();
    for (const [synram, row] of [
      [2, 0],
      [-1, 0],
      [0, 256],
      [0, 1.5],
      [0, Number.NaN],
    ] as const) {
      expect(() => model.cadc.convertRow(synram, row)).toThrow(ChipSimArgumentError);
    }
    expect(() => model.cadc.convertRow(0, 256)).toThrow(/SynapseRowOnSynram in 0\.\.255/);
    expectSameWords(samples, before);
  });
});
