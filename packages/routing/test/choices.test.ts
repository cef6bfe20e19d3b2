// The Choices of the README, each pinned.
import {
  BackgroundSpikeSourceOnDLS,
  CrossbarNodeOnDLS,
  NeuronBackendAddressOut,
  NeuronLabel,
  SpikeLabel,
  SynapseDriverOnDLS,
} from '@bss2/halco';
import { BackgroundSpikeSource, CrossbarNode, SynapseDriverConfig, type Container } from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import {
  BACKGROUND_BIT,
  DEFAULT_BACKGROUND_SEED,
  EXTERNAL_HEMISPHERE_BIT,
  compareMask,
  driverServes,
  routeNetwork,
  type Network,
} from '../src/index.js';
import { expectRealises } from './support/check.js';
import { STACK } from './support/random-network.js';

const network: Network = {
  populations: [
    { kind: 'external', name: 'x', size: 4 },
    { kind: 'neurons', name: 'a', size: 3 },
    { kind: 'neurons', name: 'mc', size: 1, shape: STACK },
    { kind: 'neurons', name: 'silent', size: 2 },
    { kind: 'background', name: 'noise', size: 8, period: 4, rate: 50 },
  ],
  projections: [
    { name: 'x→a', pre: 'x', post: 'a', receptor: 'excitatory', connections: [{ pre: 0, post: 0, weight: 10 }, { pre: 1, post: 1, weight: 20 }] },
    { name: 'x→mc', pre: 'x', post: 'mc', receptor: 'inhibitory', connections: [{ pre: 1, post: 0, weight: 3 }], postCompartment: 1 },
    { name: 'mc→a', pre: 'mc', post: 'a', receptor: 'excitatory', connections: [{ pre: 0, post: 2, weight: 7 }] },
    { name: 'noise→a', pre: 'noise', post: 'a', receptor: 'inhibitory', connections: [{ pre: 5, post: 2, weight: 9 }] },
  ],
  recorded: ['a', 'noise'],
};
const result = routeNetwork(network);
const writes = result.writes();
const containersOf = <T extends Container>(type: new (...args: never[]) => T) =>
  writes.flatMap((w) => (w.container instanceof type ? [{ coordinate: w.coordinate, container: w.container }] : []));

