// What every panel shares: the fields common to its spec, its place in the figure, and the chrome around its
// plot area (title, legend, frame).
import type { Domain } from './axes.js';
import { PlotError } from './errors.js';
import { dataAttributes, element, text } from './markup.js';
import { fontSize_px, plotColours, textWidth_px } from './theme.js';

export interface PanelBase {
  /** Shown above the plot area. */
  readonly title?: string;
  readonly xLabel?: string;
  /**
   * The x range shown, e.g. a segment's t_start..t_stop. Default: the data's extent widened to round ticks.
   * Line and raster panels keep it as given (data outside is clamped or left out); histograms widen it to whole bins.
   */
  readonly xDomain?: Domain;
  /** Height of the plot area (without title and x axis). */
  readonly plotHeight_px?: number;
  /** `data-<key>` attributes on the panel's group, for tools and tests that read the SVG. */
  readonly data?: Readonly<Record<string, string | number>>;
}

/** Where the figure puts a panel's plot area (its title row lies above). */
export interface PanelBox {
  readonly plotTop_px: number;
  readonly left_px: number;
  readonly width_px: number;
  /** False when the figure draws this legend once for all panels. */
  readonly showLegend: boolean;
}

/** A panel whose vertical layout is known; the figure asks for its room, then places it. */
export interface PreparedPanel {
  readonly title: string | undefined;
  /** Room needed left of the plot area (tick labels, axis label, row labels). */
  readonly marginLeft_px: number;
  readonly plotHeight_px: number;
  /** What the colours mean (empty: nothing to explain). */
  readonly legend: readonly LegendItem[];
  render(box: PanelBox): string;
}

export interface LegendItem {
  readonly label: string;
  readonly colour: string;
  /** A filled box (bars, areas) or a short line (traces, markers). */
  readonly shape: 'box' | 'line';
}

export function checkedHeight(spec: PanelBase, fallback_px: number, where: string): number {
  const height = spec.plotHeight_px ?? fallback_px;
  if (!(Number.isFinite(height) && height >= 10)) throw new PlotError(`${where}: plotHeight_px must be at least 10, got ${height}`, { value: height });
  return height;
}

export function checkedDomain(domain: Domain | undefined, where: string, name: 'xDomain' | 'yDomain'): Domain | undefined {
  if (domain === undefined) return undefined;
  const [lo, hi] = domain;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi >= lo)) throw new PlotError(`${where}: ${name} must be two finite numbers, lower first; got [${lo}, ${hi}]`, { value: domain });
  return domain;
}

/** Every value finite, or a PlotError naming where the first bad one sits. */
export function checkFinite(values: ArrayLike<number>, where: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new PlotError(`${where}[${i}] is ${values[i]}; plots take finite numbers only`, { value: values[i] });
  }
}

/** "panel 'title'" or "panel 3", for error messages. */
export function panelName(spec: PanelBase, index: number): string {
  return spec.title === undefined ? `panel ${index}` : `panel '${spec.title}'`;
}

/** Legend items right-aligned to `right_px`, centred on the line `y_px`, in reading order. */
export function legendGroup(items: readonly LegendItem[], right_px: number, y_px: number): string {
  const swatch_px = 14;
  const gap_px = 12;
  const widths = items.map((item) => swatch_px + textWidth_px(item.label, fontSize_px.note));
  let x = right_px - widths.reduce((sum, w) => sum + w, 0) - gap_px * (items.length - 1);
  const parts = items.map((item, k) => {
    const swatch =
      item.shape === 'box'
        ? element('rect', { x, y: y_px - 4, width: 10, height: 8, fill: item.colour })
        : element('line', { x1: x, x2: x + 10, y1: y_px, y2: y_px, stroke: item.colour, 'stroke-width': 2 });
    const label = text({ x: x + swatch_px, y: y_px + 4 }, item.label);
    x += widths[k]! + gap_px;
    return swatch + label;
  });
  return element('g', { class: 'legend', 'font-size': fontSize_px.note, fill: plotColours.ink }, ...parts);
}

/**
 * A panel's group: title and legend above the plot area, the axes and content, and the frame drawn last so it
 * stays on top of bars and traces.
 */
export function panelGroup(spec: PanelBase, box: PanelBox, prepared: Pick<PreparedPanel, 'plotHeight_px' | 'legend'>, body: readonly string[]): string {
  const titleY = box.plotTop_px - 8;
  return element(
    'g',
    { class: 'panel', ...dataAttributes(spec.data) },
    spec.title === undefined ? '' : text({ class: 'panel-title', x: box.left_px, y: titleY, 'font-size': fontSize_px.title, fill: plotColours.ink }, spec.title),
    box.showLegend && prepared.legend.length > 0 ? legendGroup(prepared.legend, box.left_px + box.width_px, titleY - 4) : '',
    ...body,
    element('rect', { class: 'frame', x: box.left_px, y: box.plotTop_px, width: box.width_px, height: prepared.plotHeight_px, fill: 'none', stroke: plotColours.frame }),
  );
}
