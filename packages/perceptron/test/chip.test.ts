// The ops on the simulated chip (integrator mode behind execution's MacExecutor, MAC-calibrated once): the chip
// computes what the mock model says up to the chip's own noise, the training path takes its forward values from
// the chip, and a chip without a MAC calibration is refused with a typed error.
import { beforeAll, describe, expect, it } from 'vitest';
import { calibrateMAC, nominalCalibration, spikingTarget } from '@bss2/calibration';
import { CalibrationMismatchError, MacExecutor } from '@bss2/execution';
import { connectInProcess } from '@bss2/hxcomm/in-process';
import { type MacDevice, Linear, chipBackend, initTensorBackend, matmul, mockBackend, tf } from '../src/index.js';

const connection = connectInProcess({ seed: 6 });
let device: MacDevice;

beforeAll(async () => {
  await initTensorBackend();
  device = new MacExecutor({ connection, calibration: await calibrateMAC(connection) });
}, 120_000);

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]! / n;
    my += y[i]! / n;
  }
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe('perceptron on the simulated chip', () => {
  it('matmul on the chip agrees with the noise-free mock (r ≥ 0.98), across two 128-row blocks', async () => {
    const random = lcg(3);
    const [batch, rows, columns] = [16, 200, 40];
    const x = tf.tensor2d(Array.from({ length: batch * rows }, () => Math.floor(random() * 32)), [batch, rows]);
    const w = tf.tensor2d(Array.from({ length: rows * columns }, () => Math.round((random() * 2 - 1) * 63)), [rows, columns]);
    const chip = await matmul(x, w, { backend: chipBackend(device) });
    const ideal = await matmul(x, w, { backend: mockBackend({ noiseStd: 0, seed: 1 }) });
    const [a, b] = [chip.dataSync(), ideal.dataSync()];
    const linear = Array.from(a.keys()).filter((k) => Math.abs(b[k]!) < 100);
    expect(linear.length).toBeGreaterThan(0.9 * a.length);
    expect(pearson(linear.map((k) => a[k]!), linear.map((k) => b[k]!))).toBeGreaterThanOrEqual(0.98);
    tf.dispose([x, w, chip, ideal]);
  }, 60_000);

  it('a Linear layer runs forward on the chip', async () => {
    const layer = new Linear(8, 4, { numSends: 4, seed: 2 });
    const x = tf.tensor2d(Array.from({ length: 3 * 8 }, (_, k) => (k * 7) % 32), [3, 8]);
    const y = await layer.forward(x, chipBackend(device));
    expect(y.shape).toEqual([3, 4]);
    for (const v of y.dataSync()) expect(Number.isInteger(v) && v >= -128 && v <= 127).toBe(true);
    tf.dispose([x, y]);
  }, 60_000);

  it('refuses a chip without a MAC calibration before anything runs', () => {
    expect(() => new MacExecutor({ connection, calibration: nominalCalibration(spikingTarget) as never })).toThrow(CalibrationMismatchError);
    expect(() => new MacExecutor({ connection, calibration: undefined as never })).toThrow(/integrator mode needs a MAC calibration/);
  });
});
