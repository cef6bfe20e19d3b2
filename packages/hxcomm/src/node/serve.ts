import type { SimulatedChip } from '../in-process/index.js';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ConnectionConfigError, FramingError } from '../errors.js';
import { FRAME_HEADER_BYTES, MAX_INSTRUCTION_PAYLOAD_BYTES } from '../frame.js';
import { SimulatorSession, type SessionEvents, type SessionTransport } from './simulator-session.js';

export interface ServeOptions {
  /** Interface to listen on (default 127.0.0.1: loopback only). */
  host?: string;
  /** TCP port; 0 (the default) picks a free one, see `address.port`. */
  port?: number;
  /** `tcp` (default): frames on a byte stream; `ws`: frames in binary WebSocket messages. */
  transport?: 'tcp' | 'ws';
  /** Seed of the served chip (default chip-sim's `DEFAULT_CHIP_SEED`); ignored when `chip` is given. */
  seed?: number;
  /** Serve this chip instead of a new one. */
  chip?: SimulatedChip;
  /** Largest instruction payload accepted (default: a full playback memory, 32 MiB, hardware.md §5.4). */
  maxPayloadBytes?: number;
  /** Receives one line per client event (connected, rejected, disconnected). */
  log?: (line: string) => void;
}

export interface ServerAddress {
  readonly host: string;
  readonly port: number;
  readonly transport: 'tcp' | 'ws';
  /** What a client connects to: `tcp://host:port` or `ws://host:port`; also a valid `BSS2_CONNECTION`. */
  readonly url: string;
}

/** Requests served and clients rejected since the server started. */
export interface ServerStatistics {
  programs: number;
  instructionBytes: number;
  responseBytes: number;
  rejectedClients: number;
  connections: number;
}

export interface SimulatorServer {
  readonly address: ServerAddress;
  readonly chip: SimulatedChip;
  readonly statistics: Readonly<ServerStatistics>;
  /** Stops accepting, sends `halt` to every client, closes their connections; resolves once all are closed. */
  close(): Promise<void>;
}

/** Unread answers a WebSocket client may accumulate before the server stops reading its requests. */
const UNREAD_LIMIT_BYTES = 64 * 2 ** 20;

/** Time a client gets to close after the server ended its side, before its socket is destroyed. */
const CLIENT_GRACE_MS = 2000;

/**
 * Serves one simulated chip to any number of clients (hardware.md §6.2, "simulator served over TCP or
 * WebSocket"). Requests are executed one at a time, in arrival order, each as soon as its frame is complete:
 * Node runs the synchronous `chip.execute` to completion before it reads the next bytes. A misbehaving
 * client gets an error frame and is disconnected; the others are not affected.
 */
export async function serveSimulator(options: ServeOptions = {}): Promise<SimulatorServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  const transport = options.transport ?? 'tcp';
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new ConnectionConfigError('port', port, 'expected a TCP port 0..65535 (0: any free port)');
  if (transport !== 'tcp' && transport !== 'ws') throw new ConnectionConfigError('transport', transport, "expected 'tcp' or 'ws'");
  const maxPayloadBytes = options.maxPayloadBytes ?? MAX_INSTRUCTION_PAYLOAD_BYTES;
  if (!(Number.isInteger(maxPayloadBytes) && maxPayloadBytes >= 0 && maxPayloadBytes <= 0xffff_ffff)) {
    throw new ConnectionConfigError('maxPayloadBytes', maxPayloadBytes, `expected an integer in 0..${0xffff_ffff}`);
  }
  // The simulator is loaded on demand: the Node entry also serves remote-only clients, who never need it.
  const chip = options.chip ?? (await import('../in-process/in-process-connection.js')).newSimulatedChip(options.seed === undefined ? {} : { seed: options.seed });
  const log = options.log ?? (() => {});
  const statistics: ServerStatistics = { programs: 0, instructionBytes: 0, responseBytes: 0, rejectedClients: 0, connections: 0 };
  const events: SessionEvents = {
    served(_client, instructionBytes, responseBytes) {
      statistics.programs++;
      statistics.instructionBytes += instructionBytes;
      statistics.responseBytes += responseBytes;
    },
    rejected(client, error) {
      statistics.rejectedClients++;
      log(`${client}: rejected: ${error.name}: ${error.message}`);
    },
  };
  const context: ListenContext = { chip, host, port, maxPayloadBytes, events, statistics, log };
  const listener = transport === 'tcp' ? await listenTcp(context) : await listenWebSocket(context);
  const url = `${transport}://${host.includes(':') ? `[${host}]` : host}:${listener.port}`;
  let closing: Promise<void> | undefined;
  return {
    address: Object.freeze({ host, port: listener.port, transport, url }),
    chip,
    statistics,
    close: () => (closing ??= listener.close()),
  };
}

