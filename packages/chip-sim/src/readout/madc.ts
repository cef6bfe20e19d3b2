import { MADCConfig, MADCControl, ReadoutSourceSelection, madcClock_hz, madcMinimalCyclesPerSample, nominal } from '@bss2/lola';
import { type NeuronArray, type NeuronParameters, type Random, SUPPLY_MAX_MV, temporalNoiseMagnitudes } from '../analog/index.js';
import type { RegisterFile } from '../register-file.js';
import { readoutVoltage_mV } from './readout-sources.js';

/** The MADC samples the 500 MHz clock: chip times of samples are whole MADC clock periods (2 ns). */
export const MADC_CLOCK_PERIOD_NS = 1e9 / madcClock_hz;
const FPGA_CYCLE_NS = nominal.fpgaCycle_ns;
/** Samples carry the chip's 250 MHz timestamp: half an FPGA cycle. */
const HALF_CYCLE_NS = FPGA_CYCLE_NS / nominal.chipTimestampTicksPerFpgaCycle;
const CHANNELS = nominal.madcChannelCount;
const NEURONS = nominal.neuronCount;
const COLUMNS = nominal.neuronColumnCount;
const MADC_MAX = nominal.madcCodeMax_lsb;

/** Where the MADC reports its samples (the model's recorded events). */
export interface MadcSampleSink {
  madcSample(value: number, channel: number, cycle: number, halfCycle: 0 | 1): void;
}

/** What the MADC reads of the neurons: the readout switches and sources of every circuit (NeuronConfig §3.3). */
export interface NeuronReadoutSwitches {
  readonly readoutEnabled: Uint8Array;
  readonly readoutSource: Uint8Array;
}

const Power = { off: 0, waking: 1, ready: 2 } as const;

/**
 * The membrane ADC (hardware.md §3.9, §8.3): 10 bit, `round(1023 · V / 1.2 V)`, one sample every
 * `(12 + sample_duration_adjust)` MADC clocks (× `2 · (clock_scale_value + 1)` with clock scaling), i.e.
 * 34 ns at the reset configuration (29.41 MSa/s).
 *
 * **Choices** (the datasheet gives the registers, not the sequencing):
 * - MADCControl is acted on when written: `wake_up` powers the MADC up, ready `powerup_wait` MADC clocks later;
 *   `start_recording` starts a recording (waking the MADC first if it is off); `stop_recording` ends one;
 *   `enable_continuous_sampling` records until stopped, otherwise `number_of_samples` samples are taken;
 *   `enable_power_down_after_sampling` powers it off after a finished recording.
 * - The first sample is taken when the recording starts (the write's chip time, or the end of the power-up),
 *   then one per sample period; a sample carries its exact chip time (2 ns grid, reported to 4 ns).
 * - Channel: the active multiplexer starts on `active_mux_initially_selected_input` and, if
 *   `active_mux_input_select_length` L > 0, alternates every L samples (L = 0: no alternation).
 * - Input of channel m: the readout lines ReadoutSourceSelection multiplexer m connects (even / odd columns of
 *   each hemisphere). A line carries the mean of the selected sources of the circuits that drive it
 *   (`readout.enable_buffered_access`); nothing connected reads 0 V. Other multiplexer inputs (debug lines,
 *   current DAC, driver debug) are not modelled and read 0 V. Dummy data: the 10 LSBs of the sample counter.
 * - Between analog steps a source is interpolated linearly between the step's end points.
 * - Temporal noise (option): + N(0, 1.5 LSB) per sample before rounding.
 */
