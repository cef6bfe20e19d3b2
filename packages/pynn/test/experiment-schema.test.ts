// Experiment files: the examples parse, the invalid fixtures fail with exact paths, random valid experiments
// parse and random single-field corruptions are rejected at the corrupted field. The JSON Schema in
// test-fixtures/experiments/ is checked to be current; regenerate it on purpose with
//   BSS2_UPDATE_FIXTURES=1 npx vitest run test/experiment-schema.test.ts
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PyNNError } from '../src/errors.js';
import { ExperimentError, cellTypeNames, experimentJsonSchema, parseExperiment } from '../src/experiment/index.js';
import { formatPath } from '../src/experiment/issues.js';

const FIXTURES = fileURLToPath(new URL('../../../test-fixtures/experiments/', import.meta.url));
const fixture = (name: string): unknown => JSON.parse(readFileSync(`${FIXTURES}${name}`, 'utf8'));

/** The issues of a file that must be rejected. */
function issuesOf(json: unknown): { path: string; message: string }[] {
  try {
    parseExperiment(json);
  } catch (error) {
    expect(error).toBeInstanceOf(ExperimentError);
    return [...(error as ExperimentError).issues];
  }
  throw new Error(`accepted: ${JSON.stringify(json).slice(0, 300)}`);
}

const pathsOf = (json: unknown) => issuesOf(json).map((issue) => issue.path);

describe('example experiments', () => {
  it('single-neuron parses; duration_ms becomes one run, labels and receptor defaults are filled in', () => {
    const experiment = parseExperiment(fixture('single-neuron.json'));
    expect(experiment.name).toBe('single-neuron');
    expect(experiment.schedule).toEqual([{ run: 60 }]);
    expect(experiment.populations.map((p) => [p.label, p.cellType, p.size])).toEqual([
      ['input', 'SpikeSourceArray', 1],
      ['neuron', 'IF_curr_exp', 1],
    ]);
    expect(experiment.projections.map((p) => [p.label, p.receptorType])).toEqual([['drive', 'excitatory']]);
  });

  it('balanced-network parses with six projections, inhibitory ones negative', () => {
    const experiment = parseExperiment(fixture('balanced-network.json'));
    expect(experiment.projections).toHaveLength(6);
    for (const p of experiment.projections) expect(Math.sign(p.synapse!.weight as number)).toBe(p.receptorType === 'inhibitory' ? -1 : 1);
  });

  it('the example in test-fixtures/experiments/README.md parses', () => {
    const readme = readFileSync(`${FIXTURES}README.md`, 'utf8');
    const example = /```json\n([\s\S]*?)```/.exec(readme)![1]!;
    const experiment = parseExperiment(JSON.parse(example));
    expect(experiment.schedule).toHaveLength(6);
  });

  it('a projection without label gets projectionN (pynn’s default) and receptorType excitatory', () => {
    const json = fixture('single-neuron.json') as { projections: Record<string, unknown>[] };
    delete json.projections[0]!.label;
    delete json.projections[0]!.receptorType;
    expect(parseExperiment(json).projections[0]).toMatchObject({ label: 'projection0', receptorType: 'excitatory' });
  });
});

