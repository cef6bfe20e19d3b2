import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Group } from 'h5wasm';
import { describe, expect, it } from 'vitest';
import {
  NIR_FORMAT_VERSION,
  NIRFormatError,
  nirArray,
  readNIR,
  readNIRData,
  readNIRFile,
  writeNIR,
  writeNIRData,
  type NIRArray,
  type NIRGraph,
  type NIRGraphData,
  type NIRNodeData,
  type NIRValue,
} from '../src/nir/index.js';
import { createGroup, fileBytes, writeArray, writeAttribute, writeStrings } from '../src/nir/h5.js';

const FIXTURES = fileURLToPath(new URL('../../../test-fixtures/nir/', import.meta.url));
const READ_CHECK = fileURLToPath(new URL('../../../tools/nir/read-check.py', import.meta.url));
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));

const f64 = (shape: number[], values: number[]): NIRArray => nirArray(shape, values, 'float64');
const f32 = (shape: number[], values: number[]): NIRArray => nirArray(shape, values, 'float32');
const i64 = (shape: number[], values: number[]): NIRArray => nirArray(shape, values, 'int64');
const grid = (shape: number[], value: (...index: number[]) => number): number[] => {
  const [a = 1, b = 1, c = 1] = shape;
  const out: number[] = [];
  for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) for (let k = 0; k < c; k++) out.push(shape.length === 2 ? value(i, j) : value(i, j, k));
  return out;
};

/** The numbers tools/nir/write-fixture.py writes, stated again. */
const fixtureGraph: NIRGraph = {
  nodes: {
    input: { type: 'Input', shape: [4] },
    affine1: {
      type: 'Affine',
      weight: f32([8, 4], grid([8, 4], (i, j) => (((i! * 4 + j!) % 7) - 3) / 8)),
      bias: f32([8], Array.from({ length: 8 }, (_, i) => (i - 4) / 16)),
    },
    cubalif: {
      type: 'CubaLIF',
      tau_syn: f64([8], [0.005, 0.0055, 0.006, 0.0065, 0.007, 0.0075, 0.008, 0.0085]),
      tau_mem: f64([8], [0.01, 0.011, 0.012, 0.013, 0.014, 0.015, 0.016, 0.017]),
      r: f64([8], Array(8).fill(1)),
      v_leak: f64([8], [0, 0.01, 0.02, 0.03, -0.01, -0.02, -0.03, 0]),
      v_threshold: f64([8], [1.0, 1.1, 1.2, 1.3, 0.9, 0.8, 0.7, 1.0]),
      v_reset: f64([8], Array(8).fill(0)),
      w_in: f64([8], [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5]),
      metadata: { label: 'hidden' },
    },
    affine2: {
      type: 'Affine',
      weight: f32([3, 8], grid([3, 8], (i, j) => (((i! * 8 + j!) % 5) - 2) / 4)),
      bias: f32([3], [0, 0, 0]),
    },
    cubali: {
      type: 'CubaLI',
      tau_syn: f64([3], [0.005, 0.005, 0.005]),
      tau_mem: f64([3], [0.02, 0.02, 0.02]),
      r: f64([3], [1, 1, 1]),
      v_leak: f64([3], [0, 0, 0]),
      w_in: f64([3], [1, 1, 1]),
    },
    output: { type: 'Output', shape: [3] },
  },
  edges: [
    ['input', 'affine1'],
    ['affine1', 'cubalif'],
    ['cubalif', 'affine2'],
    ['affine2', 'cubali'],
    ['cubali', 'output'],
  ],
  metadata: { description: 'bss2 NIR fixture: two-layer CubaLIF/CubaLI network', dt: f64([], [1e-4]) },
};

