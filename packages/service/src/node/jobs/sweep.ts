// Parameter sweeps: a grid of `path=v1,v2,…` axes over an experiment file's JSON, expanded to the cartesian
// product (first axis outermost). Every point is checked against the experiment schema before anything is
// enqueued, so a sweep is accepted whole or not at all.
import { ExperimentError, type ExperimentIssue, parseExperiment } from '@bss2/pynn';
import { SweepGridError } from './errors.js';

/** One axis of a grid: a JSON path into the experiment file and the values it takes. */
export interface GridAxis {
  readonly path: string;
  readonly values: readonly unknown[];
}

/** One point of a sweep: its index, the value of each axis, and the experiment file with them applied. */
export interface SweepPoint {
  readonly index: number;
  /** Axis path → value, in axis order. */
  readonly assignments: Readonly<Record<string, unknown>>;
  readonly experiment: Record<string, unknown>;
}

/** Points one sweep may have: a typo such as `=1,…,1000` × `=1,…,1000` is refused rather than enqueued. */
export const MAX_SWEEP_POINTS = 10_000;

type Segment = string | number;

const IDENTIFIER = /^[A-Za-z_$][\w$]*/;

/**
 * `populations[0].parameters.tau_m` → ['populations', 0, 'parameters', 'tau_m']. PyNN's `cellParams` (the
 * reference's `cellparams`) is accepted for a population's `parameters`, so grids read as in PyNN scripts.
 */
export function parseGridPath(path: string): Segment[] {
  const segments: Segment[] = [];
  let rest = path;
  let first = true;
  while (rest.length > 0) {
    const index = /^\[(\d+)\]/.exec(rest);
    if (index !== null) {
      segments.push(Number(index[1]));
      rest = rest.slice(index[0].length);
    } else {
      const dotted = first ? rest : rest.startsWith('.') ? rest.slice(1) : undefined;
      const name = dotted === undefined ? null : IDENTIFIER.exec(dotted);
      if (dotted === undefined || name === null) {
        throw new SweepGridError(`grid path '${path}': cannot read '${rest}'; expected names joined by '.' and array indices such as [0] (e.g. populations[0].parameters.tau_m)`, path);
      }
      segments.push(name[0]);
      rest = dotted.slice(name[0].length);
    }
    first = false;
  }
  if (segments.length === 0) throw new SweepGridError('a grid path must not be empty (e.g. populations[0].parameters.tau_m)', path);
  return segments.map((segment, k) => (segment === 'cellParams' && k === 2 && segments[0] === 'populations' && typeof segments[1] === 'number' ? 'parameters' : segment));
}

/** A value of a grid spec: JSON where it parses (5, -1.5e3, true, "text", [1,2]), otherwise the text itself. */
function gridValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** `path=v1,v2,…` → a grid axis (values as JSON where they parse). */
export function parseGridSpec(spec: string): GridAxis {
  const equals = spec.indexOf('=');
  if (equals <= 0) throw new SweepGridError(`grid '${spec}': expected path=v1,v2,… (e.g. populations[0].parameters.tau_m=5,10,20)`, spec);
  const path = spec.slice(0, equals).trim();
  const texts = spec.slice(equals + 1).split(',').map((v) => v.trim());
  const empty = texts.findIndex((v) => v === '');
  if (empty >= 0) throw new SweepGridError(`grid '${spec}': value ${empty + 1} is empty; expected path=v1,v2,… with no empty values`, path);
  parseGridPath(path);
  return { path, values: texts.map(gridValue) };
}

function describePath(segments: readonly Segment[]): string {
  return segments.map((s, k) => (typeof s === 'number' ? `[${s}]` : k === 0 ? s : `.${s}`)).join('');
}

