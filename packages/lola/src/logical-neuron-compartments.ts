import {
  AtomicNeuronOnLogicalNeuron,
  CompartmentOnLogicalNeuron,
  NeuronColumnOnLogicalNeuron,
  NeuronRowOnLogicalNeuron,
} from '@bss2/halco';
import { MorphologyError, describeValue } from './errors.js';
import {
  type NeighborDirection,
  columnOf,
  describeIndex,
  indexAt,
  neighborIndex,
  positionAt,
  positionIndex,
  rowOf,
} from './logical-neuron-grid.js';
import { MorphologyRule } from './morphology-rule.js';

export type { NeighborDirection } from './logical-neuron-grid.js';

/**
 * The shape of a logical neuron: for each compartment (CompartmentOnLogicalNeuron 0, 1, …) the positions of its
 * neuron circuits, in the order they were given (hardware.md §4; upstream halco `LogicalNeuronCompartments`).
 * Immutable; a neuron may belong to one compartment only. The order of positions inside a compartment matters:
 * flips keep it, and a LogicalNeuron's switch settings follow it onto a placement.
 */
export class LogicalNeuronCompartments {
  readonly #compartments: readonly (readonly AtomicNeuronOnLogicalNeuron[])[];
  readonly #indices: readonly (readonly number[])[];
  readonly #owner = new Map<number, number>();
  /** Bounding box: leftmost, rightmost column, top, bottom row. */
  readonly #box: readonly [number, number, number, number];

