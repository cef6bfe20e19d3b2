import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  NIRFormatError,
  nirArray,
  nirNodeParameters,
  readNIR,
  readNIRData,
  writeNIR,
  writeNIRData,
  type NIRArray,
  type NIRDType,
  type NIRGraph,
  type NIRGraphData,
  type NIRGroupValue,
  type NIRNode,
  type NIRNodeData,
  type NIRObservable,
  type NIRParameterNodeType,
  type NIRValue,
} from '../src/nir/index.js';

// HDF5 prints its error stack through h5wasm's console.error (bound when h5wasm loads) whenever it meets a
// corrupt file; the corruption property below expects that and keeps the test output readable.
vi.hoisted(() => {
  const print = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && /^(HDF5-DIAG|\s+#\d{3}:|\s+(major|minor):)/.test(args[0])) return;
    print(...args);
  };
});

fc.configureGlobal({ seed: 0x4e1d, numRuns: 40 });

const numericDTypes = ['float64', 'float32', 'int64', 'int32', 'int16', 'int8', 'uint32', 'uint16', 'uint8'] as const satisfies readonly NIRDType[];

function valueIn(dtype: (typeof numericDTypes)[number], finite: boolean): fc.Arbitrary<number> {
  switch (dtype) {
    case 'float64': return fc.double({ noNaN: finite, noDefaultInfinity: finite });
    case 'float32': return fc.float({ noNaN: finite, noDefaultInfinity: finite });
    case 'int64': return fc.maxSafeInteger();
    case 'int32': return fc.integer();
    case 'int16': return fc.integer({ min: -(2 ** 15), max: 2 ** 15 - 1 });
    case 'int8': return fc.integer({ min: -128, max: 127 });
    case 'uint32': return fc.nat({ max: 2 ** 32 - 1 });
    case 'uint16': return fc.nat({ max: 2 ** 16 - 1 });
    case 'uint8': return fc.nat({ max: 255 });
  }
}

const count = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** An array of this shape, of a random dtype (the same dtype for all when given). */
function arrayOf(shape: number[], finite: boolean, dtype?: (typeof numericDTypes)[number]): fc.Arbitrary<NIRArray> {
  return (dtype === undefined ? fc.constantFrom(...numericDTypes) : fc.constant(dtype)).chain((d) =>
    fc.array(valueIn(d, finite), { minLength: count(shape), maxLength: count(shape) }).map((values) => nirArray(shape, values, d)),
  );
}

const extents = (min: number, max: number): fc.Arbitrary<number[]> => fc.array(fc.integer({ min: 0, max: 4 }), { minLength: min, maxLength: max });
const anyShape = extents(0, 3);

const nameArb = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }).filter((s) => s !== '.' && !s.includes('/') && !s.includes('\0'));
const textArb = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !s.includes('\0'));

/** Metadata / unknown fields: strings, arrays (NaN and infinities allowed), string arrays, nested groups. */
const groupValueArb: fc.Arbitrary<NIRGroupValue> = fc.letrec<{ group: NIRGroupValue; value: NIRValue }>((tie) => ({
  group: fc.dictionary(nameArb, tie('value'), { maxKeys: 4, depthIdentifier: 'metadata' }),
  value: fc.oneof(
    { depthIdentifier: 'metadata', maxDepth: 2 },
    textArb,
    anyShape.chain((shape) => arrayOf(shape, false)),
    extents(1, 2).chain((shape) => fc.array(textArb, { minLength: count(shape), maxLength: count(shape) }).map((strings) => ({ shape, strings }))),
    tie('group'),
  ),
})).group;

const metadataArb = fc.option(groupValueArb.filter((m) => Object.keys(m).length > 0), { nil: undefined });
const withMetadata = <T extends object>(node: T, metadata: NIRGroupValue | undefined): T => (metadata === undefined ? node : { ...node, metadata });

function parameterNodeArb(type: NIRParameterNodeType): fc.Arbitrary<NIRNode> {
  const names = nirNodeParameters[type];
  const shapesArb: fc.Arbitrary<number[][]> =
    type === 'Affine'
      ? fc.tuple(extents(0, 1), fc.nat({ max: 4 }), fc.nat({ max: 4 })).map(([lead, out, inputs]) => [[...lead, out, inputs], [...lead, out]])
      : type === 'Linear'
        ? extents(2, 3).map((shape) => [shape])
        : anyShape.map((shape) => names.map(() => shape));
  return fc
    .tuple(shapesArb.chain((shapes) => fc.tuple(...shapes.map((shape) => arrayOf(shape, true)))), metadataArb)
    .map(([arrays, metadata]) => withMetadata({ type, ...Object.fromEntries(names.map((name, i) => [name, arrays[i]!])) } as NIRNode, metadata));
}

const leafNodeArb: fc.Arbitrary<NIRNode> = fc.oneof(
  fc.tuple(fc.constantFrom('Input' as const, 'Output' as const), extents(1, 3), metadataArb).map(([type, shape, metadata]) => withMetadata({ type, shape }, metadata)),
  ...(Object.keys(nirNodeParameters) as NIRParameterNodeType[]).map(parameterNodeArb),
  fc
    .tuple(fc.constantFrom('Conv2d', 'Flatten', 'Delay', 'SumPool2d'), groupValueArb.filter((f) => !('type' in f) && !('metadata' in f)), metadataArb)
    .map(([nirType, fields, metadata]) => withMetadata({ type: 'unknown' as const, nirType, fields }, metadata)),
);

/** Endpoint names an edge may use: the nodes, and `sub.inner` for the nodes of nested graphs. */
function endpoints(nodes: Record<string, NIRNode>): string[] {
  return Object.entries(nodes).flatMap(([name, node]) => [name, ...(node.type === 'NIRGraph' ? endpoints(node.nodes).map((inner) => `${name}.${inner}`) : [])]);
}

