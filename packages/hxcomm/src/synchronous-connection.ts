import { checkInstructions, type Connection, type ConnectionIdentity, type ExecuteOptions } from './connection.js';
import { ConnectionClosedError, RemoteError } from './errors.js';

/**
 * A connection whose device runs in this process and answers synchronously (in-process simulator, zero mock).
 * It follows the transports' rule anyway: a rejected transfer closes the connection, so a program behaves the
 * same whichever connection the environment selects (hardware.md §6.3).
 */
export abstract class SynchronousConnection implements Connection {
  private closedReason: string | undefined;
  private closedCause: unknown;

  protected constructor(
    readonly identity: ConnectionIdentity,
    /** Names the device in messages. */
    readonly endpoint: string,
  ) {}

  /** The device's answer to a complete instruction stream; throws the device's error on a bad one. */
  protected abstract run(instructions: Uint8Array): Uint8Array;
  protected abstract powerOn(): void;

  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  async execute(instructions: Uint8Array, _options?: ExecuteOptions): Promise<Uint8Array> {
    checkInstructions(instructions);
    this.checkOpen();
    try {
      return this.run(instructions);
    } catch (error) {
      throw this.failed(error);
    }
  }

  async reset(_options?: ExecuteOptions): Promise<void> {
    this.checkOpen();
    try {
      this.powerOn();
    } catch (error) {
      throw this.failed(error);
    }
  }

  async close(): Promise<void> {
    this.closedReason ??= 'closed by close()';
  }

  private checkOpen(): void {
    if (this.closedReason !== undefined) {
      throw new ConnectionClosedError(this.endpoint, this.closedReason, { cause: this.closedCause });
    }
  }

  private failed(error: unknown): RemoteError {
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    const remote = new RemoteError(this.endpoint, name, message, { cause: error });
    this.closedReason = `an earlier transfer failed (${name})`;
    this.closedCause = remote;
    return remote;
  }
}
