// `bss2 sim serve` as a user runs it: a child process that prints its address, serves, and stops cleanly on
// SIGTERM / SIGINT (hardware.md §6.2).
import { decodeResponses } from '@bss2/fisch';
import { connectFromEnv } from '@bss2/hxcomm/node';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { knownProgram } from '../fuzz/fuzz-inputs.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

async function start(args: string[]): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(tsx, ['tools/cli/bss2.ts', 'sim', 'serve', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  const [url] = (await once(lines, 'line')) as [string];
  return { child, url, stderr: () => stderr };
}

describe('bss2 sim serve', () => {
  it.each([
    ['SIGTERM', ['--port', '0', '--seed', '5'], 'tcp'],
    ['SIGINT', ['--port', '0', '--seed', '6', '--ws'], 'websocket'],
  ] as const)('serves until %s, then exits 0', async (signal, args, kind) => {
    const { child, url, stderr } = await start([...args]);
    expect(url).toMatch(kind === 'tcp' ? /^tcp:\/\/127\.0\.0\.1:\d+$/ : /^ws:\/\/127\.0\.0\.1:\d+$/);
    const connection = await connectFromEnv({ BSS2_CONNECTION: url });
    expect(connection.identity).toMatchObject({ kind, chipSeed: Number(args[3]) });
    const data = decodeResponses(await connection.execute(knownProgram(0x1234_5678))).filter((r) => r.kind === 'OmnibusData');
    expect(data).toEqual([{ kind: 'OmnibusData', value: 0x1234_5678 }]);
    const exited = once(child, 'exit');
    child.kill(signal);
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    expect(stderr()).toMatch(new RegExp(`${signal}: stopping after 1 programs over 1 connections`));
    await expect(connection.execute(knownProgram(1))).rejects.toThrow(/closed/);
  });

  it('refuses an invalid port with a usage error', async () => {
    const child = spawn(tsx, ['tools/cli/bss2.ts', 'sim', 'serve', '--port', '70000'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/port must be an integer in 0\.\.65535/);
  });
});
