import { elementCount, formatShape, isNIRArray, nirDTypes, sameShape, type NIRArray } from './array.js';
import { NIRFormatError } from './errors.js';
import { isParameterNodeType, nirNodeParameters, type NIRGraph, type NIRGroupValue, type NIRNode, type NIRParameterNodeType } from './graph.js';

/**
 * The rules of a NIR graph, checked after reading and before writing, each error naming the path the value
 * has (or would have) in the file. Shape rules are those of NIR's `__post_init__` assertions.
 */

/** HDF5 link names: not empty, no `/`, not `.` (the group itself). */
export function checkName(path: string, name: unknown): void {
  if (typeof name !== 'string' || name === '' || name === '.' || name.includes('/')) {
    throw new NIRFormatError(path, name, 'a name must be a non-empty string without "/" and not "."');
  }
}

/** Shape and data agree and the values fit the dtype; `finite` also refuses NaN and ±Infinity. */
export function checkArray(path: string, value: unknown, finite: boolean): asserts value is NIRArray {
  if (!isNIRArray(value)) throw new NIRFormatError(path, typeof value, 'expected a numeric array { shape, data: Float64Array }');
  const { shape, data, dtype = 'float64' } = value;
  if (!Array.isArray(shape) || !shape.every((extent) => Number.isSafeInteger(extent) && extent >= 0)) {
    throw new NIRFormatError(path, shape, 'a shape is a list of non-negative integers');
  }
  if (elementCount(shape) !== data.length) {
    throw new NIRFormatError(path, `${data.length} values`, `shape ${formatShape(shape)} needs ${elementCount(shape)} values`);
  }
  const info = nirDTypes[dtype];
  if (info === undefined) throw new NIRFormatError(path, dtype, `dtype must be one of ${Object.keys(nirDTypes).join(', ')}`);
  for (let i = 0; i < data.length; i++) {
    const x = data[i]!;
    if (finite && !Number.isFinite(x)) {
      throw new NIRFormatError(`${path}[${i}]`, x, 'parameters must be finite numbers');
    }
    if (!info.fits(x)) throw new NIRFormatError(`${path}[${i}]`, x, `not exactly representable as ${dtype}`);
  }
}

function checkParameters(path: string, type: NIRParameterNodeType, node: Record<string, unknown>): void {
  const names = nirNodeParameters[type];
  for (const name of names) checkArray(`${path}/${name}`, node[name], true);
  const shapeOf = (name: string): number[] => (node[name] as NIRArray).shape;

  if (type === 'Affine' || type === 'Linear') {
    const weight = shapeOf('weight');
    if (weight.length < 2) {
      throw new NIRFormatError(`${path}/weight`, formatShape(weight), 'weight must be at least 2-D: [..., out, in]');
    }
    if (type === 'Affine' && !sameShape(shapeOf('bias'), weight.slice(0, -1))) {
      throw new NIRFormatError(
        `${path}/bias`,
        formatShape(shapeOf('bias')),
        `bias must have shape ${formatShape(weight.slice(0, -1))} for weight ${formatShape(weight)}`,
      );
    }
  } else if (type !== 'Scale' && type !== 'Threshold') {
    // Neuron models: NIR asserts "All parameters must have the same shape".
    const [first, ...rest] = names;
    for (const name of rest) {
      if (!sameShape(shapeOf(name), shapeOf(first))) {
        throw new NIRFormatError(
          `${path}/${name}`,
          formatShape(shapeOf(name)),
          `all ${type} parameters must have the same shape; ${first} has ${formatShape(shapeOf(first))}`,
        );
      }
    }
  }
}

/** Metadata and unknown nodes' fields: names, strings, arrays (any value, NaN included), nested groups. */
export function checkGroupValue(path: string, group: unknown): asserts group is NIRGroupValue {
  if (typeof group !== 'object' || group === null || Array.isArray(group) || isNIRArray(group)) {
    throw new NIRFormatError(path, typeof group, 'expected a group (an object of named values)');
  }
  for (const [key, value] of Object.entries(group)) {
    checkName(`${path}/${key}`, key);
    const at = `${path}/${key}`;
    if (typeof value === 'string') continue;
    if (isNIRArray(value)) checkArray(at, value, false);
    else if (typeof value === 'object' && value !== null && Array.isArray((value as { strings?: unknown }).strings)) {
      const { shape, strings } = value as { shape: unknown; strings: unknown[] };
      if (!Array.isArray(shape) || elementCount(shape as number[]) !== strings.length || !strings.every((s) => typeof s === 'string')) {
        throw new NIRFormatError(at, shape, 'a string array needs a shape whose element count is the number of strings');
      }
    } else checkGroupValue(at, value);
  }
}