export class Madc {
  /** Chip time (ns) of the next sample while recording; +∞ otherwise. */
  nextSample_ns = Infinity;
  /** A stop_recording written at this chip time (ns) ends the recording when the analog steps reach it. */
  private stopAt_ns = Infinity;
  private power: number = Power.off;
  private readyAt_ns = 0;
  private recording = false;
  private remaining = 0;
  private counter = 0;
  private period_ns = 0;
  private samplesPerRecording = 0;
  private muxInitial = 0;
  private muxLength = 0;
  private dummy = false;
  private powerupWait_ns = 0;
  private continuous = false;
  private powerDownAfter = false;
  private readonly configWords: Uint32Array;
  private readonly controlWords: Uint32Array;
  private readonly selectionWords: Uint32Array;
  /** Per channel: the circuits that drive it (CSR over `channelCircuits`). */
  private readonly channelStart = new Int32Array(CHANNELS + 1);
  private readonly channelCircuits = new Int32Array(CHANNELS * NEURONS);
  private readonly lineSelected = new Uint8Array(CHANNELS * 4);
  private connectionsDirty = true;
  private readonly startValue_mV = new Float64Array(CHANNELS);
  private readonly endValue_mV = new Float64Array(CHANNELS);

  constructor(
    registers: RegisterFile,
    private readonly switches: NeuronReadoutSwitches,
    private readonly array: NeuronArray,
    private readonly parameters: NeuronParameters,
    private readonly sink: MadcSampleSink,
    private readonly noise: Random | undefined,
  ) {
    this.configWords = registers.containerWords('MADCConfig');
    this.controlWords = registers.containerWords('MADCControl');
    this.selectionWords = registers.containerWords('ReadoutSourceSelection');
    this.reset();
  }

  /** Chip reset: powered off, not recording, configuration from the (reset) registers. */
  reset(): void {
    this.power = Power.off;
    this.recording = false;
    this.stopAt_ns = Infinity;
    this.nextSample_ns = Infinity;
    this.onConfig();
    this.onSourceSelection();
  }

  get isRecording(): boolean {
    return this.recording;
  }

  /** MADCConfig was written. */
  onConfig(): void {
    const c = MADCConfig.decode(this.configWords);
    const scale = c.enableMadcClockScaling ? 2 * (c.madcClockScaleValue + 1) : 1;
    this.period_ns = (madcMinimalCyclesPerSample + c.sampleDurationAdjust) * scale * MADC_CLOCK_PERIOD_NS;
    this.samplesPerRecording = c.numberOfSamples;
    this.muxInitial = c.activeMuxInitiallySelectedInput;
    this.muxLength = c.activeMuxInputSelectLength;
    this.dummy = c.enableDummyData;
    this.powerupWait_ns = c.powerupWaitValue * MADC_CLOCK_PERIOD_NS;
  }

  /** The sample period in ns (hardware.md §3.9). */
  get samplePeriod_ns(): number {
    return this.period_ns;
  }

  /** ReadoutSourceSelection was written. */
  onSourceSelection(): void {
    const s = ReadoutSourceSelection.decode(this.selectionWords);
    for (let m = 0; m < CHANNELS; m++) {
      // Lines by `2 · hemisphere + column parity`: even top, odd top, even bottom, odd bottom.
      this.lineSelected[4 * m] = s.neuronEvenTop[m] ? 1 : 0;
      this.lineSelected[4 * m + 1] = s.neuronOddTop[m] ? 1 : 0;
      this.lineSelected[4 * m + 2] = s.neuronEvenBottom[m] ? 1 : 0;
      this.lineSelected[4 * m + 3] = s.neuronOddBottom[m] ? 1 : 0;
    }
    this.connectionsDirty = true;
  }

  /** A circuit's readout switches or source may have changed. */
  onNeuronReadout(): void {
    this.connectionsDirty = true;
  }

  /** MADCControl was written at chip time `time_ns`. */
  onControl(time_ns: number): void {
    const c = MADCControl.decode(this.controlWords);
    this.continuous = c.enableContinuousSampling;
    this.powerDownAfter = c.enablePowerDownAfterSampling;
    if (c.wakeUp) this.wake(time_ns);
    // The engine lags the write by less than a step: samples before the stop are still to be taken.
    if (c.stopRecording && this.recording) this.stopAt_ns = Math.min(this.stopAt_ns, time_ns);
    if (c.startRecording && !this.recording) {
      this.wake(time_ns);
      this.recording = true;
      this.counter = 0;
      this.remaining = this.continuous ? Infinity : this.samplesPerRecording;
      // Samples sit on the MADC clock grid.
      const start = Math.max(time_ns, this.readyAt_ns);
      this.nextSample_ns = Math.ceil(start / MADC_CLOCK_PERIOD_NS) * MADC_CLOCK_PERIOD_NS;
      if (this.remaining === 0) this.finish();
    }
  }

