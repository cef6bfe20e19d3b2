import type { SimulatedChip } from '../in-process/index.js';
import { ConnectionConfigError } from '../errors.js';
import { MAX_INSTRUCTION_PAYLOAD_BYTES } from '../frame.js';
import { listenFramed } from './listener.js';
import { SimulatorSession, type SessionEvents } from './simulator-session.js';

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
  /** Receives one line per client event (connected, rejected, disconnected) and the warning of a non-loopback host. */
  log?: (line: string) => void;
  /** Open connections allowed (default 1024, at most 32 768); one more gets a `ConnectionRefusedError` frame. */
  maxConnections?: number;
  /** A client must complete its hello within this time (default 10 000 ms). */
  handshakeTimeout_ms?: number;
  /** A client that sends no complete frame for this long is closed with `IdleTimeoutError` (default 300 000 ms). */
  idleTimeout_ms?: number;
  /** WebSocket Origins allowed (`*`: all); a request without Origin (not a browser) is always allowed. Default: none. */
  allowedOrigins?: readonly string[];
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
  /** Connections accepted since the start. */
  connections: number;
}

export interface SimulatorServer {
  readonly address: ServerAddress;
  readonly chip: SimulatedChip;
  readonly statistics: Readonly<ServerStatistics>;
  /** Connections open now. */
  readonly openConnections: number;
  /** Stops accepting, sends `halt` to every client, closes their connections; resolves once all are closed. */
  close(): Promise<void>;
}

/**
 * Serves one simulated chip to any number of clients (hardware.md §6.2, "simulator served over TCP or
 * WebSocket"). Requests are executed one at a time, in arrival order, each as soon as its frame is complete:
 * Node runs the synchronous `chip.execute` to completion before it reads the next bytes. A misbehaving
 * client gets an error frame and is disconnected; the others are not affected. The listener is hardened
 * (`listenFramed`): connection cap, handshake and idle timeouts, Origin allow-list, loopback by default.
 */
export async function serveSimulator(options: ServeOptions = {}): Promise<SimulatorServer> {
  const maxPayloadBytes = options.maxPayloadBytes ?? MAX_INSTRUCTION_PAYLOAD_BYTES;
  if (!(Number.isInteger(maxPayloadBytes) && maxPayloadBytes >= 0 && maxPayloadBytes <= 0xffff_ffff)) {
    throw new ConnectionConfigError('maxPayloadBytes', maxPayloadBytes, `expected an integer in 0..${0xffff_ffff}`);
  }
  const port = options.port ?? 0;
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new ConnectionConfigError('port', port, 'expected a TCP port 0..65535 (0: any free port)');
  const transport = options.transport ?? 'tcp';
  if (transport !== 'tcp' && transport !== 'ws') throw new ConnectionConfigError('transport', transport, "expected 'tcp' or 'ws'");
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
  const listener = await listenFramed({
    host: options.host ?? '127.0.0.1',
    port,
    transport,
    maxPayloadBytes,
    ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
    ...(options.handshakeTimeout_ms === undefined ? {} : { handshakeTimeout_ms: options.handshakeTimeout_ms }),
    ...(options.idleTimeout_ms === undefined ? {} : { idleTimeout_ms: options.idleTimeout_ms }),
    ...(options.allowedOrigins === undefined ? {} : { allowedOrigins: options.allowedOrigins }),
    log,
    createSession(sessionTransport, client, activity) {
      statistics.connections++;
      return new SimulatorSession(chip, sessionTransport, client, maxPayloadBytes, events, activity);
    },
  });
  const host = listener.host;
  const url = `${transport}://${host.includes(':') ? `[${host}]` : host}:${listener.port}`;
  let closing: Promise<void> | undefined;
  return {
    address: Object.freeze({ host, port: listener.port, transport, url }),
    chip,
    statistics,
    get openConnections() {
      return listener.connections;
    },
    close: () => (closing ??= listener.close()),
  };
}
