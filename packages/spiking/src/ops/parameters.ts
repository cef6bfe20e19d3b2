import type { tf } from '@bss2/tensor';

/**
 * Parameters of the current-based leaky integrator (hxtorch's `CUBALIParams`). `tauMem`, `tauSyn` and `dt`
 * share one time unit (any: only their ratios enter the explicit Euler step); `leak` is in the unit of
 * the membrane, per neuron when an array.
 */
export interface LIParameters {
  tauMem: number;
  tauSyn: number;
  dt: number;
  leak: number | Float32Array;
}

/** Parameters of the current-based LIF neuron (hxtorch's `CUBALIFParams`), on top of the LI ones. */
export interface LIFParameters extends LIParameters {
  reset: number | Float32Array;
  threshold: number | Float32Array;
  /** Time steps a neuron is held at `reset` after a spike; an integer ≥ 0, default 0. */
  refractorySteps?: number;
  /** SuperSpike steepness α of the surrogate derivative 1/(α|v − θ| + 1)²; default 50 (hardware.md §11.2). */
  alpha?: number;
}

/** An argument of a spiking op is out of its domain: names the parameter, the value given and the rule. */
export class SpikingOpError extends RangeError {
  override name = 'SpikingOpError';
  constructor(
    readonly parameter: string,
    readonly value: unknown,
    readonly rule: string,
  ) {
    super(`${parameter} = ${describe(value)} is invalid: expected ${rule}`);
  }
}

export const DEFAULT_SUPERSPIKE_ALPHA = 50;

/**
 * Validated parameters, expanded per neuron and turned into the float32 step constants both the fused
 * loops and the tfjs reference use (so their forward passes agree to the bit).
 */
export interface ResolvedLIParameters {
  leak: Float32Array;
  /** fround(dt / tauMem): the membrane's Euler factor. */
  membraneFactor: number;
  /** fround(1 − dt / tauSyn): the synaptic current's decay per step. */
  currentDecay: number;
}

export interface ResolvedLIFParameters extends ResolvedLIParameters {
  reset: Float32Array;
  threshold: Float32Array;
  refractorySteps: number;
  alpha: number;
}

export function resolveLIParameters(p: LIParameters, neurons: number): ResolvedLIParameters {
  positive('tauMem', p.tauMem);
  positive('tauSyn', p.tauSyn);
  positive('dt', p.dt);
  // Explicit Euler with dt ≥ tau overshoots the fixed point (and flips sign at dt > 2 tau).
  if (!(p.dt < p.tauMem)) throw new SpikingOpError('dt', p.dt, `dt < tauMem = ${p.tauMem} (explicit Euler step)`);
  if (!(p.dt < p.tauSyn)) throw new SpikingOpError('dt', p.dt, `dt < tauSyn = ${p.tauSyn} (explicit Euler step)`);
  return {
    leak: perNeuron('leak', p.leak, neurons),
    membraneFactor: Math.fround(p.dt / p.tauMem),
    currentDecay: Math.fround(1 - p.dt / p.tauSyn),
  };
}

export function resolveLIFParameters(p: LIFParameters, neurons: number): ResolvedLIFParameters {
  const refractorySteps = p.refractorySteps ?? 0;
  if (!Number.isSafeInteger(refractorySteps) || refractorySteps < 0) {
    throw new SpikingOpError('refractorySteps', refractorySteps, 'an integer ≥ 0 (time steps)');
  }
  return {
    ...resolveLIParameters(p, neurons),
    reset: perNeuron('reset', p.reset, neurons),
    threshold: perNeuron('threshold', p.threshold, neurons),
    refractorySteps,
    alpha: checkAlpha(p.alpha ?? DEFAULT_SUPERSPIKE_ALPHA),
  };
}

export function checkAlpha(alpha: number): number {
  positive('alpha', alpha);
  return alpha;
}

/** Checks a [T, B, N] float32 time series and returns its shape. */
export function checkScanInput(name: string, x: tf.Tensor): [number, number, number] {
  if (x.rank !== 3) throw new SpikingOpError(name, `shape [${x.shape.join(', ')}]`, 'a rank-3 tensor [T, B, N] (time, batch, neurons)');
  if (x.dtype !== 'float32') throw new SpikingOpError(name, `dtype ${x.dtype}`, 'dtype float32');
  return x.shape as [number, number, number];
}

/** Checks that `other` (a hardware trace, say) has exactly the shape of `reference`. */
/** The hardware traces of a scan, checked against the input's shape and read once. */
export function readHardwareTraces(hw: { readonly v?: tf.Tensor; readonly z?: tf.Tensor }, shape: readonly number[]): { hwV: Float32Array | undefined; hwZ: Float32Array | undefined } {
  if (hw.v !== undefined) checkSameShape('hw.v', hw.v, shape);
  if (hw.z !== undefined) checkSameShape('hw.z', hw.z, shape);
  return { hwV: hw.v === undefined ? undefined : (hw.v.dataSync() as Float32Array), hwZ: hw.z === undefined ? undefined : (hw.z.dataSync() as Float32Array) };
}

export function checkSameShape(name: string, other: tf.Tensor, reference: readonly number[]): void {
  if (other.shape.length !== reference.length || other.shape.some((d, k) => d !== reference[k])) {
    throw new SpikingOpError(name, `shape [${other.shape.join(', ')}]`, `shape [${reference.join(', ')}]`);
  }
}

function positive(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new SpikingOpError(name, value, 'a finite number > 0');
  }
}

/** A parameter given as one number or one per neuron, as a Float32Array of `neurons` finite values. */
export function perNeuron(name: string, value: number | Float32Array | undefined, neurons: number): Float32Array {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new SpikingOpError(name, value, 'a finite number or a Float32Array of one per neuron');
    return new Float32Array(neurons).fill(value);
  }
  if (!(value instanceof Float32Array) || value.length !== neurons) {
    throw new SpikingOpError(name, value, `a finite number or a Float32Array of length ${neurons} (one per neuron)`);
  }
  const bad = value.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) throw new SpikingOpError(`${name}[${bad}]`, value[bad], 'a finite number');
  return value;
}

function describe(value: unknown): string {
  if (value instanceof Float32Array) return `Float32Array(${value.length})`;
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return String(value);
}
