// The main demo (README, first command): the chip's inventory and a container round trip.
import { AtomicNeuronOnDLS, coordinateTypes } from '@bss2/halco';
import { AtomicNeuron, containerFromMsgpack, containerToMsgpack, containerTypes } from '@bss2/lola';

console.log('Simulated BrainScaleS-2 chip (HICANN-X rev. 3)\n');
console.log(`Coordinate inventory (${coordinateTypes().size} types):`);
const rows = [...coordinateTypes()].sort(([a], [b]) => a.localeCompare(b));
const half = Math.ceil(rows.length / 2);
for (let i = 0; i < half; i++) {
  const cell = (entry: (typeof rows)[number] | undefined) =>
    entry === undefined ? '' : `${entry[0].padEnd(44)}${String(entry[1].size).padStart(10)}`;
  console.log(`  ${cell(rows[i])}    ${cell(rows[i + half])}`);
}

console.log(`\nContainers: ${containerTypes().size} types. Round trip of one AtomicNeuron:`);
const neuron = new AtomicNeuron({ leak: { vLeak: 700, iBias: 300 }, threshold: { enable: true, vThreshold: 800 } });
neuron.eventRouting = AtomicNeuron.EventRouting.enabled;
neuron.eventRouting.address = 42;
const coord = new AtomicNeuronOnDLS(256 + 130);
const words = neuron.encode();
const addresses = AtomicNeuron.addresses(coord);
const shown = words.reduce<string[]>((out, word, i) => (word === 0 ? out : [...out, `0x${addresses[i]!.toString(16)}=0x${word.toString(16)}`]), []);
console.log(`  ${coord.toString()}: ${words.length} words at omnibus addresses; non-zero: ${shown.join(' ')}`);
console.log(`  decode(encode(x)) equals x: ${AtomicNeuron.decode(words).equals(neuron)}`);
console.log(`  msgpack round trip equals x: ${containerFromMsgpack(containerToMsgpack(neuron)).equals(neuron)}`);
