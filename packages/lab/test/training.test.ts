// The Yin-Yang training page in Node: its controls are checked (ranges, grid, the batch and chip-budget rules), the
// generated TypeScript trains exactly what the runner trains, the decision map is the trained network's answer,
// and the NIR bytes read back (spiking's readNIR/fromNIR) into a network that classifies the test points alike.
import { mkdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { fromNIR, readNIR, YIN_YANG_SETUP, YIN_YANG_SPLITS, encodeBatch, run, tf, yinYang, yinYangClass } from '@bss2/spiking';
import fc from 'fast-check';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CHIP_ENTRY_BUDGET,
  type Control,
  LabParameterError,
  type YinYangResults,
  chipEntries,
  checkedValues,
  experimentOptionsOf,
  runYinYangTraining,
  trainingOptionsOf,
  yinYangCode,
  yinYangPage,
  yinYangSettings,
} from '../src/index.js';

const generatedDir = new URL('../test-results/generated/', import.meta.url);

/** Settings small enough for a unit test (two short epochs in mock mode). */
const SHORT = { epochs: 2, trainSamples: 100, testSamples: 100, batchSize: 50, learningRate: 0.01, seed: 3 } as const;

const controlValue = (control: Control): fc.Arbitrary<number | string> =>
  control.kind === 'range'
    ? fc.integer({ min: 0, max: Math.round((control.max - control.min) / control.step) }).map((k) => Number((control.min + k * control.step).toFixed(6)))
    : fc.constantFrom(...control.options.map((o) => o.value));

function thrown(call: () => unknown): LabParameterError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(LabParameterError);
    return error as LabParameterError;
  }
  throw new Error('expected a LabParameterError');
}

describe('Yin-Yang page: settings', () => {
  it('defaults: a few seconds of mock training', () => {
    expect(yinYangSettings()).toEqual({ chip: 'mock', chipSeed: 1, epochs: 5, trainSamples: 400, testSamples: 300, batchSize: 50, learningRate: 0.01, seed: 1 });
    expect(experimentOptionsOf(yinYangSettings())).toEqual({ mock: true });
    expect(experimentOptionsOf(yinYangSettings({ chip: 'varied-chip', chipSeed: 7, epochs: 1, trainSamples: 100, testSamples: 100 }))).toEqual({
      mock: false,
      chip: { seed: 7, analog: { idealChip: false } },
      calibration: 'nominal',
    });
    expect(trainingOptionsOf(yinYangSettings(SHORT))).toEqual(SHORT);
  });

  it('refuses bad values by page, control, value and rule', () => {
    let error = thrown(() => yinYangSettings({ epochs: 0 }));
    expect([error.name, error.page, error.control, error.value, error.rule]).toEqual(['LabParameterError', 'yin-yang', 'epochs', 0, 'a number in 1..30 in steps of 1']);
    expect(() => yinYangSettings({ learningRate: 0.0015 })).toThrow(/control 'learningRate': 0.0015 — a number in 0.001..0.05/);
    expect(() => yinYangSettings({ trainSamples: 75 })).toThrow(/control 'trainSamples': 75 — a number in 50..5000/);
    expect(() => yinYangSettings({ chip: 'gpu' })).toThrow(/control 'chip': "gpu" — one of mock, ideal-chip, varied-chip/);
    expect(() => yinYangSettings({ momentum: 0.9 })).toThrow(/control 'momentum': 0.9 — no such control; known: chip, chipSeed, epochs/);
    expect(() => yinYangSettings({ seed: Number.NaN })).toThrow(LabParameterError);
    error = thrown(() => yinYangSettings({ trainSamples: 100, batchSize: 150 }));
    expect([error.control, error.value, error.rule]).toEqual(['batchSize', 150, 'at most the training samples per epoch (100)']);
    error = thrown(() => yinYangSettings({ chip: 'ideal-chip' }));
    expect([error.control, error.value]).toEqual(['epochs', 5]);
    expect(error.rule).toMatch(`at most ${CHIP_ENTRY_BUDGET} (≈ 28 ms each), here 3800`);
  });

  it('every allowed combination builds settings, or breaks exactly one of the two cross-control rules', () => {
    const values = fc.record(Object.fromEntries(yinYangPage.controls.map((c) => [c.id, controlValue(c)])));
    fc.assert(
      fc.property(values, (v) => {
        const checked = checkedValues(yinYangPage, v);
        const batchTooLarge = (v.batchSize as number) > (v.trainSamples as number);
        const overBudget = v.chip !== 'mock' && (v.epochs as number) * ((v.trainSamples as number) + (v.testSamples as number)) + (v.testSamples as number) > CHIP_ENTRY_BUDGET;
        if (batchTooLarge || overBudget) {
          const error = thrown(() => yinYangPage.build(checked));
          expect(error.control).toBe(batchTooLarge ? 'batchSize' : 'epochs');
          return;
        }
        const settings = yinYangPage.build(checked);
        expect(settings).toEqual({ ...v });
        expect(chipEntries(settings)).toBe(settings.epochs * (settings.trainSamples + settings.testSamples) + settings.testSamples);
        expect(yinYangCode(settings)).toContain(`trainYinYang(${settings.chip === 'mock' ? '{ mock: true }' : '{ mock: false'}`);
      }),
      { seed: 1, numRuns: 200 },
    );
  });
});

