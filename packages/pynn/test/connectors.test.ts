// Every connector: the connection list as PyNN defines it (properties over random sizes, checked on the
// connectors directly), the same list through a Projection, and the list realised on the chip — the synapses
// routing placed (placedConnections) and, behaviourally, the spikes of bypass neurons, which fire exactly when
// an excitatory event arrives: post j fires at the time of pre i iff (i, j) is connected.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';
import { IDEAL, bypassNeuron, circuitOf, pairSet, spikeTimes, thrown } from './support/network.js';

/** A connector context of two groups; `overlap` makes pre i and post i the same neuron (a recurrent projection). */
function context(preSize: number, postSize: number, seed: number, overlap = false): pynn.ConnectorContext {
  return { preSize, postSize, isSelf: (i, j) => overlap && i === j, rng: new pynn.NumpyRNG({ seed }), projection: 'p' };
}

const allPairs = (preSize: number, postSize: number) => Array.from({ length: preSize * postSize }, (_, k) => ({ pre: k % preSize, post: Math.floor(k / preSize) }));
const countBy = (list: readonly pynn.ConnectorConnection[], key: 'pre' | 'post', size: number) => {
  const counts = new Array<number>(size).fill(0);
  for (const c of list) counts[c[key]]!++;
  return counts;
};
const distinct = (list: readonly pynn.ConnectorConnection[]) => new Set(list.map((c) => `${c.pre}|${c.post}`)).size;
const inRange = (list: readonly pynn.ConnectorConnection[], preSize: number, postSize: number) =>
  list.every((c) => Number.isInteger(c.pre) && c.pre >= 0 && c.pre < preSize && Number.isInteger(c.post) && c.post >= 0 && c.post < postSize);

const size = fc.integer({ min: 1, max: 12 });
const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const properties = { numRuns: 100, seed: 20_260_127 };

