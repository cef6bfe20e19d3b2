// What a page asks the worker to run: plain data, so it crosses postMessage and Node runs the very same thing.
import type { ExperimentFile } from '@bss2/pynn';

/** The dendritic chain of the multi-compartment page (pynn's createMcNeuron; not expressible as an experiment file). */
export interface ChainSettings {
  /** Chip seed of the simulated chip. */
  readonly chipSeed: number;
  /** Compartments in the chain, each two neuron circuits. */
  readonly compartments: number;
  /** Inter-compartment conductance (`i_bias_nmda`, CapMem LSB). */
  readonly conductance_lsb: number;
  /** Leak bias of every compartment's active circuit (CapMem LSB). */
  readonly leak_lsb: number;
  /** The compartment receiving the input (three spikes at once, weight 63 each). */
  readonly inputCompartment: number;
  /** Input time, ms. */
  readonly input_ms: number;
  /** Length of each run (one per pair of recorded compartments), ms. */
  readonly run_ms: number;
}

export type LabExperiment =
  /** A pynn experiment file (the editor's format): run with pynn's runExperiment. */
  | { readonly kind: 'file'; readonly title: string; readonly file: ExperimentFile; readonly analysis?: PspHeights }
  | { readonly kind: 'chain'; readonly title: string; readonly chain: ChainSettings }
  /** A spike train through a depressing (Tsodyks-Markram) synapse and the same through a static one. */
  | { readonly kind: 'stp'; readonly title: string; readonly stp: StpSettings }
  /** Pre/post pairs under the built-in STDP rule (plasticity processors). */
  | { readonly kind: 'stdp'; readonly title: string; readonly stdp: StdpSettings };

/** The PSP page's short-term plasticity: one input spike train, one IF_curr_exp neuron, ideal chip, nominal calibration. */
export interface StpSettings {
  /** Utilization U = utilization / 15 (the chip's 4-bit setting, 1..15). */
  readonly utilization: number;
  /** Recovery time constant, ms (biological). */
  readonly tau_rec_ms: number;
  /** Weight of both synapses (0..63). */
  readonly weight: number;
  /** Input spike times, ms. */
  readonly spikeTimes_ms: readonly number[];
  readonly tau_m_ms: number;
  readonly tau_syn_ms: number;
  /** Length of each of the two runs, ms. */
  readonly run_ms: number;
}

/** The STDP page: pairs of a pre spike and a teacher-forced post spike Δt later, under pynn's additive STDP. */
export interface StdpSettings {
  /** 'trajectory': one synapse at `dts_ms[0]`, its weight after every `pairsPerUpdate` pairs; 'window': Δw per Δt. */
  readonly mode: 'trajectory' | 'window';
  /** Δt = t_post − t_pre of each synapse, ms (one in trajectory mode). */
  readonly dts_ms: readonly number[];
  /** Pairings per synapse. */
  readonly pairs: number;
  /** Pairings between rule invocations (trajectory mode; window mode updates once after all pairs). */
  readonly pairsPerUpdate: number;
  /** Between pairings, ms (≫ the sensors' τ_c = 5 ms, so pairs do not interact). */
  readonly gap_ms: number;
  /** First pre spike, ms. */
  readonly first_ms: number;
  readonly initialWeight: number;
  /** STDP gains (Q0.7, 128 = 1). */
  readonly etaPlus: number;
  readonly etaMinus: number;
}

/**
 * PSP heights read from one recorded trace: in each window `[start, start + window_ms)` the largest value less the
 * value at its start, plotted against `x` (e.g. the weight of that window's input).
 */
export interface PspHeights {
  readonly kind: 'psp-heights';
  readonly population: string;
  readonly windowStarts_ms: readonly number[];
  readonly window_ms: number;
  readonly x: readonly number[];
  readonly xLabel: string;
}

/** One membrane (or other analog) trace. */
export interface LabTrace {
  readonly label: string;
  readonly variable: string;
  readonly units: string;
  readonly segment: number;
  readonly times_ms: number[];
  readonly values: number[];
}

/** Spike times per neuron of one population in one segment. */
export interface LabRaster {
  readonly label: string;
  readonly segment: number;
  readonly spikes_ms: number[][];
}

/** A derived x/y series a page plots besides the traces (e.g. PSP height against weight). */
export interface LabSeries {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly x: number[];
  readonly y: number[];
  /** The legend's name of `y` (the y axis label when absent). */
  readonly label?: string;
  /** Further lines over the same x, drawn in the same chart (e.g. a static synapse beside a depressing one). */
  readonly others?: readonly { readonly label: string; readonly y: number[] }[];
}

/** What a run returns to the page (and to Node): JSON-ready. */
export interface LabResults {
  readonly title: string;
  readonly experiment: LabExperiment;
  readonly traces: LabTrace[];
  readonly rasters: LabRaster[];
  readonly series: LabSeries[];
  /** Wall-clock seconds of the run in the worker (or in Node). */
  readonly duration_s: number;
}
