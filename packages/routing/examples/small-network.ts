// Route a small network: 20 input sources and on-chip Poisson noise onto 16 neurons, recurrent inhibition,
// one weight above 63; print what routing decided and map a recorded label back to its neuron.
import { AtomicNeuronOnDLS, SynapseDriverOnDLS } from '@bss2/halco';
import { SynapseDriverConfig } from '@bss2/lola';
import { routeNetwork, updateWeights, type Network } from '@bss2/routing';

const network: Network = {
  populations: [
    { kind: 'external', name: 'input', size: 20 },
    { kind: 'background', name: 'noise', size: 8, period: 125, rate: 20, seed: 7 },
    { kind: 'neurons', name: 'exc', size: 16 },
  ],
  projections: [
    { name: 'input→exc', pre: 'input', post: 'exc', receptor: 'excitatory', connections: Array.from({ length: 20 }, (_, i) => ({ pre: i, post: i % 16, weight: i === 0 ? 123 : 20 })) },
    { name: 'noise→exc', pre: 'noise', post: 'exc', receptor: 'excitatory', connections: Array.from({ length: 16 }, (_, i) => ({ pre: i % 8, post: i, weight: 5 })) },
    { name: 'exc→exc', pre: 'exc', post: 'exc', receptor: 'inhibitory', connections: Array.from({ length: 16 }, (_, i) => ({ pre: i, post: (i + 1) % 16, weight: 30 })) },
  ],
  recorded: ['exc'],
};

const result = routeNetwork(network);
const s = result.statistics;
console.log(`${s.synapses} synapses on ${s.synapseRows} rows of ${s.synapseDrivers} drivers, ${s.crossbarNodes} crossbar nodes open, router ${s.router}, ${s.durations.total_ms.toFixed(1)} ms`);
console.log(`weight 123 placed as`, result.placedConnections('input→exc')[0]!.synapses.map((x) => `${x.weight} (row ${x.row.value}, column ${x.column.value})`).join(' + '));
console.log(`input 0 is injected with ${result.inputLabel('input', 0)!.toString()}`);
const drivers = result.writes().filter((w) => w.coordinate instanceof SynapseDriverOnDLS && (w.container as SynapseDriverConfig).enableReceiver);
for (const { coordinate, container } of drivers.slice(0, 3)) {
  const c = container as SynapseDriverConfig;
  console.log(`${coordinate.toString()}: mask 0b${c.rowAddressCompareMask.toString(2).padStart(5, '0')}, rows ${c.rowModeTop} / ${c.rowModeBottom}`);
}
const patch = result.backendPatches()[5]!;
console.log(`exc neuron 5 sends address_out ${patch.addressOut}; back from its circuit:`, result.populationOf(new AtomicNeuronOnDLS(5)));
const update = updateWeights(result, 'exc→exc', Array.from({ length: 16 }, () => 40));
console.log(`weights-only update: ${update.writes.length} SynapseWeightQuad writes, no re-routing`);
