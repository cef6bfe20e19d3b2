import { connect, isIP, type Socket } from 'node:net';
import { checkTimeout, DEFAULT_TIMEOUT_MS } from '../connection.js';
import { ConnectionClosedError, ConnectionConfigError, ConnectionTimeoutError } from '../errors.js';
import { type ByteTransport, RemoteConnection, type RemoteOptions, type TransportReceiver } from '../remote-connection.js';

/** Grace period for a closing socket to say goodbye before it is destroyed. */
const END_GRACE_MS = 2000;

/**
 * A served simulator over TCP (hardware.md §6.2: the reference simulator is an RPC server on a TCP port;
 * `FLANGE_SIMULATION_RCF_PORT`, §6.3). Frames of §6.1 back to back on the byte stream; Nagle is off, since
 * every request is a complete frame waiting for its answer.
 */
export class TcpConnection extends RemoteConnection {}

export function tcpEndpoint(host: string, port: number): string {
  return isIP(host) === 6 ? `tcp://[${host}]:${port}` : `tcp://${host}:${port}`;
}

/** Connects, performs the handshake and resolves with the open connection. */
export async function connectTcp(host: string, port: number, options: RemoteOptions = {}): Promise<TcpConnection> {
  if (typeof host !== 'string' || host.trim() === '' || /[\s/]/.test(host)) {
    throw new ConnectionConfigError('host', host, 'expected a host name or IP address');
  }
  if (!(Number.isInteger(port) && port >= 1 && port <= 65535)) throw new ConnectionConfigError('port', port, 'expected a TCP port 1..65535');
  const timeoutMs = options.timeoutMs === undefined ? DEFAULT_TIMEOUT_MS : checkTimeout('timeoutMs', options.timeoutMs);
  const endpoint = tcpEndpoint(host, port);
  const socket = await open(host, port, endpoint, timeoutMs);
  const transport = new TcpTransport(socket);
  const connection = new TcpConnection(transport, endpoint, 'tcp', options);
  transport.attach(connection.receiver);
  await connection.handshake(timeoutMs);
  return connection;
}

function open(host: string, port: number, endpoint: string, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, noDelay: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ConnectionTimeoutError(endpoint, 'connecting', timeoutMs));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new ConnectionClosedError(endpoint, `could not connect (${error.code ?? error.message})`, { cause: error }));
    });
  });
}

/** Adapts a Node socket to the byte pipe of `RemoteConnection` (and of the server's sessions). */
export class TcpTransport implements ByteTransport {
  private readonly whenClosed: Promise<void>;

  constructor(private readonly socket: Socket) {
    this.whenClosed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  attach(receiver: TransportReceiver): void {
    let failure: Error | undefined;
    this.socket.on('data', (chunk: Buffer) => receiver.data(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    this.socket.on('error', (error) => {
      failure = error;
    });
    this.socket.on('close', () => receiver.closed(failure === undefined ? 'socket closed' : `socket error: ${(failure as NodeJS.ErrnoException).code ?? failure.message}`, failure));
  }

  write(chunks: readonly Uint8Array[]): void {
    const socket = this.socket;
    if (socket.destroyed || socket.writableEnded) return;
    socket.cork();
    for (const chunk of chunks) socket.write(chunk);
    socket.uncork();
  }

  end(): Promise<void> {
    if (!this.socket.destroyed) {
      this.socket.end();
      setTimeout(() => this.socket.destroy(), END_GRACE_MS).unref();
    }
    return this.whenClosed;
  }

  destroy(): void {
    this.socket.destroy();
  }
}
