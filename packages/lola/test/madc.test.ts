import fc from 'fast-check';
import { MADCConfigOnDLS, MADCControlOnDLS } from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import { FieldRangeError, MADCConfig, MADCControl, madcClock_hz, madcSampleRate_hz } from '../src/index.js';
import { checkIOLeaf, sampleCoords } from './io-leaf-checks.js';

describe('MADCConfig', () => {
  checkIOLeaf(MADCConfig, { wordCount: 8, access: 'rw', coords: sampleCoords(MADCConfigOnDLS), seed: 401 });

  it('resets to the datasheet defaults (§3.9) and upstream’s for the rest', () => {
    expect(new MADCConfig().values()).toEqual({
      activeMuxInitiallySelectedInput: 0,
      activeMuxInputSelectLength: 0,
      sampleDurationAdjust: 5,
      enableSarResetOnFall: false,
      sarResetWait: 3,
      sarResetLength: 0,
      powerupWaitValue: 96,
      conversionCyclesOffset: 12,
      calibrationWaitValue: 0,
      enableCalibration: false,
      numberOfSamples: 0,
      preampSamplingWindowStart: 3,
      preampSamplingWindowEnd: 8,
      iconvSamplingWindowStart: 9,
      iconvSamplingWindowEnd: 14,
      sampleOnPositiveEdge: true,
      enableDummyData: false,
      connectPreampToMadc: true,
      connectPadsToMadc: false,
      connectPreampToPads: false,
      preampGainCapacitorSize: 31,
      enableMadcClockScaling: false,
      madcClockScaleValue: 0,
      enableActiveMuxAmplifiers: true,
      enablePseudoDifferentialReference: [false, false],
      signalSelectionConnectCurrentMeter: false,
      signalSelectionConnectActiveMux: true,
      signalSelectionConnectDebug: false,
      signalSelectionConnectPreamp: true,
      enableIconvAmplifier: false,
      connectIconvNeuron: [false, false],
      connectIconvSynapse: [false, false],
    });
  });

  it('has the ranges of §3.9', () => {
    const limits: Record<string, number> = {
      numberOfSamples: 0xffff,
      sampleDurationAdjust: 7,
      conversionCyclesOffset: 15,
      powerupWaitValue: 1023,
      preampGainCapacitorSize: 31,
      activeMuxInitiallySelectedInput: 1,
      activeMuxInputSelectLength: 15,
      preampSamplingWindowStart: 31,
      preampSamplingWindowEnd: 31,
      iconvSamplingWindowStart: 31,
      iconvSamplingWindowEnd: 31,
      madcClockScaleValue: 4095,
      calibrationWaitValue: 1023,
      sarResetWait: 3,
      sarResetLength: 3,
    };
    for (const [field, max] of Object.entries(limits)) {
      expect(new MADCConfig({ [field]: max }).values()[field as keyof ReturnType<MADCConfig['values']>]).toBe(max);
      expect(() => new MADCConfig({ [field]: max + 1 }), field).toThrow(FieldRangeError);
    }
  });

  it('keeps upstream’s bit offsets within each half-word', () => {
    const words = (init: ConstructorParameters<typeof MADCConfig>[0]) => [...new MADCConfig(init).encode()];
    const zero = new MADCConfig({
      sampleDurationAdjust: 0, sarResetWait: 0, powerupWaitValue: 0, conversionCyclesOffset: 0, preampSamplingWindowStart: 0,
      preampSamplingWindowEnd: 0, iconvSamplingWindowStart: 0, iconvSamplingWindowEnd: 0, sampleOnPositiveEdge: false,
      connectPreampToMadc: false, preampGainCapacitorSize: 0, enableActiveMuxAmplifiers: false, signalSelectionConnectActiveMux: false,
      signalSelectionConnectPreamp: false,
    });
    expect([...zero.encode()]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    const base = zero.values();
    expect(words({ ...base, numberOfSamples: 0xbeef })[3]).toBe(0xbeef);
    expect(words({ ...base, sampleDurationAdjust: 7 })[0]).toBe(7 << 8);
    expect(words({ ...base, conversionCyclesOffset: 15 })[1]).toBe(15 << 12);
    expect(words({ ...base, enableCalibration: true })[2]).toBe(1 << 15);
    expect(words({ ...base, preampGainCapacitorSize: 31 })[6]).toBe(31 << (16 + 3));
    expect(words({ ...base, madcClockScaleValue: 4095 })[7]).toBe(4095 << 1);
    expect(words({ ...base, connectIconvSynapse: [true, false] })[7]).toBe(1 << (16 + 11));
    expect(words({ ...base, connectIconvSynapse: [false, true] })[7]).toBe(1 << (16 + 10));
    expect(words({ ...base, enablePseudoDifferentialReference: [false, true] })[7]).toBe(1 << (16 + 2));
  });
});

describe('madcSampleRate_hz', () => {
  it('is 500 MHz / 17 ≈ 29.41 MSa/s by default (§3.9)', () => {
    expect(madcClock_hz).toBe(500e6);
    const rate = madcSampleRate_hz(new MADCConfig());
    expect(rate).toBeCloseTo(500e6 / 17, 6);
    expect(rate / 1e6).toBeCloseTo(29.41, 2);
    expect(1e9 / rate).toBeCloseTo(34, 6);
  });

  it('follows f / (12 + adjust), divided by 2·(scale + 1) with clock scaling', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 }), fc.boolean(), fc.integer({ min: 0, max: 4095 }), (adjust, scaling, scale) => {
        const config = new MADCConfig({ sampleDurationAdjust: adjust, enableMadcClockScaling: scaling, madcClockScaleValue: scale });
        const expected = scaling ? 500e6 / (12 + adjust) / (2 * (scale + 1)) : 500e6 / (12 + adjust);
        return Math.abs(madcSampleRate_hz(config) - expected) <= expected * 1e-12;
      }),
      { numRuns: 1000, seed: 402 },
    );
    expect(madcSampleRate_hz(new MADCConfig({ sampleDurationAdjust: 0 }))).toBeCloseTo(500e6 / 12, 3);
    expect(madcSampleRate_hz(new MADCConfig({ enableMadcClockScaling: true, madcClockScaleValue: 1 }))).toBeCloseTo(500e6 / 17 / 4, 3);
    expect(madcSampleRate_hz(new MADCConfig(), 250e6)).toBeCloseTo(250e6 / 17, 3);
  });
});

describe('MADCControl', () => {
  checkIOLeaf(MADCControl, { wordCount: 1, access: 'w', coords: sampleCoords(MADCControlOnDLS), seed: 403 });

  it('resets to all commands off, bits in upstream order', () => {
    expect(new MADCControl().encode()[0]).toBe(0);
    const names = [
      'wakeUp', 'startRecording', 'stopRecording', 'enablePowerDownAfterSampling', 'enableContinuousSampling',
      'enablePreAmplifier', 'enableIconvAmplifier',
    ] as const;
    names.forEach((name, bit) => expect(new MADCControl({ [name]: true }).encode()[0], name).toBe(1 << bit));
  });
});
