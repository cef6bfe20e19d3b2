// The WebAssembly engine (assembly/engine.ts) and the TypeScript engine must give bit-identical chips: the same
// responses (spikes with their timestamps, reads) and the same analog state, on random recurrent networks with
// external input, adaptation (the general path), membrane noise, both step sizes and a chip reset in between.
import { AtomicNeuronOnDLS } from '@bss2/halco';
import { AtomicNeuron, SynapseDriverConfig } from '@bss2/lola';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AnalogChipModel, SimulatedChip, wasmEngineAvailable } from '../../src/index.js';
import { CYCLES_PER_US, Program, driver, openEventPath, synapseDacBias, writeNeuron, writeSynapses } from './program.js';

const SEED = 0x5eed_e9e1;

interface Network {
  step_ns: 10 | 100;
  noise: boolean;
  neurons: { circuit: number; leak: number; threshold: number; reset: number; tau: number; adaptation: boolean }[];
  synapses: [row: number, column: number, weight: number, label: number][];
  inputs: [cycle: number, label: number][];
}

const network: fc.Arbitrary<Network> = fc.record({
  step_ns: fc.constant(100 as 10 | 100),
  noise: fc.boolean(),
  neurons: fc.uniqueArray(
    fc.record({
      circuit: fc.integer({ min: 0, max: 255 }),
      leak: fc.integer({ min: 600, max: 800 }),
      threshold: fc.integer({ min: 450, max: 700 }),
      reset: fc.integer({ min: 300, max: 500 }),
      tau: fc.integer({ min: 20, max: 200 }),
      adaptation: fc.boolean(),
    }),
    { minLength: 4, maxLength: 24, selector: (n) => n.circuit },
  ),
  // Synapse columns index the neuron list (below), labels 0..3 as the neurons' and the inputs' addresses.
  synapses: fc.array(fc.tuple(fc.integer({ min: 0, max: 31 }), fc.nat(), fc.integer({ min: 1, max: 63 }), fc.integer({ min: 0, max: 3 })), {
    minLength: 20,
    maxLength: 200,
  }),
  inputs: fc.array(fc.tuple(fc.integer({ min: 0, max: 150 * CYCLES_PER_US }), fc.integer({ min: 0, max: 0xf }).map((l) => ((l >> 2) << 8) | (l & 3))), {
    minLength: 10,
    maxLength: 150,
  }),
});

function neuron(n: Network['neurons'][number], address: number, threshold: boolean): AtomicNeuron {
  return new AtomicNeuron({
    leak: { vLeak: n.leak, iBias: 200 },
    reset: { vReset: n.reset, iBias: 1000 },
    threshold: { enable: threshold, vThreshold: n.threshold },
    membraneCapacitance: { capacitance: 40 },
    excitatoryInput: { enable: true, iBiasTau: n.tau, iBiasGm: 200, iShiftReference: 500 },
    inhibitoryInput: { enable: true, iBiasTau: n.tau, iBiasGm: 200, iShiftReference: 500 },
    adaptation: { enable: n.adaptation, enablePulse: n.adaptation, iBiasTau: 300, iBiasA: 100, iBiasB: 300, vRef: 500, vLeak: 600 },
    refractoryPeriod: { refractoryTime: 40, resetHoldoff: 5 },
    eventRouting: { analogOutput: 'normal', enableDigital: true, address },
  });
}

interface Outcome {
  bytes: Uint8Array[];
  digest: string;
  state: Float64Array[];
  spikes: number;
}

function run(net: Network, engine: 'wasm' | 'typescript'): Outcome {
  // Noise keeps every step busy (no rest to skip): only with the 100 ns step, to keep the test short.
  const noise = net.noise && net.step_ns === 100;
  const chip = new SimulatedChip({ seed: 7, analog: { analogStep_ns: net.step_ns, temporalNoise: noise, engine } });
  const bytes: Uint8Array[] = [];
  let spikes = 0;
  for (let round = 0; round < 2; round++) {
    const setup = new Program(chip);
    openEventPath(setup);
    synapseDacBias(setup, 400);
    for (let d = 0; d < 16; d++) setup.write(driver(0, d), new SynapseDriverConfig({ enableReceiver: true, rowModeTop: 'excitatory', rowModeBottom: d % 3 === 0 ? 'inhibitory' : 'excitatory' }));
    for (const [row, k, weight, label] of net.synapses) writeSynapses(setup, 0, row, [[net.neurons[k % net.neurons.length]!.circuit, weight, label]]);
    // Comparators off while the CapMem cells settle (1.5 ms, τ = 2 ms: half way, enough for lively dynamics),
    // so that without noise the chip rests and the wait costs little; then on.
    for (const [k, n] of net.neurons.entries()) writeNeuron(setup, n.circuit, neuron(n, k % 4, false));
    setup.at(1500 * CYCLES_PER_US);
    for (const [k, n] of net.neurons.entries()) setup.write(new AtomicNeuronOnDLS(n.circuit).toNeuronConfigOnDLS(), neuron(n, k % 4, true).toNeuronConfig());
    setup.at(1510 * CYCLES_PER_US);
    bytes.push(setup.run(chip).bytes);
    const experiment = new Program(chip);
    for (const [cycle, label] of [...net.inputs].sort((a, b) => a[0] - b[0])) experiment.at(cycle + 10).spikes(label);
    experiment.at(160 * CYCLES_PER_US);
    const result = experiment.run(chip);
    bytes.push(result.bytes);
    spikes += result.spikes.length;
    if (round === 0) chip.reset();
  }
  const model = chip.model as AnalogChipModel;
  const { membrane_mV, synapticExc_nA, synapticInh_nA, adaptation_nA } = model.neurons;
  const state = [membrane_mV, synapticExc_nA, synapticInh_nA, adaptation_nA].map((a) => Float64Array.from(a));
  return { bytes, digest: chip.stateDigest(), state, spikes };
}

describe.runIf(wasmEngineAvailable())('the WebAssembly and the TypeScript neuron engine', () => {
  // One test per step size, each a seeded range of its own, so that neither runs long on a loaded machine.
  for (const step_ns of [10, 100] as const) {
    it(`give bit-identical responses and analog state on random networks (${step_ns} ns step)`, () => {
      let spikes = 0;
      fc.assert(
        fc.property(network, (drawn) => {
          const net = { ...drawn, step_ns };
          const wasm = run(net, 'wasm');
          const typescript = run(net, 'typescript');
          expect(wasm.bytes).toEqual(typescript.bytes);
          expect(wasm.state).toEqual(typescript.state);
          expect(wasm.digest).toBe(typescript.digest);
          spikes += wasm.spikes;
        }),
        { seed: SEED + step_ns, numRuns: step_ns === 10 ? 2 : 4, endOnFailure: true },
      );
      // The comparison means something only if the networks fire (and so take the exact paths).
      expect(spikes).toBeGreaterThan(30);
    });
  }
});

describe('the engine option', () => {
  it('is checked: an unknown engine is refused by name', () => {
    expect(() => new SimulatedChip({ seed: 1, analog: { engine: 'gpu' as 'wasm' } })).toThrow(/engine/);
  });
  it('reports what runs', () => {
    const chip = new SimulatedChip({ seed: 1, analog: { engine: 'typescript' } });
    const p = new Program(chip);
    writeNeuron(p, 0, new AtomicNeuron({}));
    p.run(chip);
    expect((chip.model as AnalogChipModel).neurons.engine).toBe('typescript');
  });
});
