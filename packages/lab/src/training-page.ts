// The live Yin-Yang training page (hardware.md §11.2, @bss2/spiking's classifier): its explanation, controls, the
// settings they build, the options handed to spiking's trainYinYang and the TypeScript of the same training. No
// import of @bss2/spiking here (types only): the page's first chunk shows controls and code without loading tfjs.
import type { ExperimentOptions, YinYangTrainingOptions } from '@bss2/spiking';
import { LabParameterError } from './errors.js';
import { checkedValues, type Control, type ControlValues, type RangeControl } from './pages.js';
import { literal } from './codegen.js';

/** Where the training's forward passes run: software only, or the simulated chip in the page's worker. */
export type TrainingChip = 'mock' | 'ideal-chip' | 'varied-chip';

/** One training run, as the page's controls describe it (plain data: it crosses postMessage). */
export interface YinYangSettings {
  readonly chip: TrainingChip;
  /** Seed of the simulated chip's fixed-pattern variation ('varied-chip'). */
  readonly chipSeed: number;
  readonly epochs: number;
  /** Samples of the 5,000-sample training set used per epoch. */
  readonly trainSamples: number;
  /** Samples of the 1,000-sample test set: evaluated after every epoch and drawn in the decision map. */
  readonly testSamples: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Seed of the weight initialisation. */
  readonly seed: number;
}

/** One epoch as plotted and downloaded (spiking's EpochReport). */
export interface TrainingEpoch {
  readonly epoch: number;
  readonly loss: number;
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  /** Wall-clock seconds of the epoch (machine-dependent: not part of the comparison with Node). */
  readonly wall_s: number;
}

/** The trained classifier on the Yin-Yang plane: each test point, its class and the predicted class. */
export interface DecisionMap {
  readonly x: number[];
  readonly y: number[];
  /** True class: 0 yin, 1 yang, 2 dot. */
  readonly label: number[];
  readonly predicted: number[];
  /** Fraction of points whose predicted class is their class. */
  readonly accuracy: number;
}

/** What a training run returns to the page (and to Node): JSON-ready; the NIR file travels beside it as bytes. */
export interface YinYangResults {
  readonly title: string;
  readonly settings: YinYangSettings;
  /** The tfjs backend the run used ('wasm' in Node and in the page's worker; 'cpu' only as fallback). */
  readonly backend: string;
  readonly epochs: TrainingEpoch[];
  readonly testAccuracy: number;
  readonly decisionMap: DecisionMap;
  /** Chip weight LSB per model unit (measured on the chip; spiking's default in mock mode). */
  readonly weightScale: number;
  /** Trained weights, [out][in]: hidden (120 × 25 inputs) and output (3 × 120), model units. */
  readonly weights: { readonly hidden: number[][]; readonly output: number[][] };
  readonly duration_s: number;
}

/**
 * Forward passes the simulated chip may take in one run: epochs × (train + test) + test (the decision map), at
 * ≈ 28 ms per 30-µs entry on a 2-core machine (spiking README) about a minute. Mock mode has no such limit.
 */
export const CHIP_ENTRY_BUDGET = 2000;

const chipSeedControl: RangeControl = { kind: 'range', id: 'chipSeed', label: 'Chip seed (fixed-pattern variation)', min: 1, max: 64, step: 1, value: 1, unit: '', variants: ['varied-chip'] };

