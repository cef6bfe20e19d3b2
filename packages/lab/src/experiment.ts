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
  | { readonly kind: 'chain'; readonly title: string; readonly chain: ChainSettings };

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
