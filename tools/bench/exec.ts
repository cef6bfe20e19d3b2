// Runs the benchmarks of one bench file whose names start with a filter, passing them the options that follow;
// adds machine facts.
import { pathToFileURL } from 'node:url';
import { machine, type Benchmark } from './src/index.js';

const [file, filter = '', ...options] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: exec.ts <file.bench.ts> [name-prefix] [options…]');
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
  try {
    for (const record of await bench.run(options)) {
      console.log(JSON.stringify({ ...record, machine: facts }));
    }
  } catch (error) {
    // Reported here rather than left unhandled: tfjs' wasm backend rethrows unhandled rejections with its whole
    // minified source attached. The file's other benchmarks still run; the exit code says one failed.
    console.error(`${bench.name} failed:`, error);
    process.exitCode = 1;
  }
}
