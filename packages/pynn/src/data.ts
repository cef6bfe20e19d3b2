// Recorded data as neo-like plain objects (PyNN's `get_data()` returns a neo Block): one Segment per reset(),
// SpikeTrains in ms, one AnalogSignal per recorded neuron and variable with its units and sampling period.
import type { BasePopulation, ID } from './populations.js';

export interface SpikeTrainAnnotations {
  readonly source_population: string;
  readonly source_id: number;
  readonly source_index: number;
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
  /** Global id → spike times (ms); an entry exists for every neuron that recorded spikes in this segment. */
  readonly spikes: Map<number, number[]>;
  /** `${id}|${variable}` → samples. */
  readonly signals: Map<string, SignalData>;
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

  /** Makes sure `id` has a spike train in the current segment (recorded neurons without spikes included). */
  recordsSpikes(id: number): number[] {
    let list = this.current.spikes.get(id);
    if (list === undefined) {
      list = [];
      this.current.spikes.set(id, list);
    }
    return list;
  }

  signal(id: number, variable: string, units: string, samplingPeriod_ms: number, device: 'madc' | 'cadc' = 'madc'): SignalData {
    const key = `${id}|${variable}`;
    let data = this.current.signals.get(key);
    if (data === undefined) {
      data = { units, device, samplingPeriod_ms, times: [], values: [] };
      this.current.signals.set(key, data);
    }
    data.samplingPeriod_ms = samplingPeriod_ms;
    return data;
  }

  spikeCounts(members: readonly ID[]): Map<number, number> {
    return new Map(members.map((m) => [m.id, this.current.spikes.get(m.id)?.length ?? 0]));
  }

  block(group: BasePopulation, members: readonly ID[], variables: readonly string[] | undefined, clear: boolean): Block {
    const wants = (v: string) => variables === undefined || variables.includes(v);
    const segments = this.#segments.map((segment): Segment => {
      const annotations = (m: ID): SpikeTrainAnnotations => ({ source_population: m.population.label, source_id: m.id, source_index: m.index });
      const spiketrains: SpikeTrain[] = [];
      const analogsignals: AnalogSignal[] = [];
      for (const m of members) {
        const spikes = wants('spikes') ? segment.spikes.get(m.id) : undefined;
        if (spikes !== undefined) {
          spiketrains.push({ times: Float64Array.from(spikes).sort(), units: 'ms', t_start: 0, t_stop: segment.t_stop, annotations: annotations(m) });
        }
      }
      for (const m of members) {
        for (const [key, data] of segment.signals) {
          const bar = key.indexOf('|');
          if (Number(key.slice(0, bar)) !== m.id) continue;
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
            annotations: { ...annotations(m), device: data.device },
          });
        }
      }
      return { name: `segment ${segment.index}`, index: segment.index, t_start: 0, t_stop: segment.t_stop, spiketrains, analogsignals };
    });
    if (clear) {
      for (const segment of this.#segments) {
        for (const m of members) {
          segment.spikes.get(m.id)?.splice(0);
          for (const [key, data] of segment.signals) {
            if (key.startsWith(`${m.id}|`)) {
              data.times.splice(0);
              data.values.splice(0);
            }
          }
        }
      }
    }
    return { name: group.label, segments, annotations: { simulator: 'bss2-simulated-chip', size: members.length } };
  }
}
