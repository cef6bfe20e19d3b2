// `ppu.stdp.overhead` (issue 13): a 512-neuron network with STDP on every synapse (period 10 ms) against the same
// run without plasticity, wall time of pynn.run, interleaved repetitions, median ratio. The network: 512
// IF_curr_exp neurons (nominal calibration, chip seed 1), each driven by the same SOURCES host Poisson sources
// (all to all), every synapse plastic. The kernel visits the SOURCES rows of its projection on both PPUs;
// with more rows one invocation outlasts the 10 µs of chip time between two (see the README's numbers). The rule
// subtracts one fixed correlation baseline (CORRELATION_BASELINE): the default, a measured rest code per sensor,
// converts every half row twice and does not fit a 10 µs period with these rows.
import { type BenchRecord, type Benchmark, median } from '@bss2/bench';
import * as pynn from '../src/index.js';

const NEURONS = 512;
const SOURCES = 4;
const PERIOD_MS = 10;
const DURATION_MS = 1000;
const RATE_HZ = 40;
const WEIGHT = 12;
const REPETITIONS = 5;
const CORRELATION_BASELINE = 200;

async function wall(plastic: boolean): Promise<{ run_s: number; spikes: number }> {
  pynn.setup({ chipSeed: 1, calibration: 'nominal', seed: 1 });
  const input = new pynn.Population(SOURCES, new pynn.SpikeSourcePoisson({ rate: RATE_HZ, start: 0, duration: DURATION_MS }), { label: 'input' });
  const neurons = new pynn.Population(NEURONS, new pynn.IF_curr_exp({ i_offset: 0.6 }), { label: 'neurons' });
  neurons.record('spikes');
  const rule = plastic ? new pynn.STDP({ timer: new pynn.Timer({ start: PERIOD_MS, period: PERIOD_MS, numPeriods: DURATION_MS / PERIOD_MS - 1 }), sameId: 1, correlationBaseline: CORRELATION_BASELINE }) : undefined;
  const synapse = rule === undefined ? new pynn.StaticSynapse({ weight: WEIGHT }) : new pynn.PlasticSynapse({ weight: WEIGHT, plasticityRule: rule });
  new pynn.Projection(input, neurons, new pynn.AllToAllConnector(), synapse, 'excitatory', { label: 'input→neurons' });
  // Prepared first: the figure is the run (program, chip, PPUs, results), not routing.
  await pynn.prepare();
  const started = performance.now();
  await pynn.run(DURATION_MS);
  const run_s = (performance.now() - started) / 1000;
  const spikes = neurons.getData().segments[0]!.spiketrains.reduce((n, s) => n + s.times.length, 0);
  await pynn.end();
  return { run_s, spikes };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'ppu.stdp',
    async run(): Promise<BenchRecord[]> {
      await wall(true); // warm-up: module loading, JIT, kernel compilation cache
      await wall(false);
      const withStdp: number[] = [];
      const without: number[] = [];
      let spikes = { plastic: 0, static: 0 };
      for (let k = 0; k < REPETITIONS; k++) {
        const a = await wall(true);
        const b = await wall(false);
        withStdp.push(a.run_s);
        without.push(b.run_s);
        spikes = { plastic: a.spikes, static: b.spikes };
      }
      const ratios = withStdp.map((w, k) => w / without[k]!);
      const inputs = { neurons: NEURONS, sources: SOURCES, synapses: NEURONS * SOURCES, period_ms: PERIOD_MS, duration_ms: DURATION_MS, correlation_baseline: CORRELATION_BASELINE, rate_hz: RATE_HZ, chip_seed: 1, repetitions: REPETITIONS, spikes };
      return [
        { name: 'ppu.stdp.run', value: round(median(withStdp)), unit: 's', inputs },
        { name: 'ppu.stdp.static', value: round(median(without)), unit: 's', inputs },
        { name: 'ppu.stdp.overhead', value: round(median(ratios)), unit: 'x', inputs, ratios: ratios.map(round) },
      ];
    },
  },
];

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
