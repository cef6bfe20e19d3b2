import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FieldRangeError,
  ResponseDecoder,
  ResponseStreamWriter,
  SYSTIME_MODULUS,
  TimeAnnotator,
  annotateResponses,
  chipTimeOf,
  eventTimestamp,
  isRecoverableEventTime,
  type MADCSampleFromChip,
  type SpikeFromChip,
} from '../src/index.js';
import { RUNS, assertSame, thrown, uint } from './helpers.js';

describe('chip time of an event (hardware.md §5.3)', () => {
  it('puts the halved timestamp into the 128-cycle period of now', () => {
    // now = 1000 = 7·128 + 104
    expect(chipTimeOf(1000, 2 * 104)).toBe(1000);
    expect(chipTimeOf(1000, 2 * 104 + 1)).toBe(1000);
    expect(chipTimeOf(1000, 0)).toBe(896);
    expect(chipTimeOf(1024, 0)).toBe(1024);
  });

  it('goes back one period (128 cycles) when that would be later than now', () => {
    expect(chipTimeOf(1000, 2 * 105)).toBe(1001 - 128);
    expect(chipTimeOf(1000, 255)).toBe(1023 - 128);
    expect(chipTimeOf(1024, 2)).toBe(1025 - 128);
  });

  it('wraps modulo 2^43 below time 0', () => {
    expect(chipTimeOf(5, 2 * 10)).toBe(SYSTIME_MODULUS - 118);
    expect(chipTimeOf(0, 255)).toBe(SYSTIME_MODULUS - 1);
    expect(chipTimeOf(SYSTIME_MODULUS - 1, 255)).toBe(SYSTIME_MODULUS - 1);
  });

  it('device timestamps: 250 MHz ticks modulo 256, validated', () => {
    expect(eventTimestamp(0)).toBe(0);
    expect(eventTimestamp(127, 1)).toBe(255);
    expect(eventTimestamp(128)).toBe(0);
    expect(eventTimestamp(SYSTIME_MODULUS - 1)).toBe(254);
    expect((thrown(() => eventTimestamp(SYSTIME_MODULUS)) as FieldRangeError).field).toBe('eventTimestamp.chipTime');
    expect(thrown(() => eventTimestamp(-1))).toBeInstanceOf(FieldRangeError);
    expect(thrown(() => eventTimestamp(1.5))).toBeInstanceOf(FieldRangeError);
    expect(thrown(() => eventTimestamp(1, 2 as 1))).toBeInstanceOf(FieldRangeError);
    expect(isRecoverableEventTime(10, 137)).toBe(true);
    expect(isRecoverableEventTime(10, 138)).toBe(false);
    expect(isRecoverableEventTime(11, 10)).toBe(false);
    expect(isRecoverableEventTime(SYSTIME_MODULUS - 3, 5)).toBe(true);
  });

  it('recovers every chip time within 127 cycles before now, across the wrap', () => {
    fc.assert(
      fc.property(uint(43), fc.integer({ min: 0, max: 127 }), fc.constantFrom<0 | 1>(0, 1), (now, lag, half) => {
        const chipTime = (now - lag + SYSTIME_MODULUS) % SYSTIME_MODULUS;
        expect(isRecoverableEventTime(chipTime, now)).toBe(true);
        expect(chipTimeOf(now, eventTimestamp(chipTime, half))).toBe(chipTime);
      }),
      RUNS,
    );
  });

  it('is off by a multiple of 128 cycles outside that window', () => {
    fc.assert(
      fc.property(uint(43), fc.integer({ min: 128, max: 100_000 }), (now, lag) => {
        const chipTime = (now - lag + SYSTIME_MODULUS) % SYSTIME_MODULUS;
        expect(isRecoverableEventTime(chipTime, now)).toBe(false);
        const recovered = chipTimeOf(now, eventTimestamp(chipTime));
        expect(recovered).not.toBe(chipTime);
        expect((recovered - chipTime + SYSTIME_MODULUS) % 128).toBe(0);
      }),
      RUNS,
    );
  });
});

