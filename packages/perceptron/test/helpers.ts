// Shared by the tests: seeded integer data and plain references.
import fc from 'fast-check';
import { tf } from '../src/index.js';

export const SEED = 1;

/** A batch × rows × columns problem with inputs 0..31 and weights −63..63. */
export interface Problem {
  readonly batch: number;
  readonly rows: number;
  readonly columns: number;
  readonly inputs: number[];
  readonly weights: number[];
}

export function problem({ maxBatch = 3, maxRows = 300, maxColumns = 40, inputMax = 31, weightMax = 63 } = {}): fc.Arbitrary<Problem> {
  return fc
    .record({ batch: fc.integer({ min: 1, max: maxBatch }), rows: fc.integer({ min: 1, max: maxRows }), columns: fc.integer({ min: 1, max: maxColumns }) })
    .chain(({ batch, rows, columns }) =>
      fc.record({
        batch: fc.constant(batch),
        rows: fc.constant(rows),
        columns: fc.constant(columns),
        inputs: fc.array(fc.integer({ min: 0, max: inputMax }), { minLength: batch * rows, maxLength: batch * rows }),
        weights: fc.array(fc.integer({ min: -weightMax, max: weightMax }), { minLength: rows * columns, maxLength: rows * columns }),
      }),
    );
}

/** Exact x·W (integers), batch × columns. */
export function exactProduct({ batch, rows, columns, inputs, weights }: Problem, firstRow = 0, endRow = rows): number[] {
  const out = new Array<number>(batch * columns).fill(0);
  for (let b = 0; b < batch; b++) for (let r = firstRow; r < endRow; r++) for (let c = 0; c < columns; c++) out[b * columns + c]! += inputs[b * rows + r]! * weights[r * columns + c]!;
  return out;
}

export const x2d = (p: Problem) => tf.tensor2d(p.inputs, [p.batch, p.rows]);
export const w2d = (p: Problem) => tf.tensor2d(p.weights, [p.rows, p.columns]);
export const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());
export const clampInt8 = (v: number): number => Math.min(127, Math.max(-128, v));
