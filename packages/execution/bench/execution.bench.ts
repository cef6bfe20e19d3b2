// `execution.batch.*` (issue 12): a batch of 100 entries of a 256 → 256 feed-forward network, 30 ms (biological,
// = 30 µs of chip time) each, the 256 sources firing 20 Hz Poisson trains, through `Executor.runBatch`, against
// the bare simulator executing the very programs the batch built. The batch runs twice with new inputs (the first
// routes and warms up); the bare replay runs the programs of both batches on a fresh chip of the same seed and
// times those of the second, so it does the same work on the same chip state. Three interleaved rounds; the
// figure is the median ratio, and `host_s` the executor's own time (route, calibrate, build, decode).
// Calibration: nominal.
import { type BenchRecord, type Benchmark, median, seededUniform } from '@bss2/bench';
import { spikingTarget } from '@bss2/calibration';
import { connectInProcess } from '@bss2/hxcomm/in-process';
import { run as runProgram } from '@bss2/stadls';
import { Executor, type NetworkGraph, type RunRequest, neuronTarget } from '../src/index.js';

const SIZE = 256;
const ENTRIES = 100;
const DURATION_US = 30;
/** 20 Hz biological = 20 kHz of chip time. */
const RATE_PER_US = 20e3 / 1e6;
const CONNECTION_PROBABILITY = 0.1;
const CHIP_SEED = 1;
const NETWORK_SEED = 12;

function network(): NetworkGraph {
  const uniform = seededUniform(NETWORK_SEED);
  const connections: { pre: number; post: number; weight: number }[] = [];
  for (let pre = 0; pre < SIZE; pre++) for (let post = 0; post < SIZE; post++) if (uniform() < CONNECTION_PROBABILITY) connections.push({ pre, post, weight: 1 + Math.floor(uniform() * 63) });
  return {
    populations: [
      { kind: 'external', name: 'input', size: SIZE },
      { kind: 'neurons', name: 'hidden', size: SIZE, neurons: { kind: 'calibrated', target: neuronTarget(spikingTarget) }, recordSpikes: true },
    ],
    projections: [{ name: 'input→hidden', pre: 'input', post: 'hidden', receptor: 'excitatory', connections }],
  };
}

/** Entries with Poisson trains drawn on the host (as a training front end hands them over). */
function entries(seed: number): RunRequest[] {
  const uniform = seededUniform(seed);
  return Array.from({ length: ENTRIES }, () => ({
    duration_us: DURATION_US,
    inputs: {
      input: {
        kind: 'array' as const,
        times_us: Array.from({ length: SIZE }, () => {
          const times: number[] = [];
          for (let t = -Math.log(1 - uniform()) / RATE_PER_US; t < DURATION_US; t += -Math.log(1 - uniform()) / RATE_PER_US) times.push(t);
          return times;
        }),
      },
    },
  }));
}

const ROUNDS = 3;

/** One round: an executor on a fresh chip runs a warm-up batch and the measured one; then the bare replay. */
async function round(graph: NetworkGraph) {
  const connection = connectInProcess({ seed: CHIP_SEED });
  const executor = new Executor({ connection, calibration: 'nominal' });
  const warm = await executor.runBatch(graph, entries(1));
  const started = performance.now();
  const batch = await executor.runBatch(graph, entries(2));
  const batch_s = (performance.now() - started) / 1000;
  await connection.close();
  const bare = connectInProcess({ seed: CHIP_SEED });
  for (const program of warm.programs) await runProgram(bare, program);
  const bareStarted = performance.now();
  for (const program of batch.programs) await runProgram(bare, program);
  const bare_s = (performance.now() - bareStarted) / 1000;
  await bare.close();
  return { batch, batch_s, bare_s };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'execution.batch',
    async run(): Promise<BenchRecord[]> {
      const graph = network();
      const rounds = [];
      for (let r = 0; r < ROUNDS; r++) rounds.push(await round(graph));
      const ratios = rounds.map((r) => r.batch_s / r.bare_s);
      const { batch } = rounds[0]!;
      const spikes = batch.entries.reduce((n, e) => n + (e.spikes.get('hidden')?.index.length ?? 0), 0);
      const inputs = batch.entries.reduce((n, e) => n + e.inputCount, 0);
      const parameters = {
        entries: ENTRIES,
        sources: SIZE,
        neurons: SIZE,
        connections: graph.projections[0]!.connections.length,
        duration_ms: DURATION_US,
        rate_hz: RATE_PER_US * 1e3,
        chip_seed: CHIP_SEED,
        calibration: 'nominal',
        programs: batch.programs.length,
        input_spikes: inputs,
        output_spikes: spikes,
        rounds: ROUNDS,
      };
      const host_s = rounds.map((r) => (r.batch.wall_ms.route + r.batch.wall_ms.calibrate + r.batch.wall_ms.build + r.batch.wall_ms.decode) / 1000);
      const batch_s = median(rounds.map((r) => r.batch_s));
      return [
        {
          name: 'execution.batch.overhead',
          value: round3(median(ratios)),
          unit: 'x',
          inputs: parameters,
          ratios: ratios.map(round3),
          batch_s: round3(batch_s),
          bare_s: round3(median(rounds.map((r) => r.bare_s))),
          host_s: round3(median(host_s)),
        },
        { name: 'execution.batch.entries_per_s', value: round3(ENTRIES / batch_s), unit: 'entries/s', inputs: parameters },
      ];
    },
  },
];


function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
