// What pynn's recorders ask of the chip, as the execution graph's recording request (hardware.md §3.9, §11.1):
// analog variables on the MADC (two neurons at most, one variable per neuron), membranes on the CADC. The
// checks here are PyNN's (one variable per neuron, one sampling interval); what depends on the placement
// (readout lines, channel count, sweep length) the execution layer checks.
import { type MadcChannelRequest, type NeuronRef, type RecordingRequest, readoutLineOf } from '@bss2/execution';
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

/** An MADC channel as pynn sees it: the member, its location (compartment) and the PyNN variable. */
export interface MadcChannel {
  readonly population: Population;
  readonly index: number;
  readonly location: number;
  readonly variable: string;
}

/** A recorded neuron location behind a member of the execution graph (one circuit of a multi-compartment neuron). */
export interface RecordedSite {
  readonly index: number;
  readonly location: number;
}

export interface RecordingPlan {
  readonly request: RecordingRequest;
  /** Channel k of the request records `madc[k]`. */
  readonly madc: readonly MadcChannel[];
  /** Per population label and graph member recorded on the CADC: the neuron and location. */
  readonly cadc: ReadonlyMap<string, ReadonlyMap<number, RecordedSite>>;
  readonly cadcInterval_ms: number;
}

/**
 * Graph members of the multi-compartment populations: the members of neuron `index`'s compartment `location`
 * (its circuits), and each member's circuit (for the MADC's readout lines).
 */
export interface MemberLayout {
  membersOf(index: number, location: number): readonly number[];
  circuitOf(member: number): number;
}

const SINGLE: MemberLayout = { membersOf: (index) => [index], circuitOf: () => -1 };

/**
 * The recording request of the neuron populations (in creation order, members in order). A location of a
 * multi-compartment neuron is read on one circuit of its compartment (they share the membrane): on the MADC
 * the first whose readout line no earlier channel uses, on the CADC the first.
 */
export function recordingPlan(populations: readonly Population[], layouts: ReadonlyMap<Population, MemberLayout> = new Map()): RecordingPlan {
  const madc: (MadcChannel & { readonly member: number })[] = [];
  const cadc: NeuronRef[] = [];
  const cadcSites = new Map<string, Map<number, RecordedSite>>();
  const cadcIntervals = new Set<number>();
  const linesUsed = new Set<string>();
  for (const population of populations) {
    if (!population.cellType.isNeuron) continue;
    const recorder = population.recorder;
    if (!recorder.any()) continue;
    const layout = layouts.get(population) ?? SINGLE;
    for (let index = 0; index < population.size; index++) {
      for (let location = 0; location < recorder.locations; location++) {
        const where = `population '${population.label}' neuron ${index}${recorder.locations > 1 ? ` location ${location}` : ''}`;
        const variables = [...recorder.variablesOf(index, location)].filter((v) => v !== 'spikes');
        const onMadc = variables.filter((v) => recorder.deviceOf(index, v, location) === 'madc');
        if (onMadc.length > 1) {
          throw new RecordingError(`${where} records ${onMadc.join(' and ')}: a neuron has one readout, so one analog variable at a time`, {
            population: population.label,
            value: onMadc,
          });
        }
        const onCadc = variables.includes('v') && recorder.deviceOf(index, 'v', location) === 'cadc';
        if (onCadc && onMadc.length > 0) {
          throw new RecordingError(
            `${where} records 'v' with the CADC and '${onMadc[0]}' with the MADC: both read the neuron's one readout, so one analog variable at a time`,
            { population: population.label, value: [onMadc[0], 'v'] },
          );
        }
        const members = layout.membersOf(index, location);
        if (onMadc.length === 1) {
          const member = members.find((m) => layout.circuitOf(m) < 0 || !linesUsed.has(readoutLineOf(layout.circuitOf(m)))) ?? members[0]!;
          if (layout.circuitOf(member) >= 0) linesUsed.add(readoutLineOf(layout.circuitOf(member)));
          madc.push({ population, index, location, variable: onMadc[0]!, member });
        }
        if (onCadc) {
          const member = members[0]!;
          cadc.push({ population: population.label, index: member });
          let sites = cadcSites.get(population.label);
          if (sites === undefined) cadcSites.set(population.label, (sites = new Map()));
          sites.set(member, { index, location });
          if (recorder.cadcInterval_ms !== undefined) cadcIntervals.add(recorder.cadcInterval_ms);
        }
      }
    }
  }
  const madcIntervals = [...new Set(madc.map((c) => c.population.recorder.samplingInterval_ms).filter((x) => x !== undefined))];
  if (madcIntervals.length > 1) {
    throw new RecordingError(`the recorded neurons ask for different sampling intervals (${madcIntervals.join(', ')} ms); the MADC has one`, { value: madcIntervals });
  }
  if (cadcIntervals.size > 1) throw new RecordingError(`CADC recordings ask for different sampling intervals (${[...cadcIntervals].join(', ')} ms); all neurons are sampled by one sweep`, { value: [...cadcIntervals] });
  const cadcInterval_ms = cadcIntervals.size === 0 ? CADC_DEFAULT_INTERVAL_MS : [...cadcIntervals][0]!;
  const channels: MadcChannelRequest[] = madc.map((c) => ({ population: c.population.label, index: c.member, source: readoutSourceOf(c.variable) }));
  const request: RecordingRequest = {
    ...(channels.length === 0 ? {} : { madc: { channels, ...(madcIntervals.length === 0 ? {} : { channelPeriod_ns: madcIntervals[0]! * 1000 }) } }),
    ...(cadc.length === 0 ? {} : { cadc: { neurons: cadc, interval_cycles: msToCycles(cadcInterval_ms) } }),
  };
  return { request, madc: madc.map(({ member: _member, ...channel }) => channel), cadc: cadcSites, cadcInterval_ms };
}