export const yinYangPage = {
  id: 'yin-yang',
  title: 'Live Yin-Yang training',
  paragraphs: [
    "The reference's Yin-Yang classifier (Kriener, Göltz & Petrovici 2021) trained by @bss2/spiking, the hxtorch.spiking analogue: a point (x, y) of the plane becomes five input spike times, 120 hidden LIF neurons feed three leaky-integrator readouts, and the readout with the highest membrane names the class — yin, yang or dot. Surrogate gradients (SuperSpike) and Adam train the weights.",
    'In mock mode the network runs as a model (tfjs with its WebAssembly backend, in a worker of this page); with the simulated chip every forward pass is a run of the chip simulator (hardware in the loop: the chip’s spikes and membranes forward, the model’s gradients backward), about 28 ms per sample — keep the numbers small there.',
    'The plot follows the training epoch by epoch; the decision map shows the test points coloured by the class the trained network predicts (a ring marks a wrong one). Download the results as JSON and the trained network as NIR (HDF5), the neuromorphic exchange format.',
  ],
  controls: [
    {
      kind: 'select',
      id: 'chip',
      label: 'Forward passes on',
      options: [
        { value: 'mock', label: 'Mock mode (software model)' },
        { value: 'ideal-chip', label: 'Simulated chip, ideal (no fixed-pattern variation)' },
        { value: 'varied-chip', label: 'Simulated chip with fixed-pattern variation' },
      ],
      value: 'mock',
    },
    chipSeedControl,
    { kind: 'range', id: 'epochs', label: 'Epochs', min: 1, max: 30, step: 1, value: 5, unit: '' },
    { kind: 'range', id: 'trainSamples', label: 'Training samples per epoch', min: 50, max: 5000, step: 50, value: 400, unit: '' },
    { kind: 'range', id: 'testSamples', label: 'Test samples', min: 50, max: 1000, step: 50, value: 300, unit: '' },
    { kind: 'range', id: 'batchSize', label: 'Batch size', min: 10, max: 200, step: 10, value: 50, unit: '' },
    { kind: 'range', id: 'learningRate', label: 'Learning rate (Adam)', min: 0.001, max: 0.05, step: 0.001, value: 0.01, unit: '' },
    { kind: 'range', id: 'seed', label: 'Seed (weight initialisation)', min: 0, max: 1000, step: 1, value: 1, unit: '' },
  ] satisfies readonly Control[] as readonly Control[],
  /** The settings of checked control values (see `checkedValues`); cross-control rules are LabParameterErrors. */
  build(values: ControlValues): YinYangSettings {
    const settings: YinYangSettings = {
      chip: values.chip as TrainingChip,
      chipSeed: values.chipSeed as number,
      epochs: values.epochs as number,
      trainSamples: values.trainSamples as number,
      testSamples: values.testSamples as number,
      batchSize: values.batchSize as number,
      learningRate: values.learningRate as number,
      seed: values.seed as number,
    };
    if (settings.batchSize > settings.trainSamples) {
      throw new LabParameterError('yin-yang', 'batchSize', settings.batchSize, `at most the training samples per epoch (${settings.trainSamples})`);
    }
    const entries = chipEntries(settings);
    if (settings.chip !== 'mock' && entries > CHIP_ENTRY_BUDGET) {
      throw new LabParameterError(
        'yin-yang',
        'epochs',
        settings.epochs,
        `on the simulated chip epochs × (training + test samples) + test samples is at most ${CHIP_ENTRY_BUDGET} (≈ 28 ms each), here ${entries}: fewer epochs or samples, or mock mode`,
      );
    }
    return settings;
  },
} as const;

/** Forward passes (batch entries) of one run: every epoch's training and test samples, then the decision map. */
export function chipEntries(settings: YinYangSettings): number {
  return settings.epochs * (settings.trainSamples + settings.testSamples) + settings.testSamples;
}

/** Checked settings over the page's defaults (LabParameterError naming control, value and rule). */
export function yinYangSettings(values: ControlValues = {}): YinYangSettings {
  return yinYangPage.build(checkedValues(yinYangPage, values));
}

/** spiking's Experiment options for `settings`: the simulated chip is calibrated nominally (a page cannot wait for a calibration). */
export function experimentOptionsOf(settings: YinYangSettings): ExperimentOptions {
  if (settings.chip === 'mock') return { mock: true };
  return { mock: false, chip: { seed: settings.chipSeed, analog: { idealChip: settings.chip === 'ideal-chip' } }, calibration: 'nominal' };
}

/** spiking's trainYinYang options for `settings` (everything else at the classifier's defaults). */
export function trainingOptionsOf(settings: YinYangSettings): YinYangTrainingOptions {
  const { epochs, trainSamples, testSamples, batchSize, learningRate, seed } = settings;
  return { epochs, trainSamples, testSamples, batchSize, learningRate, seed };
}

/**
 * The TypeScript of the same training with @bss2/spiking: the options are printed from the objects the lab's
 * runner passes (experimentOptionsOf, trainingOptionsOf), so the code trains exactly what the page trains.
 */
export function yinYangCode(settings: YinYangSettings): string {
  return `${[
    `// Yin-Yang training (${settings.chip}): generated by the bss2 lab. Run it with \`npx tsx train.ts\` in a project that depends on @bss2/spiking.`,
    "import { initTensorBackend, toNIR, trainYinYang, writeNIR } from '@bss2/spiking';",
    '',
    "await initTensorBackend(); // tfjs: the wasm backend (cpu as fallback)",
    `export const result = await trainYinYang(${literal(experimentOptionsOf(settings))}, {`,
    `  ...${literal(trainingOptionsOf(settings))},`,
    '  onEpoch: (e) => console.log(`epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, train ${(100 * e.trainAccuracy).toFixed(1)} %, test ${(100 * e.testAccuracy).toFixed(1)} %`),',
    '});',
    '',
    '// The trained network as NIR (HDF5 bytes); in Node: (await import(\'node:fs\')).writeFileSync(\'yin-yang.nir\', nir)',
    'export const nir = await writeNIR(toNIR(result.experiment));',
    'await result.experiment.close();',
  ].join('\n')}\n`;
}
