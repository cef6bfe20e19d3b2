import { ColumnCorrelationQuadOnDLS, ColumnCurrentQuadOnDLS, omnibusAddresses } from '@bss2/halco';
import { registerContainer } from './container.js';
import { array, booleanType } from './field.js';
import { register } from './register.js';
import { ENTRIES_PER_QUAD, quadEntryBits } from './synapse-quad.js';

// Layout (Choice, hardware.md leaves it open): the switches of a column sit in the byte lane of its quad
// entry like the synapses do (entry 0 = most significant byte, §3.5). Word 0 holds the causal /
// excitatory side, word 1 the acausal / inhibitory side; inside a lane the datasheet's order, LSB first.

function switches(word: number, bit: number) {
  return array(ENTRIES_PER_QUAD, booleanType(false), (e) => quadEntryBits(word, e, bit));
}

/**
 * Per-column switches of the correlation readout of four columns (hardware.md §3.5): the synapses'
 * correlation sensors to the CADC (internal) or to the shared debug line, and the neuron's readout to the
 * CADC channel of the column.
 */
export class ColumnCorrelationQuad extends register({
  typeName: 'ColumnCorrelationQuad',
  coordinateType: ColumnCorrelationQuadOnDLS,
  wordCount: 2,
  readable: true,
  writable: true,
  addresses: (c: ColumnCorrelationQuadOnDLS) => omnibusAddresses.ColumnCorrelationQuad(c),
  fields: {
    enableInternalCausal: switches(0, 0),
    enableInternalAcausal: switches(1, 0),
    enableDebugCausal: switches(0, 1),
    enableDebugAcausal: switches(1, 1),
    enableCadcNeuronReadoutCausal: switches(0, 2),
    enableCadcNeuronReadoutAcausal: switches(1, 2),
  },
}) {}
registerContainer(ColumnCorrelationQuad);

/**
 * Per-column switches of the synaptic current of four columns (hardware.md §3.5). Reset: every switch open,
 * so **no synaptic current reaches the neurons** until enableSynapticCurrent* is set.
 */
export class ColumnCurrentQuad extends register({
  typeName: 'ColumnCurrentQuad',
  coordinateType: ColumnCurrentQuadOnDLS,
  wordCount: 2,
  readable: true,
  writable: true,
  addresses: (c: ColumnCurrentQuadOnDLS) => omnibusAddresses.ColumnCurrentQuad(c),
  fields: {
    enableSynapticCurrentExcitatory: switches(0, 0),
    enableSynapticCurrentInhibitory: switches(1, 0),
    enableDebugExcitatory: switches(0, 1),
    enableDebugInhibitory: switches(1, 1),
  },
}) {}
registerContainer(ColumnCurrentQuad);