/** Sets `value` at `path` in `target` (mutated): every container on the way must exist; the last key may be new. */
function assign(target: unknown, axis: GridAxis, value: unknown): void {
  const segments = parseGridPath(axis.path);
  let node = target;
  for (const [k, segment] of segments.entries()) {
    const last = k === segments.length - 1;
    const where = describePath(segments.slice(0, k + 1));
    if (typeof segment === 'number') {
      if (!Array.isArray(node)) throw new SweepGridError(`grid path '${axis.path}': ${describePath(segments.slice(0, k)) || '(root)'} is not an array, so [${segment}] does not exist`, axis.path);
      if (segment >= node.length) throw new SweepGridError(`grid path '${axis.path}': ${where} does not exist (the array has ${node.length} element(s))`, axis.path);
      if (last) node[segment] = value;
      else node = node[segment];
    } else {
      if (typeof node !== 'object' || node === null || Array.isArray(node)) {
        throw new SweepGridError(`grid path '${axis.path}': ${describePath(segments.slice(0, k)) || '(root)'} is not an object, so '${segment}' does not exist`, axis.path);
      }
      const record = node as Record<string, unknown>;
      if (last) record[segment] = value;
      else if (!Object.hasOwn(record, segment)) throw new SweepGridError(`grid path '${axis.path}': ${where} does not exist in the experiment`, axis.path);
      else node = record[segment];
    }
  }
}

function pointLabel(assignments: Readonly<Record<string, unknown>>): string {
  return Object.entries(assignments).map(([path, value]) => `${path}=${JSON.stringify(value)}`).join(', ');
}

/** The issues of a point, each mapped back to the grid axis whose path it concerns (if any). */
function pointError(issues: readonly ExperimentIssue[], axes: readonly GridAxis[], assignments: Readonly<Record<string, unknown>>, index: number): SweepGridError {
  const normalised = axes.map((axis) => describePath(parseGridPath(axis.path)));
  const first = issues[0]!;
  const axis = axes.find((_, k) => first.path === normalised[k] || first.path.startsWith(`${normalised[k]}.`) || first.path.startsWith(`${normalised[k]}[`));
  const lines = issues.map((issue) => `  ${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`).join('\n');
  return new SweepGridError(
    `sweep point ${index} (${pointLabel(assignments)}) is not a valid experiment${axis === undefined ? '' : ` at grid path '${axis.path}'`}:\n${lines}`,
    axis?.path ?? first.path,
  );
}

/**
 * The points of `grid` over `experiment` (an experiment file's JSON), each checked with parseExperiment. The
 * experiment itself must be valid (an ExperimentError otherwise); a path that does not exist, or a value the
 * schema refuses, is a SweepGridError naming the grid path and the point. Each point's `name` is
 * `<name>.point-<index>`.
 */
export function sweepPoints(experiment: unknown, grid: readonly GridAxis[], source = 'experiment', defaultName = 'experiment'): SweepPoint[] {
  parseExperiment(experiment, source);
  if (grid.length === 0) throw new SweepGridError('a sweep needs at least one grid axis (path=v1,v2,…)', '');
  const seen = new Set<string>();
  for (const axis of grid) {
    const normalised = describePath(parseGridPath(axis.path));
    if (seen.has(normalised)) throw new SweepGridError(`grid path '${axis.path}' is given twice; give each path once with all its values`, axis.path);
    seen.add(normalised);
    if (axis.values.length === 0) throw new SweepGridError(`grid path '${axis.path}' has no values`, axis.path);
  }
  const total = grid.reduce((n, axis) => n * axis.values.length, 1);
  if (total > MAX_SWEEP_POINTS) {
    throw new SweepGridError(`the grid has ${total} points (${grid.map((a) => a.values.length).join(' × ')}); a sweep has at most ${MAX_SWEEP_POINTS}`, grid[0]!.path);
  }
  const name = typeof (experiment as { name?: unknown }).name === 'string' ? (experiment as { name: string }).name : defaultName;
  const points: SweepPoint[] = [];
  for (let index = 0; index < total; index++) {
    const point = structuredClone(experiment) as Record<string, unknown>;
    const assignments: Record<string, unknown> = {};
    let stride = total;
    for (const axis of grid) {
      stride /= axis.values.length;
      const value = axis.values[Math.floor(index / stride) % axis.values.length];
      assign(point, axis, structuredClone(value));
      assignments[axis.path] = value;
    }
    point.name = `${name}.point-${index}`;
    try {
      parseExperiment(point, `${source} (sweep point ${index})`);
    } catch (error) {
      if (error instanceof ExperimentError) throw pointError(error.issues, grid, assignments, index);
      throw error;
    }
    points.push({ index, assignments, experiment: point });
  }
  return points;
}
