import { PROTOCOL_VERSION } from '@bss2/fisch';
import {
  checkInstructions,
  checkTimeout,
  DEFAULT_TIMEOUT_MS,
  type Connection,
  type ConnectionIdentity,
  type ConnectionKind,
  type ExecuteOptions,
} from './connection.js';
import { decodeControl, encodeControl, type ControlMessage } from './control.js';
import { ConnectionClosedError, ConnectionTimeoutError, FramingError, ProtocolVersionError, RemoteError } from './errors.js';
import { encodeFrame, encodeFrameHeader, FrameDecoder, FrameKind, frameKindName, type Frame } from './frame.js';
import { startTimer, utf8Decode } from './platform.js';

/** A byte pipe to the server (a TCP socket, a WebSocket), adapted by each transport. */
export interface ByteTransport {
  /** Sends the chunks in order, as one unit. */
  write(chunks: readonly Uint8Array[]): void;
  /** Closes after the written bytes are sent; resolves once closed. */
  end(): Promise<void>;
  /** Closes at once, dropping unsent bytes. */
  destroy(): void;
}

/** Where a transport delivers what it receives. */
export interface TransportReceiver {
  data(chunk: Uint8Array): void;
  /** The pipe closed (by the peer, or an error: `reason` says which). */
  closed(reason: string, cause?: unknown): void;
}

export interface RemoteOptions {
  /** Default answer timeout of connect, handshake and each call, in ms (default 60 000). */
  timeoutMs?: number;
  /** Largest response payload accepted (default 256 MiB). */
  maxPayloadBytes?: number;
  /** User name sent in the hello (the scheduling service; other servers ignore it). */
  user?: string;
  /** Token sent in the hello (the scheduling service requires one; other servers ignore it). */
  token?: string;
}

/** A call waiting for its answer; answers arrive in the order of the requests. */
interface Request {
  readonly type: 'hello' | 'execute' | 'reset' | 'reinit-upload' | 'reinit-enforce';
  resolve(value: unknown): void;
  reject(error: Error): void;
  cancelTimer(): void;
}

/** Name this client sends in its hello. */
const CLIENT_NAME = '@bss2/hxcomm';

/**
 * The client side of the framed protocol (hardware.md §6.1, Choice) over any byte transport: handshake,
 * requests answered in order (several may be in flight), per-call timeouts. Any failure — timeout, error
 * frame, invalid frame, lost peer — closes the connection and fails every pending call, since the stream
 * position of the answers is no longer known (a transfer is all or nothing, architecture.md "Errors").
 */
export class RemoteConnection implements Connection {
  /** Hand this to the transport; it feeds received bytes and the close event. */
  readonly receiver: TransportReceiver;
  readonly timeoutMs: number;
  private readonly decoder: FrameDecoder;
  private readonly pending: Request[] = [];
  private established: ConnectionIdentity | undefined;
  private closedReason: string | undefined;
  private closedCause: unknown;
  private ending: Promise<void> | undefined;
  private readonly user: string | undefined;
  private readonly token: string | undefined;

  constructor(
    private readonly transport: ByteTransport,
    /** The server's address, e.g. `tcp://127.0.0.1:5000`. */
    readonly endpoint: string,
    readonly kind: ConnectionKind,
    options: RemoteOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs === undefined ? DEFAULT_TIMEOUT_MS : checkTimeout('timeoutMs', options.timeoutMs);
    this.decoder = new FrameDecoder(options.maxPayloadBytes === undefined ? {} : { maxPayloadBytes: options.maxPayloadBytes });
    this.user = options.user;
    this.token = options.token;
    this.receiver = {
      data: (chunk) => this.received(chunk),
      closed: (reason, cause) => this.fail(`the peer closed the connection (${reason})`, cause),
    };
  }

  /** Sends the hello and waits for the server's identity; transports call it once, right after connecting. */
  async handshake(timeoutMs = this.timeoutMs): Promise<ConnectionIdentity> {
    const hello = encodeControl({ type: 'hello', protocolVersion: PROTOCOL_VERSION, client: CLIENT_NAME, user: this.user, token: this.token });
    return this.request<ConnectionIdentity>('hello', 'the handshake', timeoutMs, [encodeFrame(FrameKind.control, hello)]);
  }

