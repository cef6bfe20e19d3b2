// A static file server for the built site (node:http): GET/HEAD only, MIME types the browser needs (wasm
// included, for streaming compilation), no path outside the site's directory, loopback by default.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabError } from '../index.js';

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** The site built by `vite build` (dist/site of this package). */
export function siteDirectory(): string {
  return fileURLToPath(new URL('../../dist/site', import.meta.url));
}

/** The site is missing: `pnpm build` has not run. */
export class SiteNotBuiltError extends LabError {
  override name = 'SiteNotBuiltError';
  constructor(readonly directory: string) {
    super(`the lab's site is not built: ${directory}/index.html is missing; run \`npx -y pnpm@10.34.8 build --filter=@bss2/lab...\``);
  }
}

export interface ServeOptions {
  /** Port, 0 (default) for any free one. */
  readonly port?: number;
  /** Interface, default 127.0.0.1 (loopback only). */
  readonly host?: string;
  /** Directory to serve, default siteDirectory(). */
  readonly directory?: string;
}

export interface SiteServer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** The file under `root` that `pathname` names, or undefined when it would leave `root`. */
export function resolveInside(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const relative = normalize(decoded.endsWith('/') ? `${decoded}index.html` : decoded).replace(/^([/\\])+/, '');
  const full = resolve(root, relative);
  return full === root || full.startsWith(root.endsWith(sep) ? root : `${root}${sep}`) ? full : undefined;
}

/** Serves `directory` until `close()`. */
export async function serveSite(options: ServeOptions = {}): Promise<SiteServer> {
  const root = resolve(options.directory ?? siteDirectory());
  if (!(await stat(join(root, 'index.html')).catch(() => undefined))?.isFile()) throw new SiteNotBuiltError(root);
  const server = createServer((request, response) => {
    const send = (status: number, text: string) => {
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
      response.end(request.method === 'HEAD' ? undefined : text);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      return send(405, 'method not allowed\n');
    }
    const pathname = new URL(request.url ?? '/', 'http://site').pathname;
    const file = resolveInside(root, pathname);
    if (file === undefined) return send(403, 'forbidden\n');
    void stat(file).then(
      (info) => {
        if (!info.isFile()) return send(404, 'not found\n');
        response.writeHead(200, {
          'content-type': MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
          'content-length': info.size,
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-cache',
        });
        if (request.method === 'HEAD') return response.end();
        createReadStream(file).on('error', () => response.destroy()).pipe(response);
      },
      () => send(404, 'not found\n'),
    );
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => done());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    server,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
