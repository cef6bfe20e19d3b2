// Shared pieces of the execution tests: an ideal simulated chip, bypass neurons that fire exactly when an
// excitatory event reaches them (hardware.md §3.4), and small feed-forward graphs.
import { connectInProcess } from '@bss2/hxcomm/in-process';
import { spikingTarget } from '@bss2/calibration';
import { AtomicNeuron } from '@bss2/lola';
import { Executor, type ExecutorOptions, type NetworkGraph, type NeuronSpec, type PlasticityRuleSpec, neuronTarget } from '../src/index.js';

/** An executor on a fresh ideal chip with the nominal calibration: exact, and fast to set up. */
export function idealExecutor(options: Partial<ExecutorOptions> = {}, seed = 1): Executor {
  return new Executor({ connection: connectInProcess({ seed, analog: { idealChip: true } }), calibration: 'nominal', ...options });
}

/** A neuron whose output spike is its excitatory input event: which neurons fire, and when, shows the routing. */
export const bypass: NeuronSpec = {
  kind: 'raw',
  neuron: new AtomicNeuron({ eventRouting: { enableBypassExcitatory: true, analogOutput: 'normal' }, excitatoryInput: { enable: true } }),
};

/**
 * A bypass neuron on the calibrated settings of the chip's idle circuits (the `spiking` preset) with its threshold
 * off: placing it changes no CapMem cell, so a new placement needs no settling.
 */
export const calibratedBypass: NeuronSpec = {
  kind: 'calibrated',
  target: neuronTarget(spikingTarget),
  patch: { eventRouting: { enableBypassExcitatory: true }, threshold: { enable: false } },
};

/** External sources `input` (size n) one-to-one onto bypass neurons `relay` (size n), all recorded. */
export function relayGraph(n: number, weight = 63): NetworkGraph {
  return {
    populations: [
      { kind: 'external', name: 'input', size: n },
      { kind: 'neurons', name: 'relay', size: n, neurons: bypass, recordSpikes: true },
    ],
    projections: [{ name: 'input→relay', pre: 'input', post: 'relay', receptor: 'excitatory', connections: Array.from({ length: n }, (_, i) => ({ pre: i, post: i, weight })) }],
  };
}

/** Spike times (µs) per member of `population` in a result's spikes. */
export function timesOf(spikes: ReadonlyMap<string, { index: number[]; time_us: number[] }>, population: string, size: number): number[][] {
  const out = Array.from({ length: size }, () => [] as number[]);
  const s = spikes.get(population);
  if (s !== undefined) s.index.forEach((i, k) => out[i]!.push(s.time_us[k]!));
  return out.map((t) => t.sort((a, b) => a - b));
}

/** Counts its invocations in a data word (the observable `count`). */
export const counterKernel = (name: string, extra = ''): PlasticityRuleSpec['kernel'] => ({
  kind: 'assembly',
  name,
  source: `
    .text
    .globl kernel
kernel:
    lis r4, ${name}_count@ha
    lwz r5, ${name}_count@l(r4)
    addi r5, r5, 1
    stw r5, ${name}_count@l(r4)
${extra}
    li r3, 0
    blr
    .data
    .globl ${name}_count
${name}_count:
    .long 0
`,
  observables: [{ name: 'count', symbol: `${name}_count`, bytes: 4 }],
});
