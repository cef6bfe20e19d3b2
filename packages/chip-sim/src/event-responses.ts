import {
  EVENT_TIMESTAMP_PERIOD_CYCLES,
  type ResponseStreamWriter,
  SYSTIME_MODULUS,
  eventTimestamp,
  isRecoverableEventTime,
} from '@bss2/fisch';
import { EventKind, type EventBuffer } from './event-buffer.js';

/** Events per SpikePack / MADCSamplePack response (hardware.md §5.3). */
const PACK_MAX = 3;
/** Largest increment a Sysdelta response carries (8 bit). */
const SYSDELTA_MAX = 255;

/**
 * Frames recorded events as responses so that the host's time annotation recovers each event's chip time
 * exactly (hardware.md §5.3). It tracks the host's `now` (Systime sets it, Sysdelta adds): an event's 8-bit
 * timestamp only says where it lies in a 128-cycle period, so before a pack whose events the host would place
 * in the wrong period it moves the host's `now` to the pack's last event — a Sysdelta when that is 1..255
 * cycles ahead, a Systime otherwise. Up to three consecutive events of one kind within 128 cycles share a pack.
 */
export class EventResponder {
  /** The FPGA time the host believes, as set by the time responses sent so far. */
  private hostTime = 0;
  private readonly values = new Uint16Array(PACK_MAX);
  private readonly channels = new Uint8Array(PACK_MAX);
  private readonly timestamps = new Uint8Array(PACK_MAX);

  /** Every response stream starts with the absolute time (design, "Responses"). */
  start(writer: ResponseStreamWriter, systime: number): void {
    writer.systime(systime);
    this.hostTime = systime;
  }

  /** Writes the buffered events (cycle → systime by `systimeOffset`) and empties the buffer. */
  flush(events: EventBuffer, writer: ResponseStreamWriter, systimeOffset: number): void {
    events.sortByTime();
    const n = events.length;
    let i = 0;
    while (i < n) {
      const kind = events.kind[i]!;
      const first = systimeOf(events.cycle[i]!, systimeOffset);
      let end = i + 1;
      while (
        end < n &&
        end - i < PACK_MAX &&
        events.kind[end] === kind &&
        (systimeOf(events.cycle[end]!, systimeOffset) - first + SYSTIME_MODULUS) % SYSTIME_MODULUS < EVENT_TIMESTAMP_PERIOD_CYCLES
      ) {
        end++;
      }
      const last = systimeOf(events.cycle[end - 1]!, systimeOffset);
      if (!isRecoverableEventTime(first, this.hostTime) || !isRecoverableEventTime(last, this.hostTime)) {
        const delta = (last - this.hostTime + SYSTIME_MODULUS) % SYSTIME_MODULUS;
        if (delta >= 1 && delta <= SYSDELTA_MAX) writer.sysdelta(delta);
        else writer.systime(last);
        this.hostTime = last;
      }
      const count = end - i;
      for (let k = 0; k < count; k++) {
        this.values[k] = events.value[i + k]!;
        this.channels[k] = events.channel[i + k]!;
        const half = events.halfCycle[i + k] === 1 ? 1 : 0;
        this.timestamps[k] = eventTimestamp(systimeOf(events.cycle[i + k]!, systimeOffset), half);
      }
      if (kind === EventKind.spike) writer.spikePack(this.values, this.timestamps, count);
      else writer.madcSamplePack(this.values, this.channels, this.timestamps, count);
      i = end;
    }
    events.clear();
  }
}

/** Systime of FPGA cycle `cycle` (43-bit, wraps, hardware.md §1.1). */
export function systimeOf(cycle: number, systimeOffset: number): number {
  return (cycle + systimeOffset) % SYSTIME_MODULUS;
}
