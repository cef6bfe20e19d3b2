// Invariants of the plotting module over random data: decimation keeps the extremes within its bound, ticks
// cover the data, histograms count every value once, and any data and any label give well-formed SVG.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binValues, decimateMinMax, svgLinePlot, svgRaster } from '../src/plot/index.js';
import { box, byClass, byName, parseSvg, pathPoints, tickValues } from './support/svg-xml.js';

/** Finite values on many scales (a membrane in mV, a rate in Hz, a time constant in s). */
const scaledValues = (options: { minLength: number; maxLength: number }) =>
  fc
    .tuple(fc.integer({ min: -6, max: 6 }), fc.array(fc.double({ min: -1000, max: 1000, noNaN: true }), options))
    .map(([exponent, values]) => values.map((v) => v * 10 ** exponent));

describe('decimateMinMax', () => {
  it('keeps the global min and max, both ends and the order, within 4 points per column', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 3000 }),
        fc.integer({ min: 1, max: 300 }),
        fc.boolean(),
        (values, columns, irregular) => {
          // Regular sampling, or irregular with repeated times.
          const times = values.map((_, k) => (irregular ? Math.floor(k / 3) + (k % 7) / 10 : k));
          times.sort((a, b) => a - b);
          const { x, y } = decimateMinMax(times, values, columns);
          expect(x).toHaveLength(y.length);
          expect(x.length).toBeLessThanOrEqual(Math.min(values.length, 4 * columns));
          expect(Math.min(...y)).toBe(Math.min(...values));
          expect(Math.max(...y)).toBe(Math.max(...values));
          expect([x[0], y[0]]).toEqual([times[0], values[0]]);
          expect([x.at(-1), y.at(-1)]).toEqual([times.at(-1), values.at(-1)]);
          // A subsequence of the input: each kept point found after the previous one.
          let from = 0;
          for (let k = 0; k < x.length; k++) {
            let i = from;
            while (i < times.length && !(times[i] === x[k] && values[i] === y[k])) i++;
            expect(i).toBeLessThan(times.length);
            from = i + 1;
          }
        },
      ),
      { seed: 0xdec1, numRuns: 200 },
    );
  });

  it('a trace of 100 000 samples becomes at most a few thousand points with every spike peak', () => {
    const times = Array.from({ length: 100_000 }, (_, k) => k / 30);
    const values = times.map((t, k) => (k % 9973 === 0 ? 20 : -65 + Math.sin(t)));
    const { y } = decimateMinMax(times, values, 626);
    expect(y.length).toBeLessThanOrEqual(4 * 626);
    expect(y.filter((v) => v === 20)).toHaveLength(values.filter((v) => v === 20).length);
  });
});

describe('line plots of random data', () => {
  it('are well-formed, keep the series inside the frame, and have distinct ticks covering the data', () => {
    fc.assert(
      fc.property(scaledValues({ minLength: 0, maxLength: 200 }), fc.double({ min: 0, max: 1e4, noNaN: true }), fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (values, t0, dt) => {
        const times = values.map((_, k) => t0 + k * dt);
        const svg = parseSvg(svgLinePlot({ title: 'random', xLabel: 'time (ms)', yLabel: 'v (mV)', series: [{ x: times, y: values }] }));
        if (values.length === 0) return;
        const yTicks = tickValues(byClass(svg, 'y-axis')[0]!);
        const xTicks = tickValues(byClass(svg, 'x-axis')[0]!);
        for (const [ticks, data] of [
          [yTicks, values],
          [xTicks, times],
        ] as const) {
          expect(ticks.length).toBeGreaterThanOrEqual(2);
          expect(new Set(ticks).size).toBe(ticks.length);
          const step = ticks[1]! - ticks[0]!;
          // Tick labels are rounded to the step's precision; allow for that, nothing more.
          const slack = Math.abs(step) * 1e-6 + Math.max(...data.map(Math.abs)) * 1e-12;
          expect(ticks[0]!).toBeLessThanOrEqual(Math.min(...data) + slack);
          expect(ticks.at(-1)!).toBeGreaterThanOrEqual(Math.max(...data) - slack);
        }
        const frame = box(byClass(svg, 'frame')[0]!);
        const points = values.length === 1 ? byName(svg, 'circle').map((c) => [Number(c.attributes.cx), Number(c.attributes.cy)]) : pathPoints(byClass(svg, 'series')[0]!.attributes.d!);
        expect(points.length).toBeGreaterThan(0);
        for (const [x, y] of points) {
          expect(x!).toBeGreaterThanOrEqual(frame.x0 - 0.01);
          expect(x!).toBeLessThanOrEqual(frame.x1 + 0.01);
          expect(y!).toBeGreaterThanOrEqual(frame.y0);
          expect(y!).toBeLessThanOrEqual(frame.y1);
        }
      }),
      { seed: 0x71c5, numRuns: 300 },
    );
  });

  it('any label text round-trips through escaping', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 20 }), (label, units) => {
        const svg = parseSvg(svgRaster({ title: label, xLabel: units, populations: [{ label, detail: units, spikes: [[1, 2]] }] }));
        const unescape = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
        // Characters XML cannot hold at all come back as U+FFFD.
        const storable = label.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd');
        expect(unescape(byName(svg, 'title')[0]!.text)).toBe(storable);
        expect(unescape(byClass(svg, 'population')[0]!.attributes['data-label']!)).toBe(storable);
      }),
      { seed: 0xe5c, numRuns: 150 },
    );
  });
});

describe('binValues', () => {
  it('counts every value exactly once, in the bin whose edges hold it', () => {
    fc.assert(
      fc.property(fc.array(scaledValues({ minLength: 0, maxLength: 300 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 60 }), (series, bins) => {
        const { domain, counts } = binValues(series, bins);
        const [lo, hi] = domain;
        const n = counts[0]!.length;
        const width = (hi - lo) / n;
        series.forEach((values, s) => {
          expect(counts[s]!.reduce((a, b) => a + b, 0)).toBe(values.length);
          for (const v of values) {
            expect(v).toBeGreaterThanOrEqual(lo);
            expect(v).toBeLessThanOrEqual(hi);
          }
          // Below each inner edge: the values left of it, give or take those within rounding of the edge.
          const slack = width * 1e-9;
          let below = 0;
          for (let edge = 1; edge < n; edge++) {
            below += counts[s]![edge - 1]!;
            const at = lo + edge * width;
            expect(below).toBeGreaterThanOrEqual(values.filter((v) => v < at - slack).length);
            expect(below).toBeLessThanOrEqual(values.filter((v) => v < at + slack).length);
          }
        });
      }),
      { seed: 0xb1, numRuns: 200 },
    );
  });
});
