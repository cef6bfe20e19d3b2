import type { Placement } from './placement.js';
import type { IndexedNetwork } from './validate.js';

/** Where a source's events enter the crossbar (hardware.md §2.5): a neuron event output, an FPGA link, a generator. */
export const SourceKind = { internal: 0, external: 1, background: 2 } as const;
export type SourceKind = (typeof SourceKind)[keyof typeof SourceKind];

/** Every population member that can send events, numbered `first[population] + index`. */
export interface Sources {
  readonly count: number;
  readonly kind: Uint8Array;
  readonly population: Int32Array;
  readonly index: Int32Array;
  /** The emitting circuit (AtomicNeuronOnDLS value) of an internal source, else −1. */
  readonly circuit: Int32Array;
  /** Per population index: its first source id. */
  readonly first: readonly number[];
}

export function collectSources(indexed: IndexedNetwork, placement: Placement): Sources {
  const first: number[] = [];
  let count = 0;
  for (const p of indexed.populations) {
    first.push(count);
    count += p.size;
  }
  const kind = new Uint8Array(count);
  const population = new Int32Array(count);
  const index = new Int32Array(count);
  const circuit = new Int32Array(count).fill(-1);
  indexed.populations.forEach((p, i) => {
    const k = p.kind === 'neurons' ? SourceKind.internal : p.kind === 'external' ? SourceKind.external : SourceKind.background;
    const spikes = placement.spikeCircuit[i];
    for (let j = 0; j < p.size; j++) {
      const s = first[i]! + j;
      kind[s] = k;
      population[s] = i;
      index[s] = j;
      if (spikes !== undefined) circuit[s] = spikes[j]!;
    }
  });
  return { count, kind, population, index, circuit, first };
}