describe('invalid experiments: every issue at its path', () => {
  it('invalid-structure.json: types, ranges, unknown names', () => {
    expect(pathsOf(fixture('invalid-structure.json'))).toEqual([
      'setup.chipSeed',
      'setup.calibration',
      'populations[0].size',
      'populations[0].parameters.spike_times[1]',
      'populations[1].cellType',
      'populations[2].label',
      'populations[2].size',
      'populations[2].parameters.tau_mem',
      'populations[2].record[0]',
      'projections[0].connector.type',
      'projections[1].pre.slice',
      'projections[1].connector.p',
      'projections[1].receptorType',
      'schedule[0].run',
      'schedule[1].reset',
      'schedule[2]',
    ]);
  });

  it('invalid-references.json: labels, sizes, recordings, weights across fields', () => {
    expect(pathsOf(fixture('invalid-references.json'))).toEqual([
      'populations[0].parameters.rate',
      'populations[1].parameters.tau_m',
      'populations[1].record[1]',
      'populations[2].label',
      'projections[0].connector',
      'projections[1].label',
      'projections[2].pre',
      'projections[2].post.indices[1]',
      'projections[2].synapse.weight',
      'projections[2].synapse.delay',
      'projections[3].synapse.weight',
      'schedule',
      'schedule[0].set.parameters.v_thresh',
      'schedule[1].setWeights.projection',
    ]);
  });

  it('messages name the value and the rule; the error lists every issue as path: message', () => {
    let error: ExperimentError | undefined;
    try {
      parseExperiment(fixture('invalid-references.json'), 'invalid-references.json');
    } catch (e) {
      error = e as ExperimentError;
    }
    expect(error).toBeInstanceOf(PyNNError);
    expect(error!.name).toBe('ExperimentError');
    expect(error!.message.split('\n')[0]).toBe('invalid-references.json is invalid (14 issues):');
    for (const issue of error!.issues) expect(error!.message).toContain(`  ${issue.path}: ${issue.message}`);
    const byPath = Object.fromEntries(error!.issues.map((i) => [i.path, i.message]));
    expect(byPath['projections[2].pre']).toBe("unknown population 'inputs'; populations: 'input', 'exc'");
    expect(byPath['projections[2].post.indices[1]']).toBe("index 9 is out of range 0..7 of 'exc'");
    expect(byPath['populations[1].parameters.tau_m']).toMatch(/tau_m = -3 .* must be a finite number > 0/);
    expect(byPath['populations[0].parameters.rate']).toMatch(/^3 values for the 4 neurons of 'input'/);
    expect(byPath['projections[3].synapse.weight']).toMatch(/^3: inhibitory weights must be ≤ 0/);
    expect(byPath['populations[2].label']).toBe("duplicate label 'exc' (also populations[1])");
  });

  it('structural messages show the offending value; a missing key says so', () => {
    const json = fixture('single-neuron.json') as { populations: Record<string, unknown>[]; setup: Record<string, unknown> };
    json.setup.chipSeed = -1;
    delete json.populations[1]!.size;
    json.populations[0]!.cellType = 'SpikeSourceArrays';
    const byPath = Object.fromEntries(issuesOf(json).map((i) => [i.path, i.message]));
    expect(byPath['setup.chipSeed']).toMatch(/0\.\.4294967295 \(got -1\)$/);
    expect(byPath['populations[1].size']).toBe('missing (expected number)');
    expect(byPath['populations[0].cellType']).toMatch(/^unknown cell type; known: IF_curr_exp, .* \(got "SpikeSourceArrays"\)$/);
  });

  it.each([
    ['not an object', 5, ['']],
    ['no populations', { duration_ms: 10 }, ['populations']],
    ['empty populations', { populations: [], duration_ms: 10 }, ['populations']],
    ['unknown top-level key', { populations: [{ label: 'a', size: 1, cellType: 'IF_curr_exp' }], duration_ms: 1, durations: 2 }, ['durations']],
    ['neither schedule nor duration', { populations: [{ label: 'a', size: 1, cellType: 'IF_curr_exp' }] }, ['schedule']],
    ['both schedule and duration', { populations: [{ label: 'a', size: 1, cellType: 'IF_curr_exp' }], schedule: [{ run: 1 }], duration_ms: 1 }, ['duration_ms']],
  ])('%s', (_name, json, paths) => {
    expect(pathsOf(json)).toEqual(paths);
  });

  it('analog recording: one variable per neuron, at most two neurons in the network', () => {
    const base = (record: unknown[]) => ({ populations: [{ label: 'a', size: 4, cellType: 'EIF_cond_exp_isfa_ista', record }], duration_ms: 1 });
    expect(() => parseExperiment(base([{ variables: ['v'], indices: [0, 3] }, 'spikes']))).not.toThrow();
    expect(pathsOf(base([{ variables: ['v'], indices: [0] }, { variables: ['w'], indices: [0] }]))).toEqual(['populations[0].record[1]']);
    expect(pathsOf(base([{ variables: ['v'], slice: [0, 3] }]))).toEqual(['populations[0].record[0]']);
    expect(pathsOf(base([{ variables: ['v'], slice: [2, 2] }]))).toEqual(['populations[0].record[0].slice']);
    expect(pathsOf(base([{ variables: ['v'], indices: [1], slice: [0, 1] }]))).toEqual(['populations[0].record[0]']);
    const twoIntervals = {
      populations: [
        { label: 'a', size: 1, cellType: 'IF_curr_exp', record: ['v'], samplingInterval: 0.1 },
        { label: 'b', size: 1, cellType: 'IF_curr_exp', record: ['v'], samplingInterval: 0.2 },
      ],
      duration_ms: 1,
    };
    expect(pathsOf(twoIntervals)).toEqual(['populations[1].samplingInterval']);
  });

  it('views and assemblies on either side resolve, each element at its own path', () => {
    const populations = [
      { label: 'src', size: 3, cellType: 'SpikeSourceArray', parameters: { spike_times: [[1], [2], []] } },
      { label: 'a', size: 4, cellType: 'IF_curr_exp' },
      { label: 'b', size: 2, cellType: 'IF_cond_exp' },
    ];
    const projection = (p: Record<string, unknown>) => ({ populations, projections: [{ connector: { type: 'AllToAll' }, ...p }], duration_ms: 1 });
    expect(() => parseExperiment(projection({ pre: { population: 'src', slice: [1, 3] }, post: ['a', 'b'] }))).not.toThrow();
    expect(pathsOf(projection({ pre: 'src', post: ['a', 'c'] }))).toEqual(['projections[0].post[1]']);
    expect(pathsOf(projection({ pre: 'src', post: ['a', 'a'] }))).toEqual(['projections[0].post[1]']);
    expect(pathsOf(projection({ pre: 'a', post: ['b', 'src'] }))).toEqual(['projections[0].post[1]']);
    expect(pathsOf(projection({ pre: { population: 'x', indices: [0] }, post: 'a' }))).toEqual(['projections[0].pre.population']);
    expect(pathsOf(projection({ pre: { population: 'a', indices: [0, 0] }, post: 'b' }))).toEqual(['projections[0].pre.indices[1]']);
    expect(pathsOf(projection({ pre: { population: 'a' }, post: 'b' }))).toEqual(['projections[0].pre']);
    expect(pathsOf(projection({ pre: ['a', 7], post: 'b' }))).toEqual(['projections[0].pre[1]']);
    expect(pathsOf(projection({ pre: 7, post: 'b' }))).toEqual(['projections[0].pre']);
  });

  it('connector shapes are checked against the sizes of pre and post', () => {
    const populations = [
      { label: 'a', size: 3, cellType: 'IF_curr_exp' },
      { label: 'b', size: 2, cellType: 'IF_curr_exp' },
    ];
    const connect = (connector: unknown, synapse: unknown = {}) => ({ populations, projections: [{ pre: 'a', post: 'b', connector, synapse }], duration_ms: 1 });
    expect(pathsOf(connect({ type: 'FixedNumberPre', n: 4 }))).toEqual(['projections[0].connector.n']);
    expect(() => parseExperiment(connect({ type: 'FixedNumberPre', n: 4, withReplacement: true }))).not.toThrow();
    expect(pathsOf(connect({ type: 'FixedNumberPost', n: 3 }))).toEqual(['projections[0].connector.n']);
    expect(pathsOf(connect({ type: 'FixedTotalNumber', n: 7 }))).toEqual(['projections[0].connector.n']);
    expect(pathsOf(connect({ type: 'FromList', connections: [[0, 1], [3, 0], [1, 2, 5]] }))).toEqual(['projections[0].connector.connections[1][0]', 'projections[0].connector.connections[2][1]']);
    expect(pathsOf(connect({ type: 'FromList', connections: [[0, 1, -1]] }))).toEqual(['projections[0].connector.connections[0][2]']);
    expect(pathsOf(connect({ type: 'Array', matrix: [[true, false], [false]] }))).toEqual(['projections[0].connector.matrix', 'projections[0].connector.matrix[1]']);
    expect(pathsOf(connect({ type: 'AllToAll' }, { weight: [1, 2, 3] }))).toEqual(['projections[0].synapse.weight']);
    expect(() => parseExperiment(connect({ type: 'AllToAll' }, { weight: [1, 2, 3, 4, 5, 6] }))).not.toThrow();
    expect(pathsOf(connect({ type: 'OneToOne' }, { weight: [1, 2, 3] }))).toEqual(['projections[0].connector']);
    expect(pathsOf(connect({ type: 'AllToAll' }, { weight: [1, 2, -3, 4, 5, 6] }))).toEqual(['projections[0].synapse.weight[2]']);
    expect(pathsOf(connect({ type: 'FixedProbability', p: 0.5, extra: 1 }))).toEqual(['projections[0].connector.extra']);
  });

  it('AllToAll without self-connections onto the same population counts P·(P−1) connections', () => {
    const json = (weights: number) => ({
      populations: [{ label: 'a', size: 3, cellType: 'IF_curr_exp' }],
      projections: [{ pre: 'a', post: 'a', connector: { type: 'AllToAll', allowSelfConnections: false }, synapse: { weight: Array.from({ length: weights }, () => 1) } }],
      duration_ms: 1,
    });
    expect(() => parseExperiment(json(6))).not.toThrow();
    expect(pathsOf(json(9))).toEqual(['projections[0].synapse.weight']);
  });

  it('schedule steps: set checks the population’s cell type and the view size, setWeights the projection', () => {
    const json = (schedule: unknown[]) => ({
      populations: [{ label: 'a', size: 3, cellType: 'IF_curr_exp' }, { label: 'src', size: 1, cellType: 'SpikeSourceArray' }],
      projections: [{ label: 'inh', pre: 'src', post: 'a', connector: { type: 'AllToAll' }, synapse: { weight: -5 }, receptorType: 'inhibitory' }],
      schedule,
    });
    expect(() =>
      parseExperiment(json([{ run: 5 }, { set: { population: { population: 'a', slice: [1, 3] }, parameters: { tau_m: [5, 6] } } }, { setWeights: { projection: 'inh', weight: [-1, -2, -3] } }, { reset: true }, { run: 5 }])),
    ).not.toThrow();
    expect(pathsOf(json([{ run: 5 }, { set: { population: 'a', parameters: { spike_times: [1] } } }]))).toEqual(['schedule[1].set.parameters.spike_times']);
    expect(pathsOf(json([{ run: 5 }, { set: { population: 'src', parameters: { spike_times: [3, 1] } } }]))).toEqual(['schedule[1].set.parameters.spike_times']);
    expect(pathsOf(json([{ run: 5 }, { set: { population: { population: 'a', indices: [0] }, parameters: { tau_m: [5, 6] } } }]))).toEqual(['schedule[1].set.parameters.tau_m']);
    expect(pathsOf(json([{ run: 5 }, { setWeights: { projection: 'inh', weight: 1 } }]))).toEqual(['schedule[1].setWeights.weight']);
    expect(pathsOf(json([{ run: 5 }, { setWeights: { projection: 'inh', weight: [-1, -2] } }]))).toEqual(['schedule[1].setWeights.weight']);
    expect(pathsOf(json([{ run: 5, reset: true }]))).toEqual(['schedule[0].reset']);
    expect(pathsOf(json([{ reset: true }]))).toEqual(['schedule']);
  });

  it('HXNeuron parameters are checked by the AtomicNeuron field rules', () => {
    const json = (parameters: Record<string, unknown>) => ({ populations: [{ label: 'hx', size: 2, cellType: 'HXNeuron', parameters, record: ['spikes'] }], duration_ms: 1 });
    expect(() => parseExperiment(json({ leak_v_leak: 600, threshold_enable: [true, false] }))).not.toThrow();
    expect(pathsOf(json({ leak_v_leak: 5000 }))).toEqual(['populations[0].parameters.leak_v_leak']);
    expect(pathsOf(json({ threshold_enable: 1 }))).toEqual(['populations[0].parameters.threshold_enable']);
  });
});

