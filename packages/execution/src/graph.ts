// The network graph the executor takes (the reference's grenade `Network`): plain data in hardware units.
// Populations and projections are @bss2/routing's, extended by what a run needs besides routing: each neuron's
// calibration target or raw configuration, which neurons send their spikes to the host, and the analog
// recording. Inputs are not part of the graph: they differ per run and per batch entry (`RunRequest`).
import type { LIFCalibrationTarget } from '@bss2/calibration';
import type { AtomicNeuron, AtomicNeuronGroupName, NeuronReadoutSource } from '@bss2/lola';
import type {
  BackgroundPopulation as RoutedBackgroundPopulation,
  ExternalPopulation as RoutedExternalPopulation,
  NeuronPopulation as RoutedNeuronPopulation,
  Projection,
} from '@bss2/routing';
import type { PlasticityRuleSpec } from './plasticity/rules.js';
import type { ShortTermPlasticity } from './plasticity/stp.js';

/** One neuron's LIF calibration target (hardware units: CADC LSB, µs of chip time, CapMem LSB). */
export type NeuronTarget = { readonly [K in Exclude<keyof LIFCalibrationTarget, 'synapseDacBias_lsb'>]: number };

/**
 * Fields written over the calibrated configuration, per AtomicNeuron group (`{ constantCurrent: { enable: true,
 * iOffset: 200 } }`): what calibration leaves raw (offset current, COBA reversal potentials, AdEx terms).
 */
export type AtomicNeuronPatch = { readonly [G in AtomicNeuronGroupName]?: Readonly<Record<string, unknown>> };

/**
 * How one neuron is configured: `calibrated` — the calibration's settings for `target`, then `patch`; `raw` —
 * exactly `neuron` (an HXNeuron-style configuration; the executor adds only spike routing and readout).
 */
export type NeuronSpec =
  | { readonly kind: 'calibrated'; readonly target: NeuronTarget; readonly patch?: AtomicNeuronPatch }
  | { readonly kind: 'raw'; readonly neuron: AtomicNeuron };

/** Which members send their spikes to the host: all, none, or per member. */
export type SpikeRecording = boolean | readonly boolean[];

/** Neurons on the chip: routing's placement fields plus one spec per neuron (or one for all). */
export interface NeuronPopulation extends RoutedNeuronPopulation {
  readonly neurons: NeuronSpec | readonly NeuronSpec[];
  readonly recordSpikes?: SpikeRecording;
}

/** Sources on the host, injected as spike labels; what they send is given per run (`RunRequest.inputs`). */
export interface ExternalPopulation extends RoutedExternalPopulation {
  readonly recordSpikes?: SpikeRecording;
}

/** On-chip background generators (routing's settings: period in 125 MHz ticks, rate in 1/255). */
export interface BackgroundPopulation extends RoutedBackgroundPopulation {
  readonly recordSpikes?: SpikeRecording;
}

export type GraphPopulation = NeuronPopulation | ExternalPopulation | BackgroundPopulation;

/** A neuron of a population, by population name and index. */
export interface NeuronRef {
  readonly population: string;
  readonly index: number;
}

/** One MADC channel: the neuron and the analog variable its readout shows. */
export interface MadcChannelRequest extends NeuronRef {
  readonly source: NeuronReadoutSource;
}

/**
 * Analog recording: up to two neurons on the MADC (one per readout line, hardware.md §3.9), sampled with the
 * period nearest `channelPeriod_ns` it can produce (default its full rate); any number of membranes on the
 * CADC, swept every `interval_cycles`. A sweep reads every quad of both CADCs (`sweep: 'all'`, the default: 128
 * reads, so at least 128 cycles apart) or only the quads of the recorded neurons (`'recorded'`: one read per
 * quad column in use, so a few neurons can be sampled every few cycles).
 */
export interface RecordingRequest {
  readonly madc?: { readonly channels: readonly MadcChannelRequest[]; readonly channelPeriod_ns?: number };
  readonly cadc?: { readonly neurons: readonly NeuronRef[]; readonly interval_cycles: number; readonly sweep?: 'all' | 'recorded' };
}

export interface NetworkGraph {
  /** In creation order: placement follows it. */
  readonly populations: readonly GraphPopulation[];
  /** Routing's projections: connections with 6-bit weights (larger ones on several rows). */
  readonly projections: readonly Projection[];
  readonly recording?: RecordingRequest;
  /** The chip-wide synapse DAC bias, CapMem LSB (default: the calibration preset's). */
  readonly synapseDacBias_lsb?: number;
  /** Plasticity rules run on the two PPUs during each run (README, "Plasticity"). */
  readonly plasticity?: readonly PlasticityRuleSpec[];
  /** STP on the drivers of these projections (README, "Plasticity"). */
  readonly shortTermPlasticity?: ShortTermPlasticity;
}

/**
 * What an external population sends in one run: spike times per member (µs of chip time from the segment's
 * start, any order), or host-drawn Poisson trains (rate in Hz of chip time) that continue across the runs of a
 * segment as long as the same source object is given.
 */
export type InputSource =
  | { readonly kind: 'array'; readonly times_us: readonly ArrayLike<number>[] }
  | {
      readonly kind: 'poisson';
      readonly rate_hz: readonly number[];
      readonly start_us: readonly number[];
      readonly stop_us: readonly number[];
      readonly seed: number;
    };

/** Per external population (by name) its input; populations not named send nothing. */
export type RunInputs = { readonly [population: string]: InputSource };
