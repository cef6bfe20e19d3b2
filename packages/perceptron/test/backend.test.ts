import { afterEach, describe, expect, it } from 'vitest';
import {
  type MacDevice,
  type MacOptions,
  type MacRequest,
  NoBackendError,
  PerceptronDeviceError,
  chipBackend,
  getMockParameter,
  initHardware,
  initTensorBackend,
  matmul,
  mockDevice,
  releaseHardware,
  setMockParameter,
  tf,
} from '../src/index.js';
import { values } from './helpers.js';

await initTensorBackend();

/** A test double of the chip: records each call and answers with `answer` (default: the noiseless mock's blocks). */
function fakeDevice(answer?: (request: MacRequest) => unknown): MacDevice & { calls: { request: MacRequest; options: MacOptions }[] } {
  const mock = mockDevice({ noiseStd: 0 });
  const calls: { request: MacRequest; options: MacOptions }[] = [];
  return {
    calls,
    async multiply(request, options) {
      calls.push({ request, options });
      return answer === undefined ? mock.multiply(request, options) : ({ blocks: answer(request) } as never);
    },
  };
}

afterEach(() => releaseHardware());

describe('chipBackend', () => {
  it('sends the whole matrix with the options once and sums the blocks it gets, clamped to int8', async () => {
    const device = fakeDevice((r) => [Int8Array.from({ length: r.batch * r.columns }, () => 100), Int8Array.from({ length: r.batch * r.columns }, (_, k) => (k === 0 ? 100 : -120))]);
    const x = tf.tensor2d([Array.from({ length: 200 }, (_, k) => k % 32)]);
    const w = tf.tensor2d(Array.from({ length: 400 }, (_, k) => (k % 127) - 63), [200, 2]);
    const y = await matmul(x, w, { backend: chipBackend(device), numSends: 3, waitBetweenEvents: 12 });
    expect(values(y)).toEqual([127, -20]);
    expect(device.calls).toHaveLength(1);
    const { request, options } = device.calls[0]!;
    expect([request.batch, request.rows, request.columns]).toEqual([1, 200, 2]);
    expect(Array.from(request.inputs)).toEqual(Array.from(x.dataSync()));
    expect(Array.from(request.weights)).toEqual(Array.from(w.dataSync()));
    expect(options).toEqual({ numSends: 3, waitBetweenEvents: 12 });
  });

  it('gives the same result as the mock backend for a device that is the mock', async () => {
    const x = tf.tensor2d([[1, 2, 3], [31, 30, 29]]);
    const w = tf.tensor2d([[63, -63], [10, 20], [-5, 0]]);
    const chip = await matmul(x, w, { backend: chipBackend(mockDevice({ noiseStd: 2, seed: 5 })), numSends: 7 });
    setMockParameter({ seed: 5 });
    expect(values(await matmul(x, w, { mock: true, numSends: 7 }))).toEqual(values(chip));
    setMockParameter();
  });

  it('refuses answers that are not one int8 block of batch × columns per 128 rows', async () => {
    const x = tf.ones([2, 130]);
    const w = tf.ones([130, 3]);
    const answers: [(r: MacRequest) => unknown, string][] = [
      [() => [new Int8Array(6)], 'matmul: the device returned blocks = [Int8Array(6)], expected 2 blocks (one per 128 rows of 130)'],
      [() => undefined, 'blocks = undefined, expected 2 blocks'],
      [() => [new Int8Array(6), new Int8Array(5)], 'blocks[1] = Int8Array(5), expected an Int8Array of batch × columns = 2 × 3 = 6'],
      [() => [new Int8Array(6), new Int16Array(6)], 'blocks[1] = Int16Array(6), expected an Int8Array'],
    ];
    for (const [answer, message] of answers) {
      const error = await matmul(x, w, { backend: chipBackend(fakeDevice(answer)) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PerceptronDeviceError);
      expect((error as Error).message).toContain(message);
    }
  });

  it('passes the device’s own errors on unchanged (e.g. a chip without MAC calibration)', async () => {
    class CalibrationMissing extends Error {}
    const device: MacDevice = {
      multiply: () => Promise.reject(new CalibrationMissing('no MAC calibration')),
    };
    await expect(matmul(tf.ones([1, 1]), tf.ones([1, 1]), { backend: chipBackend(device) })).rejects.toBeInstanceOf(CalibrationMissing);
  });
});

describe('initHardware, releaseHardware and mock: true', () => {
  it('routes ops without options to the initialised device until it is released; options override', async () => {
    const device = fakeDevice();
    initHardware({ device });
    await matmul(tf.ones([1, 2]), tf.ones([2, 1]));
    expect(device.calls).toHaveLength(1);
    await matmul(tf.ones([1, 2]), tf.ones([2, 1]), { mock: true });
    await matmul(tf.ones([1, 2]), tf.ones([2, 1]), { backend: chipBackend(fakeDevice()) });
    expect(device.calls).toHaveLength(1);
    releaseHardware();
    await expect(matmul(tf.ones([1, 2]), tf.ones([2, 1]))).rejects.toBeInstanceOf(NoBackendError);
  });

  it('mock: true uses the shared mock, gain 0.002 and σ 2 unless set', () => {
    expect(getMockParameter()).toMatchObject({ gain: 0.002, noiseStd: 2 });
    expect(setMockParameter({ gain: 0.01, noiseStd: 0 })).toEqual({ gain: 0.01, noiseStd: 0, seed: 0 });
    expect(getMockParameter()).toEqual({ gain: 0.01, noiseStd: 0, seed: 0 });
    setMockParameter();
  });
});
