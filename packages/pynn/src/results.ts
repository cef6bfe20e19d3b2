// What a run recorded, from the execution layer's chip-time results into the segment's neo-like data: spike
// trains per neuron (and location of a multi-compartment neuron), MADC and CADC signals in model mV (LIF) or
// raw codes (HXNeuron, multi-compartment neurons, other variables).
import { potentialToMillivolt } from '@bss2/calibration';
import type { EntryResult } from '@bss2/execution';
import { type DataStore, siteKey } from './data.js';
import type { Population } from './populations.js';
import type { RecordedSite, RecordingPlan } from './recording.js';
import { RAW_UNITS, chipMicrosecondsToMs, madcCodeToModelMillivolt } from './units.js';
import { unscaledPotential, voltageScale } from './neurons.js';

/** Counts of what was stored. */
export interface Stored {
  readonly spikes: number;
  readonly samples: number;
}

/** The neuron and location behind a graph member of a multi-compartment population (its compartment's spiking circuit). */
export type SiteOfMember = (member: number) => RecordedSite;

/** The data key of neuron `index` at `location` of `p` (the location only where the cell type has several). */
function keyOf(p: Population, index: number, location: number): string {
  return siteKey(p.firstId + index, p.recorder.locations > 1 ? location : undefined);
}

export function storeResults(data: DataStore, populations: readonly Population[], recording: RecordingPlan, entry: EntryResult, sites: ReadonlyMap<Population, SiteOfMember> = new Map()): Stored {
  const byLabel = new Map(populations.map((p) => [p.label, p]));
  // Every recording site has a train, spikes or not.
  for (const p of populations) {
    for (let i = 0; i < p.size; i++) for (let l = 0; l < p.recorder.locations; l++) if (p.recorder.variablesOf(i, l).has('spikes')) data.recordsSpikes(keyOf(p, i, l));
  }
  const store = (label: string, index: readonly number[], time_us: readonly number[]) => {
    const p = byLabel.get(label)!;
    const siteOf = sites.get(p);
    for (let k = 0; k < index.length; k++) {
      const site = siteOf === undefined ? { index: index[k]!, location: 0 } : siteOf(index[k]!);
      data.recordsSpikes(keyOf(p, site.index, site.location)).push(chipMicrosecondsToMs(time_us[k]!));
    }
  };
  let spikes = 0;
  for (const [label, sent] of entry.spikes) {
    store(label, sent.index, sent.time_us);
    spikes += sent.index.length;
  }
  for (const [label, sent] of entry.inputSpikes) store(label, sent.index, sent.time_us);
  let samples = 0;
  entry.madc.forEach((trace, k) => {
    const { population: p, index, location, variable } = recording.madc[k]!;
    const model = variable === 'v' && p.cellType.kind === 'lif';
    const f = model ? voltageScale(p) : 1;
    const signal = data.signal(keyOf(p, index, location), variable, model ? 'mV' : RAW_UNITS, chipMicrosecondsToMs(trace.channelPeriod_us));
    for (let s = 0; s < trace.code.length; s++) {
      signal.times.push(chipMicrosecondsToMs(trace.time_us[s]!));
      signal.values.push(model ? unscaledPotential(madcCodeToModelMillivolt(trace.code[s]!), f) : trace.code[s]!);
    }
    samples += trace.code.length;
  });
  for (const trace of entry.cadc) {
    const p = byLabel.get(trace.population)!;
    const site = recording.cadc.get(trace.population)?.get(trace.index) ?? { index: trace.index, location: 0 };
    const model = p.cellType.kind === 'lif';
    const f = model ? voltageScale(p) : 1;
    const signal = data.signal(keyOf(p, site.index, site.location), 'v', model ? 'mV' : RAW_UNITS, recording.cadcInterval_ms, 'cadc');
    for (let s = 0; s < trace.code.length; s++) {
      signal.times.push(chipMicrosecondsToMs(trace.time_us[s]!));
      signal.values.push(model ? unscaledPotential(potentialToMillivolt(trace.code[s]!), f) : trace.code[s]!);
    }
    samples += trace.code.length;
  }
  data.current.t_stop = chipMicrosecondsToMs(entry.end_us);
  return { spikes, samples };
}
