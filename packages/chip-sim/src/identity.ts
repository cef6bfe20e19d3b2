/** Version of this simulator (the package version), reported in the connection handshake (hardware.md §6.1). */
export const SIMULATOR_VERSION = '0.1.0';

/**
 * Version of the fisch wire format the simulator speaks: instruction words of hardware.md §5.2 and responses of
 * §5.3, framed as in §6.1. Raised whenever an opcode or field layout changes.
 */
export const PROTOCOL_VERSION = 1;

/** Who answers: what a connection reports in its handshake. */
export interface ChipIdentity {
  /** The chip's seed: its identity and the seed of its fixed-pattern variation. */
  readonly chipSeed: number;
  readonly simulatorVersion: string;
  readonly protocolVersion: number;
}
