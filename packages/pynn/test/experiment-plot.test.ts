// SVG plots of experiment results: well-formed XML, one spike mark per spike, one panel per recorded signal,
// axes with ticks; and the helpers (nice ticks, decimation) as properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ExperimentResults, rasterPlot, signalCount, tracePlot } from '../src/experiment/index.js';
import { decimate, escapeXml, niceTicks } from '../src/experiment/svg.js';

interface Element {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: Element[];
  text: string;
}

/**
 * A strict little XML reader for our own SVG: every tag closed in order, attributes quoted, no raw `<` or
 * unescaped `&` in text. Throws on anything else; returns the root element.
 */
function parseXml(xml: string): Element {
  const root: Element = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: Element[] = [root];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<!--[\s\S]*?-->|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let position = 0;
  while (position < xml.length) {
    token.lastIndex = position;
    match = token.exec(xml);
    if (match === null) throw new Error(`malformed XML at ${position}: ${xml.slice(position, position + 40)}`);
    position = token.lastIndex;
    const [whole, closing, name, attributeText, selfClosing, text] = match;
    if (whole.startsWith('<!--')) continue;
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(text)) throw new Error(`unescaped & in ${text}`);
      stack[stack.length - 1]!.text += text;
      continue;
    }
    if (closing === '/') {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const [, key, value] of attributeText!.matchAll(/([\w:-]+)="([^"]*)"/g)) {
      if (key! in attributes) throw new Error(`duplicate attribute ${key}`);
      attributes[key!] = value!;
    }
    const element: Element = { name: name!, attributes, children: [], text: '' };
    stack[stack.length - 1]!.children.push(element);
    if (selfClosing !== '/') stack.push(element);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root.children.length !== 1 || root.children[0]!.name !== 'svg') throw new Error('not one <svg> root');
  return root.children[0]!;
}

function all(element: Element, predicate: (e: Element) => boolean): Element[] {
  return [...(predicate(element) ? [element] : []), ...element.children.flatMap((c) => all(c, predicate))];
}

const byClass = (root: Element, cls: string) => all(root, (e) => e.attributes.class === cls);

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

  it('spike marks lie inside the plot frame', () => {
    const svg = parseXml(rasterPlot(results()));
    const frame = all(svg, (e) => e.name === 'rect' && e.attributes.fill === 'none')[0]!;
    const [x0, y0] = [Number(frame.attributes.x), Number(frame.attributes.y)];
    const [x1, y1] = [x0 + Number(frame.attributes.width), y0 + Number(frame.attributes.height)];
    for (const path of all(svg, (e) => e.name === 'path')) {
      for (const [, x, y, h] of path.attributes.d!.matchAll(/M([\d.]+) ([\d.]+)v([\d.]+)/g)) {
        expect(Number(x)).toBeGreaterThanOrEqual(x0);
        expect(Number(x)).toBeLessThanOrEqual(x1);
        expect(Number(y)).toBeGreaterThanOrEqual(y0);
        expect(Number(y) + Number(h)).toBeLessThanOrEqual(y1);
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
    const yTicks = all(byClass(panels[0]!, 'y-axis')[0]!, (e) => e.name === 'text').map((e) => Number(e.text));
    expect(yTicks.length).toBeGreaterThanOrEqual(3);
    expect(Math.min(...yTicks)).toBeGreaterThanOrEqual(-66);
    expect(Math.max(...yTicks)).toBeLessThanOrEqual(-49);
  });

  it('keeps the peaks of a long trace while drawing at most four points per pixel column', () => {
    const svg = parseXml(tracePlot(results())!);
    const d = all(svg, (e) => e.name === 'path')[0]!.attributes.d!;
    const points = [...d.matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map(([, x, y]) => [Number(x), Number(y)] as const);
    expect(points.length).toBeLessThan(3000);
    const ys = points.map(([, y]) => y);
    // -50 mV peaks (every 700 samples: 4 of them) are the smallest y coordinates.
    const top = Math.min(...ys);
    expect(ys.filter((y) => y === top)).toHaveLength(4);
  });

  it('is undefined without analog recordings; signalCount counts panels over segments', () => {
    const r = results(2);
    expect(signalCount(r)).toBe(2);
    expect(byClass(parseXml(tracePlot(r)!), 'panel')).toHaveLength(2);
    const spikesOnly = { ...r, segments: r.segments.map((s) => ({ ...s, populations: { input: s.populations.input! } })) };
    expect(tracePlot(spikesOnly)).toBeUndefined();
  });
});

describe('svg helpers', () => {
  it('niceTicks: steps of 1, 2 or 5 × 10^k inside the range, about the asked count', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 1e-6, max: 1e6, noNaN: true }), fc.integer({ min: 2, max: 10 }), (lo, span, count) => {
        const hi = lo + span;
        fc.pre(hi > lo);
        const { ticks } = niceTicks(lo, hi, count);
        expect(ticks.length).toBeGreaterThanOrEqual(1);
        expect(ticks.length).toBeLessThanOrEqual(2 * count + 2);
        for (const t of ticks) {
          expect(t).toBeGreaterThanOrEqual(lo - span * 1e-6);
          expect(t).toBeLessThanOrEqual(hi + span * 1e-6);
        }
        if (ticks.length > 1) {
          const step = ticks[1]! - ticks[0]!;
          const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
          expect([1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-4 * m)).toBe(true);
        }
      }),
      { seed: 0x71c5, numRuns: 300 },
    );
  });

  it('decimate keeps the extremes, the ends and time order, and at most 4 points per column', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 2000 }), fc.integer({ min: 1, max: 100 }), (values, pixels) => {
        const times = values.map((_, k) => k);
        const [t, v] = decimate(times, values, 0, Math.max(1, values.length - 1), pixels);
        expect(t.length).toBeLessThanOrEqual(Math.max(values.length, 4 * pixels));
        expect(Math.min(...v)).toBe(Math.min(...values));
        expect(Math.max(...v)).toBe(Math.max(...values));
        expect(t[0]).toBe(0);
        expect(t[t.length - 1]).toBe(values.length - 1);
        for (let k = 1; k < t.length; k++) expect(t[k]!).toBeGreaterThan(t[k - 1]!);
      }),
      { seed: 0xdec1, numRuns: 200 },
    );
  });

  it('escapeXml escapes markup and quotes', () => {
    expect(escapeXml(`a<b>&"c"`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;');
  });
});
