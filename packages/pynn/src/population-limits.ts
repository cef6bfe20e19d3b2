// The chip's limits on populations, checked when one is made, before anything is allocated for it.
import { MAX_EXTERNAL_SOURCES, NEURON_COUNT } from '@bss2/execution';
import type { CellType } from './cells.js';
import { ParameterError } from './errors.js';
import type { Population } from './populations.js';

/** Neurons of the chip: no population, nor all neuron populations of a simulator together, have more (limits.ts of @bss2/execution). */
export const MAX_NEURONS = NEURON_COUNT;
/** Sources of one spike-source population: the external labels the input path can tell apart (4 links × 32 row selects × 64). */
export const MAX_SOURCES = MAX_EXTERNAL_SOURCES;

/** The largest population of `cellType` one simulator can hold: MAX_SOURCES for spike sources, else MAX_NEURONS. */
export function maxPopulationSize(cellType: Pick<CellType, 'isSource'>): number {
  return cellType.isSource ? MAX_SOURCES : MAX_NEURONS;
}

/** The chip's limits on a new population's size (neuron circuits: several per multi-compartment neuron). */
export function checkPopulationSize(size: number, cellType: CellType, label: string, existing: readonly Population[]): void {
  if (cellType.isSource) {
    if (size > MAX_SOURCES) {
      throw new ParameterError(
        `Population '${label}' of ${size} ${cellType.modelName} sources exceeds the ${MAX_SOURCES} external sources the input path can address (4 FPGA links × 32 row-select addresses × 64 synapse labels); split the input or use fewer sources`,
        { population: label, parameter: 'size', value: size, limit: MAX_SOURCES },
      );
    }
    return;
  }
  if (size > MAX_NEURONS) {
    throw new ParameterError(`Population '${label}' of ${size} ${cellType.modelName} neurons exceeds the chip's ${MAX_NEURONS} neurons`, {
      population: label,
      parameter: 'size',
      value: size,
      limit: MAX_NEURONS,
    });
  }
  const circuits = size * cellType.circuitsPerNeuron;
  if (circuits > MAX_NEURONS) {
    throw new ParameterError(`Population '${label}' of ${size} ${cellType.modelName} neurons of ${cellType.circuitsPerNeuron} circuits each needs ${circuits} neuron circuits; the chip has ${MAX_NEURONS}`, {
      population: label,
      parameter: 'size',
      value: circuits,
      limit: MAX_NEURONS,
    });
  }
  const neurons = existing.filter((p) => !p.cellType.isSource);
  const placed = neurons.reduce((sum, p) => sum + p.size * p.cellType.circuitsPerNeuron, 0);
  if (placed + circuits > MAX_NEURONS) {
    const unit = neurons.every((p) => p.cellType.circuitsPerNeuron === 1) && cellType.circuitsPerNeuron === 1 ? 'neurons' : 'neuron circuits';
    throw new ParameterError(
      `Population '${label}' of ${size} neurons would bring the simulator's neuron populations to ${placed + circuits} ${unit}; the chip has ${MAX_NEURONS} (${placed} are taken by ${neurons.map((p) => `'${p.label}'`).join(', ')})`,
      { population: label, parameter: 'size', value: placed + circuits, limit: MAX_NEURONS },
    );
  }
}
