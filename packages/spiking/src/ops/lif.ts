import { tf } from '@bss2/tensor';
import { detach, inject } from './inject.js';
import {
  type LIFParameters,
  type ResolvedLIFParameters,
  checkSameShape,
  readHardwareTraces,
  checkScanInput,
  resolveLIFParameters,
} from './parameters.js';
import { superSpike, superSpikeDerivative } from './surrogate.js';

/** Recorded hardware observables, [T, B, N] like the input: CADC membrane `v`, spikes `z` (0/1). */
export interface LIFHardwareTraces {
  v?: tf.Tensor3D;
  z?: tf.Tensor3D;
}

/** Spikes and membrane (after integration, before the reset), both [T, B, N] and both differentiable. */
export interface LIFOutput {
  z: tf.Tensor3D;
  v: tf.Tensor3D;
}

const fround = Math.fround;

/**
 * Current-based LIF neurons integrated with explicit Euler (the reference's `cuba_lif_integration`), over
 * input [T, B, N]. Per step t, from v = leak, i = 0, refractory counter r = 0:
 *
 * 1. v ← v + dt/tauMem · (leak − v + i); while r > 0 instead v ← reset and r ← r − 1;
 * 2. with a hardware membrane trace v ← hw.v[t] (forward only: the gradient follows step 1, `inject`);
 * 3. z = H(v − threshold), 1 iff v > threshold (strict); with hardware spikes z ← hw.z[t];
 * 4. outputs v[t] = v, z[t] = z;
 * 5. v ← (1 − z)·v + z·reset with z detached; on a spike (z ≥ ½) r ← refractorySteps;
 * 6. i ← i·(1 − dt/tauSyn) + input[t] (so the input reaches the membrane one step later).
 *
 * The backward pass is backpropagation through time of exactly this recursion, evaluated on the forward
 * trajectory used (the hardware values where injected), with the SuperSpike surrogate for dz/dv; refractory
 * steps pass no gradient through the membrane. Only `input` receives a gradient. One fused op: the forward
 * and backward loops run over plain typed arrays, not per-step tfjs ops; `lifScanReference` is the same
 * model in tfjs ops, the oracle in the tests.
 */
export function lifScan(input: tf.Tensor3D, p: LIFParameters, hw: LIFHardwareTraces = {}): LIFOutput {
  const shape = checkScanInput('input', input);
  const q = resolveLIFParameters(p, shape[2]);
  const { hwV, hwZ } = readHardwareTraces(hw, shape);
  const [T, B, N] = shape;

  // customGrad has one output tensor: z and v travel packed as [2, T, B, N] and are sliced apart below.
  const scan = tf.customGrad((...args) => {
    const [x] = args as [tf.Tensor];
    const packed = new Float32Array(2 * T * B * N);
    const refractory = new Uint8Array(T * B * N);
    lifForward(x.dataSync() as Float32Array, shape, q, hwV, hwZ, packed, refractory);
    return {
      value: tf.tensor4d(packed, [2, T, B, N]),
      gradFunc: (dy: tf.Tensor) => tf.tensor3d(lifBackward(dy.dataSync() as Float32Array, shape, q, packed, refractory), shape),
    };
  });
  return tf.tidy(() => {
    const packed = scan(input);
    return {
      z: tf.reshape<tf.Rank.R3>(tf.slice(packed, [0, 0, 0, 0], [1, T, B, N]), shape),
      v: tf.reshape<tf.Rank.R3>(tf.slice(packed, [1, 0, 0, 0], [1, T, B, N]), shape),
    };
  });
}

/**
 * Forward loop: writes z into `packed[0, TBN)`, v into `packed[TBN, 2TBN)` and marks refractory steps.
 * Each arithmetic operation is rounded to float32 in the order the tfjs reference performs it, so both
 * agree to the bit (and so agree on every threshold crossing).
 */
function lifForward(
  input: Float32Array,
  [T, B, N]: [number, number, number],
  q: ResolvedLIFParameters,
  hwV: Float32Array | undefined,
  hwZ: Float32Array | undefined,
  packed: Float32Array,
  refractory: Uint8Array,
): void {
  const { leak, reset, threshold, membraneFactor, currentDecay, refractorySteps } = q;
  const BN = B * N;
  const TBN = T * BN;
  const v = new Float32Array(BN);
  const i = new Float32Array(BN);
  const r = new Int32Array(BN);
  for (let b = 0; b < B; b++) v.set(leak, b * N);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      for (let n = 0; n < N; n++) {
        const e = b * N + n;
        const k = t * BN + e;
        let vt: number;
        if (r[e]! > 0) {
          vt = reset[n]!;
          r[e]!--;
          refractory[k] = 1;
        } else {
          const ve = v[e]!;
          vt = fround(ve + fround(membraneFactor * fround(fround(leak[n]! - ve) + i[e]!)));
        }
        if (hwV !== undefined) vt = hwV[k]!;
        const z = hwZ !== undefined ? hwZ[k]! : vt > threshold[n]! ? 1 : 0;
        packed[k] = z;
        packed[TBN + k] = vt;
        v[e] = fround(fround(1 - z) * vt) + fround(z * reset[n]!);
        if (z >= 0.5) r[e] = refractorySteps;
        i[e] = fround(i[e]! * currentDecay) + input[k]!;
      }
    }
  }
}