  get identity(): ConnectionIdentity {
    if (this.established === undefined) throw new ConnectionClosedError(this.endpoint, 'the handshake has not completed');
    return this.established;
  }

  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  async execute(instructions: Uint8Array, options: ExecuteOptions = {}): Promise<Uint8Array> {
    checkInstructions(instructions);
    const timeoutMs = options.timeoutMs === undefined ? this.timeoutMs : checkTimeout('timeoutMs', options.timeoutMs);
    // Header and payload as two writes: a 32 MiB program is not copied once more (hardware.md §5.4).
    const header = encodeFrameHeader(FrameKind.instructions, instructions.length);
    return this.request<Uint8Array>('execute', `execute(${instructions.length} bytes)`, timeoutMs, [header, instructions]);
  }

  async reset(options: ExecuteOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs === undefined ? this.timeoutMs : checkTimeout('timeoutMs', options.timeoutMs);
    return this.request<void>('reset', 'reset()', timeoutMs, [encodeFrame(FrameKind.control, encodeControl({ type: 'reset' }))]);
  }

  /**
   * Scheduling service only (hardware.md §6.4): stores `program` as this user's reinit program and, if given,
   * `snapshot` (omnibus reads only) as the program whose answers are replayed as writes after the reinit.
   * Neither runs now; the service runs them when the chip changes hands. Queued in order with `execute`.
   */
  async uploadReinit(program: Uint8Array, snapshot?: Uint8Array, options: ExecuteOptions = {}): Promise<void> {
    checkInstructions(program);
    if (snapshot !== undefined) checkInstructions(snapshot);
    const timeoutMs = options.timeoutMs === undefined ? this.timeoutMs : checkTimeout('timeoutMs', options.timeoutMs);
    const chunks = [encodeFrame(FrameKind.control, encodeControl({ type: 'reinit-upload', snapshot: snapshot !== undefined })), encodeFrameHeader(FrameKind.instructions, program.length), program];
    if (snapshot !== undefined) chunks.push(encodeFrameHeader(FrameKind.instructions, snapshot.length), snapshot);
    return this.request<void>('reinit-upload', 'uploadReinit()', timeoutMs, chunks);
  }

  /** Scheduling service only: the next program runs after this user's reinit even if the chip kept the user's state. */
  async enforceReinit(options: ExecuteOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs === undefined ? this.timeoutMs : checkTimeout('timeoutMs', options.timeoutMs);
    return this.request<void>('reinit-enforce', 'enforceReinit()', timeoutMs, [encodeFrame(FrameKind.control, encodeControl({ type: 'reinit-enforce' }))]);
  }

  /** Says goodbye (a `terminate` control message) and closes; pending calls fail with `ConnectionClosedError`. */
  close(): Promise<void> {
    if (this.ending !== undefined) return this.ending;
    if (this.closedReason === undefined) {
      this.closedReason = 'closed by close()';
      this.rejectAll(undefined, new ConnectionClosedError(this.endpoint, this.closedReason));
      this.transport.write([encodeFrame(FrameKind.control, encodeControl({ type: 'terminate' }))]);
      this.ending = this.transport.end();
    } else {
      this.transport.destroy();
      this.ending = Promise.resolve();
    }
    return this.ending;
  }

  private request<V>(type: Request['type'], operation: string, timeoutMs: number, chunks: readonly Uint8Array[]): Promise<V> {
    if (this.closedReason !== undefined) {
      return Promise.reject(new ConnectionClosedError(this.endpoint, this.closedReason, { cause: this.closedCause }));
    }
    return new Promise<V>((resolve, reject) => {
      const request: Request = { type, resolve: resolve as (value: unknown) => void, reject, cancelTimer: () => {} };
      this.pending.push(request);
      request.cancelTimer = startTimer(timeoutMs, () =>
        this.fail(`${operation} timed out after ${timeoutMs} ms`, new ConnectionTimeoutError(this.endpoint, operation, timeoutMs), request),
      );
      try {
        this.transport.write(chunks);
      } catch (error) {
        this.fail(`sending failed: ${(error as Error).message}`, error);
      }
    });
  }

