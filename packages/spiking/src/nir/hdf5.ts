import { elementCount, formatShape, isNIRArray, sameShape, type NIRArray } from './array.js';
import { checkGraphData, type NIRGraphData, type NIRNodeData, type NIRObservable } from './data.js';
import { NIRFormatError } from './errors.js';
import { isParameterNodeType, nirNodeParameters, nirParameterDefaults, type NIRGraph, type NIRGroupValue, type NIRMetadata, type NIRNode, type NIRValue } from './graph.js';
import {
  child,
  childDataset,
  childGroup,
  childNames,
  createGroup,
  fileBytes,
  readAttribute,
  readDataset,
  readNumericDataset,
  readScalarString,
  withFileBytes,
  writeArray,
  writeAttribute,
  writeEmptyList,
  writeStrings,
} from './h5.js';
import type { Dataset, Group } from 'h5wasm';
import { checkGraph } from './validate.js';

/**
 * NIR graphs in NIR's HDF5 layout (neuromorphs/NIR 1.0.7, `nir/serialization.py`):
 *
 *   /version                  scalar string, the NIR version that wrote the file
 *   /node/type                "NIRGraph"
 *   /node/nodes/<name>/type   the node type ("CubaLIF", …), then one dataset per parameter
 *   /node/edges               (n, 2) strings [source, target]; an empty list is float64 (0,)
 *   /node/metadata/…          only when not empty; likewise per node
 *
 * Strings are variable-length UTF-8 (h5py's `string_dtype()`); arrays keep their dtype and are written
 * gzip-4 with h5py's chunk guess, as `nir.write` does by default.
 */

/** The version written to `/version`: the NIR release whose layout this module follows. */
export const NIR_FORMAT_VERSION = '1.0.7';

export interface NIRFile {
  /** `/version` as stored (files from NIR 0.x read as well: missing `v_reset`/`w_in` take NIR's defaults). */
  version: string;
  graph: NIRGraph;
}

/** Reads a NIR file: its version and its graph. Malformed files throw NIRFormatError naming the path. */
export async function readNIRFile(bytes: Uint8Array): Promise<NIRFile> {
  return withFileBytes(bytes, (root) => {
    const version = readScalarString(childDataset(root, 'version', '/version'), '/version', 'a NIR file has a root dataset "version" holding a string');
    const node = childGroup(root, 'node', '/node');
    if (node === undefined) throw new NIRFormatError('/node', undefined, 'a NIR file has a root group "node" holding the graph');
    const type = readScalarString(childDataset(node, 'type', '/node/type'), '/node/type', 'every node has a dataset "type" holding a string');
    if (type !== 'NIRGraph') throw new NIRFormatError('/node/type', type, 'the root node must be a NIRGraph');
    const graph = readGraph(node, '/node');
    checkGraph('/node', graph);
    return { version, graph };
  });
}

/** Reads the graph of a NIR file. */
export async function readNIR(bytes: Uint8Array): Promise<NIRGraph> {
  return (await readNIRFile(bytes)).graph;
}

/** Writes `graph` as a NIR file; a graph breaking a rule of the format throws NIRFormatError before anything is written. */
export async function writeNIR(graph: NIRGraph): Promise<Uint8Array> {
  checkGraph('/node', graph);
  return fileBytes((root) => {
    writeStrings(root, 'version', [NIR_FORMAT_VERSION], undefined, '/version');
    writeGraph(createGroup(root, 'node', '/node'), graph, '/node');
  });
}

function onlyKnownEntries(group: Group, path: string, allowed: readonly string[], what: string): string[] {
  const names = childNames(group, path);
  const extra = names.find((name) => !allowed.includes(name));
  // NIR's reader passes every dataset to the node's constructor, which rejects unknown fields.
  if (extra !== undefined) throw new NIRFormatError(`${path}/${extra}`, extra, `${what} has only ${allowed.join(', ')}`);
  return names;
}

function required<T>(value: T | undefined, path: string, rule: string): T {
  if (value === undefined) throw new NIRFormatError(path, undefined, rule);
  return value;
}

function readGraph(group: Group, path: string): NIRGraph {
  onlyKnownEntries(group, path, ['type', 'nodes', 'edges', 'metadata'], 'a NIRGraph');
  const nodesGroup = required(childGroup(group, 'nodes', `${path}/nodes`), `${path}/nodes`, 'a NIRGraph has a group "nodes"');
  const nodes = Object.fromEntries(
    childNames(nodesGroup, `${path}/nodes`).map((name) => {
      const at = `${path}/nodes/${name}`;
      return [name, readNode(required(childGroup(nodesGroup, name, at), at, 'a node is a group'), at)];
    }),
  );
  const edges = readEdges(required(childDataset(group, 'edges', `${path}/edges`), `${path}/edges`, 'a NIRGraph has a dataset "edges"'), `${path}/edges`);
  const metadata = readMetadata(group, path);
  return { nodes, edges, ...(metadata === undefined ? {} : { metadata }) };
}

