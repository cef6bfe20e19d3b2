// The results of an experiment as plain JSON-ready data: per segment (one per reset) and population, spike
// times per neuron and the recorded analog signals, plus the backend's statistics and the wall-clock durations.
import type { CellTypeName } from './cell-types.js';
import type { ExperimentSetup } from './parse.js';

/** Any JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One recorded analog variable of one neuron. */
export interface SignalResults {
  readonly variable: string;
  /** 'mV' for model potentials, 'dimensionless' for raw MADC codes. */
  readonly units: string;
  /** The neuron's index in its population. */
  readonly index: number;
  /** Sample times, ms (biological). */
  readonly times: number[];
  readonly values: number[];
  /** MADC sampling period, ms (biological). */
  readonly sampling_period: number;
  /** The converter: 'madc' or 'cadc'. */
  readonly device: 'madc' | 'cadc';
}

export interface PopulationResults {
  /** Spike times (ms) per neuron of the population, index = neuron index; absent when spikes were not recorded. */
  readonly spikes?: number[][];
  readonly signals: SignalResults[];
}

export interface SegmentResults {
  readonly index: number;
  readonly t_start: number;
  readonly t_stop: number;
  /** By population label; only populations that recorded something. */
  readonly populations: Record<string, PopulationResults>;
}

/** The populations of the experiment in file order (colours and rows of the plots follow it). */
export interface PopulationSummary {
  readonly label: string;
  readonly size: number;
  readonly cellType: CellTypeName;
}

export interface ExperimentResults {
  readonly experiment: string;
  /** The setup as run (after overrides), calibration included. */
  readonly setup: ExperimentSetup;
  /** The chip it ran on: the connection's identity (kind, chip seed, simulator and protocol versions). */
  readonly chip: JsonValue;
  readonly populations: PopulationSummary[];
  readonly segments: SegmentResults[];
  /** pynn.getBackendStatistics() as JSON. */
  readonly statistics: JsonValue;
  /** Wall-clock seconds: building the network, the schedule (runs, resets, changes), reading the data. */
  readonly durations: { readonly build_s: number; readonly schedule_s: number; readonly data_s: number; readonly total_s: number };
}
