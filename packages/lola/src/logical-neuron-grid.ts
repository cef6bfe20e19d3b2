import { AtomicNeuronOnLogicalNeuron, NeuronColumnOnLogicalNeuron, NeuronRowOnLogicalNeuron } from '@bss2/halco';
import { MorphologyError, describeValue } from './errors.js';
import { MorphologyRule } from './morphology-rule.js';

/**
 * Positions inside a logical neuron form a grid of 128 columns × 2 rows (hardware.md §4). The morphology code
 * works on a column-major index `2·column + row`, so that sorting indices numerically is the column-major walk
 * of `createCompartment`, and left / right / opposite are −2 / +2 / xor 1. The halco coordinate is used at
 * every public boundary; this index never leaves the package.
 */
export const logicalColumns: number = NeuronColumnOnLogicalNeuron.size;
export const logicalRows: number = NeuronRowOnLogicalNeuron.size;

/** Direction of `LogicalNeuronCompartments.getNeighbor`: same row left or right, or the other row. */
export type NeighborDirection = 'left' | 'right' | 'opposite';

export function columnOf(index: number): number {
  return index >> 1;
}

export function rowOf(index: number): number {
  return index & 1;
}

export function indexAt(column: number, row: number): number {
  return 2 * column + row;
}

export function rightOf(index: number): number | undefined {
  return columnOf(index) + 1 < logicalColumns ? index + 2 : undefined;
}

export function leftOf(index: number): number | undefined {
  return columnOf(index) > 0 ? index - 2 : undefined;
}

export function oppositeOf(index: number): number {
  return index ^ 1;
}

/** The column-major index of a position; rejects anything that is not an AtomicNeuronOnLogicalNeuron. */
export function positionIndex(position: AtomicNeuronOnLogicalNeuron, what = 'neuron'): number {
  if (!(position instanceof AtomicNeuronOnLogicalNeuron)) {
    throw new MorphologyError(
      MorphologyRule.invalidArgument,
      `${what} must be an AtomicNeuronOnLogicalNeuron, got ${describeValue(position)}`,
    );
  }
  // Grid enum (hardware.md §2.1): `row · columns + column`.
  return indexAt(position.value % logicalColumns, Math.floor(position.value / logicalColumns));
}

// Coordinates are immutable values: one instance per position serves every caller.
const positions: readonly AtomicNeuronOnLogicalNeuron[] = Array.from(
  { length: logicalColumns * logicalRows },
  (_, index) =>
    new AtomicNeuronOnLogicalNeuron(new NeuronColumnOnLogicalNeuron(columnOf(index)), new NeuronRowOnLogicalNeuron(rowOf(index))),
);

export function positionAt(index: number): AtomicNeuronOnLogicalNeuron {
  return positions[index]!;
}

/** `(column 3, row 1)`: how messages name a position (the enum alone is hard to read). */
export function describeIndex(index: number): string {
  return `(column ${columnOf(index)}, row ${rowOf(index)})`;
}

export function describeIndices(indices: Iterable<number>, limit = 8): string {
  const all = [...indices];
  const shown = all.slice(0, limit).map(describeIndex).join(', ');
  return all.length > limit ? `${shown} and ${all.length - limit} more` : shown;
}

/** Index of the neighbour in `direction`; off the 128 × 2 grid → MorphologyError (`neighbor off grid`). */
export function neighborIndex(index: number, direction: NeighborDirection): number {
  let neighbor: number | undefined;
  if (direction === 'left') neighbor = leftOf(index);
  else if (direction === 'right') neighbor = rightOf(index);
  else if (direction === 'opposite') neighbor = oppositeOf(index);
  else {
    throw new MorphologyError(
      MorphologyRule.invalidArgument,
      `direction must be 'left', 'right' or 'opposite', got ${describeValue(direction)}`,
    );
  }
  if (neighbor === undefined) {
    throw new MorphologyError(
      MorphologyRule.neighborOffGrid,
      `${describeIndex(index)} has no ${direction} neighbour: columns of a logical neuron are 0..${logicalColumns - 1}`,
    );
  }
  return neighbor;
}

/** Ascending numeric order = column-major order of positions. */
export function byIndex(a: number, b: number): number {
  return a - b;
}
