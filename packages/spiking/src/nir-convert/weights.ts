// The weights of a synapse layer from a path of NIR's linear nodes: products of (out, in) matrices, row scales
// and sums, in float64 until the layer's float32 weights. The unit matrix stays implicit, so a single Linear's
// weights pass through unchanged (and big identity products cost nothing).
import type { NIRArray } from '../nir/array.js';

/** A dense row-major matrix [rows, cols] of float64; `identity` stands for the unit matrix. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array | 'identity';
}

/** `w · m` for w of shape [rows, inner]. */
export function multiply(w: Float64Array, rows: number, inner: number, m: Matrix): Matrix {
  if (m.data === 'identity') return { rows, cols: inner, data: Float64Array.from(w) };
  const out = new Float64Array(rows * m.cols);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < inner; k++) {
      const a = w[r * inner + k]!;
      if (a === 0) continue;
      for (let c = 0; c < m.cols; c++) out[r * m.cols + c]! += a * m.data[k * m.cols + c]!;
    }
  }
  return { rows, cols: m.cols, data: out };
}

/** The entries of `m`, the identity written out. */
function dense(m: Matrix): Float64Array {
  if (m.data !== 'identity') return m.data;
  const out = new Float64Array(m.rows * m.cols);
  for (let i = 0; i < m.rows; i++) out[i * m.cols + i] = 1;
  return out;
}

/** diag(s) · m; a scalar `s` (shape ()) scales every row. */
export function scaleRows(s: NIRArray, m: Matrix): Matrix {
  const data = dense(m).slice();
  for (let r = 0; r < m.rows; r++) {
    const factor = s.shape.length === 0 ? s.data[0]! : s.data[r]!;
    for (let c = 0; c < m.cols; c++) data[r * m.cols + c]! *= factor;
  }
  return { rows: m.rows, cols: m.cols, data };
}

/** a + b, same shape. */
export function add(a: Matrix, b: Matrix): Matrix {
  const x = dense(a);
  const y = dense(b);
  return { rows: a.rows, cols: a.cols, data: x.map((v, k) => v + y[k]!) };
}

/** diag(scale) · m as the float32 weights of a Synapse. */
export function foldRows(m: Matrix, scale: Float64Array): Float32Array {
  const data = dense(m);
  const out = new Float32Array(data.length);
  for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) out[r * m.cols + c] = data[r * m.cols + c]! * scale[r]!;
  return out;
}
