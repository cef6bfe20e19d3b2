// NeuronParameters.setNeuronWords restores recently held configurations from a per-circuit cache instead of
// recomputing them (the executor toggles three states around every batch entry); the result must be exactly what
// a fresh computation gives, whatever the order of configurations and shared-setting changes.
import { AtomicNeuron, NeuronBackendConfig, NeuronConfig } from '@bss2/lola';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChipVariation, NeuronParameters } from '../../src/analog/index.js';

const configurations = [
  new AtomicNeuron({ leak: { vLeak: 600, iBias: 200 }, threshold: { enable: true, vThreshold: 500 }, reset: { vReset: 400, iBias: 900 } }),
  new AtomicNeuron({ leak: { vLeak: 600, iBias: 200 }, threshold: { enable: false, vThreshold: 500 }, reset: { vReset: 400, iBias: 900 } }),
  new AtomicNeuron({ leak: { vLeak: 600, iBias: 200 }, threshold: { enable: true, vThreshold: 500 }, constantCurrent: { enable: true, iOffset: 300 } }),
  new AtomicNeuron({ leak: { vLeak: 700, iBias: 100 }, excitatoryInput: { enable: true, iBiasTau: 300, iBiasGm: 400 }, adaptation: { enable: true, iBiasA: 50 } }),
  new AtomicNeuron({ leak: { vLeak: 300, iBias: 400 }, refractoryPeriod: { refractoryTime: 100, inputClock: 1 }, multicompartment: { connectSoma: true } }),
];

/** Every per-circuit table of a NeuronParameters, circuit `i`. */
function tablesOf(p: NeuronParameters, i: number): number[] {
  return Object.values(p)
    .filter((a): a is Float64Array | Uint8Array => (a instanceof Float64Array || a instanceof Uint8Array) && a.length === 512)
    .map((a) => a[i]!);
}

describe('the configuration cache of NeuronParameters', () => {
  it('gives exactly the freshly computed parameters for any sequence of configurations, clock and DAC changes', () => {
    const variation = ChipVariation.fromSeed(4);
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.record({ circuit: fc.constantFrom(0, 1, 130, 300), config: fc.integer({ min: 0, max: configurations.length - 1 }) }), fc.record({ clockFast: fc.integer({ min: 0, max: 3 }) }), fc.record({ dac: fc.integer({ min: 300, max: 900 }) })), { minLength: 1, maxLength: 40 }),
        (steps) => {
          const cached = new NeuronParameters(variation);
          for (const step of steps) {
            if ('circuit' in step) {
              const n = configurations[step.config]!;
              cached.setNeuronWords(step.circuit, n.encode(), () => n);
              // A fresh computation of the same state: the same neurons on a new NeuronParameters.
              const fresh = new NeuronParameters(variation);
              for (const half of [0, 1]) fresh.setBackendClocks(half, (cached as unknown as { clocks: { enClocks: boolean; clockScaleSlow: number; clockScaleFast: number }[] }).clocks[half]!);
              for (let q = 0; q < 4; q++) fresh.setSynapseDacBias(q, (cached as unknown as { dacBias_lsb: Float64Array }).dacBias_lsb[q]!);
              fresh.setNeuron(step.circuit, n);
              expect(tablesOf(cached, step.circuit)).toEqual(tablesOf(fresh, step.circuit));
            } else if ('clockFast' in step) {
              for (const half of [0, 1]) cached.setBackendClocks(half, { enClocks: true, clockScaleSlow: 4, clockScaleFast: step.clockFast });
            } else {
              cached.setSynapseDacBias(0, step.dac);
            }
          }
        },
      ),
      { seed: 42, numRuns: 60 },
    );
    // The words are those of the configuration (a NeuronConfig + NeuronBackendConfig + CapMem layout).
    expect(configurations[0]!.encode().length).toBe(NeuronConfig.wordCount + NeuronBackendConfig.wordCount + 24);
  });
});
