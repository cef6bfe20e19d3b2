/**
 * The server side of one client connection to the service: the hxcomm protocol (hardware.md §6.1, Choice)
 * with an authenticated hello, programs and resets queued for the user's turn, reinit uploads, answers in
 * request order. Any refusal — bad token, over quota, invalid program, protocol violation — is one error frame
 * (`Name: message`), then close.
 */
import { PROTOCOL_VERSION } from '@bss2/fisch';
import {
  FrameDecoder,
  FrameKind,
  FramingError,
  decodeControl,
  encodeControl,
  encodeFrame,
  encodeFrameHeader,
  frameKindName,
  type ControlMessage,
  type Frame,
} from '@bss2/hxcomm';
import type { ServedSession, SessionTransport } from '@bss2/hxcomm/node';
import type { ChipIdentity } from './chip-worker.js';

/** What the session asks of the service. */
export interface SessionHost {
  readonly identity: ChipIdentity;
  /** Verifies the hello's token; resolves with the user or throws `AuthenticationError`. */
  authenticate(hello: Extract<ControlMessage, { type: 'hello' }>, session: ServiceSession): Promise<string>;
  /** Queues a program or reset (throws a typed error, before queueing, if refused); `done` gets the answer. */
  submit(session: ServiceSession, request: { kind: 'program'; bytes: Uint8Array } | { kind: 'reset' }, done: (result: UnitResult) => void): void;
  /** Stores the user's reinit and snapshot programs (throws if invalid). */
  upload(session: ServiceSession, reinit: Uint8Array, snapshot: Uint8Array | undefined): void;
  enforceReinit(session: ServiceSession): void;
  /** The connection is gone: its queued units are dropped. */
  closed(session: ServiceSession): void;
  rejected(session: ServiceSession, error: Error): void;
}

export type UnitResult = { readonly ok: true; readonly responses: Uint8Array } | { readonly ok: false; readonly error: Error };

type State = 'greeting' | 'authenticating' | 'serving' | 'closing';

/** Frames a client may pipeline behind its hello while the token is checked. */
const MAX_FRAMES_DURING_AUTHENTICATION = 64;

let nextConnectionId = 1;

export class ServiceSession implements ServedSession {
  readonly id = nextConnectionId++;
  user: string | undefined;
  private state: State = 'greeting';
  private readonly decoder: FrameDecoder;
  private held: Frame[] = [];
  /** The client half-closed: close once the last answer is sent. */
  private clientEnded = false;
  /** A request was refused: the error frame goes out after the answers before it; later frames are ignored. */
  private refused = false;
  /** Answers in request order; an entry is sent once it and all before it are ready. */
  private readonly outbox: Array<{ chunks: readonly Uint8Array[] | undefined; error?: Error }> = [];
  /** Reinit upload in progress: the programs still expected. */
  private upload: { snapshot: boolean; programs: Uint8Array[]; entry: { chunks: readonly Uint8Array[] | undefined; error?: Error } } | undefined;

  constructor(
    private readonly host: SessionHost,
    private readonly transport: SessionTransport,
    readonly client: string,
    maxPayloadBytes: number,
    private readonly activity: () => void,
  ) {
    // Until the user is authenticated only a (small, capped) hello is buffered: nothing else gets memory.
    this.decoder = new FrameDecoder({
      maxPayloadBytes,
      checkHeader: (kind) =>
        this.state === 'greeting' && kind !== FrameKind.control ? `the first frame must be a hello control message, received a ${frameKindName(kind)} frame header` : undefined,
    });
  }

  get greeted(): boolean {
    return this.state === 'serving' || this.state === 'closing';
  }

  get busy(): boolean {
    return this.outbox.length > 0 || this.state === 'authenticating';
  }

  get closing(): boolean {
    return this.state === 'closing';
  }

  /** Names the connection in logs and the audit log. */
  get label(): string {
    return `${this.client}#${this.id}`;
  }

  data(chunk: Uint8Array): void {
    if (this.state === 'closing') return;
    try {
      this.decoder.feed(chunk, (frame) => {
        if (this.state === 'closing' || this.refused) return;
        this.activity();
        if (this.state === 'authenticating') {
          if (this.held.length >= MAX_FRAMES_DURING_AUTHENTICATION) {
            throw new FramingError(`more than ${MAX_FRAMES_DURING_AUTHENTICATION} frames before the hello was answered`);
          }
          this.held.push(frame);
        } else {
          this.handle(frame);
        }
      });
    } catch (error) {
      this.reject(error as Error);
    }
  }

  ended(): void {
    if (this.state === 'closing') return;
    try {
      this.decoder.finish();
    } catch (error) {
      this.reject(error as Error);
      return;
    }
    // The client stopped sending; it still gets the answers of what it sent.
    this.clientEnded = true;
    if (this.outbox.length === 0) this.close();
  }

  halt(): void {
    if (this.state === 'closing') return;
    this.state = 'closing';
    this.transport.write([encodeFrame(FrameKind.control, encodeControl({ type: 'halt' }))]);
    this.transport.end();
    this.host.closed(this);
  }

  refuse(error: Error): void {
    if (this.state !== 'closing') this.reject(error);
  }

  closed(): void {
    if (this.state !== 'closing') {
      this.state = 'closing';
      this.host.closed(this);
    }
  }

