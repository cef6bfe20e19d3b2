// The chip's own neurons (HXNeuron, multi-compartment neurons of HXNeuron circuits) as the execution graph's
// neuron specs. Each circuit starts from a base — the AtomicNeuron's defaults (with `enableNeuronBypass`: the
// reference's `lola.Chip.default_neuron_bypass`), or the chip's calibration (`initialConfig: 'calibration'`, the
// reference's `initial_config` = a calibration) — and the values the user gave override it. A multi-compartment
// neuron is placed by pynn (its circuits' configurations differ: switches, passive circuits) and handed to the
// execution layer as one single-circuit member per circuit at an explicit placement.
import { spikingTarget } from '@bss2/calibration';
import { type AtomicNeuronPatch, NEURON_COUNT, type NeuronSpec, neuronTarget } from '@bss2/execution';
import { AtomicNeuronOnDLS, AtomicNeuronOnLogicalNeuron } from '@bss2/halco';
import { AtomicNeuron, LogicalNeuronCompartments, LogicalNeuronOnDLS } from '@bss2/lola';
import { hxNeuronFields } from './cells.js';
import { ParameterError } from './errors.js';
import { type McMorphology, McNeuron, circuitValue, morphologySets } from './multicompartment.js';
import type { Population } from './populations.js';

/**
 * Where a HXNeuron or multi-compartment circuit starts from: the AtomicNeuron's defaults or the calibration
 * (setup's `initialConfig`), with the bypass preset on top (`enableNeuronBypass`); the values given last.
 */
export interface HxBase {
  readonly calibration: boolean;
  readonly bypass: boolean;
}

/**
 * `enableNeuronBypass` (the reference's `lola.Chip.default_neuron_bypass`): threshold off, both synaptic inputs
 * bypassed, so every event on a neuron's input is re-emitted as its spike (hardware.md §8.1).
 */
export const BYPASS_DEFAULTS: Readonly<Record<string, unknown>> = Object.freeze({
  threshold_enable: false,
  event_routing_enable_bypass_excitatory: true,
  event_routing_enable_bypass_inhibitory: true,
});

/** The calibration a circuit of an HXNeuron gets on a calibrated chip: the reference's default target, the `spiking` preset (hardware.md §9.3). */
const CALIBRATED_BASE = neuronTarget(spikingTarget);

/** One circuit's HXNeuron-style values as AtomicNeuron groups; `include(name)` picks the parameters. */
function groupsOf(value: (name: string) => unknown, include: (name: string) => boolean): Record<string, Record<string, unknown>> {
  const groups: Record<string, Record<string, unknown>> = {};
  for (const [name, [group, field]] of hxNeuronFields) if (include(name)) (groups[group] ??= {})[field] = value(name);
  return groups;
}

/** A circuit's spec: raw (every value) or calibrated with the chosen values and `extra` as the patch. */
function circuitSpec(base: HxBase, value: (name: string) => unknown, given: (name: string) => boolean, extra: AtomicNeuronPatch = {}): NeuronSpec {
  if (base.calibration) {
    // The bypass preset is part of the values (population defaults), over the calibration too.
    const patch: Record<string, Record<string, unknown>> = groupsOf(value, (name) => given(name) || (base.bypass && Object.hasOwn(BYPASS_DEFAULTS, name)));
    for (const [group, fields] of Object.entries(extra)) patch[group] = { ...patch[group], ...fields };
    return { kind: 'calibrated', target: CALIBRATED_BASE, patch };
  }
  const neuron = new AtomicNeuron(groupsOf(value, () => true));
  neuron.eventRouting = neuron.eventRouting.with({ analogOutput: 'normal' });
  for (const [group, fields] of Object.entries(extra)) {
    const record = neuron as unknown as Record<string, { with(values: Record<string, unknown>): unknown }>;
    (neuron as unknown as Record<string, unknown>)[group] = record[group]!.with(fields!);
  }
  return { kind: 'raw', neuron };
}

/** HXNeuron `i` of `p`: raw values, or the calibration with the values given (at construction or by `set`). */
export function hxSpec(p: Population, i: number, base: HxBase): NeuronSpec {
  return circuitSpec(base, (name) => p.parameterValue(name, i), (name) => p.isExplicit(name, i));
}

