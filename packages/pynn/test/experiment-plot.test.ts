// SVG plots of experiment results: well-formed XML, one spike mark per spike, one panel per recorded signal,
// axes with ticks, peaks of long traces kept. The plotting module itself is tested in plot.test.ts.
import { describe, expect, it } from 'vitest';
import { rasterPlot, signalCount, signalPlot, tracePlot } from '../src/experiment/plot.js';
import type { ExperimentResults } from '../src/experiment/results.js';
import { box, byClass, findAll as all, parseSvg as parseXml, pathPoints, tickValues } from './support/svg-xml.js';

/** Results with `segments` segments: an input source (spikes), 'exc & co' neurons (spikes, one v trace), inh with nothing recorded. */
function results(segments = 1): ExperimentResults {
  return {
    experiment: 'test <&>',
    setup: { calibration: 'nominal' },
    chip: { kind: 'in-process', chipSeed: 1 },
    populations: [
      { label: 'input', size: 3, cellType: 'SpikeSourceArray' },
      { label: 'exc & co', size: 2, cellType: 'IF_curr_exp' },
      { label: 'inh', size: 2, cellType: 'IF_curr_exp' },
    ],
    segments: Array.from({ length: segments }, (_, index) => ({
      index,
      t_start: 0,
      t_stop: 100,
      populations: {
        input: { spikes: [[1, 2, 3], [], [50]], signals: [] },
        'exc & co': {
          spikes: [[10.5], [20, 90]],
          signals: [
            {
              variable: 'v',
              units: 'mV',
              index: 1,
              times: Array.from({ length: 3000 }, (_, k) => k / 30),
              values: Array.from({ length: 3000 }, (_, k) => (k % 700 === 699 ? -50 : -65 + (k % 700) / 100)),
              sampling_period: 1 / 30,
              device: 'madc' as const,
            },
          ],
        },
      },
    })),
    statistics: null,
    durations: { build_s: 0, schedule_s: 0, data_s: 0, total_s: 0 },
  };
}

describe('rasterPlot', () => {
  it('is well-formed SVG with one path per population that spiked and one mark per spike', () => {
    const svg = parseXml(rasterPlot(results()));
    expect(svg.attributes.xmlns).toBe('http://www.w3.org/2000/svg');
    const groups = byClass(svg, 'population');
    expect(groups.map((g) => [g.attributes['data-label'], g.attributes['data-spikes']])).toEqual([
      ['input', '4'],
      ['exc &amp; co', '3'],
    ]);
    for (const g of groups) {
      const paths = all(g, (e) => e.name === 'path');
      expect(paths).toHaveLength(1);
      expect(paths[0]!.attributes.d!.match(/M/g)).toHaveLength(Number(g.attributes['data-spikes']));
    }
    // Colours per population differ.
    const colours = groups.map((g) => all(g, (e) => e.name === 'path')[0]!.attributes.stroke);
    expect(new Set(colours).size).toBe(2);
  });

  it('has a labelled time axis with nice ticks 0..100 ms and escapes the title', () => {
    const text = rasterPlot(results());
    const svg = parseXml(text);
    const ticks = all(byClass(svg, 'x-axis')[0]!, (e) => e.name === 'text').map((e) => e.text);
    expect(ticks).toEqual(['0', '20', '40', '60', '80', '100']);
    expect(all(svg, (e) => e.name === 'text').some((e) => e.text === 'time (ms)')).toBe(true);
    expect(text).toContain('test &lt;&amp;&gt;: spikes');
  });

  it('spike marks lie inside the plot frame, at their times', () => {
    const svg = parseXml(rasterPlot(results()));
    const frame = box(byClass(svg, 'frame')[0]!);
    const input = all(byClass(svg, 'population')[0]!, (e) => e.name === 'path')[0]!;
    const points = pathPoints(input.attributes.d!);
    // Ticks are vertical: pairs of points with one x; 1, 2, 3 and 50 ms of 0..100 ms.
    const xs = points.filter((_, k) => k % 2 === 0).map(([x]) => (x - frame.x0) / (frame.x1 - frame.x0));
    expect(xs.map((x) => Math.round(x * 1000) / 10)).toEqual([1, 2, 3, 50]);
    for (const path of all(svg, (e) => e.name === 'path')) {
      for (const [x, y] of pathPoints(path.attributes.d!)) {
        expect(x).toBeGreaterThanOrEqual(frame.x0);
        expect(x).toBeLessThanOrEqual(frame.x1);
        expect(y).toBeGreaterThanOrEqual(frame.y0);
        expect(y).toBeLessThanOrEqual(frame.y1);
      }
    }
  });

  it('draws one panel per segment, or the one asked for; an unknown segment is a RangeError', () => {
    expect(byClass(parseXml(rasterPlot(results(3))), 'panel')).toHaveLength(3);
    expect(byClass(parseXml(rasterPlot(results(3), 1)), 'panel')).toHaveLength(1);
    expect(() => rasterPlot(results(1), 4)).toThrow(/segment 4 does not exist; segments: 0/);
  });

  it('says so when no population recorded spikes', () => {
    const r = results();
    const empty = { ...r, segments: [{ ...r.segments[0]!, populations: {} }] };
    const svg = parseXml(rasterPlot(empty));
    expect(byClass(svg, 'population')).toHaveLength(0);
    expect(all(svg, (e) => e.text === 'no spikes recorded')).toHaveLength(1);
  });
});

