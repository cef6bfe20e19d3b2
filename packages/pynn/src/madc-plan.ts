// Which neurons the MADC records and how (hardware.md §3.9): at most two neurons, one per MADC channel, each on
// its own readout line (even / odd columns of each hemisphere share one), one analog variable per neuron.
import { MADCConfig, ReadoutSourceSelection } from '@bss2/lola';
import { RecordingError } from './errors.js';
import type { PlacedNeuron } from './neurons.js';
import type { Population } from './populations.js';

/** One MADC sample at the reset configuration: 17 clocks of 500 MHz = 34 ns (§3.9). */
export const MADC_BASE_PERIOD_NS = 34;
const MAX_CLOCK_SCALE = 4095;
export const MADC_CHANNELS = 2;

export interface MadcChannel {
  readonly circuit: number;
  readonly population: Population;
  readonly index: number;
  readonly variable: string;
}

export interface MadcPlan {
  /** Channel k records `channels[k]`. */
  readonly channels: readonly MadcChannel[];
  readonly config: MADCConfig | undefined;
  readonly sourceSelection: ReadoutSourceSelection | undefined;
  /** Period of the MADC, ns of chip time; each channel samples every `channelPeriod_ns` (channels alternate). */
  readonly period_ns: number;
  readonly channelPeriod_ns: number;
}

type Line = 'neuronEvenTop' | 'neuronOddTop' | 'neuronEvenBottom' | 'neuronOddBottom';

/** The readout line a circuit drives (AtomicNeuronOnDLS enum: 256 · row + column). */
export function readoutLineOf(circuit: number): Line {
  const parity = circuit % 2 === 0 ? 'Even' : 'Odd';
  return `neuron${parity}${circuit >= 256 ? 'Bottom' : 'Top'}` as Line;
}

/** The MADC period nearest to `requested_ns` it can produce: 34 ns, or 68 ns · (s + 1) with clock scaling s. */
function madcPeriod(requested_ns: number, where: string): { period_ns: number; scale: number | undefined } {
  const max = 2 * MADC_BASE_PERIOD_NS * (MAX_CLOCK_SCALE + 1);
  if (requested_ns < MADC_BASE_PERIOD_NS * 0.5 || requested_ns > max * 1.5) {
    throw new RecordingError(
      `samplingInterval of ${where} gives an MADC period of ${requested_ns} ns of chip time; the MADC samples every ${MADC_BASE_PERIOD_NS} ns to ${max} ns (${MADC_BASE_PERIOD_NS / 1000}..${max / 1000} ms biological per channel in use)`,
      { value: requested_ns },
    );
  }
  const scale = Math.min(MAX_CLOCK_SCALE, Math.max(0, Math.round(requested_ns / (2 * MADC_BASE_PERIOD_NS)) - 1));
  const scaled = 2 * MADC_BASE_PERIOD_NS * (scale + 1);
  return Math.abs(scaled - requested_ns) < Math.abs(MADC_BASE_PERIOD_NS - requested_ns) ? { period_ns: scaled, scale } : { period_ns: MADC_BASE_PERIOD_NS, scale: undefined };
}

export function planMadc(placed: readonly PlacedNeuron[], populations: readonly Population[]): MadcPlan {
  const channels: MadcChannel[] = [];
  const byPopulation = new Map<Population, PlacedNeuron[]>();
  for (const n of placed) byPopulation.set(n.population, [...(byPopulation.get(n.population) ?? []), n]);
  for (const population of populations) {
    for (const n of byPopulation.get(population) ?? []) {
      const analog = [...population.recorder.variablesOf(n.index)].filter((v) => v !== 'spikes' && population.recorder.deviceOf(n.index, v) === 'madc');
      if (analog.length === 0) continue;
      if (analog.length > 1) {
        throw new RecordingError(
          `population '${population.label}' neuron ${n.index} records ${analog.join(' and ')}: a neuron has one readout, so one analog variable at a time`,
          { population: population.label, value: analog },
        );
      }
      channels.push({ circuit: n.circuit, population, index: n.index, variable: analog[0]! });
    }
  }
  if (channels.length === 0) return { channels, config: undefined, sourceSelection: undefined, period_ns: MADC_BASE_PERIOD_NS, channelPeriod_ns: MADC_BASE_PERIOD_NS };
  const names = channels.map((c) => `'${c.population.label}'[${c.index}]`).join(', ');
  if (channels.length > MADC_CHANNELS) {
    throw new RecordingError(`${channels.length} neurons record analog variables (${names}); the MADC records at most ${MADC_CHANNELS} neurons at a time`, {
      population: channels[0]!.population.label,
      value: channels.length,
    });
  }
  if (channels.length === 2 && readoutLineOf(channels[0]!.circuit) === readoutLineOf(channels[1]!.circuit)) {
    throw new RecordingError(
      `${names} are placed on circuits ${channels[0]!.circuit} and ${channels[1]!.circuit}, which share the readout line ${readoutLineOf(channels[0]!.circuit)} (same column parity and hemisphere); record one neuron of an even and one of an odd column, or choose the placement with setup({ neuronPermutation })`,
      { population: channels[0]!.population.label, value: [channels[0]!.circuit, channels[1]!.circuit] },
    );
  }
  const intervals = [...new Set(channels.map((c) => c.population.recorder.samplingInterval_ms).filter((x) => x !== undefined))];
  if (intervals.length > 1) {
    throw new RecordingError(`the recorded neurons ask for different sampling intervals (${intervals.join(', ')} ms); the MADC has one`, { value: intervals });
  }
  // Two channels alternate sample by sample, so each is sampled at twice the MADC period.
  const { period_ns, scale } = intervals.length === 0 ? { period_ns: MADC_BASE_PERIOD_NS, scale: undefined } : madcPeriod((intervals[0]! * 1000) / channels.length, names);
  const selection: Record<string, boolean[]> = {};
  channels.forEach((c, k) => {
    const line = readoutLineOf(c.circuit);
    selection[line] ??= [false, false];
    selection[line][k] = true;
  });
  const config = new MADCConfig({
    activeMuxInitiallySelectedInput: 0,
    activeMuxInputSelectLength: channels.length === 2 ? 1 : 0,
    ...(scale === undefined ? {} : { enableMadcClockScaling: true, madcClockScaleValue: scale }),
  });
  return { channels, config, sourceSelection: new ReadoutSourceSelection(selection), period_ns, channelPeriod_ns: period_ns * channels.length };
}