function checkNode(path: string, node: NIRNode): void {
  if (typeof node !== 'object' || node === null) throw new NIRFormatError(path, node, 'a node is an object with a type');
  if (node.metadata !== undefined) checkGroupValue(`${path}/metadata`, node.metadata);
  const type: string = node.type;
  if (node.type === 'Input' || node.type === 'Output') {
    const { shape } = node;
    if (!Array.isArray(shape) || !shape.every((extent) => Number.isSafeInteger(extent) && extent >= 0)) {
      throw new NIRFormatError(`${path}/shape`, shape, `${node.type} shape must be a list of non-negative integers`);
    }
  } else if (node.type === 'NIRGraph') {
    checkGraph(path, node);
  } else if (node.type === 'unknown') {
    if (typeof node.nirType !== 'string' || node.nirType === '' || isParameterNodeType(node.nirType) || ['Input', 'Output', 'NIRGraph'].includes(node.nirType)) {
      throw new NIRFormatError(`${path}/type`, node.nirType, 'an unknown node keeps the name of a NIR type this layer does not model');
    }
    checkGroupValue(path, node.fields);
    for (const reserved of ['type', 'metadata']) {
      if (Object.hasOwn(node.fields, reserved)) throw new NIRFormatError(`${path}/${reserved}`, reserved, 'an unknown node keeps its type and metadata outside `fields`');
    }
  } else if (isParameterNodeType(type)) {
    checkParameters(path, type, node as unknown as Record<string, unknown>);
  } else {
    throw new NIRFormatError(`${path}/type`, type, `node type must be one of Input, Output, NIRGraph, ${Object.keys(nirNodeParameters).join(', ')} or unknown`);
  }
}

/** Whether `name` names a node of `graph`, or `sub.inner` a node of its nested graph `sub` (recursively). */
export function resolvesInGraph(graph: NIRGraph, name: string): boolean {
  if (Object.hasOwn(graph.nodes, name)) return true;
  for (let dot = name.indexOf('.'); dot !== -1; dot = name.indexOf('.', dot + 1)) {
    const prefix = name.slice(0, dot);
    const sub = Object.hasOwn(graph.nodes, prefix) ? graph.nodes[prefix] : undefined;
    if (sub?.type === 'NIRGraph' && resolvesInGraph(sub, name.slice(dot + 1))) return true;
  }
  return false;
}

/** Every rule of a graph whose group is at `path` (`/node` for the root). */
export function checkGraph(path: string, graph: NIRGraph): void {
  if (typeof graph !== 'object' || graph === null || typeof graph.nodes !== 'object' || graph.nodes === null) {
    throw new NIRFormatError(`${path}/nodes`, graph?.nodes, 'a graph has an object of named nodes');
  }
  if (graph.metadata !== undefined) checkGroupValue(`${path}/metadata`, graph.metadata);
  for (const [name, node] of Object.entries(graph.nodes)) {
    checkName(`${path}/nodes/${name}`, name);
    checkNode(`${path}/nodes/${name}`, node);
  }
  if (!Array.isArray(graph.edges)) throw new NIRFormatError(`${path}/edges`, typeof graph.edges, 'edges are a list of [source, target] name pairs');
  graph.edges.forEach((edge, i) => {
    if (!Array.isArray(edge) || edge.length !== 2) {
      throw new NIRFormatError(`${path}/edges[${i}]`, edge, 'an edge is a [source, target] pair of node names');
    }
    edge.forEach((endpoint, j) => {
      if (typeof endpoint !== 'string' || !resolvesInGraph(graph, endpoint)) {
        throw new NIRFormatError(`${path}/edges[${i}][${j}]`, endpoint, `an edge endpoint must name a node of ${path}/nodes`);
      }
    });
  });
}
