/**
 * Version of the fisch wire format spoken by both ends of a connection: instruction words of hardware.md §5.2
 * and responses of §5.3, framed as in §6.1 (socket frames and their handshake included). Raised whenever an
 * opcode, a field layout or a handshake message changes; 2 added `responseLatency_cycles` to the handshake.
 */
export const PROTOCOL_VERSION = 2;

/** How the bytes reach the device (hardware.md §6.2, project column). */
export type DeviceKind = 'in-process' | 'zero-mock' | 'tcp' | 'websocket';

/** Who answers a connection: what the device reports in the handshake (hardware.md §6.1, Choice). */
export interface DeviceIdentity {
  /** Version of the fisch wire format spoken by the device end (`PROTOCOL_VERSION`). */
  readonly protocolVersion: number;
  /** Release of the simulator (or firmware) behind the connection; `zero-mock` for the zero mock. */
  readonly simulatorVersion: string;
  /** The simulated chip's seed, its identity and the seed of its fixed-pattern variation; 0 for the zero mock. */
  readonly chipSeed: number;
  /**
   * FPGA cycles after which every spike and MADC sample of a cycle has reached the response stream: an event
   * of cycle c is answered by any program whose Loopback(halt) executes at cycle c + `responseLatency_cycles`
   * or later. A device that integrates analog state in steps reports a step's events only once it is done, so
   * a host waits this long after its experiment instead of knowing the step. 0 for a device that sends none.
   */
  readonly responseLatency_cycles: number;
  readonly kind: DeviceKind;
}
