// AELIF (adaptive exponential LIF, hardware.md §8.1, §11.2): the fused scan against its tfjs reference, the
// reduction to LIF, spike-frequency adaptation in the model and on the simulated chip, training, the chip
// mapping's settings and its typed errors.
import { nominal } from '@bss2/lola';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AELIF,
  CHIP_EXP_SLOPE_LSB,
  Experiment,
  HardwareMappingError,
  InputNeuron,
  LIF,
  SpikingOpError,
  SpikingParameterError,
  Synapse,
  initTensorBackend,
  layerTarget,
  mixed,
  run,
  runWithGradients,
  tf,
} from '../src/index.js';
import { type AELIFParameters, type LIFHardwareTraces, aelifScan, aelifScanReference, lifScan } from '../src/ops/index.js';

const SEED = 1;

type Hardware = 'none' | 'v' | 'z' | 'both';

interface Case {
  shape: [number, number, number];
  p: AELIFParameters;
  input: Float32Array;
  /** Loss weights: the loss is Σ wV·v + Σ wZ·z + Σ wW·w. */
  wV: Float32Array;
  wZ: Float32Array;
  wW: Float32Array;
  hwV: Float32Array | undefined;
  hwZ: Float32Array | undefined;
}

const floats = (length: number, min: number, max: number): fc.Arbitrary<Float32Array> =>
  fc.float32Array({ minLength: length, maxLength: length, min: Math.fround(min), max: Math.fround(max), noNaN: true });

const parameter = (neurons: number, min: number, max: number): fc.Arbitrary<number | Float32Array> =>
  fc.oneof(fc.double({ min, max, noNaN: true }), floats(neurons, min, max));

const caseArb = (hardware: Hardware): fc.Arbitrary<Case> =>
  fc
    .tuple(fc.integer({ min: 3, max: 10 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }))
    .chain(([T, B, N]) => {
      const size = T * B * N;
      return fc.record({
        shape: fc.constant<[number, number, number]>([T, B, N]),
        p: fc
          .record({
            dt: fc.double({ min: 0.1, max: 1, noNaN: true }),
            tauMemSteps: fc.double({ min: 1.5, max: 20, noNaN: true }),
            tauSynSteps: fc.double({ min: 1.5, max: 20, noNaN: true }),
            tauAdaptationSteps: fc.double({ min: 1.5, max: 50, noNaN: true }),
            leak: parameter(N, -0.5, 0.5),
            reset: parameter(N, -1, 0.5),
            threshold: parameter(N, 0.3, 1.5),
            refractorySteps: fc.integer({ min: 0, max: 3 }),
            alpha: fc.double({ min: 1, max: 100, noNaN: true }),
            adaptationA: parameter(N, -0.3, 0.6),
            adaptationB: parameter(N, -0.3, 0.5),
            exponential: fc.boolean(),
            expSlope: parameter(N, 0.05, 0.5),
            expThreshold: parameter(N, 0.2, 1.2),
          })
          .map(({ dt, tauMemSteps, tauSynSteps, tauAdaptationSteps, ...rest }) => ({
            dt,
            tauMem: dt * tauMemSteps,
            tauSyn: dt * tauSynSteps,
            tauAdaptation: dt * tauAdaptationSteps,
            ...rest,
          })),
        // Graded inputs from integers: fast-check's float arrays lean to 0 and the bounds, rarely a spike.
        input: fc.array(fc.integer({ min: -30, max: 300 }), { minLength: size, maxLength: size }).map((xs) => Float32Array.from(xs, (x) => x / 100)),
        wV: floats(size, -1, 1),
        wZ: floats(size, -1, 1),
        wW: floats(size, -1, 1),
        hwV: hardware === 'v' || hardware === 'both' ? floats(size, -1, 2) : fc.constant(undefined),
        hwZ:
          hardware === 'z' || hardware === 'both'
            ? fc.array(fc.boolean(), { minLength: size, maxLength: size }).map((bits) => Float32Array.from(bits, Number))
            : fc.constant(undefined),
      });
    });

