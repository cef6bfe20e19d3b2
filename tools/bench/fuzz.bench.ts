// fuzz.experiments: throughput of the experiment fuzzer (tools/fuzz/experiments.ts) and how its cases ended.
import { type BenchRecord, type Benchmark } from './src/index.js';
import { runExperimentFuzz } from '../fuzz/experiments.js';

const CASES = 200;
const SEED = 1;

export const benchmarks: Benchmark[] = [
  {
    name: 'fuzz.experiments',
    async run(): Promise<BenchRecord[]> {
      const summary = await runExperimentFuzz({ cases: CASES, seed: SEED });
      const inputs = { cases: CASES, seed: SEED, profile: summary.profile };
      const count = (name: string, value: number): BenchRecord => ({ name: `fuzz.experiments.${name}`, value, unit: 'cases', inputs });
      return [
        { name: 'fuzz.experiments.rate', value: summary.cases_per_s, unit: 'cases/s', inputs, slowest_ms: summary.slowest.ms },
        count('results', summary.outcomes.result),
        count('typed', summary.outcomes.typed),
        count('untyped', summary.outcomes.untyped),
        count('hangs', summary.outcomes.hang),
      ];
    },
  },
];
