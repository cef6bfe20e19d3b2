/** Root of every error thrown by `@bss2/hxcomm`. */
export class HxcommError extends Error {
  override name = 'HxcommError';
}

/**
 * No answer arrived in time (connect, handshake or one execute). The transfer's outcome is unknown, so the
 * connection is closed: a late answer could not be told apart from the next one (architecture.md, "Errors").
 */
export class ConnectionTimeoutError extends HxcommError {
  override name = 'ConnectionTimeoutError';
  constructor(
    readonly endpoint: string,
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(
      `${operation} on ${endpoint} got no answer within ${timeoutMs} ms; the connection is closed, ` +
        'connect again (and raise timeoutMs if the program is long)',
    );
  }
}

/** The connection is closed: by `close()`, by the peer, or after an earlier failed transfer (`reason`). */
export class ConnectionClosedError extends HxcommError {
  override name = 'ConnectionClosedError';
  constructor(
    readonly endpoint: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`the connection to ${endpoint} is closed: ${reason}; connect again`, options);
  }
}

/** Client and server speak different protocol versions (hardware.md §6.1: fisch words framed per the Choice). */
export class ProtocolVersionError extends HxcommError {
  override name = 'ProtocolVersionError';
  constructor(
    readonly endpoint: string,
    readonly clientVersion: number,
    readonly serverVersion: number,
    readonly simulatorVersion: string,
  ) {
    super(
      `${endpoint} speaks protocol version ${serverVersion} (simulator ${simulatorVersion}), this client ` +
        `speaks ${clientVersion}; use client and server of the same release`,
    );
  }
}

/**
 * The device end rejected a transfer: the simulator (in-process or served) or the zero mock. `remoteName` is
 * the device's error name (e.g. `InstructionStreamRejectedError`), `remoteMessage` its text; `cause` is the
 * error object itself when the device runs in this process. The connection is closed afterwards.
 */
export class RemoteError extends HxcommError {
  override name = 'RemoteError';
  constructor(
    readonly endpoint: string,
    readonly remoteName: string,
    readonly remoteMessage: string,
    options?: { cause?: unknown },
  ) {
    super(`${endpoint} rejected the transfer: ${remoteName}: ${remoteMessage}; the connection is closed`, options);
  }

  /** Parses the text of an error frame (`Name: message`, as the server writes it). */
  static fromText(endpoint: string, text: string): RemoteError {
    const match = /^([A-Za-z_$][\w$]*): ([\s\S]*)$/.exec(text);
    return match === null ? new RemoteError(endpoint, 'Error', text) : new RemoteError(endpoint, match[1]!, match[2]!);
  }
}

/**
 * Bytes on the socket are not a valid frame sequence or control message (hardware.md §6.1, Choice). `offset`
 * is the absolute byte offset in the received stream where the problem was found, when known.
 */
export class FramingError extends HxcommError {
  override name = 'FramingError';
  constructor(
    readonly reason: string,
    readonly offset?: number,
  ) {
    super(offset === undefined ? reason : `at byte ${offset}: ${reason}`);
  }
}

/** A connection setting (environment variable, URL, option) has an invalid value, or names an unavailable backend. */
export class ConnectionConfigError extends HxcommError {
  override name = 'ConnectionConfigError';
  constructor(
    readonly setting: string,
    readonly value: unknown,
    readonly rule: string,
  ) {
    super(`${setting} = ${describe(value)}: ${rule}`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return String(value);
}

/** A server refused a connection by policy: too many connections, or a WebSocket Origin not on its allow-list. */
export class ConnectionRefusedError extends HxcommError {
  override name = 'ConnectionRefusedError';
  constructor(
    readonly rule: string,
    readonly detail: string,
  ) {
    super(`${detail} (${rule})`);
  }
}

/** A server closed a connection that did not complete its handshake, or sent nothing, within the allowed time. */
export class IdleTimeoutError extends HxcommError {
  override name = 'IdleTimeoutError';
  constructor(
    readonly phase: 'handshake' | 'idle',
    readonly timeout_ms: number,
  ) {
    super(
      phase === 'handshake'
        ? `no complete hello within ${timeout_ms} ms of connecting; the connection is closed`
        : `no request for ${timeout_ms} ms; the idle connection is closed, connect again`,
    );
  }
}
