// Recording membranes with the CADC (hardware.md §3.9, §11.1 `device: 'cadc'`): every neuron's causal channel
// is switched to its neuron and converted by trigger reads, one quad (4 neurons) per FPGA cycle; a sample of all
// neurons is a sweep of 128 reads (1.024 µs of chip time). Coarser than the MADC, but for any number of neurons.
import { CADC_READS_PER_SWEEP } from '@bss2/calibration';
import { RecordingError } from './errors.js';
import type { MadcPlan } from './madc-plan.js';
import type { PlacedNeuron } from './neurons.js';
import type { Population } from './populations.js';
import { cyclesToMs, msToCycles } from './units.js';

/** Default CADC sampling interval, ms (biological). */
export const CADC_DEFAULT_INTERVAL_MS = 2;
/** The shortest interval: one sweep of every neuron, ms (biological). */
export const CADC_MIN_INTERVAL_MS = cyclesToMs(CADC_READS_PER_SWEEP);

export interface CadcPlan {
  /** The neurons the CADC records, by circuit. */
  readonly neurons: ReadonlyMap<number, { readonly population: Population; readonly index: number }>;
  readonly interval_cycles: number;
  readonly interval_ms: number;
}

export function planCadc(placed: readonly PlacedNeuron[], madc: MadcPlan): CadcPlan | undefined {
  const neurons = new Map<number, { population: Population; index: number }>();
  const intervals = new Set<number>();
  for (const n of placed) {
    const recorder = n.population.recorder;
    if (!recorder.variablesOf(n.index).has('v') || recorder.deviceOf(n.index, 'v') !== 'cadc') continue;
    // The CADC sees the neuron's readout source: a MADC recording of another variable would switch it away.
    const onMadc = madc.channels.find((c) => c.circuit === n.circuit);
    if (onMadc !== undefined) {
      throw new RecordingError(
        `population '${n.population.label}' neuron ${n.index} records 'v' with the CADC and '${onMadc.variable}' with the MADC: both read the neuron's one readout, so one analog variable at a time`,
        { population: n.population.label, value: [onMadc.variable, 'v'] },
      );
    }
    neurons.set(n.circuit, { population: n.population, index: n.index });
    if (recorder.cadcInterval_ms !== undefined) intervals.add(recorder.cadcInterval_ms);
  }
  if (neurons.size === 0) return undefined;
  if (intervals.size > 1) throw new RecordingError(`CADC recordings ask for different sampling intervals (${[...intervals].join(', ')} ms); all neurons are sampled by one sweep`, { value: [...intervals] });
  const interval_ms = intervals.size === 0 ? CADC_DEFAULT_INTERVAL_MS : [...intervals][0]!;
  if (interval_ms < CADC_MIN_INTERVAL_MS) {
    throw new RecordingError(`a CADC sampling interval of ${interval_ms} ms is shorter than one sweep of all neurons (${CADC_MIN_INTERVAL_MS} ms, ${CADC_READS_PER_SWEEP} reads)`, { value: interval_ms });
  }
  return { neurons, interval_cycles: msToCycles(interval_ms), interval_ms };
}