interface ListenContext {
  chip: SimulatedChip;
  host: string;
  port: number;
  maxPayloadBytes: number;
  events: SessionEvents;
  statistics: ServerStatistics;
  log: (line: string) => void;
}

interface Listener {
  port: number;
  close(): Promise<void>;
}

async function listenTcp(context: ListenContext): Promise<Listener> {
  const sessions = new Map<Socket, SimulatorSession>();
  // Half-open sockets stay writable after the client's FIN, so a truncated frame still gets its error frame.
  const server: Server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    const client = `${socket.remoteAddress}:${socket.remotePort}`;
    const transport: SessionTransport = {
      write(chunks) {
        if (socket.destroyed || socket.writableEnded) return;
        socket.cork();
        for (const chunk of chunks) socket.write(chunk);
        socket.uncork();
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
    const session = new SimulatorSession(context.chip, transport, client, context.maxPayloadBytes, context.events);
    sessions.set(socket, session);
    context.statistics.connections++;
    context.log(`${client}: connected`);
    socket.on('data', (chunk: Buffer) => session.data(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    socket.on('end', () => session.ended());
    // A client that vanishes (reset, broken pipe) only ends its own session.
    socket.on('error', () => session.closed());
    socket.on('close', () => {
      session.closed();
      sessions.delete(socket);
      context.log(`${client}: disconnected`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(context.port, context.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const [socket, session] of sessions) {
        session.halt();
        setTimeout(() => socket.destroy(), CLIENT_GRACE_MS).unref();
      }
      await closed;
    },
  };
}

async function listenWebSocket(context: ListenContext): Promise<Listener> {
  const sessions = new Map<WebSocket, SimulatorSession>();
  const server = new WebSocketServer({
    host: context.host,
    port: context.port,
    // Each frame of §6.1 is one message; a larger message is refused by ws with close code 1009.
    maxPayload: context.maxPayloadBytes + FRAME_HEADER_BYTES,
    perMessageDeflate: false,
  });
  server.on('connection', (socket, request) => {
    const client = `${request.socket.remoteAddress}:${request.socket.remotePort}`;
    const transport: SessionTransport = {
      write(chunks) {
        if (socket.readyState !== socket.OPEN) return;
        socket.send(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), () => {
          if (socket.isPaused && socket.bufferedAmount < UNREAD_LIMIT_BYTES) socket.resume();
        });
        // As over TCP: stop reading from a client that does not read its answers.
        if (socket.bufferedAmount >= UNREAD_LIMIT_BYTES) socket.pause();
      },
      end() {
        if (socket.readyState !== socket.OPEN) return;
        socket.close(1000);
        setTimeout(() => socket.terminate(), CLIENT_GRACE_MS).unref();
      },
    };
    const session = new SimulatorSession(context.chip, transport, client, context.maxPayloadBytes, context.events);
    sessions.set(socket, session);
    context.statistics.connections++;
    context.log(`${client}: connected`);
    socket.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) session.refuse(new FramingError('a text message arrived; the protocol uses binary messages only'));
      else session.data(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    });
    socket.on('error', () => session.closed());
    socket.on('close', () => {
      session.closed();
      sessions.delete(socket);
      context.log(`${client}: disconnected`);
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
      const gone = [...sessions.keys()].map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())));
      for (const [socket, session] of sessions) {
        session.halt();
        setTimeout(() => socket.terminate(), CLIENT_GRACE_MS).unref();
      }
      await Promise.all([closed, ...gone]);
    },
  };
}
