// `bss2 sweep` as users run it: through the jobs API (a real Redis, a `bss2 service worker` process) with results per
// point, summary.json, the table and summary.svg; a bad grid path refused before anything is enqueued; --slurm's
// point files and job array, run on a local Slurm when one is installed.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisServerAvailable } from '@bss2/service/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobsStack } from '../testing/jobs-stack.js';
import { SlurmCluster, slurmClusterAvailability } from '../testing/slurm-cluster.js';
import { bss2 } from './bss2-cli.js';

const out = mkdtempSync(join(tmpdir(), 'bss2-sweep-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const available = redisServerAvailable();
if (!available) console.warn('SKIPPED: bss2 sweep tests through the jobs API need redis-server (Debian package redis-server: apt-get install -y redis-server)');
const slurm = slurmClusterAvailability();
if (!slurm.available) console.warn(`SKIPPED: running the --slurm job array on a local Slurm: ${slurm.reason}; only the written files are checked`);

const FILE = 'test-fixtures/experiments/single-neuron.json';

describe('bss2 sweep: checks and --slurm', () => {
  it('a grid path that does not exist, or a value the schema refuses, exits 2 naming the path', async () => {
    const missing = await bss2(['sweep', FILE, '--grid', 'populations[7].cellParams.tau_m=5,10', '--slurm', '--out', join(out, 'missing')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("SweepGridError: grid path 'populations[7].cellParams.tau_m': populations[7] does not exist (the array has 2 element(s))");
    const refused = await bss2(['sweep', FILE, '--grid', 'populations[1].cellParams.tau_m=5,fast', '--slurm', '--out', join(out, 'refused')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("sweep point 1 (populations[1].cellParams.tau_m=\"fast\") is not a valid experiment at grid path 'populations[1].cellParams.tau_m'");
    expect(refused.stderr).toContain('populations[1].parameters.tau_m: expected a number');
    expect(existsSync(join(out, 'missing'))).toBe(false);
    expect(existsSync(join(out, 'refused'))).toBe(false);
  });

  it('--slurm writes one point file per grid point and an sbatch job array over them', async () => {
    const dir = join(out, 'slurm');
    const { code, stdout } = await bss2(['sweep', FILE, '--grid', 'populations[1].cellParams.tau_m=5,10', '--grid', 'setup.seed=1,2,3', '--slurm', '--out', dir]);
    expect(code).toBe(0);
    expect(stdout).toContain(`single-neuron: 6 point file(s) and ${join(dir, 'sweep.sbatch')}`);
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['point-0.json', 'point-1.json', 'point-2.json', 'point-3.json', 'point-4.json', 'point-5.json', 'sweep.sbatch']);
    const point4 = JSON.parse(readFileSync(join(dir, 'point-4.json'), 'utf8')) as { name: string; setup: { seed: number }; populations: { parameters: { tau_m: number } }[] };
    expect(point4.name).toBe('single-neuron.point-4');
    expect(point4.populations[1]!.parameters.tau_m).toBe(10);
    expect(point4.setup.seed).toBe(2);
    const script = readFileSync(join(dir, 'sweep.sbatch'), 'utf8');
    expect(script).toMatch(/^#!\/bin\/bash\n/);
    expect(script).toContain('#SBATCH --array=0-5\n');
    expect(script).toContain(`#SBATCH --chdir=${dir}\n`);
    expect(script).toMatch(/ run "point-\$\{SLURM_ARRAY_TASK_ID\}\.json" --out "point-\$\{SLURM_ARRAY_TASK_ID\}"\n/);
  });

  describe.skipIf(!slurm.available)('on a local Slurm (slurm-wlm and munge as plain processes)', () => {
    let cluster: SlurmCluster;
    beforeAll(async () => {
      cluster = await SlurmCluster.start();
      console.log(`local Slurm (node ${cluster.nodeName}) idle ${Math.round(cluster.startup_ms)} ms after start`);
    }, 120_000);
    afterAll(async () => cluster?.stop());

    it('sbatch --wait runs the job array: one results folder per point, the spikes bss2 run gives for that point', async () => {
      const dir = join(out, 'slurm-run');
      const tau_m = [5, 10, 20];
      expect((await bss2(['sweep', FILE, '--grid', `populations[1].cellParams.tau_m=${tau_m.join(',')}`, '--slurm', '--out', dir])).code).toBe(0);
      // The array on the cluster and the same points through `bss2 run` side by side.
      const [submitted, ...references] = await Promise.all([
        run(cluster.binaries.sbatch, ['--wait', join(dir, 'sweep.sbatch')], cluster.env, 240_000),
        ...tau_m.map((_, k) => bss2(['run', join(dir, `point-${k}.json`), '--out', join(out, 'slurm-reference', `point-${k}`)])),
      ]);
      const logs = tau_m.map((_, k) => (existsSync(join(dir, `point-${k}.log`)) ? readFileSync(join(dir, `point-${k}.log`), 'utf8') : '(no log)'));
      expect(submitted.code, `sbatch: ${submitted.stdout}${submitted.stderr}\n${logs.join('\n')}`).toBe(0);
      expect(submitted.stdout).toMatch(/^Submitted batch job \d+\n$/);
      for (const [k, reference] of references.entries()) {
        expect(reference.code, reference.stderr).toBe(0);
        const fromSlurm = spikesOf(join(dir, `point-${k}`, 'results.json'));
        const fromRun = spikesOf(join(out, 'slurm-reference', `point-${k}`, 'results.json'));
        expect(fromSlurm.experiment).toBe(`single-neuron.point-${k}`);
        expect(fromSlurm).toEqual(fromRun);
        // The input's six spikes reach every point; the task's log is `bss2 run`'s summary.
        expect(fromSlurm.spikes.input).toEqual([6]);
        expect(logs[k]).toContain(`written: point-${k}/results.json`);
      }
      for (const file of ['raster.svg', 'traces.svg']) expect(existsSync(join(dir, 'point-2', file))).toBe(true);
    }, 300_000);
  });
});

/** Spike counts and trains per population and segment of a results file (what a point decides; timings left out). */
function spikesOf(file: string): { experiment: string; spikes: Record<string, number[]>; trains: Record<string, number[][]>[] } {
  const results = JSON.parse(readFileSync(file, 'utf8')) as { experiment: string; segments: { populations: Record<string, { spikes: number[][] }> }[] };
  const spikes: Record<string, number[]> = {};
  for (const segment of results.segments) for (const [label, population] of Object.entries(segment.populations)) (spikes[label] ??= []).push(population.spikes.reduce((n, train) => n + train.length, 0));
  const trains = results.segments.map((segment) => Object.fromEntries(Object.entries(segment.populations).map(([label, population]) => [label, population.spikes])));
  return { experiment: results.experiment, spikes, trains };
}

/** A command to its exit with `env`, output collected; killed after `timeout_ms` (said in stderr), never left behind. */
async function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, timeout_ms: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => {
    stderr += `\n${command} killed after ${timeout_ms} ms`;
    child.kill('SIGTERM');
  }, timeout_ms);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

describe.skipIf(!available)('bss2 sweep through the jobs API', () => {
  let stack: JobsStack;

  beforeAll(async () => {
    stack = await JobsStack.start({ user: 'sweeper', chips: 2 });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });


  it('one results folder per point, summary.json, the summary table and summary.svg', async () => {
    const dir = join(out, 'api');
    const { code, stdout, stderr } = await bss2(['sweep', FILE, '--grid', 'populations[1].cellParams.tau_m=5,10,20', '--server', stack.server.url, '--token', stack.token, '--out', dir]);
    expect(stderr).toMatch(/sweep s-[0-9a-f-]{36}, 3 point\(s\) enqueued/);
    expect(code).toBe(0);
    for (const k of [0, 1, 2]) for (const file of ['results.json', 'raster.svg', 'traces.svg']) expect(existsSync(join(dir, `point-${k}`, file))).toBe(true);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as {
      experiment: string;
      points: { index: number; state: string; assignments: Record<string, number>; populations: { label: string; spikes: number; rate_hz: number }[] }[];
    };
    expect(summary.experiment).toBe('single-neuron');
    expect(summary.points.map((p) => [p.index, p.state, p.assignments['populations[1].cellParams.tau_m']])).toEqual([[0, 'completed', 5], [1, 'completed', 10], [2, 'completed', 20]]);
    for (const point of summary.points) {
      const results = JSON.parse(readFileSync(join(dir, `point-${point.index}`, 'results.json'), 'utf8')) as { experiment: string; segments: { populations: { neuron: { spikes: number[][] } } }[] };
      expect(results.experiment).toBe(`single-neuron.point-${point.index}`);
      expect(point.populations.find((p) => p.label === 'neuron')!.spikes).toBe(results.segments[0]!.populations.neuron.spikes[0]!.length);
      // The input's six spikes in 60 ms: 100 Hz.
      expect(point.populations.find((p) => p.label === 'input')).toEqual({ label: 'input', spikes: 6, rate_hz: 100 });
    }
    expect(stdout).toContain('single-neuron: 3 of 3 point(s) completed, 0 failed');
    expect(stdout).toMatch(/2\s*│\s*20\s*│\s*completed\s*│\s*6\s*│\s*100\.0/);
    const svg = readFileSync(join(dir, 'summary.svg'), 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('mean rate (Hz)');
  });
});
