import { MADCConfigOnDLS, MADCControlOnDLS, omnibusAddresses } from '@bss2/halco';
import { registerContainer } from './container.js';
import { array, at, booleanType, bool, uint } from './field.js';
import { register } from './register.js';

/** Nominal MADC clock: the ADPLL0 DCO output (hardware.md §1.1). */
export const madcClock_hz = 500e6;

/** MADC clock cycles of one sample at `sampleDurationAdjust` 0 (hardware.md §3.9; upstream `minimal_madc_clock_cycles_per_sample`). */
export const madcMinimalCyclesPerSample = 12;

/**
 * Configuration of the membrane ADC (hardware.md §3.9), every field of upstream haldls `MADCConfig` under its
 * upstream name (the datasheet's list abbreviates some: `powerup_wait` = `powerupWaitValue`, `clock_scale_value`
 * = `madcClockScaleValue`). Defaults are the datasheet's where it gives one, upstream's otherwise.
 *
 * Layout (Choice): upstream spreads the fields over ten 16-bit words; here words 0..5 are upstream words 0..5
 * bit for bit, word 6 holds upstream words 6 (bits 15..0) and 7 (bits 31..16), word 7 upstream words 8 and 9
 * likewise, so every field keeps its upstream bit offset within its half-word.
 */
export class MADCConfig extends register({
  typeName: 'MADCConfig',
  coordinateType: MADCConfigOnDLS,
  wordCount: 8,
  readable: true,
  writable: true,
  addresses: (c: MADCConfigOnDLS) => omnibusAddresses.MADCConfig(c),
  fields: {
    // Active multiplexer: which SourceMultiplexerOnReadoutSourceSelection (0..1) is sampled first, and for
    // how many successive samples each input stays selected before it alternates (upstream warns that
    // values > 1 make the channel assignment lag by one sample).
    activeMuxInitiallySelectedInput: uint(at(0, 3, 1)),
    activeMuxInputSelectLength: uint(at(0, 4, 4)),
    // Sample duration = 12 + sampleDurationAdjust MADC clock cycles (rate formula in madcSampleRate_hz).
    sampleDurationAdjust: uint(at(0, 8, 3), { default: 5 }),
    // Successive-approximation register reset timing.
    enableSarResetOnFall: bool(at(0, 11)),
    sarResetWait: uint(at(0, 12, 2), { default: 3 }),
    sarResetLength: uint(at(0, 14, 2)),
    // Wake-up and conversion timing in MADC clock cycles.
    powerupWaitValue: uint(at(1, 0, 10), { default: 96 }),
    conversionCyclesOffset: uint(at(1, 12, 4), { default: 12 }),
    // Built-in self-calibration.
    calibrationWaitValue: uint(at(2, 0, 10)),
    enableCalibration: bool(at(2, 15)),
    // Samples per recording unless continuous sampling is enabled in MADCControl.
    numberOfSamples: uint(at(3, 0, 16)),
    // Sampling windows of the preamplifier and of the current-conversion (iconv) circuit.
    preampSamplingWindowStart: uint(at(4, 0, 5), { default: 3 }),
    preampSamplingWindowEnd: uint(at(4, 5, 5), { default: 8 }),
    iconvSamplingWindowStart: uint(at(5, 0, 5), { default: 9 }),
    iconvSamplingWindowEnd: uint(at(5, 5, 5), { default: 14 }),
    // Clock edge of the sample; dummy data streams the 10 LSBs of the sample counter (a sawtooth).
    sampleOnPositiveEdge: bool(at(6, 0), true),
    enableDummyData: bool(at(6, 1)),
    // Input multiplexer between preamplifier, MADC and the two analog pads.
    connectPreampToMadc: bool(at(6, 16), true),
    connectPadsToMadc: bool(at(6, 17)),
    connectPreampToPads: bool(at(6, 18)),
    preampGainCapacitorSize: uint(at(6, 19, 5), { default: 31 }),
    // Optional clock divider: rate further divided by 2·(madcClockScaleValue + 1).
    enableMadcClockScaling: bool(at(7, 0)),
    madcClockScaleValue: uint(at(7, 1, 12)),
    // Preamplifier input multiplexer and current-input options (indices: HemisphereOnDLS top 0 / bottom 1;
    // connectIconvSynapse by SynapticInputOnNeuron excitatory 0 / inhibitory 1).
    enableActiveMuxAmplifiers: bool(at(7, 16), true),
    enablePseudoDifferentialReference: array(2, booleanType(), (hemisphere) => at(7, 17 + hemisphere)),
    signalSelectionConnectCurrentMeter: bool(at(7, 19)),
    signalSelectionConnectActiveMux: bool(at(7, 20), true),
    signalSelectionConnectDebug: bool(at(7, 21)),
    signalSelectionConnectPreamp: bool(at(7, 22), true),
    enableIconvAmplifier: bool(at(7, 23)),
    connectIconvNeuron: array(2, booleanType(), (hemisphere) => at(7, 24 + hemisphere)),
    // Upstream bit 10 of its word 9 is the inhibitory, bit 11 the excitatory line.
    connectIconvSynapse: array(2, booleanType(), (input) => at(7, input === 0 ? 27 : 26)),
  },
}) {}
registerContainer(MADCConfig);

/**
 * Nominal MADC sample rate in samples per second (hardware.md §3.9): `f_madc / (12 + sampleDurationAdjust)`,
 * further divided by `2·(madcClockScaleValue + 1)` when clock scaling is enabled. Default config:
 * 500 MHz / 17 ≈ 29.41 MSa/s.
 */
export function madcSampleRate_hz(
  config: Pick<MADCConfig, 'sampleDurationAdjust' | 'enableMadcClockScaling' | 'madcClockScaleValue'>,
  madcClockFrequency_hz: number = madcClock_hz,
): number {
  const rate = madcClockFrequency_hz / (madcMinimalCyclesPerSample + config.sampleDurationAdjust);
  return config.enableMadcClockScaling ? rate / (2 * (config.madcClockScaleValue + 1)) : rate;
}

/**
 * Write-only command register of the MADC (hardware.md §3.9), bit order as upstream haldls: wake_up 0,
 * start_recording 1, stop_recording 2, enable_power_down_after_sampling 3, enable_continuous_sampling 4,
 * enable_pre_amplifier 5, enable_iconv_amplifier 6. All flags reset to false.
 */
export class MADCControl extends register({
  typeName: 'MADCControl',
  coordinateType: MADCControlOnDLS,
  wordCount: 1,
  readable: false,
  writable: true,
  addresses: (c: MADCControlOnDLS) => omnibusAddresses.MADCControl(c),
  fields: {
    wakeUp: bool(at(0, 0)),
    startRecording: bool(at(0, 1)),
    stopRecording: bool(at(0, 2)),
    enablePowerDownAfterSampling: bool(at(0, 3)),
    enableContinuousSampling: bool(at(0, 4)),
    enablePreAmplifier: bool(at(0, 5)),
    enableIconvAmplifier: bool(at(0, 6)),
  },
}) {}
registerContainer(MADCControl);
