import {
  AtomicNeuronOnDLS,
  ColumnCurrentQuadOnDLS,
  CommonPADIBusConfigOnDLS,
  EventRecordingConfigOnFPGA,
  NeuronColumnOnDLS,
  SynapseOnDLS,
  SynapseOnSynapseRow,
  SynapseOnSynram,
  SynapseRowOnSynram,
  SynapseQuadColumnOnDLS,
  SynapseQuadOnDLS,
  SynapseQuadOnSynram,
  SynramOnDLS,
} from '@bss2/halco';
import {
  ColumnCurrentQuad,
  CommonPADIBusConfig,
  EventRecordingConfig,
  NeuronBackendConfig,
  SynapseQuad,
} from '@bss2/lola';
import type { Bench } from './helpers.js';

const ALL_ON = [true, true, true, true];

/** Crossbar events reach every PADI bus (enable_spl1), every column lets both receptors through. */
export function openEventPath(b: Bench, options: { recording?: boolean } = {}): void {
  for (const block of CommonPADIBusConfigOnDLS.all()) b.write(block, new CommonPADIBusConfig({ enableSpl1: ALL_ON }));
  for (const quad of ColumnCurrentQuadOnDLS.all()) {
    b.write(quad, new ColumnCurrentQuad({ enableSynapticCurrentExcitatory: ALL_ON, enableSynapticCurrentInhibitory: ALL_ON }));
  }
  if (options.recording ?? true) b.write(new EventRecordingConfigOnFPGA(0), new EventRecordingConfig({ enableEventRecording: true }));
}

/** Weight and label of every synapse of one row, written as SynapseQuads at halco's coordinates. */
export function writeRow(b: Bench, synram: number, row: number, weights: ArrayLike<number>, labels: ArrayLike<number>): void {
  const rowCoord = new SynapseRowOnSynram(row);
  for (const quadColumn of SynapseQuadColumnOnDLS.all()) {
    const columns = quadColumn.toSynapseOnSynapseRow().map((c) => c.value);
    b.write(
      new SynapseQuadOnDLS(new SynapseQuadOnSynram(quadColumn, rowCoord), new SynramOnDLS(synram)),
      new SynapseQuad({ weights: columns.map((c) => weights[c]!), labels: columns.map((c) => labels[c]!) }),
    );
  }
}

/** One synapse (synram, row, column) set to `weight` and `label`, the rest of its quad unchanged (zero). */
export function writeSynapse(b: Bench, synram: number, row: number, column: number, weight: number, label: number): void {
  const col = new SynapseOnSynapseRow(column);
  const quadColumn = col.toSynapseQuadColumnOnDLS();
  const entry = col.toEntryOnQuad().value;
  const coord = new SynapseQuadOnDLS(new SynapseQuadOnSynram(quadColumn, new SynapseRowOnSynram(row)), new SynramOnDLS(synram));
  const storage = b.registers.synapses;
  const current = quadColumn.toSynapseOnSynapseRow().map((c) => {
    const index = new SynapseOnDLS(new SynapseOnSynram(c, new SynapseRowOnSynram(row)), new SynramOnDLS(synram)).value;
    return { weight: storage.field('weights')[index]!, label: storage.field('labels')[index]! };
  });
  current[entry] = { weight, label };
  b.write(coord, new SynapseQuad({ weights: current.map((s) => s.weight), labels: current.map((s) => s.label) }));
}

/** Neuron `circuit` sends its spikes with `address_out = address`. */
export function enableSpikeOut(b: Bench, circuit: number, address: number): void {
  b.write(new AtomicNeuronOnDLS(circuit).toNeuronBackendConfigOnDLS(), new NeuronBackendConfig({ addressOut: address, enSpikeOut: true }));
}

/** The circuit below column `column` of synram `synram` (halco AtomicNeuronOnDLS). */
export function circuitOf(synram: number, column: number): number {
  return new AtomicNeuronOnDLS(new NeuronColumnOnDLS(column), new SynramOnDLS(synram).toNeuronRowOnDLS()).value;
}
