import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectInProcess } from '@bss2/hxcomm/in-process';
import {
  CalibrationResultFormatError,
  CalibrationTargetError,
  DEFAULT_MAC_TARGET,
  MAC_ROWS,
  type MacCalibrationResult,
  macLabel,
  macResultFromJSON,
  macResultToJSON,
  mean,
  resolveMacTarget,
  resultChecksum,
  standardDeviation,
} from '../src/index.js';
import { calibrateMACCached } from '../src/node/index.js';

const dir = mkdtempSync(join(tmpdir(), 'bss2-mac-cache-'));
let result: MacCalibrationResult;

beforeAll(async () => {
  const first = await calibrateMACCached(connectInProcess({ seed: 1 }), {}, {}, { paths: [dir] });
  expect(first.cached).toBe(false);
  result = first.result;
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('MAC target', () => {
  it('fills in the defaults and refuses values out of range or unknown fields, naming them', () => {
    expect(resolveMacTarget()).toEqual(DEFAULT_MAC_TARGET);
    expect(() => resolveMacTarget({ baseline_lsb: 250 })).toThrow(/baseline_lsb = 250 is not achievable: expected an integer in 32\.\.224/);
    expect(() => resolveMacTarget({ gain: 0 })).toThrow(CalibrationTargetError);
    expect(() => resolveMacTarget({ synapseDacBias_lsb: 1.5 })).toThrow(/synapseDacBias_lsb/);
    expect(() => resolveMacTarget({ gian: 0.002 } as never)).toThrow(/gian .*a MAC target field/);
  });
});

describe('MAC labels', () => {
  it('carry hemisphere (link), PADI bus, row select and activation in their fields (hardware.md §2.4)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: MAC_ROWS - 1 }), fc.integer({ min: 0, max: 31 }), (block, row, activation) => {
        const label = macLabel(block, row, activation);
        expect(label >>> 14).toBe(block);
        expect((label >>> 11) & 0b11).toBe(row % 4);
        expect((label >>> 6) & 0b11111).toBe(Math.floor(row / 4));
        expect(label & 0b111111).toBe(activation);
      }),
      { seed: 21, numRuns: 200 },
    );
  });
});

describe('calibrateMAC (seed 1)', () => {
  it('trims every driver: DAC thresholds near 0 and gains within a few percent of the hemisphere median', () => {
    const threshold = result.parameter('hagenDacThreshold_lsb')!;
    expect(mean(threshold.before)).toBeGreaterThan(1); // the fixed pattern: N(1.5, 0.5) activation LSB
    expect(Math.max(...Array.from(threshold.achieved, Math.abs))).toBeLessThan(0.35);
    const gain = result.parameter('driverGain')!;
    expect(standardDeviation(gain.before)).toBeGreaterThan(0.05);
    expect(standardDeviation(gain.achieved)).toBeLessThan(0.03);
    expect(Array.from(threshold.success).every((s) => s === 1)).toBe(true);
  });

  it('brings every column to the target gain and baseline', () => {
    for (const name of ['gainExcitatory', 'gainInhibitory']) {
      const report = result.parameter(name)!;
      expect(standardDeviation(report.before) / mean(report.before)).toBeGreaterThan(0.1);
      for (const g of report.achieved) expect(Math.abs(g / result.target.gain - 1)).toBeLessThan(0.03);
    }
    const baseline = result.parameter('baseline_lsb')!;
    expect(standardDeviation(baseline.before)).toBeGreaterThan(3);
    for (const b of baseline.achieved) expect(Math.abs(b - result.target.baseline_lsb)).toBeLessThanOrEqual(2);
    expect(result.identity.chipSeed).toBe(1);
  });

  it('is served from the cache the second time, and a damaged cache file is reported and replaced', async () => {
    const again = await calibrateMACCached(connectInProcess({ seed: 1 }), {}, {}, { paths: [dir] });
    expect(again.cached).toBe(true);
    expect(Array.from(again.result.neurons.gmExcitatory)).toEqual(Array.from(result.neurons.gmExcitatory));
    const file = join(dir, `mac-${again.key}.json`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"vReset":[', '"vReset":[1,'));
    const warnings: string[] = [];
    const redone = await calibrateMACCached(connectInProcess({ seed: 1 }), {}, {}, { paths: [dir], warn: (m) => warnings.push(m) });
    expect(redone.cached).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(file);
    expect((await calibrateMACCached(connectInProcess({ seed: 1 }), {}, {}, { paths: [dir] })).cached).toBe(true);
  }, 120_000);
});

describe('MAC result documents', () => {
  it('round-trip through JSON, and a damaged or malformed document is a typed error naming the field', () => {
    const doc = macResultToJSON(result);
    const back = macResultFromJSON(JSON.parse(JSON.stringify(doc)));
    expect(macResultToJSON(back)).toEqual(doc);
    const damaged = { ...doc, neurons: { ...(doc.neurons as object), vReset: [...(doc.neurons as { vReset: number[] }).vReset] } } as Record<string, unknown> & { neurons: { vReset: number[] } };
    damaged.neurons.vReset[3]! += 1;
    expect(() => macResultFromJSON(damaged)).toThrow(/checksum/);
    expect(() => macResultFromJSON({ ...doc, format: 'other' })).toThrow(CalibrationResultFormatError);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 511 }), fc.oneof(fc.constant(-1), fc.constant(1023), fc.constant(2.5)), (i, bad) => {
        const copy = JSON.parse(JSON.stringify(doc));
        copy.neurons.gmInhibitory[i] = bad;
        delete copy.checksum;
        copy.checksum = resultChecksum(copy);
        expect(() => macResultFromJSON(copy)).toThrow(new RegExp(`neurons\\.gmInhibitory\\[${i}\\]: expected an integer in 0\\.\\.1022`));
      }),
      { seed: 5, numRuns: 20 },
    );
  });
});
