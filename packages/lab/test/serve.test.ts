// The static server of `bss2 lab`: no path leaves the site's directory, files come with the browser's MIME types
// (wasm as application/wasm), only GET/HEAD, and a missing build is a clear error.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveInside, serveSite, SiteNotBuiltError, type SiteServer } from '../src/node/index.js';

const root = mkdtempSync(join(tmpdir(), 'bss2-lab-site-'));
let site: SiteServer;

beforeAll(async () => {
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>lab</title>');
  writeFileSync(join(root, 'assets', 'engine.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  writeFileSync(join(root, 'assets', 'main.js'), 'export {};');
  site = await serveSite({ directory: root });
});
afterAll(async () => {
  await site.close();
  rmSync(root, { recursive: true, force: true });
});

describe('resolveInside', () => {
  it('never resolves outside the root, whatever the path', () => {
    const segment = fc.oneof(fc.constantFrom('..', '.', '%2e%2e', '%2E%2E', '..%2f', '..%5c', '%00', 'assets', 'index.html', '', '\\..'), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), (parts) => {
        const resolved = resolveInside(root, `/${parts.join('/')}`);
        if (resolved !== undefined) expect(resolved === root || resolved.startsWith(`${root}${sep}`)).toBe(true);
      }),
      { seed: 1, numRuns: 2000 },
    );
  });

  it('maps / to index.html, keeps `..` at the root (as a URL does) and refuses NUL bytes and bad escapes', () => {
    expect(resolveInside(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveInside(root, '/assets/main.js')).toBe(join(root, 'assets', 'main.js'));
    expect(resolveInside(root, '/../etc/passwd')).toBe(join(root, 'etc', 'passwd'));
    expect(resolveInside(root, '/%2e%2e/%2e%2e/etc/passwd')).toBe(join(root, 'etc', 'passwd'));
    expect(resolveInside(root, '/assets/..%2f..%2f..%2fpasswd')).toBe(join(root, 'passwd'));
    expect(resolveInside(root, '/index.html%00.js')).toBeUndefined();
    expect(resolveInside(root, '/%E0%A4%A')).toBeUndefined();
  });
});

describe('serveSite', () => {
  it('serves loopback with MIME types, HEAD without a body, 404 and 405', async () => {
    expect(site.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const index = await fetch(site.url);
    expect([index.status, index.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    const wasm = await fetch(`${site.url}assets/engine.wasm`);
    expect([wasm.status, wasm.headers.get('content-type')]).toEqual([200, 'application/wasm']);
    expect(new Uint8Array(await wasm.arrayBuffer()).slice(0, 4)).toEqual(new Uint8Array([0, 0x61, 0x73, 0x6d]));
    expect((await fetch(`${site.url}assets/main.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const head = await fetch(`${site.url}assets/main.js`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([200, '10', '']);
    expect((await fetch(`${site.url}assets/`)).status).toBe(404);
    expect((await fetch(`${site.url}nothing.css`)).status).toBe(404);
    const post = await fetch(site.url, { method: 'POST', body: 'x' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });

  it('refuses a directory without a built site, saying how to build it', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'bss2-lab-empty-'));
    try {
      const error = await serveSite({ directory: empty }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SiteNotBuiltError);
      expect((error as Error).message).toMatch(/index\.html is missing; run `npx -y pnpm@10\.34\.8 build --filter=@bss2\/lab\.\.\.`/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
