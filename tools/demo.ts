// The main demo (README, first command): one neuron on the built-in simulated chip, written in PyNN and run
// through the whole stack — @bss2/pynn places and routes it (@bss2/routing), calibrates the chip for its
// parameters (@bss2/calibration, cached on disk after the first run), builds a playback program (@bss2/stadls)
// and runs it over an in-process connection (@bss2/hxcomm) on the cycle-level simulator (@bss2/chip-sim).
//
// The neuron and its input are the reference experiment of test-fixtures/references/lif_reference.json
// ("spike_input": PyNN's IF_curr_exp with excitatory and inhibitory input spikes); it prints the chip's spike
// times next to the exact solution and writes the membrane trace as an SVG plot.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calibrateLIFCached } from '@bss2/calibration/node';
import * as pynn from '@bss2/pynn';

interface Reference {
  cell: Record<string, number>;
  spike_input: { exc_spike_times_ms: number[]; inh_spike_times_ms: number[]; w_exc_nA: number; w_inh_nA: number; delay_ms: number };
  t_stop_ms: number;
  exact: { spike_input: { spike_times_ms: number[] } };
}
const reference = JSON.parse(readFileSync(new URL('../test-fixtures/references/lif_reference.json', import.meta.url), 'utf8')) as Reference;
const input = reference.spike_input;
const outDir = process.argv[2] ?? 'out/demo';

// A calibration provider with a disk cache: the first run measures the chip (≈ 15 s), later runs load it.
const calibration: pynn.CalibrationProvider = async (connection, target) => {
  const started = performance.now();
  const { result, cached } = await calibrateLIFCached(connection, target, {
    onProgress: (step, fraction) => process.stderr.write(`\r  calibrating the chip: ${(fraction * 100).toFixed(0).padStart(3)} % ${step.padEnd(28)}`),
  });
  process.stderr.write(cached ? '  calibration loaded from the cache\n' : `\r  calibrated the chip in ${((performance.now() - started) / 1000).toFixed(1)} s${' '.repeat(30)}\n`);
  return result;
};

pynn.setup({ chipSeed: 1, calibration });
const neuron = new pynn.Population(1, new pynn.IF_curr_exp(reference.cell), { label: 'neuron' });
// The reference's synaptic delay is added to the input times: the chip has no programmable delays.
const shifted = (times: number[]) => times.map((t) => t + input.delay_ms);
const excitatory = new pynn.Population(1, new pynn.SpikeSourceArray({ spike_times: shifted(input.exc_spike_times_ms) }), { label: 'excitatory input' });
const inhibitory = new pynn.Population(1, new pynn.SpikeSourceArray({ spike_times: shifted(input.inh_spike_times_ms) }), { label: 'inhibitory input' });
new pynn.Projection(excitatory, neuron, new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: pynn.weightForCurrent(input.w_exc_nA) }), 'excitatory');
new pynn.Projection(inhibitory, neuron, new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: -pynn.weightForCurrent(input.w_inh_nA) }), 'inhibitory');
neuron.record(['spikes', 'v']);

console.log('One IF_curr_exp neuron (lif_reference.json, "spike_input") on the simulated BrainScaleS-2 chip, seed 1');
await pynn.run(reference.t_stop_ms);
const segment = neuron.getData().segments[0]!;
const spikes = Array.from(segment.spiketrains[0]!.times);
const membrane = segment.analogsignals[0]!;
const run = pynn.getBackendStatistics().runs[0]!;
await pynn.end();

console.log(`  ${excitatory.size + inhibitory.size} inputs → ${run.inputSpikes} input spikes, ${run.instructions} instructions; ${membrane.values.length} membrane samples`);
console.log('  spike times, ms (biological; 1 ms = 1 µs on the chip):');
for (let i = 0; i < Math.max(spikes.length, reference.exact.spike_input.spike_times_ms.length); i++) {
  const chip = spikes[i];
  const exact = reference.exact.spike_input.spike_times_ms[i];
  console.log(`    chip ${chip === undefined ? '      —' : chip.toFixed(3).padStart(8)}   exact ${exact === undefined ? '—' : exact.toFixed(3).padStart(8)}`);
}
mkdirSync(outDir, { recursive: true });
const plot = join(outDir, 'membrane.svg');
writeFileSync(plot, pynn.signalPlot([{ title: 'neuron[0] membrane potential', signal: membrane, spikes }]));
console.log(`  membrane trace: ${plot}`);
