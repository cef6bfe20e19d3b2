// Plots of experiment results on the plotting module (../plot): a spike raster (populations stacked, one colour
// each, one panel per segment) and membrane traces (one panel per population, neuron and variable).
import { type LinePanel, type RasterPanel, categoricalColour, svgFigure } from '../plot/index.js';
import type { ExperimentResults, SegmentResults } from './results.js';

const TIME_LABEL = 'time (ms)';
const TRACE_HEIGHT_px = 110;

/** A population keeps its colour across the raster and the traces: its position in the experiment. */
function colourOf(results: ExperimentResults, label: string): string {
  return categoricalColour(Math.max(0, results.populations.findIndex((p) => p.label === label)));
}

function segmentsToPlot(results: ExperimentResults, segment: number | undefined): SegmentResults[] {
  if (segment === undefined) return results.segments;
  const found = results.segments.find((s) => s.index === segment);
  if (found === undefined) throw new RangeError(`segment ${segment} does not exist; segments: ${results.segments.map((s) => s.index).join(', ') || 'none'}`);
  return [found];
}

/** The segment's time range; a zero-length segment still gets an axis. */
function timeDomain(segment: SegmentResults): readonly [number, number] {
  return [segment.t_start, Math.max(segment.t_stop, segment.t_start + 1e-9)];
}

function segmentSuffix(results: ExperimentResults, segment: SegmentResults): string {
  return results.segments.length > 1 ? `, segment ${segment.index}` : '';
}

/**
 * Spike raster of one segment (default: every segment, one panel each): populations that recorded spikes are
 * stacked in experiment order, one row per neuron, one colour per population; time in ms on the x axis.
 */
export function rasterPlot(results: ExperimentResults, segment?: number): string {
  const panels = segmentsToPlot(results, segment).map(
    (s): RasterPanel => ({
      kind: 'raster',
      ...(results.segments.length > 1 ? { title: `segment ${s.index}` } : {}),
      xLabel: TIME_LABEL,
      xDomain: timeDomain(s),
      emptyText: 'no spikes recorded',
      populations: results.populations.flatMap((p) => {
        const spikes = s.populations[p.label]?.spikes;
        return spikes === undefined ? [] : [{ label: p.label, detail: `${p.size} × ${p.cellType}`, spikes, colour: colourOf(results, p.label) }];
      }),
    }),
  );
  return svgFigure({ title: `${results.experiment}: spikes`, panels });
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
  if (signalCount(results, segment) === 0) return undefined;
  const panels: LinePanel[] = [];
  for (const s of segmentsToPlot(results, segment)) {
    for (const population of results.populations) {
      for (const signal of s.populations[population.label]?.signals ?? []) {
        panels.push({
          kind: 'line',
          title: `${population.label}[${signal.index}] ${signal.variable}${segmentSuffix(results, s)}`,
          xLabel: TIME_LABEL,
          yLabel: `${signal.variable} (${signal.units})`,
          xDomain: timeDomain(s),
          plotHeight_px: TRACE_HEIGHT_px,
          series: [{ x: signal.times, y: signal.values, colour: colourOf(results, population.label) }],
          data: { population: population.label, index: signal.index, variable: signal.variable },
        });
      }
    }
  }
  return svgFigure({ title: `${results.experiment}: recorded traces`, panels });
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
 * Traces straight from pynn's data (`getData().segments[k].analogsignals`): one panel each, time in ms from 0
 * (or the first sample, if earlier), the signal's units on the y axis, spike times (if given) as ticks above the trace.
 */
export function signalPlot(panels: readonly SignalPanel[], title = 'recorded traces'): string {
  return svgFigure({
    title,
    panels: panels.map((panel, k): LinePanel => {
      const { times, values } = panel.signal;
      const variable = panel.signal.variable ?? panel.signal.name ?? '';
      const t0 = times.length === 0 ? 0 : Math.min(0, times[0]!);
      const t1 = times.length === 0 ? 1 : times[times.length - 1]!;
      return {
        kind: 'line',
        title: panel.title,
        xLabel: TIME_LABEL,
        yLabel: `${variable} (${panel.signal.units})`,
        xDomain: [t0, Math.max(t1, t0 + 1e-9)],
        plotHeight_px: TRACE_HEIGHT_px,
        series: [{ x: times, y: values, colour: categoricalColour(k) }],
        ...(panel.spikes === undefined ? {} : { spikes: panel.spikes }),
        data: { variable },
      };
    }),
  });
}
