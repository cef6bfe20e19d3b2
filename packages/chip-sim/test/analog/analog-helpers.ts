import { AtomicNeuron, type AtomicNeuronInit } from '@bss2/lola';
import { ChipVariation, NeuronArray, type NeuronArrayOptions, NeuronParameters } from '../../src/analog/index.js';

/** A chip whose circuits all hold `neurons` (by circuit index; the rest keep the defaults) and DAC bias 600. */
export function chip(
  neurons: ReadonlyMap<number, AtomicNeuron> | AtomicNeuron[],
  options: NeuronArrayOptions,
  variation: ChipVariation = ChipVariation.ideal(),
): NeuronArray {
  const params = new NeuronParameters(variation);
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
