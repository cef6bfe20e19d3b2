import { checkTimeout, DEFAULT_TIMEOUT_MS } from './connection.js';
import { ConnectionClosedError, ConnectionConfigError, ConnectionTimeoutError } from './errors.js';
import { startTimer } from './platform.js';
import { type ByteTransport, RemoteConnection, type RemoteOptions } from './remote-connection.js';

/** The part of the WHATWG WebSocket API used here; browsers' `WebSocket` and the `ws` package provide it. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: WebSocketEventLike) => void): void;
}

export interface WebSocketEventLike {
  readonly data?: unknown;
  readonly code?: number;
  readonly reason?: string;
  readonly message?: string;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface WebSocketOptions extends RemoteOptions {
  /** WebSocket implementation; default: the global `WebSocket` (browsers, Node ≥ 22). */
  WebSocket?: WebSocketConstructor;
}

const OPEN = 1;
const CLOSED = 3;
const NORMAL_CLOSURE = 1000;

/**
 * A served simulator reached over a WebSocket (hardware.md §6.2: "simulator served over TCP or WebSocket"),
 * for browsers. Each frame of §6.1 travels as one binary message; the receiver deframes the message contents
 * as a byte stream, so a server may also split or merge frames.
 */
export class WebSocketConnection extends RemoteConnection {}

/** `ws://host:port[/path]` or `wss://…`; anything else is a `ConnectionConfigError`. */
export function checkWebSocketUrl(setting: string, url: unknown): string {
  if (typeof url !== 'string' || !/^wss?:\/\/(\[[0-9A-Fa-f:.]+\]|[^\s/:[\]]+)(:\d{1,5})?(\/\S*)?$/.test(url)) {
    throw new ConnectionConfigError(setting, url, 'expected a WebSocket URL ws://host:port or wss://host:port[/path]');
  }
  return url;
}

/** Connects, performs the handshake and resolves with the open connection. */
export function connectWebSocket(url: string, options: WebSocketOptions = {}): Promise<WebSocketConnection> {
  return openWebSocket(url, options, (transport, endpoint, remoteOptions) => new WebSocketConnection(transport, endpoint, 'websocket', remoteOptions));
}

/** `connectWebSocket` for a subclass of the connection (the Node entry's `NodeWebSocketConnection`). */
export async function openWebSocket<C extends RemoteConnection>(
  url: string,
  options: WebSocketOptions,
  create: (transport: ByteTransport, endpoint: string, options: RemoteOptions) => C,
): Promise<C> {
  checkWebSocketUrl('url', url);
  const timeoutMs = options.timeoutMs === undefined ? DEFAULT_TIMEOUT_MS : checkTimeout('timeoutMs', options.timeoutMs);
  const Implementation = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (Implementation === undefined) {
    throw new ConnectionConfigError('WebSocket', undefined, 'this platform has no global WebSocket; pass one (e.g. from the ws package) or use @bss2/hxcomm/node');
  }
  const socket = new Implementation(url);
  socket.binaryType = 'arraybuffer';
  await opened(socket, url, timeoutMs);
  const transport = new WebSocketTransport(socket);
  const { WebSocket: _implementation, ...remoteOptions } = options;
  const connection = create(transport, url, remoteOptions);
  transport.attach(connection);
  await connection.handshake(timeoutMs);
  return connection;
}

function opened(socket: WebSocketLike, url: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      cancel();
      if (error === undefined) resolve();
      else {
        reject(error);
        if (socket.readyState !== CLOSED) socket.close();
      }
    };
    const cancel = startTimer(timeoutMs, () => settle(new ConnectionTimeoutError(url, 'connecting', timeoutMs)));
    socket.addEventListener('open', () => settle());
    socket.addEventListener('error', (event) => settle(new ConnectionClosedError(url, `could not connect${event.message ? ` (${event.message})` : ''}`)));
    socket.addEventListener('close', (event) => settle(new ConnectionClosedError(url, `could not connect (close code ${event.code ?? 'unknown'})`)));
  });
}

/** Adapts a WebSocket to the byte pipe of `RemoteConnection`. */
class WebSocketTransport implements ByteTransport {
  private closedPromise: Promise<void>;
  private markClosed: () => void = () => {};

  constructor(private readonly socket: WebSocketLike) {
    this.closedPromise = new Promise((resolve) => {
      this.markClosed = resolve;
    });
  }

  attach(connection: RemoteConnection): void {
    const receiver = connection.receiver;
    this.socket.addEventListener('message', (event) => {
      const data = event.data;
      if (data instanceof ArrayBuffer) receiver.data(new Uint8Array(data));
      else if (ArrayBuffer.isView(data)) receiver.data(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      else receiver.closed('the server sent a text message; the protocol uses binary messages only');
    });
    this.socket.addEventListener('error', (event) => receiver.closed(`WebSocket error${event.message ? `: ${event.message}` : ''}`));
    this.socket.addEventListener('close', (event) => {
      this.markClosed();
      receiver.closed(`WebSocket closed with code ${event.code ?? 'unknown'}${event.reason ? `: ${event.reason}` : ''}`);
    });
  }

  write(chunks: readonly Uint8Array[]): void {
    if (this.socket.readyState !== OPEN) return;
    if (chunks.length === 1) {
      this.socket.send(chunks[0]!);
      return;
    }
    let size = 0;
    for (const chunk of chunks) size += chunk.length;
    const message = new Uint8Array(size);
    let at = 0;
    for (const chunk of chunks) {
      message.set(chunk, at);
      at += chunk.length;
    }
    this.socket.send(message);
  }

  end(): Promise<void> {
    if (this.socket.readyState !== CLOSED) this.socket.close(NORMAL_CLOSURE);
    return this.closedPromise;
  }

  destroy(): void {
    if (this.socket.readyState !== CLOSED) this.socket.close(NORMAL_CLOSURE);
  }
}
