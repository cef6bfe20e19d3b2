import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LIFHardwareTraces,
  type LIFParameters,
  lifScan,
  lifScanReference,
  liScan,
  liScanReference,
} from '../src/ops/index.js';
import { initTensorBackend, tf } from '../src/index.js';

await initTensorBackend();

const SEED = 1;

type Hardware = 'none' | 'v' | 'z' | 'both';

interface Case {
  shape: [number, number, number];
  p: LIFParameters;
  input: Float32Array;
  /** Loss weights on v and z: the loss is Σ wV·v + Σ wZ·z. */
  wV: Float32Array;
  wZ: Float32Array;
  hwV: Float32Array | undefined;
  hwZ: Float32Array | undefined;
}

const floats = (length: number, min: number, max: number): fc.Arbitrary<Float32Array> =>
  fc.float32Array({ minLength: length, maxLength: length, min: Math.fround(min), max: Math.fround(max), noNaN: true });

/** A scalar, or per neuron, in [min, max]. */
const parameter = (neurons: number, min: number, max: number): fc.Arbitrary<number | Float32Array> =>
  fc.oneof(fc.double({ min, max, noNaN: true }), floats(neurons, min, max));

const caseArb = (hardware: Hardware): fc.Arbitrary<Case> =>
  fc
    .tuple(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }))
    .chain(([T, B, N]) => {
      const size = T * B * N;
      return fc.record({
        shape: fc.constant<[number, number, number]>([T, B, N]),
        p: fc
          .record({
            dt: fc.double({ min: 0.1, max: 1, noNaN: true }),
            tauMemSteps: fc.double({ min: 1.5, max: 20, noNaN: true }),
            tauSynSteps: fc.double({ min: 1.5, max: 20, noNaN: true }),
            leak: parameter(N, -0.5, 0.5),
            reset: parameter(N, -1, 0.5),
            threshold: parameter(N, 0.3, 1.5),
            refractorySteps: fc.integer({ min: 0, max: 3 }),
            alpha: fc.double({ min: 1, max: 100, noNaN: true }),
          })
          .map(({ dt, tauMemSteps, tauSynSteps, ...rest }) => ({ dt, tauMem: dt * tauMemSteps, tauSyn: dt * tauSynSteps, ...rest })),
        input: floats(size, -0.5, 2.5),
        wV: floats(size, -1, 1),
        wZ: floats(size, -1, 1),
        hwV: hardware === 'v' || hardware === 'both' ? floats(size, -1, 2) : fc.constant(undefined),
        hwZ:
          hardware === 'z' || hardware === 'both'
            ? fc.array(fc.boolean(), { minLength: size, maxLength: size }).map((bits) => Float32Array.from(bits, Number))
            : fc.constant(undefined),
      });
    });

function hardwareOf(c: Case): LIFHardwareTraces {
  return {
    ...(c.hwV === undefined ? {} : { v: tf.tensor3d(c.hwV, c.shape) }),
    ...(c.hwZ === undefined ? {} : { z: tf.tensor3d(c.hwZ, c.shape) }),
  };
}

/** Copies a tensor kept out of tf.grad's scope and frees it. */
function take(x: tf.Tensor | undefined): Float32Array {
  if (x === undefined) throw new Error('the loss function did not run');
  const values = Float32Array.from(x.dataSync());
  x.dispose();
  return values;
}

/** Forward outputs (kept from the one forward pass tf.grad runs) and ∂(Σ wV·v + Σ wZ·z)/∂input. */
function runLif(scan: typeof lifScan, c: Case): { v: Float32Array; z: Float32Array; grad: Float32Array } {
  let v: tf.Tensor | undefined;
  let z: tf.Tensor | undefined;
  const grad = tf.tidy(() => {
    const hw = hardwareOf(c);
    const wV = tf.tensor3d(c.wV, c.shape);
    const wZ = tf.tensor3d(c.wZ, c.shape);
    return tf.grad((x: tf.Tensor) => {
      const out = scan(x as tf.Tensor3D, c.p, hw);
      [v, z] = [tf.keep(out.v), tf.keep(out.z)];
      return tf.add(tf.sum(tf.mul(out.v, wV)), tf.sum(tf.mul(out.z, wZ)));
    })(tf.tensor3d(c.input, c.shape));
  });
  return { v: take(v), z: take(z), grad: take(grad) };
}

function runLi(scan: typeof liScan, c: Case): { v: Float32Array; grad: Float32Array } {
  let v: tf.Tensor | undefined;
  const grad = tf.tidy(() => {
    const hw = c.hwV === undefined ? {} : { v: tf.tensor3d(c.hwV, c.shape) };
    const wV = tf.tensor3d(c.wV, c.shape);
    return tf.grad((x: tf.Tensor) => {
      const out = scan(x as tf.Tensor3D, c.p, hw);
      v = tf.keep(out);
      return tf.sum(tf.mul(out, wV));
    })(tf.tensor3d(c.input, c.shape));
  });
  return { v: take(v), grad: take(grad) };
}

/** |a − b| ≤ atol + rtol·|b| elementwise, with the worst offender in the failure message. */
function expectClose(a: Float32Array, b: Float32Array, atol: number, rtol: number): void {
  expect(a.length).toBe(b.length);
  let worst = -1;
  let worstExcess = 0;
  for (let k = 0; k < a.length; k++) {
    const excess = Math.abs(a[k]! - b[k]!) - (atol + rtol * Math.abs(b[k]!));
    if (excess > worstExcess) [worst, worstExcess] = [k, excess];
  }
  expect(worst, worst < 0 ? '' : `element ${worst}: ${a[worst]} vs ${b[worst]}`).toBe(-1);
}

