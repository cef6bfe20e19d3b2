import { describe, expect, it } from 'vitest';
import {
  type LIFParameters,
  SpikingOpError,
  inject,
  lifScan,
  lifScanReference,
  liScan,
  liScanReference,
  superSpike,
} from '../src/ops/index.js';
import { initTensorBackend, tf } from '../src/index.js';

await initTensorBackend();

const values = (x: tf.Tensor): number[] => Array.from(x.dataSync());

/** A [T, 1, 1] series. */
const series = (xs: number[]): tf.Tensor3D => tf.tensor3d(xs, [xs.length, 1, 1]);

/** ∂/∂x of Σ w·f(x), the vector–Jacobian product tf.grad computes. */
function vjp(f: (x: tf.Tensor3D) => tf.Tensor, x: tf.Tensor3D, w: tf.Tensor): number[] {
  return values(tf.grad((input: tf.Tensor) => tf.sum(tf.mul(f(input as tf.Tensor3D), w)))(x));
}

describe('liScan', () => {
  it('follows the closed-form explicit Euler trajectory for a constant input', () => {
    const T = 60;
    const c = 0.3;
    const p = { tauMem: 8, tauSyn: 3, dt: 1, leak: -0.5 };
    const k = p.dt / p.tauMem;
    const a = 1 - k;
    const d = 1 - p.dt / p.tauSyn;
    const v = values(liScan(series(new Array<number>(T).fill(c)), p));
    // i_t = c(1 − dᵗ)/(1 − d) enters the membrane at step t; w_t = v_t − leak = a·w_{t−1} + k·i_t, w_{−1} = 0.
    const expected = Array.from({ length: T }, (_, t) => {
      const m = t + 1;
      return p.leak + ((k * c) / (1 - d)) * ((1 - a ** m) / (1 - a) - (a ** m - d ** m) / (a - d));
    });
    for (let t = 0; t < T; t++) expect(v[t]).toBeCloseTo(expected[t]!, 5);
    // The input reaches the membrane one step late; the fixed point is leak + c·tauSyn/dt.
    expect(v[0]).toBe(p.leak);
    expect(v[T - 1]).toBeCloseTo(p.leak + (c * p.tauSyn) / p.dt, 1);
  });

  it('takes per-neuron leaks', () => {
    const x = tf.zeros([3, 2, 2]) as tf.Tensor3D;
    const v = values(liScan(x, { tauMem: 4, tauSyn: 4, dt: 1, leak: new Float32Array([0.25, -2]) }));
    expect(v).toEqual(Array.from({ length: 6 }, () => [0.25, -2]).flat());
  });

  it('with a hardware trace outputs it, and the gradient is still the model’s', () => {
    const p = { tauMem: 5, tauSyn: 2, dt: 1, leak: 0 };
    const x = tf.tensor3d([1, -2, 0.5, 3, 0, 1], [3, 1, 2]);
    const hw = tf.tensor3d([9, 8, 7, 6, 5, 4], [3, 1, 2]);
    const w = tf.tensor3d([1, 2, -1, 0.5, 3, -2], [3, 1, 2]);
    expect(values(liScan(x, p, { v: hw }))).toEqual([9, 8, 7, 6, 5, 4]);
    // The LI is linear, so its Jacobian does not depend on the (injected) trajectory at all.
    expect(vjp((input) => liScan(input, p, { v: hw }), x, w)).toEqual(vjp((input) => liScan(input, p), x, w));
  });
});

