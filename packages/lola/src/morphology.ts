import {
  type AtomicNeuronOnLogicalNeuron,
  CompartmentOnLogicalNeuron,
  NeuronColumnOnLogicalNeuron,
  NeuronRowOnLogicalNeuron,
} from '@bss2/halco';
import { MorphologyError, describeValue } from './errors.js';
import { LogicalNeuron } from './logical-neuron.js';
import { LogicalNeuronCompartments } from './logical-neuron-compartments.js';
import {
  byIndex,
  describeIndex,
  indexAt,
  oppositeOf,
  positionAt,
  positionIndex,
  rightOf,
  rowOf,
} from './logical-neuron-grid.js';
import { MorphologyRule } from './morphology-rule.js';
import { leftoverCompartments } from './morphology-topology.js';
import { type ConductanceScaling, type MulticompartmentSwitches, openSwitches } from './multicompartment-switches.js';

type MutableSwitches = { -readonly [K in keyof MulticompartmentSwitches]: boolean };

/** What `Morphology.done()` returns: the shape and the neuron (upstream returns the same pair). */
export interface MorphologyResult {
  readonly compartments: LogicalNeuronCompartments;
  readonly neuron: LogicalNeuron;
}

/**
 * Builder of a multi-compartment neuron (hardware.md §4; upstream lola `Morphology`): compartments of neuron
 * circuits joined by direct membrane switches, attached to the somatic line by switch or conductance, the line
 * itself laid with `connectSomaLine`. Every rejection throws a MorphologyError naming the rule and the neurons;
 * a rejected call changes nothing. `done()` checks the whole and returns an immutable LogicalNeuron; the
 * builder stays usable afterwards and is not affected by it.
 */
export class Morphology {
  readonly #switches = new Map<number, MutableSwitches>();
  readonly #created: number[][] = [];
  readonly #owner = new Map<number, number>();

  /**
   * Joins `neurons` into the next compartment with `connectRight` / `connectVertical` between every two
   * members that are horizontal / vertical neighbours, and returns its index. The neurons must form a
   * column-major walk: after a top-row neuron the next one (column-major) is the one below or to the right,
   * after a bottom-row neuron the one to the right or diagonally up-right (and then the two must still share a
   * membrane through the neuron above the first or below the second).
   */
  createCompartment(neurons: readonly AtomicNeuronOnLogicalNeuron[]): CompartmentOnLogicalNeuron {
    if (!Array.isArray(neurons)) {
      throw new MorphologyError(MorphologyRule.invalidArgument, `createCompartment takes an array of AtomicNeuronOnLogicalNeuron, got ${describeValue(neurons)}`);
    }
    if (neurons.length === 0) {
      throw new MorphologyError(MorphologyRule.emptyCompartment, 'createCompartment([]): at least one neuron must be in a compartment');
    }
    const number = this.#created.length;
    if (number >= CompartmentOnLogicalNeuron.size) {
      throw new MorphologyError(MorphologyRule.tooManyCompartments, `a logical neuron has at most ${CompartmentOnLogicalNeuron.size} compartments`);
    }
    const indices = neurons.map((n) => positionIndex(n));
    const given = new Set<number>();
    for (const index of indices) {
      const owner = this.#owner.get(index);
      if (owner !== undefined) {
        throw new MorphologyError(
          MorphologyRule.neuronAlreadyUsed,
          `${describeIndex(index)} was already used for compartment ${owner} (${this.#created[owner]!.map(describeIndex).join(', ')})`,
        );
      }
      if (given.has(index)) {
        throw new MorphologyError(MorphologyRule.neuronAlreadyUsed, `${describeIndex(index)} is listed twice for compartment ${number}`);
      }
      given.add(index);
    }
    checkColumnMajorWalk(indices);
    for (const index of indices) {
      const s = this.switchesFor(index);
      const right = rightOf(index);
      if (right !== undefined && given.has(right)) s.connectRight = true;
      // Both neurons of the column set it, as upstream does, so the setting is symmetric under flipY.
      if (given.has(oppositeOf(index))) s.connectVertical = true;
      this.#owner.set(index, number);
    }
    this.#created.push(indices);
    return new CompartmentOnLogicalNeuron(number);
  }

  /** Switches the membrane of `neuron` onto its somatic line segment (`connectSoma`). */
  connectToSoma(neuron: AtomicNeuronOnLogicalNeuron): void {
    const index = positionIndex(neuron);
    if (this.#switches.get(index)?.enableConductance) {
      throw new MorphologyError(
        MorphologyRule.somaSwitchWithConductance,
        `${describeIndex(index)} already has a connection to the somatic line via conductance; connect_soma would short it`,
      );
    }
    this.switchesFor(index).connectSoma = true;
  }

