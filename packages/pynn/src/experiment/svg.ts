// Small pieces for writing SVG as text (no DOM, so the core stays platform-neutral): escaping, linear scales,
// "nice" axis ticks and per-pixel min/max decimation of long traces.

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A coordinate with at most two decimals (keeps files small; sub-pixel detail is invisible). */
export function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Maps [d0, d1] linearly onto [r0, r1]. */
export function linear(d0: number, d1: number, r0: number, r1: number): (value: number) => number {
  const scale = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (value) => r0 + (value - d0) * scale;
}

/** Ticks at multiples of 1, 2 or 5 × 10^k inside [lo, hi], about `count` of them, and their decimals. */
export function niceTicks(lo: number, hi: number, count: number): { ticks: number[]; decimals: number } {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return { ticks: [lo], decimals: 0 };
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const ticks: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) ticks.push(Number((k * step).toFixed(decimals)));
  return { ticks, decimals };
}

/**
 * Points of a trace to draw on `pixels` columns: all of them when few, else per column the first, minimum,
 * maximum and last sample in time order, so spikes and resets survive the reduction.
 */
export function decimate(times: readonly number[], values: readonly number[], t0: number, t1: number, pixels: number): [number[], number[]] {
  if (times.length <= 4 * pixels) return [[...times], [...values]];
  const column = (t: number) => Math.min(pixels - 1, Math.max(0, Math.floor(((t - t0) / (t1 - t0 || 1)) * pixels)));
  const keep = new Set<number>();
  let start = 0;
  for (let k = 1; k <= times.length; k++) {
    if (k < times.length && column(times[k]!) === column(times[start]!)) continue;
    let lo = start;
    let hi = start;
    for (let j = start; j < k; j++) {
      if (values[j]! < values[lo]!) lo = j;
      if (values[j]! > values[hi]!) hi = j;
    }
    keep.add(start).add(lo).add(hi).add(k - 1);
    start = k;
  }
  const order = [...keep].sort((a, b) => a - b);
  return [order.map((k) => times[k]!), order.map((k) => values[k]!)];
}
