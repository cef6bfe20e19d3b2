// Runs the benchmarks of one bench file whose names start with a filter; adds machine facts.
import { pathToFileURL } from 'node:url';
import { machine, type Benchmark } from './src/index.js';

const [file, filter = ''] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: exec.ts <file.bench.ts> [name-prefix]');
  process.exit(2);
}
const module = (await import(pathToFileURL(file).href)) as { benchmarks?: Benchmark[] };
if (!Array.isArray(module.benchmarks)) {
  console.error(`${file}: exports no 'benchmarks' array`);
  process.exit(2);
}
const facts = machine();
for (const bench of module.benchmarks) {
  if (!bench.name.startsWith(filter)) continue;
  for (const record of await bench.run()) {
    console.log(JSON.stringify({ ...record, machine: facts }));
  }
}
