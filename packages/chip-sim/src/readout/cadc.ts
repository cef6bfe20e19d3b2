import { CADCSampleQuadOnDLS, ColumnCorrelationQuadOnDLS, EntryOnQuad, SynapseQuadOnSynram } from '@bss2/halco';
import { CADCChannelConfig, CADCConfig, CADCSampleQuad, ColumnCorrelationQuad, nominal } from '@bss2/lola';
import { type ChipVariation, type NeuronArray, type NeuronParameters, type Random, temporalNoiseMagnitudes } from '../analog/index.js';
import type { CorrelationSensors } from '../events/index.js';
import type { EventTopology } from '../events/topology.js';
import { fieldBits, readBits } from '../model/field-bits.js';
import type { RegisterFile } from '../register-file.js';
import type { NeuronReadoutSwitches } from './madc.js';
import { readoutVoltage_mV } from './readout-sources.js';

/** CADC transfer of §8.3: code = round((V − 0.06 V) / 4.5 mV) + offset. */
const CADC_ZERO_V = nominal.cadcZero_V;
const CADC_LSB_V = nominal.cadcLsb_V;
const QUADS_PER_SYNRAM = SynapseQuadOnSynram.size;
const SAMPLE_KINDS = 4;
const ENTRIES = 4;
const CHANNEL_TYPES = 2;
const ENABLE = fieldBits(CADCConfig, 'enable');
const OFFSET = fieldBits(CADCChannelConfig, 'offset');
/** Per derived sample unit: switch quad, synapse quad, 4 columns, 4 channels. */
const GEOMETRY_STRIDE = 10;

/** Word and bit of each entry's switch in a ColumnCorrelationQuad, from lola's field definition. */
function switchBits(name: keyof typeof ColumnCorrelationQuad.fields): Int32Array {
  const field = ColumnCorrelationQuad.fields[name];
  const out = new Int32Array(2 * ENTRIES);
  field.slices.forEach((slices, e) => {
    out[2 * e] = slices[0]!.word;
    out[2 * e + 1] = slices[0]!.bit;
  });
  return out;
}
const SWITCH_BITS = {
  readoutCausal: switchBits('enableCadcNeuronReadoutCausal'),
  readoutAcausal: switchBits('enableCadcNeuronReadoutAcausal'),
  internalCausal: switchBits('enableInternalCausal'),
  internalAcausal: switchBits('enableInternalAcausal'),
};

function switchOn(words: Uint32Array, at: number, bits: Int32Array, entry: number): boolean {
  return ((words[at + bits[2 * entry]!]! >>> bits[2 * entry + 1]!) & 1) === 1;
}

/**
 * The column-parallel ADCs (hardware.md §3.9, §8.3, §8.4), one per hemisphere, 256 causal + 256 acausal
 * channels each. A read of a CADCSampleQuad `trigger_read` converts the quad's four channels now and stores the
 * codes in both that word and the quad's `buffered` word; a `buffered` read returns the last conversion of the
 * quad (0 before any). Per channel (CADCChannelConfigOnDLS):
 *
 * `code = clamp(round(gain · (V − 0.06 V) / 4.5 mV + offset_var [+ N(0, 1 LSB)]) + offset, 0, 255)`
 *
 * with the chip's fixed-pattern `gain` / `offset_var` (§8.4), the configured `offset` (CADCChannelConfig) and
 * the temporal noise option. **Choices** for the input V of a channel (ColumnCorrelationQuad switches of its
 * column): with `enable_cadc_neuron_readout_*` the neuron below the column (its selected readout source, the
 * membrane by default) — the neuron engine's state at its latest step; otherwise with `enable_internal_*` the
 * correlation sensor of the synapse (sample row, column) of that branch, whose code (§8.2: baseline −
 * accumulated) stands for `V = 0.06 V + code · 4.5 mV`; otherwise the channel floats at 0 V. A disabled CADC
 * (CADCConfig.enable off) converts nothing: trigger reads return 0.
 */
export class Cadc {
  private readonly samples: Uint32Array;
  private readonly configWords: Uint32Array;
  private readonly channelWords: Uint32Array;
  private readonly switchWords: Uint32Array;
  private readonly entryShift: Int32Array;
  /** Per sample unit, its offset in `geometry` (−1: not derived yet). */
  private readonly geometryOf: Int32Array;
  private geometry = new Int32Array(64 * GEOMETRY_STRIDE);
  private geometryUsed = 0;

  constructor(
    registers: RegisterFile,
    samples: Uint32Array,
    private readonly switches: NeuronReadoutSwitches,
    private readonly array: NeuronArray,
    private readonly parameters: NeuronParameters,
    private readonly correlation: CorrelationSensors,
    private readonly topology: EventTopology,
    private readonly variation: ChipVariation,
    private readonly noise: Random | undefined,
  ) {
    this.samples = samples;
    this.configWords = registers.containerWords('CADCConfig');
    this.channelWords = registers.containerWords('CADCChannelConfig');
    this.switchWords = registers.containerWords('ColumnCorrelationQuad');
    const samplesField = CADCSampleQuad.fields.samples;
    this.entryShift = Int32Array.from(samplesField.slices, (slices) => slices[0]!.bit);
    this.geometryOf = new Int32Array(CADCSampleQuadOnDLS.size).fill(-1);
  }