describe('connection lists (connectors on their own)', () => {
  it('AllToAll: every pair once; without self-connections every pair but (i, i) of the same neurons', () => {
    fc.assert(
      fc.property(size, size, (m, n) => {
        expect(pairSet(new pynn.AllToAllConnector().connect(context(m, n, 1)))).toEqual(pairSet(allPairs(m, n)));
        expect(new pynn.AllToAllConnector({ allowSelfConnections: false }).connect(context(m, n, 1))).toHaveLength(m * n);
        const recurrent = new pynn.AllToAllConnector({ allowSelfConnections: false }).connect(context(m, m, 1, true));
        expect(pairSet(recurrent)).toEqual(pairSet(allPairs(m, m).filter((c) => c.pre !== c.post)));
      }),
      properties,
    );
  });

  it('OneToOne: i → i; groups of different sizes are a ConnectionError', () => {
    fc.assert(
      fc.property(size, (n) => {
        expect(new pynn.OneToOneConnector().connect(context(n, n, 1))).toEqual(Array.from({ length: n }, (_, i) => ({ pre: i, post: i })));
      }),
      properties,
    );
    expect(thrown(pynn.ConnectionError, () => new pynn.OneToOneConnector().connect(context(3, 4, 1))).message).toMatch(/same size, got 3 → 4 \(projection 'p'\)/);
  });

  it('FixedProbability: deterministic per seed, distinct pairs, p = 0 none, p = 1 all, no self-connections on request', () => {
    fc.assert(
      fc.property(size, size, seed, fc.double({ min: 0, max: 1, noNaN: true }), (m, n, s, p) => {
        const a = new pynn.FixedProbabilityConnector(p).connect(context(m, n, s));
        expect(new pynn.FixedProbabilityConnector(p).connect(context(m, n, s))).toEqual(a);
        expect(new pynn.FixedProbabilityConnector(p, { rng: new pynn.NumpyRNG({ seed: s }) }).connect(context(m, n, s + 1))).toEqual(a);
        expect(distinct(a)).toBe(a.length);
        expect(inRange(a, m, n)).toBe(true);
        const noSelf = new pynn.FixedProbabilityConnector(p, { allowSelfConnections: false }).connect(context(m, m, s, true));
        expect(noSelf.some((c) => c.pre === c.post)).toBe(false);
      }),
      properties,
    );
    expect(new pynn.FixedProbabilityConnector(0).connect(context(7, 9, 1))).toEqual([]);
    expect(pairSet(new pynn.FixedProbabilityConnector(1).connect(context(7, 9, 1)))).toEqual(pairSet(allPairs(7, 9)));
  });

  it('FixedProbability draws each pair with probability p: 100 × 100 at p = 0.2 gives 2000 ± 4σ connections, and seeds differ', () => {
    const counts = [1, 2, 3].map((s) => new pynn.FixedProbabilityConnector(0.2, { rng: new pynn.NumpyRNG({ seed: s }) }).connect(context(100, 100, 0)));
    // Binomial(10 000, 0.2): σ = 40.
    for (const list of counts) expect(Math.abs(list.length - 2000)).toBeLessThan(160);
    expect(pairSet(counts[0]!)).not.toEqual(pairSet(counts[1]!));
    for (const c of [-0.1, 1.5, Number.NaN]) expect(thrown(pynn.ConnectionError, () => new pynn.FixedProbabilityConnector(c)).message).toMatch(/p_connect must be in \[0, 1\]/);
  });

  it('FixedNumberPre: every post gets exactly n pre neurons, distinct unless with replacement; self excluded on request', () => {
    fc.assert(
      fc.property(size, size, seed, fc.integer({ min: 0, max: 12 }), fc.boolean(), (m, n, s, k, allowSelf) => {
        const candidates = allowSelf ? m : m - 1;
        const connector = new pynn.FixedNumberPreConnector(k, { allowSelfConnections: allowSelf, rng: new pynn.NumpyRNG({ seed: s }) });
        if (k > candidates) {
          expect(thrown(pynn.ConnectionError, () => connector.connect(context(m, m, s, true))).message).toMatch(/exceeds the \d+ candidates without replacement/);
          return;
        }
        const list = connector.connect(context(m, m, s, true));
        expect(countBy(list, 'post', m)).toEqual(new Array<number>(m).fill(k));
        expect(distinct(list)).toBe(list.length);
        if (!allowSelf) expect(list.some((c) => c.pre === c.post)).toBe(false);
        const replaced = new pynn.FixedNumberPreConnector(k, { withReplacement: true, rng: new pynn.NumpyRNG({ seed: s }) }).connect(context(m, n, s));
        expect(countBy(replaced, 'post', n)).toEqual(new Array<number>(n).fill(k));
        expect(inRange(replaced, m, n)).toBe(true);
      }),
      properties,
    );
    // Drawing 12 of 3 with replacement must repeat pairs.
    const repeated = new pynn.FixedNumberPreConnector(12, { withReplacement: true }).connect(context(3, 2, 4));
    expect(repeated).toHaveLength(24);
    expect(distinct(repeated)).toBeLessThanOrEqual(6);
  });

  it('FixedNumberPost: every pre projects to exactly n post neurons, distinct unless with replacement', () => {
    fc.assert(
      fc.property(size, size, seed, fc.integer({ min: 0, max: 12 }), (m, n, s, k) => {
        const connector = new pynn.FixedNumberPostConnector(k, { rng: new pynn.NumpyRNG({ seed: s }) });
        if (k > n) {
          expect(() => connector.connect(context(m, n, s))).toThrow(pynn.ConnectionError);
          return;
        }
        const list = connector.connect(context(m, n, s));
        expect(countBy(list, 'pre', m)).toEqual(new Array<number>(m).fill(k));
        expect(distinct(list)).toBe(list.length);
        const replaced = new pynn.FixedNumberPostConnector(k, { withReplacement: true, rng: new pynn.NumpyRNG({ seed: s }) }).connect(context(m, n, s));
        expect(countBy(replaced, 'pre', m)).toEqual(new Array<number>(m).fill(k));
        expect(inRange(replaced, m, n)).toBe(true);
      }),
      properties,
    );
    const noSelf = new pynn.FixedNumberPostConnector(4, { allowSelfConnections: false }).connect(context(5, 5, 9, true));
    expect(noSelf.some((c) => c.pre === c.post)).toBe(false);
    expect(countBy(noSelf, 'pre', 5)).toEqual([4, 4, 4, 4, 4]);
  });

  it('FixedTotalNumber: exactly n connections, distinct unless with replacement; more than m·n without replacement is an error', () => {
    fc.assert(
      fc.property(size, size, seed, fc.integer({ min: 0, max: 150 }), (m, n, s, k) => {
        const connector = new pynn.FixedTotalNumberConnector(k, { rng: new pynn.NumpyRNG({ seed: s }) });
        if (k > m * n) {
          expect(() => connector.connect(context(m, n, s))).toThrow(pynn.ConnectionError);
        } else {
          const list = connector.connect(context(m, n, s));
          expect(list).toHaveLength(k);
          expect(distinct(list)).toBe(k);
          expect(inRange(list, m, n)).toBe(true);
        }
        const replaced = new pynn.FixedTotalNumberConnector(k, { withReplacement: true, rng: new pynn.NumpyRNG({ seed: s }) }).connect(context(m, n, s));
        expect(replaced).toHaveLength(k);
        expect(inRange(replaced, m, n)).toBe(true);
      }),
      properties,
    );
    const noSelf = new pynn.FixedTotalNumberConnector(20, { allowSelfConnections: false }).connect(context(5, 5, 2, true));
    expect(pairSet(noSelf)).toEqual(pairSet(allPairs(5, 5).filter((c) => c.pre !== c.post)));
    for (const bad of [-1, 2.5]) expect(() => new pynn.FixedTotalNumberConnector(bad)).toThrow(pynn.ConnectionError);
  });

  it('FromList: the entries in order, with their weights; malformed entries and delays are ConnectionErrors', () => {
    expect(new pynn.FromListConnector([[0, 1], [2, 0, 7.5], [1, 1, 3, 0]]).connect(context(3, 2, 1))).toEqual([
      { pre: 0, post: 1 },
      { pre: 2, post: 0, weight: 7.5 },
      { pre: 1, post: 1, weight: 3 },
    ]);
    for (const bad of [[[0]], [[0, 1, 2, 3, 4]], [[0, Number.NaN]], [['0', 1]], [5]]) {
      expect(thrown(pynn.ConnectionError, () => new pynn.FromListConnector(bad as number[][])).message).toMatch(/entry 0 must be \[pre, post\]/);
    }
    expect(thrown(pynn.ConnectionError, () => new pynn.FromListConnector([[0, 0], [3, 0]]).connect(context(3, 2, 1))).message).toMatch(/entry 1 \[3, 0\] is outside the groups \(pre size 3, post size 2/);
    expect(() => new pynn.FromListConnector([[0, -1]]).connect(context(3, 2, 1))).toThrow(pynn.ConnectionError);
    expect(() => new pynn.FromListConnector([[0.5, 0]]).connect(context(3, 2, 1))).toThrow(pynn.ConnectionError);
    expect(thrown(pynn.ConnectionError, () => new pynn.FromListConnector([[0, 0, 1, 2]]).connect(context(3, 2, 1))).parameter).toBe('delay');
  });

  it('Array: true entries of the pre × post matrix; a matrix of the wrong shape is a ConnectionError', () => {
    fc.assert(
      fc.property(size, size, fc.infiniteStream(fc.boolean()), (m, n, bits) => {
        const iterator = bits[Symbol.iterator]();
        const matrix = Array.from({ length: m }, () => Array.from({ length: n }, () => iterator.next().value as boolean));
        const list = new pynn.ArrayConnector(matrix).connect(context(m, n, 1));
        expect(pairSet(list)).toEqual(pairSet(allPairs(m, n).filter((c) => matrix[c.pre]![c.post])));
        expect(distinct(list)).toBe(list.length);
      }),
      properties,
    );
    expect(() => new pynn.ArrayConnector([[true, false]]).connect(context(2, 2, 1))).toThrow(pynn.ConnectionError);
    expect(() => new pynn.ArrayConnector([[true], [false]]).connect(context(2, 2, 1))).toThrow(pynn.ConnectionError);
  });
});

describe('connection lists through Projection', () => {
  beforeAll(() => pynn.setup(IDEAL));
  afterAll(() => pynn.end());

  it('connections, size, get("weight") in list and array format; weights from the synapse or from the list', () => {
    const a = new pynn.Population(3, new pynn.IF_curr_exp());
    const b = new pynn.Population(2, new pynn.IF_curr_exp());
    const all = new pynn.Projection(a, b, new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: 5 }));
    expect(all.size()).toBe(6);
    expect(pairSet(all.connections)).toEqual(pairSet(allPairs(3, 2)));
    expect(all.connections.every((c) => c.weight === 5)).toBe(true);
    const listed = new pynn.Projection(a, b, new pynn.FromListConnector([[2, 1, 9], [0, 0, 4]]), new pynn.StaticSynapse({ weight: 1 }));
    expect(listed.get('weight', { format: 'list' })).toEqual([[2, 1, 9], [0, 0, 4]]);
    expect(listed.get('weight', { format: 'array' })).toEqual([[4, Number.NaN], [Number.NaN, Number.NaN], [Number.NaN, 9]]);
    const perConnection = new pynn.Projection(a.slice(0, 2), b, new pynn.OneToOneConnector(), new pynn.StaticSynapse({ weight: [1, 2] }), 'excitatory');
    expect(perConnection.connections.map((c) => c.weight)).toEqual([1, 2]);
    expect(thrown(pynn.ConnectionError, () => new pynn.Projection(a, b, new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: [1, 2] })))).toMatchObject({ parameter: 'weight' });
  });

  it('self-connections are decided on neuron ids, so views of one population exclude the neurons they share', () => {
    const p = new pynn.Population(5, new pynn.IF_curr_exp());
    // pre = neurons 0..3, post = neurons 1..4: pre position i + 1 is post position i.
    const proj = new pynn.Projection(p.slice(0, 4), p.slice(1, 5), new pynn.AllToAllConnector({ allowSelfConnections: false }));
    expect(proj.size()).toBe(16 - 3);
    expect(proj.connections.some((c) => c.pre === c.post + 1)).toBe(false);
    const recurrent = new pynn.Projection(p, p, new pynn.FixedNumberPreConnector(4, { allowSelfConnections: false }));
    expect(recurrent.connections.some((c) => c.pre === c.post)).toBe(false);
  });
});