describe('formatPath', () => {
  it('writes indices in brackets and quotes keys that are not identifiers', () => {
    expect(formatPath(['projections', 2, 'pre'])).toBe('projections[2].pre');
    expect(formatPath([0, 'a'])).toBe('[0].a');
    expect(formatPath(['parameters', 'a b', 'c'])).toBe('parameters["a b"].c');
    expect(formatPath([])).toBe('');
  });
});

// ---- random experiments -----------------------------------------------------------------------------------

type Json = Record<string, unknown>;

const NEURON_TYPES = ['IF_curr_exp', 'IF_cond_exp', 'EIF_cond_exp_isfa_ista'] as const;

const sized = <T>(size: number, element: fc.Arbitrary<T>) => fc.array(element, { minLength: size, maxLength: size });

/** A valid population of `size` (label assigned later). */
function populationArbitrary(): fc.Arbitrary<Json> {
  return fc.integer({ min: 1, max: 6 }).chain((size) =>
    fc.oneof(
      fc.record({
        size: fc.constant(size),
        cellType: fc.constantFrom(...NEURON_TYPES),
        parameters: fc.record(
          {
            tau_m: fc.oneof(fc.double({ min: 1, max: 50, noNaN: true }), sized(size, fc.double({ min: 1, max: 50, noNaN: true }))),
            v_thresh: fc.double({ min: -60, max: -40, noNaN: true }),
            tau_refrac: fc.double({ min: 0, max: 5, noNaN: true }),
          },
          { requiredKeys: [] },
        ),
        record: fc.constantFrom([], ['spikes']),
      }),
      fc.record({
        size: fc.constant(size),
        cellType: fc.constant('SpikeSourceArray'),
        parameters: fc.record({
          spike_times: fc.oneof(
            fc.array(fc.double({ min: 0, max: 100, noNaN: true })).map((t) => t.sort((a, b) => a - b)),
            sized(size, fc.array(fc.double({ min: 0, max: 100, noNaN: true })).map((t) => t.sort((a, b) => a - b))),
          ),
        }),
        record: fc.constantFrom([], ['spikes']),
      }),
      fc.record({ size: fc.constant(size), cellType: fc.constant('SpikeSourcePoisson'), parameters: fc.record({ rate: fc.double({ min: 0, max: 100, noNaN: true }) }), record: fc.constantFrom([], ['spikes']) }),
    ),
  );
}

