import { AtomicNeuronOnDLS, PADIBusOnPADIBusBlock } from '@bss2/halco';
import { LogicalNeuronOnDLS, type LogicalNeuronCompartments } from '@bss2/lola';
import { PlacementError } from './errors.js';
import type { NeuronPopulation } from './network.js';
import { shapeOf, type IndexedNetwork } from './validate.js';

const CIRCUITS = AtomicNeuronOnDLS.size;
/** Background populations take buses 3, 2, 1, 0 in creation order (hardware.md §10.1). */
const BACKGROUND_BUSES = [3, 2, 1, 0] as const;

/** Where every population landed (hardware.md §10.1). */
export interface Placement {
  /** Per population index: one LogicalNeuronOnDLS per neuron (neuron populations only). */
  readonly neurons: readonly (readonly LogicalNeuronOnDLS[] | undefined)[];
  /** Per population index: the PADIBusOnPADIBusBlock of a background population, in both hemispheres. */
  readonly backgroundBus: readonly (number | undefined)[];
  /** Per AtomicNeuronOnDLS value: population index (−1 when free), neuron index, compartment, position in it. */
  readonly circuitPopulation: Int32Array;
  readonly circuitNeuron: Int32Array;
  readonly circuitCompartment: Int32Array;
  readonly circuitPosition: Int32Array;
  /**
   * Per population index, per neuron: the circuit whose spikes represent the neuron. **Choice:** the first
   * circuit of compartment 0 (the soma as built); the other circuits of a logical neuron do not send spikes.
   */
  readonly spikeCircuit: readonly (Int32Array | undefined)[];
}

/** Checks a neuron permutation: at most 512 distinct AtomicNeuronOnDLS enum values (§10.1). */
export function checkPermutation(permutation: readonly number[]): void {
  if (!Array.isArray(permutation)) throw new PlacementError(`neuronPermutation must be an array of AtomicNeuronOnDLS enum values`);
  if (permutation.length > CIRCUITS) {
    throw new PlacementError(`neuronPermutation lists ${permutation.length} circuits; the chip has ${CIRCUITS}`, { limit: CIRCUITS, value: permutation.length });
  }
  const seen = new Set<number>();
  permutation.forEach((n, i) => {
    if (!Number.isInteger(n) || n < 0 || n >= CIRCUITS) {
      throw new PlacementError(`neuronPermutation[${i}] = ${String(n)} is not an AtomicNeuronOnDLS enum value (0..${CIRCUITS - 1})`, {
        limit: CIRCUITS - 1,
        value: typeof n === 'number' ? n : undefined,
      });
    }
    if (seen.has(n)) throw new PlacementError(`neuronPermutation lists circuit ${n} twice (at ${permutation.indexOf(n)} and ${i})`, { value: n });
    seen.add(n);
  });
}

class CircuitMap {
  readonly population = new Int32Array(CIRCUITS).fill(-1);
  readonly neuron = new Int32Array(CIRCUITS).fill(-1);
  readonly compartment = new Int32Array(CIRCUITS).fill(-1);
  readonly position = new Int32Array(CIRCUITS).fill(-1);

  claim(placed: LogicalNeuronOnDLS, population: number, neuron: number, names: readonly string[]): void {
    const compartments = placed.toAtomicNeurons();
    for (let c = 0; c < compartments.length; c++) {
      const members = compartments[c]!;
      for (let k = 0; k < members.length; k++) {
        const n = members[k]!.value;
        if (this.population[n] !== -1) {
          throw new PlacementError(
            `circuit ${members[k]!.toString()} is placed twice: population '${names[this.population[n]!]}' neuron ${this.neuron[n]} and population '${names[population]}' neuron ${neuron}`,
            { population: names[population] },
          );
        }
        this.population[n] = population;
        this.neuron[n] = neuron;
        this.compartment[n] = c;
        this.position[n] = k;
      }
    }
  }
}

/**
 * Per shape: its circuit count and the neuron placed at each anchor (AtomicNeuronOnDLS value; `false` where the
 * shape does not fit), built on first use. Placed neurons are immutable, so every routing shares them.
 */
interface ShapeTable {
  readonly circuits: number;
  readonly placed: (LogicalNeuronOnDLS | false | undefined)[];
}

const shapeTables = new WeakMap<LogicalNeuronCompartments, ShapeTable>();

function shapeTable(shape: LogicalNeuronCompartments): ShapeTable {
  let table = shapeTables.get(shape);
  if (table === undefined) {
    table = { circuits: shape.positions().length, placed: new Array<LogicalNeuronOnDLS | false | undefined>(CIRCUITS).fill(undefined) };
    shapeTables.set(shape, table);
  }
  return table;
}

/** The neuron of `shape` anchored at circuit `anchor`, or undefined when the anchor is not valid for the shape. */
function placedAt(shape: LogicalNeuronCompartments, table: ShapeTable, anchor: number): LogicalNeuronOnDLS | undefined {
  let placed = table.placed[anchor];
  if (placed === undefined) {
    const coordinate = new AtomicNeuronOnDLS(anchor);
    placed = LogicalNeuronOnDLS.isValidAnchor(shape, coordinate) ? new LogicalNeuronOnDLS(shape, coordinate) : false;
    table.placed[anchor] = placed;
  }
  return placed === false ? undefined : placed;
}