describe('tracePlot', () => {
  it('one panel per population, neuron and variable, with the units on the y axis', () => {
    const svg = parseXml(tracePlot(results())!);
    const panels = byClass(svg, 'panel');
    expect(panels.map((p) => [p.attributes['data-population'], p.attributes['data-index'], p.attributes['data-variable']])).toEqual([['exc &amp; co', '1', 'v']]);
    expect(all(panels[0]!, (e) => e.text === 'v (mV)')).toHaveLength(1);
    const yTicks = tickValues(byClass(panels[0]!, 'y-axis')[0]!);
    expect(yTicks.length).toBeGreaterThanOrEqual(3);
    // The trace spans −65..−50 mV: ticks cover it, and no more than a step beyond.
    expect(Math.min(...yTicks)).toBeLessThanOrEqual(-65);
    expect(Math.min(...yTicks)).toBeGreaterThanOrEqual(-70);
    expect(Math.max(...yTicks)).toBeGreaterThanOrEqual(-50);
    expect(Math.max(...yTicks)).toBeLessThanOrEqual(-45);
  });

  it('keeps the peaks of a long trace while drawing at most four points per pixel column', () => {
    const svg = parseXml(tracePlot(results())!);
    const frame = box(byClass(svg, 'frame')[0]!);
    const points = pathPoints(byClass(svg, 'series')[0]!.attributes.d!);
    expect(points.length).toBeLessThan(3000);
    expect(points.length).toBeLessThanOrEqual(4 * Math.round(frame.x1 - frame.x0));
    const ys = points.map(([, y]) => y);
    // -50 mV peaks (every 700 samples: 4 of them) are the smallest y coordinates, inside the frame.
    const top = Math.min(...ys);
    expect(ys.filter((y) => y === top)).toHaveLength(4);
    expect(top).toBeGreaterThan(frame.y0);
  });

  it('is undefined without analog recordings; signalCount counts panels over segments', () => {
    const r = results(2);
    expect(signalCount(r)).toBe(2);
    expect(byClass(parseXml(tracePlot(r)!), 'panel')).toHaveLength(2);
    const spikesOnly = { ...r, segments: r.segments.map((s) => ({ ...s, populations: { input: s.populations.input! } })) };
    expect(tracePlot(spikesOnly)).toBeUndefined();
  });
});

describe('signalPlot', () => {
  it('draws pynn analog signals with their spikes as ticks above the trace', () => {
    const times = Float64Array.from({ length: 200 }, (_, k) => k / 2);
    const values = Float64Array.from(times, (t) => -65 + 10 * Math.exp(-(((t % 25) - 5) ** 2)));
    const svg = parseXml(signalPlot([{ title: 'neuron[0] <v>', signal: { times, values, name: 'v', units: 'mV' }, spikes: [5, 30] }]));
    const panel = byClass(svg, 'panel')[0]!;
    expect(byClass(panel, 'panel-title')[0]!.text).toBe('neuron[0] &lt;v&gt;');
    expect(pathPoints(byClass(panel, 'spikes')[0]!.attributes.d!)).toHaveLength(4);
    expect(all(panel, (e) => e.text === 'v (mV)')).toHaveLength(1);
  });
});
