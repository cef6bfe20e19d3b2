import type { SimulatedChip } from '../in-process/index.js';
import { PROTOCOL_VERSION } from '@bss2/fisch';
import { decodeControl, encodeControl, type ControlMessage } from '../control.js';
import { FramingError } from '../errors.js';
import { encodeFrame, encodeFrameHeader, FrameDecoder, FrameKind, frameKindName, type Frame } from '../frame.js';
import { utf8Encode } from '../platform.js';
import type { ServedSession, SessionTransport } from './listener.js';

/** What a session reports to its server (for logs and tests). */
export interface SessionEvents {
  served(client: string, instructionBytes: number, responseBytes: number): void;
  rejected(client: string, error: Error): void;
}

type State = 'greeting' | 'serving' | 'closing';

/**
 * The server side of one client connection (hardware.md §6.1, Choice): the hello must come first; then
 * instruction frames are executed on the shared chip as soon as they are complete, in arrival order, and
 * answered with one response frame each; `reset` control messages are executed in the same order and
 * acknowledged. Anything else — an invalid frame, a frame a client does not send, a stream the chip
 * rejects — is answered with one error frame, after which the session ignores the client and closes.
 * The chip validates a whole stream before executing it, so a rejected client leaves the chip as it was
 * (architecture.md, "Errors"). Platform-neutral: the server adapts TCP sockets and WebSockets to it.
 */
export class SimulatorSession implements ServedSession {
  private state: State = 'greeting';
  private readonly decoder: FrameDecoder;

  constructor(
    private readonly chip: SimulatedChip,
    private readonly transport: SessionTransport,
    /** Names the client in events, e.g. its address. */
    readonly client: string,
    maxPayloadBytes: number,
    private readonly events: SessionEvents,
    /** Called on every complete frame (the listener's idle timer). */
    private readonly activity: () => void = () => {},
  ) {
    // Before the handshake only a (small, capped) hello is buffered: nothing else gets memory.
    this.decoder = new FrameDecoder({
      maxPayloadBytes,
      checkHeader: (kind) =>
        this.state === 'greeting' && kind !== FrameKind.control ? `the first frame must be a hello control message, received a ${frameKindName(kind)} frame header` : undefined,
    });
  }

  get greeted(): boolean {
    return this.state !== 'greeting';
  }

  /** Requests run synchronously as their frame completes: nothing is ever left waiting. */
  get busy(): boolean {
    return false;
  }

  get closing(): boolean {
    return this.state === 'closing';
  }

  /** Bytes from the client. */
  data(chunk: Uint8Array): void {
    if (this.state === 'closing') return;
    try {
      // Frames before a framing error are still served, in arrival order.
      this.decoder.feed(chunk, (frame) => {
        if (!this.closing) this.handle(frame);
      });
    } catch (error) {
      if (!this.closing) this.reject(error as Error);
    }
  }

  /** The client finished sending (half-close or WebSocket close): a frame left incomplete is an error. */
  ended(): void {
    if (this.state === 'closing') return;
    try {
      this.decoder.finish();
    } catch (error) {
      this.reject(error as Error);
      return;
    }
    this.state = 'closing';
    this.transport.end();
  }

  /** The server stops: tells the client (`halt`) and closes. */
  halt(): void {
    if (this.state === 'closing') return;
    this.state = 'closing';
    this.transport.write([encodeFrame(FrameKind.control, encodeControl({ type: 'halt' }))]);
    this.transport.end();
  }

  /** The transport saw a violation the frames cannot express (e.g. a WebSocket text message). */
  refuse(error: Error): void {
    if (this.state !== 'closing') this.reject(error);
  }

  /** The socket is gone (the client disconnected, maybe mid-frame: the partial frame is simply dropped). */
  closed(): void {
    this.state = 'closing';
  }

  private handle(frame: Frame): void {
    this.activity();
    if (frame.kind === FrameKind.control) {
      let message: ControlMessage;
      try {
        message = decodeControl(frame.payload);
      } catch (error) {
        this.reject(error as Error);
        return;
      }
      this.control(message);
      return;
    }
    if (this.state === 'greeting') {
      this.reject(new FramingError(`the first frame must be a hello control message, received a ${frameKindName(frame.kind)} frame`));
      return;
    }
    if (frame.kind !== FrameKind.instructions) {
      this.reject(new FramingError(`a client does not send ${frameKindName(frame.kind)} frames`));
      return;
    }
    let responses: Uint8Array;
    try {
      responses = this.chip.execute(frame.payload);
    } catch (error) {
      this.reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.transport.write([encodeFrameHeader(FrameKind.responses, responses.length), responses]);
    this.events.served(this.client, frame.payload.length, responses.length);
  }

  private control(message: ControlMessage): void {
    if (this.state === 'greeting') {
      if (message.type !== 'hello') {
        this.reject(new FramingError(`the first frame must be a hello control message, received "${message.type}"`));
        return;
      }
      const { chipSeed, simulatorVersion, responseLatency_cycles } = this.chip.identity;
      if (message.protocolVersion !== PROTOCOL_VERSION) {
        this.state = 'closing';
        this.send({ type: 'version-mismatch', protocolVersion: PROTOCOL_VERSION, simulatorVersion });
        this.transport.end();
        this.events.rejected(this.client, new Error(`protocol version ${message.protocolVersion}, this server speaks ${PROTOCOL_VERSION}`));
        return;
      }
      this.state = 'serving';
      this.send({ type: 'identity', protocolVersion: PROTOCOL_VERSION, chipSeed, simulatorVersion, responseLatency_cycles });
      return;
    }
    switch (message.type) {
      case 'reset':
        this.chip.reset();
        this.send({ type: 'reset' });
        return;
      case 'terminate':
        this.state = 'closing';
        this.transport.end();
        return;
      case 'reinit-upload':
      case 'reinit-enforce':
        this.reject(new FramingError(`"${message.type}" needs the scheduling service (@bss2/service, per-user chip state); this served simulator has one shared chip`));
        return;
      default:
        this.reject(new FramingError(`a client does not send "${message.type}" control messages after the handshake`));
    }
  }

  private send(message: ControlMessage): void {
    this.transport.write([encodeFrame(FrameKind.control, encodeControl(message))]);
  }

  /** One error frame (`Name: message`), then close; nothing else from this client is read. */
  private reject(error: Error): void {
    this.state = 'closing';
    this.transport.write([encodeFrame(FrameKind.error, utf8Encode(`${error.name}: ${error.message}`))]);
    this.transport.end();
    this.events.rejected(this.client, error);
  }
}
