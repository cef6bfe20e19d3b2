// Serving the jobs API on @hono/node-server: loopback by default, a warning when bound elsewhere.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type JobsApiOptions, createJobsApi } from './jobs-api.js';

export interface ServeJobsApiOptions extends JobsApiOptions {
  /** Default 127.0.0.1: only this machine can reach it. */
  readonly host?: string;
  /** Default 0: any free port. */
  readonly port?: number;
  /** Told when the server listens beyond loopback (default: console.warn). */
  readonly onWarning?: (message: string) => void;
}

export interface JobsApiServer {
  /** http://host:port */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export async function serveJobsApi(options: ServeJobsApiOptions): Promise<JobsApiServer> {
  const app = createJobsApi(options);
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) {
    (options.onWarning ?? console.warn)(`the jobs API listens on ${host}, reachable beyond this machine: every request still needs a service token, but use TLS in front of it`);
  }
  const server = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 0 });
  const info = await new Promise<AddressInfo>((resolve, reject) => {
    server.once('listening', () => resolve(server.address() as AddressInfo));
    server.once('error', reject);
  });
  const urlHost = info.family === 'IPv6' ? `[${info.address}]` : info.address;
  return {
    url: `http://${urlHost}:${info.port}`,
    port: info.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // Idle keep-alive connections would hold close() open.
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      }),
  };
}