function readEdges(dataset: Dataset, path: string): [string, string][] {
  const value = readDataset(dataset, path);
  const shape = value.kind === 'strings' ? value.shape : value.array.shape;
  if (elementCount(shape) === 0) return [];
  if (value.kind !== 'strings' || shape.length !== 2 || shape[1] !== 2) {
    throw new NIRFormatError(path, `${value.kind} of shape ${formatShape(shape)}`, 'edges are an (n, 2) dataset of node names');
  }
  const edges: [string, string][] = [];
  for (let i = 0; i < value.strings.length; i += 2) edges.push([value.strings[i]!, value.strings[i + 1]!]);
  return edges;
}

function readNode(group: Group, path: string): NIRNode {
  const type = readScalarString(childDataset(group, 'type', `${path}/type`), `${path}/type`, 'every node has a dataset "type" holding a string');
  if (type === 'NIRGraph') return { type, ...readGraph(group, path) };
  const metadata = readMetadata(group, path);
  const base = metadata === undefined ? {} : { metadata };
  if (type === 'Input' || type === 'Output') {
    onlyKnownEntries(group, path, ['type', 'shape', 'metadata'], `an ${type}`);
    const at = `${path}/shape`;
    const shape = readNumericDataset(required(childDataset(group, 'shape', at), at, `an ${type} has a dataset "shape"`), at);
    if (shape.shape.length !== 1) throw new NIRFormatError(at, formatShape(shape.shape), `an ${type} shape is a 1-D list of extents`);
    return { type, shape: Array.from(shape.data), ...base };
  }
  if (isParameterNodeType(type)) {
    const names = nirNodeParameters[type];
    const defaults = nirParameterDefaults[type] ?? {};
    onlyKnownEntries(group, path, ['type', 'metadata', ...names], `a ${type}`);
    const parameters: Record<string, NIRArray> = {};
    for (const name of names) {
      const dataset = childDataset(group, name, `${path}/${name}`);
      if (dataset !== undefined) parameters[name] = readNumericDataset(dataset, `${path}/${name}`);
      else if (defaults[name] === undefined) throw new NIRFormatError(`${path}/${name}`, undefined, `a ${type} has the parameters ${names.join(', ')}`);
    }
    for (const [name, { like, fill }] of Object.entries(defaults)) {
      const reference = parameters[like]!;
      const stored = parameters[name];
      if (stored === undefined) parameters[name] = { shape: [...reference.shape], data: new Float64Array(reference.data.length).fill(fill), dtype: reference.dtype ?? 'float64' };
      // NIR broadcasts w_in (`np.ones_like(v) * w_in`): a single value stands for every neuron.
      else if (name === 'w_in' && !sameShape(stored.shape, reference.shape) && stored.data.length === 1) {
        parameters[name] = { shape: [...reference.shape], data: new Float64Array(reference.data.length).fill(stored.data[0]!), dtype: stored.dtype ?? 'float64' };
      }
    }
    return { type, ...parameters, ...base } as NIRNode;
  }
  const fields = readGroupValue(group, path, ['type', 'metadata']);
  return { type: 'unknown', nirType: type, fields, ...base };
}

function readMetadata(group: Group, path: string): NIRMetadata | undefined {
  const metadata = childGroup(group, 'metadata', `${path}/metadata`);
  if (metadata === undefined) return undefined;
  const value = readGroupValue(metadata, `${path}/metadata`, []);
  // NIR writes no group for empty metadata; an empty group reads as none, so both files read alike.
  return Object.keys(value).length === 0 ? undefined : value;
}

function readGroupValue(group: Group, path: string, exclude: readonly string[]): NIRGroupValue {
  const entries = childNames(group, path)
    .filter((name) => !exclude.includes(name))
    .map((name): [string, NIRValue] => {
      const at = `${path}/${name}`;
      const entry = required(child(group, name, at), at, 'listed but absent');
      if (entry.kind === 'group') return [name, readGroupValue(entry.group, at, [])];
      const value = readDataset(entry.dataset, at);
      if (value.kind === 'numbers') return [name, value.array];
      return [name, value.shape.length === 0 ? value.strings[0]! : { shape: value.shape, strings: value.strings }];
    });
  return Object.fromEntries(entries);
}

