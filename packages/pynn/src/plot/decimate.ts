// Long traces (an MADC trace has ~30 000 samples per millisecond of hardware time) drawn on a few hundred
// pixel columns: only the points that can change a pixel are kept.
import { PlotError } from './errors.js';

export interface Points {
  readonly x: number[];
  readonly y: number[];
}

/**
 * M4 aggregation (Jugel et al., "M4: a visualization-oriented time series data aggregation", VLDB 2014): the x
 * range is cut into `columns` equal columns and each column keeps its first, lowest, highest and last point, in
 * the original order. A line through them covers the same pixels as the full series, so a membrane trace keeps
 * every spike and reset. At most 4 · `columns` points; a series that short already is returned whole.
 */
export function decimateMinMax(x: ArrayLike<number>, y: ArrayLike<number>, columns: number): Points {
  if (x.length !== y.length) throw new PlotError(`decimateMinMax: ${x.length} x values but ${y.length} y values`);
  if (!Number.isInteger(columns) || columns < 1) throw new PlotError(`decimateMinMax: columns must be a positive integer, got ${columns}`, { value: columns });
  const n = x.length;
  if (n <= 4 * columns) return { x: Array.from(x), y: Array.from(y) };
  let x0 = Infinity;
  let x1 = -Infinity;
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, x[i]!);
    x1 = Math.max(x1, x[i]!);
  }
  const perX = x1 > x0 ? columns / (x1 - x0) : 0;
  const first = new Int32Array(columns).fill(-1);
  const last = new Int32Array(columns);
  const lowest = new Int32Array(columns);
  const highest = new Int32Array(columns);
  for (let i = 0; i < n; i++) {
    const c = Math.min(columns - 1, Math.floor((x[i]! - x0) * perX));
    if (first[c] === -1) {
      first[c] = lowest[c] = highest[c] = i;
    } else {
      if (y[i]! < y[lowest[c]!]!) lowest[c] = i;
      if (y[i]! > y[highest[c]!]!) highest[c] = i;
    }
    last[c] = i;
  }
  const kept: number[] = [];
  for (let c = 0; c < columns; c++) if (first[c] !== -1) kept.push(first[c]!, lowest[c]!, highest[c]!, last[c]!);
  const order = Int32Array.from(kept).sort();
  const out: { x: number[]; y: number[] } = { x: [], y: [] };
  for (let k = 0; k < order.length; k++) {
    if (k > 0 && order[k] === order[k - 1]) continue;
    out.x.push(x[order[k]!]!);
    out.y.push(y[order[k]!]!);
  }
  return out;
}
