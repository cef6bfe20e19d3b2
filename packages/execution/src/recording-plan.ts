// How the analog recording of a graph is realised (hardware.md §3.9): the MADC records up to two neurons, one
// per channel, each on its own readout line (even / odd columns of each hemisphere share one), channels
// alternating sample by sample; the CADC converts every neuron's membrane by trigger reads, one quad (4 neurons)
// per FPGA cycle, a sweep of all neurons taking 128 reads.
import { CadcNeuronReadout } from '@bss2/calibration';
import { MADCConfig, type NeuronReadoutSource, ReadoutSourceSelection, describeValue, nominal } from '@bss2/lola';
import { RecordingPlanError } from './errors.js';
import type { NeuronRef, RecordingRequest } from './graph.js';

const CADC_READS_PER_SWEEP = nominal.cadcReadsPerSweep;
/** The read of a full sweep that converts each circuit's channel. */
const sweepPositionOf: Int32Array = (() => {
  const out = new Int32Array(nominal.neuronCount);
  for (let k = 0; k < CADC_READS_PER_SWEEP; k++) for (const circuit of CadcNeuronReadout.neuronsOfRead(k)) out[circuit] = k;
  return out;
})();
/** One MADC sample at the reset configuration: 17 clocks of 500 MHz = 34 ns (§3.9). */
export const MADC_BASE_PERIOD_NS = nominal.madcBaseSamplePeriod_ns;
/** The MADC's clock scaler (12 bit): periods of 2 · 34 ns · (s + 1). */
const MAX_CLOCK_SCALE = nominal.madcClockScaleMax;
export const MADC_CHANNELS = nominal.madcChannelCount;
/** The longest MADC period, ns. */
export const MADC_MAX_PERIOD_NS = 2 * MADC_BASE_PERIOD_NS * (MAX_CLOCK_SCALE + 1);

export interface MadcChannel extends NeuronRef {
  readonly circuit: number;
  readonly source: NeuronReadoutSource;
}

export interface MadcPlan {
  /** Channel k records `channels[k]`. */
  readonly channels: readonly MadcChannel[];
  readonly config: MADCConfig | undefined;
  readonly sourceSelection: ReadoutSourceSelection | undefined;
  /** Period of the MADC, ns of chip time. */
  readonly period_ns: number;
  /** Each channel samples every `channelPeriod_ns` (channels alternate). */
  readonly channelPeriod_ns: number;
}

export interface CadcPlan {
  /** The neurons the CADC records, by circuit. */
  readonly neurons: ReadonlyMap<number, NeuronRef>;
  readonly interval_cycles: number;
  /** The reads of one sweep (positions 0..127 of a full sweep), in the order they are issued, one per cycle. */
  readonly reads: readonly number[];
}

export type ReadoutLine = 'neuronEvenTop' | 'neuronOddTop' | 'neuronEvenBottom' | 'neuronOddBottom';

/** The readout line a circuit drives (AtomicNeuronOnDLS enum: 256 · row + column). */
export function readoutLineOf(circuit: number): ReadoutLine {
  const parity = circuit % 2 === 0 ? 'Even' : 'Odd';
  return `neuron${parity}${circuit >= 256 ? 'Bottom' : 'Top'}` as ReadoutLine;
}

/** The MADC period nearest to `requested_ns` it can produce: 34 ns, or 68 ns · (s + 1) with clock scaling s. */
export function madcPeriod(requested_ns: number, where: string): { period_ns: number; scale: number | undefined } {
  if (!(requested_ns >= MADC_BASE_PERIOD_NS * 0.5 && requested_ns <= MADC_MAX_PERIOD_NS * 1.5)) {
    throw new RecordingPlanError(
      `the sampling period of ${where} gives an MADC period of ${requested_ns} ns of chip time; the MADC samples every ${MADC_BASE_PERIOD_NS} ns to ${MADC_MAX_PERIOD_NS} ns (${MADC_BASE_PERIOD_NS / 1000}..${MADC_MAX_PERIOD_NS / 1000} µs per channel in use)`,
      { value: requested_ns },
    );
  }
  const scale = Math.min(MAX_CLOCK_SCALE, Math.max(0, Math.round(requested_ns / (2 * MADC_BASE_PERIOD_NS)) - 1));
  const scaled = 2 * MADC_BASE_PERIOD_NS * (scale + 1);
  return Math.abs(scaled - requested_ns) < Math.abs(MADC_BASE_PERIOD_NS - requested_ns) ? { period_ns: scaled, scale } : { period_ns: MADC_BASE_PERIOD_NS, scale: undefined };
}

