// A one-node Slurm cluster for tests, from Debian's slurm-wlm and munge started as plain child processes (no
// systemd, nothing under /etc or /run): a fresh temp dir holds the munge key, munged's socket, slurm.conf, the
// state, spool, pid and log files. slurmctld and slurmd run in the foreground with SLURM_CONF pointing at that
// slurm.conf; clients (sbatch, sinfo, squeue) reach this cluster only with `cluster.env`.
// Root only: slurmd launches each job as its submitting user, and the daemons run as SlurmUser=root rather than
// a `slurm` account. stop() kills everything and removes the dir; an exit handler kills the daemons if a test run
// dies first.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { accessSync, chmodSync, closeSync, constants, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freeLoopbackPort } from '@bss2/service/node';

/** The Debian packages that provide every binary the harness runs. */
export const SLURM_DEBIAN_PACKAGES = 'slurm-wlm munge';

/** Binaries the harness runs: the daemons, and the clients it polls and cancels with. */
const BINARIES = ['munged', 'slurmctld', 'slurmd', 'sinfo', 'squeue', 'scancel', 'sbatch'] as const;
type Binary = (typeof BINARIES)[number];

/** Start-up fails with this (naming the daemon and its log) instead of hanging. */
export class SlurmClusterError extends Error {
  override readonly name = 'SlurmClusterError';
}

export type SlurmAvailability = { readonly available: true; readonly binaries: Readonly<Record<Binary, string>> } | { readonly available: false; readonly reason: string };

/** `name` on $PATH or in the sbin dirs (a non-login root shell may lack /usr/sbin), as an absolute path. */
function findBinary(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'].filter((d) => d !== '');
  for (const dir of dirs) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not in this dir
    }
  }
  return undefined;
}

/** Whether a local cluster can start here: root, and every binary of slurm-wlm and munge present. */
export function slurmClusterAvailability(): SlurmAvailability {
  const found: Partial<Record<Binary, string>> = {};
  const missing: string[] = [];
  for (const name of BINARIES) {
    const path = findBinary(name);
    if (path === undefined) missing.push(name);
    else found[name] = path;
  }
  if (missing.length > 0) return { available: false, reason: `${missing.join(', ')} not found (Debian packages ${SLURM_DEBIAN_PACKAGES}: apt-get install -y ${SLURM_DEBIAN_PACKAGES})` };
  const uid = process.getuid?.();
  if (uid !== 0) return { available: false, reason: `a local Slurm needs root (slurmd launches jobs as their user); running as uid ${uid ?? 'unknown'}` };
  return { available: true, binaries: found as Record<Binary, string> };
}

