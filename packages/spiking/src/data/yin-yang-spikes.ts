// Time-to-first-spike encoding of Yin-Yang features for the spiking classifier; the data set itself is
// `@bss2/tensor`'s, shared with the perceptron front end.
import { DatasetError } from '@bss2/tensor';

export interface SpikeTimeEncoding {
  /** Time of the earliest (feature 0) and latest (feature 1) input spike. */
  tEarly: number;
  tLate: number;
  /** Time of the bias input's spike; default `tEarly`. */
  bias?: number;
  /** Time steps of the dense output, and their width (the unit of the times). */
  steps: number;
  dt: number;
}

export interface EncodedSpikes {
  /** Dense input spikes [steps, batch, 5] (the four features, then the bias), row-major, 0/1. */
  spikes: Float32Array;
  shape: [number, number, number];
  /** The spike times before binning, per sample and input (five each): what the chip path sends. */
  times: number[][];
}

/** Inputs per sample: the four features and the bias. */
export const YIN_YANG_INPUTS = 5;

/**
 * Time-to-first-spike encoding of Yin-Yang features (size × 4, each in [0, 1]): input j of a sample spikes
 * once at tEarly + feature·(tLate − tEarly), the bias input at `bias`; the dense form puts each spike in
 * its nearest time bin (round(t / dt), as hardware.md §11.2 bins recorded spikes).
 */
export function encodeSpikeTimes(features: Float32Array, encoding: SpikeTimeEncoding): EncodedSpikes {
  const { tEarly, tLate, steps, dt } = encoding;
  const bias = encoding.bias ?? tEarly;
  if (!Number.isFinite(tEarly) || tEarly < 0) throw new DatasetError('tEarly', tEarly, 'a finite time ≥ 0');
  if (!Number.isFinite(tLate) || !(tLate > tEarly)) throw new DatasetError('tLate', tLate, `a finite time > tEarly = ${tEarly}`);
  if (!Number.isFinite(bias) || bias < 0) throw new DatasetError('bias', bias, 'a finite time ≥ 0');
  if (!Number.isSafeInteger(steps) || steps < 1) throw new DatasetError('steps', steps, 'an integer ≥ 1');
  if (!Number.isFinite(dt) || dt <= 0) throw new DatasetError('dt', dt, 'a finite time > 0');
  if (features.length % 4 !== 0) throw new DatasetError('features.length', features.length, 'a multiple of 4 (x, y, 1 − x, 1 − y per sample)');
  const lastBin = Math.round(Math.max(tLate, bias) / dt);
  if (lastBin >= steps) {
    throw new DatasetError('steps', steps, `more than ${lastBin}: the latest spike (t = ${Math.max(tLate, bias)}) falls in bin ${lastBin}`);
  }
  const batch = features.length / 4;
  const spikes = new Float32Array(steps * batch * YIN_YANG_INPUTS);
  const times: number[][] = [];
  for (let b = 0; b < batch; b++) {
    const sample: number[] = [];
    for (let j = 0; j < 4; j++) {
      const value = features[b * 4 + j]!;
      if (!(value >= 0 && value <= 1)) throw new DatasetError(`features[${b * 4 + j}]`, value, 'a value in [0, 1]');
      sample.push(tEarly + value * (tLate - tEarly));
    }
    sample.push(bias);
    sample.forEach((t, j) => {
      spikes[(Math.round(t / dt) * batch + b) * YIN_YANG_INPUTS + j] = 1;
    });
    times.push(sample);
  }
  return { spikes, shape: [steps, batch, YIN_YANG_INPUTS], times };
}