describe('Yin-Yang page: training', () => {
  let trained: { results: YinYangResults; nir: Uint8Array };
  const epochs: unknown[] = [];
  const batches: number[] = [];

  beforeAll(async () => {
    trained = await runYinYangTraining(yinYangSettings(SHORT), { onEpoch: (e) => epochs.push(e), onBatch: (b) => batches.push(b.batch) });
  });

  it('reports every epoch and batch, on the wasm backend, and a decision map of the test points', () => {
    const { results } = trained;
    expect(results.backend).toBe('wasm');
    expect(epochs).toEqual(results.epochs);
    expect(batches).toEqual([0, 1, 0, 1]);
    expect(results.epochs.map((e) => e.epoch)).toEqual([0, 1]);
    expect(results.testAccuracy).toBe(results.epochs.at(-1)!.testAccuracy);
    const map = results.decisionMap;
    expect(map.x).toHaveLength(SHORT.testSamples);
    // The points are the test set's, with their true classes; the map's accuracy is the last test accuracy.
    map.x.forEach((x, i) => expect(yinYangClass(x, map.y[i]!)).toBe(map.label[i]));
    expect(map.predicted.every((p) => p === 0 || p === 1 || p === 2)).toBe(true);
    expect(map.accuracy).toBe(results.testAccuracy);
    expect(results.weights.hidden).toHaveLength(YIN_YANG_SETUP.hidden);
    expect(results.weights.output).toHaveLength(3);
    // JSON-ready: survives a round trip unchanged.
    expect(JSON.parse(JSON.stringify(results))).toEqual(results);
  });

  it('the generated TypeScript trains the same network (identical losses and accuracies)', async () => {
    mkdirSync(generatedDir, { recursive: true });
    const { outputText, diagnostics } = ts.transpileModule(yinYangCode(trained.results.settings), { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    expect(diagnostics ?? []).toEqual([]);
    const file = new URL('yin-yang.mjs', generatedDir);
    writeFileSync(file, outputText);
    const module = (await import(/* @vite-ignore */ `${pathToFileURL(file.pathname).href}?${Date.now()}`)) as { result: { epochs: { loss: number; trainAccuracy: number; testAccuracy: number }[] }; nir: Uint8Array };
    const strip = (list: readonly { loss: number; trainAccuracy: number; testAccuracy: number }[]) => list.map(({ loss, trainAccuracy, testAccuracy }) => ({ loss, trainAccuracy, testAccuracy }));
    expect(strip(module.result.epochs)).toEqual(strip(trained.results.epochs));
    expect((await readNIR(module.nir)).nodes).toEqual((await readNIR(trained.nir)).nodes);
  });

  it('the NIR file reads back into a network that classifies the test points as the decision map shows', async () => {
    const graph = await readNIR(trained.nir);
    expect(graph.edges).toEqual([
      ['InputNeuron_0', 'Synapse_0'],
      ['Synapse_0', 'LIF_0'],
      ['LIF_0', 'Synapse_1'],
      ['Synapse_1', 'LI_0'],
      ['LI_0', 'output'],
    ]);
    // The lab's run: mock, 0.5 ms steps, 6-bit weights at spiking's mock weight scale.
    const model = fromNIR(graph, { dt_ms: 0.5, experiment: { mock: true, weightScale: trained.results.weightScale, mockOptions: { quantizeWeights: true } } });
    try {
      const test = yinYang(YIN_YANG_SPLITS.test);
      // The classifier repeats each of its 5 inputs 5 times (25 input neurons).
      const x = encodeBatch(test, 0, SHORT.testSamples, 0.5);
      const repeated = tf.tile(x, [1, 1, YIN_YANG_SETUP.repetitions]) as tf.Tensor3D;
      const out = model.forward(repeated).output!;
      await run(model.experiment, YIN_YANG_SETUP.duration_ms / 0.5);
      const predicted = Array.from(tf.tidy(() => tf.argMax(tf.max(out.v!, 0), 1).dataSync()));
      expect(predicted).toEqual(trained.results.decisionMap.predicted);
      tf.dispose([x, repeated]);
    } finally {
      await model.experiment.close();
    }
  });
});