const fixtureData: NIRGraphData = {
  type: 'NIRGraphData',
  nodes: {
    input: {
      type: 'NIRNodeData',
      observables: {
        spikes: { type: 'TimeGriddedData', data: nirArray([2, 5, 4], grid([2, 5, 4], (s, t, n) => ((s! + 2 * t! + 3 * n!) % 4 === 0 ? 1 : 0)), 'bool'), dt: 1e-3 },
      },
    },
    cubalif: {
      type: 'NIRNodeData',
      observables: {
        spikes: {
          type: 'EventData',
          idx: i64([2, 6], [0, 3, 7, 3, -1, -1, 5, 1, -1, -1, -1, -1]),
          time: f64([2, 6], [1e-4, 2.5e-4, 1e-3, 3e-3, Infinity, Infinity, 5e-4, 2e-3, Infinity, Infinity, Infinity, Infinity]),
          n_neurons: 8,
          t_max: 5e-3,
        },
        v: { type: 'TimeGriddedData', data: f32([2, 5, 8], grid([2, 5, 8], (s, t, n) => (s! * 40 + t! * 8 + n!) / 64 - 1)), dt: 1e-3 },
      },
    },
    cubali: {
      type: 'NIRNodeData',
      observables: {
        v: {
          type: 'ValuedEventData',
          idx: i64([1, 4], [0, 1, 2, -1]),
          time: f64([1, 4], [1e-3, 1e-3, 1e-3, Infinity]),
          value: f64([1, 4], [0.25, -0.5, 0.125, NaN]),
          n_neurons: 3,
          t_max: 5e-3,
        },
      },
    },
  },
};

/** The fixture data with the bool spikes as uint8, which h5wasm can write. */
function writableFixtureData(): NIRGraphData {
  const data = structuredClone(fixtureData);
  const spikes = (data.nodes['input'] as NIRNodeData).observables['spikes']!;
  if (spikes.type === 'TimeGriddedData') spikes.data.dtype = 'uint8';
  return data;
}

/** Catches the NIRFormatError `run` must reject with. */
async function formatError(run: () => Promise<unknown>): Promise<NIRFormatError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NIRFormatError);
  return error as NIRFormatError;
}

// ---- crafting files with any layout, valid or not ----

type Attribute = string | { float64: number } | { int64: number };
/** A file as a tree: strings, arrays and string arrays become datasets, `@` holds attributes, a function writes raw h5wasm. */
interface Tree {
  [name: string]: string | NIRArray | { shape: number[]; strings: string[] } | Tree | Record<string, Attribute> | ((group: Group, name: string) => void);
}

/** The subtree at a `/`-separated path. */
const subtree = (tree: Tree, path: string): Tree => path.split('/').reduce((node, key) => node[key] as Tree, tree);
const attributes = (tree: Tree, path: string): Record<string, Attribute> => subtree(tree, `${path}/@`) as Record<string, Attribute>;

function craftInto(group: Group, tree: Tree, path: string): void {
  for (const [name, value] of Object.entries(tree)) {
    const at = `${path}/${name}`;
    if (typeof value === 'function') value(group, name);
    else if (name === '@') for (const [attr, v] of Object.entries(value as Record<string, Attribute>)) writeAttribute(group, attr, v, path || '/');
    else if (typeof value === 'string') writeStrings(group, name, [value], undefined, at);
    else if ('data' in value && value.data instanceof Float64Array) writeArray(group, name, value as NIRArray, at);
    else if ('strings' in value && Array.isArray(value.strings)) writeStrings(group, name, value.strings, value.shape as number[], at);
    else craftInto(createGroup(group, name, at), value as Tree, at);
  }
}

const craft = (tree: Tree): Promise<Uint8Array> => fileBytes((root) => craftInto(root, tree, ''));

/** A valid NIR file as a tree, for the malformed cases to break one rule each. */
function validTree(): { version: string; node: Tree & { nodes: Record<string, Tree> } } {
  return {
    version: '1.0.7',
    node: {
      type: 'NIRGraph',
      nodes: {
        input: { type: 'Input', shape: i64([1], [3]) },
        lin: { type: 'Linear', weight: f64([2, 3], [1, 2, 3, 4, 5, 6]) },
        lif: {
          type: 'LIF',
          tau: f64([2], [0.01, 0.02]),
          r: f64([2], [1, 1]),
          v_leak: f64([2], [0, 0]),
          v_threshold: f64([2], [1, 1]),
          v_reset: f64([2], [0, 0]),
        },
        output: { type: 'Output', shape: i64([1], [2]) },
      },
      edges: { shape: [3, 2], strings: ['input', 'lin', 'lin', 'lif', 'lif', 'output'] },
    },
  };
}

