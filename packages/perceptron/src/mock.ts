// The mock of the analog MAC (hardware.md §11.2, hxtorch's mock mode): per 128-row block
// floor(x·W·numSends·gain + N(0, σ)), clamped to int8; the caller sums the blocks and clamps again.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { PerceptronValueError } from './errors.js';
import { type MacDevice, type MacOptions, type MacRequest, type MacResult, blockCount } from './device.js';
import { BLOCK_ROWS, DEFAULT_MOCK_GAIN, DEFAULT_MOCK_NOISE_STD, OUTPUT_MAX, OUTPUT_MIN } from './limits.js';
import { checkRequest, macOptions } from './validate.js';
import { seededGenerator } from './random.js';

export interface MockParameter {
  /** Output LSB per (input × weight) LSB and send; hxtorch's default 0.002. */
  readonly gain: number;
  /** σ of the Gaussian noise added to every output of every block, in output LSB; default 2. */
  readonly noiseStd: number;
  /** Seed of the noise (xoroshiro128+); default 0. */
  readonly seed: number;
}

export function mockParameter(op: string, parameter: Partial<MockParameter> = {}): MockParameter {
  const { gain = DEFAULT_MOCK_GAIN, noiseStd = DEFAULT_MOCK_NOISE_STD, seed = 0 } = parameter;
  if (!(Number.isFinite(gain) && gain > 0)) throw new PerceptronValueError(op, 'gain', gain, 'a finite number > 0 (output LSB per input·weight LSB per send)');
  if (!(Number.isFinite(noiseStd) && noiseStd >= 0)) throw new PerceptronValueError(op, 'noiseStd', noiseStd, 'a finite standard deviation ≥ 0 (output LSB)');
  if (!(Number.isSafeInteger(seed) && seed >= -(2 ** 31) && seed < 2 ** 32)) {
    throw new PerceptronValueError(op, 'seed', seed, 'an integer in −2³¹..2³² − 1 (the generator takes 32 bits)');
  }
  return { gain, noiseStd, seed };
}

/** Standard normal numbers by Box–Muller from a seeded xoroshiro128+, the second of each pair kept. */
function standardNormal(seed: number): () => number {
  const rng = seededGenerator(seed);
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const z = spare;
      spare = undefined;
      return z;
    }
    // In (0, 1]: the logarithm needs u > 0.
    const radius = Math.sqrt(-2 * Math.log(1 - uniformFloat64(rng)));
    const angle = 2 * Math.PI * uniformFloat64(rng);
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

/**
 * The mock as a device: a `MacDevice` that computes each block itself. Deterministic per seed: the noise is drawn
 * block by block, then row-major (batch, column), so equal call sequences give equal results.
 */
export function mockDevice(parameter: Partial<MockParameter> = {}): MacDevice & { readonly parameter: MockParameter } {
  const checked = mockParameter('mockDevice', parameter);
  const normal = standardNormal(checked.seed);
  return {
    parameter: checked,
    async multiply(request: MacRequest, options: MacOptions): Promise<MacResult> {
      checkRequest('mockDevice.multiply', request);
      const { numSends } = macOptions('mockDevice.multiply', options);
      return { blocks: mockBlocks(request, numSends * checked.gain, checked.noiseStd, normal) };
    },
  };
}

function mockBlocks({ inputs, weights, batch, rows, columns }: MacRequest, scale: number, noiseStd: number, normal: () => number): Int8Array[] {
  const blocks: Int8Array[] = [];
  const sums = new Float64Array(columns);
  for (let block = 0; block < blockCount(rows); block++) {
    const out = new Int8Array(batch * columns);
    const firstRow = block * BLOCK_ROWS;
    const endRow = Math.min(rows, firstRow + BLOCK_ROWS);
    for (let b = 0; b < batch; b++) {
      sums.fill(0);
      // Integer products: the sums are exact in float64 (|x·w| ≤ 31·63, at most 128 rows).
      for (let r = firstRow; r < endRow; r++) {
        const x = inputs[b * rows + r]!;
        if (x === 0) continue;
        const row = r * columns;
        for (let c = 0; c < columns; c++) sums[c]! += x * weights[row + c]!;
      }
      const base = b * columns;
      for (let c = 0; c < columns; c++) {
        const value = Math.floor(sums[c]! * scale + (noiseStd === 0 ? 0 : noiseStd * normal()));
        out[base + c] = value < OUTPUT_MIN ? OUTPUT_MIN : value > OUTPUT_MAX ? OUTPUT_MAX : value;
      }
    }
    blocks.push(out);
  }
  return blocks;
}
