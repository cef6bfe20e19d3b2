// What pynn's recorders ask of the chip, as the execution graph's recording request (hardware.md §3.9, §11.1):
// analog variables on the MADC (two neurons at most, one variable per neuron), membranes on the CADC. The
// checks here are PyNN's (one variable per neuron, one sampling interval); what depends on the placement
// (readout lines, channel count, sweep length) the execution layer checks.
import type { MadcChannelRequest, NeuronRef, RecordingRequest } from '@bss2/execution';
import type { NeuronReadoutSource } from '@bss2/lola';
import { RecordingError } from './errors.js';
import type { Population } from './populations.js';
import { msToCycles } from './units.js';

/** Default CADC sampling interval, ms (biological). */
export const CADC_DEFAULT_INTERVAL_MS = 2;

/** The readout source of a recorded variable. */
export function readoutSourceOf(variable: string): NeuronReadoutSource {
  switch (variable) {
    case 'v':
      return 'membrane';
    case 'exc_synin':
      return 'excSynin';
    case 'inh_synin':
      return 'inhSynin';
    default:
      return 'adaptation';
  }
}

/** An MADC channel as pynn sees it: the member and the PyNN variable. */
export interface MadcChannel {
  readonly population: Population;
  readonly index: number;
  readonly variable: string;
}

export interface RecordingPlan {
  readonly request: RecordingRequest;
  /** Channel k of the request records `madc[k]`. */
  readonly madc: readonly MadcChannel[];
  readonly cadcInterval_ms: number;
}

/** The recording request of the neuron populations (in creation order, members in order). */
export function recordingPlan(populations: readonly Population[]): RecordingPlan {
  const madc: MadcChannel[] = [];
  const cadc: NeuronRef[] = [];
  const cadcIntervals = new Set<number>();
  for (const population of populations) {
    if (population.cellType.kind !== 'lif' && population.cellType.kind !== 'hx') continue;
    const recorder = population.recorder;
    if (!recorder.any()) continue;
    for (let index = 0; index < population.size; index++) {
      const variables = [...recorder.variablesOf(index)].filter((v) => v !== 'spikes');
      const onMadc = variables.filter((v) => recorder.deviceOf(index, v) === 'madc');
      if (onMadc.length > 1) {
        throw new RecordingError(`population '${population.label}' neuron ${index} records ${onMadc.join(' and ')}: a neuron has one readout, so one analog variable at a time`, {
          population: population.label,
          value: onMadc,
        });
      }
      const onCadc = variables.includes('v') && recorder.deviceOf(index, 'v') === 'cadc';
      if (onCadc && onMadc.length > 0) {
        throw new RecordingError(
          `population '${population.label}' neuron ${index} records 'v' with the CADC and '${onMadc[0]}' with the MADC: both read the neuron's one readout, so one analog variable at a time`,
          { population: population.label, value: [onMadc[0], 'v'] },
        );
      }
      if (onMadc.length === 1) madc.push({ population, index, variable: onMadc[0]! });
      if (onCadc) {
        cadc.push({ population: population.label, index });
        if (recorder.cadcInterval_ms !== undefined) cadcIntervals.add(recorder.cadcInterval_ms);
      }
    }
  }
  const madcIntervals = [...new Set(madc.map((c) => c.population.recorder.samplingInterval_ms).filter((x) => x !== undefined))];
  if (madcIntervals.length > 1) {
    throw new RecordingError(`the recorded neurons ask for different sampling intervals (${madcIntervals.join(', ')} ms); the MADC has one`, { value: madcIntervals });
  }
  if (cadcIntervals.size > 1) throw new RecordingError(`CADC recordings ask for different sampling intervals (${[...cadcIntervals].join(', ')} ms); all neurons are sampled by one sweep`, { value: [...cadcIntervals] });
  const cadcInterval_ms = cadcIntervals.size === 0 ? CADC_DEFAULT_INTERVAL_MS : [...cadcIntervals][0]!;
  const channels: MadcChannelRequest[] = madc.map((c) => ({ population: c.population.label, index: c.index, source: readoutSourceOf(c.variable) }));
  const request: RecordingRequest = {
    ...(channels.length === 0 ? {} : { madc: { channels, ...(madcIntervals.length === 0 ? {} : { channelPeriod_ns: madcIntervals[0]! * 1000 }) } }),
    ...(cadc.length === 0 ? {} : { cadc: { neurons: cadc, interval_cycles: msToCycles(cadcInterval_ms) } }),
  };
  return { request, madc, cadcInterval_ms };
}
