#!/usr/bin/env node
// `pnpm bench:brian2 [--rounds N] [--quick]`: the chip-sim network benchmark side by side with Brian2 on the same
// network (test-fixtures/references/bench_network.py, the script that wrote bench_network_spec.json). Builds the
// packages once, then each round runs, interleaved so that load from other processes hits all of them alike:
// `chip-sim.network.step*` (one exec.ts process, its usual fastest-of-repeats figures), Brian2 C++ standalone at
// dt 0.1 ms and 0.01 ms, and Brian2 Cython at dt 0.1 ms; Brian2's figure is the reference script's `wall_per_bio_s`
// (its `run_s`, the 1-s biological run alone, per biological second: code generation and compilation excluded).
// `--rounds N` (default 3); `--quick` runs only step100ns against C++ standalone at 0.1 ms (a smoke run, not a
// figure).
//
// Prints on stdout one JSON line per runner (the median over rounds, `brian2.cpp_standalone.dt0.1` …) and per
// comparison (`chip-sim.network.step100ns.vs_brian2_cpp` …: the ratio of the medians, chip-sim / Brian2), progress
// on stderr. The machine facts are those exec.ts prints with the chip-sim records (@bss2/bench `machine()`).
//
// Needs Debian's Brian2 (`apt-get install -y python3-brian cython3`, with a C++ compiler). The reference script
// writes its build products beside itself (`.build/`: the C++ standalone projects, the Cython cache), so it runs
// from a copy in node_modules/.cache/brian2-side-by-side/: test-fixtures stays clean, and only the first run
// compiles everything (≈ 35 s per C++ project, ≈ 70 s for Cython; later runs ≈ 15 s per invocation).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PYTHON = '/usr/bin/python3';
const REFERENCE = join(root, 'test-fixtures', 'references', 'bench_network.py');
const NETWORK_BENCH = join(root, 'packages', 'chip-sim', 'bench', 'network.bench.ts');
const UNIT = 's wall per biological s';

function settings() {
  const { values } = parseArgs({ options: { rounds: { type: 'string' }, quick: { type: 'boolean' } }, strict: true });
  const rounds = values.rounds ?? '3';
  if (!/^\d+$/.test(rounds) || Number(rounds) < 1) usage(`--rounds takes a whole number ≥ 1, got '${rounds}'`);
  return { rounds: Number(rounds), quick: values.quick === true };
}

function usage(message) {
  console.error(`bench:brian2: ${message}\nusage: pnpm bench:brian2 [--rounds N] [--quick]`);
  process.exit(2);
}

function fail(message, details = '') {
  console.error(`bench:brian2: ${message}${details === '' ? '' : `\n${details}`}`);
  process.exit(1);
}

let options;
try {
  options = settings();
} catch (error) {
  usage(error.message);
}

if (spawnSync(PYTHON, ['-c', 'import brian2'], { stdio: 'ignore' }).status !== 0) {
  console.error(
    `bench:brian2: Brian2 is not importable by ${PYTHON} (\`${PYTHON} -c 'import brian2'\` failed).\n` +
      'Install Debian\'s Brian2 and Cython: `apt-get install -y python3-brian cython3` (and a C++ compiler, e.g. g++), then run again.',
  );
  process.exit(2);
}

// As tools/bench/run.mjs: every package built the way `pnpm build` does, with the binaries of node_modules; turbo's
// report goes to stderr, so that stdout carries the JSON lines alone.
const build = spawnSync(join(root, 'node_modules', '.bin', 'turbo'), ['run', 'build', '--output-logs=errors-only'], {
  cwd: root,
  stdio: ['ignore', process.stderr, process.stderr],
});
if (build.status !== 0) process.exit(build.status ?? 1);

const workDir = join(root, 'node_modules', '.cache', 'brian2-side-by-side');
const script = join(workDir, 'bench_network.py');
mkdirSync(workDir, { recursive: true });
const reference = readFileSync(REFERENCE, 'utf8');
if (!existsSync(script) || readFileSync(script, 'utf8') !== reference) writeFileSync(script, reference);

/** Runs a command to completion; on failure shows its output and ends the tool. */
function run(label, command, args) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    fail(`${label} failed (${result.error?.message ?? `exit ${result.status}`}): ${command} ${args.join(' ')}`, (result.stderr ?? '').split('\n').slice(-30).join('\n'));
  }
  return result.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

