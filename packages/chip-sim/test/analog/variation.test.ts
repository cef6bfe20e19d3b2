// Fixed-pattern variation (hardware.md §8.4): deterministic per seed, different across seeds, none on the
// ideal chip; per-circuit streams independent of draw order; temporal noise seeded and switchable.
import fc from 'fast-check';
import { nominal } from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import {
  ChipVariation,
  NeuronArray,
  NeuronParameters,
  Random,
  biasGains,
  streamSeed,
  variationMagnitudes,
  voltageCells,
} from '../../src/analog/index.js';
import { datasheetChip as chip, neuron, spikesOf } from './analog-helpers.js';

const SEED = 0x5eed;
const mean = (xs: ArrayLike<number>): number => Array.from(xs).reduce((s, x) => s + x, 0) / xs.length;
const sd = (xs: ArrayLike<number>): number => {
  const m = mean(xs);
  return Math.sqrt(mean(Array.from(xs, (x) => (x - m) ** 2)));
};

const spiking = neuron({
  leak: { vLeak: 400, iBias: 100 },
  reset: { vReset: 350, iBias: 800, enableMultiplication: true },
  threshold: { enable: true, vThreshold: 480 },
  membraneCapacitance: { capacitance: 30 },
  excitatoryInput: { enable: true, iBiasTau: 100, iBiasGm: 500, iShiftReference: 500 },
  constantCurrent: { enable: true, iOffset: 200 },
  refractoryPeriod: { refractoryTime: 100, resetHoldoff: 15 },
  eventRouting: { analogOutput: 'normal' },
});