  private received(chunk: Uint8Array): void {
    if (this.closedReason !== undefined) return;
    try {
      this.decoder.feed(chunk, (frame) => {
        if (this.closedReason === undefined) this.dispatch(frame);
      });
    } catch (error) {
      if (error instanceof FramingError) this.protocolViolation(error);
      else throw error;
    }
  }

  private dispatch(frame: Frame): void {
    switch (frame.kind) {
      case FrameKind.responses:
        this.answer('execute', frame.payload);
        return;
      case FrameKind.error: {
        const error = RemoteError.fromText(this.endpoint, utf8Decode(frame.payload));
        this.fail(`the server rejected a transfer (${error.remoteName})`, error, this.pending[0]);
        return;
      }
      case FrameKind.control: {
        let message: ControlMessage;
        try {
          message = decodeControl(frame.payload);
        } catch (error) {
          this.protocolViolation(error as FramingError);
          return;
        }
        this.control(message);
        return;
      }
      default:
        this.protocolViolation(new FramingError(`a server does not send ${frameKindName(frame.kind)} frames`));
    }
  }

  private control(message: ControlMessage): void {
    switch (message.type) {
      case 'identity': {
        if (message.protocolVersion !== PROTOCOL_VERSION) {
          this.versionMismatch(message.protocolVersion, message.simulatorVersion);
          return;
        }
        const identity: ConnectionIdentity = Object.freeze({
          protocolVersion: message.protocolVersion,
          chipSeed: message.chipSeed,
          simulatorVersion: message.simulatorVersion,
          responseLatency_cycles: message.responseLatency_cycles,
          kind: this.kind,
        });
        if (this.answer('hello', identity)) this.established = identity;
        return;
      }
      case 'version-mismatch':
        this.versionMismatch(message.protocolVersion, message.simulatorVersion);
        return;
      case 'reset':
      case 'reinit-upload':
      case 'reinit-enforce':
        this.answer(message.type, undefined);
        return;
      case 'halt':
        this.fail('the server stopped serving (halt)', new ConnectionClosedError(this.endpoint, 'the server stopped serving (halt)'));
        return;
      default:
        this.protocolViolation(new FramingError(`a server does not send "${message.type}" control messages`));
    }
  }

  private versionMismatch(serverVersion: number, simulatorVersion: string): void {
    const error = new ProtocolVersionError(this.endpoint, PROTOCOL_VERSION, serverVersion, simulatorVersion);
    this.fail('protocol version mismatch', error, this.pending[0]);
  }

  /** Resolves the oldest request if it is of `type`; anything else means the answers are out of step. */
  private answer(type: Request['type'], value: unknown): boolean {
    const head = this.pending[0];
    if (head === undefined || head.type !== type) {
      const expected = head === undefined ? 'nothing (no request pending)' : `an answer to ${head.type}`;
      this.protocolViolation(new FramingError(`received an answer to ${type}, expected ${expected}`));
      return false;
    }
    this.pending.shift();
    head.cancelTimer();
    head.resolve(value);
    return true;
  }

  private protocolViolation(error: FramingError): void {
    const closing = new FramingError(`${error.reason} (from ${this.endpoint}); the connection is closed`, error.offset);
    this.fail(`the server sent invalid data: ${error.reason}`, closing, this.pending[0]);
  }

  /**
   * Closes for good: `culprit` (the request the failure belongs to) gets `error`, every other pending request
   * a `ConnectionClosedError` naming the reason.
   */
  private fail(reason: string, error: unknown, culprit?: Request): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    this.closedCause = error;
    this.rejectAll(culprit, error instanceof Error ? error : new ConnectionClosedError(this.endpoint, reason, { cause: error }));
    this.transport.destroy();
  }

  private rejectAll(culprit: Request | undefined, error: Error): void {
    const requests = this.pending.splice(0);
    for (const request of requests) {
      request.cancelTimer();
      const closed = error instanceof ConnectionClosedError ? error : new ConnectionClosedError(this.endpoint, this.closedReason!, { cause: error });
      request.reject(request === culprit ? error : closed);
    }
  }
}