const anyHardware = fc.constantFrom<Hardware>('none', 'none', 'v', 'z', 'both');

function hardwareOf(c: Case): LIFHardwareTraces {
  return {
    ...(c.hwV === undefined ? {} : { v: tf.tensor3d(c.hwV, c.shape) }),
    ...(c.hwZ === undefined ? {} : { z: tf.tensor3d(c.hwZ, c.shape) }),
  };
}

function take(x: tf.Tensor | undefined): Float32Array {
  if (x === undefined) throw new Error('the loss function did not run');
  const values = Float32Array.from(x.dataSync());
  x.dispose();
  return values;
}

/** Forward outputs of the one pass tf.grad runs, and ∂loss/∂input. */
function runScan(scan: typeof aelifScan, c: Case): { v: Float32Array; z: Float32Array; w: Float32Array; grad: Float32Array } {
  let kept: tf.Tensor[] = [];
  const grad = tf.tidy(() => {
    const hw = hardwareOf(c);
    const [wV, wZ, wW] = [c.wV, c.wZ, c.wW].map((x) => tf.tensor3d(x, c.shape));
    return tf.grad((x: tf.Tensor) => {
      const out = scan(x as tf.Tensor3D, c.p, hw);
      kept = [tf.keep(out.v), tf.keep(out.z), tf.keep(out.w)];
      return tf.addN([tf.sum(tf.mul(out.v, wV!)), tf.sum(tf.mul(out.z, wZ!)), tf.sum(tf.mul(out.w, wW!))]);
    })(tf.tensor3d(c.input, c.shape));
  });
  return { v: take(kept[0]), z: take(kept[1]), w: take(kept[2]), grad: take(grad) };
}

/** |a − b| ≤ atol + rtol·|b| elementwise, with the worst offender in the failure message. */
function expectClose(a: Float32Array, b: Float32Array, atol: number, rtol: number): void {
  expect(a.length).toBe(b.length);
  let worst = -1;
  let worstExcess = 0;
  for (let k = 0; k < a.length; k++) {
    const excess = Math.abs(a[k]! - b[k]!) - (atol + rtol * Math.abs(b[k]!));
    if (!(excess <= worstExcess)) [worst, worstExcess] = [k, excess];
  }
  expect(worst, worst < 0 ? '' : `element ${worst}: ${a[worst]} vs ${b[worst]}`).toBe(-1);
}

