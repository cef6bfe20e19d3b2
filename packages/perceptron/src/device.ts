// The chip side of the perceptron front end, as a structural interface: `@bss2/execution`'s MacExecutor has this
// shape, and so does the mock (src/mock.ts). Perceptron does not import execution for it.
import { BLOCK_ROWS } from './limits.js';

/** One matrix multiply: `batch` input vectors times one weight matrix. */
export interface MacRequest {
  /** batch × rows, row-major, each 0..31. */
  readonly inputs: Uint8Array;
  /** rows × columns, row-major, each −63..63. */
  readonly weights: Int8Array;
  readonly batch: number;
  readonly rows: number;
  readonly columns: number;
}

export interface MacOptions {
  /** How often each input vector is sent (the integrated charge, and so the output, scales with it). */
  readonly numSends: number;
  /** Wait between two input events, in FPGA cycles. */
  readonly waitBetweenEvents: number;
}

export interface MacResult {
  /** One per 128-row block, each batch × columns row-major, already clamped to int8. */
  readonly blocks: readonly Int8Array[];
}

/** A device that multiplies any rows × columns: it splits into 128-row blocks and 256-column passes itself. */
export interface MacDevice {
  multiply(request: MacRequest, options: MacOptions): Promise<MacResult>;
}

/** Blocks a request of `rows` rows is split into (the last one may be partial). */
export function blockCount(rows: number): number {
  return Math.ceil(rows / BLOCK_ROWS);
}