function writeGraph(group: Group, graph: NIRGraph, path: string): void {
  writeStrings(group, 'type', ['NIRGraph'], undefined, `${path}/type`);
  const nodes = createGroup(group, 'nodes', `${path}/nodes`);
  for (const [name, node] of Object.entries(graph.nodes)) {
    writeNode(createGroup(nodes, name, `${path}/nodes/${name}`), node, `${path}/nodes/${name}`);
  }
  if (graph.edges.length === 0) writeEmptyList(group, 'edges', `${path}/edges`);
  else writeStrings(group, 'edges', graph.edges.flat(), [graph.edges.length, 2], `${path}/edges`);
  writeMetadata(group, graph.metadata, path);
}

function writeNode(group: Group, node: NIRNode, path: string): void {
  if (node.type === 'NIRGraph') return writeGraph(group, node, path);
  writeStrings(group, 'type', [node.type === 'unknown' ? node.nirType : node.type], undefined, `${path}/type`);
  if (node.type === 'Input' || node.type === 'Output') {
    // NIR stores the shape as a numpy int64 array.
    writeArray(group, 'shape', { shape: [node.shape.length], data: Float64Array.from(node.shape), dtype: 'int64' }, `${path}/shape`);
  } else if (node.type === 'unknown') {
    writeGroupValue(group, node.fields, path);
  } else {
    const parameters = node as unknown as Record<string, NIRArray>;
    for (const name of nirNodeParameters[node.type]) writeArray(group, name, parameters[name]!, `${path}/${name}`);
  }
  writeMetadata(group, node.metadata, path);
}

function writeMetadata(group: Group, metadata: NIRMetadata | undefined, path: string): void {
  if (metadata === undefined || Object.keys(metadata).length === 0) return;
  writeGroupValue(createGroup(group, 'metadata', `${path}/metadata`), metadata, `${path}/metadata`);
}

/** Metadata and unknown nodes' fields, already checked by `checkGroupValue`. */
function writeGroupValue(group: Group, value: NIRGroupValue, path: string): void {
  for (const [name, entry] of Object.entries(value)) {
    const at = `${path}/${name}`;
    if (typeof entry === 'string') writeStrings(group, name, [entry], undefined, at);
    else if (isNIRArray(entry)) writeArray(group, name, entry, at);
    else if (Array.isArray(entry['strings'])) writeStrings(group, name, entry['strings'] as string[], entry['shape'] as number[], at);
    else writeGroupValue(createGroup(group, name, at), entry as NIRGroupValue, at);
  }
}

/**
 * NIRData in NIR's layout (`nir.write_data` / `nir.read_data`); no `/version`, types in `__type__` attributes:
 *
 *   /@__type__ = "NIRGraphData", /nodes/<node>@__type__ = "NIRNodeData" (or "NIRGraphData", nested)
 *   /nodes/<node>/observables/<name>@__type__ = "TimeGriddedData" | "EventData" | "ValuedEventData"
 *     TimeGriddedData: dataset data, attribute dt (float64)
 *     EventData:       datasets idx, time, attributes n_neurons (int64), t_max (float64); Valued…: + dataset value
 *
 * (NIR 1.0.7's `write_data` recurses into nested graph data with the outer nodes, so only `read_data` defines
 * the nested layout; this module writes what `read_data` reads.)
 */
export async function readNIRData(bytes: Uint8Array): Promise<NIRGraphData> {
  return withFileBytes(bytes, (root) => {
    const data = readGraphData(root, '');
    checkGraphData('', data);
    return data;
  });
}

/** Writes NIRData; data breaking a rule throws NIRFormatError before anything is written. */
export async function writeNIRData(data: NIRGraphData): Promise<Uint8Array> {
  checkGraphData('', data);
  return fileBytes((root) => writeGraphData(root, data, ''));
}

function typeAttribute(group: Group, path: string, allowed: readonly string[]): string {
  const at = `${path === '' ? '/' : path}@__type__`;
  const value = readAttribute(group, '__type__', path === '' ? '/' : path);
  const type = value?.kind === 'strings' && value.shape.length === 0 ? value.strings[0] : undefined;
  if (type === undefined || !allowed.includes(type)) {
    throw new NIRFormatError(at, type ?? (value === undefined ? undefined : 'a non-string'), `the attribute __type__ must be ${allowed.map((t) => `"${t}"`).join(' or ')}`);
  }
  return type;
}