/** First fit of one neuron over the permutation: the first anchor where the shape is valid and all its circuits free and allowed. */
function firstFit(shape: LogicalNeuronCompartments, table: ShapeTable, order: readonly number[], start: number, usable: Uint8Array): LogicalNeuronOnDLS | undefined {
  for (let k = start; k < order.length; k++) {
    const placed = placedAt(shape, table, order[k]!);
    if (placed !== undefined && placed.atomicNeurons().every((n) => usable[n.value] === 1)) return placed;
  }
  return undefined;
}

/**
 * Places every population (hardware.md §10.1): explicit placements are reserved first, then neuron
 * populations in creation order, first fit over the permutation; background populations take buses 3, 2, 1, 0.
 */
export function place(indexed: IndexedNetwork, permutation: readonly number[] | undefined): Placement {
  const order = permutation ?? Array.from({ length: CIRCUITS }, (_, i) => i);
  if (permutation !== undefined) checkPermutation(permutation);
  const names = indexed.populations.map((p) => p.name);
  const map = new CircuitMap();
  const neurons: (LogicalNeuronOnDLS[] | undefined)[] = indexed.populations.map(() => undefined);
  const backgroundBus: (number | undefined)[] = indexed.populations.map(() => undefined);

  // Explicit placements first, so that first fit routes around them (a training layer's fixed layout).
  indexed.populations.forEach((p, i) => {
    if (p.kind !== 'neurons' || p.placement === undefined) return;
    neurons[i] = p.placement.map((placed, k) => {
      map.claim(placed, i, k, names);
      return placed;
    });
  });

  // A circuit is usable when the permutation lists it and nothing holds it yet.
  const usable = new Uint8Array(CIRCUITS);
  for (const n of order) usable[n] = 1;
  for (let n = 0; n < CIRCUITS; n++) if (map.population[n] !== -1) usable[n] = 0;
  let usableCount = usable.reduce((s, u) => s + u, 0);
  let firstFree = 0;

  let backgroundCount = 0;
  indexed.populations.forEach((p, i) => {
    if (p.kind === 'background') {
      if (backgroundCount >= BACKGROUND_BUSES.length) {
        throw new PlacementError(
          `background population '${p.name}' is the ${backgroundCount + 1}th on-chip background population; there are ${BACKGROUND_BUSES.length} background buses (3, 2, 1, 0)`,
          { population: p.name, limit: BACKGROUND_BUSES.length, value: backgroundCount + 1 },
        );
      }
      backgroundBus[i] = new PADIBusOnPADIBusBlock(BACKGROUND_BUSES[backgroundCount++]!).value;
      return;
    }
    if (p.kind !== 'neurons' || p.placement !== undefined) return;
    const placedNeurons: LogicalNeuronOnDLS[] = [];
    for (let k = 0; k < p.size; k++) {
      const shape = shapeOf(p, k);
      const table = shapeTable(shape);
      while (firstFree < order.length && usable[order[firstFree]!] === 0) firstFree++;
      const circuits = table.circuits;
      if (usableCount < circuits) {
        throw new PlacementError(
          `Cannot register more than ${order.length} neuron circuits: population '${p.name}' neuron ${k} of ${p.size} needs ${circuits} more, ${usableCount} left`,
          { population: p.name, limit: order.length, value: order.length - usableCount + circuits },
        );
      }
      // A single circuit fits at the first free one: no need to try anchors.
      const placed = circuits === 1 ? placedAt(shape, table, order[firstFree]!) : firstFit(shape, table, order, firstFree, usable);
      if (placed === undefined) {
        throw new PlacementError(
          `LogicalNeuron cannot be placed: population '${p.name}' neuron ${k} (${circuits} circuits, ${shape.width} × ${shape.height}) fits at no anchor of the permutation; ${usableCount} circuits are free`,
          { population: p.name, value: k },
        );
      }
      map.claim(placed, i, k, names);
      for (const members of placed.toAtomicNeurons()) for (const n of members) usable[n.value] = 0;
      usableCount -= circuits;
      placedNeurons.push(placed);
    }
    neurons[i] = placedNeurons;
  });

  const spikeCircuit = neurons.map((list) => (list === undefined ? undefined : Int32Array.from(list, (placed) => placed.toAtomicNeurons()[0]![0]!.value)));
  return {
    neurons,
    backgroundBus,
    circuitPopulation: map.population,
    circuitNeuron: map.neuron,
    circuitCompartment: map.compartment,
    circuitPosition: map.position,
    spikeCircuit,
  };
}

/** A neuron population's placed neurons (the placement always has them). */
export function placedNeurons(placement: Placement, population: number, p: NeuronPopulation): readonly LogicalNeuronOnDLS[] {
  const list = placement.neurons[population];
  if (list === undefined) throw new PlacementError(`population '${p.name}' was not placed`, { population: p.name });
  return list;
}
