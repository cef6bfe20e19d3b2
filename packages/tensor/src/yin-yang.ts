import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * The Yin-Yang data set (Kriener, Göltz & Petrovici 2021, github.com/lkriener/yin_yang_data_set): points
 * in a yin-yang sign of radius ½ centred on (½, ½), three classes. Generated here with the reference's
 * algorithm but a different generator (xoroshiro128+ instead of numpy's), so sets are deterministic per
 * seed but not the published samples.
 */

const R_BIG = 0.5;
const R_SMALL = 0.1;

/** Class names by label, as the reference's `class_names`. */
export const YIN_YANG_CLASSES = ['yin', 'yang', 'dot'] as const;
export type YinYangLabel = 0 | 1 | 2;

/** The reference's splits (its README and tests: train 5000/42, validation 1000/41, test 1000/40). */
export const YIN_YANG_SPLITS = {
  train: { size: 5000, seed: 42 },
  validation: { size: 1000, seed: 41 },
  test: { size: 1000, seed: 40 },
} as const;

export interface YinYangOptions {
  size: number;
  seed: number;
}

export interface YinYangDataset {
  /** size × 4, row-major: (x, y, 1 − x, 1 − y) per sample. */
  features: Float32Array;
  labels: Int32Array;
  size: number;
}

/** An argument of a data-set function is out of its domain: names the parameter, the value and the rule. */
export class DatasetError extends RangeError {
  override name = 'DatasetError';
  constructor(
    readonly parameter: string,
    readonly value: unknown,
    readonly rule: string,
  ) {
    super(`${parameter} = ${String(value)} is invalid: expected ${rule}`);
  }
}

/**
 * The reference's `which_class` for a point of the big circle. The dots (radius 0.1) sit at (0.25, 0.5) and
 * (0.75, 0.5). The reference computes a predicate it calls `is_yin` and returns `int(is_yin)`, so that
 * region is label 1 (`class_names[1]` = 'yang'); the labels here are the reference's numbers.
 */
export function yinYangClass(x: number, y: number): YinYangLabel {
  const dRight = Math.hypot(x - 1.5 * R_BIG, y - R_BIG);
  const dLeft = Math.hypot(x - 0.5 * R_BIG, y - R_BIG);
  if (dRight < R_SMALL || dLeft < R_SMALL) return 2;
  const inRightDot = dRight <= R_SMALL;
  const inLeftHalfDisc = dLeft > R_SMALL && dLeft <= 0.5 * R_BIG;
  const upperOutsideRightHalfDisc = y > R_BIG && dRight > 0.5 * R_BIG;
  return inRightDot || inLeftHalfDisc || upperOutsideRightHalfDisc ? 1 : 0;
}

/**
 * `size` samples from seed `seed`. Classes are balanced as in the reference, by rejection: sample i wants
 * class i mod 3 (the reference draws the wanted class at random, which balances only on average), and
 * points (x, y) uniform in [0, 1)² are drawn until one inside the big circle has that class.
 */
export function yinYang({ size, seed }: YinYangOptions): YinYangDataset {
  if (!Number.isSafeInteger(size) || size < 0) throw new DatasetError('size', size, 'an integer ≥ 0');
  if (!Number.isSafeInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 32) {
    throw new DatasetError('seed', seed, 'an integer in −2³¹..2³² − 1 (the generator takes 32 bits)');
  }
  const rng = xoroshiro128plus(seed);
  const features = new Float32Array(size * 4);
  const labels = new Int32Array(size);
  for (let s = 0; s < size; s++) {
    const wanted = s % 3;
    let x: number;
    let y: number;
    do {
      x = 2 * R_BIG * uniformFloat64(rng);
      y = 2 * R_BIG * uniformFloat64(rng);
    } while (Math.hypot(x - R_BIG, y - R_BIG) > R_BIG || yinYangClass(x, y) !== wanted);
    features.set([x, y, 1 - x, 1 - y], s * 4);
    labels[s] = wanted;
  }
  return { features, labels, size };
}
