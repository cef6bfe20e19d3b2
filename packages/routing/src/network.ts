import type { LogicalNeuronCompartments, LogicalNeuronOnDLS } from '@bss2/lola';

/** The two synaptic inputs of a neuron (hardware.md §3.2 / halco SynapticInputOnNeuron: 0 excitatory, 1 inhibitory). */
export type Receptor = 'excitatory' | 'inhibitory';
export const RECEPTORS: readonly Receptor[] = ['excitatory', 'inhibitory'];

/** A hemisphere by name: top = 0 (neuron row 0, synram 0), bottom = 1. */
export type HemisphereName = 'top' | 'bottom';
export const HEMISPHERES: readonly HemisphereName[] = ['top', 'bottom'];

/**
 * Neurons on the chip. Each neuron is one logical neuron: by default a single circuit; `shape` (the
 * `compartments` of a lola `Morphology.done()`) places each neuron as a multi-compartment neuron, first fit
 * (hardware.md §10.1); `placement` gives every neuron's LogicalNeuronOnDLS explicitly (training layer).
 */
export interface NeuronPopulation {
  readonly kind: 'neurons';
  readonly name: string;
  readonly size: number;
  readonly shape?: LogicalNeuronCompartments;
  /**
   * Receptors per compartment and circuit (`receptors[compartment][position]`, positions in the shape's
   * order); default: every circuit carries both. A synapse goes only to a circuit carrying its receptor.
   */
  readonly receptors?: readonly (readonly (readonly Receptor[])[])[];
  /** One placement per neuron; overrides first fit and `shape`. */
  readonly placement?: readonly LogicalNeuronOnDLS[];
}

/** Sources outside the chip (SpikeSourceArray-like): their spikes are injected with one spike label each. */
export interface ExternalPopulation {
  readonly kind: 'external';
  readonly name: string;
  readonly size: number;
}

/**
 * On-chip background spike generators (hardware.md §3.7) feeding one PADI bus per hemisphere. Poisson mode:
 * `size` a power of two up to 256, each event's source drawn at random (label bits under the random mask);
 * regular mode: `size` 1. Hardware units: `period` in 125 MHz ticks (1..65535), `rate` the spike
 * probability per period in 1/255 (Poisson only), `seed` the 32-bit LFSR seed (default 1).
 */
export interface BackgroundPopulation {
  readonly kind: 'background';
  readonly name: string;
  readonly size: number;
  readonly mode?: 'poisson' | 'regular';
  readonly period: number;
  readonly rate?: number;
  readonly seed?: number;
  /** The hemispheres whose generator may be used (default both); a target elsewhere is rejected. */
  readonly hemispheres?: readonly HemisphereName[];
}

export type Population = NeuronPopulation | ExternalPopulation | BackgroundPopulation;

/** One connection: pre and post index inside their populations, weight ≥ 0 in hardware units (6-bit LSB). */
export interface Connection {
  readonly pre: number;
  readonly post: number;
  readonly weight: number;
}

/**
 * An explicit connection list from `pre` to `post` (a neuron population) on one receptor. Weights above 63
 * are realised on several synapse rows (§10.2 step 0). `postCompartment` selects the target compartment of
 * multi-compartment neurons (default 0).
 */
export interface Projection {
  readonly name: string;
  readonly pre: string;
  readonly post: string;
  readonly receptor: Receptor;
  readonly connections: readonly Connection[];
  readonly postCompartment?: number;
}

/** Populations in creation order, projections, and the populations whose spikes leave the chip (recording). */
export interface Network {
  readonly populations: readonly Population[];
  readonly projections: readonly Projection[];
  readonly recorded?: readonly string[];
}

/** Members of the router portfolio (§10.2 step 5): greedy driver allocation, and a bounded backtracking search. */
export type RouterName = 'greedy' | 'backtracking';

export interface RoutingOptions {
  /**
   * The AtomicNeuronOnDLS enum values placement walks, in order (§10.1); circuits not listed are not used.
   * Default: 0..511.
   */
  readonly neuronPermutation?: readonly number[];
  /** Routers tried in order until one succeeds (default `['greedy', 'backtracking']`). */
  readonly portfolio?: readonly RouterName[];
  /** Search nodes the backtracking router may visit per PADI bus pair (default 20 000; deterministic, unlike a time limit). */
  readonly backtrackingNodeLimit?: number;
}
