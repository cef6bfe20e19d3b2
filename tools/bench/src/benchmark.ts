import { cpus, totalmem, platform, arch } from 'node:os';

/** One measured figure; printed as one JSON line. */
export interface BenchRecord {
  /** Dotted name, e.g. `stadls.encode`; the filter of `pnpm bench <filter>` matches its start. */
  name: string;
  value: number;
  unit: string;
  inputs: Record<string, unknown>;
  [extra: string]: unknown;
}

/** A benchmark as exported by a `*.bench.ts` file (`export const benchmarks: Benchmark[]`). */
export interface Benchmark {
  name: string;
  /** `options`: the arguments after the filter (`pnpm bench spiking --quick`); most benchmarks take none. */
  run(options: readonly string[]): Promise<BenchRecord[]> | BenchRecord[];
}

export function machine(): Record<string, unknown> {
  const cpuList = cpus();
  return {
    cpu: cpuList[0]?.model ?? 'unknown',
    cores: cpuList.length,
    memory_gib: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${platform()}-${arch()}`,
  };
}

/** Wall time of `fn` in seconds, best of `repeats` after one warm-up call. */
export function bestOf(repeats: number, fn: () => void): number {
  fn();
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    fn();
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return best;
}

/** The median of `values` (the mean of the two middle ones for an even count): the figure of interleaved repetitions. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median() of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
