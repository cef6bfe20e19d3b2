// The example of README.md: four external sources drive four LIF neurons one to one; a batch of three entries
// sends each source a different number of spikes; the neurons' spike counts come back per entry.
import { spikingTarget } from '@bss2/calibration';
import { connectInProcess } from '@bss2/hxcomm/in-process';
import { Executor, type NetworkGraph, neuronTarget } from '../src/index.js';

export async function readmeExample(): Promise<number[][]> {
  const target = neuronTarget(spikingTarget); // the `spiking` preset's calibration target, hardware units
  const graph: NetworkGraph = {
    populations: [
      { kind: 'external', name: 'input', size: 4 },
      { kind: 'neurons', name: 'lif', size: 4, neurons: { kind: 'calibrated', target }, recordSpikes: true },
    ],
    projections: [{ name: 'drive', pre: 'input', post: 'lif', receptor: 'excitatory', connections: [0, 1, 2, 3].map((i) => ({ pre: i, post: i, weight: 63 })) }],
  };
  const connection = connectInProcess({ seed: 1, analog: { idealChip: true } });
  const executor = new Executor({ connection, calibration: 'nominal' });
  // Entry k: source i sends i · (k + 1) spikes, 1 µs apart from 2 µs on.
  const entries = [0, 1, 2].map((k) => ({
    duration_us: 40,
    inputs: { input: { kind: 'array' as const, times_us: [0, 1, 2, 3].map((i) => Array.from({ length: i * (k + 1) }, (_, n) => 2 + n)) } },
  }));
  const batch = await executor.runBatch(graph, entries);
  await connection.close();
  return batch.entries.map((entry) => {
    const counts = [0, 0, 0, 0];
    for (const index of entry.spikes.get('lif')?.index ?? []) counts[index]!++;
    return counts;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [k, counts] of (await readmeExample()).entries()) console.log(`entry ${k}: spikes per neuron ${counts.join(' ')}`);
}
