import { AtomicNeuronOnDLS, MADCConfigOnDLS, MADCControlOnDLS, ReadoutSourceSelectionOnDLS } from '@bss2/halco';
import { MADCConfig, MADCControl, NeuronConfig, ReadoutSourceSelection, nominal } from '@bss2/lola';
import type { PlaybackProgram, PlaybackProgramBuilder } from '@bss2/stadls';
import { CalibrationHardwareError } from '../errors.js';
import { NEURON_COUNT } from '../targets.js';
import { ChipSession } from './chip-session.js';
import { DecodedContainers } from './decoded-containers.js';

/** §3.9: 500 MHz / (12 + 5) per sample at the reset configuration, 34 ns. */
const MADC_SAMPLE_PERIOD_US = nominal.madcBaseSamplePeriod_ns / 1000;

/**
 * The MADC reading neuron pairs (hardware.md §3.9): channel 0 on the even-column line, channel 1 on the
 * odd-column line of a hemisphere (ReadoutSourceSelection), the active multiplexer alternating every sample,
 * the neuron's readout buffer (`enable_buffered_access`) connecting it to its line. Neurons are read one pair
 * (columns 2k, 2k + 1 of one row) at a time, so each line carries exactly one neuron. Used as the absolute
 * reference of the CADC calibration: one ADC for every neuron.
 */
export class MadcPairReadout {
  /** Samples per pair (alternating channels: half per neuron). */
  constructor(readonly samplesPerPair: number) {}

  /** Appends the reads of every neuron; `words(i)` are the neuron's configuration words on the chip. */
  appendAll(builder: PlaybackProgramBuilder, session: ChipSession): void {
    // The NeuronConfig the session holds for neuron `i`, its readout buffer switched on or off.
    const switched = (on: boolean) => new DecodedContainers((words) => NeuronConfig.decode(words).with({ enReadout: on }));
    const [on, off] = [switched(true), switched(false)];
    const readoutConfig = (i: number, enable: boolean): NeuronConfig => (enable ? on : off).of(session.wordsOf(i).subarray(0, NeuronConfig.wordCount));
    builder.write(
      new MADCConfigOnDLS(0),
      new MADCConfig({ numberOfSamples: this.samplesPerPair, activeMuxInputSelectLength: 1, activeMuxInitiallySelectedInput: 0 }),
    );
    for (const row of [0, 1]) {
      builder.write(
        new ReadoutSourceSelectionOnDLS(0),
        new ReadoutSourceSelection({ neuronEvenTop: [row === 0, false], neuronOddTop: [false, row === 0], neuronEvenBottom: [row === 1, false], neuronOddBottom: [false, row === 1] }),
      );
      for (let k = 0; k < 128; k++) {
        const pair = [256 * row + 2 * k, 256 * row + 2 * k + 1];
        for (const i of pair) builder.write(new AtomicNeuronOnDLS(i).toNeuronConfigOnDLS(), readoutConfig(i, true));
        builder.write(new MADCControlOnDLS(0), new MADCControl({ wakeUp: true, startRecording: true, enablePreAmplifier: true }));
        ChipSession.wait(builder, (this.samplesPerPair + 8) * MADC_SAMPLE_PERIOD_US);
        for (const i of pair) builder.write(new AtomicNeuronOnDLS(i).toNeuronConfigOnDLS(), readoutConfig(i, false));
      }
    }
  }

  /** Per neuron, the mean MADC voltage (V) of its samples in the program's results. */
  decode(program: PlaybackProgram): Float64Array {
    const samples = program.madcSamples;
    const expected = (NEURON_COUNT / 2) * this.samplesPerPair;
    if (samples.length !== expected) {
      throw new CalibrationHardwareError(`MADC: expected ${expected} samples (${this.samplesPerPair} per neuron pair), received ${samples.length} (hardware.md §3.9)`);
    }
    const sum = new Float64Array(NEURON_COUNT);
    const count = new Float64Array(NEURON_COUNT);
    for (let s = 0; s < samples.length; s++) {
      const pair = Math.floor(s / this.samplesPerPair);
      const row = Math.floor(pair / 128);
      const neuron = 256 * row + 2 * (pair % 128) + samples[s]!.channel;
      sum[neuron]! += nominal.madcCodeToVoltage_V(samples[s]!.value);
      count[neuron]! += 1;
    }
    return Float64Array.from(sum, (v, i) => v / count[i]!);
  }
}
