import { tf } from '@bss2/tensor';
import { detach, inject } from './inject.js';
import { type LIFHardwareTraces, step } from './lif.js';
import {
  type LIFParameters,
  type ResolvedLIFParameters,
  SpikingOpError,
  checkSameShape,
  perNeuron,
  readHardwareTraces,
  checkScanInput,
  resolveLIFParameters,
} from './parameters.js';
import { superSpike, superSpikeDerivative } from './surrogate.js';

/**
 * Parameters of the adaptive exponential LIF neuron (hardware.md §8.1 AdEx, §11.2 AELIF), on top of the LIF
 * ones. Units as LIF: every potential, and the adaptation `w`, in the membrane's unit (w enters the membrane
 * equation like the synaptic current i, i.e. as the potential it would hold the membrane at); `tauAdaptation`
 * in the unit of `dt`. Per-neuron values as Float32Array.
 */
export interface AELIFParameters extends LIFParameters {
  /** Adaptation time constant τ_w > dt. */
  tauAdaptation: number;
  /** Subthreshold adaptation a (dimensionless: w per unit of v − leak at rest); any sign. */
  adaptationA: number | Float32Array;
  /** Spike-triggered adaptation b, added to w on every spike; any sign. */
  adaptationB: number | Float32Array;
  /** Include the exponential term (default true); without it `expSlope` and `expThreshold` are ignored. */
  exponential?: boolean;
  /** Slope factor Δ_T > 0 of the exponential term (required when `exponential`). */
  expSlope?: number | Float32Array;
  /** Onset v_T of the exponential term (required when `exponential`). */
  expThreshold?: number | Float32Array;
}

/** Recorded hardware observables, [T, B, N]: CADC membrane `v`, spikes `z` (the chip's adaptation is not read). */
export type AELIFHardwareTraces = LIFHardwareTraces;

/** Spikes, membrane (after integration, before the reset) and adaptation (after the step), all [T, B, N]. */
export interface AELIFOutput {
  z: tf.Tensor3D;
  v: tf.Tensor3D;
  w: tf.Tensor3D;
}

/**
 * The exponential's argument (v − v_T)/Δ_T is clamped at this value: e^20 ≈ 4.9e8 keeps Δ_T·e^x and its
 * derivative finite in float32 for any sane Δ_T, while a membrane that far above v_T jumps past any threshold
 * within the step anyway. Above the clamp the term is constant and passes no gradient (tf.minimum's rule).
 */
export const AELIF_EXP_ARGUMENT_MAX = 20;

interface ResolvedAELIFParameters extends ResolvedLIFParameters {
  /** fround(dt / tauAdaptation): the adaptation's Euler factor. */
  adaptationFactor: number;
  adaptationA: Float32Array;
  adaptationB: Float32Array;
  exponential: boolean;
  expSlope: Float32Array;
  expThreshold: Float32Array;
}

function resolveAELIFParameters(p: AELIFParameters, neurons: number): ResolvedAELIFParameters {
  const base = resolveLIFParameters(p, neurons);
  if (!(typeof p.tauAdaptation === 'number' && Number.isFinite(p.tauAdaptation) && p.tauAdaptation > p.dt)) {
    throw new SpikingOpError('tauAdaptation', p.tauAdaptation, `a finite number > dt = ${p.dt} (explicit Euler step)`);
  }
  const exponential = p.exponential ?? true;
  if (typeof exponential !== 'boolean') throw new SpikingOpError('exponential', exponential, 'a boolean');
  const expSlope = exponential ? perNeuron('expSlope', p.expSlope, neurons) : new Float32Array(neurons).fill(1);
  const bad = expSlope.findIndex((x) => !(x > 0));
  if (bad >= 0) throw new SpikingOpError(`expSlope[${bad}]`, expSlope[bad], 'Δ_T > 0');
  return {
    ...base,
    adaptationFactor: Math.fround(p.dt / p.tauAdaptation),
    adaptationA: perNeuron('adaptationA', p.adaptationA, neurons),
    adaptationB: perNeuron('adaptationB', p.adaptationB, neurons),
    exponential,
    expSlope,
    expThreshold: exponential ? perNeuron('expThreshold', p.expThreshold, neurons) : new Float32Array(neurons),
  };
}


