/**
 * Receives decoded responses one call per message, fields as plain numbers, without allocation
 * (hardware.md §5.3). The device-side `ResponseStreamWriter` is one, so decoding into a writer re-encodes.
 *
 * The arrays handed to `madcSamplePack` and `spikePack` are scratch space of the caller: read their first
 * `count` entries during the call and do not keep them.
 */
export interface ResponseVisitor {
  jtagData(value: number): void;
  omnibusData(value: number): void;
  /** `Loopback.halt` (0) ends a run; `Loopback.tick` (1). */
  loopback(value: number): void;
  highspeedLinkNotification(value: number): void;
  timeoutNotification(value: number, traceStallCount: number, omnibusReadsInFlight: number): void;
  /** Absolute FPGA time (43 bit). */
  systime(value: number): void;
  /** Increment of FPGA time (8 bit). */
  sysdelta(value: number): void;
  madcSamplePack(
    values: ArrayLike<number>,
    channels: ArrayLike<number>,
    timestamps: ArrayLike<number>,
    count: number,
  ): void;
  spikePack(labels: ArrayLike<number>, timestamps: ArrayLike<number>, count: number): void;
}