describe('lifScan', () => {
  const base: LIFParameters = { tauMem: 2, tauSyn: 2, dt: 1, leak: 0, reset: -1, threshold: 1 };
  // dt/tau = ½ everywhere, so every value below is exact in float32.
  const pulse = series([10, 0, 0, 0, 0, 0]);

  it('below threshold integrates exactly like the LI', () => {
    const x = tf.randomUniform([12, 2, 3], -1, 2, 'float32', 7) as tf.Tensor3D;
    const p = { ...base, tauMem: 7, tauSyn: 3, threshold: 1e6 };
    const { z, v } = lifScan(x, p);
    expect(values(z).every((s) => s === 0)).toBe(true);
    expect(values(v)).toEqual(values(liScan(x, p)));
  });

  it('spikes when v > threshold, outputs the membrane before the reset, then resets', () => {
    const { z, v } = lifScan(pulse, base);
    // t1: v = ½·10 = 5 > 1 → spike; t2: −1 + ½(0 + 1 + 5) = 2 → spike; t3: −1 + ½(1 + 2.5) = 0.75;
    // t4: 0.75 + ½(−0.75 + 1.25) = 1, not above the threshold.
    expect(values(v)).toEqual([0, 5, 2, 0.75, 1, 0.8125]);
    expect(values(z)).toEqual([0, 1, 1, 0, 0, 0]);
  });

  it('holds the membrane at reset for refractorySteps after a spike', () => {
    const { z, v } = lifScan(pulse, { ...base, refractorySteps: 2 });
    expect(values(v)).toEqual([0, 5, -1, -1, 0.125, 0.375]);
    expect(values(z)).toEqual([0, 1, 0, 0, 0, 0]);
  });

  it('does not spike at v = threshold exactly (strict >)', () => {
    const { z, v } = lifScan(series([0, 0, 0]), { ...base, leak: 1 });
    expect(values(v)).toEqual([1, 1, 1]);
    expect(values(z)).toEqual([0, 0, 0]);
  });

  it('passes no gradient through the membrane on refractory steps', () => {
    // Loss on v[2] and v[3], both refractory: the input reaches them only through the held membrane.
    const p = { ...base, refractorySteps: 2 };
    const g = vjp((input) => lifScan(input, p).v, pulse, series([0, 0, 1, 1, 0, 0]));
    expect(g).toEqual([0, 0, 0, 0, 0, 0]);
    // v[4] integrates again from reset with i[4]: ∂v[4]/∂x[t] = k·dᵗ⁻³ for t ≤ 3.
    const g4 = vjp((input) => lifScan(input, p).v, pulse, series([0, 0, 0, 0, 1, 0]));
    expect(g4).toEqual([0.0625, 0.125, 0.25, 0.5, 0, 0]);
  });

  it('replaces the forward values by the hardware traces', () => {
    const hwV = series([0, 3, 0.5, 2, 0, 0]);
    const hwZ = series([1, 0, 0, 1, 0, 0]);
    const fromV = lifScan(pulse, base, { v: hwV });
    expect(values(fromV.v)).toEqual(values(hwV));
    expect(values(fromV.z)).toEqual([0, 1, 0, 1, 0, 0]);
    const fromZ = lifScan(pulse, base, { z: hwZ });
    expect(values(fromZ.z)).toEqual(values(hwZ));
    // A hardware spike at t0 resets the model membrane to −1: t1 = −1 + ½(0 + 1 + 10) = 4.5.
    expect(values(fromZ.v).slice(0, 2)).toEqual([0, 4.5]);
  });

  it('routes the gradient of z through SuperSpike at the hardware membrane value', () => {
    const hwV = series([0, 1.1, 0, 0, 0, 0]);
    const alpha = 10;
    const g = vjp((input) => lifScan(input, { ...base, alpha }, { v: hwV }).z, pulse, series([0, 1, 0, 0, 0, 0]));
    // z[1] = H(v[1] − 1) with v[1] = v[0] + ½(leak − v[0] + i[1]), i[1] = x[0]: ∂z[1]/∂x[0] = ½·σ'(0.1).
    expect(g[0]).toBeCloseTo(0.5 / (alpha * 0.1 + 1) ** 2, 6);
    expect(g.slice(1)).toEqual([0, 0, 0, 0, 0]);
  });

  it('agrees with the reference on the cpu backend too (forward bit-equal)', async () => {
    await initTensorBackend('cpu');
    try {
      const x = tf.randomUniform([15, 2, 3], -0.5, 2, 'float32', 3) as tf.Tensor3D;
      const p = { ...base, tauMem: 6, tauSyn: 4, threshold: 0.8, refractorySteps: 1 };
      const fused = lifScan(x, p);
      const reference = lifScanReference(x, p);
      expect(values(fused.v)).toEqual(values(reference.v));
      expect(values(fused.z)).toEqual(values(reference.z));
      expect(values(fused.z).some((s) => s === 1)).toBe(true);
      expect(values(liScan(x, p))).toEqual(values(liScanReference(x, p)));
    } finally {
      await initTensorBackend('wasm');
    }
  });
});