describe('labels', () => {
  it('external labels: FPGA link = bus index, bit 11 / 12 flag the target hemispheres; no synapse → no label', () => {
    const labels = result.inputLabels('x');
    expect(labels[2]).toBeUndefined();
    expect(labels[3]).toBeUndefined();
    const l0 = labels[0]!;
    const l1 = labels[1]!;
    // x0 reaches a (top) only; x1 reaches a (top) and compartment 1 of mc (bottom row).
    expect(l0.value & (EXTERNAL_HEMISPHERE_BIT[0] | EXTERNAL_HEMISPHERE_BIT[1])).toBe(EXTERNAL_HEMISPHERE_BIT[0]);
    expect(l1.value & (EXTERNAL_HEMISPHERE_BIT[0] | EXTERNAL_HEMISPHERE_BIT[1])).toBe(EXTERNAL_HEMISPHERE_BIT[0] | EXTERNAL_HEMISPHERE_BIT[1]);
    expect(result.populationOf(l1)).toEqual({ population: 'x', index: 1, recorded: false });
    // The node from link k passes only to PADI buses k (top) and 4 + k (bottom).
    for (const label of [l0, l1]) {
      const link = label.spl1Address.value;
      const open = containersOf(CrossbarNode).filter((w) => new CrossbarNodeOnDLS(w.coordinate.value).y.value === 8 + link && !w.container.equals(CrossbarNode.drop));
      expect(open.map((w) => new CrossbarNodeOnDLS(w.coordinate.value).x.value % 4).every((bus) => bus === link)).toBe(true);
    }
  });

  it('a logical neuron spikes from the first circuit of compartment 0 only; address_out = row-select bits 1..0 over the synapse label', () => {
    const patches = result.backendPatches();
    const [top, bottom] = result.logicalNeurons('mc')[0]!.atomicNeurons();
    expect(patches[top!.value]!.enSpikeOut).toBe(true);
    expect(patches[bottom!.value]!.enSpikeOut).toBe(false);
    // Neurons neither recorded nor presynaptic stay silent.
    for (const n of result.logicalNeurons('silent')) expect(patches[n.atomicNeurons()[0]!.value]!.enSpikeOut).toBe(false);
    // Event output 0 holds a0..a2 and mc's soma, in circuit order: synapse labels 0..3 of one row select.
    const addresses = [...result.logicalNeurons('a'), ...result.logicalNeurons('mc')].map((n) => patches[n.atomicNeurons()[0]!.value]!.addressOut);
    expect(addresses.map((a) => a & 63)).toEqual([0, 1, 2, 3]);
    expect(new Set(addresses.map((a) => a >> 6)).size).toBe(1);
    const label = NeuronLabel.fromNeuron(top!.toNeuronEventOutputOnDLS(), new NeuronBackendAddressOut(patches[top!.value]!.addressOut));
    expect(result.populationOf(label)).toEqual({ population: 'mc', index: 0, recorded: false });
  });

  it('background: bit 13 and the bus in bits 12..11, random mask = size − 1 (source = random bits), default seed 1', () => {
    const bus = result.backgroundBus('noise');
    const generator = containersOf(BackgroundSpikeSource).find((w) => w.coordinate.value === bus)!.container;
    expect(generator).toMatchObject({ enable: true, enableRandom: true, mask: 7, seed: DEFAULT_BACKGROUND_SEED, period: 4, rate: 50 });
    expect(generator.neuronLabel & BACKGROUND_BIT).toBe(BACKGROUND_BIT);
    expect((generator.neuronLabel >> 11) & 3).toBe(bus);
    expect(generator.neuronLabel & 7).toBe(0);
    expect(result.populationOf(new NeuronLabel(generator.neuronLabel | 5))).toEqual({ population: 'noise', index: 5, recorded: true });
    // Recorded at FPGA link bus % 4 through the generator's own node (§2.3).
    expect(result.populationOf(new SpikeLabel(generator.neuronLabel | 6).withSpl1Address(new BackgroundSpikeSourceOnDLS(bus).toCrossbarL2OutputOnDLS().toSPL1Address()))).toMatchObject({ index: 6 });
  });
});

describe('drivers and crossbar', () => {
  it('compare mask = every bit where the bus index and the row select agree', () => {
    expect(compareMask(5, 5)).toBe(0b11111);
    expect(compareMask(0b00000, 0b00011)).toBe(0b11100);
    // With arrivals 0 and 3, driver 1 may serve 0 (it accepts 0 and 1) but driver 3 may not serve 0.
    expect(driverServes(1, 0, [0, 3])).toBe(true);
    expect(driverServes(3, 0, [0, 3])).toBe(false);
  });

  it('unused drivers stay in reset (receiver off); used ones never mix receptors on a row', () => {
    const drivers = containersOf(SynapseDriverConfig);
    expect(drivers).toHaveLength(SynapseDriverOnDLS.size);
    const used = drivers.filter((d) => d.container.enableReceiver);
    expect(used.length).toBe(result.statistics.synapseDrivers);
    for (const d of drivers.filter((x) => !x.container.enableReceiver)) expect(d.container.equals(new SynapseDriverConfig())).toBe(true);
    for (const d of used) expect([d.container.rowModeTop, d.container.rowModeBottom]).not.toContain('excitatoryAndInhibitory');
  });

  it('every crossbar node not needed drops everything (mask 0, target 1); generators are written last', () => {
    const nodes = containersOf(CrossbarNode);
    expect(nodes).toHaveLength(CrossbarNodeOnDLS.size);
    expect(nodes.filter((n) => !n.container.equals(CrossbarNode.drop)).length).toBe(result.statistics.crossbarNodes);
    expect(writes.slice(-BackgroundSpikeSourceOnDLS.size).every((w) => w.container instanceof BackgroundSpikeSource)).toBe(true);
  });

  it('the example realises its connectivity', () => {
    expectRealises(result, network);
  });
});
