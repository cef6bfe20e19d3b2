// The one look of every plot: colours, type sizes and the spacing around plot areas.

/** Tableau 10: distinguishable categorical colours; series and populations take them in order. */
const categorical = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'] as const;

export const plotColours = {
  categorical,
  /** For a reference series drawn behind the others (e.g. "before calibration"). */
  neutral: '#9d9d9d',
  ink: '#222',
  frame: '#333',
  muted: '#555',
  grid: '#e8e8e8',
} as const;

export function categoricalColour(k: number): string {
  return categorical[k % categorical.length]!;
}

export const fontSize_px = { heading: 15, title: 13, label: 12, tick: 11, note: 10 } as const;

export const layout = {
  figureWidth_px: 800,
  /** The figure's heading row. */
  heading_px: 34,
  /** A panel's title row above its plot area. */
  panelTitle_px: 24,
  /** Above a plot area whose panel has neither title nor legend. */
  untitled_px: 8,
  /** Tick labels and the axis label below a plot area. */
  xAxis_px: 40,
  panelGap_px: 12,
  right_px: 20,
  tickLength_px: 5,
  /** Data never touches the frame: extremes (a spike's peak) stay visible. */
  inset_px: 4,
  linePlotHeight_px: 150,
  histogramHeight_px: 120,
  rasterHeight_px: 320,
} as const;

/**
 * Width of a text, estimated (no DOM to measure it): sans-serif glyphs average about 0.6 em. Used only to make
 * room for labels, so a generous estimate is the safe side.
 */
export function textWidth_px(text: string, size_px: number): number {
  return text.length * 0.6 * size_px;
}