const fround = Math.fround;

/**
 * Current-based adaptive exponential LIF neurons (AdEx, the reference's `cuba_aelif_integration`) with explicit
 * Euler over input [T, B, N]. Per step t, from v = leak, w = 0, i = 0, refractory counter r = 0:
 *
 * 1. v_t = v + dt/tauMem · (leak − v + Δ_T·exp(min((v − v_T)/Δ_T, 20)) − w + i) (the exponential term only
 *    with `exponential`); while r > 0 instead v_t = reset and r ← r − 1;
 * 2. with a hardware membrane trace v_t ← hw.v[t] (forward only: the gradient follows step 1, `inject`);
 * 3. z = H(v_t − threshold), strictly; with hardware spikes z ← hw.z[t];
 * 4. outputs v[t] = v_t, z[t] = z;
 * 5. w ← w + dt/tauAdaptation · (a·(v_t − leak) − w) + b·z (as the reference: the new membrane before the reset
 *    drives w; the spike's increment passes its surrogate gradient); output w[t] = w;
 * 6. v ← (1 − z)·v_t + z·reset with z detached; on a spike (z ≥ ½) r ← refractorySteps;
 * 7. i ← i·(1 − dt/tauSyn) + input[t].
 *
 * With a = b = 0 and `exponential: false` this is `lifScan` to the bit. The backward pass is BPTT through v, w
 * and i on the forward trajectory used (hardware values where injected), SuperSpike for dz/dv; refractory steps
 * pass no gradient through the membrane (w still decays through them). Only `input` receives a gradient. One
 * fused op over typed arrays; `aelifScanReference` is the same model in tfjs ops, the test oracle.
 */
export function aelifScan(input: tf.Tensor3D, p: AELIFParameters, hw: AELIFHardwareTraces = {}): AELIFOutput {
  const shape = checkScanInput('input', input);
  const q = resolveAELIFParameters(p, shape[2]);
  const { hwV, hwZ } = readHardwareTraces(hw, shape);
  const [T, B, N] = shape;

  // customGrad has one output tensor: z, v and w travel packed as [3, T, B, N] and are sliced apart below.
  const scan = tf.customGrad((...args) => {
    const [x] = args as [tf.Tensor];
    const packed = new Float32Array(3 * T * B * N);
    const slope = new Float32Array(T * B * N);
    const refractory = new Uint8Array(T * B * N);
    aelifForward(x.dataSync() as Float32Array, shape, q, hwV, hwZ, packed, slope, refractory);
    return {
      value: tf.tensor4d(packed, [3, T, B, N]),
      gradFunc: (dy: tf.Tensor) => tf.tensor3d(aelifBackward(dy.dataSync() as Float32Array, shape, q, packed, slope, refractory), shape),
    };
  });
  return tf.tidy(() => {
    const packed = scan(input);
    const part = (k: number) => tf.reshape<tf.Rank.R3>(tf.slice(packed, [k, 0, 0, 0], [1, T, B, N]), shape);
    return { z: part(0), v: part(1), w: part(2) };
  });
}

/**
 * Forward loop: z, v, w into `packed` ([3, T, B, N]); `slope` gets ∂(Δ_T·e^x)/∂v = e^x (0 where clamped,
 * refractory or without the exponential) of each step, `refractory` marks refractory steps. Every operation is
 * rounded to float32 in the order the tfjs reference (cpu backend) performs it, so both agree to the bit.
 */