  private wake(time_ns: number): void {
    if (this.power !== Power.off) return;
    this.power = Power.waking;
    this.readyAt_ns = time_ns + this.powerupWait_ns;
  }

  private finish(): void {
    this.recording = false;
    this.stopAt_ns = Infinity;
    this.nextSample_ns = Infinity;
    if (this.powerDownAfter) this.power = Power.off;
  }

  /** The inputs at the start of an analog step (the engine's current state), before it is advanced. */
  stepStart(): void {
    this.channelValues(this.startValue_mV);
  }

  /** The step [t0, t1) was integrated: every sample inside it, interpolated between its end points. */
  stepEnd(t0_ns: number, t1_ns: number): void {
    this.channelValues(this.endValue_mV);
    this.emit(t0_ns, t1_ns);
  }

  /** Nothing changed over [t0, t1) (the model skipped quiescent steps): samples at the constant inputs. */
  hold(t0_ns: number, t1_ns: number): void {
    this.channelValues(this.startValue_mV);
    this.endValue_mV.set(this.startValue_mV);
    this.emit(t0_ns, t1_ns);
  }

  private emit(t0_ns: number, t1_ns: number): void {
    const span = t1_ns - t0_ns;
    while (this.recording && this.nextSample_ns < t1_ns) {
      const t = this.nextSample_ns;
      if (t >= this.stopAt_ns) {
        this.finish();
        break;
      }
      const channel = this.muxLength === 0 ? this.muxInitial : (this.muxInitial + Math.floor(this.counter / this.muxLength)) % 2;
      let value: number;
      if (this.dummy) value = this.counter & MADC_MAX;
      else {
        const f = span > 0 ? Math.max(0, t - t0_ns) / span : 0;
        const v = this.startValue_mV[channel]! + f * (this.endValue_mV[channel]! - this.startValue_mV[channel]!);
        const noise = this.noise === undefined ? 0 : temporalNoiseMagnitudes.madc_lsb * this.noise.normal();
        value = nominal.madcCode((v + (noise * SUPPLY_MAX_MV) / MADC_MAX) / 1000);
      }
      const cycle = Math.floor(t / FPGA_CYCLE_NS);
      this.sink.madcSample(value, channel, cycle, Math.floor(t / HALF_CYCLE_NS) - 2 * cycle === 1 ? 1 : 0);
      this.counter++;
      this.nextSample_ns = t + this.period_ns;
      if (--this.remaining === 0) this.finish();
    }
  }

  private channelValues(out: Float64Array): void {
    if (this.connectionsDirty) this.connect();
    for (let m = 0; m < CHANNELS; m++) {
      const start = this.channelStart[m]!;
      const end = this.channelStart[m + 1]!;
      let sum = 0;
      for (let k = start; k < end; k++) {
        const c = this.channelCircuits[k]!;
        sum += readoutVoltage_mV(this.array, this.parameters, c, this.switches.readoutSource[c]!);
      }
      out[m] = end > start ? sum / (end - start) : 0;
    }
  }

  private connect(): void {
    this.connectionsDirty = false;
    let k = 0;
    for (let m = 0; m < CHANNELS; m++) {
      this.channelStart[m] = k;
      for (let c = 0; c < NEURONS; c++) {
        const line = 2 * Math.floor(c / COLUMNS) + (c % 2);
        if (this.lineSelected[4 * m + line] === 1 && this.switches.readoutEnabled[c] === 1) this.channelCircuits[k++] = c;
      }
    }
    this.channelStart[CHANNELS] = k;
  }
}