  constructor(compartments: readonly (readonly AtomicNeuronOnLogicalNeuron[])[]) {
    if (!Array.isArray(compartments)) {
      throw new MorphologyError(MorphologyRule.invalidArgument, `compartments must be an array of position arrays, got ${describeValue(compartments)}`);
    }
    if (compartments.length === 0) {
      throw new MorphologyError(MorphologyRule.emptyMorphology, 'a logical neuron needs at least one compartment');
    }
    if (compartments.length > CompartmentOnLogicalNeuron.size) {
      throw new MorphologyError(
        MorphologyRule.tooManyCompartments,
        `${compartments.length} compartments given; CompartmentOnLogicalNeuron numbers at most ${CompartmentOnLogicalNeuron.size}`,
      );
    }
    this.#indices = compartments.map((members, c) => {
      if (!Array.isArray(members) || members.length === 0) {
        throw new MorphologyError(MorphologyRule.emptyCompartment, `compartment ${c} has no neuron`);
      }
      return Object.freeze(
        members.map((position) => {
          const index = positionIndex(position, `a neuron of compartment ${c}`);
          const other = this.#owner.get(index);
          if (other !== undefined) {
            throw new MorphologyError(
              MorphologyRule.neuronInTwoCompartments,
              `${describeIndex(index)} is in compartment ${other} and in compartment ${c}: multiple compartments contain the same neuron`,
            );
          }
          this.#owner.set(index, c);
          return index;
        }),
      );
    });
    this.#compartments = Object.freeze(this.#indices.map((members) => Object.freeze(members.map(positionAt))));
    const all = [...this.#owner.keys()];
    this.#box = [Math.min(...all.map(columnOf)), Math.max(...all.map(columnOf)), Math.min(...all.map(rowOf)), Math.max(...all.map(rowOf))];
  }

  /** Number of compartments. */
  get size(): number {
    return this.#compartments.length;
  }

  /** Every compartment coordinate, in order. */
  compartments(): CompartmentOnLogicalNeuron[] {
    return this.#compartments.map((_, c) => new CompartmentOnLogicalNeuron(c));
  }

  /** The positions of `compartment`, in their given order. */
  get(compartment: CompartmentOnLogicalNeuron): readonly AtomicNeuronOnLogicalNeuron[] {
    return this.#compartments[this.compartmentNumber(compartment)]!;
  }

  /** Positions per compartment (index = compartment); the plain form used by placement and JSON. */
  toArray(): readonly (readonly AtomicNeuronOnLogicalNeuron[])[] {
    return this.#compartments;
  }

  /** Every position, compartment by compartment. */
  positions(): AtomicNeuronOnLogicalNeuron[] {
    return this.#compartments.flat();
  }

  /** The compartment holding `position`, or undefined when the logical neuron does not use it. */
  compartmentOf(position: AtomicNeuronOnLogicalNeuron): CompartmentOnLogicalNeuron | undefined {
    const c = this.#owner.get(positionIndex(position));
    return c === undefined ? undefined : new CompartmentOnLogicalNeuron(c);
  }

  get leftmostColumn(): NeuronColumnOnLogicalNeuron {
    return new NeuronColumnOnLogicalNeuron(this.#box[0]);
  }

  get rightmostColumn(): NeuronColumnOnLogicalNeuron {
    return new NeuronColumnOnLogicalNeuron(this.#box[1]);
  }

  get topRow(): NeuronRowOnLogicalNeuron {
    return new NeuronRowOnLogicalNeuron(this.#box[2]);
  }

  get bottomRow(): NeuronRowOnLogicalNeuron {
    return new NeuronRowOnLogicalNeuron(this.#box[3]);
  }

  /** Columns of the bounding box. */
  get width(): number {
    return this.#box[1] - this.#box[0] + 1;
  }

  /** Rows of the bounding box (1 or 2). */
  get height(): number {
    return this.#box[3] - this.#box[2] + 1;
  }

  /** Mirror image left ↔ right inside the bounding box; compartment numbers and position order are kept. */
  flipX(): LogicalNeuronCompartments {
    const sum = this.#box[0] + this.#box[1];
    return this.mapped((index) => indexAt(sum - columnOf(index), rowOf(index)));
  }

  /** Mirror image top ↔ bottom inside the bounding box (identity for a one-row shape). */
  flipY(): LogicalNeuronCompartments {
    const sum = this.#box[2] + this.#box[3];
    return this.mapped((index) => indexAt(columnOf(index), sum - rowOf(index)));
  }

  /**
   * The position next to `position` on the 128 × 2 logical-neuron grid: `left`, `right` (same row) or
   * `opposite` (other row, same column). Off the grid → MorphologyError (`neighbor off grid`).
   */
  static getNeighbor(position: AtomicNeuronOnLogicalNeuron, direction: NeighborDirection): AtomicNeuronOnLogicalNeuron {
    return positionAt(neighborIndex(positionIndex(position), direction));
  }

  /** Same compartments holding the same positions in the same order. */
  equals(other: unknown): boolean {
    if (!(other instanceof LogicalNeuronCompartments) || other.size !== this.size) return false;
    const theirs = other.#indices;
    return this.#indices.every((members, c) => {
      const others = theirs[c]!;
      return members.length === others.length && members.every((index, i) => index === others[i]);
    });
  }

  toString(): string {
    const parts = this.#indices.map((members, c) => `${c}: ${members.map(describeIndex).join(' ')}`);
    return `LogicalNeuronCompartments(${parts.join('; ')})`;
  }

  /** `{ type, compartments: [[AtomicNeuronOnLogicalNeuron(…), …], …] }`. */
  toJSON(): { type: 'LogicalNeuronCompartments'; compartments: string[][] } {
    return { type: 'LogicalNeuronCompartments', compartments: this.#compartments.map((members) => members.map((p) => p.toJSON())) };
  }

  static fromJSON(json: unknown): LogicalNeuronCompartments {
    const record = json as { type?: unknown; compartments?: unknown } | null;
    if (record === null || typeof record !== 'object' || record.type !== 'LogicalNeuronCompartments' || !Array.isArray(record.compartments)) {
      throw new MorphologyError(MorphologyRule.invalidArgument, `not a LogicalNeuronCompartments JSON object: ${describeValue(json)}`);
    }
    return new LogicalNeuronCompartments(
      record.compartments.map((members: unknown) => {
        if (!Array.isArray(members)) {
          throw new MorphologyError(MorphologyRule.invalidArgument, `a compartment must be an array, got ${describeValue(members)}`);
        }
        return members.map((p: unknown) => AtomicNeuronOnLogicalNeuron.fromJSON(p));
      }),
    );
  }

  private compartmentNumber(compartment: CompartmentOnLogicalNeuron): number {
    if (!(compartment instanceof CompartmentOnLogicalNeuron) || compartment.value >= this.size) {
      throw new MorphologyError(
        MorphologyRule.invalidArgument,
        `${describeValue(compartment)} ${compartment instanceof CompartmentOnLogicalNeuron ? `(${compartment.value}) ` : ''}` +
          `is not a compartment of this logical neuron (0..${this.size - 1})`,
      );
    }
    return compartment.value;
  }

  private mapped(f: (index: number) => number): LogicalNeuronCompartments {
    return new LogicalNeuronCompartments(this.#indices.map((members) => members.map((index) => positionAt(f(index)))));
  }
}