/** Interspike intervals (steps) of neuron n of a [T, 1, N] spike train. */
function intervals(spikes: Float32Array, neurons: number, n: number): number[] {
  const times: number[] = [];
  for (let t = 0; t < spikes.length / neurons; t++) if (spikes[t * neurons + n]! > 0) times.push(t);
  return times.slice(1).map((time, k) => time - times[k]!);
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('aelifScan against the unfused tfjs reference (cpu backend)', () => {
  // Bit-equal forward passes need the reference's float32 exp to be Math.exp rounded, as the cpu backend does.
  beforeAll(async () => {
    await initTensorBackend('cpu');
  });
  afterAll(async () => {
    await initTensorBackend('wasm');
  });

  it('bit-equal forward (z, v, w), equal gradients, with and without hardware injection', () => {
    fc.assert(
      fc.property(anyHardware.chain(caseArb), (c) => {
        const fused = runScan(aelifScan, c);
        const reference = runScan(aelifScanReference, c);
        expect(fused.v).toEqual(reference.v);
        expect(fused.z).toEqual(reference.z);
        expect(fused.w).toEqual(reference.w);
        expectClose(fused.grad, reference.grad, 1e-4, 1e-3);
      }),
      { seed: SEED, numRuns: 30 },
    );
  });

  it('the cases exercise spikes, adaptation, the exponential and every injection mode', () => {
    const samples = fc.sample(anyHardware.chain(caseArb), { seed: SEED, numRuns: 30 });
    const modelSpikes = samples.filter((c) => c.hwZ === undefined && runScan(aelifScan, c).z.some((s) => s === 1));
    expect(modelSpikes.length).toBeGreaterThan(8);
    expect(modelSpikes.filter((c) => c.hwV === undefined && c.p.exponential === true).length).toBeGreaterThan(3);
    expect(samples.filter((c) => c.hwV !== undefined && c.hwZ !== undefined).length).toBeGreaterThan(3);
  });

  it('with a = b = 0 and no exponential is LIF to the bit, forward and backward', () => {
    fc.assert(
      fc.property(anyHardware.chain(caseArb), (c0) => {
        const c: Case = { ...c0, p: { ...c0.p, adaptationA: 0, adaptationB: 0, exponential: false }, wW: new Float32Array(c0.wW.length) };
        const aelif = runScan(aelifScan, c);
        const lif = runScan((x, p, hw) => ({ ...lifScan(x, p, hw), w: tf.zerosLike(x) }), c);
        expect(aelif.v).toEqual(lif.v);
        expect(aelif.z).toEqual(lif.z);
        expect(aelif.w).toEqual(new Float32Array(c.wW.length));
        expect(aelif.grad).toEqual(lif.grad);
      }),
      { seed: SEED, numRuns: 30 },
    );
  });
});

describe('AELIF in mock mode', () => {
  beforeAll(async () => {
    await initTensorBackend();
  });

  const experiments: Experiment[] = [];
  afterAll(async () => {
    for (const e of experiments) await e.close();
  });

  it('as a layer, without adaptation and exponential, gives the LIF layer’s spikes and membranes', async () => {
    const e = new Experiment({ mock: true, seed: 4 });
    experiments.push(e);
    const input = new InputNeuron(e, 3);
    const s1 = new Synapse(e, 3, 4, { init: { mean: 0.6, std: 0.3 }, seed: 5 });
    const s2 = new Synapse(e, 3, 4, { weight: s1.weight });
    const lif = new LIF(e, 4, { tauMem_ms: 6, tauSyn_ms: 6 });
    const aelif = new AELIF(e, 4, { tauMem_ms: 6, tauSyn_ms: 6, exponential: false });
    const x = tf.tensor3d(Float32Array.from({ length: 40 * 2 * 3 }, (_, k) => ((k * 7919) % 5 === 0 ? 1 : 0)), [40, 2, 3]);
    const h = input.call(x);
    const a = lif.call(s1.call(h));
    const b = aelif.call(s2.call(h));
    await run(e, 40);
    expect(tf.sum(a.spikes!).dataSync()[0]).toBeGreaterThan(0);
    expect(b.spikes!.dataSync()).toEqual(a.spikes!.dataSync());
    expect(b.v!.dataSync()).toEqual(a.v!.dataSync());
  });

  it('adapts: under constant input its interspike intervals grow with b > 0 and do not without', () => {
    const p: AELIFParameters = { tauMem: 10, tauSyn: 10, dt: 1, leak: 0, reset: 0, threshold: 1, refractorySteps: 1, tauAdaptation: 100, adaptationA: 0, adaptationB: 0, expSlope: 0.074, expThreshold: 0.8 };
    const input = tf.fill([150, 1, 1], 0.25) as tf.Tensor3D;
    const adapting = intervals(aelifScan(input, { ...p, adaptationB: 0.25, adaptationA: 0.2 }).z.dataSync() as Float32Array, 1, 0);
    const plain = intervals(aelifScan(input, p).z.dataSync() as Float32Array, 1, 0);
    expect(adapting.length).toBeGreaterThan(8);
    for (let k = 1; k < adapting.length; k++) expect(adapting[k]!).toBeGreaterThanOrEqual(adapting[k - 1]! - 1);
    expect(mean(adapting.slice(-3))).toBeGreaterThan(1.5 * mean(adapting.slice(0, 3)));
    expect(mean(plain.slice(-3))).toBeLessThanOrEqual(mean(plain.slice(0, 3)));
  });

  it('trains: a few gradient steps bring the spike counts toward a target', async () => {
    const e = new Experiment({ mock: true, seed: 2 });
    experiments.push(e);
    const input = new InputNeuron(e, 4);
    const syn = new Synapse(e, 4, 3, { init: { mean: 0.5, std: 0.2 }, seed: 9 });
    const layer = new AELIF(e, 3, { tauMem_ms: 6, tauSyn_ms: 6, adaptationA: 0.1, adaptationB: mixed(0.1, 4.5), tauAdaptation_ms: 30 });
    const x = tf.tensor3d(Float32Array.from({ length: 50 * 2 * 4 }, (_, k) => ((k * 2654435761) % 7 < 2 ? 1 : 0)), [50, 2, 4]);
    const target = tf.tensor2d([[2, 6, 4], [2, 6, 4]]);
    const step = () => {
      const out = layer.call(syn.call(input.call(x)));
      return runWithGradients(e, 50, () => tf.mean(tf.square(tf.sub(tf.sum(out.spikes!, 0), target))) as tf.Scalar);
    };
    const optimizer = tf.train.sgd(0.02);
    const first = await step();
    expect(tf.sum(tf.abs(first.grads[syn.weight.name]!)).dataSync()[0]).toBeGreaterThan(0);
    let last = first;
    for (let k = 0; k < 4; k++) {
      optimizer.applyGradients(last.grads as Parameters<typeof optimizer.applyGradients>[0]);
      last = await step();
    }
    expect(last.loss).toBeLessThan(first.loss);
  });

  it('rejects bad options with typed errors naming the parameter', () => {
    const e = new Experiment({ mock: true });
    experiments.push(e);
    const bad: [Record<string, unknown>, string][] = [
      [{ expSlope: 0 }, 'expSlope'],
      [{ expSlope: mixed(0.1, -1) }, 'expSlope'],
      [{ expThreshold: Number.NaN }, 'expThreshold'],
      [{ adaptationA: Infinity }, 'adaptationA'],
      [{ adaptationB: 'strong' }, 'adaptationB'],
      [{ tauAdaptation_ms: 1 }, 'tauAdaptation_ms'],
      [{ tauAdaptation_ms: mixed(50, 50) }, 'tauAdaptation_ms'],
      [{ exponential: 1 }, 'exponential'],
      [{ threshold: -1 }, 'threshold'],
    ];
    for (const [options, parameter] of bad) {
      const error = (() => {
        try {
          new AELIF(e, 2, options as never);
        } catch (thrown) {
          return thrown;
        }
        return undefined;
      })();
      expect(error, parameter).toBeInstanceOf(SpikingParameterError);
      expect((error as SpikingParameterError).parameter).toBe(parameter);
      expect((error as SpikingParameterError).module).toMatch(/^AELIF_\d+$/);
    }
    const input = tf.zeros([4, 1, 2]) as tf.Tensor3D;
    const p: AELIFParameters = { tauMem: 10, tauSyn: 10, dt: 1, leak: 0, reset: 0, threshold: 1, tauAdaptation: 100, adaptationA: 0, adaptationB: 0, expSlope: 0.1, expThreshold: 0.8 };
    expect(() => aelifScan(input, { ...p, tauAdaptation: 1 })).toThrow(SpikingOpError);
    expect(() => aelifScan(input, { ...p, expSlope: Float32Array.of(0.1, -0.1) })).toThrow(/expSlope\[1\]/);
    expect(() => aelifScan(input, { ...p, expThreshold: undefined })).toThrow(/expThreshold/);
    expect(() => aelifScanReference(input, { ...p, adaptationB: Float32Array.of(1) })).toThrow(SpikingOpError);
    expect(() => aelifScan(input, { ...p, exponential: false, expSlope: undefined, expThreshold: undefined })).not.toThrow();
  });
});

describe('AELIF on the chip', () => {
  let chip: Experiment;
  beforeAll(async () => {
    await initTensorBackend();
    chip = new Experiment({ mock: false, calibration: 'nominal', chip: { seed: 1, analog: { idealChip: true } } });
  }, 120_000);
  afterAll(async () => {
    await chip.close();
  });

  it('maps a, b, τ_w, Δ_T and v_T through lola’s nominal transfer functions onto the calibrated LIF neuron', () => {
    const e = new Experiment({ mock: false });
    const input = new InputNeuron(e, 1);
    const layer = new AELIF(e, 2, { adaptationA: 0.2, adaptationB: mixed(0.1, 4.5), tauAdaptation_ms: 100, expThreshold: mixed(0.8, 116) });
    layer.call(new Synapse(e, 1, 2).call(input.call(tf.zeros([2, 1, 1]) as tf.Tensor3D)));
    const population = e.hardware().graph(e.edges()).populations.find((x) => x.name === layer.name)!;
    const spec = (population as { neurons: { kind: string; target: unknown; patch?: Record<string, Record<string, number | boolean>> } }).neurons;
    expect(spec.target).toEqual(layerTarget(layer));
    const { adaptation, exponential } = spec.patch!;
    // g_L = 2.2 pF / 10 µs = 220 nS: a = 0.2·g_L = 44 nS, b = 4.5 CADC LSB · 4.5 mV · g_L = 4.455 nA, I_0 ≈ g_L·15 mV.
    const g_nS = 220;
    expect(adaptation).toMatchObject({ enable: true, enablePulse: true, invertA: false, invertB: false, iBiasTau: 100 });
    expect(nominal.adaptationConductance_nS(adaptation!['iBiasA'] as number) / g_nS).toBeCloseTo(0.2, 3);
    expect(Math.abs(nominal.adaptationIncrement_nA(adaptation!['iBiasB'] as number) - 4.455)).toBeLessThanOrEqual(nominal.adaptationIncrement_nA(1) / 2);
    expect(adaptation!['vLeak']).toBe(Math.round(nominal.voltageToCapMem_lsb(nominal.cadcCodeToVoltage_V(80))));
    expect(exponential).toMatchObject({ enable: true, iBias: 33 });
    // The exponential term the chip gets, I_0·exp((V − V_exp)/Δ_T), equals g_L·Δ_T·exp((V − v_T)/Δ_T) at v_T = 116.
    const vT_mV = 1000 * nominal.cadcCodeToVoltage_V(116);
    const vExp_mV = nominal.capMemVoltage_mV(exponential!['vExp'] as number);
    const atOnset_nA = nominal.exponentialCurrent_nA(33) * Math.exp((vT_mV - vExp_mV) / nominal.exponentialSlope_mV);
    expect(atOnset_nA / ((g_nS * nominal.exponentialSlope_mV) / 1000)).toBeCloseTo(1, 1);
    expect(CHIP_EXP_SLOPE_LSB).toBeCloseTo(15 / 4.5, 10);
    // Negative a and b invert; a = b = 0 switches the adaptation off, `exponential: false` the exponential term.
    const inverted = new AELIF(e, 1, { adaptationA: -0.1, adaptationB: -1, exponential: false });
    const quiet = new AELIF(e, 1, {});
    for (const m of [inverted, quiet]) m.call(new Synapse(e, 1, 1).call(input.call(tf.zeros([2, 1, 1]) as tf.Tensor3D)));
    const patchOf = (m: AELIF) => (e.hardware().graph(e.edges()).populations.find((x) => x.name === m.name) as { neurons: { patch?: unknown } }).neurons.patch;
    expect(patchOf(inverted)).toMatchObject({ adaptation: { enable: true, invertA: true, invertB: true }, exponential: { enable: false } });
    expect(patchOf(quiet)).toMatchObject({ adaptation: { enable: false }, exponential: { enable: true } });
    return e.close();
  });

  it('rejects what the chip cannot realise with a HardwareMappingError naming layer, parameter, value and range', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ adaptationA: 5 }, 'adaptationA', /\|adaptationA\| ≤ 0\.46/],
      [{ adaptationB: mixed(1, 500) }, 'adaptationB', /\|adaptationB\| ≤ 51\.\d CADC LSB/],
      [{ adaptationB: 1, tauAdaptation_ms: 5 }, 'tauAdaptation_ms', /9\.78\.\.10000 ms/],
      [{ expSlope: 0.2 }, 'expSlope', /fixed at 15 mV = 3\.333 CADC LSB/],
      [{ expThreshold: mixed(0.8, 400) }, 'expThreshold', /-?\d+\.\d\.\.\d+\.\d CADC LSB/],
    ];
    for (const [options, parameter, range] of cases) {
      const e = new Experiment({ mock: false });
      const input = new InputNeuron(e, 1);
      const layer = new AELIF(e, 2, options as never);
      layer.call(new Synapse(e, 1, 2).call(input.call(tf.zeros([2, 1, 1]) as tf.Tensor3D)));
      let error: unknown;
      try {
        e.hardware().graph(e.edges());
      } catch (thrown) {
        error = thrown;
      }
      expect(error, parameter).toBeInstanceOf(HardwareMappingError);
      const mapping = error as HardwareMappingError;
      expect(mapping.module).toBe(layer.name);
      expect(mapping.parameter).toBe(parameter);
      expect(mapping.message).toContain(layer.name);
      expect(mapping.message).toMatch(range);
      await e.close();
    }
  });

  it('adapts on the simulated chip too: interspike intervals grow under constant input, without b they do not', async () => {
    const steps = 120;
    const build = (e: Experiment) => {
      const input = new InputNeuron(e, 1);
      const adapting = new AELIF(e, 1, { adaptationA: 0.2, adaptationB: mixed(0.25, 0.25 * 45), tauAdaptation_ms: 100 });
      const plain = new AELIF(e, 1, {});
      const h = input.call(tf.ones([steps, 1, 1]) as tf.Tensor3D);
      return { adapting: adapting.call(new Synapse(e, 1, 1, { weight: [[0.3]] }).call(h)), plain: plain.call(new Synapse(e, 1, 1, { weight: [[0.3]] }).call(h)) };
    };
    const onChip = build(chip);
    await run(chip, steps);
    const mock = new Experiment({ mock: true });
    const inMock = build(mock);
    await run(mock, steps);

    const adapting = intervals(onChip.adapting.spikes!.dataSync() as Float32Array, 1, 0);
    const plain = intervals(onChip.plain.spikes!.dataSync() as Float32Array, 1, 0);
    expect(adapting.length).toBeGreaterThan(6);
    expect(mean(adapting.slice(-3))).toBeGreaterThan(1.4 * mean(adapting.slice(0, 3)));
    expect(mean(plain.slice(-3))).toBeLessThanOrEqual(mean(plain.slice(0, 3)));
    expect(plain.length).toBeGreaterThan(adapting.length + 4);
    // The chip's adapted rhythm is the model's, roughly (nominal AdEx settings, binned spikes).
    const modelled = intervals(inMock.adapting.spikes!.dataSync() as Float32Array, 1, 0);
    expect(mean(adapting.slice(-3)) / mean(modelled.slice(-3))).toBeGreaterThan(0.6);
    expect(mean(adapting.slice(-3)) / mean(modelled.slice(-3))).toBeLessThan(1.4);
    await mock.close();
  }, 120_000);
});
