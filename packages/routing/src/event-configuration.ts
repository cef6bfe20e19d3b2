import {
  AtomicNeuronOnDLS,
  BackgroundSpikeSourceOnDLS,
  CommonPADIBusConfigOnDLS,
  CrossbarInputOnDLS,
  CrossbarNodeOnDLS,
  CrossbarOutputOnDLS,
  NeuronEventOutputOnDLS,
  PADIBusBlockOnDLS,
  PADIBusOnDLS,
  PADIBusOnPADIBusBlock,
  SPL1Address,
} from '@bss2/halco';
import { BackgroundSpikeSource, CommonPADIBusConfig, CrossbarNode } from '@bss2/lola';
import { BUSES_PER_HEMISPHERE, HEMISPHERE_COUNT, hemisphereOfCircuit } from './bus-load.js';
import type { Chunking } from './chunks.js';
import type { SynapseList } from './connection-split.js';
import type { DriverAllocation } from './driver-allocation.js';
import {
  EXTERNAL_HEMISPHERE_BIT,
  GROUP_MASK,
  NEURON_LABEL_MASK,
  ROW_SELECT_SHIFT,
  backgroundNeuronLabel,
  externalSpikeLabel,
  internalAddressOut,
} from './labels.js';
import type { BackgroundPopulation } from './network.js';
import { SourceKind, type Sources } from './sources.js';
import type { IndexedNetwork } from './validate.js';

/** Default LFSR seed of a background population (a seed of 0 would lock the LFSR, §3.7). */
export const DEFAULT_BACKGROUND_SEED = 1;

/** Crossbar, PADI buses, generators, neuron labels and input labels of a routed network (step 8 of §10.2). */
export interface EventConfiguration {
  /** Per CrossbarNodeOnDLS value; unused nodes drop everything (mask 0, target 1, §2.5). */
  readonly crossbar: readonly CrossbarNode[];
  /** Per CommonPADIBusConfigOnDLS value. */
  readonly padi: readonly CommonPADIBusConfig[];
  /** Per BackgroundSpikeSourceOnDLS value; unused generators off. */
  readonly generators: readonly BackgroundSpikeSource[];
  /** Per AtomicNeuronOnDLS value: backend `address_out` and whether its spikes leave the backend. */
  readonly addressOut: Uint8Array;
  readonly spikeOut: Uint8Array;
  /** Per source id: the 16-bit SpikeLabel of an external source (−1: it has no synapse, so nothing to inject). */
  readonly externalLabel: Int32Array;
  /** Per population index: the neuron label its generators are configured with (background populations). */
  readonly backgroundLabel: readonly (number | undefined)[];
}

function nodeIndex(input: number, output: number): number {
  return new CrossbarNodeOnDLS(new CrossbarOutputOnDLS(output), new CrossbarInputOnDLS(input)).value;
}

/**
 * Labels, crossbar nodes, PADI bus inputs and generators. Every node not needed drops all events (§10.2
 * step 8: routes of neurons neither recorded nor used as source are disabled). The filters are exact:
 * a neuron output passes only its group's row select, an FPGA link only labels flagged for the hemisphere,
 * a generator only its own label pattern.
 */
