// Recorded data as neo-like plain objects (PyNN's `get_data()` returns a neo Block): one Segment per reset(),
// SpikeTrains in ms, one AnalogSignal per recorded neuron and variable with its units and sampling period.
import type { BasePopulation, ID } from './populations.js';

export interface SpikeTrainAnnotations {
  readonly source_population: string;
  readonly source_id: number;
  readonly source_index: number;
  /** Multi-compartment neurons: the compartment's label and index (hardware.md §11.1). */
  readonly source_location?: string;
  readonly source_compartment?: number;
}

export interface SpikeTrain {
  /** Spike times, ms (biological), ascending. */
  readonly times: Float64Array;
  readonly units: 'ms';
  readonly t_start: number;
  readonly t_stop: number;
  readonly annotations: SpikeTrainAnnotations;
}

export interface AnalogSignal {
  /** The recorded variable: 'v', 'w', 'exc_synin', … */
  readonly name: string;
  /** 'mV' for model potentials; 'dimensionless' for raw MADC codes (HXNeuron, adaptation). */
  readonly units: string;
  /** Sample times, ms (biological). The MADC samples at a fixed period; runs and channel switching can leave gaps. */
  readonly times: Float64Array;
  readonly values: Float32Array;
  /** The sampling period of this signal (MADC channel or CADC sweep), ms (biological). */
  readonly sampling_period: number;
  readonly t_start: number;
  readonly t_stop: number;
  readonly annotations: SpikeTrainAnnotations & { readonly device: 'madc' | 'cadc' };
}

export interface Segment {
  readonly name: string;
  readonly index: number;
  readonly t_start: number;
  readonly t_stop: number;
  readonly spiketrains: SpikeTrain[];
  readonly analogsignals: AnalogSignal[];
}

export interface Block {
  readonly name: string;
  readonly segments: Segment[];
  readonly annotations: { readonly simulator: string; readonly size: number };
}

/** Samples of one neuron's variable in one segment. */
interface SignalData {
  readonly units: string;
  readonly device: 'madc' | 'cadc';
  samplingPeriod_ms: number;
  readonly times: number[];
  readonly values: number[];
}

interface SegmentData {
  readonly index: number;
  t_stop: number;
  /** Site (`siteKey`) → spike times (ms); an entry exists for every site that recorded spikes in this segment. */
  readonly spikes: Map<string, number[]>;
  /** `${site}|${variable}` → samples. */
  readonly signals: Map<string, SignalData>;
}

/** A recorded site: a neuron (global id), or one location (compartment) of a multi-compartment neuron. */
export function siteKey(id: number, location?: number): string {
  return location === undefined ? String(id) : `${id}@${location}`;
}

/** The sites of a member: its locations for a multi-compartment neuron, else the neuron. */
function sitesOf(m: ID): { key: string; location: number | undefined }[] {
  const locations = m.population.recorder.locations;
  if (locations === 1) return [{ key: siteKey(m.id), location: undefined }];
  return Array.from({ length: locations }, (_, location) => ({ key: siteKey(m.id, location), location }));
}

/** Everything recorded, per segment; filled by the simulator, read by getData(). */
export class DataStore {
  readonly #segments: SegmentData[] = [{ index: 0, t_stop: 0, spikes: new Map(), signals: new Map() }];

  get current(): SegmentData {
    return this.#segments[this.#segments.length - 1]!;
  }

  /** Opens a new segment (reset()). */
  newSegment(): void {
    this.#segments.push({ index: this.#segments.length, t_stop: 0, spikes: new Map(), signals: new Map() });
  }

  /** Makes sure a site has a spike train in the current segment (recorded neurons without spikes included). */
  recordsSpikes(site: string): number[] {
    let list = this.current.spikes.get(site);
    if (list === undefined) {
      list = [];
      this.current.spikes.set(site, list);
    }
    return list;
  }

  signal(site: string, variable: string, units: string, samplingPeriod_ms: number, device: 'madc' | 'cadc' = 'madc'): SignalData {
    const key = `${site}|${variable}`;
    let data = this.current.signals.get(key);
    if (data === undefined) {
      data = { units, device, samplingPeriod_ms, times: [], values: [] };
      this.current.signals.set(key, data);
    }
    data.samplingPeriod_ms = samplingPeriod_ms;
    return data;
  }

  /** Spikes per neuron in the current segment (a multi-compartment neuron's: of all its locations). */
  spikeCounts(members: readonly ID[]): Map<number, number> {
    return new Map(members.map((m) => [m.id, sitesOf(m).reduce((n, site) => n + (this.current.spikes.get(site.key)?.length ?? 0), 0)]));
  }

  block(group: BasePopulation, members: readonly ID[], variables: readonly string[] | undefined, clear: boolean): Block {
    const wants = (v: string) => variables === undefined || variables.includes(v);
    const segments = this.#segments.map((segment): Segment => {
      const annotations = (m: ID, location: number | undefined): SpikeTrainAnnotations => ({
        source_population: m.population.label,
        source_id: m.id,
        source_index: m.index,
        ...(location === undefined ? {} : { source_location: locationLabel(m, location), source_compartment: location }),
      });
      const spiketrains: SpikeTrain[] = [];
      const analogsignals: AnalogSignal[] = [];
      for (const m of members) {
        for (const site of sitesOf(m)) {
          const spikes = wants('spikes') ? segment.spikes.get(site.key) : undefined;
          if (spikes !== undefined) {
            spiketrains.push({ times: Float64Array.from(spikes).sort(), units: 'ms', t_start: 0, t_stop: segment.t_stop, annotations: annotations(m, site.location) });
          }
        }
      }
      for (const m of members) {
        for (const site of sitesOf(m)) {
          for (const [key, data] of segment.signals) {
            const bar = key.indexOf('|');
            if (key.slice(0, bar) !== site.key) continue;
            const name = key.slice(bar + 1);
            if (!wants(name)) continue;
            analogsignals.push({
              name,
              units: data.units,
              times: Float64Array.from(data.times),
              values: Float32Array.from(data.values),
              sampling_period: data.samplingPeriod_ms,
              t_start: 0,
              t_stop: segment.t_stop,
              annotations: { ...annotations(m, site.location), device: data.device },
            });
          }
        }
      }
      return { name: `segment ${segment.index}`, index: segment.index, t_start: 0, t_stop: segment.t_stop, spiketrains, analogsignals };
    });
    if (clear) {
      for (const segment of this.#segments) {
        for (const m of members) {
          for (const site of sitesOf(m)) {
            segment.spikes.get(site.key)?.splice(0);
            for (const [key, data] of segment.signals) {
              if (key.startsWith(`${site.key}|`)) {
                data.times.splice(0);
                data.values.splice(0);
              }
            }
          }
        }
      }
    }
    return { name: group.label, segments, annotations: { simulator: 'bss2-simulated-chip', size: members.length } };
  }
}

/** The label of compartment `location` of a multi-compartment member (bridge compartments have none). */
function locationLabel(m: ID, location: number): string {
  const type = m.population.cellType as { getLabels?: () => string[] };
  return type.getLabels?.()[location] ?? '';
}
