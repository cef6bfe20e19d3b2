import { describe, expect, it } from 'vitest';
import { PerceptronValueError, YIN_YANG_SPLITS, chipBackend, evaluateYinYang, initTensorBackend, mockBackend, mockDevice, tf, trainYinYang, yinYang, yinYangInputs, yinYangModel } from '../src/index.js';
import { values } from './helpers.js';

await initTensorBackend();

describe('yinYangInputs', () => {
  it('feeds x, y as round(31·f), 1 − x, 1 − y as ⌊31·f⌋ (half a step apart), and a bias of 31', () => {
    const dataset = { features: new Float32Array([0, 1, 1, 0, 0.5, 0.25, 0.5, 0.75, 0.01, 0.99, 0.99, 0.01]), labels: new Int32Array(3), size: 3 };
    expect(values(yinYangInputs(dataset))).toEqual([0, 31, 31, 0, 31, 16, 8, 15, 23, 31, 0, 31, 30, 0, 31]);
    expect(() => yinYangInputs({ ...dataset, features: new Float32Array([0, 1.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) })).toThrow(PerceptronValueError);
  });
});

describe('trainYinYang', () => {
  it('learns the Yin-Yang task in mock mode (σ = 2) on a small subset, deterministically per seed', async () => {
    const options = { epochs: 5, trainSamples: 1000, testSamples: 300, seed: 2 };
    const first = await trainYinYang(options);
    // Chance is 1/3; the full run (bench) reaches ≈ 97 %.
    expect(first.testAccuracy).toBeGreaterThan(0.8);
    expect(first.epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3, 4]);
    expect(first.epochs.at(-1)!.loss).toBeLessThan(first.epochs[0]!.loss);
    const second = await trainYinYang(options);
    expect(second.epochs.map((e) => [e.loss, e.testAccuracy])).toEqual(first.epochs.map((e) => [e.loss, e.testAccuracy]));
    first.model.dispose();
    second.model.dispose();
  });

  it('continues a model on another backend (mock pretraining, then the device in the loop)', async () => {
    const pretrained = await trainYinYang({ epochs: 3, trainSamples: 600, testSamples: 300, seed: 3 });
    const device = mockDevice({ seed: 9 });
    const test = yinYang({ size: 300, seed: YIN_YANG_SPLITS.test.seed });
    const before = await evaluateYinYang(pretrained.model, test, chipBackend(device));
    const tuned = await trainYinYang({ model: pretrained.model, backend: chipBackend(device), epochs: 1, learningRate: 0.3, trainSamples: 600, testSamples: 300 });
    expect(tuned.model).toBe(pretrained.model);
    expect(tuned.testAccuracy).toBeGreaterThan(before - 0.05);
    expect(tuned.testAccuracy).toBeGreaterThan(0.7);
    tuned.model.dispose();
  });

  it('leaves no tensors behind but the model’s weights', async () => {
    const model = yinYangModel({ hidden: 8 });
    const before = tf.memory().numTensors;
    await trainYinYang({ model, epochs: 2, trainSamples: 120, testSamples: 60 });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('builds Linear(5 → hidden) → ConvertingReLU → Linear(hidden → 3) and refuses bad options', async () => {
    const model = yinYangModel({ hidden: 16 });
    expect(model.layers.map((l) => l.name)).toEqual(['Linear(5 → 16)', 'ConvertingReLU(shift 2)', 'Linear(16 → 3)']);
    const scores = await model.forward(tf.fill([2, 5], 31), { backend: mockBackend() });
    expect(scores.shape).toEqual([2, 3]);
    model.dispose();
    await expect(trainYinYang({ epochs: 1.5 })).rejects.toThrow('trainYinYang: epochs = 1.5 is invalid: an integer ≥ 0');
    await expect(trainYinYang({ learningRate: -1 })).rejects.toThrow('learningRate = -1 is invalid');
  });
});
