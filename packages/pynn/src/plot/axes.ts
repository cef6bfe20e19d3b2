// Linear axes on d3-scale: extents, nice domains and ticks, and the SVG of the axes themselves.
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import { element, px, text } from './markup.js';
import { fontSize_px, layout, plotColours, textWidth_px } from './theme.js';

export type Domain = readonly [number, number];

/** Smallest and largest value over all arrays; undefined when they are all empty. */
export function extentOf(arrays: Iterable<ArrayLike<number>>): Domain | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const values of arrays) {
    for (let i = 0; i < values.length; i++) {
      lo = Math.min(lo, values[i]!);
      hi = Math.max(hi, values[i]!);
    }
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/** Below this span d3's tick steps (powers of ten) underflow to 0 and an axis gets no ticks. */
const MIN_SPAN = 1e-200;

/**
 * A domain a scale can divide by: no data gives [0, 1]; one value v (or a span lost in v's rounding, or too
 * small for ticks) gives v ± max(1, |v|/10), so a single point or a constant trace sits in the middle of the plot.
 */
export function usableDomain(domain: Domain | undefined): Domain {
  if (domain === undefined) return [0, 1];
  const [lo, hi] = domain;
  if (hi - lo > Math.max(MIN_SPAN, 1e-9 * Math.max(Math.abs(lo), Math.abs(hi)))) return domain;
  const half = Math.max(1, Math.abs(lo) / 10);
  return [lo - half, hi + half];
}

/** About one tick per `spacing_px` of axis (callers use 90 px across, 35 px up), at least two. */
export function tickCountFor(length_px: number, spacing_px: number): number {
  return Math.max(2, Math.round(length_px / spacing_px));
}

export interface Axis {
  readonly scale: ScaleLinear<number, number>;
  readonly ticks: readonly number[];
  readonly format: (value: number) => string;
}

export interface AxisOptions {
  /** Widen the domain to round tick values (so ticks cover the data); otherwise keep it and clamp to it. */
  readonly nice: boolean;
  /** Only whole-number ticks (counts). */
  readonly integer?: boolean;
}

export function linearAxis(domain: Domain | undefined, range: readonly [number, number], tickCount: number, options: AxisOptions): Axis {
  const [lo, hi] = usableDomain(domain);
  // A nice step of at least 1 (1, 2, 5, 10, …) needs no more ticks than the span has units.
  const count = options.integer === true ? Math.max(1, Math.min(tickCount, Math.floor(hi - lo))) : tickCount;
  const scale = scaleLinear().domain([lo, hi]).range(range);
  if (options.nice) scale.nice(count);
  else scale.clamp(true);
  const ticks = scale.ticks(count);
  return { scale, ticks, format: tickFormat(scale, count, ticks) };
}

/**
 * Fixed notation with the step's decimals (d3's default) reads best, until it needs more than 6 decimals or
 * 10 digits; then exponent notation, with as many digits as tell the largest tick from its neighbour. (d3's own
 * precision for 'e' can lose one to rounding at extreme exponents, giving two ticks one label.)
 */
function tickFormat(scale: ScaleLinear<number, number>, count: number, ticks: readonly number[]): (value: number) => string {
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : 1;
  const largest = Math.max(...scale.domain().map(Math.abs));
  if (step >= 1e-6 && largest < 1e9) return scale.tickFormat(count);
  const decade = (x: number) => Math.floor(Math.log10(x) + 1e-9);
  return scale.tickFormat(count, `.${Math.max(0, decade(largest) - decade(step))}~e`);
}

/** The same axis (domain, ticks, format) drawn over another pixel range. */
export function withRange(axis: Axis, range: readonly [number, number]): Axis {
  return { ...axis, scale: axis.scale.copy().range(range) };
}

function widestTickLabel_px(axis: Axis): number {
  return Math.max(0, ...axis.ticks.map((t) => textWidth_px(axis.format(t), fontSize_px.tick)));
}

/** Room the y axis needs left of the plot area: tick labels, and the rotated axis label when there is one. */
export function leftAxisWidth_px(axis: Axis, label: string | undefined): number {
  return layout.tickLength_px + 4 + widestTickLabel_px(axis) + (label === undefined ? 0 : 8 + fontSize_px.label) + 6;
}

/** Ticks, tick labels and the label below a plot area whose bottom edge is at `y_px`. */
export function bottomAxis(axis: Axis, y_px: number, label: string | undefined): string {
  const marks = axis.ticks.map((t) => {
    const x = axis.scale(t);
    return (
      element('line', { x1: x, x2: x, y1: y_px, y2: y_px + layout.tickLength_px, stroke: plotColours.frame }) +
      text({ x, y: y_px + layout.tickLength_px + fontSize_px.tick + 2, 'text-anchor': 'middle' }, axis.format(t))
    );
  });
  const [x0, x1] = axis.scale.range() as [number, number];
  return (
    element('g', { class: 'x-axis', 'font-size': fontSize_px.tick, fill: plotColours.ink }, ...marks) +
    (label === undefined ? '' : text({ class: 'x-label', x: (x0 + x1) / 2, y: y_px + layout.xAxis_px - 5, 'text-anchor': 'middle', 'font-size': fontSize_px.label, fill: plotColours.ink }, label))
  );
}

/** Ticks, tick labels, light grid lines across the plot area and the rotated label, left of `x_px`. */
export function leftAxis(axis: Axis, x_px: number, width_px: number, label: string | undefined): string {
  const grid = axis.ticks.map((t) => element('line', { x1: x_px, x2: x_px + width_px, y1: axis.scale(t), y2: axis.scale(t) }));
  const marks = axis.ticks.map((t) => {
    const y = axis.scale(t);
    return (
      element('line', { x1: x_px - layout.tickLength_px, x2: x_px, y1: y, y2: y, stroke: plotColours.frame }) +
      text({ x: x_px - layout.tickLength_px - 3, y: y + fontSize_px.tick * 0.35, 'text-anchor': 'end' }, axis.format(t))
    );
  });
  const [y0, y1] = axis.scale.range() as [number, number];
  const labelX = x_px - layout.tickLength_px - 4 - widestTickLabel_px(axis) - 8;
  return (
    element('g', { class: 'grid', stroke: plotColours.grid }, ...grid) +
    element('g', { class: 'y-axis', 'font-size': fontSize_px.tick, fill: plotColours.ink }, ...marks) +
    (label === undefined
      ? ''
      : text({ class: 'y-label', transform: `translate(${px(labelX)} ${px((y0 + y1) / 2)}) rotate(-90)`, 'text-anchor': 'middle', 'font-size': fontSize_px.label, fill: plotColours.ink }, label))
  );
}
