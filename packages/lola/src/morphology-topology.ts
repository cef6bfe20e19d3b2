import { MorphologyError } from './errors.js';
import {
  byIndex,
  columnOf,
  describeIndex,
  describeIndices,
  leftOf,
  oppositeOf,
  rightOf,
} from './logical-neuron-grid.js';
import { MorphologyRule } from './morphology-rule.js';
import { type MulticompartmentSwitches, isAttached, isBridge } from './multicompartment-switches.js';

/**
 * The electrical graph of a logical neuron, derived from its switches alone (hardware.md §4, §8.1): which
 * membranes form one node, which somatic line segments form one net. Positions are the column-major indices of
 * logical-neuron-grid.ts; `switches` holds every position of the morphology.
 */
export type SwitchMap = ReadonlyMap<number, MulticompartmentSwitches>;

/**
 * Somatic nets: runs of line segments joined by `connectSomaRight`. Segments live in one row; the two rows'
 * lines are never joined directly (upstream lola Morphology walks the somatic line only along a row).
 */
export class SomaticNets {
  private readonly netOfPosition = new Map<number, number>();
  /** Per net, the positions whose membrane sits on it by switch (`connectSoma`). */
  private readonly switchedOnNet = new Map<number, number[]>();

  constructor(switches: SwitchMap) {
    let next = 0;
    // Ascending index is column-major, so the left neighbour of a position is labelled before it.
    for (const index of [...switches.keys()].sort(byIndex)) {
      const left = leftOf(index);
      const leftSwitches = left === undefined ? undefined : switches.get(left);
      const net = left !== undefined && leftSwitches?.connectSomaRight ? this.netOfPosition.get(left)! : next++;
      this.netOfPosition.set(index, net);
      if (switches.get(index)!.connectSoma) {
        const members = this.switchedOnNet.get(net);
        if (members === undefined) this.switchedOnNet.set(net, [index]);
        else members.push(index);
      }
    }
  }

  netOf(index: number): number {
    return this.netOfPosition.get(index)!;
  }

  switchedMembers(net: number): readonly number[] {
    return this.switchedOnNet.get(net) ?? [];
  }
}

/**
 * Positions whose membrane is joined to `index` without a conductance: by `connectRight` (either side), by
 * `connectVertical` (either neuron of the column), or both switched (`connectSoma`) onto one somatic net.
 */
export function membraneNeighbors(index: number, switches: SwitchMap, nets: SomaticNets): number[] {
  const own = switches.get(index)!;
  const neighbors: number[] = [];
  const right = rightOf(index);
  if (own.connectRight && right !== undefined && switches.has(right)) neighbors.push(right);
  const left = leftOf(index);
  if (left !== undefined && switches.get(left)?.connectRight) neighbors.push(left);
  const opposite = oppositeOf(index);
  const oppositeSwitches = switches.get(opposite);
  if (oppositeSwitches !== undefined && (own.connectVertical || oppositeSwitches.connectVertical)) neighbors.push(opposite);
  if (own.connectSoma) {
    for (const other of nets.switchedMembers(nets.netOf(index))) if (other !== index) neighbors.push(other);
  }
  return neighbors;
}

/** Breadth-first walk over membrane neighbours from `start`, restricted to `allowed`; sorted column-major. */
export function walkMembrane(
  start: number,
  switches: SwitchMap,
  nets: SomaticNets,
  allowed: (index: number) => boolean = () => true,
): number[] {
  const seen = new Set([start]);
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    for (const neighbor of membraneNeighbors(queue[head]!, switches, nets)) {
      if (!seen.has(neighbor) && allowed(neighbor)) {
        seen.add(neighbor);
        queue.push(neighbor);
      }
    }
  }
  return queue.sort(byIndex);
}

/**
 * The neurons of the morphology outside every created compartment, grouped by membrane connection into
 * compartments of their own (bridge neurons become singletons), in column-major order of their first neuron.
 */
export function leftoverCompartments(switches: SwitchMap, assigned: ReadonlySet<number>): number[][] {
  const nets = new SomaticNets(switches);
  const taken = new Set(assigned);
  const groups: number[][] = [];
  for (const index of [...switches.keys()].sort(byIndex)) {
    if (taken.has(index)) continue;
    const group = walkMembrane(index, switches, nets, (i) => !taken.has(i));
    for (const member of group) taken.add(member);
    groups.push(group);
  }
  return groups;
}

/**
 * Checks that `compartments` (column-major indices, each position in exactly one) are what the switches make:
 * no switch leads out of the logical neuron, each compartment is exactly one membrane node, and all
 * compartments are joined through the somatic line (hardware.md §4, `done()`).
 */