function aelifForward(
  input: Float32Array,
  [T, B, N]: [number, number, number],
  q: ResolvedAELIFParameters,
  hwV: Float32Array | undefined,
  hwZ: Float32Array | undefined,
  packed: Float32Array,
  slope: Float32Array,
  refractory: Uint8Array,
): void {
  const { leak, reset, threshold, membraneFactor, currentDecay, refractorySteps, adaptationFactor, adaptationA, adaptationB, exponential, expSlope, expThreshold } = q;
  const BN = B * N;
  const TBN = T * BN;
  const v = new Float32Array(BN);
  const w = new Float32Array(BN);
  const i = new Float32Array(BN);
  const r = new Int32Array(BN);
  for (let b = 0; b < B; b++) v.set(leak, b * N);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      for (let n = 0; n < N; n++) {
        const e = b * N + n;
        const k = t * BN + e;
        const ve = v[e]!;
        const we = w[e]!;
        let vt: number;
        if (r[e]! > 0) {
          vt = reset[n]!;
          r[e]!--;
          refractory[k] = 1;
        } else {
          let drive = fround(leak[n]! - ve);
          if (exponential) {
            const x = fround(fround(ve - expThreshold[n]!) / expSlope[n]!);
            const ex = fround(Math.exp(Math.min(x, AELIF_EXP_ARGUMENT_MAX)));
            if (x <= AELIF_EXP_ARGUMENT_MAX) slope[k] = ex;
            drive = fround(drive + fround(expSlope[n]! * ex));
          }
          drive = fround(fround(drive - we) + i[e]!);
          vt = fround(ve + fround(membraneFactor * drive));
        }
        if (hwV !== undefined) vt = hwV[k]!;
        const z = hwZ !== undefined ? hwZ[k]! : vt > threshold[n]! ? 1 : 0;
        const wt = fround(fround(we + fround(adaptationFactor * fround(fround(adaptationA[n]! * fround(vt - leak[n]!)) - we))) + fround(adaptationB[n]! * z));
        packed[k] = z;
        packed[TBN + k] = vt;
        packed[2 * TBN + k] = wt;
        w[e] = wt;
        v[e] = fround(fround(1 - z) * vt) + fround(z * reset[n]!);
        if (z >= 0.5) r[e] = refractorySteps;
        i[e] = fround(i[e]! * currentDecay) + input[k]!;
      }
    }
  }
}

/**
 * Backward loop (BPTT). Adjoints per neuron: `gV` = ∂L/∂v after the previous step's reset, `gW` = ∂L/∂w after
 * the previous step, `gI` = ∂L/∂i entering the next step. Walking t down: ∂L/∂input[t] = gI; with
 * gW ← gW + dw[t]: ∂L/∂z[t] = dz[t] + gW·b, ∂L/∂v_t = dv[t] + ∂L/∂z[t]·σ'(v_t − θ) + gV·(1 − z[t]) + gW·k_w·a.
 * Through the Euler steps v_t = v + k_m(leak − v + Δ_T e^x − w + i), w_t = w + k_w(a(v_t − leak) − w) + b z:
 * gV ← ∂L/∂v_t·(1 − k_m + k_m e^x), gW ← gW·(1 − k_w) − ∂L/∂v_t·k_m, gI ← gI·decay + ∂L/∂v_t·k_m, except on
 * refractory steps, where v_t = reset is a constant (gV ← 0, only the decays of w and i remain).
 */
function aelifBackward(
  dy: Float32Array,
  [T, B, N]: [number, number, number],
  q: ResolvedAELIFParameters,
  packed: Float32Array,
  slope: Float32Array,
  refractory: Uint8Array,
): Float32Array {
  const { threshold, membraneFactor, currentDecay, alpha, adaptationFactor, adaptationA, adaptationB } = q;
  const BN = B * N;
  const TBN = T * BN;
  const grad = new Float32Array(TBN);
  const gV = new Float64Array(BN);
  const gW = new Float64Array(BN);
  const gI = new Float64Array(BN);
  for (let t = T - 1; t >= 0; t--) {
    for (let b = 0; b < B; b++) {
      for (let n = 0; n < N; n++) {
        const e = b * N + n;
        const k = t * BN + e;
        grad[k] = gI[e]!;
        const z = packed[k]!;
        const gw = gW[e]! + dy[2 * TBN + k]!;
        const surrogate = superSpikeDerivative(fround(packed[TBN + k]! - threshold[n]!), alpha);
        const dz = dy[k]! + gw * adaptationB[n]!;
        const dv = dy[TBN + k]! + dz * surrogate + gV[e]! * (1 - z) + gw * adaptationFactor * adaptationA[n]!;
        if (refractory[k] === 1) {
          gV[e] = 0;
          gW[e] = gw * (1 - adaptationFactor);
          gI[e] = gI[e]! * currentDecay;
        } else {
          gV[e] = dv * (1 - membraneFactor + membraneFactor * slope[k]!);
          gW[e] = gw * (1 - adaptationFactor) - dv * membraneFactor;
          gI[e] = gI[e]! * currentDecay + dv * membraneFactor;
        }
      }
    }
  }
  return grad;
}

