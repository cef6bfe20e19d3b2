// What a run recorded, from the execution layer's chip-time results into the segment's neo-like data: spike
// trains per global id, MADC and CADC signals in model mV (LIF) or raw codes (HXNeuron, other variables).
import { potentialToMillivolt } from '@bss2/calibration';
import type { EntryResult } from '@bss2/execution';
import type { DataStore } from './data.js';
import type { Population } from './populations.js';
import type { RecordingPlan } from './recording.js';
import { RAW_UNITS, chipMicrosecondsToMs, madcCodeToModelMillivolt } from './units.js';

/** Counts of what was stored. */
export interface Stored {
  readonly spikes: number;
  readonly samples: number;
}

export function storeResults(data: DataStore, populations: readonly Population[], recording: RecordingPlan, entry: EntryResult): Stored {
  const byLabel = new Map(populations.map((p) => [p.label, p]));
  // Every recording member has a train, spikes or not.
  for (const p of populations) for (let i = 0; i < p.size; i++) if (p.recorder.variablesOf(i).has('spikes')) data.recordsSpikes(p.firstId + i);
  let spikes = 0;
  for (const [label, sent] of entry.spikes) {
    const p = byLabel.get(label)!;
    for (let k = 0; k < sent.index.length; k++) data.recordsSpikes(p.firstId + sent.index[k]!).push(chipMicrosecondsToMs(sent.time_us[k]!));
    spikes += sent.index.length;
  }
  for (const [label, sent] of entry.inputSpikes) {
    const p = byLabel.get(label)!;
    for (let k = 0; k < sent.index.length; k++) data.recordsSpikes(p.firstId + sent.index[k]!).push(chipMicrosecondsToMs(sent.time_us[k]!));
  }
  let samples = 0;
  entry.madc.forEach((trace, k) => {
    const { population: p, index, variable } = recording.madc[k]!;
    const model = variable === 'v' && p.cellType.kind === 'lif';
    const signal = data.signal(p.firstId + index, variable, model ? 'mV' : RAW_UNITS, chipMicrosecondsToMs(trace.channelPeriod_us));
    for (let s = 0; s < trace.code.length; s++) {
      signal.times.push(chipMicrosecondsToMs(trace.time_us[s]!));
      signal.values.push(model ? madcCodeToModelMillivolt(trace.code[s]!) : trace.code[s]!);
    }
    samples += trace.code.length;
  });
  for (const trace of entry.cadc) {
    const p = byLabel.get(trace.population)!;
    const model = p.cellType.kind === 'lif';
    const signal = data.signal(p.firstId + trace.index, 'v', model ? 'mV' : RAW_UNITS, recording.cadcInterval_ms, 'cadc');
    for (let s = 0; s < trace.code.length; s++) {
      signal.times.push(chipMicrosecondsToMs(trace.time_us[s]!));
      signal.values.push(model ? potentialToMillivolt(trace.code[s]!) : trace.code[s]!);
    }
    samples += trace.code.length;
  }
  data.current.t_stop = chipMicrosecondsToMs(entry.end_us);
  return { spikes, samples };
}
