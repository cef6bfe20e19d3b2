// `bss2 lab` as a user runs it: a child process that prints the site's address first, serves the built lab with
// the browser's MIME types, refuses paths outside the site, and stops cleanly on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { siteDirectory } from '@bss2/lab/node';
import { afterAll, describe, expect, it } from 'vitest';
import { bss2, repositoryRoot } from './bss2-cli.js';

const tsx = new URL('../node_modules/.bin/tsx', import.meta.url).pathname;
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

/** A raw GET (no URL normalisation by the client, so `..` reaches the server as sent). */
function get(url: string, path: string): Promise<{ status: number; type: string; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, type: String(response.headers['content-type'] ?? ''), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('bss2 lab', () => {
  it('prints its loopback address first, serves the site with its MIME types, refuses traversal, exits 0 on SIGTERM', async () => {
    const child = spawn(tsx, ['tools/cli/bss2.ts', 'lab', '--port', '0'], { cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout! });
    const [url] = (await Promise.race([once(lines, 'line'), once(child, 'exit').then(() => [`exited early: ${stderr}`])])) as [string];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    const index = await get(url, '/');
    expect(index.status).toBe(200);
    expect(index.type).toBe('text/html; charset=utf-8');
    expect(index.body).toContain('bss2 lab');
    const script = readdirSync(`${siteDirectory()}/assets`).find((f) => f.endsWith('.js'))!;
    const asset = await get(url, `/assets/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.type).toBe('text/javascript; charset=utf-8');

    for (const path of ['/../package.json', '/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json', '/..%5c..%5cpackage.json']) {
      const response = await get(url, path);
      expect(response.status, path).not.toBe(200);
      expect(response.body, path).not.toContain('"name"');
    }
    expect((await get(url, '/no-such-file.js')).status).toBe(404);

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    expect(stderr).toMatch(/SIGTERM: stopping the lab server/);
  });

  it('refuses an invalid port with a usage error', async () => {
    const result = await bss2(['lab', '--port', '70000']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/port must be an integer in 0\.\.65535/);
  });
});