describe('the fixture written by h5py (tools/nir/write-fixture.py)', () => {
  it('reads with exact values, dtypes, edges and metadata', async () => {
    const { version, graph } = await readNIRFile(fixture('cuba-lif-network.nir'));
    expect(version).toBe('1.0.7');
    expect(graph).toEqual(fixtureGraph);
  });

  it('reads the NIRData fixture exactly (bool grid, padded events, NaN in padding)', async () => {
    expect(await readNIRData(fixture('cuba-lif-network-data.h5'))).toEqual(fixtureData);
  });
});

describe('round trips', () => {
  it('the fixture graph: writeNIR then readNIR gives it back, version NIR_FORMAT_VERSION', async () => {
    const file = await readNIRFile(await writeNIR(fixtureGraph));
    expect(file).toEqual({ version: NIR_FORMAT_VERSION, graph: fixtureGraph });
  });

  it('nested graphs with dotted edges, unknown node types, every metadata kind, scalars and empty edge lists', async () => {
    const graph = richGraph();
    expect(await readNIR(await writeNIR(graph))).toEqual(graph);
  });

  it('NIRData: writeNIRData then readNIRData gives it back', async () => {
    const data = writableFixtureData();
    expect(await readNIRData(await writeNIRData(data))).toEqual(data);
  });

  it('files from NIR 0.x without v_reset / w_in take NIR defaults (zeros / ones, shape and dtype of the neuron)', async () => {
    const tree = validTree();
    delete tree.node.nodes['lif']!['v_reset'];
    tree.node.nodes['cubalif'] = {
      type: 'CubaLIF',
      tau_syn: f32([2], [0.5, 0.5]),
      tau_mem: f32([2], [1, 1]),
      r: f32([2], [1, 1]),
      v_leak: f32([2], [0, 0]),
      v_threshold: f32([2], [1, 2]),
    };
    tree.node.nodes['cubali'] = { type: 'CubaLI', tau_syn: f64([2], [1, 1]), tau_mem: f64([2], [1, 1]), r: f64([2], [1, 1]), v_leak: f64([2], [0, 0]), w_in: f64([], [0.5]) };
    const graph = await readNIR(await craft(tree));
    expect(graph.nodes['lif']).toMatchObject({ v_reset: f64([2], [0, 0]) });
    expect(graph.nodes['cubalif']).toMatchObject({ v_reset: f32([2], [0, 0]), w_in: f32([2], [1, 1]) });
    // A single w_in stands for every neuron (NIR: np.ones_like(v_leak) * w_in).
    expect(graph.nodes['cubali']).toMatchObject({ w_in: f64([2], [0.5, 0.5]) });
  });

  it('keeps a node type it does not model (Conv2d) as unknown, naming the type, and writes it back unchanged', async () => {
    const tree = validTree();
    tree.node.nodes['conv'] = { type: 'Conv2d', weight: f32([2, 1, 3, 3], Array(18).fill(0.5)), stride: i64([2], [1, 1]), padding: 'same', groups: i64([], [1]) };
    const graph = await readNIR(await craft(tree));
    const conv = graph.nodes['conv'];
    expect(conv).toEqual({ type: 'unknown', nirType: 'Conv2d', fields: { weight: f32([2, 1, 3, 3], Array(18).fill(0.5)), stride: i64([2], [1, 1]), padding: 'same', groups: i64([], [1]) } });
    expect(await readNIR(await writeNIR(graph))).toEqual(graph);
  });
});

