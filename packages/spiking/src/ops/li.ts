import { tf } from '@bss2/tensor';
import { inject } from './inject.js';
import { step } from './lif.js';
import { type LIParameters, type ResolvedLIParameters, checkSameShape, checkScanInput, resolveLIParameters } from './parameters.js';

/** A recorded hardware membrane trace (CADC), [T, B, N] like the input. */
export interface LIHardwareTraces {
  v?: tf.Tensor3D;
}

const fround = Math.fround;

/**
 * Current-based leaky integrator (the readout; the reference's `cuba_li_integration`), explicit Euler over
 * input [T, B, N]. Per step t, from v = leak, i = 0: v ← v + dt/tauMem · (leak − v + i); with a hardware
 * trace v ← hw.v[t] (forward only, the gradient follows the model: `inject`); output v[t] = v;
 * i ← i·(1 − dt/tauSyn) + input[t]. Backward is BPTT of that recursion; only `input` receives a gradient.
 * One fused op over typed arrays; `liScanReference` is the same model in tfjs ops.
 */
export function liScan(input: tf.Tensor3D, p: LIParameters, hw: LIHardwareTraces = {}): tf.Tensor3D {
  const shape = checkScanInput('input', input);
  const q = resolveLIParameters(p, shape[2]);
  if (hw.v !== undefined) checkSameShape('hw.v', hw.v, shape);
  const hwV = hw.v === undefined ? undefined : (hw.v.dataSync() as Float32Array);
  const scan = tf.customGrad((...args) => {
    const [x] = args as [tf.Tensor];
    return {
      value: tf.tensor3d(liForward(x.dataSync() as Float32Array, shape, q, hwV), shape),
      gradFunc: (dy: tf.Tensor) => tf.tensor3d(liBackward(dy.dataSync() as Float32Array, shape, q), shape),
    };
  });
  return scan(input) as tf.Tensor3D;
}

/** Forward loop, rounding each operation to float32 in the reference's order (bit-equal forward). */
function liForward(
  input: Float32Array,
  [T, B, N]: [number, number, number],
  q: ResolvedLIParameters,
  hwV: Float32Array | undefined,
): Float32Array {
  const { leak, membraneFactor, currentDecay } = q;
  const BN = B * N;
  const out = new Float32Array(T * BN);
  const v = new Float32Array(BN);
  const i = new Float32Array(BN);
  for (let b = 0; b < B; b++) v.set(leak, b * N);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      for (let n = 0; n < N; n++) {
        const e = b * N + n;
        const k = t * BN + e;
        const ve = v[e]!;
        v[e] = hwV !== undefined ? hwV[k]! : ve + fround(membraneFactor * fround(fround(leak[n]! - ve) + i[e]!));
        out[k] = v[e]!;
        i[e] = fround(i[e]! * currentDecay) + input[k]!;
      }
    }
  }
  return out;
}

/**
 * Backward loop (BPTT): `gV` = ∂L/∂v entering the next step, `gI` = ∂L/∂i entering the next step;
 * ∂L/∂input[t] = gI, ∂L/∂v[t] = dv[t] + gV, then gV ← ∂L/∂v[t]·(1 − k), gI ← gI·decay + ∂L/∂v[t]·k.
 * The membrane values never enter: the model is linear.
 */
function liBackward(dy: Float32Array, [T, B, N]: [number, number, number], q: ResolvedLIParameters): Float32Array {
  const { membraneFactor, currentDecay } = q;
  const BN = B * N;
  const grad = new Float32Array(T * BN);
  const gV = new Float64Array(BN);
  const gI = new Float64Array(BN);
  for (let t = T - 1; t >= 0; t--) {
    for (let e = 0; e < BN; e++) {
      const k = t * BN + e;
      grad[k] = gI[e]!;
      const dv = dy[k]! + gV[e]!;
      gV[e] = dv * (1 - membraneFactor);
      gI[e] = gI[e]! * currentDecay + dv * membraneFactor;
    }
  }
  return grad;
}

/**
 * The unfused LI: the same model as `liScan`, step by step in tfjs ops (`inject`) with tfjs' autodiff,
 * as the reference writes it. The oracle `liScan` is tested against, not for training.
 */
export function liScanReference(input: tf.Tensor3D, p: LIParameters, hw: LIHardwareTraces = {}): tf.Tensor3D {
  const shape = checkScanInput('input', input);
  const q = resolveLIParameters(p, shape[2]);
  if (hw.v !== undefined) checkSameShape('hw.v', hw.v, shape);
  const [T, B, N] = shape;
  return tf.tidy(() => {
    const leak = tf.tensor1d(q.leak);
    let v: tf.Tensor2D = tf.broadcastTo(leak, [B, N]);
    let i: tf.Tensor2D = tf.zeros([B, N]);
    const vs: tf.Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      v = tf.add(v, tf.mul(q.membraneFactor, tf.add(tf.sub(leak, v), i)));
      if (hw.v !== undefined) v = inject(v, step(hw.v, t));
      vs.push(v);
      i = tf.add(tf.mul(i, q.currentDecay), step(input, t));
    }
    return tf.stack(vs) as tf.Tensor3D;
  });
}