  /**
   * Connects the membrane of `neuron` to its somatic line segment through the inter-compartment conductance
   * (`enableConductance`, bias `i_bias_nmda`), optionally scaled ÷4 / ×4.
   */
  connectResistorToSoma(neuron: AtomicNeuronOnLogicalNeuron, scaling: ConductanceScaling = {}): void {
    const index = positionIndex(neuron);
    if (this.#switches.get(index)?.connectSoma) {
      throw new MorphologyError(
        MorphologyRule.somaSwitchWithConductance,
        `${describeIndex(index)} already has a connection to the somatic line via direct switch; a conductance beside it would be shorted`,
      );
    }
    for (const key of ['division', 'multiplication'] as const) {
      if (scaling[key] !== undefined && typeof scaling[key] !== 'boolean') {
        throw new MorphologyError(MorphologyRule.invalidArgument, `conductance scaling ${key} must be a boolean, got ${describeValue(scaling[key])}`);
      }
    }
    const s = this.switchesFor(index);
    s.enableConductance = true;
    if (scaling.division !== undefined) s.enableConductanceDivision = scaling.division;
    if (scaling.multiplication !== undefined) s.enableConductanceMultiplication = scaling.multiplication;
  }

  /**
   * Lays the somatic line of `row` from column `start` to column `end`: `connectSomaRight` on `start..end−1`;
   * `end` joins the morphology too (its segment is the last one of the line).
   */
  connectSomaLine(start: NeuronColumnOnLogicalNeuron, end: NeuronColumnOnLogicalNeuron, row: NeuronRowOnLogicalNeuron): void {
    for (const [value, type, name] of [
      [start, NeuronColumnOnLogicalNeuron, 'start'],
      [end, NeuronColumnOnLogicalNeuron, 'end'],
      [row, NeuronRowOnLogicalNeuron, 'row'],
    ] as const) {
      if (!(value instanceof type)) {
        throw new MorphologyError(MorphologyRule.invalidArgument, `connectSomaLine ${name} must be a ${type.typeName}, got ${describeValue(value)}`);
      }
    }
    if (end.value < start.value) {
      throw new MorphologyError(
        MorphologyRule.reversedSomaLine,
        `connectSomaLine(start ${start.value}, end ${end.value}, row ${row.value}): end lies left of start; the line runs from start rightwards to end`,
      );
    }
    for (let column = start.value; column < end.value; column++) this.switchesFor(indexAt(column, row.value)).connectSomaRight = true;
    this.switchesFor(indexAt(end.value, row.value));
  }

  /** The switches set so far at `neuron`, or undefined when the morphology does not use it yet. */
  switchesOf(neuron: AtomicNeuronOnLogicalNeuron): MulticompartmentSwitches | undefined {
    const s = this.#switches.get(positionIndex(neuron));
    return s === undefined ? undefined : Object.freeze({ ...s });
  }

  /**
   * Checks the morphology and returns its compartments and the LogicalNeuron (hardware.md §4). Compartments
   * keep their numbers; every neuron not in a created compartment (bridge neurons that only continue the
   * somatic line, ends of lines) becomes part of a further compartment, grouped by membrane connection, in
   * column-major order. Rejected when a created compartment grew (two compartments shorted through the
   * somatic line without a conductance) or when the compartments are not all joined through the somatic line.
   */
  done(): MorphologyResult {
    if (this.#switches.size === 0) {
      throw new MorphologyError(MorphologyRule.emptyMorphology, 'done() on an empty Morphology: create a compartment first');
    }
    const all = [...this.#created, ...leftoverCompartments(this.#switches, new Set(this.#owner.keys()))];
    if (all.length > CompartmentOnLogicalNeuron.size) {
      throw new MorphologyError(
        MorphologyRule.tooManyCompartments,
        `the morphology makes ${all.length} compartments; CompartmentOnLogicalNeuron numbers at most ${CompartmentOnLogicalNeuron.size}`,
      );
    }
    const compartments = new LogicalNeuronCompartments(all.map((members) => members.map(positionAt)));
    const neuron = new LogicalNeuron(compartments, all.map((members) => members.map((index) => ({ ...this.#switches.get(index)! }))));
    return Object.freeze({ compartments, neuron });
  }

  toString(): string {
    return `Morphology(${this.#created.length} created compartments, ${this.#switches.size} neurons)`;
  }

  private switchesFor(index: number): MutableSwitches {
    let s = this.#switches.get(index);
    if (s === undefined) {
      s = { ...openSwitches };
      this.#switches.set(index, s);
    }
    return s;
  }
}

/** hardware.md §4: the column-major walk rule of `create_compartment`. */
function checkColumnMajorWalk(indices: readonly number[]): void {
  const members = new Set(indices);
  const walk = [...indices].sort(byIndex);
  for (let i = 0; i + 1 < walk.length; i++) {
    const here = walk[i]!;
    const next = walk[i + 1]!;
    const right = next === here + 2;
    if (rowOf(here) === 0) {
      const below = next === here + 1;
      if (below || right) continue;
      throw notContiguous(here, next, 'after a top-row neuron the next one must be the one below or the one to the right');
    }
    const upRight = next === here + 1;
    if (right) continue;
    if (upRight && (members.has(here - 1) || members.has(here + 2))) continue;
    if (upRight) {
      throw notContiguous(
        here,
        next,
        `the two touch only diagonally, no membrane switch joins them; add ${describeIndex(here - 1)} or ${describeIndex(here + 2)}`,
      );
    }
    throw notContiguous(here, next, 'after a bottom-row neuron the next one must be the one to the right or diagonally up-right');
  }
}

function notContiguous(here: number, next: number, why: string): MorphologyError {
  return new MorphologyError(
    MorphologyRule.notContiguousColumnMajor,
    `compartment is not made up of a contiguous block of neurons: column-major, ${describeIndex(here)} is followed by ` +
      `${describeIndex(next)}; ${why}`,
  );
}