describe('random connectors without an rng', () => {
  afterAll(() => pynn.end());

  it('draw from setup({ seed }): the same seed, the same network', async () => {
    const draw = (seedValue: number) => {
      pynn.setup({ ...IDEAL, seed: seedValue });
      const a = new pynn.Population(20, new pynn.IF_curr_exp());
      const b = new pynn.Population(20, new pynn.IF_curr_exp());
      return [
        new pynn.Projection(a, b, new pynn.FixedProbabilityConnector(0.3)),
        new pynn.Projection(a, b, new pynn.FixedNumberPreConnector(3)),
        new pynn.Projection(a, b, new pynn.FixedTotalNumberConnector(30)),
      ].map((proj) => pairSet(proj.connections));
    };
    const first = draw(5);
    expect(draw(5)).toEqual(first);
    const other = draw(6);
    first.forEach((pairs, k) => expect(other[k]).not.toEqual(pairs));
  });
});

describe('connections realised on the chip', () => {
  interface Case {
    readonly name: string;
    readonly pre: number;
    readonly post: number;
    readonly connector: () => pynn.Connector;
    readonly weight: number;
  }
  const rng = (s: number) => new pynn.NumpyRNG({ seed: s });
  const cases: Case[] = [
    { name: 'AllToAll', pre: 4, post: 3, connector: () => new pynn.AllToAllConnector(), weight: 10 },
    { name: 'OneToOne', pre: 5, post: 5, connector: () => new pynn.OneToOneConnector(), weight: 63 },
    { name: 'FixedProbability', pre: 6, post: 6, connector: () => new pynn.FixedProbabilityConnector(0.4, { rng: rng(3) }), weight: 20 },
    { name: 'FixedNumberPre', pre: 6, post: 5, connector: () => new pynn.FixedNumberPreConnector(2, { rng: rng(4) }), weight: 100 },
    { name: 'FixedNumberPost with replacement', pre: 4, post: 3, connector: () => new pynn.FixedNumberPostConnector(3, { withReplacement: true, rng: rng(5) }), weight: 40 },
    { name: 'FixedTotalNumber', pre: 5, post: 5, connector: () => new pynn.FixedTotalNumberConnector(7, { rng: rng(6) }), weight: 1 },
    { name: 'FromList', pre: 4, post: 4, connector: () => new pynn.FromListConnector([[0, 1, 20], [2, 0, 63], [3, 3, 130], [1, 1, 5.4], [3, 0, 2]]), weight: 0 },
    { name: 'Array', pre: 3, post: 4, connector: () => new pynn.ArrayConnector([[true, false, true, false], [false, false, true, true], [true, true, false, false]]), weight: 7 },
  ];
  /**
   * Pre i of case k spikes once, at 1 + 2i + 0.2k ms: a post spike at that time names the pre neuron. Cases are
   * staggered because one FPGA cycle carries at most three input spikes (later ones move to the next cycles).
   */
  const inputTime = (k: number, i: number) => 1 + 2 * i + 0.2 * k;
  const built = new Map<string, { input: pynn.Population; output: pynn.Population; projection: pynn.Projection }>();
  let recurrent: pynn.Projection;

  beforeAll(async () => {
    pynn.setup(IDEAL);
    for (const [k, c] of cases.entries()) {
      const input = new pynn.Population(c.pre, new pynn.SpikeSourceArray({ spike_times: Array.from({ length: c.pre }, (_, i) => [inputTime(k, i)]) }), { label: `${c.name} in` });
      const output = new pynn.Population(c.post, bypassNeuron(), { label: `${c.name} out` });
      const projection = new pynn.Projection(input, output, c.connector(), new pynn.StaticSynapse({ weight: c.weight }), 'excitatory', { label: c.name });
      output.record('spikes');
      built.set(c.name, { input, output, projection });
    }
    // A recurrent projection (not run through spikes: bypass neurons would excite each other without end).
    const loop = new pynn.Population(6, new pynn.IF_curr_exp(), { label: 'loop' });
    recurrent = new pynn.Projection(loop, loop, new pynn.AllToAllConnector({ allowSelfConnections: false }), new pynn.StaticSynapse({ weight: -3 }), 'inhibitory', { label: 'recurrent' });
    await pynn.run(20);
  });
  afterAll(() => pynn.end());

  it.each(cases.map((c) => [c.name]))('%s: each connection has its synapses on the post neuron, one per 63 of weight', (name) => {
    const { output, projection } = built.get(name)!;
    const placed = projection.placedConnections();
    expect(placed).toHaveLength(projection.size());
    // Repeated pairs (with replacement) are one routed connection whose weight is their sum.
    const merged = new Map<string, number>();
    for (const c of projection.connections) merged.set(`${c.pre}|${c.post}`, (merged.get(`${c.pre}|${c.post}`) ?? 0) + c.weight);
    projection.connections.forEach((c, k) => {
      const realised = placed[k]!;
      const weight = Math.round(merged.get(`${c.pre}|${c.post}`)!);
      expect([realised.pre, realised.post, realised.weight]).toEqual([c.pre, c.post, weight]);
      expect(realised.synapses).toHaveLength(Math.max(1, Math.ceil(weight / 63)));
      expect(realised.synapses.reduce((sum, s) => sum + s.weight, 0)).toBe(weight);
      const circuit = circuitOf(output, c.post);
      for (const s of realised.synapses) expect([s.hemisphere.value, s.column.value]).toEqual([Math.floor(circuit / 256), circuit % 256]);
      expect(new Set(realised.synapses.map((s) => s.row.value)).size).toBe(realised.synapses.length);
    });
  });

  it.each(cases.map((c) => [c.name]))('%s: the posts fire exactly at the times of their pre neurons', (name) => {
    const { output, projection } = built.get(name)!;
    const k = cases.findIndex((c) => c.name === name);
    const realised = spikeTimes(output).flatMap((times, post) =>
      times.map((t) => {
        const pre = Math.round((t - inputTime(k, 0)) / 2);
        expect(t).toBeCloseTo(inputTime(k, pre), 9);
        return { pre, post };
      }),
    );
    // Every connection here has a weight ≥ 1 after rounding, so each one makes its post fire.
    expect(pairSet(realised)).toEqual(pairSet(projection.connections));
    expect(realised.length).toBe(pairSet(projection.connections).length);
  });

  it('inputs and outputs of a case are the same times (the bypass adds no delay)', () => {
    const { input, output } = built.get('OneToOne')!;
    expect(spikeTimes(output)).toEqual(Array.from({ length: input.size }, (_, i) => [inputTime(1, i)]));
  });

  it('a recurrent AllToAll without self-connections puts no synapse of a neuron onto its own circuit', () => {
    const placed = recurrent.placedConnections();
    expect(placed).toHaveLength(30);
    expect(placed.some((c) => c.pre === c.post)).toBe(false);
    const loop = recurrent.post as pynn.Population;
    for (const c of placed) {
      expect(c.synapses.map((s) => s.column.value)).toEqual([circuitOf(loop, c.post) % 256]);
      expect(c.weight).toBe(3);
    }
  });
});
