import { NeuronColumnOnDLS, SynapseOnSynapseRow } from '@bss2/halco';
import { nominal } from '@bss2/lola';
import type { SynapseList } from './connection-split.js';

export const HEMISPHERE_COUNT = nominal.hemisphereCount;
export const BUSES_PER_HEMISPHERE = nominal.padiBusesPerHemisphere;
export const COLUMNS = NeuronColumnOnDLS.size;
/** Synapse rows one PADI bus reaches in its hemisphere: 32 drivers × 2 rows (hardware.md §2.7). */
export const ROWS_PER_BUS = nominal.synapseRowsPerPadiBus;
/** Synapse rows of a hemisphere, i.e. the largest in-degree of one circuit (§10.2 step 1). */
export const ROWS_PER_HEMISPHERE = SynapseOnSynapseRow.size;

/** Hemisphere of a circuit (AtomicNeuronOnDLS value `256·row + column`). */
export function hemisphereOfCircuit(circuit: number): number {
  return circuit >> 8;
}

export function columnOfCircuit(circuit: number): number {
  return circuit & 0xff;
}

/** The PADI bus an internal source's events take: its event output `column / 32`, modulo 4 (§2.5). */
export function busOfCircuit(circuit: number): number {
  return (columnOfCircuit(circuit) >> 5) % BUSES_PER_HEMISPHERE;
}

/**
 * Synapses per (hemisphere, bus, column, receptor): the demand each PADI bus puts on the rows it reaches.
 * A circuit needs one row per synapse it receives over a bus, and rows of one receptor serve every column,
 * so a bus needs at least `Σ_receptor max_column count` rows (§10.2 step 1).
 */
export class BusLoad {
  readonly count = new Int32Array(HEMISPHERE_COUNT * BUSES_PER_HEMISPHERE * COLUMNS * 2);
  /** Per (hemisphere, bus, receptor): the largest count over columns. */
  readonly maxCount = new Int32Array(HEMISPHERE_COUNT * BUSES_PER_HEMISPHERE * 2);

  static slot(hemisphere: number, bus: number, column: number, receptor: number): number {
    return ((hemisphere * BUSES_PER_HEMISPHERE + bus) * COLUMNS + column) * 2 + receptor;
  }

  /** Adds every synapse whose source takes a fixed bus (`busOfSource[source] ≥ 0`) over that bus. */
  addSynapses(synapses: SynapseList, busOfSource: Int8Array): void {
    const { count, maxCount } = this;
    const { source, circuit, receptor } = synapses;
    for (let s = 0; s < synapses.count; s++) {
      const bus = busOfSource[source[s]!]!;
      if (bus < 0) continue;
      const target = circuit[s]!;
      const hemisphereBus = hemisphereOfCircuit(target) * BUSES_PER_HEMISPHERE + bus;
      const value = ++count[(hemisphereBus * COLUMNS + columnOfCircuit(target)) * 2 + receptor[s]!]!;
      const m = hemisphereBus * 2 + receptor[s]!;
      if (value > maxCount[m]!) maxCount[m] = value;
    }
  }

  /** Synapses onto one column over one bus, both receptors. */
  columnTotal(hemisphere: number, bus: number, column: number): number {
    const slot = BusLoad.slot(hemisphere, bus, column, 0);
    return this.count[slot]! + this.count[slot + 1]!;
  }

  maxOf(hemisphere: number, bus: number, receptor: number): number {
    return this.maxCount[(hemisphere * BUSES_PER_HEMISPHERE + bus) * 2 + receptor]!;
  }

  /** The fewest rows the bus needs: per receptor the largest column count. */
  rowsLowerBound(hemisphere: number, bus: number): number {
    return this.maxOf(hemisphere, bus, 0) + this.maxOf(hemisphere, bus, 1);
  }
}