const CONNECTORS = ['AllToAll', 'OneToOne', 'FixedProbability', 'FixedNumberPre', 'FixedNumberPost', 'FixedTotalNumber', 'FromList', 'Array'] as const;

/** A valid connector between groups of P and Q neurons, from random draws. */
function connector(kind: (typeof CONNECTORS)[number], P: number, Q: number, f: number, seed: number, pairs: [number, number][], matrix: boolean[][]): Json {
  switch (kind) {
    case 'AllToAll':
      return { type: kind };
    case 'OneToOne':
      return P === Q ? { type: kind } : { type: 'AllToAll', allowSelfConnections: true };
    case 'FixedProbability':
      return { type: kind, p: f, seed };
    case 'FixedNumberPre':
      return { type: kind, n: Math.floor(f * P), seed };
    case 'FixedNumberPost':
      return { type: kind, n: Math.floor(f * Q), withReplacement: false };
    case 'FixedTotalNumber':
      return { type: kind, n: Math.floor(f * P * Q), seed };
    case 'FromList':
      return { type: kind, connections: pairs.map(([i, j]) => [i % P, j % Q]) };
    case 'Array':
      return { type: kind, matrix: Array.from({ length: P }, (_, i) => Array.from({ length: Q }, (_, j) => matrix[i]?.[j] ?? false)) };
  }
}

