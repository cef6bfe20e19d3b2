// How a layer of this package and a NIR node describe the same thing (hardware.md §11.3), defined once for
// toNIR, fromNIR and pynnToNIR: units, the metadata that carries what NIR has no field for, output names.
import { isNIRArray, nirArray, type NIRArray } from '../nir/array.js';
import type { NIRMetadata } from '../nir/graph.js';
import { NIRConversionError } from './errors.js';

/**
 * NIR's time constants are seconds of the modelled system; here times are biological ms (1 ms ≙ 1 µs on the
 * chip). The reference's exporter writes its hardware seconds × 1000 (µs ↦ ms ↦ NIR "s"), the same numbers.
 */
export function msToSeconds(t_ms: number): number {
  return t_ms / 1000;
}

/** Seconds → ms, to 15 significant digits: ÷1000 then ×1000 can be an ulp off, so a ms value written reads back as itself. */
export function secondsToMs(t_s: number): number {
  return Number((t_s * 1000).toPrecision(15));
}

/**
 * Node metadata this package writes and reads back; other NIR tools ignore it. NIR's CubaLIF has no
 * refractory period and no chip-side potentials, so they travel here, each a float64 scalar (the refractory
 * period may also be one value per neuron, as pynnToNIR writes it).
 */
export const metadataKeys = {
  /** Refractory period, seconds (NIR's time unit). */
  refractoryPeriod: 'refractory_period',
  /** SuperSpike steepness α of the LIF's surrogate gradient. */
  superSpikeAlpha: 'superspike_alpha',
  /** Calibration targets, CADC LSB: the `hardware` side of the layer's mixed parameters. */
  chipLeak: 'chip_leak_lsb',
  chipReset: 'chip_reset_lsb',
  chipThreshold: 'chip_threshold_lsb',
  /** An LI's threshold (model unit): no spikes, but with chip_threshold_lsb it scales the chip's membrane trace. */
  threshold: 'v_threshold',
} as const;

/** The defaults of the reference's ConversionConfig (hxtorch `from_nir.py`): mock, dt = 1 µs chip ≙ 1 ms, weight scale 64. */
export const NIR_IMPORT_DEFAULTS = Object.freeze({ mock: true, dt_ms: 1, weightScale: 64 });

/** A float64 array of `n` copies of `value` (NIR's per-neuron parameters). */
export function filled(n: number, value: number): NIRArray {
  return nirArray([n], new Float64Array(n).fill(value));
}

/** A float64 scalar, as NIR stores a Python number. */
export function scalar(value: number): NIRArray {
  return nirArray([], [value]);
}

/** The value of a metadata entry that is one number, or one number repeated; `undefined` when absent. */
export function uniformMetadata(metadata: NIRMetadata | undefined, key: string, where: string): number | undefined {
  const entry = metadata?.[key];
  if (entry === undefined) return undefined;
  const data = isNIRArray(entry) ? entry.data : undefined;
  const first = data?.[0];
  if (data === undefined || first === undefined || !Number.isFinite(first) || data.some((x) => x !== first)) {
    throw new NIRConversionError(`${where}: metadata '${key}' must be one finite number (or the same number for every neuron)`, { module: where, parameter: key, value: entry });
  }
  return first;
}

/**
 * Names of the Output nodes for the layers nothing consumes: `output` for one, `output_<layer>` for several.
 * A name another node already has is refused rather than renamed, so names stay predictable.
 */
export function outputNames(sinks: readonly string[], taken: ReadonlySet<string>): Map<string, string> {
  const names = new Map(sinks.map((sink) => [sink, sinks.length === 1 ? 'output' : `output_${sink}`]));
  for (const [sink, name] of names) {
    if (taken.has(name)) {
      throw new NIRConversionError(`the Output node for '${sink}' would be called '${name}', which names another node; rename that layer or population`, { module: sink, value: name });
    }
  }
  return names;
}