  private handle(frame: Frame): void {
    if (frame.kind === FrameKind.control) {
      this.control(decodeControl(frame.payload));
      return;
    }
    if (this.state === 'greeting') throw new FramingError(`the first frame must be a hello control message, received a ${frameKindName(frame.kind)} frame`);
    if (frame.kind !== FrameKind.instructions) throw new FramingError(`a client does not send ${frameKindName(frame.kind)} frames`);
    if (this.upload !== undefined) {
      this.upload.programs.push(frame.payload);
      if (this.upload.programs.length === (this.upload.snapshot ? 2 : 1)) {
        const { programs, entry } = this.upload;
        this.upload = undefined;
        try {
          this.host.upload(this, programs[0]!, programs[1]);
        } catch (error) {
          this.refused = true;
          (entry as { error?: Error }).error = error as Error;
          this.flush();
          return;
        }
        entry.chunks = [encodeFrame(FrameKind.control, encodeControl({ type: 'reinit-upload', snapshot: programs.length === 2 }))];
        this.flush();
      }
      return;
    }
    this.queue({ kind: 'program', bytes: frame.payload }, (r) => [encodeFrameHeader(FrameKind.responses, r.length), r]);
  }

  /** Submits a unit; a refusal becomes the error frame after the answers to the requests before it. */
  private queue(request: { kind: 'program'; bytes: Uint8Array } | { kind: 'reset' }, encode: (responses: Uint8Array) => Uint8Array[]): void {
    const entry: { chunks: readonly Uint8Array[] | undefined; error?: Error } = { chunks: undefined };
    this.outbox.push(entry);
    try {
      this.host.submit(this, request, (result) => this.settle(entry, result, encode));
    } catch (error) {
      this.refused = true;
      entry.error = error as Error;
      this.flush();
    }
  }

  private control(message: ControlMessage): void {
    if (this.state === 'greeting') {
      if (message.type !== 'hello') throw new FramingError(`the first frame must be a hello control message, received "${message.type}"`);
      if (message.protocolVersion !== PROTOCOL_VERSION) {
        this.state = 'closing';
        this.send({ type: 'version-mismatch', protocolVersion: PROTOCOL_VERSION, simulatorVersion: this.host.identity.simulatorVersion });
        this.transport.end();
        this.host.rejected(this, new Error(`protocol version ${message.protocolVersion}, this service speaks ${PROTOCOL_VERSION}`));
        return;
      }
      this.state = 'authenticating';
      this.host.authenticate(message, this).then(
        (user) => this.authenticated(user),
        (error: Error) => this.reject(error),
      );
      return;
    }
    if (this.upload !== undefined) throw new FramingError(`a reinit upload expects its ${this.upload.snapshot ? 'two programs' : 'program'} as instruction frames, received a "${message.type}" control message`);
    switch (message.type) {
      case 'reset': {
        this.queue({ kind: 'reset' }, () => [encodeFrame(FrameKind.control, encodeControl({ type: 'reset' }))]);
        return;
      }
      case 'reinit-upload': {
        const entry: { chunks: readonly Uint8Array[] | undefined; error?: Error } = { chunks: undefined };
        this.outbox.push(entry);
        this.upload = { snapshot: message.snapshot, programs: [], entry };
        return;
      }
      case 'reinit-enforce':
        this.host.enforceReinit(this);
        this.outbox.push({ chunks: [encodeFrame(FrameKind.control, encodeControl({ type: 'reinit-enforce' }))] });
        this.flush();
        return;
      case 'terminate':
        this.close();
        return;
      default:
        throw new FramingError(`a client does not send "${message.type}" control messages after the handshake`);
    }
  }

  private authenticated(user: string): void {
    if (this.state !== 'authenticating') return;
    this.user = user;
    this.state = 'serving';
    const { chipSeed, simulatorVersion, responseLatency_cycles } = this.host.identity;
    this.send({ type: 'identity', protocolVersion: PROTOCOL_VERSION, chipSeed, simulatorVersion, responseLatency_cycles });
    const held = this.held;
    this.held = [];
    try {
      for (const frame of held) if (this.state === 'serving') this.handle(frame);
    } catch (error) {
      this.reject(error as Error);
    }
  }

  private settle(entry: { chunks: readonly Uint8Array[] | undefined; error?: Error }, result: UnitResult, encode: (responses: Uint8Array) => Uint8Array[]): void {
    if (result.ok) entry.chunks = encode(result.responses);
    else entry.error = result.error;
    this.flush();
  }

  private flush(): void {
    while (this.outbox.length > 0 && this.state !== 'closing') {
      const head = this.outbox[0]!;
      if (head.error !== undefined) {
        this.outbox.length = 0;
        this.reject(head.error);
        return;
      }
      if (head.chunks === undefined) return;
      this.outbox.shift();
      this.transport.write(head.chunks);
      this.activity();
    }
    if (this.outbox.length === 0 && this.state === 'serving' && this.clientEnded) this.close();
  }

  private close(): void {
    if (this.state === 'closing') return;
    this.state = 'closing';
    this.transport.end();
    this.host.closed(this);
  }

  private send(message: ControlMessage): void {
    this.transport.write([encodeFrame(FrameKind.control, encodeControl(message))]);
  }

  /** One error frame, then close; nothing else from this client is read. Earlier answers were sent already. */
  private reject(error: Error): void {
    if (this.state === 'closing') return;
    this.state = 'closing';
    this.outbox.length = 0;
    this.transport.write([encodeFrame(FrameKind.error, new TextEncoder().encode(`${error.name}: ${error.message}`))]);
    this.transport.end();
    this.host.rejected(this, error);
    this.host.closed(this);
  }
}