/** This host as slurmd sees it (`slurmd -C`): its node name and CPU layout, the node line of slurm.conf. */
function nodeHardware(slurmd: string): { nodeName: string; layout: string } {
  const probe = spawnSync(slurmd, ['-C'], { encoding: 'utf8', timeout: 30_000 });
  const first = probe.stdout?.split('\n')[0] ?? '';
  const fields = new Map(first.split(/\s+/).filter((f) => f.includes('=')).map((f) => f.split('=', 2) as [string, string]));
  const nodeName = fields.get('NodeName');
  if (probe.status !== 0 || nodeName === undefined || !fields.has('CPUs')) {
    throw new SlurmClusterError(`slurmd -C did not report this node (exit ${probe.status}): ${first || probe.stderr}`);
  }
  // RealMemory is left out: a node reporting less than configured would be drained.
  const layout = ['CPUs', 'Boards', 'SocketsPerBoard', 'CoresPerSocket', 'ThreadsPerCore'].flatMap((k) => (fields.has(k) ? [`${k}=${fields.get(k)}`] : [])).join(' ');
  return { nodeName, layout };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Children still running, killed if the process exits without stop() (a crashed or interrupted test run). */
const liveChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

export interface SlurmClusterOptions {
  /** How long to wait for munged's socket and for the node to be idle (default 90 s: a loaded machine is slow). */
  readonly startTimeout_ms?: number;
  readonly partition?: string;
}

export class SlurmCluster {
  private readonly children = new Map<string, ChildProcess>();
  private stopped = false;
  /** Wall time from start() to the node reporting idle. */
  startup_ms = 0;

  private constructor(
    readonly dir: string,
    /** Absolute paths of the daemons and clients (sbatch, sinfo, squeue, scancel) this cluster was started with. */
    readonly binaries: Readonly<Record<Binary, string>>,
    readonly nodeName: string,
    readonly partition: string,
  ) {}

  /** slurm.conf of this cluster; give clients `env` (SLURM_CONF) to talk to it. */
  get conf(): string {
    return join(this.dir, 'slurm.conf');
  }

  /** The environment for sbatch, sinfo, squeue…: the current one with SLURM_CONF set to this cluster. */
  get env(): NodeJS.ProcessEnv {
    return { ...process.env, SLURM_CONF: this.conf };
  }

  /** Starts munged, slurmctld and slurmd in a new temp dir on free ports; resolves when the node is idle. */
  static async start(options: SlurmClusterOptions = {}): Promise<SlurmCluster> {
    const availability = slurmClusterAvailability();
    if (!availability.available) throw new SlurmClusterError(`cannot start a local Slurm: ${availability.reason}`);
    const began = performance.now();
    const { nodeName, layout } = nodeHardware(availability.binaries.slurmd);
    const dir = mkdtempSync(join(tmpdir(), 'bss2-slurm-'));
    // munged refuses a socket whose parent dirs are not searchable by everyone (mkdtemp makes 0700).
    chmodSync(dir, 0o711);
    const cluster = new SlurmCluster(dir, availability.binaries, nodeName, options.partition ?? 'bss2');
    try {
      await cluster.launch(layout, options.startTimeout_ms ?? 90_000);
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    cluster.startup_ms = performance.now() - began;
    return cluster;
  }

  private async launch(layout: string, timeout_ms: number): Promise<void> {
    const { dir } = this;
    for (const sub of ['state', 'spool', 'log']) mkdirSync(join(dir, sub), { mode: 0o700 });
    mkdirSync(join(dir, 'munge'), { mode: 0o711 }); // searchable, like the top dir: it holds munged's socket
    const key = join(dir, 'munge', 'munge.key');
    writeFileSync(key, randomBytes(128), { mode: 0o400 }); // what `mungekey` makes: 1024 random bits
    const socket = join(dir, 'munge', 'munge.socket');
    this.spawnDaemon('munged', this.binaries.munged, ['--foreground', `--socket=${socket}`, `--key-file=${key}`, `--pid-file=${join(dir, 'munge', 'munged.pid')}`, `--log-file=${join(dir, 'log', 'munged.log')}`, `--seed-file=${join(dir, 'munge', 'munged.seed')}`]);
    await this.waitFor('munged to create its socket', timeout_ms, () => existsSync(socket));

    const [controllerPort, daemonPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
    writeFileSync(
      this.conf,
      [
        '# A one-node test cluster written by tools/testing/slurm-cluster.ts.',
        'ClusterName=bss2test',
        'SlurmctldHost=localhost',
        `SlurmctldPort=${controllerPort}`,
        `SlurmdPort=${daemonPort}`,
        'SlurmUser=root',
        'SlurmdUser=root',
        'AuthType=auth/munge',
        'CredType=cred/munge',
        `AuthInfo=socket=${socket}`,
        'ProctrackType=proctrack/linuxproc',
        'TaskPlugin=task/none',
        'SelectType=select/cons_tres',
        'SelectTypeParameters=CR_Core',
        'SwitchType=switch/none',
        'MpiDefault=none',
        'JobCompType=jobcomp/none',
        'JobAcctGatherType=jobacct_gather/none',
        'AccountingStorageType=accounting_storage/none',
        'MailProg=/bin/true',
        'ReturnToService=2',
        // sbatch --wait polls every 2 s while 2 s < MinJobAge/2 fails, instead of backing off to 32 s (the default
        // MinJobAge=300 makes a 20 s array wait 42 s); a finished job stays listed 4 s, two polls.
        'MinJobAge=4',
        `StateSaveLocation=${join(dir, 'state')}`,
        `SlurmdSpoolDir=${join(dir, 'spool')}`,
        `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
        `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
        `SlurmctldLogFile=${join(dir, 'log', 'slurmctld.log')}`,
        `SlurmdLogFile=${join(dir, 'log', 'slurmd.log')}`,
        `NodeName=${this.nodeName} NodeAddr=127.0.0.1 ${layout} State=UNKNOWN`,
        `PartitionName=${this.partition} Nodes=${this.nodeName} Default=YES MaxTime=INFINITE State=UP`,
        '',
      ].join('\n'),
    );
    this.spawnDaemon('slurmctld', this.binaries.slurmctld, ['-D']);
    this.spawnDaemon('slurmd', this.binaries.slurmd, ['-D', '-N', this.nodeName]);
    await this.waitFor(`node ${this.nodeName} to be idle in sinfo`, timeout_ms, () => this.nodeState() === 'idle');
  }

  /** A daemon in the foreground, its output appended to log/<name>.out (a file: no pipe to fill). */
  private spawnDaemon(name: string, binary: string, args: readonly string[]): void {
    const output = openSync(join(this.dir, 'log', `${name}.out`), 'a');
    const child = spawn(binary, args, { env: this.env, stdio: ['ignore', output, output] });
    closeSync(output);
    this.children.set(name, child);
    liveChildren.add(child);
    child.once('exit', () => liveChildren.delete(child));
  }

  /** The node's state as sinfo reports it (`idle`, `down*`, `unknown`…), or undefined while slurmctld is not answering. */
  nodeState(): string | undefined {
    const sinfo = spawnSync(this.binaries.sinfo, ['--noheader', '--Node', '--format=%T'], { env: this.env, encoding: 'utf8', timeout: 15_000 });
    return sinfo.status === 0 ? sinfo.stdout.trim() : undefined;
  }

  /** Polls `ready` until true; fails early, with the daemon's output, when a daemon exits. */
  private async waitFor(what: string, timeout_ms: number, ready: () => boolean): Promise<void> {
    const deadline = performance.now() + timeout_ms;
    for (;;) {
      for (const [name, child] of this.children) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new SlurmClusterError(`${name} exited (${child.exitCode ?? child.signalCode}) while waiting for ${what}:\n${this.logTail(name)}`);
        }
      }
      if (ready()) return;
      if (performance.now() > deadline) throw new SlurmClusterError(`timed out after ${timeout_ms} ms waiting for ${what}:\n${[...this.children.keys()].map((n) => this.logTail(n)).join('\n')}`);
      await sleep(200);
    }
  }

  /** The last lines a daemon wrote (its foreground output), for error messages. */
  logTail(name: string, lines = 15): string {
    const file = join(this.dir, 'log', `${name}.out`);
    if (!existsSync(file)) return `${name}: no output`;
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).map((l) => `${name}| ${l}`).join('\n');
  }

  /** Cancels any job still queued or running (its slurmstepd would outlive slurmd), kills the daemons, removes the dir. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const controller = this.children.get('slurmctld');
    if (controller !== undefined && controller.exitCode === null && controller.signalCode === null) {
      const jobs = spawnSync(this.binaries.squeue, ['--noheader', '--format=%A'], { env: this.env, encoding: 'utf8', timeout: 15_000 });
      const ids = jobs.status === 0 ? jobs.stdout.split('\n').filter((l) => l.trim() !== '') : [];
      if (ids.length > 0) {
        spawnSync(this.binaries.scancel, ['--full', ...ids], { env: this.env, timeout: 15_000 });
        const deadline = performance.now() + 15_000;
        while (performance.now() < deadline) {
          const left = spawnSync(this.binaries.squeue, ['--noheader', '--states=RUNNING,COMPLETING', '--format=%A'], { env: this.env, encoding: 'utf8', timeout: 15_000 });
          if (left.status !== 0 || left.stdout.trim() === '') break;
          await sleep(250);
        }
      }
    }
    // slurmd and slurmctld before munged, whose socket they use while shutting down.
    for (const name of ['slurmd', 'slurmctld', 'munged']) {
      const child = this.children.get(name);
      if (child === undefined || child.exitCode !== null || child.signalCode !== null) continue;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