describe('random streams', () => {
  it('xoshiro128** from a seed is deterministic; streams differ by seed, kind and index', () => {
    const a = new Random(42);
    const b = new Random(42);
    const seq = Array.from({ length: 8 }, () => a.nextUint32());
    expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(seq);
    expect(new Set([streamSeed(1, 'neuron.vLeak', 0), streamSeed(2, 'neuron.vLeak', 0), streamSeed(1, 'neuron.vReset', 0), streamSeed(1, 'neuron.vLeak', 1)]).size).toBe(4);
  });

  it('normal and log-normal draws have the requested moments', () => {
    const r = new Random(7);
    const normals = Array.from({ length: 20_000 }, () => r.normal(1, 0.05));
    expect(mean(normals)).toBeCloseTo(1, 2);
    expect(sd(normals)).toBeCloseTo(0.05, 2);
    const logs = Array.from({ length: 20_000 }, () => Math.log(r.logNormal(0.2)));
    expect(mean(logs)).toBeCloseTo(0, 2);
    expect(sd(logs)).toBeCloseTo(0.2, 2);
  });

  it('property: uniforms stay in [0, 1) and (0, 1]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const r = new Random(seed);
        for (let i = 0; i < 50; i++) {
          const u = r.uniform();
          const p = r.uniformPositive();
          expect(u >= 0 && u < 1 && p > 0 && p <= 1).toBe(true);
        }
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe('fixed-pattern variation', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = ChipVariation.fromSeed(SEED);
    const b = ChipVariation.fromSeed(SEED);
    const c = ChipVariation.fromSeed(SEED + 1);
    for (const cell of voltageCells) {
      expect(a.voltageOffset_mV[cell]).toEqual(b.voltageOffset_mV[cell]);
      expect(a.voltageOffset_mV[cell]).not.toEqual(c.voltageOffset_mV[cell]);
    }
    for (const kind of biasGains) expect(a.biasGain[kind]).toEqual(b.biasGain[kind]);
    expect(a.capacitanceGain).toEqual(b.capacitanceGain);
    expect(a.driverPulseGain).toEqual(b.driverPulseGain);
    expect(a.cadcOffset_lsb).toEqual(b.cadcOffset_lsb);
    const pa = new NeuronParameters(a, Array(512).fill(spiking), 'datasheet');
    const pb = new NeuronParameters(b, Array(512).fill(spiking), 'datasheet');
    const pc = new NeuronParameters(c, Array(512).fill(spiking), 'datasheet');
    expect(pa.thresholdPotential_mV).toEqual(pb.thresholdPotential_mV);
    expect(pa.tauSynExc_us).toEqual(pb.tauSynExc_us);
    expect(pa.thresholdPotential_mV).not.toEqual(pc.thresholdPotential_mV);
  });

  it('has the magnitudes of §8.4', () => {
    const v = ChipVariation.fromSeed(SEED);
    const m = variationMagnitudes;
    const offsets = voltageCells.flatMap((cell) => Array.from(v.voltageOffset_mV[cell]));
    expect(sd(offsets) / m.voltageOffset_mV).toBeGreaterThan(0.95);
    expect(sd(offsets) / m.voltageOffset_mV).toBeLessThan(1.05);
    const gains = voltageCells.flatMap((cell) => Array.from(v.voltageGain[cell]));
    expect(mean(gains)).toBeCloseTo(1, 2);
    expect(sd(gains)).toBeCloseTo(m.voltageGainSd, 2);
    const logBias = biasGains.flatMap((kind) => Array.from(v.biasGain[kind], Math.log));
    expect(sd(logBias)).toBeCloseTo(m.biasLogSigma, 2);
    expect(sd(v.capacitanceGain)).toBeCloseTo(m.capacitanceGainSd, 2);
    expect(sd(v.synapseWeightGain)).toBeCloseTo(m.synapseWeightGainSd, 2);
    expect(sd(v.driverPulseGain)).toBeCloseTo(m.driverPulseGainSd, 1);
    expect(sd(v.cadcOffset_lsb)).toBeCloseTo(m.cadcOffset_lsb, 0);
    expect(sd(Array.from(v.correlationSensors.tauGainCausal, Math.log))).toBeCloseTo(m.correlationLogSigma, 2);
  });

  it('each circuit draws from its own stream: values do not depend on what was drawn before', () => {
    const first = ChipVariation.fromSeed(SEED);
    const weightsFirst = Float32Array.from(first.synapseWeightGain);
    const second = ChipVariation.fromSeed(SEED);
    void second.correlationSensors; // drawn in the other order
    expect(second.synapseWeightGain).toEqual(weightsFirst);
    const i = 12_345;
    expect(first.synapseWeightGain[i]).toBe(Math.fround(Random.forCircuit(SEED, 'synapse.weight', i).normal(1, variationMagnitudes.synapseWeightGainSd)));
    expect(first.voltageOffset_mV.vLeak[300]).toBe(Random.forCircuit(SEED, 'neuron.vLeak', 300).normal(0, variationMagnitudes.voltageOffset_mV));
  });

  it('the ideal chip has none: exactly the nominal transfer functions', () => {
    const v = ChipVariation.ideal();
    expect(v.isIdeal).toBe(true);
    for (const cell of voltageCells) {
      expect(v.voltageOffset_mV[cell].every((x) => x === 0)).toBe(true);
      expect(v.voltageGain[cell].every((x) => x === 1)).toBe(true);
    }
    for (const kind of biasGains) expect(v.biasGain[kind].every((x) => x === 1)).toBe(true);
    expect(v.synapseWeightGain.every((x) => x === 1)).toBe(true);
    const p = new NeuronParameters(v, Array(512).fill(spiking), 'datasheet');
    expect(p.leakPotential_mV.every((x) => x === nominal.capMemVoltage_mV(400))).toBe(true);
    expect(p.leakConductance_nS.every((x) => x === nominal.otaConductance_nS(100, false, false))).toBe(true);
    expect(p.capacitance_pF.every((x) => x === nominal.membraneCapacitance_pF(30))).toBe(true);
    expect(p.tauSynExc_us.every((x) => x === nominal.synapticTimeConstant_us(100, true, false))).toBe(true);
    expect(p.shiftExc_nA.every((x) => x === 0)).toBe(true);
  });

  it('identical configurations fire identically on the ideal chip and differently on a seeded one', () => {
    const circuits = [0, 100, 200, 300, 400, 500];
    const run = (variation: ChipVariation) => {
      const array = chip(new Map(circuits.map((c) => [c, spiking])), { step_ns: 100 }, variation);
      array.advanceTo(50_000);
      return circuits.map((c) => spikesOf(array, c));
    };
    const ideal = run(ChipVariation.ideal());
    expect(ideal[0]!.length).toBeGreaterThan(3);
    for (const s of ideal) expect(s).toEqual(ideal[0]);
    const seeded = run(ChipVariation.fromSeed(SEED));
    expect(new Set(seeded.map((s) => s.length + ':' + s[0])).size).toBeGreaterThan(1);
    expect(run(ChipVariation.fromSeed(SEED))).toEqual(seeded);
  });

  it('rejects a seed outside 0..2^32 − 1', () => {
    expect(() => ChipVariation.fromSeed(-1)).toThrow(/0\.\.4294967295/);
    expect(() => ChipVariation.fromSeed(2 ** 32)).toThrow();
    expect(() => ChipVariation.fromSeed(1.5)).toThrow();
  });
});

describe('temporal membrane noise', () => {
  const passive = neuron({ leak: { vLeak: 400, iBias: 100 }, membraneCapacitance: { capacitance: 30 } });
  const noisy = (options: { membraneNoise?: boolean | number; noiseSeed?: number }) => {
    const p = new NeuronParameters(undefined, undefined, 'datasheet');
    for (let i = 0; i < 512; i++) if (i % 8 === 0) p.setNeuron(i, passive);
    return new NeuronArray(p, { step_ns: 100, ...options });
  };

  it('is off by default', () => {
    const array = noisy({});
    array.advance(100);
    expect(array.membrane_mV[0]).toBe(nominal.capMemVoltage_mV(400));
  });

  it('is seeded, and its stationary standard deviation is σ = 1 mV', () => {
    const a = noisy({ membraneNoise: true, noiseSeed: 3 });
    const b = noisy({ membraneNoise: true, noiseSeed: 3 });
    a.advance(2000);
    b.advance(2000);
    expect(a.membrane_mV).toEqual(b.membrane_mV);
    const samples: number[] = [];
    for (let k = 0; k < 20; k++) {
      a.advance(50); // 5 µs ≈ τ_m / 2 between samples
      for (let i = 0; i < 512; i += 8) samples.push(a.membrane_mV[i]! - nominal.capMemVoltage_mV(400));
    }
    expect(Math.abs(mean(samples))).toBeLessThan(0.1);
    expect(sd(samples)).toBeGreaterThan(0.9);
    expect(sd(samples)).toBeLessThan(1.1);
  });
});
