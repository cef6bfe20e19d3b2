// Line panels: one or more series over a shared x axis (membrane traces, sweeps), optionally with event times
// (spikes) as ticks along the top.
import { type Domain, bottomAxis, extentOf, leftAxis, leftAxisWidth_px, linearAxis, tickCountFor, withRange } from './axes.js';
import { decimateMinMax } from './decimate.js';
import { PlotError } from './errors.js';
import { element, text } from './markup.js';
import { linePath, tickPath } from './paths.js';
import { type LegendItem, type PanelBase, type PreparedPanel, checkFinite, checkedDomain, checkedHeight, panelGroup } from './panel.js';
import { categoricalColour, fontSize_px, layout, plotColours } from './theme.js';

export interface LineSeries {
  /** Shown in the legend (drawn when the panel has several labelled series). */
  readonly label?: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  /** Default: the k-th categorical colour. */
  readonly colour?: string;
}

export interface LinePanel extends PanelBase {
  readonly kind: 'line';
  readonly yLabel?: string;
  /** Default: the data's extent widened to round ticks. */
  readonly yDomain?: Domain;
  readonly series: readonly LineSeries[];
  /** Event times (e.g. a neuron's spikes, in x units) drawn as ticks along the top of the plot area. */
  readonly spikes?: ArrayLike<number>;
}

export function prepareLinePanel(spec: LinePanel, where: string): PreparedPanel {
  const plotHeight_px = checkedHeight(spec, layout.linePlotHeight_px, where);
  spec.series.forEach((s, k) => {
    const name = `${where}, series ${s.label === undefined ? k : `'${s.label}'`}`;
    if (s.x.length !== s.y.length) throw new PlotError(`${name}: ${s.x.length} x values but ${s.y.length} y values`, { value: [s.x.length, s.y.length] });
    checkFinite(s.x, `${name}: x`);
    checkFinite(s.y, `${name}: y`);
  });
  if (spec.spikes !== undefined) checkFinite(spec.spikes, `${where}: spikes`);
  const xDomain = checkedDomain(spec.xDomain, where, 'xDomain');
  const yDomain = checkedDomain(spec.yDomain, where, 'yDomain');
  // Ticks (and so the margin their labels need) depend on the height only; render() moves the axis into place.
  const y = linearAxis(yDomain ?? extentOf(spec.series.map((s) => s.y)), [plotHeight_px, 0], tickCountFor(plotHeight_px, 35), { nice: yDomain === undefined });
  const empty = spec.series.every((s) => s.x.length === 0);
  const legend: LegendItem[] = spec.series.length < 2 ? [] : spec.series.flatMap((s, k) => (s.label === undefined ? [] : [{ label: s.label, colour: s.colour ?? categoricalColour(k), shape: 'line' as const }]));
  const prepared = { title: spec.title, marginLeft_px: leftAxisWidth_px(y, spec.yLabel), plotHeight_px, legend };
  return {
    ...prepared,
    render(box) {
      const plotTop = box.plotTop_px;
      const x = linearAxis(xDomain ?? extentOf(spec.series.map((s) => s.x)), [box.left_px, box.left_px + box.width_px], tickCountFor(box.width_px, 90), { nice: xDomain === undefined });
      const yAxis = withRange(y, [plotTop + plotHeight_px - layout.inset_px, plotTop + layout.inset_px]);
      const columns = Math.max(1, Math.round(box.width_px));
      const body = [leftAxis(yAxis, box.left_px, box.width_px, spec.yLabel)];
      spec.series.forEach((s, k) => {
        const colour = s.colour ?? categoricalColour(k);
        const label = s.label === undefined ? {} : { 'data-label': s.label };
        if (s.x.length === 1) {
          body.push(element('circle', { class: 'series', ...label, cx: x.scale(s.x[0]!), cy: yAxis.scale(s.y[0]!), r: 2.5, fill: colour }));
          return;
        }
        const points = decimateMinMax(s.x, s.y, columns);
        const d = linePath(points.x.map((t, i) => [x.scale(t), yAxis.scale(points.y[i]!)] as const));
        if (d !== null && d !== '') body.push(element('path', { class: 'series', ...label, d, stroke: colour, 'stroke-width': 1.2, fill: 'none', 'stroke-linejoin': 'round' }));
      });
      const [t0, t1] = x.scale.domain() as [number, number];
      const inside = Array.from(spec.spikes ?? []).filter((t) => t >= t0 && t <= t1);
      if (inside.length > 0) {
        body.push(element('path', { class: 'spikes', d: tickPath(inside.map((t) => x.scale(t)), plotTop + 1, plotTop + 7), stroke: plotColours.ink, 'stroke-width': 1.5, fill: 'none' }));
      }
      if (empty) body.push(text({ x: box.left_px + box.width_px / 2, y: plotTop + plotHeight_px / 2 + 4, 'text-anchor': 'middle', 'font-size': fontSize_px.label, fill: plotColours.muted }, 'no data'));
      body.push(bottomAxis(x, plotTop + plotHeight_px, spec.xLabel));
      return panelGroup(spec, box, prepared, body);
    },
  };
}
