// Raster panels: populations stacked as bands, one row per neuron, one tick per spike, one colour per population.
import { bottomAxis, extentOf, linearAxis, tickCountFor } from './axes.js';
import { element, text } from './markup.js';
import { tickPath } from './paths.js';
import { type PanelBase, type PreparedPanel, checkFinite, checkedDomain, checkedHeight, panelGroup } from './panel.js';
import { categoricalColour, fontSize_px, layout, plotColours, textWidth_px } from './theme.js';

export interface RasterPopulation {
  /** Shown left of the band, in the population's colour. */
  readonly label: string;
  /** A second, smaller line under the label (e.g. "64 × IF_curr_exp"). */
  readonly detail?: string;
  /** Spike times per neuron, in x units; index = row within the band. */
  readonly spikes: readonly ArrayLike<number>[];
  /** Default: the k-th categorical colour. */
  readonly colour?: string;
}

export interface RasterPanel extends PanelBase {
  readonly kind: 'raster';
  readonly populations: readonly RasterPopulation[];
  /** Shown instead of bands when there are no populations. */
  readonly emptyText?: string;
}

/** Room for a band's two label lines, however few neurons it has. */
const MIN_BAND_px = 30;
/** Rows between these heights: one neuron stays visible among thousands, a lone one does not fill the panel. */
const ROW_px = { min: 1.5, max: 14 } as const;

export function prepareRasterPanel(spec: RasterPanel, where: string): PreparedPanel {
  const wanted_px = checkedHeight(spec, layout.rasterHeight_px, where);
  spec.populations.forEach((p) => p.spikes.forEach((times, neuron) => checkFinite(times, `${where}, population '${p.label}', neuron ${neuron}`)));
  const xDomain = checkedDomain(spec.xDomain, where, 'xDomain');
  const neurons = spec.populations.reduce((sum, p) => sum + p.spikes.length, 0);
  const row_px = neurons === 0 ? 0 : Math.min(ROW_px.max, Math.max(ROW_px.min, wanted_px / neurons));
  const bands_px = spec.populations.map((p) => Math.max(MIN_BAND_px, p.spikes.length * row_px));
  const plotHeight_px = Math.max(MIN_BAND_px, bands_px.reduce((sum, h) => sum + h, 0));
  const labelWidth_px = Math.max(30, ...spec.populations.map((p) => Math.max(textWidth_px(p.label, fontSize_px.label), textWidth_px(p.detail ?? '', fontSize_px.note))));
  const prepared = { title: spec.title, marginLeft_px: labelWidth_px + 12, plotHeight_px, legend: [] };
  return {
    ...prepared,
    render(box) {
      const plotTop = box.plotTop_px;
      const x = linearAxis(xDomain ?? extentOf(spec.populations.flatMap((p) => p.spikes)), [box.left_px, box.left_px + box.width_px], tickCountFor(box.width_px, 90), { nice: xDomain === undefined });
      const [t0, t1] = x.scale.domain() as [number, number];
      const body: string[] = [];
      let bandTop = plotTop;
      spec.populations.forEach((population, k) => {
        const band_px = bands_px[k]!;
        const neuronRow_px = population.spikes.length === 0 ? 0 : band_px / population.spikes.length;
        const colour = population.colour ?? categoricalColour(k);
        const middle = bandTop + band_px / 2;
        let count = 0;
        const marks: string[] = [];
        population.spikes.forEach((times, neuron) => {
          count += times.length;
          const shown = Array.from(times).filter((t) => t >= t0 && t <= t1).map((t) => x.scale(t));
          if (shown.length > 0) marks.push(tickPath(shown, bandTop + (neuron + 0.1) * neuronRow_px, bandTop + (neuron + 0.9) * neuronRow_px));
        });
        body.push(
          element(
            'g',
            { class: 'population', 'data-label': population.label, 'data-spikes': String(count) },
            marks.length === 0 ? '' : element('path', { d: marks.join(''), stroke: colour, 'stroke-width': 1.2, fill: 'none' }),
            text({ x: box.left_px - 8, y: middle - 1, 'text-anchor': 'end', 'font-size': fontSize_px.label, fill: colour }, population.label),
            population.detail === undefined ? '' : text({ x: box.left_px - 8, y: middle + 11, 'text-anchor': 'end', 'font-size': fontSize_px.note, fill: plotColours.muted }, population.detail),
            k === 0 ? '' : element('line', { x1: box.left_px, x2: box.left_px + box.width_px, y1: bandTop, y2: bandTop, stroke: plotColours.grid }),
          ),
        );
        bandTop += band_px;
      });
      if (spec.populations.length === 0) {
        body.push(text({ x: box.left_px + box.width_px / 2, y: plotTop + plotHeight_px / 2 + 4, 'text-anchor': 'middle', 'font-size': fontSize_px.label, fill: plotColours.muted }, spec.emptyText ?? 'no data'));
      }
      body.push(bottomAxis(x, plotTop + plotHeight_px, spec.xLabel));
      return panelGroup(spec, box, prepared, body);
    },
  };
}
