import { AtomicNeuronOnDLS } from '@bss2/halco';
import {
  BUSES_PER_HEMISPHERE,
  BusLoad,
  COLUMNS,
  HEMISPHERE_COUNT,
  ROWS_PER_BUS,
  ROWS_PER_HEMISPHERE,
  busOfCircuit,
  hemisphereOfCircuit,
} from './bus-load.js';
import type { SynapseList } from './connection-split.js';
import { BusInDegreeError, BusRowsError, InDegreeError } from './errors.js';
import { HEMISPHERES } from './network.js';
import type { Placement } from './placement.js';
import { SourceKind, type Sources } from './sources.js';
import type { IndexedNetwork } from './validate.js';

/** The bus a source's events take when that is fixed by the hardware (internal and background sources), else −1. */
export function fixedBusOf(sources: Sources, placement: Placement, source: number): number {
  const kind = sources.kind[source];
  if (kind === SourceKind.internal) return busOfCircuit(sources.circuit[source]!);
  if (kind === SourceKind.background) return placement.backgroundBus[sources.population[source]!]!;
  return -1;
}

/** Names of the projections whose synapses satisfy `selected`, for error messages and the error's `projection`. */
export function projectionsWhere(indexed: IndexedNetwork, synapses: SynapseList, selected: (s: number) => boolean): string[] {
  const names = new Set<string>();
  for (let s = 0; s < synapses.count; s++) if (selected(s)) names.add(indexed.network.projections[synapses.projection[s]!]!.name);
  return [...names];
}

/** `'a', 'b'` for a message. */
export function quoted(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}

function describeCircuit(indexed: IndexedNetwork, placement: Placement, circuit: number): { population: string; text: string } {
  const population = indexed.populations[placement.circuitPopulation[circuit]!]!.name;
  return { population, text: `'${population}' neuron ${placement.circuitNeuron[circuit]} (${new AtomicNeuronOnDLS(circuit).toString()})` };
}

/**
 * Step 1 of hardware.md §10.2: in-degree per circuit ≤ 256; per circuit and PADI bus ≤ 64; rows needed per
 * PADI bus ≤ 64. External sources choose their bus later (step 4), so here only the fixed buses count.
 */
export function checkConstraints(indexed: IndexedNetwork, placement: Placement, sources: Sources, synapses: SynapseList): void {
  for (let circuit = 0; circuit < synapses.inDegree.length; circuit++) {
    const degree = synapses.inDegree[circuit]!;
    if (degree <= ROWS_PER_HEMISPHERE) continue;
    const { population, text } = describeCircuit(indexed, placement, circuit);
    const projections = projectionsWhere(indexed, synapses, (s) => synapses.circuit[s] === circuit);
    throw new InDegreeError(
      `Neuron(s) with in-degree larger than the number of synapse rows exist: ${text} receives ${degree} synapses (projections ${quoted(projections)}), a circuit has ${ROWS_PER_HEMISPHERE} synapse rows. Lower the fan-in or the weights (each 63 of weight takes a row), or spread the input over a compartment of several circuits`,
      { population, projection: projections.join(', '), limit: ROWS_PER_HEMISPHERE, value: degree },
    );
  }
  const busOfSource = new Int8Array(sources.count);
  for (let source = 0; source < sources.count; source++) busOfSource[source] = fixedBusOf(sources, placement, source);
  const load = new BusLoad();
  load.addSynapses(synapses, busOfSource);
  const onBus = (h: number, b: number) => (s: number) =>
    hemisphereOfCircuit(synapses.circuit[s]!) === h && fixedBusOf(sources, placement, synapses.source[s]!) === b;
  for (let h = 0; h < HEMISPHERE_COUNT; h++) {
    for (let b = 0; b < BUSES_PER_HEMISPHERE; b++) {
      for (let column = 0; column < COLUMNS; column++) {
        const total = load.columnTotal(h, b, column);
        if (total <= ROWS_PER_BUS) continue;
        const circuit = h * COLUMNS + column;
        const { population, text } = describeCircuit(indexed, placement, circuit);
        const projections = projectionsWhere(indexed, synapses, (s) => synapses.circuit[s] === circuit && onBus(h, b)(s));
        throw new BusInDegreeError(
          `In-degree on a single PADI bus larger than its synapse rows: ${text} receives ${total} synapses from sources on PADI bus ${b} of the ${HEMISPHERES[h]} hemisphere (projections ${quoted(projections)}); one bus reaches ${ROWS_PER_BUS} rows. Internal sources use the bus of their event output (column / 32 mod 4): spread the presynaptic neurons over more columns`,
          { population, projection: projections.join(', '), limit: ROWS_PER_BUS, value: total },
          4 * h + b,
        );
      }
      const rows = load.rowsLowerBound(h, b);
      if (rows <= ROWS_PER_BUS) continue;
      const projections = projectionsWhere(indexed, synapses, onBus(h, b));
      throw new BusRowsError(
        `Required rows of a PADI bus larger than its synapse rows: PADI bus ${b} of the ${HEMISPHERES[h]} hemisphere needs ${load.maxOf(h, b, 0)} excitatory + ${load.maxOf(h, b, 1)} inhibitory rows = ${rows} (projections ${quoted(projections)}); it reaches ${ROWS_PER_BUS}`,
        { projection: projections.join(', '), limit: ROWS_PER_BUS, value: rows },
        4 * h + b,
      );
    }
  }
}
