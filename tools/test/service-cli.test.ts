// `bss2 service keygen | token | start` as a user runs them: child processes, a key file in a temporary folder,
// a client selected from the environment lines `start` prints.
import { decodeResponses } from '@bss2/fisch';
import { connectFromEnv } from '@bss2/hxcomm/node';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { RedisServer, redisServerAvailable } from '@bss2/service/node';
import { afterAll, describe, expect, it } from 'vitest';
import { knownProgram } from '../fuzz/fuzz-inputs.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'bss2-service-cli-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(folder, { recursive: true, force: true });
});

function bss2(args: string[]): ChildProcess {
  const child = spawn(tsx, ['tools/cli/bss2.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BSS2_SERVICE_KEY: '' } });
  children.push(child);
  return child;
}

async function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = bss2(args);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe('bss2 service', () => {
  it('keygen, token, start: a client selected by the printed environment runs programs; SIGTERM stops it', async () => {
    const key = join(folder, 'key.json');
    const audit = join(folder, 'audit.jsonl');
    expect(await run(['service', 'keygen', '--key', key])).toMatchObject({ code: 0, stdout: `${key}\n` });
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(await run(['service', 'keygen', '--key', key])).toMatchObject({ code: 1, stderr: expect.stringMatching(/already holds a key pair/) });
    const token = await run(['service', 'token', '--user', 'alice', '--expires', '1h', '--key', key]);
    expect(token.code).toBe(0);
    expect(token.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

    const child = bss2(['service', 'start', '--chips', '2', '--port', '0', '--key', key, '--audit', audit, '--max-program-bytes', '64']);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout! });
    const printed: string[] = [];
    for await (const line of lines) {
      printed.push(line);
      if (line.startsWith('clients:')) break;
    }
    expect(printed[0]).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    const port = /:(\d+)$/.exec(printed[0]!)![1]!;
    expect(printed[2]).toContain(`QUIGGELDY_ENABLED=1 QUIGGELDY_IP=127.0.0.1 QUIGGELDY_PORT=${port} QUIGGELDY_USER=<name> QUIGGELDY_TOKEN=`);
    const env = { QUIGGELDY_ENABLED: '1', QUIGGELDY_IP: '127.0.0.1', QUIGGELDY_PORT: port, QUIGGELDY_USER: 'alice', QUIGGELDY_TOKEN: token.stdout.trim() };
    const connection = await connectFromEnv(env);
    const data = decodeResponses(await connection.execute(knownProgram(0x1234_5678))).filter((r) => r.kind === 'OmnibusData');
    expect(data).toEqual([{ kind: 'OmnibusData', value: 0x1234_5678 }]);
    await expect(connectFromEnv({ ...env, QUIGGELDY_USER: 'bob' })).rejects.toThrow(/AuthenticationError: .*token is for user 'alice', the hello names 'bob'/);
    await connection.close();
    const overQuota = await connectFromEnv(env);
    await expect(overQuota.execute(new Uint8Array(72))).rejects.toThrow(/QuotaExceededError: user alice: a program of 72 bytes exceeds the limit of 64 bytes/);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    expect(((await exited) as [number | null])[0]).toBe(0);
    expect(stderr).toMatch(/SIGTERM: stopping after 1 programs \(1 authentication failures, 1 quota refusals\)/);
    const records = readFileSync(audit, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(records).toEqual([expect.objectContaining({ user: 'alice', sequence: 1, outcome: 'ok', instruction_bytes: 32 })]);
  });

  it.skipIf(!redisServerAvailable())('start --redis also serves the jobs API, whose /metrics are the service\'s', async () => {
    const key = join(folder, 'jobs-key.json');
    expect((await run(['service', 'keygen', '--key', key])).code).toBe(0);
    const token = (await run(['service', 'token', '--user', 'carol', '--key', key])).stdout.trim();
    const redis = await RedisServer.start();
    try {
      const child = bss2(['service', 'start', '--port', '0', '--key', key, '--redis', redis.url, '--http-port', '0']);
      const lines = createInterface({ input: child.stdout! });
      const printed: string[] = [];
      for await (const line of lines) {
        printed.push(line);
        if (line.startsWith('clients:')) break;
      }
      const api = /^jobs API: (http:\/\/127\.0\.0\.1:\d+) /.exec(printed[1]!)![1]!;
      expect((await fetch(`${api}/health`)).status).toBe(200);
      expect((await fetch(`${api}/metrics`)).status).toBe(401);
      const metrics = await fetch(`${api}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/queue_depth/);
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      expect(((await exited) as [number | null])[0]).toBe(0);
    } finally {
      await redis.stop();
    }
  });

  it('refuses a bad user name and a bad duration with a usage error', async () => {
    const badUser = await run(['service', 'token', '--user', 'a b', '--key', join(folder, 'none.json')]);
    expect(badUser.code).not.toBe(0);
    expect(badUser.stderr).toMatch(/user names are 1\.\.64 of letters/);
    const badDuration = await run(['service', 'token', '--user', 'a', '--expires', '3 weeks']);
    expect(badDuration.code).not.toBe(0);
    expect(badDuration.stderr).toMatch(/expected a duration like 30d/);
    const missingKey = await run(['service', 'token', '--user', 'a', '--key', join(folder, 'none.json')]);
    expect(missingKey.code).not.toBe(0);
    expect(missingKey.stderr).toMatch(/none\.json does not exist \(create it with 'bss2 service keygen/);
  });
});
