import fc from 'fast-check';
import { AtomicNeuronOnLogicalNeuron, NeuronColumnOnLogicalNeuron, NeuronRowOnLogicalNeuron } from '@bss2/halco';
import { Morphology, type MulticompartmentSwitches } from '../src/index.js';

/** A position as a plain pair, for generators and oracles. */
export type Cell = readonly [column: number, row: number];

export function pos(column: number, row: number): AtomicNeuronOnLogicalNeuron {
  return new AtomicNeuronOnLogicalNeuron(new NeuronColumnOnLogicalNeuron(column), new NeuronRowOnLogicalNeuron(row));
}

export function cellOf(p: { x: { value: number }; y: { value: number } }): Cell {
  return [p.x.value, p.y.value];
}

export const key = ([column, row]: Cell): string => `${column},${row}`;

/** One call on a Morphology. */
export type Operation =
  | { op: 'compartment'; cells: Cell[] }
  | { op: 'soma'; cell: Cell }
  | { op: 'resistor'; cell: Cell }
  | { op: 'line'; start: number; end: number; row: number };

export interface MorphologySpec {
  /** Compartments as handed to createCompartment (given order, not sorted). */
  compartments: Cell[][];
  /** Attachments and lines. */
  operations: Operation[];
}

export function apply(morphology: Morphology, operation: Operation): void {
  switch (operation.op) {
    case 'compartment':
      morphology.createCompartment(operation.cells.map(([c, r]) => pos(c, r)));
      break;
    case 'soma':
      morphology.connectToSoma(pos(...operation.cell));
      break;
    case 'resistor':
      morphology.connectResistorToSoma(pos(...operation.cell));
      break;
    case 'line':
      morphology.connectSomaLine(
        new NeuronColumnOnLogicalNeuron(operation.start),
        new NeuronColumnOnLogicalNeuron(operation.end),
        new NeuronRowOnLogicalNeuron(operation.row),
      );
      break;
  }
}

/** Creates the compartments in order, then runs the other operations (in the spec's order). */
export function build(spec: MorphologySpec): Morphology {
  const morphology = new Morphology();
  for (const cells of spec.compartments) apply(morphology, { op: 'compartment', cells });
  for (const operation of spec.operations) apply(morphology, operation);
  return morphology;
}