function numberAttribute(group: Group, name: string, path: string): number {
  const value = readAttribute(group, name, path);
  if (value?.kind !== 'numbers' || value.array.shape.length !== 0) {
    throw new NIRFormatError(`${path}@${name}`, value === undefined ? undefined : 'not a number', `the attribute ${name} is a scalar number`);
  }
  return value.array.data[0]!;
}

function readGraphData(group: Group, path: string): NIRGraphData {
  typeAttribute(group, path, ['NIRGraphData']);
  onlyKnownEntries(group, path, ['nodes'], 'NIRGraphData');
  const nodesGroup = required(childGroup(group, 'nodes', `${path}/nodes`), `${path}/nodes`, 'NIRGraphData has a group "nodes"');
  const nodes = Object.fromEntries(
    childNames(nodesGroup, `${path}/nodes`).map((name): [string, NIRNodeData | NIRGraphData] => {
      const at = `${path}/nodes/${name}`;
      const node = required(childGroup(nodesGroup, name, at), at, 'node data is a group');
      if (typeAttribute(node, at, ['NIRNodeData', 'NIRGraphData']) === 'NIRGraphData') return [name, readGraphData(node, at)];
      onlyKnownEntries(node, at, ['observables'], 'NIRNodeData');
      const observablesGroup = required(childGroup(node, 'observables', `${at}/observables`), `${at}/observables`, 'NIRNodeData has a group "observables"');
      const observables = Object.fromEntries(
        childNames(observablesGroup, `${at}/observables`).map((observable) => {
          const obsPath = `${at}/observables/${observable}`;
          return [observable, readObservable(required(childGroup(observablesGroup, observable, obsPath), obsPath, 'an observable is a group'), obsPath)];
        }),
      );
      return [name, { type: 'NIRNodeData', observables }];
    }),
  );
  return { type: 'NIRGraphData', nodes };
}

function readObservable(group: Group, path: string): NIRObservable {
  const type = typeAttribute(group, path, ['TimeGriddedData', 'EventData', 'ValuedEventData']);
  const array = (name: string): NIRArray =>
    readNumericDataset(required(childDataset(group, name, `${path}/${name}`), `${path}/${name}`, `${type} has a dataset "${name}"`), `${path}/${name}`);
  if (type === 'TimeGriddedData') {
    onlyKnownEntries(group, path, ['data'], type);
    return { type, data: array('data'), dt: numberAttribute(group, 'dt', path) };
  }
  const events = { idx: array('idx'), time: array('time'), n_neurons: numberAttribute(group, 'n_neurons', path), t_max: numberAttribute(group, 't_max', path) };
  if (type === 'EventData') {
    onlyKnownEntries(group, path, ['idx', 'time'], type);
    return { type, ...events };
  }
  onlyKnownEntries(group, path, ['idx', 'time', 'value'], type);
  return { type: 'ValuedEventData', ...events, value: array('value') };
}

function writeGraphData(group: Group, data: NIRGraphData, path: string): void {
  writeAttribute(group, '__type__', 'NIRGraphData', path === '' ? '/' : path);
  const nodes = createGroup(group, 'nodes', `${path}/nodes`);
  for (const [name, node] of Object.entries(data.nodes)) {
    const at = `${path}/nodes/${name}`;
    const nodeGroup = createGroup(nodes, name, at);
    if (node.type === 'NIRGraphData') {
      writeGraphData(nodeGroup, node, at);
      continue;
    }
    writeAttribute(nodeGroup, '__type__', 'NIRNodeData', at);
    const observables = createGroup(nodeGroup, 'observables', `${at}/observables`);
    for (const [observable, value] of Object.entries(node.observables)) {
      const obsPath = `${at}/observables/${observable}`;
      const obsGroup = createGroup(observables, observable, obsPath);
      writeAttribute(obsGroup, '__type__', value.type, obsPath);
      if (value.type === 'TimeGriddedData') {
        writeArray(obsGroup, 'data', value.data, `${obsPath}/data`);
        writeAttribute(obsGroup, 'dt', { float64: value.dt }, obsPath);
        continue;
      }
      writeArray(obsGroup, 'idx', value.idx, `${obsPath}/idx`);
      writeArray(obsGroup, 'time', value.time, `${obsPath}/time`);
      if (value.type === 'ValuedEventData') writeArray(obsGroup, 'value', value.value, `${obsPath}/value`);
      writeAttribute(obsGroup, 'n_neurons', { int64: value.n_neurons }, obsPath);
      writeAttribute(obsGroup, 't_max', { float64: value.t_max }, obsPath);
    }
  }
}