describe('superSpike and inject', () => {
  it('superSpike is Heaviside forward (0 at 0) and 1/(α|x| + 1)² backward', () => {
    const x = tf.tensor1d([-1, 0, 0.1, 2]);
    expect(values(superSpike(x, 50))).toEqual([0, 0, 1, 1]);
    const g = values(tf.grad((input: tf.Tensor) => tf.sum(superSpike(input, 50)))(x));
    const expected = [1 / 51 ** 2, 1, 1 / 6 ** 2, 1 / 101 ** 2];
    g.forEach((gk, k) => expect(gk).toBeCloseTo(expected[k]!, 7));
  });

  it('inject forwards the hardware values and hands the gradient to the model unchanged', () => {
    const model = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const hardware = tf.tensor2d([9, 8, 7, 6], [2, 2]);
    expect(values(inject(model, hardware))).toEqual([9, 8, 7, 6]);
    const w = tf.tensor2d([0.5, -1, 2, 3], [2, 2]);
    const g = tf.grad((m: tf.Tensor) => tf.sum(tf.mul(tf.mul(inject(m, hardware), w), 2)))(model);
    expect(values(g)).toEqual([1, -2, 4, 6]);
  });

  it('inject rejects mismatched shapes', () => {
    expect(() => inject(tf.zeros([2, 2]), tf.zeros([2, 3]))).toThrow(SpikingOpError);
    expect(() => inject(tf.zeros([2, 2]), tf.zeros([4]))).toThrow(/hardware = shape \[4\] is invalid: expected shape \[2, 2\]/);
  });
});

describe('parameter validation', () => {
  const x = tf.zeros([4, 2, 3]) as tf.Tensor3D;
  const p: LIFParameters = { tauMem: 5, tauSyn: 5, dt: 1, leak: 0, reset: 0, threshold: 1 };

  const rejects = (q: LIFParameters, parameter: string): void => {
    let error: unknown;
    try {
      lifScan(x, q);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpikingOpError);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as SpikingOpError).parameter).toBe(parameter);
  };

  it('names the parameter, the value and the rule', () => {
    rejects({ ...p, dt: 5 }, 'dt');
    rejects({ ...p, tauSyn: 0.5 }, 'dt');
    rejects({ ...p, tauMem: Number.NaN }, 'tauMem');
    rejects({ ...p, tauSyn: -1 }, 'tauSyn');
    rejects({ ...p, dt: Number.POSITIVE_INFINITY }, 'dt');
    rejects({ ...p, leak: new Float32Array(2) }, 'leak');
    rejects({ ...p, threshold: new Float32Array([1, Number.NaN, 1]) }, 'threshold[1]');
    rejects({ ...p, reset: Number.NEGATIVE_INFINITY }, 'reset');
    rejects({ ...p, refractorySteps: 1.5 }, 'refractorySteps');
    rejects({ ...p, refractorySteps: -1 }, 'refractorySteps');
    rejects({ ...p, alpha: 0 }, 'alpha');
    expect(() => lifScan(x, { ...p, dt: 5 })).toThrow('dt = 5 is invalid: expected dt < tauMem = 5 (explicit Euler step)');
  });

  it('checks the input and the hardware traces', () => {
    expect(() => lifScan(tf.zeros([4, 3]) as unknown as tf.Tensor3D, p)).toThrow(SpikingOpError);
    expect(() => liScan(tf.zeros([4, 2, 3], 'int32') as tf.Tensor3D, p)).toThrow(/dtype int32/);
    expect(() => lifScan(x, p, { v: tf.zeros([4, 2, 2]) as tf.Tensor3D })).toThrow(/hw\.v = shape \[4, 2, 2\]/);
    expect(() => lifScan(x, p, { z: tf.zeros([3, 2, 3]) as tf.Tensor3D })).toThrow(/hw\.z/);
    expect(() => liScan(x, p, { v: tf.zeros([4, 1, 3]) as tf.Tensor3D })).toThrow(SpikingOpError);
    expect(() => superSpike(x, -1)).toThrow(SpikingOpError);
  });
});