const experimentArbitrary: fc.Arbitrary<Json> = fc
  .tuple(populationArbitrary().filter((p) => (NEURON_TYPES as readonly string[]).includes(p.cellType as string)), fc.array(populationArbitrary(), { maxLength: 3 }), fc.boolean())
  .chain(([first, rest, traceFirst]) => {
    const populations: Json[] = [first, ...rest].map((p, k) => ({ label: `p${k}`, ...p }));
    if (traceFirst) populations[0]!.record = ['spikes', { variables: ['v'], indices: [0] }];
    const neurons = populations.flatMap((p, k) => ((NEURON_TYPES as readonly string[]).includes(p.cellType as string) ? [k] : []));
    const projection = fc
      .record({
        pre: fc.nat(populations.length - 1),
        post: fc.constantFrom(...neurons),
        kind: fc.constantFrom(...CONNECTORS),
        f: fc.double({ min: 0, max: 1, noNaN: true }),
        seed: fc.nat(1000),
        pairs: fc.array(fc.tuple(fc.nat(10), fc.nat(10)), { maxLength: 5 }),
        matrix: fc.array(fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), { minLength: 6, maxLength: 6 }),
        inhibitory: fc.boolean(),
        weight: fc.integer({ min: 0, max: 63 }),
      })
      .map((r) => {
        const P = populations[r.pre]!.size as number;
        const Q = populations[r.post]!.size as number;
        return {
          pre: `p${r.pre}`,
          post: `p${r.post}`,
          connector: connector(r.kind, P, Q, r.f, r.seed, r.pairs, r.matrix),
          synapse: { weight: r.inhibitory ? -r.weight : r.weight },
          receptorType: r.inhibitory ? 'inhibitory' : 'excitatory',
        };
      });
    const step = fc.oneof(
      fc.double({ min: 0.1, max: 50, noNaN: true }).map((run) => ({ run })),
      fc.constant({ reset: true }),
      fc.double({ min: 1, max: 30, noNaN: true }).map((tau_m) => ({ set: { population: 'p0', parameters: { tau_m } } })),
    );
    return fc.record({
      name: fc.constant('random'),
      setup: fc.record({ chipSeed: fc.nat(100), idealChip: fc.boolean(), calibration: fc.constantFrom('nominal', 'calibrate'), seed: fc.nat(100) }, { requiredKeys: [] }),
      populations: fc.constant(populations),
      projections: fc.array(projection, { maxLength: 4 }),
      timing: fc.oneof(
        fc.double({ min: 0.1, max: 100, noNaN: true }).map((duration_ms) => ({ duration_ms })),
        fc.tuple(fc.array(step, { maxLength: 4 }), fc.double({ min: 0.1, max: 50, noNaN: true })).map(([steps, run]) => ({ schedule: [...steps, { run }] })),
      ),
    }).map(({ timing, ...rest }) => ({ ...rest, ...timing }));
  });