/** A graph using every feature of the layout. */
function richGraph(): NIRGraph {
  return {
    nodes: {
      in: { type: 'Input', shape: [2] },
      'w.1': { type: 'Linear', weight: f32([2, 2], [1, -1, 0.5, 2]) },
      sub: {
        type: 'NIRGraph',
        nodes: {
          in: { type: 'Input', shape: [2] },
          lif: { type: 'LIF', tau: f64([2], [0.01, 0.02]), r: f64([2], [1, 1]), v_leak: f64([2], [0, 0]), v_threshold: f64([2], [1, 1]), v_reset: f64([2], [-0, 0]) },
          out: { type: 'Output', shape: [2] },
          idle: { type: 'NIRGraph', nodes: {}, edges: [] },
        },
        edges: [
          ['in', 'lif'],
          ['lif', 'out'],
        ],
        metadata: { note: 'nested' },
      },
      scale: { type: 'Scale', scale: f64([], [0.25]) },
      thr: { type: 'Threshold', threshold: nirArray([2], [1, 3], 'int32') },
      if: { type: 'IF', r: f64([1, 2], [1, 1]), v_threshold: f64([1, 2], [1, 1]), v_reset: f64([1, 2], [0, 0]) },
      li: { type: 'LI', tau: f64([2], [1e-3, 2e-3]), r: f64([2], [1, 1]), v_leak: f64([2], [0, 0]) },
      i: { type: 'I', r: f64([2], [1, 2]) },
      flat: { type: 'unknown', nirType: 'Flatten', fields: { start_dim: i64([], [1]), end_dim: i64([], [-1]) }, metadata: { by: 'test' } },
      out: { type: 'Output', shape: [2] },
    },
    edges: [
      ['in', 'w.1'],
      ['w.1', 'sub.in'],
      ['sub.out', 'scale'],
      ['scale', 'thr'],
      ['thr', 'if'],
      ['if', 'li'],
      ['li', 'i'],
      ['i', 'flat'],
      ['flat', 'out'],
      ['sub', 'out'],
    ],
    metadata: {
      text: 'ünïcødé ✓',
      count: i64([], [3]),
      table: f64([2, 2], [1, 2, 3, Number.NaN]),
      names: { shape: [2], strings: ['a', 'b'] },
      nested: { deeper: { x: f64([], [-0]), none: f64([0, 3], []) } },
    },
  };
}

