import { CalibrationResult, type LIFCalibrationTarget, neuronSettingFields, type NeuronSettings, spikingTarget } from '../../src/index.js';

/** A result with made-up settings (no chip needed): for format, cache and apply tests. */
export function syntheticResult(target: LIFCalibrationTarget = spikingTarget, seed = 3): CalibrationResult {
  const neurons = Object.fromEntries(neuronSettingFields.map((f, k) => [f, Int32Array.from({ length: 512 }, (_, i) => (f.includes('enable') || f.includes('inputClock') ? (i + k) % 2 : f.includes('capacitance') ? 63 : f.includes('resetHoldoff') ? 15 : f.includes('refractoryTime') ? 250 : (i * 7 + k * 13 + seed) % 1000))])) as NeuronSettings;
  return new CalibrationResult({
    target,
    options: { cadcSamples: 2 },
    identity: { chipSeed: seed, simulatorVersion: 'test', protocolVersion: 1 },
    softwareVersion: '0.1.0',
    neurons,
    shared: {
      cadcChannelOffsets: Int32Array.from({ length: 1024 }, (_, c) => (c % 21) - 10),
      synapseDacBias: Int32Array.of(600, 590, 580, 570),
      clockScaleFast: Int32Array.of(0, 0),
      clockScaleSlow: Int32Array.of(4, 4),
    },
    parameters: [
      { parameter: 'leak_lsb', unit: 'CADC LSB', target: new Float64Array(512).fill(80), before: Float64Array.from({ length: 512 }, (_, i) => 80 + (i % 13) - 6), achieved: new Float64Array(512).fill(80.1), success: new Uint8Array(512).fill(1) },
    ],
    duration_s: 1.5,
  });
}