/** A corruption of one field: the corrupted file and the path the issue must name, or undefined if not applicable. */
type Corruption = (experiment: Json, k: number) => [Json, string] | undefined;

const populationsOf = (e: Json) => e.populations as Json[];
const projectionsOf = (e: Json) => e.projections as Json[];
const pick = <T>(items: readonly T[], k: number) => items[k % items.length]!;

const corruptions: Record<string, Corruption> = {
  'size 0': (e, k) => {
    const i = k % populationsOf(e).length;
    populationsOf(e)[i]!.size = 0;
    return [e, `populations[${i}].size`];
  },
  'unknown cell type': (e, k) => {
    const i = k % populationsOf(e).length;
    populationsOf(e)[i]!.cellType = 'IF_facets_hardware1';
    return [e, `populations[${i}].cellType`];
  },
  'duplicate population label': (e, k) => {
    if (populationsOf(e).length < 2) return undefined;
    const i = 1 + (k % (populationsOf(e).length - 1));
    populationsOf(e)[i]!.label = 'p0';
    return [e, `populations[${i}].label`];
  },
  'unknown parameter': (e, k) => {
    const i = k % populationsOf(e).length;
    const p = populationsOf(e)[i]!;
    p.parameters = { ...(p.parameters as Json), tau_x: 1 };
    return [e, `populations[${i}].parameters.tau_x`];
  },
  'per-neuron array of the wrong length': (e, k) => {
    const i = k % populationsOf(e).length;
    const p = populationsOf(e)[i]!;
    const name = p.cellType === 'SpikeSourceArray' ? 'spike_times' : p.cellType === 'SpikeSourcePoisson' ? 'rate' : 'tau_m';
    const value = name === 'spike_times' ? [] : 1;
    p.parameters = { ...(p.parameters as Json), [name]: Array.from({ length: (p.size as number) + 1 }, () => value) };
    return [e, `populations[${i}].parameters.${name}`];
  },
  'a recordable the cell type lacks': (e, k) => {
    const i = k % populationsOf(e).length;
    const p = populationsOf(e)[i]!;
    p.record = [...(p.record as unknown[]), 'gsyn_exc'];
    return [e, `populations[${i}].record[${(p.record as unknown[]).length - 1}]`];
  },
  'unknown pre population': (e, k) => {
    if (projectionsOf(e).length === 0) return undefined;
    const j = k % projectionsOf(e).length;
    projectionsOf(e)[j]!.pre = 'nowhere';
    return [e, `projections[${j}].pre`];
  },
  'unknown connector type': (e, k) => {
    if (projectionsOf(e).length === 0) return undefined;
    const j = k % projectionsOf(e).length;
    projectionsOf(e)[j]!.connector = { type: 'SmallWorld' };
    return [e, `projections[${j}].connector.type`];
  },
  'weight of the wrong sign': (e, k) => {
    if (projectionsOf(e).length === 0) return undefined;
    const j = k % projectionsOf(e).length;
    const p = projectionsOf(e)[j]!;
    p.synapse = { weight: p.receptorType === 'inhibitory' ? 3 : -3 };
    return [e, `projections[${j}].synapse.weight`];
  },
  'unknown receptor type': (e, k) => {
    if (projectionsOf(e).length === 0) return undefined;
    const j = k % projectionsOf(e).length;
    projectionsOf(e)[j]!.receptorType = pick(['NMDA', 'exc', ''], k);
    return [e, `projections[${j}].receptorType`];
  },
  'non-zero delay': (e, k) => {
    if (projectionsOf(e).length === 0) return undefined;
    const j = k % projectionsOf(e).length;
    projectionsOf(e)[j]!.synapse = { ...(projectionsOf(e)[j]!.synapse as Json), delay: 1 };
    return [e, `projections[${j}].synapse.delay`];
  },
  'non-positive run': (e, k) => {
    if (e.duration_ms !== undefined) {
      e.duration_ms = -k;
      return [e, 'duration_ms'];
    }
    const steps = e.schedule as Json[];
    const s = steps.findIndex((step) => 'run' in step);
    steps[s]!.run = -k;
    return [e, `schedule[${s}].run`];
  },
  'chip seed out of range': (e, k) => {
    e.setup = { ...(e.setup as Json), chipSeed: pick([-1, 2 ** 32, 1.5], k) };
    return [e, 'setup.chipSeed'];
  },
  'unknown setup key': (e) => {
    e.setup = { ...(e.setup as Json), timestep: 0.1 };
    return [e, 'setup.timestep'];
  },
  'wrong type of a population field': (e, k) => {
    const i = k % populationsOf(e).length;
    populationsOf(e)[i]!.record = 'spikes';
    return [e, `populations[${i}].record`];
  },
};