const lifHardware = fc.constantFrom<Hardware>('none', 'v', 'z', 'both');
const liHardware = fc.constantFrom<Hardware>('none', 'v');

describe('fused scans against the unfused tfjs reference', () => {
  // The fused loops are plain JS whatever the backend; the oracle's backward runs twice as fast on cpu.
  beforeAll(async () => {
    await initTensorBackend('cpu');
  });
  afterAll(async () => {
    await initTensorBackend('wasm');
  });

  it('lifScan: bit-equal forward, equal gradients, with and without hardware injection', () => {
    fc.assert(
      fc.property(lifHardware.chain(caseArb), (c) => {
        const fused = runLif(lifScan, c);
        const reference = runLif(lifScanReference, c);
        expect(fused.v).toEqual(reference.v);
        expect(fused.z).toEqual(reference.z);
        expectClose(fused.grad, reference.grad, 1e-5, 1e-4);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('liScan: bit-equal forward, equal gradients, with and without hardware injection', () => {
    fc.assert(
      fc.property(liHardware.chain(caseArb), (c) => {
        const fused = runLi(liScan, c);
        const reference = runLi(liScanReference, c);
        expect(fused.v).toEqual(reference.v);
        expectClose(fused.grad, reference.grad, 1e-5, 1e-4);
      }),
      { seed: SEED, numRuns: 50 },
    );
  });

  it('the cases exercise spikes, refractory steps and every injection mode', () => {
    // Guards the generators: a property over cases that never spike would test the LI twice.
    const samples = fc.sample(lifHardware.chain(caseArb), { seed: SEED, numRuns: 60 });
    const spiking = samples.filter((c) => c.hwZ === undefined && runLif(lifScan, c).z.some((s) => s === 1));
    expect(spiking.length).toBeGreaterThan(15);
    expect(spiking.filter((c) => (c.p.refractorySteps ?? 0) > 0).length).toBeGreaterThan(8);
    expect(samples.filter((c) => c.hwV !== undefined && c.hwZ !== undefined).length).toBeGreaterThan(8);
    expect(samples.filter((c) => c.hwV === undefined && c.hwZ === undefined).length).toBeGreaterThan(8);
  });
});

describe('fused scans against the reference on the wasm backend', () => {
  it('have bit-equal forward passes', () => {
    expect(tf.getBackend()).toBe('wasm');
    fc.assert(
      fc.property(lifHardware.chain(caseArb), (c) => {
        tf.tidy(() => {
          const input = tf.tensor3d(c.input, c.shape);
          const hw = hardwareOf(c);
          const fused = lifScan(input, c.p, hw);
          const reference = lifScanReference(input, c.p, hw);
          expect(fused.v.dataSync()).toEqual(reference.v.dataSync());
          expect(fused.z.dataSync()).toEqual(reference.z.dataSync());
          expect(liScan(input, c.p, hw).dataSync()).toEqual(liScanReference(input, c.p, hw).dataSync());
        });
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});

/** Σ w·out in double precision: the loss the finite differences are taken of. */
function weightedSum(out: tf.Tensor, w: Float32Array): number {
  const values = out.dataSync();
  let sum = 0;
  for (let k = 0; k < values.length; k++) sum += values[k]! * w[k]!;
  return sum;
}

/**
 * Checks ∂loss/∂input[k] of the fused op against central finite differences at `coordinates`. Both the LI
 * and the LIF without spikes are affine in the input, so a large step is exact up to float32 rounding.
 */
function checkFiniteDifferences(loss: (input: Float32Array) => number, grad: Float32Array, input: Float32Array, coordinates: number[]): void {
  const h = 0.25;
  for (const k of coordinates) {
    const plus = Float32Array.from(input);
    const minus = Float32Array.from(input);
    plus[k]! += h;
    minus[k]! -= h;
    const numeric = (loss(plus) - loss(minus)) / (2 * h);
    expect(Math.abs(grad[k]! - numeric), `coordinate ${k}: ${grad[k]} vs ${numeric}`).toBeLessThan(2e-4 + 1e-3 * Math.abs(numeric));
  }
}

describe('gradients against central finite differences', () => {
  const withCoordinates = (arb: fc.Arbitrary<Case>) =>
    arb.chain((c) => {
      const size = c.input.length;
      return fc.tuple(fc.constant(c), fc.uniqueArray(fc.nat({ max: size - 1 }), { minLength: 1, maxLength: Math.min(size, 6) }));
    });

  it('liScan', () => {
    fc.assert(
      fc.property(withCoordinates(caseArb('none')), ([c, coordinates]) => {
        const { grad } = runLi(liScan, c);
        const loss = (input: Float32Array) => tf.tidy(() => weightedSum(liScan(tf.tensor3d(input, c.shape), c.p), c.wV));
        checkFiniteDifferences(loss, grad, c.input, coordinates);
      }),
      { seed: SEED, numRuns: 50 },
    );
  });

  it('lifScan with a loss on v, below threshold', () => {
    const subthreshold = caseArb('none').map((c) => ({ ...c, p: { ...c.p, threshold: 100 }, wZ: new Float32Array(c.wZ.length) }));
    fc.assert(
      fc.property(withCoordinates(subthreshold), ([c, coordinates]) => {
        const { z, grad } = runLif(lifScan, c);
        expect(z.every((s) => s === 0)).toBe(true);
        const loss = (input: Float32Array) => tf.tidy(() => weightedSum(lifScan(tf.tensor3d(input, c.shape), c.p).v, c.wV));
        checkFiniteDifferences(loss, grad, c.input, coordinates);
      }),
      { seed: SEED, numRuns: 50 },
    );
  });
});
