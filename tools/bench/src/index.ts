// @bss2/bench: what every `*.bench.ts` needs. The chip-filling network is a second entry
// (`@bss2/bench/chip-filling`) because only the routing and PyNN benches use it.
export { type BenchRecord, type Benchmark, bestOf, machine, median } from './benchmark.js';
export { seededUniform } from './random.js';
