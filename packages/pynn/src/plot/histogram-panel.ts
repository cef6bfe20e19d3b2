// Histogram panels: several distributions over common bins (e.g. a parameter before and after calibration),
// overlaid with transparency, and vertical markers (a target value).
import { scaleLinear, scaleQuantize } from 'd3-scale';
import { bottomAxis, extentOf, leftAxis, leftAxisWidth_px, linearAxis, tickCountFor, usableDomain, withRange } from './axes.js';
import { PlotError } from './errors.js';
import { element } from './markup.js';
import { type LegendItem, type PanelBase, type PreparedPanel, checkFinite, checkedDomain, checkedHeight, panelGroup } from './panel.js';
import { categoricalColour, layout, plotColours } from './theme.js';

export interface HistogramSeries {
  readonly label?: string;
  readonly values: ArrayLike<number>;
  /** Default: the k-th categorical colour. */
  readonly colour?: string;
}

export interface HistogramMarker {
  readonly label?: string;
  readonly x: number;
  /** Default: the ink colour. */
  readonly colour?: string;
}

export interface HistogramPanel extends PanelBase {
  readonly kind: 'histogram';
  /** Default 'count'. */
  readonly yLabel?: string;
  readonly series: readonly HistogramSeries[];
  readonly markers?: readonly HistogramMarker[];
  /** About this many bins (default 30); bin edges fall on round numbers, as d3's bin() would put them. */
  readonly bins?: number;
}

export interface Bins {
  /** Left edge of bin 0 and right edge of the last bin. */
  readonly domain: readonly [number, number];
  /** Per series, the number of values in each bin; values outside the domain are not counted. */
  readonly counts: readonly number[][];
}

/** Equal bins with round edges, about `approximate` of them, covering every value (or the given domain). */
export function binValues(values: readonly ArrayLike<number>[], approximate: number, domain?: readonly [number, number]): Bins {
  const binScale = scaleLinear().domain(usableDomain(domain ?? extentOf(values))).nice(approximate);
  const [lo, hi] = binScale.domain() as [number, number];
  const edges = binScale.ticks(approximate);
  const n = edges.length < 2 ? 1 : Math.max(1, Math.round((hi - lo) / (edges[1]! - edges[0]!)));
  const binOf = scaleQuantize<number>().domain([lo, hi]).range(Array.from({ length: n }, (_, k) => k));
  const counts = values.map((series) => {
    const count = new Array<number>(n).fill(0);
    for (let i = 0; i < series.length; i++) {
      const v = series[i]!;
      if (v >= lo && v <= hi) count[binOf(v)]!++;
    }
    return count;
  });
  return { domain: [lo, hi], counts };
}

export function prepareHistogramPanel(spec: HistogramPanel, where: string): PreparedPanel {
  const plotHeight_px = checkedHeight(spec, layout.histogramHeight_px, where);
  const bins = spec.bins ?? 30;
  if (!(Number.isInteger(bins) && bins >= 1)) throw new PlotError(`${where}: bins must be a positive integer, got ${bins}`, { value: bins });
  spec.series.forEach((s, k) => checkFinite(s.values, `${where}, series ${s.label === undefined ? k : `'${s.label}'`}`));
  const markers = spec.markers ?? [];
  markers.forEach((m, k) => checkFinite([m.x], `${where}, marker ${m.label === undefined ? k : `'${m.label}'`}`));
  const xDomain = checkedDomain(spec.xDomain, where, 'xDomain');
  const { domain, counts } = binValues(
    spec.series.map((s) => s.values),
    bins,
    xDomain ?? extentOf([...spec.series.map((s) => s.values), markers.map((m) => m.x)]),
  );
  const yLabel = spec.yLabel ?? 'count';
  const y = linearAxis([0, Math.max(1, ...counts.flat())], [plotHeight_px, 0], tickCountFor(plotHeight_px, 35), { nice: true, integer: true });
  const legend: LegendItem[] = [
    ...spec.series.flatMap((s, k) => (s.label === undefined ? [] : [{ label: s.label, colour: s.colour ?? categoricalColour(k), shape: 'box' as const }])),
    ...markers.flatMap((m) => (m.label === undefined ? [] : [{ label: m.label, colour: m.colour ?? plotColours.ink, shape: 'line' as const }])),
  ];
  const prepared = { title: spec.title, marginLeft_px: leftAxisWidth_px(y, yLabel), plotHeight_px, legend: legend.length < 2 ? [] : legend };
  return {
    ...prepared,
    render(box) {
      const plotTop = box.plotTop_px;
      const x = linearAxis(domain, [box.left_px, box.left_px + box.width_px], tickCountFor(box.width_px, 90), { nice: false });
      // Bars stand on the frame's bottom edge; only the top keeps the inset.
      const yAxis = withRange(y, [plotTop + plotHeight_px, plotTop + layout.inset_px]);
      const [lo, hi] = domain;
      const width = (hi - lo) / (counts[0]?.length ?? 1);
      const body = [leftAxis(yAxis, box.left_px, box.width_px, yLabel)];
      spec.series.forEach((s, k) => {
        const colour = s.colour ?? categoricalColour(k);
        const bars = counts[k]!.flatMap((count, bin) => {
          if (count === 0) return [];
          const x0 = x.scale(lo + bin * width);
          const top = yAxis.scale(count);
          return [element('rect', { x: x0, y: top, width: x.scale(lo + (bin + 1) * width) - x0, height: yAxis.scale(0) - top })];
        });
        body.push(element('g', { class: 'series', 'data-label': s.label, fill: colour, 'fill-opacity': 0.65 }, ...bars));
      });
      for (const m of markers) {
        const at = x.scale(m.x);
        body.push(element('line', { class: 'marker', 'data-label': m.label, x1: at, x2: at, y1: plotTop, y2: plotTop + plotHeight_px, stroke: m.colour ?? plotColours.ink, 'stroke-width': 1.5 }));
      }
      body.push(bottomAxis(x, plotTop + plotHeight_px, spec.xLabel));
      return panelGroup(spec, box, prepared, body);
    },
  };
}
