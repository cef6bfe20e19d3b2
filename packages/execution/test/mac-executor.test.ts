import { beforeAll, describe, expect, it } from 'vitest';
import { connectInProcess } from '@bss2/hxcomm/in-process';
import { type MacCalibrationResult, calibrateMAC, nominalCalibration, spikingTarget } from '@bss2/calibration';
import { CalibrationMismatchError, MacExecutor, RunRequestError } from '../src/index.js';

// One seeded chip, calibrated once (≈ 3 s): the acceptance figures of the matrix-multiply mode (hardware.md §11.2).
const connection = connectInProcess({ seed: 3 });
let calibration: MacCalibrationResult;
let mac: MacExecutor;

beforeAll(async () => {
  calibration = await calibrateMAC(connection);
  mac = new MacExecutor({ connection, calibration });
}, 120_000);

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

function ideal(inputs: Uint8Array, weights: Int8Array, batch: number, rows: number, columns: number, rowFrom = 0, rowTo = rows): Float64Array {
  const out = new Float64Array(batch * columns);
  for (let b = 0; b < batch; b++) for (let k = rowFrom; k < rowTo; k++) for (let c = 0; c < columns; c++) out[b * columns + c]! += inputs[b * rows + k]! * weights[k * columns + c]!;
  return out;
}

