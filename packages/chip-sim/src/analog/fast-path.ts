import type { NodeModel } from './propagators.js';
import { SUPPLY_MAX_MV } from './transfer.js';

// Phases as in `NeuronPhase` (neuron-array.ts); literal here to keep the loop free of imported bindings.
const FREE = 0;
const RESET = 1;
const REFRACTORY = 2;

/** The state arrays the fast path works on (fixed for the lifetime of a NeuronArray). */
export interface FastPathState {
  readonly membrane_mV: Float64Array;
  readonly synapticExc_nA: Float64Array;
  readonly synapticInh_nA: Float64Array;
  readonly phase: Uint8Array;
  readonly resetEnd_ns: Float64Array;
  readonly refractoryEnd_ns: Float64Array;
  readonly nextEvent_ns: Float64Array;
  readonly couplingCurrent_nA: Float64Array;
  readonly deferred: Int32Array;
}

/**
 * The fast path for one configuration: every single-circuit linear node without an event, phase end or
 * threshold crossing in the step [t1 − h, t1) takes one exact propagator step; the others are written to
 * `deferred` for the general path. A closure made once per configuration: V8 optimises the loop much better
 * over captured constant arrays than over arrays loaded from an object (measured 2×, see README).
 */
export function createFastPath(m: NodeModel, s: FastPathState): (t1: number) => number {
  const { membrane_mV: V, synapticExc_nA: xE, synapticInh_nA: xI, phase, resetEnd_ns: resetEnd, refractoryEnd_ns: refractoryEnd } = s;
  const { nextEvent_ns: nextEvent, couplingCurrent_nA: coupling, deferred } = s;
  const { membraneDecay: decay, membraneDrive_mV: drive, kernelExc, kernelInh, couplingGain_mVperNA: couplingGain, threshold_mV: threshold } = m;
  const { resetMembraneDecay: resetDecay, resetMembraneDrive_mV: resetDrive, resetKernelExc, resetKernelInh, decayExc, decayInh, fastNodes: fast } = m;
  const supply = SUPPLY_MAX_MV;
  return (t1: number): number => {
    let deferredCount = 0;
    for (let i = 0; i < fast.length; i++) {
      const r = fast[i]!;
      if (nextEvent[r]! < t1) {
        deferred[deferredCount++] = r;
        continue;
      }
      const ph = phase[r]!;
      const x = xE[r]!;
      const y = xI[r]!;
      let v: number;
      if (ph === RESET) {
        if (resetEnd[r]! < t1) {
          deferred[deferredCount++] = r;
          continue;
        }
        v = V[r]! * resetDecay[r]! + resetDrive[r]! + resetKernelExc[r]! * x + resetKernelInh[r]! * y;
      } else {
        if (ph === REFRACTORY && refractoryEnd[r]! < t1) {
          deferred[deferredCount++] = r;
          continue;
        }
        v = V[r]! * decay[r]! + drive[r]! + kernelExc[r]! * x + kernelInh[r]! * y + couplingGain[r]! * coupling[r]!;
        if (ph === FREE && v >= threshold[r]!) {
          deferred[deferredCount++] = r;
          continue;
        }
      }
      V[r] = v > supply ? supply : v < 0 ? 0 : v;
      xE[r] = x * decayExc[r]!;
      xI[r] = y * decayInh[r]!;
    }
    return deferredCount;
  };
}