/** A Fisher–Yates shuffle driven by a small LCG seeded from the generated value (deterministic per run). */
function shuffler(seed: number): <T>(items: readonly T[]) => T[] {
  let state = seed >>> 0;
  const next = (bound: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % bound;
  };
  return (items) => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = next(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
}

/** Row sets of one column of a compartment shape: top only, bottom only, both. */
const columnShapes: readonly (readonly number[])[] = [[0], [1], [0, 1]];

/**
 * A random compartment shape: consecutive columns, each with one or both rows, consecutive columns sharing a
 * row (so the membrane is 4-connected), as a list of cells in a shuffled order.
 */
function shape(width: number, picks: number[], mustHaveRow: number, forcedColumn: number): number[][] {
  const rows = picks.slice(0, width).map((p) => [...columnShapes[p]!]);
  for (let i = 1; i < rows.length; i++) {
    if (!rows[i]!.some((r) => rows[i - 1]!.includes(r))) rows[i] = [0, 1];
  }
  if (!rows.some((set) => set.includes(mustHaveRow))) rows[forcedColumn % width] = [0, 1];
  return rows;
}

/**
 * Valid morphologies by construction: k compartments on disjoint column ranges (gaps between them), every
 * compartment attached to one somatic line in row `lineRow` (one compartment by switch, the others through
 * the conductance), optionally a second line in the other row joining some compartments through conductances
 * only. Gap columns on a line become bridge neurons.
 */
export const validSpec: fc.Arbitrary<MorphologySpec & { lineRow: number; columnRanges: [number, number][] }> = fc
  .record({
    parts: fc.array(
      fc.record({
        gap: fc.integer({ min: 0, max: 2 }),
        width: fc.integer({ min: 1, max: 4 }),
        /** Base-3 digits: the row set of each of up to 4 columns. */
        picks: fc.nat(80),
        forced: fc.nat(3),
        attachPicks: fc.array(fc.nat(7), { minLength: 1, maxLength: 2 }),
        secondLine: fc.boolean(),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    lineRow: fc.integer({ min: 0, max: 1 }),
    somaPick: fc.nat(),
    offsetFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    shuffleSeed: fc.nat(),
  })
  .map(({ parts, lineRow, somaPick, offsetFraction, shuffleSeed }) => {
    const shuffle = shuffler(shuffleSeed);
    const total = parts.reduce((sum, p) => sum + p.gap + p.width, 0);
    let column = Math.floor(offsetFraction * (128 - total));
    const soma = somaPick % parts.length;
    const compartments: Cell[][] = [];
    const columnRanges: [number, number][] = [];
    const attachments: Operation[] = [];
    const line: number[] = [];
    const second: number[] = [];
    parts.forEach((part, k) => {
      column += part.gap;
      const digits = [0, 1, 2, 3].map((i) => Math.floor(part.picks / 3 ** i) % 3);
      const rows = shape(part.width, digits, lineRow, part.forced);
      const cells: Cell[] = rows.flatMap((set, i) => set.map((r) => [column + i, r] as Cell));
      // A shuffled order: createCompartment sorts column-major itself and keeps the given order.
      compartments.push(shuffle(cells));
      columnRanges.push([column, column + part.width - 1]);
      const onLine = cells.filter(([, r]) => r === lineRow);
      const chosen = [...new Set(part.attachPicks.map((p) => p % onLine.length))].map((i) => onLine[i]!);
      for (const cell of chosen) {
        attachments.push({ op: k === soma ? 'soma' : 'resistor', cell });
        line.push(cell[0]);
      }
      const other = cells.filter(([, r]) => r !== lineRow);
      if (part.secondLine && other.length > 0 && k !== soma) {
        // Conductance only: a switch here could short through a compartment also switched onto the first line.
        const cell = other[part.attachPicks[0]! % other.length]!;
        attachments.push({ op: 'resistor', cell });
        second.push(cell[0]);
      }
      column += part.width;
    });
    const lines: Operation[] = [];
    if (parts.length > 1) lines.push({ op: 'line', start: Math.min(...line), end: Math.max(...line), row: lineRow });
    if (second.length > 1) lines.push({ op: 'line', start: Math.min(...second), end: Math.max(...second), row: 1 - lineRow });
    else if (second.length === 1) {
      // A lone conductance on the other row would be the neuron's only attachment there: not wrong, but keep
      // specs simple and drop it.
      const index = attachments.findIndex((a) => a.op === 'resistor' && a.cell[1] !== lineRow);
      attachments.splice(index, 1);
    }
    const operations = shuffle([...attachments, ...lines]);
    return { compartments, operations, lineRow, columnRanges };
  });

/**
 * Independent oracle: union-find over membrane nodes `m` and somatic segment nodes `s` of a grid `columns`
 * wide. Direct switches (and, with `withConductance`, the conductances) are edges.
 */
export class SwitchGraph {
  private readonly parent = new Map<string, string>();

  constructor(
    readonly switchesAt: (cell: Cell) => MulticompartmentSwitches | undefined,
    readonly cells: readonly Cell[],
    withConductance: boolean,
  ) {
    for (const cell of cells) {
      const [c, r] = cell;
      const s = switchesAt(cell)!;
      if (s.connectRight) this.union(`m${key(cell)}`, `m${key([c + 1, r])}`);
      if (s.connectVertical && switchesAt([c, 1 - r]) !== undefined) this.union(`m${key(cell)}`, `m${key([c, 1 - r])}`);
      if (s.connectSomaRight) this.union(`s${key(cell)}`, `s${key([c + 1, r])}`);
      if (s.connectSoma || (withConductance && s.enableConductance)) this.union(`m${key(cell)}`, `s${key(cell)}`);
    }
  }

  find(node: string): string {
    let root = node;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    return root;
  }

  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }

  /** Cells grouped by membrane node, each group sorted column-major, groups sorted by first cell. */
  membraneGroups(): string[][] {
    const groups = new Map<string, Cell[]>();
    for (const cell of this.cells) {
      const root = this.find(`m${key(cell)}`);
      const group = groups.get(root);
      if (group === undefined) groups.set(root, [cell]);
      else group.push(cell);
    }
    return normalise([...groups.values()]);
  }
}

/** Groups of cells as sorted key lists, sorted: a canonical form to compare partitions. */
export function normalise(groups: readonly (readonly Cell[])[]): string[][] {
  const byColumnMajor = (a: Cell, b: Cell) => a[0] - b[0] || a[1] - b[1];
  return groups
    .map((g) => [...g].sort(byColumnMajor))
    .sort((a, b) => byColumnMajor(a[0]!, b[0]!))
    .map((g) => g.map(key));
}

/** A bridge only continues the somatic line. */
export function onlyContinuesLine(s: MulticompartmentSwitches): boolean {
  return s.connectSomaRight && !s.connectSoma && !s.enableConductance && !s.connectRight && !s.connectVertical;
}

/**
 * Whether all compartments are joined through the somatic line (conductances allowed): each compartment is
 * represented by its membranes, a compartment of bridges by its segments.
 */
export function allJoined(graph: SwitchGraph, compartments: readonly (readonly Cell[])[]): boolean {
  const roots = compartments.map((cells) => {
    const bridges = cells.every((cell) => onlyContinuesLine(graph.switchesAt(cell)!));
    return new Set(cells.map((cell) => graph.find(`${bridges ? 's' : 'm'}${key(cell)}`)));
  });
  const reached = new Set(roots[0]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const set of roots) {
      if ([...set].some((r) => reached.has(r)) && ![...set].every((r) => reached.has(r))) {
        set.forEach((r) => reached.add(r));
        grew = true;
      }
    }
  }
  return roots.every((set) => [...set].some((r) => reached.has(r)));
}

/** Deep equality of plain data by its JSON text: much cheaper than `toEqual` inside 1000-run properties. */
export function expectSame(actual: unknown, expected: unknown): void {
  const a = JSON.stringify(actual);
  const b = JSON.stringify(expected);
  if (a !== b) throw new Error(`expected ${b}\n     got ${a}`);
}