export function checkTopology(compartments: readonly (readonly number[])[], switches: SwitchMap): void {
  const ownerOf = new Map<number, number>();
  compartments.forEach((members, c) => members.forEach((index) => ownerOf.set(index, c)));
  checkSwitchesStayInside(switches);
  const nets = new SomaticNets(switches);
  compartments.forEach((members, c) => checkCompartmentIsOneNode(c, members, switches, nets, ownerOf));
  checkJoined(compartments, switches, nets);
}

function checkSwitchesStayInside(switches: SwitchMap): void {
  for (const [index, s] of switches) {
    const checks: [boolean, number | undefined, string][] = [
      [s.connectRight, rightOf(index), 'connectRight'],
      [s.connectSomaRight, rightOf(index), 'connectSomaRight'],
      [s.connectVertical, oppositeOf(index), 'connectVertical'],
    ];
    for (const [set, target, name] of checks) {
      if (set && (target === undefined || !switches.has(target))) {
        const where = target === undefined ? `column ${columnOf(index) + 1}, off the grid` : describeIndex(target);
        throw new MorphologyError(
          MorphologyRule.switchLeavesNeuron,
          `${name} of ${describeIndex(index)} leads to ${where}, which is not part of the logical neuron`,
        );
      }
    }
  }
}

function checkCompartmentIsOneNode(
  compartment: number,
  members: readonly number[],
  switches: SwitchMap,
  nets: SomaticNets,
  ownerOf: ReadonlyMap<number, number>,
): void {
  const reached = walkMembrane(members[0]!, switches, nets);
  const own = new Set(members);
  const foreign = reached.filter((index) => !own.has(index));
  if (foreign.length > 0) {
    const first = foreign[0]!;
    throw new MorphologyError(
      MorphologyRule.compartmentsShorted,
      `compartment ${compartment} (${describeIndices(members)}) is larger than on construction: without a ` +
        `conductance it reaches ${describeIndices(foreign)} (compartment ${ownerOf.get(first)}), so two ` +
        `compartments are shorted through the somatic line; join all but one compartment of a somatic line ` +
        `with connectResistorToSoma`,
    );
  }
  if (reached.length < members.length) {
    const reachedSet = new Set(reached);
    const missing = members.filter((index) => !reachedSet.has(index));
    throw new MorphologyError(
      MorphologyRule.compartmentNotConnected,
      `compartment ${compartment}: its switches do not join ${describeIndices(missing)} to ${describeIndex(members[0]!)}`,
    );
  }
}

/**
 * Walks compartment → net → compartment: a compartment reaches the nets its attached neurons (switch or
 * conductance) sit on; a net reaches the compartments attached to it and the bridge compartments lying on it.
 */
function checkJoined(compartments: readonly (readonly number[])[], switches: SwitchMap, nets: SomaticNets): void {
  if (compartments.length <= 1) return;
  const attachedNets: Set<number>[] = [];
  const onNet = new Map<number, number[]>();
  const addOnNet = (net: number, c: number) => {
    const list = onNet.get(net);
    if (list === undefined) onNet.set(net, [c]);
    else list.push(c);
  };
  const bridgeOnly: boolean[] = [];
  compartments.forEach((members, c) => {
    const own = new Set<number>();
    bridgeOnly[c] = members.every((index) => isBridge(switches.get(index)!));
    for (const index of members) {
      const s = switches.get(index)!;
      if (isAttached(s)) own.add(nets.netOf(index));
      if (bridgeOnly[c] || isAttached(s)) addOnNet(nets.netOf(index), c);
    }
    attachedNets[c] = own;
  });
  const start = bridgeOnly.indexOf(false);
  const visited = new Set<number>(start < 0 ? [] : [start]);
  const queue = start < 0 ? [] : [start];
  for (let head = 0; head < queue.length; head++) {
    for (const net of attachedNets[queue[head]!]!) {
      for (const other of onNet.get(net) ?? []) {
        if (!visited.has(other)) {
          visited.add(other);
          if (!bridgeOnly[other]) queue.push(other);
        }
      }
    }
  }
  const stray = compartments.findIndex((_, c) => !visited.has(c));
  if (stray >= 0) {
    const anchor = start < 0 ? 'any other compartment' : `compartment ${start}`;
    throw new MorphologyError(
      MorphologyRule.notContiguous,
      `LogicalNeuron can't be constructed since it is not contiguous: compartment ${stray} ` +
        `(${describeIndices(compartments[stray]!)}) is not joined to ${anchor} through the somatic line; attach ` +
        `it with connectToSoma or connectResistorToSoma on a somatic line (connectSomaLine) that reaches the others`,
    );
  }
}
