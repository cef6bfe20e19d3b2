// The cell types an experiment file may name, by their PyNN names: the classes of ../cells.ts, nothing copied.
import { type CellType, EIF_cond_exp_isfa_ista, HXNeuron, IF_cond_alpha, IF_cond_exp, IF_curr_alpha, IF_curr_exp, SpikeSourceArray, SpikeSourcePoisson, SpikeSourcePoissonOnChip } from '../cells.js';

export const cellTypeClasses = { IF_curr_exp, IF_cond_exp, IF_curr_alpha, IF_cond_alpha, EIF_cond_exp_isfa_ista, SpikeSourceArray, SpikeSourcePoisson, SpikeSourcePoissonOnChip, HXNeuron } as const;

export type CellTypeName = keyof typeof cellTypeClasses;

export const cellTypeNames = Object.keys(cellTypeClasses) as CellTypeName[];

const templates = new Map<CellTypeName, CellType>();

/** A cell type with its defaults: the source of parameter names, defaults, recordables and value rules. */
export function cellTypeTemplate(name: CellTypeName): CellType {
  let template = templates.get(name);
  if (template === undefined) {
    template = new cellTypeClasses[name]();
    templates.set(name, template);
  }
  return template;
}

/** Recordables other than spikes are analog (MADC) variables. */
export function isAnalog(variable: string): boolean {
  return variable !== 'spikes';
}
