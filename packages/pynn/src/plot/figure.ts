// A figure: a heading and panels in a grid, sharing one left margin so the x axes of stacked panels line up.
import { PlotError } from './errors.js';
import { element, escapeXml, px, text } from './markup.js';
import { type HistogramPanel, prepareHistogramPanel } from './histogram-panel.js';
import { type LinePanel, prepareLinePanel } from './line-panel.js';
import { type LegendItem, type PreparedPanel, legendGroup, panelName } from './panel.js';
import { type RasterPanel, prepareRasterPanel } from './raster-panel.js';
import { fontSize_px, layout, plotColours } from './theme.js';

export type Panel = LinePanel | RasterPanel | HistogramPanel;

export interface FigureOptions {
  /** The document's title and heading. */
  readonly title: string;
  readonly panels: readonly Panel[];
  /** Default 800. */
  readonly width_px?: number;
  /** Panels per row, filled left to right (default 1). */
  readonly columns?: number;
}

function prepare(panel: Panel, index: number): PreparedPanel {
  const where = panelName(panel, index);
  switch (panel.kind) {
    case 'line':
      return prepareLinePanel(panel, where);
    case 'raster':
      return prepareRasterPanel(panel, where);
    case 'histogram':
      return prepareHistogramPanel(panel, where);
  }
}

function sameLegend(a: readonly LegendItem[], b: readonly LegendItem[]): boolean {
  return a.length === b.length && a.every((item, k) => item.label === b[k]!.label && item.colour === b[k]!.colour && item.shape === b[k]!.shape);
}

/**
 * The figure as SVG text: a standalone document (no DOM, no external fonts or styles). A legend that every
 * panel shares is drawn once, in the heading row.
 */
export function svgFigure(options: FigureOptions): string {
  const width_px = options.width_px ?? layout.figureWidth_px;
  const columns = options.columns ?? 1;
  if (!(Number.isInteger(columns) && columns >= 1)) throw new PlotError(`columns must be a positive integer, got ${columns}`, { value: columns });
  const prepared = options.panels.map(prepare);
  const marginLeft_px = Math.max(12, ...prepared.map((p) => p.marginLeft_px));
  const cell_px = width_px / columns;
  const plotWidth_px = cell_px - marginLeft_px - layout.right_px;
  if (!(plotWidth_px >= 40)) {
    throw new PlotError(`width_px ${width_px} leaves ${Math.floor(plotWidth_px)} px per plot area (${columns} column(s), ${Math.ceil(marginLeft_px)} px of labels): at least 40 px are needed`, { value: width_px });
  }
  const shared = prepared.length > 0 && prepared[0]!.legend.length > 0 && prepared.every((p) => sameLegend(p.legend, prepared[0]!.legend)) ? prepared[0]!.legend : undefined;
  const body: string[] = [];
  let top_px = layout.heading_px;
  for (let row = 0; row * columns < prepared.length; row++) {
    const cells = prepared.slice(row * columns, (row + 1) * columns);
    // One title row per grid row, so plot areas side by side start at the same height.
    const titled = cells.some((p) => p.title !== undefined || (shared === undefined && p.legend.length > 0));
    const plotTop_px = top_px + (titled ? layout.panelTitle_px : layout.untitled_px);
    cells.forEach((panel, column) => body.push(panel.render({ plotTop_px, left_px: column * cell_px + marginLeft_px, width_px: plotWidth_px, showLegend: shared === undefined })));
    top_px = plotTop_px + Math.max(...cells.map((p) => p.plotHeight_px)) + layout.xAxis_px + layout.panelGap_px;
  }
  if (prepared.length === 0) {
    body.push(text({ x: width_px / 2, y: top_px + 24, 'text-anchor': 'middle', 'font-size': fontSize_px.label, fill: plotColours.muted }, 'nothing to plot'));
    top_px += 40;
  }
  const height_px = Math.ceil(top_px);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px(width_px)}" height="${height_px}" viewBox="0 0 ${px(width_px)} ${height_px}" font-family="sans-serif">`,
    `<title>${escapeXml(options.title)}</title>`,
    element('rect', { width: '100%', height: '100%', fill: 'white' }),
    text({ class: 'figure-title', x: 12, y: 22, 'font-size': fontSize_px.heading, fill: plotColours.ink }, options.title),
    shared === undefined ? '' : legendGroup(shared, width_px - layout.right_px, 17),
    ...body,
    '</svg>',
  ]
    .filter((line) => line !== '')
    .join('\n')
    .concat('\n');
}

/** Options of the one-panel shortcuts: the panel's fields, and the document's title and size. */
export interface SinglePlotOptions {
  readonly title: string;
  readonly width_px?: number;
  /** The whole document's height (default: the panel's own). */
  readonly height_px?: number;
}

/** The plot-area height that makes a one-panel figure `height_px` tall (its panel has no title row). */
function plotHeightFor(height_px: number | undefined): number | undefined {
  if (height_px === undefined) return undefined;
  const chrome_px = layout.heading_px + layout.untitled_px + layout.xAxis_px + layout.panelGap_px;
  if (!(height_px - chrome_px >= 10)) throw new PlotError(`height_px ${height_px} leaves no room for a plot: at least ${chrome_px + 10} px are needed`, { value: height_px });
  return height_px - chrome_px;
}

function single(options: SinglePlotOptions, panel: Panel): string {
  return svgFigure({ title: options.title, panels: [panel], ...(options.width_px === undefined ? {} : { width_px: options.width_px }) });
}

/** One line panel: `svgLinePlot({ title, xLabel, yLabel, series: [{ label, x, y }] })`. */
export function svgLinePlot(options: SinglePlotOptions & Omit<LinePanel, 'kind' | 'title' | 'plotHeight_px'>): string {
  const { title: _title, width_px: _width, height_px, ...panel } = options;
  return single(options, { ...panel, kind: 'line', plotHeight_px: plotHeightFor(height_px) });
}

/** One spike raster: `svgRaster({ title, xLabel, populations: [{ label, spikes: [[t, …], …] }] })`. */
export function svgRaster(options: SinglePlotOptions & Omit<RasterPanel, 'kind' | 'title' | 'plotHeight_px'>): string {
  const { title: _title, width_px: _width, height_px, ...panel } = options;
  return single(options, { ...panel, kind: 'raster', plotHeight_px: plotHeightFor(height_px) });
}

/** One histogram: `svgHistogram({ title, xLabel, series: [{ label, values }], markers: [{ label, x }] })`. */
export function svgHistogram(options: SinglePlotOptions & Omit<HistogramPanel, 'kind' | 'title' | 'plotHeight_px'>): string {
  const { title: _title, width_px: _width, height_px, ...panel } = options;
  return single(options, { ...panel, kind: 'histogram', plotHeight_px: plotHeightFor(height_px) });
}
