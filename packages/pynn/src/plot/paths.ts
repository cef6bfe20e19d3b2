// SVG path data from d3-shape's line generator (it writes path strings without a DOM).
import { line } from 'd3-shape';

/** A path through points in pixels; `null` starts a new piece. */
export const linePath = line<readonly [number, number] | null>()
  .defined((p) => p !== null)
  .x((p) => p![0])
  .y((p) => p![1])
  .digits(2);

/** Vertical ticks from y0 to y1 at each x, as one path (spike marks). */
export function tickPath(xs: Iterable<number>, y0_px: number, y1_px: number): string {
  const points: ([number, number] | null)[] = [];
  for (const x of xs) points.push([x, y0_px], [x, y1_px], null);
  return linePath(points) ?? '';
}
