import type { NIRArray } from './array.js';

/**
 * NIR graphs as plain data (neuromorphs/NIR 1.0.7, `nir/ir/*.py`). Parameter names, their order and the
 * node type names are NIR's; each parameter is a numpy array in the file, a NIRArray here.
 */

/** Parameters of each node type NIR defines and this layer reads and writes, in NIR's field order. */
export const nirNodeParameters = {
  Affine: ['weight', 'bias'],
  Linear: ['weight'],
  Scale: ['scale'],
  Threshold: ['threshold'],
  I: ['r'],
  IF: ['r', 'v_threshold', 'v_reset'],
  LI: ['tau', 'r', 'v_leak'],
  LIF: ['tau', 'r', 'v_leak', 'v_threshold', 'v_reset'],
  CubaLI: ['tau_syn', 'tau_mem', 'r', 'v_leak', 'w_in'],
  CubaLIF: ['tau_syn', 'tau_mem', 'r', 'v_leak', 'v_threshold', 'v_reset', 'w_in'],
} as const;

export type NIRParameterNodeType = keyof typeof nirNodeParameters;

/**
 * Parameters a file may leave out, with the value NIR's reader puts in (`nir/serialization.py`, the
 * dataclass defaults): files before `v_reset` existed reset to zero; `w_in` defaults to 1.0, broadcast.
 * Each takes the shape and dtype of the parameter named by `like`.
 */
export const nirParameterDefaults: Readonly<Partial<Record<NIRParameterNodeType, Readonly<Record<string, { like: string; fill: number }>>>>> = {
  IF: { v_reset: { like: 'v_threshold', fill: 0 } },
  LIF: { v_reset: { like: 'v_threshold', fill: 0 } },
  CubaLI: { w_in: { like: 'v_leak', fill: 1 } },
  CubaLIF: { v_reset: { like: 'v_threshold', fill: 0 }, w_in: { like: 'v_threshold', fill: 1 } },
};

/**
 * Any value NIR's writer stores for metadata and for node types this layer does not model: a string (HDF5
 * variable-length UTF-8), a numeric array (a Python number is a scalar array, `shape: []`), an array of
 * strings, or a nested group.
 */
export type NIRValue = string | NIRArray | NIRStringArray | NIRGroupValue;
export interface NIRStringArray {
  shape: number[];
  strings: string[];
}
export interface NIRGroupValue {
  [key: string]: NIRValue;
}

/** NIR's `metadata` dict; written as a `metadata` group only when not empty, as NIR does. */
export type NIRMetadata = NIRGroupValue;

interface NodeBase {
  metadata?: NIRMetadata;
}

export type NIRParameterNode<T extends NIRParameterNodeType> = NodeBase & { type: T } & {
  [K in (typeof nirNodeParameters)[T][number]]: NIRArray;
};

/** `y = W x + b`; weight `[..., out, in]`, bias `[..., out]`. */
export type NIRAffine = NIRParameterNode<'Affine'>;
/** `y = W x`; weight `[..., out, in]`. */
export type NIRLinear = NIRParameterNode<'Linear'>;
/** `y = x ⊙ scale`. */
export type NIRScale = NIRParameterNode<'Scale'>;
/** Heaviside step `z = x > threshold`. */
export type NIRThreshold = NIRParameterNode<'Threshold'>;
/** Integrator `v' = R I`. */
export type NIRI = NIRParameterNode<'I'>;
/** Integrate-and-fire. */
export type NIRIF = NIRParameterNode<'IF'>;
/** Leaky integrator `τ v' = (v_leak − v) + R I`. */
export type NIRLI = NIRParameterNode<'LI'>;
/** Leaky integrate-and-fire. */
export type NIRLIF = NIRParameterNode<'LIF'>;
/** Current-based leaky integrator (synaptic current, then membrane; no threshold). */
export type NIRCubaLI = NIRParameterNode<'CubaLI'>;
/** Current-based leaky integrate-and-fire. */
export type NIRCubaLIF = NIRParameterNode<'CubaLIF'>;

/** A graph input; `shape` is the shape of the data fed in (NIR's `input_type["input"]`). */
export interface NIRInput extends NodeBase {
  type: 'Input';
  shape: number[];
}

/** A graph output; `shape` is NIR's `output_type["output"]`. */
export interface NIROutput extends NodeBase {
  type: 'Output';
  shape: number[];
}

/** A node type this layer does not model (Conv2d, Flatten, Delay, …), kept as read so that a higher layer can name it. */
export interface NIRUnknownNode extends NodeBase {
  type: 'unknown';
  /** The `type` string in the file. */
  nirType: string;
  /** Every other dataset and group of the node, as stored. */
  fields: NIRGroupValue;
}

/** A graph: named nodes and identity edges `[source, target]` between them. */
export interface NIRGraph {
  nodes: Record<string, NIRNode>;
  /**
   * Endpoints name a node of this graph; `sub.inner` names node `inner` of the nested graph `sub` (NIR's
   * convention for edges into subgraphs). Node names may contain dots themselves; an exact name wins.
   */
  edges: [string, string][];
  metadata?: NIRMetadata;
}

/** A graph nested as a node of another graph. */
export interface NIRSubgraph extends NIRGraph {
  type: 'NIRGraph';
}

export type NIRNode =
  | NIRInput
  | NIROutput
  | NIRAffine
  | NIRLinear
  | NIRScale
  | NIRThreshold
  | NIRI
  | NIRIF
  | NIRLI
  | NIRLIF
  | NIRCubaLI
  | NIRCubaLIF
  | NIRSubgraph
  | NIRUnknownNode;

/** Whether `type` is one of the node types with parameters. */
export function isParameterNodeType(type: string): type is NIRParameterNodeType {
  return Object.hasOwn(nirNodeParameters, type);
}
