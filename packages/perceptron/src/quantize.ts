// From trained floats to what the chip takes: 6-bit signed weights and 5-bit inputs.
import { PerceptronValueError } from './errors.js';
import { INPUT_MAX, WEIGHT_MAX } from './limits.js';

/** Round half away from zero, as the reference's chip weights: trunc(w + 0.5) above zero, trunc(w − 0.5) below. */
function roundHalfAway(x: number): number {
  return x >= 0 ? Math.trunc(x + 0.5) : Math.trunc(x - 0.5);
}

function checkFinite(op: string, values: ArrayLike<number>): void {
  for (let k = 0; k < values.length; k++) {
    if (!Number.isFinite(values[k]!)) throw new PerceptronValueError(op, `values[${k}]`, values[k], 'a finite number');
  }
}

/** Weights for the chip: clamp to ±63, then round half away from zero (hardware.md §11.2). */
export function quantizeWeights(values: ArrayLike<number>): Int8Array {
  checkFinite('quantizeWeights', values);
  const out = new Int8Array(values.length);
  for (let k = 0; k < values.length; k++) out[k] = roundHalfAway(Math.min(WEIGHT_MAX, Math.max(-WEIGHT_MAX, values[k]!)));
  return out;
}

/**
 * Inputs for the chip: `value · scale`, rounded half away from zero, clamped to 0..31. With `scale: 31` a value
 * in [0, 1] spans the whole input range (how the Yin-Yang features are fed).
 */
export function quantizeInputs(values: ArrayLike<number>, { scale = 1 }: { scale?: number } = {}): Uint8Array {
  if (!(Number.isFinite(scale) && scale > 0)) throw new PerceptronValueError('quantizeInputs', 'scale', scale, 'a finite number > 0');
  checkFinite('quantizeInputs', values);
  const out = new Uint8Array(values.length);
  for (let k = 0; k < values.length; k++) out[k] = Math.min(INPUT_MAX, Math.max(0, roundHalfAway(values[k]! * scale)));
  return out;
}
