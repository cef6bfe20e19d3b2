// A container round trip: configure a neuron, encode it to its words at its omnibus addresses, decode it back.
import { AtomicNeuronOnDLS, AtomicNeuronOnLogicalNeuron, NeuronColumnOnLogicalNeuron, NeuronRowOnLogicalNeuron } from '@bss2/halco';
import { AtomicNeuron, Morphology, containerFromMsgpack, containerToMsgpack } from '@bss2/lola';

const neuron = new AtomicNeuron({ leak: { vLeak: 700, iBias: 300 }, threshold: { enable: true, vThreshold: 800 } });
neuron.eventRouting = AtomicNeuron.EventRouting.enabled;
neuron.eventRouting.address = 42;
const coord = new AtomicNeuronOnDLS(256 + 130);
const addresses = AtomicNeuron.addresses(coord);
const words = neuron.encode();
for (let i = 0; i < 8; i++) console.log(`0x${addresses[i]!.toString(16).padStart(8, '0')}: 0x${words[i]!.toString(16)}`);
console.log(`… ${words.length} words in all; decoded equals original: ${AtomicNeuron.decode(words).equals(neuron)}`);
console.log(`msgpack round trip equals original: ${containerFromMsgpack(containerToMsgpack(neuron)).equals(neuron)}`);

const at = (column: number, row: number) =>
  new AtomicNeuronOnLogicalNeuron(new NeuronColumnOnLogicalNeuron(column), new NeuronRowOnLogicalNeuron(row));
const morphology = new Morphology();
morphology.createCompartment([at(0, 0), at(0, 1)]);
morphology.createCompartment([at(2, 0)]);
morphology.connectToSoma(at(0, 0));
morphology.connectResistorToSoma(at(2, 0)); // through the conductance: a direct switch would short the two compartments
morphology.connectSomaLine(new NeuronColumnOnLogicalNeuron(0), new NeuronColumnOnLogicalNeuron(2), new NeuronRowOnLogicalNeuron(0));
const { neuron: logical } = morphology.done();
console.log(`two compartments joined by a bridge neuron (a compartment of its own): ${logical.compartments.size} compartments`);