const SINGLE_CIRCUIT = new LogicalNeuronCompartments([[new AtomicNeuronOnLogicalNeuron(0)]]);

/** Where pynn placed a multi-compartment population: per neuron its logical neuron, and per member its circuit. */
export interface McPlacement {
  readonly neurons: readonly LogicalNeuronOnDLS[];
  /** Member `i · K + k` (circuit k of neuron i) as the execution layer's single-circuit placement. */
  readonly members: readonly LogicalNeuronOnDLS[];
}

/**
 * First fit of the multi-compartment populations, in creation order, over the permutation's circuits (all by
 * default): each neuron at the first anchor where its shape is valid (lola `LogicalNeuronOnDLS`) on free,
 * listed circuits. They are placed before every other population (routing places those around them).
 */
export function placeMcPopulations(populations: readonly Population[], permutation: readonly number[] | undefined): Map<Population, McPlacement> {
  const order = permutation ?? Array.from({ length: NEURON_COUNT }, (_, i) => i);
  const usable = new Uint8Array(NEURON_COUNT);
  for (const n of order) if (Number.isSafeInteger(n) && n >= 0 && n < NEURON_COUNT) usable[n] = 1;
  const out = new Map<Population, McPlacement>();
  for (const p of populations) {
    if (!(p.cellType instanceof McNeuron)) continue;
    const shape = p.cellType.morphology.shape;
    const neurons: LogicalNeuronOnDLS[] = [];
    for (let i = 0; i < p.size; i++) {
      let placed: LogicalNeuronOnDLS | undefined;
      for (const anchor of order) {
        const coordinate = new AtomicNeuronOnDLS(anchor);
        if (!LogicalNeuronOnDLS.isValidAnchor(shape, coordinate)) continue;
        const candidate = new LogicalNeuronOnDLS(shape, coordinate);
        if (candidate.atomicNeurons().every((n) => usable[n.value] === 1)) {
          placed = candidate;
          break;
        }
      }
      if (placed === undefined) {
        throw new ParameterError(
          `LogicalNeuron cannot be placed: population '${p.label}' neuron ${i} of ${p.cellType.modelName} (${shape.positions().length} circuits, ${shape.width} × ${shape.height}) fits at no anchor of the free circuits (${usable.reduce((s, u) => s + u, 0)} left)`,
          { population: p.label, value: i },
        );
      }
      for (const n of placed.atomicNeurons()) usable[n.value] = 0;
      neurons.push(placed);
    }
    const members = neurons.flatMap((placed) => placed.atomicNeurons().map((n) => new LogicalNeuronOnDLS(SINGLE_CIRCUIT, n)));
    out.set(p, { neurons, members });
  }
  return out;
}

/**
 * The specs of every member of a multi-compartment population: circuit k of neuron i gets its values (per
 * compartment and circuit), the morphology's switches at its placed position, and — on a calibrated chip — the
 * calibration with the values given and those the morphology sets (compartment parameters, passive circuits).
 */
export function mcSpecs(p: Population, placement: McPlacement, base: HxBase): NeuronSpec[] {
  const morphology: McMorphology = (p.cellType as McNeuron).morphology;
  const names = p.cellType.parameterNames;
  const specs: NeuronSpec[] = [];
  placement.neurons.forEach((placed, i) => {
    const switches = new Map(morphology.logicalNeuron.collapseNeuron(placed).map((s) => [s.neuron.value, s.switches]));
    placed.atomicNeurons().forEach((circuit, k) => {
      const values = new Map(names.map((name) => [name, circuitValue(morphology, name, p.parameterValue(name, i), k)]));
      const chosen = (name: string) => values.has(name) && (p.isExplicit(name, i) || morphologySets(morphology, name, k));
      specs.push(circuitSpec(base, (name) => values.get(name) ?? hxDefault(name), chosen, { multicompartment: { ...switches.get(circuit.value)! } }));
    });
  });
  return specs;
}

const DEFAULT_NEURON = new AtomicNeuron();

/** The AtomicNeuron default of an HXNeuron field the multi-compartment neuron does not expose (its switches). */
function hxDefault(name: string): unknown {
  const [group, field] = hxNeuronFields.get(name)!;
  return (DEFAULT_NEURON as unknown as Record<string, Record<string, unknown>>)[group]![field];
}
