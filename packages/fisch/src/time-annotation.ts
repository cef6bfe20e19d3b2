import { EVENT_TIMESTAMP_PERIOD_CYCLES, SYSTIME_MODULUS as MODULUS } from './constants.js';
import { FieldRangeError } from './errors.js';
import { ResponseDecoder } from './response-decoder.js';
import type { Response } from './response.js';
import type { ResponseVisitor } from './response-visitor.js';

// Module-local copies for the per-event path (imported bindings are loaded again on every call).
const PERIOD = EVENT_TIMESTAMP_PERIOD_CYCLES;
const SYSTIME_MODULUS = MODULUS;

/** A recorded spike: label, the chip time it happened and the FPGA time its pack arrived (FPGA cycles). */
export interface SpikeFromChip {
  readonly label: number;
  readonly chipTime: number;
  readonly fpgaTime: number;
}

/** A recorded MADC sample (10-bit value, channel 0/1) with chip and FPGA time (FPGA cycles). */
export interface MADCSampleFromChip {
  readonly value: number;
  readonly channel: number;
  readonly chipTime: number;
  readonly fpgaTime: number;
}

/** A non-event response stamped with the FPGA time at which it arrived. */
export type TimedResponse = Response & { readonly fpgaTime: number };

function checkTime(name: string, value: number): void {
  if (!(Number.isInteger(value) && value >= 0 && value < SYSTIME_MODULUS)) {
    throw new FieldRangeError(name, value, 0, SYSTIME_MODULUS - 1, 'a 43-bit FPGA time');
  }
}

/**
 * Chip time of an event whose 8-bit `timestamp` (250 MHz ticks) arrived at FPGA time `now` (hardware.md §5.3):
 * `((now >> 7) << 7) | (timestamp / 2)`, minus 128 (mod 2^43) if that is later than `now`. The event must
 * have happened at most 127 cycles before `now` for the result to be its true time.
 */
export function chipTimeOf(now: number, timestamp: number): number {
  const time = now - (now % PERIOD) + (timestamp >>> 1);
  return time > now ? (time - PERIOD + SYSTIME_MODULUS) % SYSTIME_MODULUS : time;
}

/**
 * Device side: the 8-bit timestamp the chip attaches to an event at `chipTime` (FPGA cycles, 43 bit);
 * `halfCycle` is the extra 250 MHz tick the host drops on decode. The host recovers `chipTime` if its
 * FPGA time is in `chipTime .. chipTime + 127` when the pack arrives (`isRecoverableEventTime`), so emit a
 * Systime/Sysdelta that brings it there before the pack.
 */
export function eventTimestamp(chipTime: number, halfCycle: 0 | 1 = 0): number {
  checkTime('eventTimestamp.chipTime', chipTime);
  if (halfCycle !== 0 && halfCycle !== 1) throw new FieldRangeError('eventTimestamp.halfCycle', halfCycle, 0, 1);
  return (chipTime % PERIOD) * 2 + halfCycle;
}

/** Whether an event at `chipTime` is annotated correctly when its pack arrives at FPGA time `now`. */
export function isRecoverableEventTime(chipTime: number, now: number): boolean {
  return (now - chipTime + SYSTIME_MODULUS) % SYSTIME_MODULUS < PERIOD;
}

/**
 * Host side: a response visitor that keeps the FPGA time `now` — Systime sets it, Sysdelta adds to it
 * (mod 2^43) — and stamps every response with it (hardware.md §5.3). Spikes and MADC samples become
 * records with their chip time; other responses are kept with their arrival time. Time messages only move
 * `now` and are not listed. Pack sizes are counted for the run statistics of hardware.md §5.4.
 */
export class TimeAnnotator implements ResponseVisitor {
  /** Current FPGA time in cycles. */
  now: number;
  readonly spikes: SpikeFromChip[] = [];
  readonly madcSamples: MADCSampleFromChip[] = [];
  readonly responses: TimedResponse[] = [];
  /** Spike packs received by size: `[SpikePack1, SpikePack2, SpikePack3]`. */
  readonly spikePackCounts: [number, number, number] = [0, 0, 0];
  /** MADC sample packs received by size. */
  readonly madcSamplePackCounts: [number, number, number] = [0, 0, 0];

  constructor(initialTime = 0) {
    checkTime('TimeAnnotator.initialTime', initialTime);
    this.now = initialTime;
  }

  jtagData(value: number): void {
    this.responses.push({ kind: 'JtagData', value, fpgaTime: this.now });
  }
  omnibusData(value: number): void {
    this.responses.push({ kind: 'OmnibusData', value, fpgaTime: this.now });
  }
  loopback(value: number): void {
    this.responses.push({ kind: 'Loopback', value, fpgaTime: this.now });
  }
  highspeedLinkNotification(value: number): void {
    this.responses.push({ kind: 'HighspeedLinkNotification', value, fpgaTime: this.now });
  }
  timeoutNotification(value: number, traceStallCount: number, omnibusReadsInFlight: number): void {
    this.responses.push({ kind: 'TimeoutNotification', value, traceStallCount, omnibusReadsInFlight, fpgaTime: this.now });
  }
  systime(value: number): void {
    this.now = value;
  }
  sysdelta(value: number): void {
    this.now = (this.now + value) % SYSTIME_MODULUS;
  }
  madcSamplePack(values: ArrayLike<number>, channels: ArrayLike<number>, timestamps: ArrayLike<number>, count: number): void {
    const now = this.now;
    for (let i = 0; i < count; i++) {
      this.madcSamples.push({ value: values[i]!, channel: channels[i]!, chipTime: chipTimeOf(now, timestamps[i]!), fpgaTime: now });
    }
    this.madcSamplePackCounts[count - 1] = this.madcSamplePackCounts[count - 1]! + 1;
  }
  spikePack(labels: ArrayLike<number>, timestamps: ArrayLike<number>, count: number): void {
    const now = this.now;
    for (let i = 0; i < count; i++) {
      this.spikes.push({ label: labels[i]!, chipTime: chipTimeOf(now, timestamps[i]!), fpgaTime: now });
    }
    this.spikePackCounts[count - 1] = this.spikePackCounts[count - 1]! + 1;
  }
}

/** Decodes a complete response stream and annotates it, starting at FPGA time `initialTime`. */
export function annotateResponses(bytes: Uint8Array, initialTime = 0): TimeAnnotator {
  const decoder = new ResponseDecoder(new TimeAnnotator(initialTime));
  decoder.push(bytes);
  decoder.finish();
  return decoder.visitor;
}
