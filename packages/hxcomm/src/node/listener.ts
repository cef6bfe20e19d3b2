import { createServer, isIP, type AddressInfo, type Server, type Socket } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { ConnectionConfigError, ConnectionRefusedError, FramingError, IdleTimeoutError } from '../errors.js';
import { encodeFrame, FRAME_HEADER_BYTES, FrameKind } from '../frame.js';
import { utf8Encode } from '../platform.js';

/** What a session needs of its client's socket. */
export interface SessionTransport {
  write(chunks: readonly Uint8Array[]): void;
  /** Sends what was written, then closes (the socket may still receive until the client closes). */
  end(): void;
}

/** The server side of one connection, as the hardened listener drives it (`SimulatorSession`, the service's sessions). */
export interface ServedSession {
  /** Bytes from the client. */
  data(chunk: Uint8Array): void;
  /** The client finished sending (half-close). */
  ended(): void;
  /** The server stops: `halt`, then close. */
  halt(): void;
  /** A policy violation (timeout, text message): one error frame, then close. */
  refuse(error: Error): void;
  /** The socket is gone. */
  closed(): void;
  /** The handshake completed. */
  readonly greeted: boolean;
  /** Requests of this client are queued or running: it is waiting, not idle. */
  readonly busy: boolean;
}

/** Hardening defaults of every served endpoint (documented in the README). */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 300_000;
export const DEFAULT_MAX_CONNECTIONS = 1024;
/** The reference allows at most this many connections. */
export const MAX_CONNECTIONS_LIMIT = 32_768;

export interface ListenerOptions {
  /** Interface (default 127.0.0.1). Anything but loopback is logged as a warning. */
  host?: string;
  /** TCP port; 0 picks a free one. */
  port?: number;
  transport?: 'tcp' | 'ws';
  /** Largest instruction payload (the session's decoder enforces it; over WebSocket also the message limit). */
  maxPayloadBytes: number;
  /** Open connections allowed; one more is refused with a `ConnectionRefusedError` (default 1024, at most 32 768). */
  maxConnections?: number;
  /** A connection must complete its hello within this time (default 10 s). */
  handshakeTimeout_ms?: number;
  /** A greeted connection without a request queued or running is closed after this time without a complete frame (default 300 s). */
  idleTimeout_ms?: number;
  /**
   * WebSocket Origins allowed at the upgrade. A request without Origin (a non-browser client) is always
   * allowed; a browser's Origin only if listed (`*` allows every Origin). Default: none.
   */
  allowedOrigins?: readonly string[];
  log?: (line: string) => void;
  /** Builds the session of a new connection; it calls `activity()` on every complete frame and answer. */
  createSession(transport: SessionTransport, client: string, activity: () => void): ServedSession;
}

export interface Listener {
  readonly host: string;
  readonly port: number;
  readonly transport: 'tcp' | 'ws';
  /** Open connections now. */
  readonly connections: number;
  /** Stops accepting, halts every session, resolves once all sockets are closed. */
  close(): Promise<void>;
}

/** Checked listener settings. */
export interface ListenerSettings {
  host: string;
  port: number;
  transport: 'tcp' | 'ws';
  maxConnections: number;
  handshakeTimeout_ms: number;
  idleTimeout_ms: number;
  allowedOrigins: readonly string[];
}

/** Unread answers a WebSocket client may accumulate before the server stops reading its requests. */
const UNREAD_LIMIT_BYTES = 64 * 2 ** 20;
/** Time a client gets to close after the server ended its side, before its socket is destroyed. */
const CLIENT_GRACE_MS = 2000;
const TIMEOUT_LIMIT_MS = 2 ** 31 - 1;

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/** Checks the listener options; invalid values throw `ConnectionConfigError` naming the option. */
export function listenerSettings(options: Omit<ListenerOptions, 'createSession' | 'maxPayloadBytes' | 'log'>): ListenerSettings {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  const transport = options.transport ?? 'tcp';
  if (typeof host !== 'string' || host.trim() === '' || /[\s/]/.test(host)) throw new ConnectionConfigError('host', host, 'expected a host name or IP address');
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new ConnectionConfigError('port', port, 'expected a TCP port 0..65535 (0: any free port)');
  if (transport !== 'tcp' && transport !== 'ws') throw new ConnectionConfigError('transport', transport, "expected 'tcp' or 'ws'");
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  if (!(Number.isInteger(maxConnections) && maxConnections >= 1 && maxConnections <= MAX_CONNECTIONS_LIMIT)) {
    throw new ConnectionConfigError('maxConnections', maxConnections, `expected an integer in 1..${MAX_CONNECTIONS_LIMIT}`);
  }
  const timeout = (name: string, value: number | undefined, fallback: number): number => {
    const ms = value ?? fallback;
    if (!(typeof ms === 'number' && Number.isFinite(ms) && ms > 0 && ms <= TIMEOUT_LIMIT_MS)) {
      throw new ConnectionConfigError(name, ms, `expected milliseconds in (0, ${TIMEOUT_LIMIT_MS}]`);
    }
    return ms;
  };
  const allowedOrigins = options.allowedOrigins ?? [];
  if (!Array.isArray(allowedOrigins) || allowedOrigins.some((origin) => typeof origin !== 'string' || !(origin === '*' || /^[a-z][a-z0-9+.-]*:\/\/[^\s/]+$/i.test(origin)))) {
    throw new ConnectionConfigError('allowedOrigins', allowedOrigins, "expected origins like 'https://example.org' (scheme://host[:port], no path) or '*'");
  }
  return {
    host,
    port,
    transport,
    maxConnections,
    handshakeTimeout_ms: timeout('handshakeTimeout_ms', options.handshakeTimeout_ms, DEFAULT_HANDSHAKE_TIMEOUT_MS),
    idleTimeout_ms: timeout('idleTimeout_ms', options.idleTimeout_ms, DEFAULT_IDLE_TIMEOUT_MS),
    allowedOrigins,
  };
}

