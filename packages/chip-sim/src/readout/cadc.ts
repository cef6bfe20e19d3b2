import { CADCSampleQuadOnDLS, ColumnCorrelationQuadOnDLS, EntryOnQuad, SynapseQuadOnSynram } from '@bss2/halco';
import { CADCChannelConfig, CADCConfig, CADCSampleQuad, ColumnCorrelationQuad, nominal } from '@bss2/lola';
import { type ChipVariation, type NeuronArray, type NeuronParameters, type Random, temporalNoiseMagnitudes } from '../analog/index.js';
import { ChipSimArgumentError } from '../errors.js';
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

/**
 * Switch quad, synapse quad, 4 columns and 4 channels per sample unit (offset `of[unit]` in `table`, −1 until
 * derived): a fixed property of the coordinates, so one table serves every chip of the process — a new chip's
 * first conversions do not repeat halco's conversions.
 */
const unitGeometry = {
  of: new Int32Array(CADCSampleQuadOnDLS.size).fill(-1),
  table: new Int32Array(64 * GEOMETRY_STRIDE),
  used: 0,
};

/** The geometry of sample unit `unit`, derived with halco's conversions and appended to `unitGeometry`. */
function deriveGeometry(unit: number): number {
  const coord = new CADCSampleQuadOnDLS(unit);
  const quad = coord.toSynapseQuadOnDLS();
  const quadColumn = quad.toSynapseQuadOnSynram().x;
  const channels = coord.toCADCChannelConfigOnDLS();
  const g = unitGeometry.used;
  if (g + GEOMETRY_STRIDE > unitGeometry.table.length) {
    const grown = new Int32Array(unitGeometry.table.length * 2);
    grown.set(unitGeometry.table);
    unitGeometry.table = grown;
  }
  const table = unitGeometry.table;
  table[g] = new ColumnCorrelationQuadOnDLS(quadColumn, coord.toSynramOnDLS()).value;
  table[g + 1] = quad.value;
  for (let e = 0; e < ENTRIES; e++) {
    table[g + 2 + e] = quadColumn.neuronColumnOf(new EntryOnQuad(e)).value;
    table[g + 6 + e] = channels[e]!.value;
  }
  unitGeometry.used = g + GEOMETRY_STRIDE;
  unitGeometry.of[unit] = g;
  return g;
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
    this.convertUnits(synram, type, unit, 1);
  }

  /**
   * One conversion of every channel of synapse row `row` (SynapseRowOnSynram) of CADC `synram`: the causal
   * trigger reads of the row's quads in quad order, then the acausal ones — exactly what as many `beforeRead`
   * calls give (same codes, same noise draws in the same order), with the configuration decoded once per row
   * (the PPU's CADC windows, hardware.md §7).
   */
  convertRow(synram: number, row: number): void {
    const t = this.topology;
    const rowsPerSynram = t.rows / t.synrams;
    if (!(Number.isInteger(synram) && synram >= 0 && synram < t.synrams)) throw new ChipSimArgumentError('CADC row conversion synram', synram, `a SynramOnDLS in 0..${t.synrams - 1}`);
    if (!(Number.isInteger(row) && row >= 0 && row < rowsPerSynram)) throw new ChipSimArgumentError('CADC row conversion row', row, `a SynapseRowOnSynram in 0..${rowsPerSynram - 1}`);
    const quadsPerRow = QUADS_PER_SYNRAM / rowsPerSynram;
    const first = synram * SAMPLE_KINDS * QUADS_PER_SYNRAM + row * quadsPerRow;
    if (readBits(this.configWords, synram * CADCConfig.wordCount, ENABLE) === 0) {
      for (let type = 0; type < CHANNEL_TYPES; type++) this.samples.fill(0, first + type * QUADS_PER_SYNRAM, first + type * QUADS_PER_SYNRAM + quadsPerRow);
      return;
    }
    for (let type = 0; type < CHANNEL_TYPES; type++) this.convertUnits(synram, type, first + type * QUADS_PER_SYNRAM, quadsPerRow);
  }

  /**
   * Trigger reads of the `count` consecutive sample units from `firstUnit`, all of channel type `type` of an
   * enabled CADC `synram`: each unit's four channels in entry order into its trigger and buffered words. Per unit
   * only its geometry is looked up; the tables the channels share are fetched once.
   */
  private convertUnits(synram: number, type: number, firstUnit: number, count: number): void {
    const t = this.topology;
    const samples = this.samples;
    const switchWords = this.switchWords;
    const channelWords = this.channelWords;
    const entryShift = this.entryShift;
    const readoutBits = type === 0 ? SWITCH_BITS.readoutCausal : SWITCH_BITS.readoutAcausal;
    const internalBits = type === 0 ? SWITCH_BITS.internalCausal : SWITCH_BITS.internalAcausal;
    const accumulated = type === 0 ? this.correlation.causal : this.correlation.acausal;
    const baseline_lsb = this.correlation.parameters.baseline_lsb;
    const gain = this.variation.cadcGain;
    const offsetVariation_lsb = this.variation.cadcOffset_lsb;
    const noise = this.noise;
    const noise_lsb = temporalNoiseMagnitudes.cadc_lsb;
    const columnBase = synram * t.columns;
    const offsetWord = OFFSET.word;
    const offsetShift = OFFSET.shift;
    const offsetMask = OFFSET.mask;
    for (let unit = firstUnit, end = firstUnit + count; unit < end; unit++) {
      // Reads come every cycle during recordings: the unit's coordinates are derived once (halco's conversions).
      let g = unitGeometry.of[unit]!;
      if (g < 0) g = deriveGeometry(unit);
      const geometry = unitGeometry.table;
      const switchAt = geometry[g]! * ColumnCorrelationQuad.wordCount;
      const rowBase = t.rowSynapseBase[t.rowOfQuad[geometry[g + 1]!]!]!;
      let word = 0;
      for (let e = 0; e < ENTRIES; e++) {
        const column = geometry[g + 2 + e]!;
        let voltage_V = 0;
        if (((switchWords[switchAt + readoutBits[2 * e]!]! >>> readoutBits[2 * e + 1]!) & 1) === 1) {
          const circuit = t.circuitOfColumn[columnBase + column]!;
          voltage_V = readoutVoltage_mV(this.array, this.parameters, circuit, this.switches.readoutSource[circuit]!) / 1000;
        } else if (((switchWords[switchAt + internalBits[2 * e]!]! >>> internalBits[2 * e + 1]!) & 1) === 1) {
          // The sensor's code (§8.2: baseline − accumulated, floor 0) as CorrelationSensors.causalCode gives it.
          const code = Math.max(0, Math.round(baseline_lsb - accumulated[rowBase + column]!));
          voltage_V = CADC_ZERO_V + code * CADC_LSB_V;
        }
        // The channel's gain and offset act on the analog input, before the rounding of the ramp comparison.
        const channel = geometry[g + 6 + e]!;
        const drawn = noise === undefined ? 0 : noise_lsb * noise.normal();
        const raw = (channelWords[channel + offsetWord]! >>> offsetShift) & offsetMask;
        const offset = raw >= 128 ? raw - 256 : raw;
        const effective_V = CADC_ZERO_V + gain[channel]! * (voltage_V - CADC_ZERO_V) + (offsetVariation_lsb[channel]! + drawn) * CADC_LSB_V;
        word |= nominal.cadcCode(effective_V, offset) << entryShift[e]!;
      }
      samples[unit] = word >>> 0;
      samples[unit + CHANNEL_TYPES * QUADS_PER_SYNRAM] = word >>> 0;
    }
  }
}
