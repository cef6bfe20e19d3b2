// The chip side of the perceptron front end: any device with MacExecutor's `multiply` (`@bss2/execution`), such as
// MacExecutor itself or the mock (src/mock.ts). The request is execution's.
import type { MacRequest } from '@bss2/execution';
import { BLOCK_ROWS } from './limits.js';

export type { MacRequest };

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