function brian2(target, dt_ms) {
  const name = `brian2.${target}.dt${dt_ms}`;
  const args = ['--sim', 'brian2', '--model', 'lif', '--dt', String(dt_ms), '--target', target];
  return {
    name,
    command: `${PYTHON} ${relative(root, REFERENCE)} ${args.join(' ')}`,
    measure() {
      const [result] = run(`Brian2 ${target} at dt ${dt_ms} ms`, PYTHON, [script, ...args]);
      if (typeof result?.wall_per_bio_s !== 'number') fail(`the reference script printed no wall_per_bio_s for ${target} at dt ${dt_ms} ms`);
      return { [name]: { ...result, value: result.wall_per_bio_s } };
    },
  };
}

const chipSimFilter = options.quick ? 'chip-sim.network.step100ns' : 'chip-sim.network.step';
const runners = [
  {
    name: 'chip-sim',
    measure() {
      const tsx = join(root, 'node_modules', '.bin', 'tsx');
      const records = run('the chip-sim network benchmark', tsx, [join(root, 'tools', 'bench', 'exec.ts'), NETWORK_BENCH, chipSimFilter]);
      return Object.fromEntries(records.map((record) => [record.name, record]));
    },
  },
  brian2('cpp_standalone', 0.1),
  ...(options.quick ? [] : [brian2('cpp_standalone', 0.01), brian2('cython', 0.1)]),
];

/** Per figure name, the record of each round (chip-sim: its bench record; Brian2: the script's JSON line). */
const rounds = new Map();
for (let round = 1; round <= options.rounds; round++) {
  for (const runner of runners) {
    const start = performance.now();
    const figures = runner.measure();
    for (const [name, record] of Object.entries(figures)) {
      rounds.set(name, [...(rounds.get(name) ?? []), record]);
      console.error(`round ${round}/${options.rounds}: ${name} ${record.value.toPrecision(3)} ${UNIT} (${((performance.now() - start) / 1000).toFixed(0)} s wall)`);
    }
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const machine = [...rounds.values()].flat().find((record) => record.machine !== undefined)?.machine;
const valuesOf = (name) => rounds.get(name).map((record) => record.value);
const summary = (name) => ({ median: median(valuesOf(name)), per_round: valuesOf(name) });
const print = (record) => console.log(JSON.stringify({ ...record, machine }));

for (const runner of runners.filter((r) => r.name.startsWith('brian2.'))) {
  const records = rounds.get(runner.name);
  const last = records.at(-1);
  print({
    name: runner.name,
    value: median(valuesOf(runner.name)),
    unit: UNIT,
    inputs: {
      runner: runner.command,
      statistic: 'median over rounds of one run each: wall_per_bio_s, the 1-s biological run alone (code generation and compilation excluded)',
      rounds: options.rounds,
      per_round: valuesOf(runner.name),
      brian2: last.version,
      python: last.python,
    },
    spikes: last.spikes_total,
    synaptic_events: last.syn_events,
    input_spikes: last.input_spikes,
  });
}

const comparisons = [
  ['chip-sim.network.step100ns', 'brian2.cpp_standalone.dt0.1', 'vs_brian2_cpp'],
  ['chip-sim.network.step10ns', 'brian2.cpp_standalone.dt0.01', 'vs_brian2_cpp'],
  ['chip-sim.network.step100ns', 'brian2.cython.dt0.1', 'vs_brian2_cython'],
];
for (const [chipSim, reference, suffix] of comparisons) {
  if (!rounds.has(chipSim) || !rounds.has(reference)) continue;
  const chipRecord = rounds.get(chipSim).at(-1);
  const referenceRecord = rounds.get(reference).at(-1);
  print({
    name: `${chipSim}.${suffix}`,
    value: median(valuesOf(chipSim)) / median(valuesOf(reference)),
    unit: 'ratio of wall times per biological s (chip-sim / Brian2), medians over rounds',
    inputs: {
      rounds: options.rounds,
      [chipSim]: { ...summary(chipSim), statistic: 'per round the benchmark record: fastest of its repeats after a warm-up run' },
      [reference]: { ...summary(reference), statistic: 'per round one run: wall_per_bio_s of the reference script' },
      workload: {
        [chipSim]: { spikes: chipRecord.spikes, synaptic_events: chipRecord.synaptic_events },
        [reference]: { spikes: referenceRecord.spikes_total, synaptic_events: referenceRecord.syn_events },
      },
      chip_sim_differences: chipRecord.inputs?.differences,
    },
  });
}