describe('random experiments (fast-check)', () => {
  it('every cell type of the contract is known to the format', () => {
    expect(cellTypeNames).toEqual(['IF_curr_exp', 'IF_cond_exp', 'IF_curr_alpha', 'IF_cond_alpha', 'EIF_cond_exp_isfa_ista', 'SpikeSourceArray', 'SpikeSourcePoisson', 'SpikeSourcePoissonOnChip', 'HXNeuron']);
  });

  it('random valid experiments parse', () => {
    fc.assert(
      fc.property(experimentArbitrary, (json) => {
        const experiment = parseExperiment(json);
        expect(experiment.populations).toHaveLength((json.populations as unknown[]).length);
        expect(experiment.schedule.some((s) => 'run' in s)).toBe(true);
      }),
      { seed: 0x5c4e3a, numRuns: 300 },
    );
  });

  it('a random single-field corruption is rejected with the corrupted field’s path', () => {
    const names = Object.keys(corruptions);
    fc.assert(
      fc.property(experimentArbitrary, fc.constantFrom(...names), fc.nat(100), (json, name, k) => {
        const corrupted = corruptions[name]!(structuredClone(json), k);
        fc.pre(corrupted !== undefined);
        const [file, path] = corrupted!;
        expect(pathsOf(file)).toContain(path);
      }),
      { seed: 0xc0229, numRuns: 400 },
    );
  });
});

describe('JSON Schema for editors', () => {
  const file = `${FIXTURES}experiment.schema.json`;
  const current = `${JSON.stringify(experimentJsonSchema(), null, 2)}\n`;
  if (process.env.BSS2_UPDATE_FIXTURES === '1') writeFileSync(file, current);

  it('test-fixtures/experiments/experiment.schema.json is current', () => {
    expect(readFileSync(file, 'utf8')).toBe(current);
  });

  it('lists every cell type with its parameters and recordables', () => {
    const schema = experimentJsonSchema() as { $defs: { Population: { oneOf: { properties: { cellType: { const: string }; parameters: { properties: Json } } }[] } } };
    const options = schema.$defs.Population.oneOf;
    expect(options.map((o) => o.properties.cellType.const)).toEqual(cellTypeNames);
    const lif = options.find((o) => o.properties.cellType.const === 'IF_curr_exp')!;
    expect(Object.keys(lif.properties.parameters.properties)).toEqual(['cm', 'tau_m', 'tau_refrac', 'tau_syn_E', 'tau_syn_I', 'v_rest', 'v_reset', 'v_thresh', 'i_offset']);
  });
});
