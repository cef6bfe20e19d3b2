// What each neuron circuit gets: the calibration target of the neuron placed on it (the whole chip's target
// for calibration), and the AtomicNeuron written to it — the calibrated settings with the spec's patch, or a raw
// configuration — plus spike routing from routing and the readout for recording.
import { type CalibrationResult, type LIFCalibrationTarget, spikingTarget } from '@bss2/calibration';
import { AtomicNeuron, type AtomicNeuronGroupName, nominal } from '@bss2/lola';
import type { RoutingResult } from '@bss2/routing';
import { CalibrationMismatchError, GraphError } from './errors.js';
import type { AtomicNeuronPatch, NeuronSpec, NeuronTarget } from './graph.js';
import type { MadcPlan } from './recording-plan.js';

/** A placed neuron: its population, index in it, the circuits of its logical neuron (first = readout), its spec. */
export interface PlacedNeuron {
  readonly population: string;
  readonly index: number;
  readonly circuits: readonly number[];
  readonly spec: NeuronSpec;
}


type TargetField = keyof NeuronTarget;
const TARGET_FIELDS = Object.keys(spikingTarget).filter((k) => k !== 'synapseDacBias_lsb') as TargetField[];

/** One neuron's target from a chip-wide one whose values are all scalars (a preset such as `spikingTarget`). */
export function neuronTarget(target: LIFCalibrationTarget): NeuronTarget {
  const fields = TARGET_FIELDS.map((f) => {
    const value = target[f];
    if (typeof value !== 'number') throw new GraphError(`neuronTarget() takes one value per parameter; ${f} has one per neuron`, { parameter: f });
    return [f, value] as const;
  });
  return Object.fromEntries(fields) as unknown as NeuronTarget;
}

/**
 * The LIF calibration target of the whole chip: circuits of calibrated neurons get their targets, every other
 * circuit the `spiking` preset (it is written too, and must be a valid neuron).
 */
export function chipTarget(placed: readonly PlacedNeuron[], synapseDacBias_lsb: number | undefined): LIFCalibrationTarget {
  const arrays = Object.fromEntries(TARGET_FIELDS.map((f) => [f, new Array<number>(nominal.neuronCount).fill(spikingTarget[f] as number)])) as Record<TargetField, number[]>;
  for (const n of placed) {
    if (n.spec.kind !== 'calibrated') continue;
    for (const circuit of n.circuits) for (const f of TARGET_FIELDS) arrays[f][circuit] = n.spec.target[f];
  }
  const compact = (values: number[]) => (values.every((x) => x === values[0]) ? values[0]! : values);
  return { ...Object.fromEntries(TARGET_FIELDS.map((f) => [f, compact(arrays[f])])), synapseDacBias_lsb: synapseDacBias_lsb ?? spikingTarget.synapseDacBias_lsb } as LIFCalibrationTarget;
}

/** A given CalibrationResult must have been made for the placed neurons' targets. */
export function checkGivenCalibration(result: CalibrationResult, target: LIFCalibrationTarget, placed: readonly PlacedNeuron[]): void {
  const given = result.target as unknown as Record<string, number | readonly number[]>;
  const wanted = target as unknown as Record<string, number | readonly number[]>;
  const at = (v: number | readonly number[], i: number) => (typeof v === 'number' ? v : v[i]!);
  for (const n of placed) {
    if (n.spec.kind !== 'calibrated') continue;
    for (const key of TARGET_FIELDS) {
      const circuit = n.circuits[0]!;
      const a = at(given[key]!, circuit);
      const b = at(wanted[key]!, circuit);
      if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(b))) {
        throw new CalibrationMismatchError(
          `the CalibrationResult given was made for ${key} = ${a} on circuit ${circuit}, but population '${n.population}' neuron ${n.index} placed there needs ${b}; calibrate for these targets or change them`,
          { population: n.population, index: n.index, parameter: key, value: b },
        );
      }
    }
  }
}

/** Writes `patch` over `neuron` (in place), group by group; lola's group records check every field. */
export function applyPatch(neuron: AtomicNeuron, patch: AtomicNeuronPatch, where: string): void {
  for (const [group, fields] of Object.entries(patch) as [AtomicNeuronGroupName, Record<string, unknown>][]) {
    const current = (neuron as unknown as Record<string, { with(values: Record<string, unknown>): unknown } | undefined>)[group];
    if (current === undefined || typeof current.with !== 'function') throw new GraphError(`${where}: the patch names '${group}', which is no AtomicNeuron group`, { value: group });
    (neuron as unknown as Record<string, unknown>)[group] = current.with(fields);
  }
}

/** The AtomicNeuron of every circuit, armed (threshold and offset current as the graph wants them). */
export function circuitNeurons(placed: readonly PlacedNeuron[], calibration: CalibrationResult, routing: RoutingResult, madc: MadcPlan): AtomicNeuron[] {
  const neurons = calibration.toAtomicNeurons();
  for (const n of placed) {
    for (const circuit of n.circuits) {
      if (n.spec.kind === 'raw') neurons[circuit] = n.spec.neuron.clone();
      else if (n.spec.patch !== undefined) applyPatch(neurons[circuit]!, n.spec.patch, `population '${n.population}' neuron ${n.index}`);
    }
  }
  const patches = routing.backendPatches();
  // Group records are immutable values: the unrecorded circuits share one.
  const unrecorded = new AtomicNeuron.Readout({});
  neurons.forEach((neuron, circuit) => {
    const patch = patches[circuit]!;
    const routed = neuron.eventRouting;
    if (routed.address !== patch.addressOut || routed.enableDigital !== patch.enSpikeOut) neuron.eventRouting = routed.with({ address: patch.addressOut, enableDigital: patch.enSpikeOut });
    const recorded = madc.channels.find((c) => c.circuit === circuit);
    neuron.readout = recorded === undefined ? unrecorded : new AtomicNeuron.Readout({ enableBufferedAccess: true, source: recorded.source });
  });
  return neurons;
}

/** Adaptation time constants (µs) of the placed neurons that adapt: the slowest sets how long they take to rest. */
export function adaptationTaus_us(placed: readonly PlacedNeuron[], neurons: readonly AtomicNeuron[]): number[] {
  const taus: number[] = [];
  for (const n of placed) {
    const adaptation = neurons[n.circuits[0]!]!.adaptation;
    if (adaptation.enable && adaptation.iBiasTau > 0) taus.push(nominal.adaptationTimeConstant_us(adaptation.iBiasTau));
  }
  return taus;
}

/** Whether two neurons differ in a CapMem cell (such a change needs the settling wait). */
export function capMemDiffers(a: AtomicNeuron, b: AtomicNeuron): boolean {
  const x = a.toCapMemCells();
  const y = b.toCapMemCells();
  return x.some((cell, i) => !cell.equals(y[i]!));
}
