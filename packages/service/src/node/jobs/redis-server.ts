// A local Redis for the queue (Debian's redis-server, package redis-server): 127.0.0.1, a free port, its own
// temp dir, the append-only file fsynced on every write (an accepted job survives a kill), no RDB snapshots.
// The tests start one per suite; a developer can start one for `bss2 service worker` and the jobs API.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The redis-server binary: $BSS2_REDIS_SERVER, or Debian's on the PATH. */
export const REDIS_SERVER = process.env.BSS2_REDIS_SERVER ?? 'redis-server';

/** Whether redis-server runs here. */
export function redisServerAvailable(): boolean {
  return spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' }).status === 0;
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it), for servers the tests and tools start. */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export class RedisServer {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts redis-server in a new temp dir on a free port. */
  static async start(): Promise<RedisServer> {
    const harness = new RedisServer(await freeLoopbackPort(), mkdtempSync(join(tmpdir(), 'bss2-redis-')));
    await harness.launch();
    return harness;
  }

  /** (Re)starts the server on this harness's port and dir: after a kill it replays the append-only file. */
  async launch(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--daemonize', 'no', '--logfile', ''];
    const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`redis-server exited with code ${code} before it was ready:\n${output}`));
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          child.stdout!.off('data', onData);
          child.off('exit', onExit);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.once('exit', onExit);
    });
    // Keep draining its log so the pipe never fills.
    child.stdout!.resume();
    child.stderr!.resume();
  }

  /** Kills the server with `signal` (SIGKILL: no shutdown save, the AOF is all that is left). */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.process;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
    this.process = undefined;
  }

  async stop(): Promise<void> {
    await this.kill('SIGTERM');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