describe('malformed files → NIRFormatError with path, value and rule', () => {
  it('a valid crafted file reads (the baseline of the cases below)', async () => {
    expect(Object.keys((await readNIR(await craft(validTree()))).nodes).sort()).toEqual(['input', 'lif', 'lin', 'output']);
  });

  it.each([
    ['not HDF5', new TextEncoder().encode('this is not an HDF5 file'), /not an HDF5 file/],
    ['empty', new Uint8Array(0), /not an HDF5 file/],
  ])('%s bytes', async (_, bytes, rule) => {
    const error = await formatError(() => readNIR(bytes));
    expect(error.path).toBe('/');
    expect(error.rule).toMatch(rule);
  });

  it('truncated files, cut anywhere', async () => {
    const bytes = fixture('cuba-lif-network.nir');
    for (const length of [4, 8, 40, 100, 2048, bytes.length >> 1, bytes.length - 1]) {
      const error = await formatError(() => readNIR(bytes.subarray(0, length)));
      expect(error.path).toBe('/');
      expect(error.rule).toMatch(length < 8 ? /not an HDF5 file/ : /truncated/);
    }
  });

  it('a value that is not a Uint8Array', async () => {
    await formatError(() => readNIR('file.nir' as unknown as Uint8Array));
  });

  type Case = [string, (tree: ReturnType<typeof validTree>) => void, string, unknown, RegExp];
  const cases: Case[] = [
    ['missing version', (t) => delete (t as Partial<typeof t>).version, '/version', undefined, /root dataset "version"/],
    ['numeric version', (t) => Object.assign(t, { version: f64([], [1]) }), '/version', 'numbers of shape ()', /holding a string/],
    ['root node not a graph', (t) => Object.assign(t.node, { type: 'LIF' }), '/node/type', 'LIF', /must be a NIRGraph/],
    ['edge to an unknown node', (t) => Object.assign(t.node, { edges: { shape: [2, 2], strings: ['input', 'lin', 'lin', 'nowhere'] } }), '/node/edges[1][1]', 'nowhere', /must name a node/],
    ['edge into a subgraph that does not exist', (t) => Object.assign(t.node, { edges: { shape: [1, 2], strings: ['sub.in', 'lin'] } }), '/node/edges[0][0]', 'sub.in', /must name a node/],
    ['edges of shape (n, 3)', (t) => Object.assign(t.node, { edges: { shape: [1, 3], strings: ['input', 'lin', 'lif'] } }), '/node/edges', 'strings of shape (1, 3)', /\(n, 2\)/],
    ['edges as numbers', (t) => Object.assign(t.node, { edges: f64([1, 2], [0, 1]) }), '/node/edges', 'numbers of shape (1, 2)', /node names/],
    ['missing edges', (t) => delete t.node['edges'], '/node/edges', undefined, /dataset "edges"/],
    ['missing nodes', (t) => delete (t.node as Partial<Tree>)['nodes'], '/node/nodes', undefined, /group "nodes"/],
    ['neuron parameters of different shapes', (t) => Object.assign(t.node.nodes['lif']!, { v_leak: f64([3], [0, 0, 0]) }), '/node/nodes/lif/v_leak', '(3,)', /same shape; tau has \(2,\)/],
    ['Affine bias not matching the weight', (t) => Object.assign(t.node.nodes, { aff: { type: 'Affine', weight: f64([2, 3], Array(6).fill(1)), bias: f64([3], [0, 0, 0]) } }), '/node/nodes/aff/bias', '(3,)', /shape \(2,\) for weight \(2, 3\)/],
    ['1-D Linear weight', (t) => Object.assign(t.node.nodes['lin']!, { weight: f64([3], [1, 2, 3]) }), '/node/nodes/lin/weight', '(3,)', /at least 2-D/],
    ['NaN parameter', (t) => Object.assign(t.node.nodes['lif']!, { tau: f64([2], [0.01, Number.NaN]) }), '/node/nodes/lif/tau[1]', Number.NaN, /finite/],
    ['infinite weight', (t) => Object.assign(t.node.nodes['lin']!, { weight: f64([2, 3], [1, 2, 3, 4, -Infinity, 6]) }), '/node/nodes/lin/weight[4]', -Infinity, /finite/],
    ['missing parameter', (t) => delete t.node.nodes['lif']!['r'], '/node/nodes/lif/r', undefined, /parameters tau, r, v_leak/],
    ['unexpected parameter', (t) => Object.assign(t.node.nodes['lif']!, { gain: f64([2], [1, 1]) }), '/node/nodes/lif/gain', 'gain', /has only type, metadata, tau/],
    ['parameter stored as strings', (t) => Object.assign(t.node.nodes['lif']!, { tau: 'fast' }), '/node/nodes/lif/tau', 'strings of shape ()', /numeric array/],
    ['node without a type', (t) => delete t.node.nodes['lin']!['type'], '/node/nodes/lin/type', undefined, /dataset "type"/],
    ['2-D Input shape', (t) => Object.assign(t.node.nodes['input']!, { shape: i64([1, 1], [3]) }), '/node/nodes/input/shape', '(1, 1)', /1-D/],
    ['negative Input extent', (t) => Object.assign(t.node.nodes['input']!, { shape: i64([1], [-3]) }), '/node/nodes/input/shape', [-3], /non-negative integers/],
    ['a node that is a dataset', (t) => Object.assign(t.node.nodes, { odd: 'LIF' }), '/node/nodes/odd', 'a dataset', /a group/],
    ['an element type NIR arrays do not use (uint64)', (t) => Object.assign(t.node.nodes['lin']!, { weight: (g: Group, name: string) => g.create_dataset({ name, data: new BigUint64Array([1n]), dtype: '<Q' }) }), '/node/nodes/lin/weight', 'uint64', /element type must be one of/],
  ];
  it.each(cases)('%s', async (_, breakRule, path, value, rule) => {
    const tree = validTree();
    breakRule(tree);
    const error = await formatError(async () => readNIR(await craft(tree)));
    expect(error.path).toBe(path);
    expect(error.value).toEqual(value);
    expect(error.rule).toMatch(rule);
    expect(error.message).toContain(path);
  });

  it('NIRData: wrong root type, observable type, index range, shapes and time step', async () => {
    const base = (): Tree => ({
      '@': { __type__: 'NIRGraphData' },
      nodes: {
        lif: {
          '@': { __type__: 'NIRNodeData' },
          observables: {
            spikes: { '@': { __type__: 'EventData', n_neurons: { int64: 2 }, t_max: { float64: 1 } }, idx: i64([1, 2], [0, 1]), time: f64([1, 2], [0.1, 0.2]) },
            v: { '@': { __type__: 'TimeGriddedData', dt: { float64: 0.1 } }, data: f64([1, 1, 2], [0, 1]) },
          },
        },
      },
    });
    expect(Object.keys((await readNIRData(await craft(base()))).nodes)).toEqual(['lif']);
    const spikes = 'nodes/lif/observables/spikes';
    const v = 'nodes/lif/observables/v';
    const broken: [(t: Tree) => void, string, RegExp][] = [
      [(t) => (t['@'] = { __type__: 'NIRGraph' }), '/@__type__', /"NIRGraphData"/],
      [(t) => delete t['@'], '/@__type__', /"NIRGraphData"/],
      [(t) => (attributes(t, v)['__type__'] = 'Spikes'), `/${v}@__type__`, /TimeGriddedData/],
      [(t) => (subtree(t, spikes)['idx'] = i64([1, 2], [0, 2])), `/${spikes}/idx[1]`, /neuron 0\.\.1/],
      [(t) => (subtree(t, spikes)['time'] = f64([2], [0.1, 0.2])), `/${spikes}/time`, /shape of idx/],
      [(t) => (subtree(t, spikes)['time'] = f64([1, 2], [0.1, Number.NaN])), `/${spikes}/time[1]`, /finite/],
      [(t) => (subtree(t, v)['data'] = f64([1, 2], [0, 1])), `/${v}/data`, /n_samples, n_time_steps, n_neurons/],
      [(t) => (attributes(t, v)['dt'] = { float64: 0 }), `/${v}@dt`, /positive/],
      [(t) => delete attributes(t, spikes)['n_neurons'], `/${spikes}@n_neurons`, /scalar number/],
      [(t) => (subtree(t, v)['extra'] = f64([1], [1])), `/${v}/extra`, /has only data/],
    ];
    for (const [breakRule, path, rule] of broken) {
      const tree = base();
      breakRule(tree);
      const error = await formatError(async () => readNIRData(await craft(tree)));
      expect([error.path, error.rule]).toEqual([path, expect.stringMatching(rule)]);
    }
  });
});

