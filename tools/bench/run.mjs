#!/usr/bin/env node
// `pnpm bench [filter] [options…]`: builds every package, then runs every benchmark whose name starts with the
// filter, each bench file in its own process; options after the filter go to the benchmarks (`pnpm bench
// spiking --quick`). Benchmarks print one JSON object per line on stdout.
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const [filter = '', ...options] = process.argv.slice(2);

// Build every package the way `pnpm build` does (turbo runs each package's build script: chip-sim compiles its
// WebAssembly engine before tsc), with the binaries of node_modules, so the runner works without pnpm on the PATH.
const build = spawnSync(join(root, 'node_modules', '.bin', 'turbo'), ['run', 'build', '--output-logs=errors-only'], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (build.status !== 0) process.exit(build.status ?? 1);

const benchDirs = [
  ...readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p, 'bench')),
  join(root, 'tools', 'bench'),
];
const files = benchDirs
  .filter((d) => existsSync(d))
  .flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.bench.ts')).map((f) => join(d, f)))
  .sort();

const tsx = join(root, 'node_modules', '.bin', 'tsx');
let failed = 0;
for (const file of files) {
  const result = spawnSync(tsx, [join(root, 'tools', 'bench', 'exec.ts'), file, filter, ...options], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
