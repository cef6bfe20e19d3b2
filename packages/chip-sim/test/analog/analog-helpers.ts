import { AtomicNeuron, type AtomicNeuronInit, type NeuronVoltageKind, nominal } from '@bss2/lola';
import { ChipVariation, NeuronArray, type NeuronArrayOptions, NeuronParameters, type VoltageTransferChoice } from '../../src/analog/index.js';

/**
 * A chip whose circuits all hold `neurons` (by circuit index; the rest keep the defaults) and DAC bias 600;
 * `voltageTransfer` as chip-sim's option (reference solutions with one linear voltage scale use 'datasheet').
 */
export function chip(
  neurons: ReadonlyMap<number, AtomicNeuron> | AtomicNeuron[],
  options: NeuronArrayOptions,
  variation: ChipVariation = ChipVariation.ideal(),
  voltageTransfer: VoltageTransferChoice = 'perParameter',
): NeuronArray {
  const params = new NeuronParameters(variation, undefined, voltageTransfer);
  for (let q = 0; q < 4; q++) params.setSynapseDacBias(q, 600);
  const entries = neurons instanceof Map ? [...neurons.entries()] : (neurons as AtomicNeuron[]).map((n, i) => [i, n] as const);
  for (const [i, n] of entries) params.setNeuron(i, n);
  return new NeuronArray(params, options);
}

/** A neuron from `init` on top of the defaults. */
export function neuron(init: AtomicNeuronInit): AtomicNeuron {
  return new AtomicNeuron(init);
}

/** Spike times (ns) of `circuit` recorded so far. */
export function spikesOf(array: NeuronArray, circuit: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < array.spikeCount; i++) if (array.spikeCircuit[i] === circuit) out.push(array.spikeTime_ns[i]!);
  return out;
}

/** Inter-spike intervals. */
export function intervals(times: readonly number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]!);
}

/** The nominal potential (mV) of a leak, reset or threshold setting (lola's per-parameter transfer). */
export function cell_mV(kind: NeuronVoltageKind, value_lsb: number): number {
  return 1000 * nominal.neuronVoltage_V(kind, value_lsb);
}

/** The setting of a leak, reset or threshold cell nearest to a nominal potential (mV); a RangeError beyond reach. */
export function cellLsb(kind: NeuronVoltageKind, potential_mV: number): number {
  const lsb = Math.round(nominal.neuronVoltageSetting_lsb(kind, potential_mV / 1000));
  if (!(lsb >= 0 && lsb <= nominal.capMemValueMax_lsb)) throw new RangeError(`${kind} ${potential_mV} mV needs setting ${lsb}`);
  return lsb;
}

/**
 * `chip` with the datasheet's one voltage transfer (every cell `1.2 V · value / 1022`): for the engine's tests,
 * which state potentials on that exact scale; the per-parameter transfer has tests of its own (transfer.test.ts).
 */
export function datasheetChip(neurons: ReadonlyMap<number, AtomicNeuron> | AtomicNeuron[], options: NeuronArrayOptions, variation: ChipVariation = ChipVariation.ideal()): NeuronArray {
  return chip(neurons, options, variation, 'datasheet');
}
