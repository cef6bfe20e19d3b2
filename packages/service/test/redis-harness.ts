// The Redis tests' harness: a real redis-server (RedisServer) and chip-worker processes running the built
// package. Tests that need Redis skip, saying why, when redis-server is not installed.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REDIS_SERVER, RedisServer, redisServerAvailable } from '../src/node/jobs/redis-server.js';

export { RedisServer as RedisHarness };

export const redisAvailable: boolean = redisServerAvailable();
if (!redisAvailable) console.warn(`SKIPPED: the Redis tests need ${REDIS_SERVER} (Debian package redis-server: apt-get install -y redis-server)`);

/** The built worker entry (dist): worker processes and their experiment threads run the compiled package, as `bss2 service worker` does. */
const builtEntry = new URL('../dist/node/index.js', import.meta.url);

/** A chip-worker process (child of the test) and the events it reports, one JSON line each. */
export class WorkerProcess {
  readonly events: { kind: string; jobId?: string; name?: string; message?: string }[] = [];
  private readonly exited: Promise<unknown>;

  private constructor(readonly child: ChildProcess) {
    this.exited = once(child, 'exit');
  }

  /** Starts `node` running startChipWorkers(options) from the built package; resolves once it takes jobs. */
  static async start(options: Record<string, unknown>): Promise<WorkerProcess> {
    if (!existsSync(builtEntry)) throw new Error(`${fileURLToPath(builtEntry)} is missing: build the package first (pnpm build --filter=@bss2/service...)`);
    const script = [
      `const { startChipWorkers } = await import(${JSON.stringify(builtEntry.href)});`,
      `const pool = await startChipWorkers({ ...JSON.parse(process.env.BSS2_WORKER_OPTIONS), onEvent: (event) => process.stdout.write(JSON.stringify(event) + '\\n') });`,
      `process.stdout.write(JSON.stringify({ kind: 'ready' }) + '\\n');`,
      `process.on('SIGTERM', () => void pool.close().then(() => process.exit(0)));`,
    ].join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'bss2-worker-'));
    writeFileSync(join(dir, 'worker.mjs'), script);
    const child = spawn(process.execPath, [join(dir, 'worker.mjs')], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BSS2_WORKER_OPTIONS: JSON.stringify(options) } });
    const worker = new WorkerProcess(child);
    child.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) if (line.trim() !== '') worker.events.push(JSON.parse(line) as WorkerProcess['events'][number]);
    });
    await worker.until((events) => events.some((e) => e.kind === 'ready'));
    return worker;
  }

  /** Resolves when `condition` holds for the events so far (checked as they arrive); rejects if the process exits first. */
  async until(condition: (events: WorkerProcess['events']) => boolean): Promise<void> {
    while (!condition(this.events)) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`the worker process exited (${this.child.exitCode ?? this.child.signalCode}) before the awaited event`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
  }
}

/** A tiny experiment (two neurons, 20 ms, nominal calibration): a job takes a fraction of a second. */
export function tinyExperiment(): Record<string, unknown> {
  return {
    name: 'tiny',
    setup: { chipSeed: 1, idealChip: true, calibration: 'nominal', seed: 0 },
    populations: [
      { label: 'input', size: 1, cellType: 'SpikeSourceArray', parameters: { spike_times: [2, 4, 6, 8] }, record: ['spikes'] },
      { label: 'neuron', size: 2, cellType: 'IF_curr_exp', parameters: { tau_m: 10, tau_syn_E: 5, v_thresh: -55 }, record: ['spikes'] },
    ],
    projections: [{ pre: 'input', post: 'neuron', connector: { type: 'AllToAll' }, synapse: { weight: 40 }, receptorType: 'excitatory' }],
    duration_ms: 20,
  };
}

/** What two runs of the same experiment share: everything but the wall-clock durations and timing statistics. */
export function withoutDurations(json: string): unknown {
  const { durations: _durations, statistics: _statistics, ...rest } = JSON.parse(json) as Record<string, unknown>;
  return rest;
}
