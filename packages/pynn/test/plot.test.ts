// The plotting module: well-formed standalone SVG, escaped text, sensible plots of empty and single-point data,
// clear errors for data it cannot draw, one legend when every panel shares it.
import { describe, expect, it } from 'vitest';
import { PlotError, binValues, escapeXml, svgFigure, svgHistogram, svgLinePlot, svgRaster } from '../src/plot/index.js';
import { box, byClass, byName, findAll, parseSvg, pathPoints, tickValues } from './support/svg-xml.js';

const unescape = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

describe('escapeXml', () => {
  it('escapes markup and both quotes, and replaces characters XML forbids', () => {
    expect(escapeXml(`a<b>&"c"'d'`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;');
    expect(escapeXml('bell\u0007tab\tnl\n')).toBe('bell\ufffdtab\tnl\n');
    expect(escapeXml('&amp;')).toBe('&amp;amp;');
  });
});

describe('svgLinePlot', () => {
  const nasty = `<script>alert("x")</script> & 'co'`;

  it('is a standalone SVG document whose every label is escaped', () => {
    const text = svgLinePlot({ title: nasty, xLabel: `t < ${nasty}`, yLabel: 'v & w', series: [{ label: nasty, x: [0, 1, 2], y: [3, 1, 2] }, { label: 'b', x: [0, 2], y: [0, 4] }] });
    expect(text.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(text).not.toContain('<script>');
    const svg = parseSvg(text);
    expect(unescape(byName(svg, 'title')[0]!.text)).toBe(nasty);
    expect(unescape(byClass(svg, 'figure-title')[0]!.text)).toBe(nasty);
    expect(unescape(byClass(svg, 'x-label')[0]!.text)).toBe(`t < ${nasty}`);
    expect(unescape(byClass(svg, 'y-label')[0]!.text)).toBe('v & w');
    expect(byClass(svg, 'series').map((s) => unescape(s.attributes['data-label']!))).toEqual([nasty, 'b']);
    // Two labelled series: a legend naming both, once.
    expect(byName(byClass(svg, 'legend')[0]!, 'text').map((t) => unescape(t.text))).toEqual([nasty, 'b']);
  });

  it('draws every point of a short series, through the frame, in order', () => {
    const svg = parseSvg(svgLinePlot({ title: 't', series: [{ x: [0, 5, 10], y: [0, 10, 5] }] }));
    const frame = box(byClass(svg, 'frame')[0]!);
    const points = pathPoints(byClass(svg, 'series')[0]!.attributes.d!);
    expect(points).toHaveLength(3);
    expect(points[0]![0]).toBeCloseTo(frame.x0, 1);
    expect(points[2]![0]).toBeCloseTo(frame.x1, 1);
    expect(points[1]![1]).toBeLessThan(points[2]![1]);
    for (const [x, y] of points) {
      expect(x).toBeGreaterThanOrEqual(frame.x0);
      expect(x).toBeLessThanOrEqual(frame.x1);
      expect(y).toBeGreaterThan(frame.y0);
      expect(y).toBeLessThan(frame.y1);
    }
  });

  it('says "no data" for no series or only empty ones, with axes still drawn', () => {
    for (const series of [[], [{ x: [], y: [] }]]) {
      const svg = parseSvg(svgLinePlot({ title: 'empty', series }));
      expect(findAll(svg, (e) => e.text === 'no data')).toHaveLength(1);
      expect(byClass(svg, 'series')).toHaveLength(0);
      expect(tickValues(byClass(svg, 'x-axis')[0]!).length).toBeGreaterThanOrEqual(2);
    }
  });

  it('draws a single point as a dot in the middle of axes around it', () => {
    const svg = parseSvg(svgLinePlot({ title: 'one', series: [{ x: [3], y: [-70] }] }));
    const dot = byName(svg, 'circle')[0]!;
    const frame = box(byClass(svg, 'frame')[0]!);
    expect(Number(dot.attributes.cx)).toBeCloseTo((frame.x0 + frame.x1) / 2, 0);
    expect(Number(dot.attributes.cy)).toBeCloseTo((frame.y0 + frame.y1) / 2, 0);
    expect(tickValues(byClass(svg, 'y-axis')[0]!)).toContain(-70);
    expect(tickValues(byClass(svg, 'x-axis')[0]!)).toContain(3);
  });

  it('marks spikes as ticks along the top, leaving out those outside the x domain', () => {
    const svg = parseSvg(svgLinePlot({ title: 's', xDomain: [0, 10], series: [{ x: [0, 10], y: [0, 1] }], spikes: [2, 4, 12] }));
    const frame = box(byClass(svg, 'frame')[0]!);
    const ticks = pathPoints(byClass(svg, 'spikes')[0]!.attributes.d!);
    expect(ticks).toHaveLength(4);
    for (const [, y] of ticks) expect(y - frame.y0).toBeLessThan(10);
  });

  it('clamps data outside a given y domain to the frame', () => {
    const svg = parseSvg(svgLinePlot({ title: 'c', yDomain: [0, 1], series: [{ x: [0, 1, 2], y: [0.5, 5, -5] }] }));
    const frame = box(byClass(svg, 'frame')[0]!);
    for (const [, y] of pathPoints(byClass(svg, 'series')[0]!.attributes.d!)) {
      expect(y).toBeGreaterThanOrEqual(frame.y0);
      expect(y).toBeLessThanOrEqual(frame.y1);
    }
  });

  it('rejects data it cannot draw with a PlotError naming the place', () => {
    expect(() => svgLinePlot({ title: 't', series: [{ label: 'v', x: [0, 1], y: [0] }] })).toThrow(PlotError);
    expect(() => svgLinePlot({ title: 't', series: [{ label: 'v', x: [0, 1], y: [0] }] })).toThrow(/series 'v': 2 x values but 1 y values/);
    expect(() => svgLinePlot({ title: 't', series: [{ x: [0, 1, 2], y: [0, NaN, 1] }] })).toThrow(/series 0: y\[1\] is NaN/);
    expect(() => svgLinePlot({ title: 't', series: [], xDomain: [2, 1] })).toThrow(/xDomain must be two finite numbers, lower first/);
    expect(() => svgLinePlot({ title: 't', series: [], width_px: 50 })).toThrow(/width_px 50 leaves/);
    expect(() => svgLinePlot({ title: 't', series: [], height_px: 20 })).toThrow(/height_px 20 leaves no room/);
    expect(() => svgLinePlot({ title: 't', series: [], data: { 'Bad key': 1 } })).toThrow(/data attribute name 'Bad key'/);
  });

  it('keeps to the asked document height', () => {
    const svg = parseSvg(svgLinePlot({ title: 't', series: [{ x: [0, 1], y: [0, 1] }], width_px: 500, height_px: 300 }));
    expect([svg.attributes.width, svg.attributes.height]).toEqual(['500', '300']);
  });
});

describe('svgRaster', () => {
  it('one tick per spike inside the x domain, the count of all of them, one colour per population', () => {
    const svg = parseSvg(
      svgRaster({
        title: 'r',
        xDomain: [0, 50],
        populations: [
          { label: 'a<b', detail: '2 × X', spikes: [[1, 2], [60]] },
          { label: 'c', spikes: [[10]] },
          { label: 'silent', spikes: [[], []] },
        ],
      }),
    );
    const groups = byClass(svg, 'population');
    expect(groups.map((g) => [unescape(g.attributes['data-label']!), g.attributes['data-spikes']])).toEqual([
      ['a<b', '3'],
      ['c', '1'],
      ['silent', '0'],
    ]);
    expect(groups.map((g) => byName(g, 'path').map((p) => pathPoints(p.attributes.d!).length))).toEqual([[4], [2], []]);
    expect(new Set(groups.slice(0, 2).map((g) => byName(g, 'path')[0]!.attributes.stroke)).size).toBe(2);
  });

  it('a single spike gets a sensible axis around it; no populations say so', () => {
    const one = parseSvg(svgRaster({ title: 'one', populations: [{ label: 'p', spikes: [[7]] }] }));
    const ticks = tickValues(byClass(one, 'x-axis')[0]!);
    expect(Math.min(...ticks)).toBeLessThanOrEqual(7);
    expect(Math.max(...ticks)).toBeGreaterThanOrEqual(7);
    const none = parseSvg(svgRaster({ title: 'none', populations: [], emptyText: 'no spikes recorded' }));
    expect(findAll(none, (e) => e.text === 'no spikes recorded')).toHaveLength(1);
  });
});

describe('svgHistogram and binValues', () => {
  it('counts every value once, in bins with round edges that cover them', () => {
    const values = [0.3, 1.7, 2.2, 2.2, 9.9];
    const { domain, counts } = binValues([values], 10);
    expect(domain).toEqual([0, 10]);
    expect(counts[0]).toEqual([1, 1, 2, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('bins identical values in one bin of a domain around them', () => {
    const { domain, counts } = binValues([[5, 5, 5]], 30);
    expect(domain[0]).toBeLessThan(5);
    expect(domain[1]).toBeGreaterThan(5);
    expect(counts[0]!.reduce((a, b) => a + b, 0)).toBe(3);
    expect(counts[0]!.filter((c) => c > 0)).toEqual([3]);
  });

  it('draws bars on the frame bottom, bar heights by count, a marker and whole-number count ticks', () => {
    const svg = parseSvg(svgHistogram({ title: 'h', xLabel: 'mV', series: [{ label: 'before', values: [1, 2, 2, 3, 3, 3] }, { label: 'after', values: [2, 2] }], markers: [{ label: 'target', x: 2 }], bins: 3 }));
    const frame = box(byClass(svg, 'frame')[0]!);
    const before = byName(byClass(svg, 'series')[0]!, 'rect').map(box);
    expect(before.map((b) => Math.round(b.y1))).toEqual(before.map(() => Math.round(frame.y1)));
    const heights = before.map((b) => b.y1 - b.y0);
    expect(heights[1]! / heights[0]!).toBeCloseTo(2, 1);
    expect(heights[2]! / heights[0]!).toBeCloseTo(3, 1);
    expect(byClass(svg, 'marker')).toHaveLength(1);
    for (const t of tickValues(byClass(svg, 'y-axis')[0]!)) expect(Number.isInteger(t)).toBe(true);
    expect(byName(byClass(svg, 'legend')[0]!, 'text').map((t) => t.text)).toEqual(['before', 'after', 'target']);
  });

  it('an empty histogram is a frame with axes; a non-finite value is a PlotError', () => {
    expect(() => parseSvg(svgHistogram({ title: 'h', series: [{ values: [] }] }))).not.toThrow();
    expect(() => svgHistogram({ title: 'h', series: [{ label: 'x', values: [1, Infinity] }] })).toThrow(/series 'x'\[1\] is Infinity/);
    expect(() => svgHistogram({ title: 'h', series: [], bins: 0 })).toThrow(/bins must be a positive integer/);
  });
});

describe('svgFigure', () => {
  const histogram = (title: string, labels: string[]) => ({ kind: 'histogram' as const, title, series: labels.map((label, k) => ({ label, values: [k, k + 1] })) });

  it('lays panels out in a grid with one shared left margin, and a shared legend once in the heading', () => {
    const svg = parseSvg(svgFigure({ title: 'f', columns: 2, width_px: 900, panels: [histogram('a', ['x', 'y']), histogram('b', ['x', 'y']), histogram('c', ['x', 'y'])] }));
    const frames = byClass(svg, 'frame').map(box);
    expect(frames).toHaveLength(3);
    expect(frames[0]!.y0).toBe(frames[1]!.y0);
    expect(frames[2]!.y0).toBeGreaterThan(frames[0]!.y1);
    expect(frames[1]!.x0 - frames[0]!.x0).toBe(450);
    expect(frames[2]!.x0).toBe(frames[0]!.x0);
    expect(byClass(svg, 'legend')).toHaveLength(1);
    expect(Number(svg.attributes.height)).toBeGreaterThan(frames[2]!.y1);
  });

  it('draws different legends per panel', () => {
    const svg = parseSvg(svgFigure({ title: 'f', panels: [histogram('a', ['x', 'y']), histogram('b', ['x', 'z'])] }));
    expect(byClass(svg, 'legend')).toHaveLength(2);
  });

  it('says so when there is nothing to plot; rejects a bad column count', () => {
    expect(findAll(parseSvg(svgFigure({ title: 'f', panels: [] })), (e) => e.text === 'nothing to plot')).toHaveLength(1);
    expect(() => svgFigure({ title: 'f', panels: [], columns: 0 })).toThrow(/columns must be a positive integer, got 0/);
  });
});
