// `pynn.network.*` (issues 7 and 12): the wall time of a full PyNN run of the chip-filling network (512 IF_curr_exp
// neurons, the largest random recurrent fan-in that routes, tools/bench/src/chip-filling.ts) from setup() to
// getData(), against the bare simulator executing the very program pynn built (same configuration and inputs,
// a fresh chip of the same seed). The neurons are driven by a constant offset current; the routed weights
// (1..63) would drive every neuron to its maximal rate, so the PyNN weights are balanced instead: excitatory
// ⌈w / 32⌉ ∈ {1, 2}, inhibitory −4 · ⌈w / 32⌉ (80 % / 20 % of the inputs). Calibration: nominal (the
// calibration has its own benchmark). `pynn.network.overhead` is the median over interleaved repetitions of
// (setup → getData) / (the bare simulator making a chip and running the same program), so machine noise hits
// both alike.
import { connectInProcess } from '@bss2/hxcomm/in-process';
import { run as runProgram } from '@bss2/stadls';
import { type BenchRecord, type Benchmark, median } from '@bss2/bench';
import { CHIP_FILLING_NEURONS, CHIP_FILLING_SEED, chipFillingNetwork, largestFanIn } from '@bss2/bench/chip-filling';
import { RoutingError, routeNetwork } from '@bss2/routing';
import * as pynn from '../src/index.js';

const CHIP_SEED = 1;
const DURATION_MS = 100;
const I_OFFSET_NA = 0.8;
const INHIBITORY_SCALE = 4;

async function pynnRun(fanIn: number): Promise<{ wall_s: number; phases: Record<string, number>; spikes: number; program: NonNullable<pynn.Simulator['lastProgram']> }> {
  const network = chipFillingNetwork(fanIn);
  const list = (name: string, scale: number) => network.projections.find((p) => p.name === name)!.connections.map((c) => [c.pre, c.post, scale * Math.ceil(c.weight / 32)]);
  // The script's inputs (the connection lists) are made before the clock starts: the figure is PyNN's work.
  const excitatory = list('excitatory', 1);
  const inhibitory = list('inhibitory', -INHIBITORY_SCALE);
  const started = performance.now();
  pynn.setup({ chipSeed: CHIP_SEED, calibration: 'nominal' });
  const neurons = new pynn.Population(CHIP_FILLING_NEURONS, new pynn.IF_curr_exp({ i_offset: I_OFFSET_NA }), { label: 'network' });
  new pynn.Projection(neurons, neurons, new pynn.FromListConnector(excitatory), new pynn.StaticSynapse(), 'excitatory', { label: 'excitatory' });
  new pynn.Projection(neurons, neurons, new pynn.FromListConnector(inhibitory), new pynn.StaticSynapse(), 'inhibitory', { label: 'inhibitory' });
  neurons.record('spikes');
  const built = performance.now();
  await pynn.run(DURATION_MS);
  const ran = performance.now();
  const block = neurons.getData();
  const finished = performance.now();
  const spikes = block.segments[0]!.spiketrains.reduce((n, st) => n + st.times.length, 0);
  const stats = pynn.getBackendStatistics().runs[0]!;
  const program = pynn.simulator().lastProgram!;
  await pynn.end();
  return {
    wall_s: (finished - started) / 1000,
    phases: {
      network_s: (built - started) / 1000,
      route_s: stats.wall_ms.route / 1000,
      calibrate_s: stats.wall_ms.calibrate / 1000,
      build_program_s: stats.wall_ms.build / 1000,
      execute_s: stats.wall_ms.execute / 1000,
      results_s: (finished - ran) / 1000 + (ran - built) / 1000 - (stats.wall_ms.route + stats.wall_ms.calibrate + stats.wall_ms.build + stats.wall_ms.execute) / 1000,
      instructions: program.instructionCount,
    },
    spikes,
    program,
  };
}

const REPETITIONS = 7;

export const benchmarks: Benchmark[] = [
  {
    name: 'pynn.network',
    async run(): Promise<BenchRecord[]> {
      const fanIn = largestFanIn(routeNetwork, RoutingError);
      await pynnRun(fanIn); // warm-up: module loading and JIT
      const runs: Awaited<ReturnType<typeof pynnRun>>[] = [];
      const bare: number[] = [];
      for (let k = 0; k < REPETITIONS; k++) {
        const full = await pynnRun(fanIn);
        runs.push(full);
        // The simulator's own work on both sides: making the chip (pynn makes its built-in one inside setup → getData)
        // and running the program.
        const started = performance.now();
        const connection = connectInProcess({ seed: CHIP_SEED });
        await runProgram(connection, full.program);
        bare.push((performance.now() - started) / 1000);
        await connection.close();
      }
      const ratios = runs.map((r, k) => r.wall_s / bare[k]!);
      const full = runs[0]!;
      const inputs = { neurons: CHIP_FILLING_NEURONS, fan_in: fanIn, network_seed: CHIP_FILLING_SEED, chip_seed: CHIP_SEED, duration_ms: DURATION_MS, i_offset_nA: I_OFFSET_NA, spikes: full.spikes, calibration: 'nominal', repetitions: REPETITIONS };
      return [
        { name: 'pynn.network.run', value: round(median(runs.map((r) => r.wall_s))), unit: 's', inputs, phases: roundAll(full.phases) },
        { name: 'pynn.network.bare', value: round(median(bare)), unit: 's', inputs },
        { name: 'pynn.network.overhead', value: round(median(ratios)), unit: 'x', inputs, ratios: ratios.map(round) },
      ];
    },
  },
];


function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function roundAll(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round(v)]));
}