function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]! / n;
    my += y[i]! / n;
  }
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe('MacExecutor on a calibrated chip', () => {
  it('matches the ideal x·W with Pearson r ≥ 0.98 on random inputs and weights in the linear regime', async () => {
    const random = lcg(7);
    const [batch, rows, columns] = [24, 128, 256];
    const inputs = Uint8Array.from({ length: batch * rows }, () => Math.floor(random() * 32));
    const weights = Int8Array.from({ length: rows * columns }, () => Math.round((random() * 2 - 1) * 63));
    const { blocks } = await mac.multiply({ inputs, weights, batch, rows, columns });
    const expected = ideal(inputs, weights, batch, rows, columns);
    const linear = Array.from(blocks[0]!.keys()).filter((k) => Math.abs(blocks[0]![k]!) < 120);
    expect(linear.length).toBeGreaterThan(0.95 * batch * columns);
    expect(pearson(linear.map((k) => expected[k]!), linear.map((k) => blocks[0]![k]!))).toBeGreaterThanOrEqual(0.98);
    // The slope is the calibrated gain (CADC LSB per activation · weight).
    const slope = linear.reduce((s, k) => s + expected[k]! * blocks[0]![k]!, 0) / linear.reduce((s, k) => s + expected[k]! ** 2, 0);
    expect(slope).toBeCloseTo(calibration.target.gain, 3);
  });

  it('has a per-column gain spread of at most 5 % (uniform weights on all 128 rows, both signs)', async () => {
    const [rows, columns] = [128, 256];
    const levels = [0, 4, 8, 12];
    const batch = 2 * levels.length;
    const inputs = Uint8Array.from({ length: batch * rows }, (_, k) => levels[Math.floor(k / rows) % levels.length]!);
    for (const w of [12, -12]) {
      const weights = new Int8Array(rows * columns).fill(w);
      const { blocks } = await mac.multiply({ inputs, weights, batch, rows, columns });
      const gains = Array.from({ length: columns }, (_, c) => {
        let num = 0, den = 0;
        for (let b = 0; b < batch; b++) {
          const x = rows * inputs[b * rows]! * w;
          num += x * blocks[0]![b * columns + c]!;
          den += x * x;
        }
        return num / den;
      });
      const mean = gains.reduce((a, g) => a + g, 0) / columns;
      const sd = Math.sqrt(gains.reduce((a, g) => a + (g - mean) ** 2, 0) / columns);
      expect(sd / mean).toBeLessThanOrEqual(0.05);
    }
  });

  it('saturates: the membrane rail and the CADC range bound positive results, the int8 clamp negative ones', async () => {
    const [rows, columns] = [128, 8];
    const inputs = new Uint8Array(rows).fill(31);
    const weights = Int8Array.from({ length: rows * columns }, (_, k) => (k % columns < 4 ? 63 : -63));
    const twice = await mac.multiply({ inputs, weights, batch: 1, rows, columns }, { numSends: 2 });
    const fourTimes = await mac.multiply({ inputs, weights, batch: 1, rows, columns }, { numSends: 4 });
    // 128 · 31 · 63 · 0.002 ≈ 500 LSB per send: far beyond either end. The top end is the 1.2 V rail read by
    // each column's CADC channel (code ≈ 253 ± its offset) minus the baseline 128; the bottom end the int8 clamp.
    for (const { blocks } of [twice, fourTimes]) {
      for (let c = 0; c < 4; c++) expect(blocks[0]![c]!).toBeGreaterThanOrEqual(105);
      for (let c = 4; c < 8; c++) expect(blocks[0]![c]!).toBe(-128);
    }
    for (let c = 0; c < 4; c++) expect(Math.abs(fourTimes.blocks[0]![c]! - twice.blocks[0]![c]!)).toBeLessThanOrEqual(3);
  });

  it('splits a matrix larger than one pass into 128-row blocks and 256-column passes', async () => {
    const random = lcg(11);
    const [batch, rows, columns] = [8, 200, 300];
    const inputs = Uint8Array.from({ length: batch * rows }, () => Math.floor(random() * 32));
    const weights = Int8Array.from({ length: rows * columns }, () => Math.round((random() * 2 - 1) * 63));
    const { blocks, programs } = await mac.multiply({ inputs, weights, batch, rows, columns });
    expect(blocks).toHaveLength(2);
    expect(programs).toBe(2);
    for (const [b, [from, to]] of [[0, 128], [128, 200]].entries()) {
      const expected = Array.from(ideal(inputs, weights, batch, rows, columns, from, to), (v) => v * calibration.target.gain);
      const got = Array.from(blocks[b]!);
      expect(pearson(expected, got)).toBeGreaterThan(0.97);
    }
  });

  it('refuses out-of-range activations and weights, wrong shapes and bad options, naming the value and the rule', async () => {
    const ok = { inputs: new Uint8Array(4), weights: new Int8Array(8), batch: 2, rows: 2, columns: 4 };
    await expect(mac.multiply({ ...ok, inputs: Uint8Array.from([0, 0, 32, 0]) })).rejects.toThrow(/inputs\[2\] \(entry 1, row 0\) = 32: expected an activation in 0\.\.31/);
    await expect(mac.multiply({ ...ok, weights: Int8Array.from([0, 0, 0, 0, 0, -64, 0, 0]) })).rejects.toThrow(/weights\[5\] \(row 1, column 1\) = -64: expected a weight in −63\.\.63/);
    await expect(mac.multiply({ ...ok, inputs: new Uint8Array(3) })).rejects.toThrow(/inputs: expected a Uint8Array of batch · rows = 4 activations, got Uint8Array of 3/);
    await expect(mac.multiply({ ...ok, weights: new Int8Array(7) })).rejects.toThrow(RunRequestError);
    await expect(mac.multiply({ ...ok, batch: 0 })).rejects.toThrow(/batch = 0: expected an integer/);
    await expect(mac.multiply(ok, { numSends: 0 })).rejects.toThrow(/numSends = 0/);
    await expect(mac.multiply(ok, { waitBetweenEvents: 1.5 })).rejects.toThrow(/waitBetweenEvents = 1.5/);
  });

  it('refuses a chip without a MAC calibration, or the calibration of another chip', () => {
    expect(() => new MacExecutor({ connection, calibration: nominalCalibration(spikingTarget) as never })).toThrow(CalibrationMismatchError);
    expect(() => new MacExecutor({ connection, calibration: undefined as never })).toThrow(/calibration = undefined: integrator mode needs a MAC calibration/);
    expect(() => new MacExecutor({ connection: connectInProcess({ seed: 4 }), calibration })).toThrow(/MAC calibration is of chip seed 3/);
  });
});