describe('writeNIR refuses what it cannot write faithfully', () => {
  const small = (): NIRGraph => ({
    nodes: { in: { type: 'Input', shape: [3] }, li: fixtureGraph.nodes['cubali']!, out: { type: 'Output', shape: [3] } },
    edges: [['in', 'li']],
  });

  it.each<[string, (g: NIRGraph) => void, string, RegExp]>([
    ['an edge to a missing node', (g) => g.edges.push(['li', 'nowhere']), '/node/edges[1][1]', /must name a node/],
    ['a name with a slash', (g) => (g.nodes['a/b'] = { type: 'Output', shape: [1] }), '/node/nodes/a/b', /without "\/"/],
    ['a float32 value float32 cannot hold', (g) => (g.nodes['w'] = { type: 'Linear', weight: f32([1, 1], [0.1]) }), '/node/nodes/w/weight[0]', /float32/],
    ['an int64 value beyond 2^53', (g) => (g.nodes['s'] = { type: 'Scale', scale: i64([1], [2 ** 60]) }), '/node/nodes/s/scale[0]', /int64/],
    ['a bool array (h5wasm has no enum types)', (g) => (g.nodes['s'] = { type: 'Scale', scale: nirArray([1], [1], 'bool') }), '/node/nodes/s/scale', /uint8/],
    ['data and shape disagreeing', (g) => (g.nodes['s'] = { type: 'Scale', scale: { shape: [3], data: new Float64Array(2) } }), '/node/nodes/s/scale', /needs 3 values/],
    ['an unknown node claiming a modelled type', (g) => (g.nodes['u'] = { type: 'unknown', nirType: 'LIF', fields: {} }), '/node/nodes/u/type', /does not model/],
  ])('%s', async (_, breakRule, path, rule) => {
    const graph = small();
    breakRule(graph);
    const error = await formatError(() => writeNIR(graph));
    expect([error.path, error.rule]).toEqual([path, expect.stringMatching(rule)]);
  });

  it('bool NIRData (as h5py writes spikes) is read but not written', async () => {
    const error = await formatError(() => writeNIRData(fixtureData));
    expect(error.path).toBe('/nodes/input/observables/spikes/data');
  });
});