/**
 * Backward loop (BPTT). Adjoints, per neuron: `gV` = ∂L/∂v after the previous step's reset, `gI` = ∂L/∂i
 * entering the next step. Walking t down: ∂L/∂input[t] = gI; ∂L/∂v[t] = dv[t] + dz[t]·σ'(v[t] − θ) +
 * gV·(1 − z[t]); through the Euler step v[t] = v + k(leak − v + i) it feeds gV ← ∂L/∂v[t]·(1 − k) and
 * gI ← gI·decay + ∂L/∂v[t]·k, except on refractory steps, where v[t] = reset is a constant.
 */
function lifBackward(
  dy: Float32Array,
  [T, B, N]: [number, number, number],
  q: ResolvedLIFParameters,
  packed: Float32Array,
  refractory: Uint8Array,
): Float32Array {
  const { threshold, membraneFactor, currentDecay, alpha } = q;
  const BN = B * N;
  const TBN = T * BN;
  const grad = new Float32Array(TBN);
  const gV = new Float64Array(BN);
  const gI = new Float64Array(BN);
  for (let t = T - 1; t >= 0; t--) {
    for (let b = 0; b < B; b++) {
      for (let n = 0; n < N; n++) {
        const e = b * N + n;
        const k = t * BN + e;
        grad[k] = gI[e]!;
        const z = packed[k]!;
        const surrogate = superSpikeDerivative(fround(packed[TBN + k]! - threshold[n]!), alpha);
        const dv = dy[TBN + k]! + dy[k]! * surrogate + gV[e]! * (1 - z);
        if (refractory[k] === 1) {
          gV[e] = 0;
          gI[e] = gI[e]! * currentDecay;
        } else {
          gV[e] = dv * (1 - membraneFactor);
          gI[e] = gI[e]! * currentDecay + dv * membraneFactor;
        }
      }
    }
  }
  return grad;
}

/**
 * The unfused LIF: the same model as `lifScan`, step by step in tfjs ops (`superSpike`, `inject`,
 * `detach`) with tfjs' autodiff for the backward pass, as the reference writes it. Slow (a handful of
 * kernels per time step); it exists as the oracle `lifScan` is tested against, not for training.
 */
export function lifScanReference(input: tf.Tensor3D, p: LIFParameters, hw: LIFHardwareTraces = {}): LIFOutput {
  const shape = checkScanInput('input', input);
  const q = resolveLIFParameters(p, shape[2]);
  if (hw.v !== undefined) checkSameShape('hw.v', hw.v, shape);
  if (hw.z !== undefined) checkSameShape('hw.z', hw.z, shape);
  const [T, B, N] = shape;
  return tf.tidy(() => {
    const leak = tf.tensor1d(q.leak);
    const reset = tf.broadcastTo<tf.Rank.R2>(tf.tensor1d(q.reset), [B, N]);
    const threshold = tf.tensor1d(q.threshold);
    const refractoryStart = tf.fill<tf.Rank.R2>([B, N], q.refractorySteps);
    let v: tf.Tensor2D = tf.broadcastTo(leak, [B, N]);
    let i: tf.Tensor2D = tf.zeros([B, N]);
    let r: tf.Tensor2D = tf.zeros([B, N]);
    const zs: tf.Tensor2D[] = [];
    const vs: tf.Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      const refractory = tf.greaterEqual(r, 1);
      v = tf.where(refractory, reset, tf.add<tf.Tensor2D>(v, tf.mul(q.membraneFactor, tf.add(tf.sub(leak, v), i))));
      r = tf.where(refractory, tf.sub<tf.Tensor2D>(r, 1), r);
      if (hw.v !== undefined) v = inject(v, step(hw.v, t));
      let z = superSpike(tf.sub(v, threshold), q.alpha) as tf.Tensor2D;
      if (hw.z !== undefined) z = inject(z, step(hw.z, t));
      zs.push(z);
      vs.push(v);
      const spike = detach(z);
      v = tf.add(tf.mul(tf.sub(1, spike), v), tf.mul(spike, reset));
      r = tf.where<tf.Tensor2D>(tf.greaterEqual(spike, 0.5), refractoryStart, r);
      i = tf.add(tf.mul(i, q.currentDecay), step(input, t));
    }
    return { z: tf.stack(zs) as tf.Tensor3D, v: tf.stack(vs) as tf.Tensor3D };
  });
}

/** x[t] of a [T, B, N] series; a slice per step, so steps that do not reach the loss get no gradient node. */
export function step(x: tf.Tensor3D, t: number): tf.Tensor2D {
  const [, B, N] = x.shape;
  return tf.reshape(tf.slice(x, [t, 0, 0], [1, B, N]), [B, N]);
}