function graphArb(depth: number): fc.Arbitrary<NIRGraph> {
  const nodeArb = depth === 0 ? leafNodeArb : fc.oneof({ weight: 5, arbitrary: leafNodeArb }, { weight: 1, arbitrary: graphArb(depth - 1).map((g) => ({ type: 'NIRGraph' as const, ...g })) });
  return fc.tuple(fc.dictionary(nameArb, nodeArb, { maxKeys: 6 }), metadataArb).chain(([nodes, metadata]) => {
    const names = endpoints(nodes);
    const edgesArb = names.length === 0 ? fc.constant([]) : fc.array(fc.tuple(fc.constantFrom(...names), fc.constantFrom(...names)), { maxLength: 8 });
    return edgesArb.map((edges) => withMetadata({ nodes, edges } as NIRGraph, metadata));
  });
}

describe('NIR graphs round-trip exactly through writeNIR / readNIR', () => {
  it('random graphs of every node type, nested graphs, random shapes, dtypes, values and metadata', async () => {
    await fc.assert(
      fc.asyncProperty(graphArb(2), async (graph) => {
        expect(await readNIR(await writeNIR(graph))).toEqual(graph);
      }),
    );
  });
});

const floatDType = fc.constantFrom('float64' as const, 'float32' as const);

const observableArb: fc.Arbitrary<NIRObservable> = fc.oneof(
  fc
    .tuple(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 4 })), floatDType, fc.double({ min: 1e-9, max: 1, noNaN: true }))
    .chain(([shape, dtype, dt]) => arrayOf(shape, true, dtype).map((data): NIRObservable => ({ type: 'TimeGriddedData', data, dt }))),
  fc
    .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 6 }), fc.boolean(), fc.double({ min: 0, max: 10, noNaN: true }))
    .chain(([samples, events, neurons, valued, t_max]) => {
      const n = samples * events;
      return fc
        .tuple(
          fc.array(fc.integer({ min: -1, max: neurons - 1 }), { minLength: n, maxLength: n }),
          fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: n, maxLength: n }),
          fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n }),
          fc.constantFrom('int64' as const, 'int32' as const),
        )
        .map(([idx, times, values, idxType]): NIRObservable => {
          const shape = [samples, events];
          // No event: index -1, time +inf (as NIR's TimeGriddedData.to_event pads).
          const time = nirArray(shape, times.map((t, i) => (idx[i] === -1 ? Infinity : t)));
          const base = { idx: nirArray(shape, idx, idxType), time, n_neurons: neurons, t_max };
          return valued ? { type: 'ValuedEventData', ...base, value: nirArray(shape, values) } : { type: 'EventData', ...base };
        });
    }),
);

const nodeDataArb: fc.Arbitrary<NIRNodeData> = fc.dictionary(nameArb, observableArb, { maxKeys: 3 }).map((observables) => ({ type: 'NIRNodeData', observables }));
const graphDataArb: fc.Arbitrary<NIRGraphData> = fc
  .dictionary(nameArb, fc.oneof({ weight: 4, arbitrary: nodeDataArb }, { weight: 1, arbitrary: fc.dictionary(nameArb, nodeDataArb, { maxKeys: 2 }).map((nodes): NIRGraphData => ({ type: 'NIRGraphData', nodes })) }), { maxKeys: 4 })
  .map((nodes) => ({ type: 'NIRGraphData', nodes }));

describe('NIRData round-trips exactly through writeNIRData / readNIRData', () => {
  it('random observables: time grids, events with padding, valued events, nested graph data', async () => {
    await fc.assert(
      fc.asyncProperty(graphDataArb, async (data) => {
        expect(await readNIRData(await writeNIRData(data))).toEqual(data);
      }),
      { numRuns: 30 },
    );
  });
});

describe('corrupted files never crash untyped', () => {
  it('random byte changes and cuts of a written file: a graph or a NIRFormatError', async () => {
    const bytes = await writeNIR({
      nodes: {
        in: { type: 'Input', shape: [3] },
        w: { type: 'Affine', weight: nirArray([2, 3], [1, 2, 3, 4, 5, 6], 'float32'), bias: nirArray([2], [0, 1], 'float32') },
        lif: { type: 'CubaLIF', ...Object.fromEntries(nirNodeParameters.CubaLIF.map((name) => [name, nirArray([2], [1, 0.5])])) } as NIRNode,
        out: { type: 'Output', shape: [2] },
      },
      edges: [['in', 'w'], ['w', 'lif'], ['lif', 'out']],
      metadata: { note: 'corrupt me' },
    });
    const corruption = fc.record({
      changes: fc.array(fc.tuple(fc.nat({ max: bytes.length - 1 }), fc.nat({ max: 255 })), { minLength: 1, maxLength: 8 }),
      // Mostly byte changes (HDF5 meets them); sometimes a cut (caught before HDF5 by the superblock check).
      length: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.nat({ max: bytes.length }) }),
    });
    await fc.assert(
      fc.asyncProperty(corruption, async ({ changes, length }) => {
        const bad = bytes.slice(0, length);
        for (const [at, value] of changes) if (at < bad.length) bad[at] = value;
        const outcome = await readNIR(bad).then(
          (graph) => graph,
          (error: unknown) => error,
        );
        if (outcome instanceof Error) expect(outcome).toBeInstanceOf(NIRFormatError);
        else expect(outcome).toHaveProperty('nodes');
      }),
      { numRuns: 60 },
    );
    // h5wasm still works after all that.
    expect(Object.keys((await readNIR(bytes)).nodes).sort()).toEqual(['in', 'lif', 'out', 'w']);
  });
});