interface Tracked {
  readonly session: ServedSession;
  readonly connectedAt_ms: number;
  lastActivity_ms: number;
  timedOut: boolean;
  destroy(): void;
}

/**
 * The hardened listener behind every served endpoint (`serveSimulator` and the scheduling service): TCP or
 * WebSocket, a connection cap, handshake and idle timeouts, a WebSocket Origin allow-list, loopback by default
 * (a warning otherwise), back-pressure on clients that do not read their answers. Refusals are typed error
 * frames (`Name: message`), then close; a refused WebSocket upgrade gets an HTTP status instead.
 */
export async function listenFramed(options: ListenerOptions): Promise<Listener> {
  const settings = listenerSettings(options);
  const log = options.log ?? (() => {});
  if (!isLoopbackHost(settings.host)) {
    log(`warning: listening on ${settings.host}, reachable from other machines; every client that can connect may use the chip (default: 127.0.0.1)`);
  }
  const tracked = new Map<object, Tracked>();
  const track = (key: object, session: ServedSession, destroy: () => void): Tracked => {
    const now = Date.now();
    const entry: Tracked = { session, connectedAt_ms: now, lastActivity_ms: now, timedOut: false, destroy };
    tracked.set(key, entry);
    return entry;
  };
  // One sweep for all connections: timers per socket would cost more than the sockets at 30 000 connections.
  const sweepEvery_ms = Math.max(10, Math.min(1000, Math.min(settings.handshakeTimeout_ms, settings.idleTimeout_ms) / 4));
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const entry of tracked.values()) {
      if (entry.timedOut) continue;
      if (!entry.session.greeted) {
        if (now - entry.connectedAt_ms >= settings.handshakeTimeout_ms) {
          entry.timedOut = true;
          entry.session.refuse(new IdleTimeoutError('handshake', settings.handshakeTimeout_ms));
          setTimeout(entry.destroy, CLIENT_GRACE_MS).unref();
        }
      } else if (entry.session.busy) {
        entry.lastActivity_ms = now;
      } else if (now - entry.lastActivity_ms >= settings.idleTimeout_ms) {
        entry.timedOut = true;
        entry.session.refuse(new IdleTimeoutError('idle', settings.idleTimeout_ms));
        setTimeout(entry.destroy, CLIENT_GRACE_MS).unref();
      }
    }
  }, sweepEvery_ms);
  sweep.unref();
  const context: Context = { settings, options, log, tracked, track };
  const listener = settings.transport === 'tcp' ? await listenTcp(context) : await listenWebSocket(context);
  return {
    host: settings.host,
    port: listener.port,
    transport: settings.transport,
    get connections() {
      return tracked.size;
    },
    async close() {
      clearInterval(sweep);
      await listener.close();
    },
  };
}

interface Context {
  settings: ListenerSettings;
  options: ListenerOptions;
  log: (line: string) => void;
  tracked: Map<object, Tracked>;
  track(key: object, session: ServedSession, destroy: () => void): Tracked;
}

function errorFrame(error: Error): Uint8Array {
  return encodeFrame(FrameKind.error, utf8Encode(`${error.name}: ${error.message}`));
}

