// The example of README.md: one neuron, four input spikes, spikes and membrane recorded.
import * as pynn from '../src/index.js';

export async function readmeExample(): Promise<{ spikes_ms: Float64Array; samples: number }> {
  pynn.setup({ chipSeed: 1, calibration: 'nominal', idealChip: true });
  const neuron = new pynn.Population(1, new pynn.IF_curr_exp({ tau_m: 10, cm: 0.2 }), { label: 'neuron' });
  const input = new pynn.Population(1, new pynn.SpikeSourceArray({ spike_times: [10, 12, 14, 16] }), { label: 'input' });
  new pynn.Projection(input, neuron, new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: 63 }));
  neuron.record(['spikes', 'v']);
  await pynn.run(50);
  const segment = neuron.getData().segments[0]!;
  await pynn.end();
  return { spikes_ms: segment.spiketrains[0]!.times, samples: segment.analogsignals[0]!.values.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { spikes_ms, samples } = await readmeExample();
  console.log('spikes (ms):', Array.from(spikes_ms, (t) => t.toFixed(3)).join(' '), `— ${samples} membrane samples`);
}