/**
 * The unfused AELIF: the same model as `aelifScan`, step by step in tfjs ops (`superSpike`, `inject`, `detach`)
 * with tfjs' autodiff for the backward pass. Slow; it exists as the oracle `aelifScan` is tested against.
 */
export function aelifScanReference(input: tf.Tensor3D, p: AELIFParameters, hw: AELIFHardwareTraces = {}): AELIFOutput {
  const shape = checkScanInput('input', input);
  const q = resolveAELIFParameters(p, shape[2]);
  if (hw.v !== undefined) checkSameShape('hw.v', hw.v, shape);
  if (hw.z !== undefined) checkSameShape('hw.z', hw.z, shape);
  const [T, B, N] = shape;
  return tf.tidy(() => {
    const leak = tf.tensor1d(q.leak);
    const reset = tf.broadcastTo<tf.Rank.R2>(tf.tensor1d(q.reset), [B, N]);
    const threshold = tf.tensor1d(q.threshold);
    const a = tf.tensor1d(q.adaptationA);
    const b = tf.tensor1d(q.adaptationB);
    const expSlope = tf.tensor1d(q.expSlope);
    const expThreshold = tf.tensor1d(q.expThreshold);
    const refractoryStart = tf.fill<tf.Rank.R2>([B, N], q.refractorySteps);
    let v: tf.Tensor2D = tf.broadcastTo(leak, [B, N]);
    let w: tf.Tensor2D = tf.zeros([B, N]);
    let i: tf.Tensor2D = tf.zeros([B, N]);
    let r: tf.Tensor2D = tf.zeros([B, N]);
    const zs: tf.Tensor2D[] = [];
    const vs: tf.Tensor2D[] = [];
    const ws: tf.Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      const refractory = tf.greaterEqual(r, 1);
      let drive: tf.Tensor2D = tf.sub(leak, v);
      if (q.exponential) {
        const x = tf.minimum(tf.div(tf.sub(v, expThreshold), expSlope), AELIF_EXP_ARGUMENT_MAX);
        drive = tf.add(drive, tf.mul(expSlope, tf.exp(x)));
      }
      drive = tf.add(tf.sub(drive, w), i);
      v = tf.where(refractory, reset, tf.add<tf.Tensor2D>(v, tf.mul(q.membraneFactor, drive)));
      r = tf.where(refractory, tf.sub<tf.Tensor2D>(r, 1), r);
      if (hw.v !== undefined) v = inject(v, step(hw.v, t));
      let z = superSpike(tf.sub(v, threshold), q.alpha) as tf.Tensor2D;
      if (hw.z !== undefined) z = inject(z, step(hw.z, t));
      w = tf.add(tf.add(w, tf.mul(q.adaptationFactor, tf.sub(tf.mul(a, tf.sub(v, leak)), w))), tf.mul(b, z));
      zs.push(z);
      vs.push(v);
      ws.push(w);
      const spike = detach(z);
      v = tf.add(tf.mul(tf.sub(1, spike), v), tf.mul(spike, reset));
      r = tf.where<tf.Tensor2D>(tf.greaterEqual(spike, 0.5), refractoryStart, r);
      i = tf.add(tf.mul(i, q.currentDecay), step(input, t));
    }
    return { z: tf.stack(zs) as tf.Tensor3D, v: tf.stack(vs) as tf.Tensor3D, w: tf.stack(ws) as tf.Tensor3D };
  });
}
