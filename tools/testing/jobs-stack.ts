// The batch-job stack as a user runs it, for the CLI tests: a real Redis on 127.0.0.1, a `bss2 service worker`
// process taking jobs from it, and the jobs API with a fresh key pair and a token for one user.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { generateServiceKeys, issueToken } from '@bss2/service';
import { ExperimentQueue, type JobsApiServer, RedisServer, serveJobsApi } from '@bss2/service/node';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));

export class JobsStack {
  private constructor(
    readonly redis: RedisServer,
    readonly worker: ChildProcess,
    readonly queue: ExperimentQueue,
    readonly server: JobsApiServer,
    /** A token of `user`, signed by the key pair the jobs API trusts. */
    readonly token: string,
  ) {}

  /** Starts Redis, a worker with `chips` chips (resolves once it reports that it takes jobs), and the jobs API. */
  static async start(options: { user: string; chips?: number }): Promise<JobsStack> {
    const redis = await RedisServer.start();
    const worker = spawn(tsx, ['tools/cli/bss2.ts', 'service', 'worker', '--redis', redis.url, '--chips', String(options.chips ?? 1)], { cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      worker.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('taking jobs') && resolve());
      worker.once('exit', (code) => reject(new Error(`bss2 service worker exited with ${code}`)));
    });
    const queue = new ExperimentQueue({ redis: redis.url });
    const keys = await generateServiceKeys();
    const token = await issueToken(keys.privateKey, { user: options.user, expiresIn_s: 3600 });
    const server = await serveJobsApi({ queue, publicKey: keys.publicKey });
    return new JobsStack(redis, worker, queue, server, token);
  }

  /** Stops the API, the queue client, the worker (SIGTERM: it finishes its job) and Redis. */
  async stop(): Promise<void> {
    await this.server.close();
    await this.queue.close();
    if (this.worker.exitCode === null) {
      const exited = once(this.worker, 'exit');
      this.worker.kill('SIGTERM');
      await exited;
    }
    await this.redis.stop();
  }
}
