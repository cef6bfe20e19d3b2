// @bss2/bench: what every `*.bench.ts` needs. The chip-filling network is a second entry
// (`@bss2/bench/chip-filling`) because it needs `@bss2/routing`: the benches of lower layers must not load it, and
// routing is only a peer dependency, since routing's own bench imports this package (a plain dependency would be
// the cycle routing → bench → routing).
export { type BenchRecord, type Benchmark, bestOf, machine } from './benchmark.js';
export { seededUniform } from './random.js';