const nameOf = (n: NeuronRef) => `'${n.population}'[${n.index}]`;

export function planMadc(request: RecordingRequest['madc'], circuitOf: (n: NeuronRef) => number): MadcPlan {
  const requested = request?.channels ?? [];
  if (requested.length === 0) return { channels: [], config: undefined, sourceSelection: undefined, period_ns: MADC_BASE_PERIOD_NS, channelPeriod_ns: MADC_BASE_PERIOD_NS };
  const names = requested.map(nameOf).join(', ');
  if (requested.length > MADC_CHANNELS) {
    throw new RecordingPlanError(`${requested.length} neurons record analog variables (${names}); the MADC records at most ${MADC_CHANNELS} neurons at a time`, {
      population: requested[0]!.population,
      value: requested.length,
    });
  }
  const channels = requested.map((c) => ({ population: c.population, index: c.index, source: c.source, circuit: circuitOf(c) }));
  if (channels.length === 2 && channels[0]!.circuit === channels[1]!.circuit) {
    throw new RecordingPlanError(`${names} ask for two MADC channels on one neuron: a neuron has one readout, so one analog variable at a time`, { population: channels[0]!.population });
  }
  if (channels.length === 2 && readoutLineOf(channels[0]!.circuit) === readoutLineOf(channels[1]!.circuit)) {
    throw new RecordingPlanError(
      `${names} are placed on circuits ${channels[0]!.circuit} and ${channels[1]!.circuit}, which share the readout line ${readoutLineOf(channels[0]!.circuit)} (same column parity and hemisphere); record one neuron of an even and one of an odd column, or choose another placement`,
      { population: channels[0]!.population, value: [channels[0]!.circuit, channels[1]!.circuit] },
    );
  }
  // Two channels alternate sample by sample, so each is sampled at twice the MADC period.
  const { period_ns, scale } = request?.channelPeriod_ns === undefined ? { period_ns: MADC_BASE_PERIOD_NS, scale: undefined } : madcPeriod(request.channelPeriod_ns / channels.length, names);
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

export function planCadc(request: RecordingRequest['cadc'], circuitOf: (n: NeuronRef) => number, madc: MadcPlan): CadcPlan | undefined {
  if (request === undefined || request.neurons.length === 0) return undefined;
  const sweep = request.sweep ?? 'all';
  if (sweep !== 'all' && sweep !== 'recorded') throw new RecordingPlanError(`a CADC sweep is 'all' or 'recorded', not ${describeValue(sweep)}`, { value: sweep });
  const neurons = new Map<number, NeuronRef>();
  for (const n of request.neurons) {
    const circuit = circuitOf(n);
    // The CADC sees the neuron's readout source: an MADC recording of another variable would switch it away.
    const onMadc = madc.channels.find((c) => c.circuit === circuit);
    if (onMadc !== undefined && onMadc.source !== 'membrane') {
      throw new RecordingPlanError(`${nameOf(n)} records its membrane with the CADC and ${onMadc.source} with the MADC: both read the neuron's one readout`, { population: n.population, index: n.index });
    }
    neurons.set(circuit, { population: n.population, index: n.index });
  }
  const reads =
    sweep === 'all' ? Array.from({ length: CADC_READS_PER_SWEEP }, (_, k) => k) : [...new Set([...neurons.keys()].map((circuit) => sweepPositionOf[circuit]!))].sort((a, b) => a - b);
  if (!Number.isSafeInteger(request.interval_cycles) || request.interval_cycles < reads.length) {
    const what = sweep === 'all' ? 'all neurons' : 'the recorded neurons';
    throw new RecordingPlanError(
      `a CADC sampling interval of ${describeValue(request.interval_cycles)} cycles is shorter than one sweep of ${what} (${reads.length} reads, one per cycle)`,
      { value: request.interval_cycles },
    );
  }
  return { neurons, interval_cycles: request.interval_cycles, reads };
}
