// Plots as SVG text for every front end and tool (the `bss2` CLI, experiment files, the lab): d3-scale for
// scales and ticks, d3-shape for paths, no DOM and no Node built-ins, one look.
export { svgFigure, svgLinePlot, svgRaster, svgHistogram, type Panel, type FigureOptions, type SinglePlotOptions } from './figure.js';
export type { LinePanel, LineSeries } from './line-panel.js';
export type { RasterPanel, RasterPopulation } from './raster-panel.js';
export { binValues, type HistogramPanel, type HistogramSeries, type HistogramMarker, type Bins } from './histogram-panel.js';
export type { PanelBase } from './panel.js';
export { decimateMinMax, type Points } from './decimate.js';
export { escapeXml } from './markup.js';
export { plotColours, categoricalColour } from './theme.js';
export { PlotError } from './errors.js';
