import { AtomicNeuronOnDLS, NeuronColumnOnDLS, NeuronRowOnDLS } from '@bss2/halco';
import { MorphologyError, describeValue } from './errors.js';
import { LogicalNeuronCompartments } from './logical-neuron-compartments.js';
import { MorphologyRule } from './morphology-rule.js';

/** Columns per half of the neuron rows; the switches of §3.2 do not cross from column 127 to 128. */
const halfColumns = NeuronColumnOnDLS.size / 2;

/**
 * Why `compartments` cannot sit at `anchor`, or undefined when it can (hardware.md §4 placement rules):
 * the bounding box must stay inside the 2 × 256 grid and must not contain both column 127 and column 128
 * (the two halves have separate neuron config blocks and backends, and no switch joins them).
 */
function placementProblem(
  compartments: LogicalNeuronCompartments,
  anchor: AtomicNeuronOnDLS,
): { rule: MorphologyRule; reason: string } | undefined {
  const column = anchor.x.value;
  const row = anchor.y.value;
  const lastColumn = column + compartments.width - 1;
  if (row + compartments.height > NeuronRowOnDLS.size) {
    return {
      rule: MorphologyRule.placementOutsideGrid,
      reason: `a shape ${compartments.height} rows high anchored in row ${row} needs row ${row + compartments.height - 1}; rows are 0..${NeuronRowOnDLS.max}`,
    };
  }
  if (lastColumn > NeuronColumnOnDLS.max) {
    return {
      rule: MorphologyRule.placementOutsideGrid,
      reason: `a shape ${compartments.width} columns wide anchored in column ${column} needs column ${lastColumn}; columns are 0..${NeuronColumnOnDLS.max}`,
    };
  }
  if (column < halfColumns && lastColumn >= halfColumns) {
    return {
      rule: MorphologyRule.placementSpansHalves,
      reason: `its columns ${column}..${lastColumn} contain both ${halfColumns - 1} and ${halfColumns}; a logical neuron must stay within one half (columns 0..${halfColumns - 1} or ${halfColumns}..${NeuronColumnOnDLS.max})`,
    };
  }
  return undefined;
}

/**
 * A logical neuron placed on the chip (upstream halco `LogicalNeuronOnDLS`): its compartments shifted so that
 * the top-left corner of their bounding box lands on `anchor`. Immutable.
 */
export class LogicalNeuronOnDLS {
  readonly compartments: LogicalNeuronCompartments;
  readonly anchor: AtomicNeuronOnDLS;
  readonly #placed: readonly (readonly AtomicNeuronOnDLS[])[];

  constructor(compartments: LogicalNeuronCompartments, anchor: AtomicNeuronOnDLS) {
    if (!(compartments instanceof LogicalNeuronCompartments)) {
      throw new MorphologyError(MorphologyRule.invalidArgument, `compartments must be LogicalNeuronCompartments, got ${describeValue(compartments)}`);
    }
    if (!(anchor instanceof AtomicNeuronOnDLS)) {
      throw new MorphologyError(MorphologyRule.invalidArgument, `anchor must be an AtomicNeuronOnDLS, got ${describeValue(anchor)}`);
    }
    const problem = placementProblem(compartments, anchor);
    if (problem !== undefined) {
      throw new MorphologyError(
        problem.rule,
        `LogicalNeuron anchored at ${anchor.toString()} (column ${anchor.x.value}, row ${anchor.y.value}) cannot be placed: ${problem.reason}`,
      );
    }
    this.compartments = compartments;
    this.anchor = anchor;
    const columnShift = anchor.x.value - compartments.leftmostColumn.value;
    const rowShift = anchor.y.value - compartments.topRow.value;
    this.#placed = Object.freeze(
      compartments.toArray().map((members) =>
        Object.freeze(
          members.map(
            (p) => new AtomicNeuronOnDLS(new NeuronColumnOnDLS(p.x.value + columnShift), new NeuronRowOnDLS(p.y.value + rowShift)),
          ),
        ),
      ),
    );
  }

  /** Whether `compartments` can be anchored at `anchor` (first-fit placement asks this for every candidate). */
  static isValidAnchor(compartments: LogicalNeuronCompartments, anchor: AtomicNeuronOnDLS): boolean {
    return placementProblem(compartments, anchor) === undefined;
  }

  /** The neuron circuits of each compartment (index = compartment), in the compartments' position order. */
  toAtomicNeurons(): readonly (readonly AtomicNeuronOnDLS[])[] {
    return this.#placed;
  }

  /** Every neuron circuit used, compartment by compartment. */
  atomicNeurons(): AtomicNeuronOnDLS[] {
    return this.#placed.flat();
  }

  equals(other: unknown): boolean {
    return other instanceof LogicalNeuronOnDLS && other.anchor.equals(this.anchor) && other.compartments.equals(this.compartments);
  }

  toString(): string {
    return `LogicalNeuronOnDLS(${this.#placed.map((members, c) => `${c}: ${members.map((n) => n.toString()).join(' ')}`).join('; ')})`;
  }

  toJSON(): { type: 'LogicalNeuronOnDLS'; compartments: ReturnType<LogicalNeuronCompartments['toJSON']>; anchor: string } {
    return { type: 'LogicalNeuronOnDLS', compartments: this.compartments.toJSON(), anchor: this.anchor.toJSON() };
  }

  static fromJSON(json: unknown): LogicalNeuronOnDLS {
    const record = json as { type?: unknown; compartments?: unknown; anchor?: unknown } | null;
    if (record === null || typeof record !== 'object' || record.type !== 'LogicalNeuronOnDLS') {
      throw new MorphologyError(MorphologyRule.invalidArgument, `not a LogicalNeuronOnDLS JSON object: ${describeValue(json)}`);
    }
    return new LogicalNeuronOnDLS(LogicalNeuronCompartments.fromJSON(record.compartments), AtomicNeuronOnDLS.fromJSON(record.anchor));
  }
}
