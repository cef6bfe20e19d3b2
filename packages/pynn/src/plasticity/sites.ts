// What the projections' rules and placements are, for Projection.getData. Kept free of the synapse classes
// (projection.ts imports this module, and the synapse classes extend StaticSynapse from projection.ts).
import type { Projection } from '../projection.js';
import type { PlacedNeuron } from './neurons.js';
import type { PlasticityRule } from './rule.js';

/** A synapse as the PPU sees it: hemisphere (= PPU), row, column. */
export interface SynapseSite {
  readonly hemisphere: number;
  readonly row: number;
  readonly column: number;
}

/** The rule acting on a projection: its PlasticSynapse's rule or its StaticRecordingSynapse's recording rule. */
export function ruleOf(projection: Projection): PlasticityRule | undefined {
  const s = projection.synapse as { plasticityRule?: PlasticityRule; recordingRule?: PlasticityRule };
  return s.plasticityRule ?? s.recordingRule;
}

/** Per projection: each connection's synapses, as of the last run. */
const sitesOfProjection = new WeakMap<Projection, (readonly SynapseSite[])[]>();

export function sitesOf(projection: Projection): readonly (readonly SynapseSite[])[] | undefined {
  return sitesOfProjection.get(projection);
}

export function setSites(projection: Projection, sites: (readonly SynapseSite[])[]): void {
  sitesOfProjection.set(projection, sites);
}

/** Per population with a cell rule: its neurons as placed in the last run (index, hemisphere, column). */
const neuronsOfPopulation = new WeakMap<object, readonly PlacedNeuron[]>();

export function neuronSitesOf(population: object): readonly PlacedNeuron[] | undefined {
  return neuronsOfPopulation.get(population);
}

export function setNeuronSites(population: object, neurons: readonly PlacedNeuron[]): void {
  neuronsOfPopulation.set(population, neurons);
}