async function listenTcp(context: Context): Promise<{ port: number; close(): Promise<void> }> {
  const { settings, options, log, tracked } = context;
  // Half-open sockets stay writable after the client's FIN, so a truncated frame still gets its error frame.
  const server: Server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    const client = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.on('error', () => {});
    if (tracked.size >= settings.maxConnections) {
      const error = new ConnectionRefusedError(`at most ${settings.maxConnections} connections`, 'the server is at its connection limit, try again later');
      log(`${client}: refused: ${error.message}`);
      socket.end(errorFrame(error));
      setTimeout(() => socket.destroy(), CLIENT_GRACE_MS).unref();
      return;
    }
    const transport: SessionTransport = {
      write(chunks) {
        if (socket.destroyed || socket.writableEnded) return;
        socket.cork();
        for (const chunk of chunks) socket.write(chunk);
        socket.uncork();
        entry.lastActivity_ms = Date.now();
        // A client that sends programs but does not read the answers is not read from until it catches up.
        if (socket.writableNeedDrain) {
          socket.pause();
          socket.once('drain', () => socket.resume());
        }
      },
      end() {
        if (socket.destroyed || socket.writableEnded) return;
        socket.end();
        setTimeout(() => socket.destroy(), CLIENT_GRACE_MS).unref();
      },
    };
    const session = options.createSession(transport, client, () => {
      entry.lastActivity_ms = Date.now();
    });
    const entry = context.track(socket, session, () => socket.destroy());
    log(`${client}: connected`);
    socket.on('data', (chunk: Buffer) => session.data(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    socket.on('end', () => session.ended());
    // A client that vanishes (reset, broken pipe) only ends its own session.
    socket.on('error', () => session.closed());
    socket.on('close', () => {
      session.closed();
      tracked.delete(socket);
      log(`${client}: disconnected`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const [socket, entry] of tracked) {
        entry.session.halt();
        setTimeout(() => (socket as Socket).destroy(), CLIENT_GRACE_MS).unref();
      }
      await closed;
    },
  };
}

async function listenWebSocket(context: Context): Promise<{ port: number; close(): Promise<void> }> {
  const { settings, options, log, tracked } = context;
  const allowAll = settings.allowedOrigins.includes('*');
  const allowed = new Set(settings.allowedOrigins.map((origin) => origin.toLowerCase()));
  const server = new WebSocketServer({
    host: settings.host,
    port: settings.port,
    // Each frame of §6.1 is one message; a larger message is refused by ws with close code 1009.
    maxPayload: options.maxPayloadBytes + FRAME_HEADER_BYTES,
    perMessageDeflate: false,
    // Refused before the upgrade: a web page must not drive a local chip, and the cap holds here too.
    verifyClient: (info: { origin: string; req: IncomingMessage }, done: (result: boolean, code?: number, message?: string) => void) => {
      const origin = info.req.headers.origin;
      const client = `${info.req.socket.remoteAddress}:${info.req.socket.remotePort}`;
      if (origin !== undefined && !allowAll && !allowed.has(origin.toLowerCase())) {
        log(`${client}: refused: WebSocket Origin ${origin} is not allowed`);
        done(false, 403, `Origin ${origin} is not allowed (allow it with --allow-origin)`);
        return;
      }
      if (tracked.size >= settings.maxConnections) {
        log(`${client}: refused: at the connection limit of ${settings.maxConnections}`);
        done(false, 503, `at most ${settings.maxConnections} connections`);
        return;
      }
      done(true);
    },
  });
  server.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    const client = `${request.socket.remoteAddress}:${request.socket.remotePort}`;
    const transport: SessionTransport = {
      write(chunks) {
        if (socket.readyState !== socket.OPEN) return;
        socket.send(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), () => {
          if (socket.isPaused && socket.bufferedAmount < UNREAD_LIMIT_BYTES) socket.resume();
        });
        entry.lastActivity_ms = Date.now();
        // As over TCP: stop reading from a client that does not read its answers.
        if (socket.bufferedAmount >= UNREAD_LIMIT_BYTES) socket.pause();
      },
      end() {
        if (socket.readyState !== socket.OPEN) return;
        socket.close(1000);
        setTimeout(() => socket.terminate(), CLIENT_GRACE_MS).unref();
      },
    };
    const session = options.createSession(transport, client, () => {
      entry.lastActivity_ms = Date.now();
    });
    const entry = context.track(socket, session, () => socket.terminate());
    log(`${client}: connected`);
    socket.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) session.refuse(new FramingError('a text message arrived; the protocol uses binary messages only'));
      else session.data(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    });
    socket.on('error', () => session.closed());
    socket.on('close', () => {
      session.closed();
      tracked.delete(socket);
      log(`${client}: disconnected`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const gone = [...tracked.keys()].map((socket) => new Promise<void>((resolve) => (socket as WebSocket).once('close', () => resolve())));
      for (const [socket, entry] of tracked) {
        entry.session.halt();
        setTimeout(() => (socket as WebSocket).terminate(), CLIENT_GRACE_MS).unref();
      }
      await Promise.all([closed, ...gone]);
    },
  };
}