  /** A read of CADCSampleQuadOnDLS `unit`: a trigger read converts its four channels now. */
  beforeRead(unit: number): void {
    const synram = Math.floor(unit / (SAMPLE_KINDS * QUADS_PER_SYNRAM));
    // Kinds in the order of halco's CADCSampleQuadOnSynram, `2 · readout + channel type`; readout 0 = trigger.
    const type = Math.floor((unit - synram * SAMPLE_KINDS * QUADS_PER_SYNRAM) / QUADS_PER_SYNRAM);
    if (type >= CHANNEL_TYPES) return;
    if (readBits(this.configWords, synram * CADCConfig.wordCount, ENABLE) === 0) {
      this.samples[unit] = 0;
      return;
    }
    // Reads come every cycle during recordings: the unit's coordinates are derived once (halco's conversions).
    let g = this.geometryOf[unit]!;
    if (g < 0) g = this.deriveGeometry(unit);
    const geometry = this.geometry;
    const switchAt = geometry[g]! * ColumnCorrelationQuad.wordCount;
    const t = this.topology;
    const rowBase = t.rowSynapseBase[t.rowOfQuad[geometry[g + 1]!]!]!;
    const readoutBits = type === 0 ? SWITCH_BITS.readoutCausal : SWITCH_BITS.readoutAcausal;
    const internalBits = type === 0 ? SWITCH_BITS.internalCausal : SWITCH_BITS.internalAcausal;
    let word = 0;
    for (let e = 0; e < ENTRIES; e++) {
      const column = geometry[g + 2 + e]!;
      let voltage_V = 0;
      if (switchOn(this.switchWords, switchAt, readoutBits, e)) {
        const circuit = t.circuitOfColumn[synram * t.columns + column]!;
        voltage_V = readoutVoltage_mV(this.array, this.parameters, circuit, this.switches.readoutSource[circuit]!) / 1000;
      } else if (switchOn(this.switchWords, switchAt, internalBits, e)) {
        const synapse = rowBase + column;
        const code = type === 0 ? this.correlation.causalCode(synapse) : this.correlation.acausalCode(synapse);
        voltage_V = CADC_ZERO_V + code * CADC_LSB_V;
      }
      word |= this.code(geometry[g + 6 + e]!, voltage_V) << this.entryShift[e]!;
    }
    this.samples[unit] = word >>> 0;
    this.samples[unit + CHANNEL_TYPES * QUADS_PER_SYNRAM] = word >>> 0;
  }

  /** Switch quad, synapse quad, columns and channels of a sample unit, appended to the geometry table. */
  private deriveGeometry(unit: number): number {
    const coord = new CADCSampleQuadOnDLS(unit);
    const quad = coord.toSynapseQuadOnDLS();
    const quadColumn = quad.toSynapseQuadOnSynram().x;
    const channels = coord.toCADCChannelConfigOnDLS();
    const g = this.geometryUsed;
    if (g + GEOMETRY_STRIDE > this.geometry.length) {
      const grown = new Int32Array(this.geometry.length * 2);
      grown.set(this.geometry);
      this.geometry = grown;
    }
    this.geometry[g] = new ColumnCorrelationQuadOnDLS(quadColumn, coord.toSynramOnDLS()).value;
    this.geometry[g + 1] = quad.value;
    for (let e = 0; e < ENTRIES; e++) {
      this.geometry[g + 2 + e] = quadColumn.neuronColumnOf(new EntryOnQuad(e)).value;
      this.geometry[g + 6 + e] = channels[e]!.value;
    }
    this.geometryUsed = g + GEOMETRY_STRIDE;
    this.geometryOf[unit] = g;
    return g;
  }

  /** The code of channel `channel` (CADCChannelConfigOnDLS) for the input `voltage_V`. */
  private code(channel: number, voltage_V: number): number {
    const v = this.variation;
    const noise = this.noise === undefined ? 0 : temporalNoiseMagnitudes.cadc_lsb * this.noise.normal();
    const raw = readBits(this.channelWords, channel, OFFSET);
    const offset = raw >= 128 ? raw - 256 : raw;
    // The channel's gain and offset act on the analog input, before the rounding of the ramp comparison.
    const effective_V = CADC_ZERO_V + v.cadcGain[channel]! * (voltage_V - CADC_ZERO_V) + (v.cadcOffset_lsb[channel]! + noise) * CADC_LSB_V;
    return nominal.cadcCode(effective_V, offset);
  }
}
