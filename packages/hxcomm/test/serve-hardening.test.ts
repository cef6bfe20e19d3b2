// Hardening of `serveSimulator` (issue 16, item 5): the listener every served endpoint shares.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '@bss2/fisch';
import {
  ConnectionConfigError,
  FrameKind,
  MAX_INSTRUCTION_PAYLOAD_BYTES,
  decodeFrames,
  encodeControl,
  encodeFrame,
  encodeFrameHeader,
} from '../src/index.js';
import { connectTcp, isLoopbackHost, listenerSettings, serveSimulator, type SimulatorServer } from '../src/node/index.js';
import { writeReadProgram } from './helpers.js';

const servers: SimulatorServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) await server.close();
});

async function served(options: Parameters<typeof serveSimulator>[0]): Promise<SimulatorServer> {
  const server = await serveSimulator(options);
  servers.push(server);
  return server;
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.on('error', reject);
    sockets.push(socket);
  });
}

/** The text of the error frame the server sends before it closes. */
function errorText(socket: Socket): Promise<string> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve) =>
    socket.once('close', () => {
      const error = decodeFrames(Buffer.concat(chunks)).find((frame) => frame.kind === FrameKind.error);
      resolve(error === undefined ? 'no error frame' : Buffer.from(error.payload).toString());
    }),
  );
}

const hello = encodeFrame(FrameKind.control, encodeControl({ type: 'hello', protocolVersion: PROTOCOL_VERSION, client: 'test' }));

describe('serveSimulator hardening', () => {
  it('closes connections that do not greet in time, or idle after greeting, with IdleTimeoutError', async () => {
    const server = await served({ handshakeTimeout_ms: 200, idleTimeout_ms: 300 });
    const silent = await open(server.address.port);
    const greeted = await open(server.address.port);
    const texts = [errorText(silent), errorText(greeted)];
    greeted.write(hello);
    const client = await connectTcp('127.0.0.1', server.address.port);
    expect(await Promise.all(texts)).toEqual([
      'IdleTimeoutError: no complete hello within 200 ms of connecting; the connection is closed',
      'IdleTimeoutError: no request for 300 ms; the idle connection is closed, connect again',
    ]);
    await client.close();
  });

  it('refuses the header of a non-hello frame before the handshake, before any payload is buffered', async () => {
    const server = await served({});
    const socket = await open(server.address.port);
    const text = errorText(socket);
    socket.write(encodeFrameHeader(FrameKind.instructions, MAX_INSTRUCTION_PAYLOAD_BYTES));
    expect(await text).toMatch(/^FramingError: at byte 0: the first frame must be a hello control message, received a instructions frame header/);
    const control = await open(server.address.port);
    const controlText = errorText(control);
    control.write(encodeFrameHeader(FrameKind.control, 1_000_000));
    expect(await controlText).toMatch(/control frame announces 1000000 payload bytes, more than the limit of 4096/);
  });

  it('caps connections with a ConnectionRefusedError frame', async () => {
    const server = await served({ maxConnections: 1 });
    const first = await connectTcp('127.0.0.1', server.address.port);
    const second = await open(server.address.port);
    expect(await errorText(second)).toBe('ConnectionRefusedError: the server is at its connection limit, try again later (at most 1 connections)');
    expect(server.openConnections).toBe(1);
    await first.close();
  });

  it('refuses WebSocket upgrades from Origins not on the allow-list; clients without Origin are served', async () => {
    const server = await served({ transport: 'ws', allowedOrigins: ['https://lab.example.org'] });
    const status = (origin: string | undefined) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(server.address.url, origin === undefined ? {} : { origin });
        socket.on('open', () => {
          socket.close();
          resolve(101);
        });
        socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.on('error', () => {});
      });
    expect(await status('https://evil.example.com')).toBe(403);
    expect(await status('https://lab.example.org')).toBe(101);
    expect(await status(undefined)).toBe(101);
    const open = await served({ transport: 'ws' });
    const byDefault = await new Promise<number>((resolve) => {
      const socket = new WebSocket(open.address.url, { origin: 'http://localhost:3000' });
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => resolve(101));
      socket.on('error', () => {});
    });
    expect(byDefault).toBe(403);
  });

  it('warns when bound beyond loopback, and checks its settings', async () => {
    const lines: string[] = [];
    await served({ host: '0.0.0.0', log: (line) => lines.push(line) });
    expect(lines[0]).toMatch(/^warning: listening on 0\.0\.0\.0, reachable from other machines/);
    expect(isLoopbackHost('127.0.0.1') && isLoopbackHost('::1') && isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
    expect(() => listenerSettings({ maxConnections: 40_000 })).toThrow(ConnectionConfigError);
    expect(() => listenerSettings({ idleTimeout_ms: 0 })).toThrow(/idleTimeout_ms = 0: expected milliseconds/);
    expect(() => listenerSettings({ allowedOrigins: ['evil.com/path'] })).toThrow(/allowedOrigins/);
  });

  it('a served simulator refuses a reinit upload: only the service keeps per-user state', async () => {
    const server = await served({});
    const client = await connectTcp('127.0.0.1', server.address.port);
    expect((await client.execute(writeReadProgram(1))).length).toBeGreaterThan(0);
    await expect(client.uploadReinit(writeReadProgram(2))).rejects.toThrow(/"reinit-upload" needs the scheduling service/);
  });
});
