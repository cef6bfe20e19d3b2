import { type AtomicNeuronOnDLS, type AtomicNeuronOnLogicalNeuron, CompartmentOnLogicalNeuron } from '@bss2/halco';
import type { AtomicNeuron } from './atomic-neuron.js';
import { MorphologyError, describeValue } from './errors.js';
import { LogicalNeuronCompartments } from './logical-neuron-compartments.js';
import { describeIndex, positionIndex, rightOf } from './logical-neuron-grid.js';
import { LogicalNeuronOnDLS } from './logical-neuron-on-dls.js';
import { MorphologyRule } from './morphology-rule.js';
import { checkTopology } from './morphology-topology.js';
import {
  type ConductanceScaling,
  type MulticompartmentSwitches,
  frozenSwitches,
  switchesEqual,
} from './multicompartment-switches.js';

/** The switch settings of one placed neuron circuit (`collapseNeuron`). */
export interface PlacedSwitches {
  readonly neuron: AtomicNeuronOnDLS;
  readonly compartment: CompartmentOnLogicalNeuron;
  readonly switches: MulticompartmentSwitches;
}

/**
 * AtomicNeurons to write a logical neuron into: an array indexed by `AtomicNeuronOnDLS.value` (all 512 of a
 * chip, or sparse) or a map keyed by that value.
 */
export type AtomicNeuronTable = ReadonlyArray<AtomicNeuron | undefined> | ReadonlyMap<number, AtomicNeuron>;

type SwitchLists = readonly (readonly MulticompartmentSwitches[])[];

/**
 * A multi-compartment neuron (hardware.md §4; upstream lola `LogicalNeuron`): its compartments and the
 * multicompartment switch settings of every position, index-aligned with the compartments. Built by
 * `Morphology.done()`; the constructor re-checks every rule, so any LogicalNeuron is valid. Immutable: the
 * switches are frozen, only the conductance scaling may change (into a new LogicalNeuron) because it does not
 * alter the topology.
 */
export class LogicalNeuron {
  readonly compartments: LogicalNeuronCompartments;
  readonly #switches: SwitchLists;
  readonly #byIndex = new Map<number, MulticompartmentSwitches>();

  constructor(compartments: LogicalNeuronCompartments, switches: SwitchLists) {
    if (!(compartments instanceof LogicalNeuronCompartments)) {
      throw new MorphologyError(MorphologyRule.invalidArgument, `compartments must be LogicalNeuronCompartments, got ${describeValue(compartments)}`);
    }
    const members = compartments.toArray();
    if (!Array.isArray(switches) || switches.length !== members.length) {
      throw new MorphologyError(
        MorphologyRule.invalidArgument,
        `switches must hold one list per compartment (${members.length}), got ${describeValue(switches)}`,
      );
    }
    const indices = members.map((positions) => positions.map((p) => positionIndex(p)));
    this.#switches = Object.freeze(
      indices.map((positions, c) => {
        const list = switches[c];
        if (!Array.isArray(list) || list.length !== positions.length) {
          throw new MorphologyError(
            MorphologyRule.invalidArgument,
            `compartment ${c} has ${positions.length} neurons but ${Array.isArray(list) ? list.length : describeValue(list)} switch records`,
          );
        }
        return Object.freeze(
          positions.map((index, i) => {
            const frozen = frozenSwitches(list[i]!, `${describeIndex(index)} (compartment ${c})`);
            this.#byIndex.set(index, frozen);
            return frozen;
          }),
        );
      }),
    );
    checkTopology(indices, this.#byIndex);
    this.compartments = compartments;
  }

  /** Switch settings per compartment, index-aligned with `compartments.toArray()`. */
  toArray(): SwitchLists {
    return this.#switches;
  }

  /** The switches of the `index`-th neuron of `compartment`. */
  switchesAt(compartment: CompartmentOnLogicalNeuron, index: number): MulticompartmentSwitches {
    const positions = this.compartments.get(compartment); // rejects a compartment this neuron does not have
    if (!Number.isInteger(index) || index < 0 || index >= positions.length) {
      throw new MorphologyError(
        MorphologyRule.invalidArgument,
        `compartment ${compartment.value} has no neuron ${describeValue(index)} (0..${positions.length - 1})`,
      );
    }
    return this.#switches[compartment.value]![index]!;
  }

  /** The switches at `position`, or undefined when the logical neuron does not use it. */
  switchesOf(position: AtomicNeuronOnLogicalNeuron): MulticompartmentSwitches | undefined {
    return this.#byIndex.get(positionIndex(position));
  }

