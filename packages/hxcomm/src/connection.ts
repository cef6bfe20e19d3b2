import type { DeviceIdentity, DeviceKind } from '@bss2/fisch';
import { ConnectionConfigError } from './errors.js';

/** How the bytes travel (hardware.md §6.2, project column): fisch's `DeviceKind`. */
export type ConnectionKind = DeviceKind;

/** Who answers (hardware.md §6.1, Choice): fisch's `DeviceIdentity`, the one identity of a device. */
export type ConnectionIdentity = DeviceIdentity;

export interface ExecuteOptions {
  /**
   * Longest wait for the complete answer, in ms (default: the connection's `timeoutMs`). On expiry the call
   * fails with `ConnectionTimeoutError` and the connection closes. The in-process simulator and the zero mock
   * answer synchronously and ignore it.
   */
  timeoutMs?: number;
}

/**
 * A connection to one chip. Satisfies stadls' `PlaybackExecutor` structurally (the lead's design: stadls must
 * not import hxcomm).
 *
 * `execute` sends a complete instruction stream (64-bit big-endian fisch words, hardware.md §5.2, normally
 * ending in Loopback(halt)) and resolves with the complete response stream, up to and including the halt echo
 * (hardware.md §5.3, §5.4). A transfer is all or nothing: when `execute` fails (timeout, rejected stream, lost
 * peer) the connection is closed and every later call fails with `ConnectionClosedError`, so nothing is ever
 * half-written or answered out of turn (architecture.md, "Errors").
 */
export interface Connection {
  readonly identity: ConnectionIdentity;
  execute(instructions: Uint8Array, options?: ExecuteOptions): Promise<Uint8Array>;
  /** Powers the chip on again: every unit at its reset value, time 0 (shared by every client of a server). */
  reset(options?: ExecuteOptions): Promise<void>;
  /** Ends the connection; pending calls fail with `ConnectionClosedError`. Idempotent. */
  close(): Promise<void>;
  readonly closed: boolean;
}

/** Default answer timeout of the socket transports: generous, since a maximal program may run for seconds. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** Checks a timeout option: a positive finite number of milliseconds. */
export function checkTimeout(setting: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 2 ** 31 - 1) {
    throw new ConnectionConfigError(setting, value, `expected a number of milliseconds in (0, ${2 ** 31 - 1}]`);
  }
  return value;
}

/** Checks the argument of `execute`: anything but a byte array is a caller bug, refused before sending. */
export function checkInstructions(instructions: unknown): asserts instructions is Uint8Array {
  if (!(instructions instanceof Uint8Array)) {
    throw new TypeError(
      `execute() takes a Uint8Array of 64-bit big-endian instruction words (e.g. InstructionStream.toBytes()), got ${
        instructions === null ? 'null' : typeof instructions
      }`,
    );
  }
}