// ---- h5py cross-check ----

function findPython(): string | undefined {
  // Debian's python3-h5py installs for /usr/bin/python3, which a pyenv or venv python3 may shadow.
  const candidates = [process.env['PYTHON'] ?? 'python3', '/usr/bin/python3'];
  return candidates.find((python) => spawnSync(python, ['-c', 'import h5py'], { stdio: 'ignore' }).status === 0);
}
const python = findPython();
const SKIP = 'h5py cross-check skipped: `python3 -c "import h5py"` fails (apt-get install -y python3-h5py python3-numpy)';

type H5Entry = { kind: 'group'; attrs: Record<string, unknown> } | { kind: 'dataset'; dtype: unknown; shape: number[]; values: unknown; compression: string | null; compression_opts: number | null; chunks: number[] | null; attrs: Record<string, unknown> };

function readCheck(bytes: Uint8Array): Record<string, H5Entry> {
  const dir = mkdtempSync(join(tmpdir(), 'bss2-nir-'));
  try {
    const file = join(dir, 'file.h5');
    writeFileSync(file, bytes);
    return JSON.parse(execFileSync(python!, [READ_CHECK, file], { encoding: 'utf8' })) as Record<string, H5Entry>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const numpyDType: Record<string, string> = { float64: '<f8', float32: '<f4', int64: '<i8', int32: '<i4', int16: '<i2', int8: '|i1', uint32: '<u4', uint16: '<u2', uint8: '|u1', bool: '|b1' };

/** What read-check.py prints for an array: nested lists, non-finite numbers as strings. */
function jsonValues({ shape, data }: NIRArray): unknown {
  const plain = (x: number): unknown => (Number.isNaN(x) ? 'nan' : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : x);
  const nest = (offset: number, dims: number[]): unknown => {
    if (dims.length === 0) return plain(data[offset]!);
    const [extent, ...rest] = dims;
    const stride = rest.reduce((a, b) => a * b, 1);
    return Array.from({ length: extent! }, (_, i) => nest(offset + i * stride, rest));
  };
  return nest(0, shape);
}

/** Every dataset of a graph as h5py should see it: path → dtype, shape, values. */
function expectedDatasets(graph: NIRGraph, path = '/node', out: Record<string, unknown> = {}): Record<string, unknown> {
  const string = (s: string): unknown => ({ dtype: { string: 'utf-8', vlen: true }, shape: [], values: s });
  const array = (a: NIRArray): unknown => ({ dtype: numpyDType[a.dtype ?? 'float64'], shape: a.shape, values: jsonValues(a) });
  const group = (value: Record<string, NIRValue>, at: string): void => {
    for (const [name, entry] of Object.entries(value)) {
      if (typeof entry === 'string') out[`${at}/${name}`] = string(entry);
      else if ('data' in entry && entry.data instanceof Float64Array) out[`${at}/${name}`] = array(entry as NIRArray);
      else if ('strings' in entry && Array.isArray(entry.strings)) out[`${at}/${name}`] = { dtype: { string: 'utf-8', vlen: true }, shape: entry.shape, values: entry.strings };
      else group(entry as Record<string, NIRValue>, `${at}/${name}`);
    }
  };
  out[`${path}/type`] = string('NIRGraph');
  out[`${path}/edges`] = graph.edges.length === 0 ? { dtype: '<f8', shape: [0], values: [] } : { dtype: { string: 'utf-8', vlen: true }, shape: [graph.edges.length, 2], values: graph.edges };
  if (graph.metadata) group(graph.metadata, `${path}/metadata`);
  for (const [name, node] of Object.entries(graph.nodes)) {
    const at = `${path}/nodes/${name}`;
    if (node.type === 'NIRGraph') {
      expectedDatasets(node, at, out);
      continue;
    }
    out[`${at}/type`] = string(node.type === 'unknown' ? node.nirType : node.type);
    if (node.metadata) group(node.metadata, `${at}/metadata`);
    if (node.type === 'Input' || node.type === 'Output') out[`${at}/shape`] = array(i64([node.shape.length], node.shape));
    else if (node.type === 'unknown') group(node.fields, at);
    else for (const [name, value] of Object.entries(node)) if (name !== 'type' && name !== 'metadata') out[`${at}/${name}`] = array(value as NIRArray);
  }
  return out;
}

describe('h5py reads what writeNIR writes (tools/nir/read-check.py)', () => {
  it('the fixture, read and written again, is the file h5py wrote: same datasets, dtypes, values, compression, chunks', async (ctx) => {
    if (python === undefined) return ctx.skip(SKIP);
    const rewritten = await writeNIR(await readNIR(fixture('cuba-lif-network.nir')));
    expect(readCheck(rewritten)).toEqual(readCheck(fixture('cuba-lif-network.nir')));
  });

  it('a graph with every feature: h5py sees exactly its nodes, types, parameters and edges', async (ctx) => {
    if (python === undefined) return ctx.skip(SKIP);
    const graph = richGraph();
    const seen = readCheck(await writeNIR(graph));
    const datasets = Object.fromEntries(
      Object.entries(seen)
        .filter((entry): entry is [string, Extract<H5Entry, { kind: 'dataset' }>] => entry[1].kind === 'dataset')
        .map(([path, { dtype, shape, values }]) => [path, { dtype, shape, values }]),
    );
    expect(datasets).toEqual({ '/version': { dtype: { string: 'utf-8', vlen: true }, shape: [], values: NIR_FORMAT_VERSION }, ...expectedDatasets(graph) });
    // As nir.write: numeric arrays gzip-4 and chunked, scalars and strings contiguous.
    for (const [path, entry] of Object.entries(seen)) {
      if (entry.kind !== 'dataset') continue;
      const compressed = typeof entry.dtype === 'string' && entry.shape.length > 0 && !path.endsWith('/edges');
      expect([path, entry.compression, entry.compression_opts, entry.chunks !== null]).toEqual([path, compressed ? 'gzip' : null, compressed ? 4 : null, compressed]);
    }
  });

  it('NIRData written again is the file h5py wrote (bool spikes as uint8 0/1)', async (ctx) => {
    if (python === undefined) return ctx.skip(SKIP);
    const original = readCheck(fixture('cuba-lif-network-data.h5'));
    const rewritten = readCheck(await writeNIRData(writableFixtureData()));
    const spikes = '/nodes/input/observables/spikes/data';
    const asBits = (values: unknown): unknown => JSON.parse(JSON.stringify(values), (_, v: unknown) => (typeof v === 'boolean' ? Number(v) : v));
    expect({ ...rewritten[spikes], dtype: '|b1' }).toEqual({ ...original[spikes], values: asBits((original[spikes] as { values: unknown }).values) });
    expect({ ...rewritten, [spikes]: undefined }).toEqual({ ...original, [spikes]: undefined });
  });
});
