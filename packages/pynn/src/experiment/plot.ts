// Plots of experiment results as SVG text: a spike raster (populations stacked, one colour each) and membrane
// traces (one panel per population, neuron and variable). Platform-neutral string building; no DOM needed.
import type { ExperimentResults, SegmentResults } from './results.js';
import { decimate, escapeXml, linear, niceTicks, px } from './svg.js';

/** Tableau 10: distinguishable categorical colours, population k gets colour k mod 10. */
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

const WIDTH = 800;
const LEFT = 150;
const RIGHT = 24;
const PLOT_WIDTH = WIDTH - LEFT - RIGHT;
const TITLE_HEIGHT = 30;
const AXIS_HEIGHT = 40;
const RASTER_HEIGHT = 320;
const TRACE_HEIGHT = 110;
/** Room for a population's label and its size line. */
const MIN_BAND_HEIGHT = 30;
const FONT = 'font-family="sans-serif"';

function colourOf(results: ExperimentResults, label: string): string {
  const k = results.populations.findIndex((p) => p.label === label);
  return PALETTE[(k < 0 ? 0 : k) % PALETTE.length]!;
}

function segmentsToPlot(results: ExperimentResults, segment: number | undefined): SegmentResults[] {
  if (segment === undefined) return results.segments;
  const found = results.segments.find((s) => s.index === segment);
  if (found === undefined) throw new RangeError(`segment ${segment} does not exist; segments: ${results.segments.map((s) => s.index).join(', ') || 'none'}`);
  return [found];
}

/** The time axis under a panel whose plot area spans y0..y1: ticks, tick labels and the axis label. */
function timeAxis(t0: number, t1: number, y1: number): string {
  const x = linear(t0, t1, LEFT, LEFT + PLOT_WIDTH);
  const { ticks, decimals } = niceTicks(t0, t1, 8);
  const marks = ticks
    .map((t) => `<line x1="${px(x(t))}" x2="${px(x(t))}" y1="${px(y1)}" y2="${px(y1 + 5)}"/><text x="${px(x(t))}" y="${px(y1 + 17)}" text-anchor="middle">${t.toFixed(decimals)}</text>`)
    .join('');
  return `<g class="x-axis" stroke="#333" font-size="11">${marks}</g><text x="${px(LEFT + PLOT_WIDTH / 2)}" y="${px(y1 + 33)}" text-anchor="middle" font-size="12">time (ms)</text>`;
}

function frame(y0: number, height: number): string {
  return `<rect x="${LEFT}" y="${px(y0)}" width="${PLOT_WIDTH}" height="${px(height)}" fill="none" stroke="#333"/>`;
}

