// Plots of a LabResults with uPlot: one chart per trace (long MADC traces stay fast), a spike raster per
// population and segment (points only), and the derived series.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { LabRaster, LabResults, LabSeries, LabTrace } from '../src/experiment.js';

/** Tableau 10, as pynn's SVG plots. */
const COLOURS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** What was drawn, for tests: per chart its title and the number of points per series. */
export interface PlottedChart {
  readonly kind: 'trace' | 'raster' | 'series';
  readonly title: string;
  readonly points: number[];
}

/** A chart as wide as its container (within 280..1060 px: narrow phones to the page's width). */
export function chartWidth(container: HTMLElement): number {
  return Math.max(280, Math.min(1060, container.clientWidth || 900));
}

// Raster height: uPlot's height counts the axes too (≈ 110 px here: the time axis, its label, padding); each neuron
// row gets at least RASTER_ROW_PX, the plot area at least RASTER_MIN_PLOT_PX (a single neuron is no flat strip), and
// large populations stop growing at RASTER_MAX_PLOT_PX.
const RASTER_AXES_PX = 110;
const RASTER_ROW_PX = 26;
const RASTER_MIN_PLOT_PX = 90;
const RASTER_MAX_PLOT_PX = 900;

/** The raster chart's height for `rows` neurons, px. */
export function rasterHeight(rows: number): number {
  return RASTER_AXES_PX + Math.min(RASTER_MAX_PLOT_PX, Math.max(RASTER_MIN_PLOT_PX, RASTER_ROW_PX * rows));
}

function figure(container: HTMLElement, title: string): HTMLElement {
  const box = document.createElement('figure');
  box.className = 'plot';
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', title);
  const heading = document.createElement('h3');
  heading.textContent = title;
  box.append(heading);
  container.append(box);
  return box;
}

function traceChart(container: HTMLElement, trace: LabTrace, colour: string, plotted: PlottedChart[]): uPlot {
  const box = figure(container, trace.label);
  const data: uPlot.AlignedData = [Float64Array.from(trace.times_ms), Float64Array.from(trace.values)];
  plotted.push({ kind: 'trace', title: trace.label, points: [trace.values.length] });
  return new uPlot(
    {
      width: chartWidth(container),
      height: 220,
      scales: { x: { time: false } },
      axes: [{ label: 'time (ms)' }, { label: `${trace.variable} (${trace.units === 'dimensionless' ? 'MADC LSB' : trace.units})`, size: 70 }],
      series: [{ label: 't (ms)' }, { label: trace.label, stroke: colour, width: 1, points: { show: false } }],
      legend: { show: true },
    },
    data,
    box,
  );
}

function rasterChart(container: HTMLElement, raster: LabRaster, duration_ms: number, plotted: PlottedChart[]): uPlot {
  const box = figure(container, `${raster.label}: spikes`);
  const times = [...new Set(raster.spikes_ms.flat())].sort((a, b) => a - b);
  const index = new Map(times.map((t, k) => [t, k]));
  const rows = raster.spikes_ms.map((spikes, neuron) => {
    const row: (number | null)[] = times.map(() => null);
    for (const t of spikes) row[index.get(t)!] = neuron;
    return row;
  });
  plotted.push({ kind: 'raster', title: raster.label, points: raster.spikes_ms.map((s) => s.length) });
  const noLine = (): null => null;
  return new uPlot(
    {
      width: chartWidth(container),
      height: rasterHeight(raster.spikes_ms.length),
      scales: { x: { time: false, range: [0, duration_ms] }, y: { range: [-0.5, raster.spikes_ms.length - 0.5] } },
      // Neuron indices only: whole-number ticks, no 2.5.
      axes: [{ label: 'time (ms)' }, { label: 'neuron', size: 50, incrs: [1, 2, 5, 10, 20, 50, 100, 200], values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')) }],
      series: [{ label: 't (ms)' }, ...rows.map((_, neuron) => ({ label: `${neuron}`, stroke: COLOURS[neuron % COLOURS.length]!, paths: noLine, points: { show: true, size: 7, fill: COLOURS[neuron % COLOURS.length]! } }))],
      legend: { show: raster.spikes_ms.length <= 16 },
    },
    [times, ...rows] as uPlot.AlignedData,
    box,
  );
}

function seriesChart(container: HTMLElement, series: LabSeries, plotted: PlottedChart[]): uPlot {
  const box = figure(container, series.title);
  const others = series.others ?? [];
  plotted.push({ kind: 'series', title: series.title, points: [series.y.length, ...others.map((o) => o.y.length)] });
  return new uPlot(
    {
      width: chartWidth(container),
      height: 220,
      scales: { x: { time: false } },
      axes: [{ label: series.xLabel }, { label: series.yLabel, size: 70 }],
      series: [
        { label: series.xLabel },
        { label: series.label ?? series.yLabel, stroke: COLOURS[2]!, width: 2, points: { show: true, size: 6 } },
        ...others.map((o, k) => ({ label: o.label, stroke: COLOURS[(3 + k) % COLOURS.length]!, width: 2, points: { show: true, size: 6 } })),
      ],
    },
    [series.x, series.y, ...others.map((o) => o.y)],
    box,
  );
}

/** Keeps every chart as wide as its figure when the window (a phone turned, a resized window) changes width. */
export function resizeWithWindow(charts: readonly uPlot[]): void {
  let pending = false;
  window.addEventListener('resize', () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      for (const chart of charts) {
        // uPlot's root sits in its <figure>, the figure in the plots' container the width was taken from.
        const container = chart.root.parentElement?.parentElement;
        if (container?.isConnected === true) chart.setSize({ width: chartWidth(container), height: chart.height });
      }
    });
  });
}

/** Replaces the content of `container` with the plots of `results`; returns what was drawn. */
export function plotResults(container: HTMLElement, results: LabResults, charts: uPlot[]): PlottedChart[] {
  for (const chart of charts.splice(0)) chart.destroy();
  container.replaceChildren();
  const plotted: PlottedChart[] = [];
  const duration_ms = Math.max(1, ...results.traces.map((t) => t.times_ms.at(-1) ?? 0), ...results.rasters.flatMap((r) => r.spikes_ms.flat()));
  results.series.forEach((s) => charts.push(seriesChart(container, s, plotted)));
  results.traces.forEach((t, k) => charts.push(traceChart(container, t, COLOURS[k % COLOURS.length]!, plotted)));
  results.rasters.forEach((r) => charts.push(rasterChart(container, r, duration_ms, plotted)));
  if (plotted.length === 0) {
    const empty = document.createElement('p');
    empty.textContent = 'The experiment recorded nothing to plot.';
    container.append(empty);
  }
  return plotted;
}