export function configureEvents(indexed: IndexedNetwork, sources: Sources, synapses: SynapseList, chunking: Chunking, allocation: DriverAllocation, bySource: { start: Int32Array; ids: Int32Array }): EventConfiguration {
  const configured: (CrossbarNode | undefined)[] = new Array<CrossbarNode | undefined>(CrossbarNodeOnDLS.size).fill(undefined);
  const spl1 = [[false, false, false, false], [false, false, false, false]];
  const addressOut = new Uint8Array(AtomicNeuronOnDLS.size);
  const spikeOut = new Uint8Array(AtomicNeuronOnDLS.size);
  const externalLabel = new Int32Array(sources.count).fill(-1);
  const backgroundLabel: (number | undefined)[] = indexed.populations.map(() => undefined);
  const generators = Array.from({ length: BackgroundSpikeSourceOnDLS.size }, () => new BackgroundSpikeSource());
  const busOutput = (h: number, bus: number) => new PADIBusOnDLS(new PADIBusOnPADIBusBlock(bus), new PADIBusBlockOnDLS(h)).toCrossbarOutputOnDLS().value;
  const linkOutput = (bus: number) => new SPL1Address(bus).toCrossbarOutputOnDLS().value;

  chunking.chunks.forEach((chunk, id) => {
    const r = allocation.rowSelect[id]!;
    for (let h = 0; h < HEMISPHERE_COUNT; h++) if (chunk.arrives[h]) spl1[h]![chunk.bus] = true;
    if (chunk.kind === SourceKind.internal) {
      const output = new NeuronEventOutputOnDLS(chunk.origin);
      const input = output.toCrossbarInputOnDLS().value;
      const filter = () => new CrossbarNode({ mask: GROUP_MASK, target: r << ROW_SELECT_SHIFT });
      chunk.members.forEach((s, k) => {
        const circuit = sources.circuit[s]!;
        addressOut[circuit] = internalAddressOut(r, chunk.label[k]!);
        spikeOut[circuit] = 1;
      });
      for (let h = 0; h < HEMISPHERE_COUNT; h++) if (chunk.arrives[h]) configured[nodeIndex(input, busOutput(h, chunk.bus))] = filter();
      if (chunk.members.some((s) => chunking.recordedSource[s] === 1)) configured[nodeIndex(input, linkOutput(chunk.bus))] = filter();
    } else if (chunk.kind === SourceKind.external) {
      const input = new SPL1Address(chunk.bus).toCrossbarInputOnDLS().value;
      chunk.members.forEach((s, k) => {
        const reaches = [false, false];
        for (let j = bySource.start[s]!; j < bySource.start[s + 1]!; j++) reaches[hemisphereOfCircuit(synapses.circuit[bySource.ids[j]!]!)] = true;
        externalLabel[s] = externalSpikeLabel(chunk.bus, r, chunk.label[k]!, reaches);
      });
      for (let h = 0; h < HEMISPHERE_COUNT; h++) {
        if (chunk.arrives[h]) configured[nodeIndex(input, busOutput(h, chunk.bus))] = new CrossbarNode({ mask: EXTERNAL_HEMISPHERE_BIT[h], target: EXTERNAL_HEMISPHERE_BIT[h] });
      }
    }
  });

  indexed.populations.forEach((p, pi) => {
    if (p.kind !== 'background') return;
    const background = p as BackgroundPopulation;
    const first = chunking.chunkOf[sources.first[pi]!]!;
    const bus = chunking.chunks[first]!.bus;
    const label = backgroundNeuronLabel(bus, allocation.rowSelect[first]!);
    backgroundLabel[pi] = label;
    const poisson = (background.mode ?? 'poisson') === 'poisson';
    // §3.7: label bits under the mask are random per event; mask = size − 1 makes them the source index.
    const random = poisson ? p.size - 1 : 0;
    const filter = () => new CrossbarNode({ mask: NEURON_LABEL_MASK & ~random, target: label });
    chunking.generatorOn[pi]!.forEach((on, h) => {
      if (!on) return;
      const generator = new BackgroundSpikeSourceOnDLS(BUSES_PER_HEMISPHERE * h + bus);
      // Same seed, mask and timing in both hemispheres: the LFSR sequence does not depend on the label, so
      // both generators emit the same events (§3.7), and source i fires identically everywhere.
      generators[generator.value] = new BackgroundSpikeSource({
        enable: true,
        enableRandom: poisson,
        neuronLabel: label,
        mask: random,
        period: background.period,
        rate: poisson ? (background.rate ?? 0) : 0,
        seed: background.seed ?? DEFAULT_BACKGROUND_SEED,
      });
      const input = generator.toCrossbarInputOnDLS().value;
      configured[nodeIndex(input, generator.toPADIBusOnDLS().toCrossbarOutputOnDLS().value)] = filter();
      if (chunking.recordedGenerator[pi] === h) configured[nodeIndex(input, generator.toCrossbarL2OutputOnDLS().toCrossbarOutputOnDLS().value)] = filter();
    });
  });

  const crossbar = configured.map((node) => node ?? CrossbarNode.drop);
  const padi = [...CommonPADIBusConfigOnDLS.all()].map((block) => new CommonPADIBusConfig({ enableSpl1: spl1[block.value]! }));
  return { crossbar, padi, generators, addressOut, spikeOut, externalLabel, backgroundLabel };
}