function svgDocument(width: number, height: number, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${px(height)}" viewBox="0 0 ${width} ${px(height)}" ${FONT}>`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

function rasterPanel(results: ExperimentResults, segment: SegmentResults, y0: number, title: string): { svg: string; height: number } {
  const rows = results.populations.filter((p) => segment.populations[p.label]?.spikes !== undefined);
  const neurons = rows.reduce((sum, p) => sum + p.size, 0);
  const rowHeight = neurons === 0 ? 0 : Math.min(14, Math.max(1.5, RASTER_HEIGHT / neurons));
  // Each band is tall enough for its two label lines; small populations get taller rows.
  const bands = rows.map((p) => Math.max(MIN_BAND_HEIGHT, p.size * rowHeight));
  const height = Math.max(MIN_BAND_HEIGHT, bands.reduce((sum, h) => sum + h, 0));
  const top = y0 + TITLE_HEIGHT;
  const x = linear(segment.t_start, Math.max(segment.t_stop, segment.t_start + 1e-9), LEFT, LEFT + PLOT_WIDTH);
  const parts = [`<text x="${LEFT}" y="${px(y0 + 20)}" font-size="14">${escapeXml(title)}</text>`];
  let bandTop = top;
  rows.forEach((population, k) => {
    const spikes = segment.populations[population.label]!.spikes!;
    const band = bands[k]!;
    const row = band / population.size;
    const path = spikes.flatMap((times, neuron) => times.map((t) => `M${px(x(t))} ${px(bandTop + (neuron + 0.1) * row)}v${px(row * 0.8)}`)).join('');
    const count = spikes.reduce((sum, times) => sum + times.length, 0);
    const colour = colourOf(results, population.label);
    const middle = bandTop + band / 2;
    parts.push(
      `<g class="population" data-label="${escapeXml(population.label)}" data-spikes="${count}">`,
      path === '' ? '' : `<path d="${path}" stroke="${colour}" stroke-width="1.2" fill="none"/>`,
      `<text x="${LEFT - 8}" y="${px(middle - 1)}" text-anchor="end" font-size="12" fill="${colour}">${escapeXml(population.label)}</text>`,
      `<text x="${LEFT - 8}" y="${px(middle + 11)}" text-anchor="end" font-size="10" fill="#555">${population.size} × ${escapeXml(population.cellType)}</text>`,
      k === 0 ? '' : `<line x1="${LEFT}" x2="${LEFT + PLOT_WIDTH}" y1="${px(bandTop)}" y2="${px(bandTop)}" stroke="#bbb"/>`,
      '</g>',
    );
    bandTop += band;
  });
  if (rows.length === 0) parts.push(`<text x="${px(LEFT + PLOT_WIDTH / 2)}" y="${px(top + height / 2 + 4)}" text-anchor="middle" font-size="12" fill="#555">no spikes recorded</text>`);
  parts.push(frame(top, height), timeAxis(segment.t_start, Math.max(segment.t_stop, segment.t_start + 1e-9), top + height));
  return { svg: `<g class="panel">${parts.join('')}</g>`, height: TITLE_HEIGHT + height + AXIS_HEIGHT };
}

/**
 * Spike raster of one segment (default: every segment, one panel each): populations that recorded spikes are
 * stacked in experiment order, one row per neuron, one colour per population; time in ms on the x axis.
 */
export function rasterPlot(results: ExperimentResults, segment?: number): string {
  const segments = segmentsToPlot(results, segment);
  const body: string[] = [];
  let y = 0;
  for (const s of segments) {
    const title = `${results.experiment}: spikes${results.segments.length > 1 ? `, segment ${s.index}` : ''}`;
    const panel = rasterPanel(results, s, y, title);
    body.push(panel.svg);
    y += panel.height + 10;
  }
  return svgDocument(WIDTH, y, `${results.experiment}: spike raster`, body);
}

/** Number of analog signals recorded (the panels tracePlot draws). */
export function signalCount(results: ExperimentResults, segment?: number): number {
  return segmentsToPlot(results, segment).reduce((sum, s) => sum + Object.values(s.populations).reduce((n, p) => n + p.signals.length, 0), 0);
}

/**
 * Recorded analog variables (membrane potential, adaptation, …): one panel per population, neuron and variable,
 * of one segment (default: every segment), with the variable's units on the y axis. Undefined when nothing
 * analog was recorded.
 */
export function tracePlot(results: ExperimentResults, segment?: number): string | undefined {
  const segments = segmentsToPlot(results, segment);
  if (signalCount(results, segment) === 0) return undefined;
  const body: string[] = [];
  let y = 0;
  for (const s of segments) {
    for (const population of results.populations) {
      for (const signal of s.populations[population.label]?.signals ?? []) {
        const title = `${population.label}[${signal.index}] ${signal.variable}${results.segments.length > 1 ? `, segment ${s.index}` : ''}`;
        const panel = tracePanel(y, title, signal, colourOf(results, population.label), s.t_start, s.t_stop, {
          population: population.label,
          index: signal.index,
        });
        body.push(panel.svg);
        y += panel.height;
      }
    }
  }
  return svgDocument(WIDTH, y, `${results.experiment}: recorded traces`, body);
}

/** A recorded signal as the trace panels take it: pynn's AnalogSignal fits. */
export interface TraceSignal {
  readonly times: ArrayLike<number>;
  readonly values: ArrayLike<number>;
  /** The variable, e.g. 'v'. */
  readonly name?: string;
  readonly variable?: string;
  readonly units: string;
}

/** One panel of `signalPlot`: a title, the signal, and optionally spike times marked above the trace. */
export interface SignalPanel {
  readonly title: string;
  readonly signal: TraceSignal;
  readonly spikes?: ArrayLike<number>;
}

/**
 * Traces straight from pynn's data (`getData().segments[k].analogsignals`): one panel each, time in ms, the
 * signal's units on the y axis, spike times (if given) as ticks above the trace.
 */
export function signalPlot(panels: readonly SignalPanel[], title = 'recorded traces'): string {
  const body: string[] = [];
  let y = 0;
  panels.forEach((panel, k) => {
    const times = Array.from(panel.signal.times);
    const t0 = times.length === 0 ? 0 : Math.min(0, times[0]!);
    const t1 = times.length === 0 ? 1 : times[times.length - 1]!;
    const drawn = tracePanel(y, panel.title, panel.signal, PALETTE[k % PALETTE.length]!, t0, t1, {}, panel.spikes);
    body.push(drawn.svg);
    y += drawn.height;
  });
  return svgDocument(WIDTH, Math.max(y, 1), title, body);
}

/** One trace panel starting at `y`: title, path, y axis with units, frame, time axis; spikes as ticks on top. */
function tracePanel(
  y: number,
  title: string,
  signal: TraceSignal,
  colour: string,
  t_start: number,
  t_stop: number,
  data: { population?: string; index?: number },
  spikes?: ArrayLike<number>,
): { svg: string; height: number } {
  const t1 = Math.max(t_stop, t_start + 1e-9);
  const x = linear(t_start, t1, LEFT, LEFT + PLOT_WIDTH);
  const top = y + TITLE_HEIGHT;
  const values = Array.from(signal.values);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (!(hi > lo)) {
    lo = (Number.isFinite(lo) ? lo : 0) - 1;
    hi = lo + 2;
  }
  const pad = (hi - lo) * 0.05;
  const v = linear(lo - pad, hi + pad, top + TRACE_HEIGHT, top);
  const { ticks, decimals } = niceTicks(lo - pad, hi + pad, 4);
  const [times, thinned] = decimate(Array.from(signal.times), values, t_start, t1, PLOT_WIDTH);
  const d = times.map((t, k) => `${k === 0 ? 'M' : 'L'}${px(x(t))} ${px(v(thinned[k]!))}`).join('');
  const variable = signal.variable ?? signal.name ?? '';
  const yTicks = ticks
    .map((value) => `<line x1="${LEFT - 5}" x2="${LEFT}" y1="${px(v(value))}" y2="${px(v(value))}"/><text x="${LEFT - 8}" y="${px(v(value) + 4)}" text-anchor="end" stroke="none">${value.toFixed(decimals)}</text>`)
    .join('');
  const spikeMarks = spikes === undefined ? '' : Array.from(spikes, (t) => `M${px(x(t))} ${px(top + 1)}v6`).join('');
  const attributes = `${data.population === undefined ? '' : ` data-population="${escapeXml(data.population)}"`}${data.index === undefined ? '' : ` data-index="${data.index}"`} data-variable="${escapeXml(variable)}"`;
  const svg =
    `<g class="panel"${attributes}>` +
    `<text x="${LEFT}" y="${px(y + 20)}" font-size="13">${escapeXml(title)}</text>` +
    (d === '' ? '' : `<path d="${d}" stroke="${colour}" stroke-width="1" fill="none"/>`) +
    (spikeMarks === '' ? '' : `<path class="spikes" d="${spikeMarks}" stroke="#222" stroke-width="1.5" fill="none"/>`) +
    `<g class="y-axis" stroke="#333" font-size="11">${yTicks}</g>` +
    `<text transform="translate(${LEFT - 62} ${px(top + TRACE_HEIGHT / 2)}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(`${variable} (${signal.units})`)}</text>` +
    frame(top, TRACE_HEIGHT) +
    timeAxis(t_start, t1, top + TRACE_HEIGHT) +
    '</g>';
  return { svg, height: TITLE_HEIGHT + TRACE_HEIGHT + AXIS_HEIGHT + 10 };
}
