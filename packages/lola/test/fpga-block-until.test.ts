import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { BarrierOnFPGA, TimerOnDLS } from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import { Barrier, ContainerSerializationError, FieldRangeError, TimerValue, UnknownFieldError, nominal } from '../src/index.js';

const packr = new Packr({ useRecords: false, moreTypes: false });

describe('TimerValue', () => {
  it('is a 32-bit count of FPGA cycles at TimerOnDLS, default 0', () => {
    expect(TimerValue.coordinateType).toBe(TimerOnDLS);
    expect(new TimerValue().value).toBe(0);
    expect(new TimerValue(0xffff_ffff).value).toBe(0xffff_ffff);
    for (const bad of [-1, 2 ** 32, 1.5, Number.NaN, '5']) expect(() => new TimerValue(bad as number)).toThrow(FieldRangeError);
  });

  it('converts microseconds at 125 cycles per µs', () => {
    expect(nominal.fpgaClockCyclesPerUs).toBe(125);
    expect(TimerValue.fromMicroseconds(10_000).value).toBe(1_250_000);
    expect(TimerValue.fromMicroseconds(0.004).value).toBe(1);
    expect(new TimerValue(250).toMicroseconds()).toBe(2);
    expect(() => TimerValue.fromMicroseconds(2 ** 32 / 125)).toThrow(FieldRangeError);
  });

  it('round-trips through JSON and msgpack and compares by value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), (cycles) => {
        const value = new TimerValue(cycles);
        const viaJSON = TimerValue.fromJSON(JSON.parse(JSON.stringify(value)));
        const viaMsgpack = TimerValue.fromJSON(packr.unpack(packr.pack(value.toJSON())));
        return viaJSON.equals(value) && viaMsgpack.equals(value) && !value.equals(new TimerValue((cycles + 1) % 2 ** 32));
      }),
      { numRuns: 1000, seed: 701 },
    );
    expect(JSON.parse(JSON.stringify(new TimerValue(7)))).toEqual({ type: 'TimerValue', value: 7 });
    expect(() => TimerValue.fromJSON({ type: 'Timer', value: 1 })).toThrow(ContainerSerializationError);
    expect(() => TimerValue.fromJSON({ type: 'TimerValue', value: -1 })).toThrow(FieldRangeError);
    expect(() => TimerValue.fromJSON({ type: 'TimerValue', value: 1, unit: 'us' })).toThrow(UnknownFieldError);
  });

  it('is immutable', () => {
    const value = new TimerValue(3);
    expect(() => {
      (value as { value: number }).value = 4;
    }).toThrow(TypeError);
  });
});

describe('Barrier', () => {
  it('has the mask bits of hardware.md §5.2 and its presets', () => {
    expect(Barrier.coordinateType).toBe(BarrierOnFPGA);
    expect(new Barrier().mask).toBe(0);
    expect(Barrier.omnibus.mask).toBe(1);
    expect(Barrier.jtag.mask).toBe(2);
    expect(Barrier.systime.mask).toBe(4);
    expect(Barrier.multiFpga.mask).toBe(8);
    expect(Barrier.systimeCorrection.mask).toBe(16);
    expect(Barrier.omnibus.enableOmnibus).toBe(true);
    expect(Barrier.omnibus.enableJtag).toBe(false);
    expect(Barrier.omnibus.union(Barrier.jtag).mask).toBe(3);
    expect(String(Barrier.omnibus.union(Barrier.systime))).toBe('Barrier(enableOmnibus, enableSystime)');
  });

  it('round-trips its 5-bit mask, JSON and msgpack for every combination', () => {
    for (let mask = 0; mask < 32; mask++) {
      const barrier = Barrier.fromMask(mask);
      expect(barrier.mask).toBe(mask);
      expect(Barrier.fromJSON(JSON.parse(JSON.stringify(barrier))).equals(barrier)).toBe(true);
      expect(Barrier.fromJSON(packr.unpack(packr.pack(barrier.toJSON()))).equals(barrier)).toBe(true);
      expect(barrier.equals(Barrier.fromMask(mask ^ 1))).toBe(false);
    }
  });

  it('validates flags and masks', () => {
    for (const bad of [-1, 32, 1.5]) expect(() => Barrier.fromMask(bad)).toThrow(FieldRangeError);
    expect(() => new Barrier({ enableOmnibus: 1 as never })).toThrow(FieldRangeError);
    expect(() => new Barrier({ enableOmnibus: null as never })).toThrow(FieldRangeError);
    expect(() => new Barrier({ omnibus: true } as never)).toThrow(UnknownFieldError);
    expect(() => Barrier.fromJSON({ type: 'Barrier', enableJtag: 'yes' })).toThrow(FieldRangeError);
  });

  it('presets are immutable', () => {
    expect(() => {
      (Barrier.omnibus as { enableJtag: boolean }).enableJtag = true;
    }).toThrow(TypeError);
    expect(Barrier.omnibus.mask).toBe(1);
  });
});