  /** A copy with the ÷4 / ×4 scaling of the conductance at `position` changed (hardware.md §3.2). */
  withConductanceScaling(position: AtomicNeuronOnLogicalNeuron, scaling: ConductanceScaling): LogicalNeuron {
    const target = positionIndex(position);
    if (!this.#byIndex.has(target)) {
      throw new MorphologyError(MorphologyRule.invalidArgument, `${describeIndex(target)} is not part of this logical neuron`);
    }
    const members = this.compartments.toArray();
    return new LogicalNeuron(
      this.compartments,
      this.#switches.map((list, c) =>
        list.map((s, i) =>
          positionIndex(members[c]![i]!) === target
            ? {
                ...s,
                enableConductanceDivision: scaling.division ?? s.enableConductanceDivision,
                enableConductanceMultiplication: scaling.multiplication ?? s.enableConductanceMultiplication,
              }
            : s,
        ),
      ),
    );
  }

  /**
   * The switch settings of every circuit of `placement`, compartment by compartment (upstream
   * `collapse_neuron`). The placement must be of this neuron's compartments or of a flip of them (flipX, flipY
   * or both): per-neuron switches follow their neuron, and each horizontal link (`connectRight`,
   * `connectSomaRight`) is set on whichever of its two placed circuits ends up on the left.
   */
  collapseNeuron(placement: LogicalNeuronOnDLS): PlacedSwitches[] {
    const placed = this.placedNeurons(placement);
    const members = this.compartments.toArray();
    const placedOf = new Map<number, AtomicNeuronOnDLS>();
    members.forEach((positions, c) => positions.forEach((p, i) => placedOf.set(positionIndex(p), placed[c]![i]!)));

    const out = new Map<number, { -readonly [K in keyof MulticompartmentSwitches]: boolean }>();
    for (const [index, s] of this.#byIndex) out.set(placedOf.get(index)!.value, { ...s, connectRight: false, connectSomaRight: false });
    for (const [index, s] of this.#byIndex) {
      if (!s.connectRight && !s.connectSomaRight) continue;
      const a = placedOf.get(index)!;
      const b = placedOf.get(rightOf(index)!)!;
      const left = out.get((a.x.value < b.x.value ? a : b).value)!;
      if (s.connectRight) left.connectRight = true;
      if (s.connectSomaRight) left.connectSomaRight = true;
    }
    return placed.flatMap((circuits, c) =>
      circuits.map((neuron) => ({ neuron, compartment: new CompartmentOnLogicalNeuron(c), switches: Object.freeze(out.get(neuron.value)!) })),
    );
  }

  /**
   * Writes the switch settings of `collapseNeuron(placement)` into the `multicompartment` group of the
   * AtomicNeurons in `neurons` (in place); `iBiasNmda` and every other group are left as they are.
   */
  applyTo(placement: LogicalNeuronOnDLS, neurons: AtomicNeuronTable): void {
    const lookup = neurons instanceof Map ? (n: number) => neurons.get(n) : (n: number) => (neurons as ReadonlyArray<AtomicNeuron | undefined>)[n];
    const collapsed = this.collapseNeuron(placement);
    const targets = collapsed.map(({ neuron }) => {
      const target = lookup(neuron.value);
      if (target === undefined) {
        throw new MorphologyError(MorphologyRule.invalidArgument, `no AtomicNeuron for ${neuron.toString()} of the placement in the table given to applyTo`);
      }
      return target;
    });
    collapsed.forEach(({ switches }, i) => {
      const target = targets[i]!;
      target.multicompartment = target.multicompartment.with(switches);
    });
  }

  /** Same compartments and the same switches at every position. */
  equals(other: unknown): boolean {
    if (!(other instanceof LogicalNeuron) || !other.compartments.equals(this.compartments)) return false;
    const theirs = other.#switches;
    return this.#switches.every((list, c) => list.every((s, i) => switchesEqual(s, theirs[c]![i]!)));
  }

  toString(): string {
    return `LogicalNeuron(${this.compartments.toString()})`;
  }

  toJSON(): { type: 'LogicalNeuron'; compartments: ReturnType<LogicalNeuronCompartments['toJSON']>; switches: SwitchLists } {
    return { type: 'LogicalNeuron', compartments: this.compartments.toJSON(), switches: this.#switches };
  }

  /** Inverse of `toJSON`; the constructor checks the switches against every rule again. */
  static fromJSON(json: unknown): LogicalNeuron {
    const record = json as { type?: unknown; compartments?: unknown; switches?: unknown } | null;
    if (record === null || typeof record !== 'object' || record.type !== 'LogicalNeuron') {
      throw new MorphologyError(MorphologyRule.invalidArgument, `not a LogicalNeuron JSON object: ${describeValue(json)}`);
    }
    return new LogicalNeuron(LogicalNeuronCompartments.fromJSON(record.compartments), record.switches as SwitchLists);
  }

  private placedNeurons(placement: LogicalNeuronOnDLS): readonly (readonly AtomicNeuronOnDLS[])[] {
    if (!(placement instanceof LogicalNeuronOnDLS)) {
      throw new MorphologyError(MorphologyRule.invalidArgument, `placement must be a LogicalNeuronOnDLS, got ${describeValue(placement)}`);
    }
    const own = this.compartments;
    const images = [own, own.flipX(), own.flipY(), own.flipX().flipY()];
    if (!images.some((image) => image.equals(placement.compartments))) {
      throw new MorphologyError(
        MorphologyRule.placementMismatch,
        `${placement.toString()} is not a placement of ${own.toString()} or of a flip of it`,
      );
    }
    return placement.toAtomicNeurons();
  }
}