describe('time-annotating decoder', () => {
  it('keeps now from Systime and Sysdelta and stamps every response', () => {
    const bytes = new ResponseStreamWriter()
      .omnibusData(1)
      .systime(1000)
      .spikePack([0x0123, 0x0456], [eventTimestamp(990), eventTimestamp(1000, 1)])
      .sysdelta(200)
      .madcSamplePack([512], [1], [eventTimestamp(1100)])
      .jtagData(5)
      .systime(3)
      .spikePack([7], [eventTimestamp(SYSTIME_MODULUS - 2)])
      .timeoutNotification(1_250_000, 0, 1)
      .loopback(0)
      .toBytes();
    const annotated = annotateResponses(bytes, 17);
    expect(annotated.spikes).toEqual([
      { label: 0x0123, chipTime: 990, fpgaTime: 1000 },
      { label: 0x0456, chipTime: 1000, fpgaTime: 1000 },
      { label: 7, chipTime: SYSTIME_MODULUS - 2, fpgaTime: 3 },
    ]);
    expect(annotated.madcSamples).toEqual([{ value: 512, channel: 1, chipTime: 1100, fpgaTime: 1200 }]);
    expect(annotated.responses).toEqual([
      { kind: 'OmnibusData', value: 1, fpgaTime: 17 },
      { kind: 'JtagData', value: 5, fpgaTime: 1200 },
      { kind: 'TimeoutNotification', value: 1_250_000, traceStallCount: 0, omnibusReadsInFlight: 1, fpgaTime: 3 },
      { kind: 'Loopback', value: 0, fpgaTime: 3 },
    ]);
    expect(annotated.now).toBe(3);
    expect(annotated.spikePackCounts).toEqual([1, 1, 0]);
    expect(annotated.madcSamplePackCounts).toEqual([1, 0, 0]);
  });

  it('adds Sysdelta modulo 2^43 and validates its start time', () => {
    const annotator = new TimeAnnotator(SYSTIME_MODULUS - 10);
    annotator.sysdelta(15);
    expect(annotator.now).toBe(5);
    expect((thrown(() => new TimeAnnotator(SYSTIME_MODULUS)) as FieldRangeError).field).toBe('TimeAnnotator.initialTime');
  });

  interface Event {
    readonly spike: boolean;
    readonly gap: number;
    readonly lag: number;
    readonly payload: number;
  }

  const event = fc.record({
    spike: fc.boolean(),
    gap: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 2 ** 20 })),
    lag: fc.integer({ min: 0, max: 127 }),
    payload: uint(16),
  });

  it('round trip: a device emitting timestamps and time updates, a host recovering every event time', () => {
    fc.assert(
      fc.property(uint(43), fc.array(event, { maxLength: 40 }), fc.integer({ min: 1, max: 32 }), (start, events: Event[], chunk) => {
        const writer = new ResponseStreamWriter();
        const expectedSpikes: SpikeFromChip[] = [];
        const expectedSamples: MADCSampleFromChip[] = [];
        writer.systime(start);
        let chipTime = start;
        let now = start;
        for (const e of events) {
          chipTime = (chipTime + e.gap) % SYSTIME_MODULUS;
          // The device tells the host the time at which the pack leaves: `lag` cycles after the event.
          const target = (chipTime + e.lag) % SYSTIME_MODULUS;
          const delta = (target - now + SYSTIME_MODULUS) % SYSTIME_MODULUS;
          if (delta <= 255) writer.sysdelta(delta);
          else writer.systime(target);
          now = target;
          const timestamp = eventTimestamp(chipTime, (e.payload & 1) as 0 | 1);
          if (e.spike) {
            writer.spikePack([e.payload], [timestamp]);
            expectedSpikes.push({ label: e.payload, chipTime, fpgaTime: now });
          } else {
            const value = e.payload & 0x3ff;
            const channel = (e.payload >> 10) & 1;
            writer.madcSamplePack([value], [channel], [timestamp]);
            expectedSamples.push({ value, channel, chipTime, fpgaTime: now });
          }
        }
        const bytes = writer.toBytes();
        const decoder = new ResponseDecoder(new TimeAnnotator());
        for (let at = 0; at < bytes.length; at += chunk) decoder.push(bytes.subarray(at, at + chunk));
        decoder.finish();
        assertSame(decoder.visitor.spikes, expectedSpikes, 'spikes');
        assertSame(decoder.visitor.madcSamples, expectedSamples, 'MADC samples');
      }),
      RUNS,
    );
  });
});
