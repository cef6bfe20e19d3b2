import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backendClockPeriod_us, refractorySettings } from '../src/index.js';

fc.configureGlobal({ seed: 0x4ef, numRuns: 100 });

const all = (v: number) => new Float64Array(512).fill(v);

describe('refractory settings (computed, hardware.md §8.1, §9.1)', () => {
  it('the spiking preset: 2 µs on the 8 ns clock, one hold-off cycle', () => {
    const s = refractorySettings(all(2), all(0));
    expect(s.clockScaleFast).toEqual([0, 0]);
    expect(s.refractoryTime[0]).toBe(250);
    expect(s.resetHoldoff[0]).toBe(15);
    expect(s.refractoryTime_us[0]).toBeCloseTo(2, 9);
    expect(s.holdoffTime_us[0]).toBeCloseTo(0.008, 9);
  });

  it('every feasible pair is met within one clock period, with a reset phase left', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.04, max: 32, noNaN: true }), fc.double({ min: 0, max: 4, noNaN: true }), (ref, hold) => {
        fc.pre(hold < ref - 0.1 && hold <= ref / 2);
        const s = refractorySettings(all(ref), all(hold));
        const period = backendClockPeriod_us(s.inputClock[0] === 1 ? s.clockScaleFast[0]! : s.clockScaleSlow[0]!);
        expect(Math.abs(s.refractoryTime_us[0]! - ref)).toBeLessThanOrEqual(period / 2 + 1e-9);
        expect(Math.abs(s.holdoffTime_us[0]! - hold)).toBeLessThanOrEqual(Math.max(period, hold * 0.1) + 1e-9);
        expect(s.refractoryTime[0]!).toBeGreaterThan(0x1f - 2 * s.resetHoldoff[0]!);
      }),
    );
  });

  it('two refractory times in one half share the two clocks', () => {
    const ref = all(2);
    for (let i = 0; i < 512; i += 2) ref[i] = 20;
    const s = refractorySettings(ref, all(0));
    expect(s.clockScaleFast[0]).toBe(0);
    expect(s.clockScaleSlow[0]).toBe(4);
    expect(s.inputClock[0]).toBe(0);
    expect(s.inputClock[1]).toBe(1);
    expect(Math.abs(s.refractoryTime_us[0]! - 20)).toBeLessThanOrEqual(backendClockPeriod_us(4) / 2);
  });
});
