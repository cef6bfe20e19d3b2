import type { NodeModel } from './propagators.js';
import { SUPPLY_MAX_MV } from './transfer.js';
import { NEURON_COUNT } from './variation.js';

// Phases as in `NeuronPhase` (neuron-array.ts); literal here to keep the loop free of imported bindings.
const FREE = 0;
const RESET = 1;
const REFRACTORY = 2;
/** Coefficients per fast node in the packed array. */
const COEFFICIENTS = 8;

/** The state arrays the fast path works on (fixed for the lifetime of a NeuronArray). */
export interface FastPathState {
  readonly membrane_mV: Float64Array;
  readonly synapticExc_nA: Float64Array;
  readonly synapticInh_nA: Float64Array;
  readonly phase: Float64Array;
  readonly resetEnd_ns: Float64Array;
  readonly refractoryEnd_ns: Float64Array;
  readonly nextEvent_ns: Float64Array;
  readonly couplingCurrent_nA: Float64Array;
  readonly deferred: Int32Array;
  /** The step's summed input (see NeuronArray `stepMembrane_mV`), taken and cleared here. */
  readonly stepMembrane_mV: Float64Array;
  /** Per target `receptor · 512 + circuit`. */
  readonly stepInput_nA: Float64Array;
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
  const { stepMembrane_mV: inputV, stepInput_nA: input } = s;
  // Inhibitory step input starts after the excitatory entries of every circuit.
  const n2 = NEURON_COUNT;
  const { resetMembraneDecay: resetDecay, resetMembraneDrive_mV: resetDrive, resetKernelExc, resetKernelInh, fastNodes: fast } = m;
  // The free-phase coefficients of fast node i packed at COEFFICIENTS · i (one cache-friendly array).
  const n = fast.length;
  const coefficients = new Float64Array(COEFFICIENTS * n);
  for (let i = 0; i < n; i++) {
    const r = fast[i]!;
    const o = COEFFICIENTS * i;
    coefficients[o] = m.membraneDecay[r]!;
    coefficients[o + 1] = m.membraneDrive_mV[r]!;
    coefficients[o + 2] = m.kernelExc[r]!;
    coefficients[o + 3] = m.kernelInh[r]!;
    coefficients[o + 4] = m.couplingGain_mVperNA[r]!;
    coefficients[o + 5] = m.threshold_mV[r]!;
    coefficients[o + 6] = m.decayExc[r]!;
    coefficients[o + 7] = m.decayInh[r]!;
  }
  // Without coupled nodes every coupling current is 0 and its term is skipped (adding 0 changes nothing).
  const coupled = m.coupledNodes.length > 0;
  const supply = SUPPLY_MAX_MV;
  return (t1: number): number => {
    let deferredCount = 0;
    for (let i = 0, o = 0; i < n; i++, o += COEFFICIENTS) {
      const r = fast[i]!;
      if (nextEvent[r]! < t1) {
        deferred[deferredCount++] = r;
        continue;
      }
      const ph = phase[r]!;
      const x = xE[r]!;
      const y = xI[r]!;
      let v: number;
      if (ph === FREE) {
        v = V[r]! * coefficients[o]! + coefficients[o + 1]! + coefficients[o + 2]! * x + coefficients[o + 3]! * y;
        if (coupled) v += coefficients[o + 4]! * coupling[r]!;
        v += inputV[r]!;
        if (v >= coefficients[o + 5]!) {
          deferred[deferredCount++] = r;
          continue;
        }
      } else if (ph === RESET) {
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
        v = V[r]! * coefficients[o]! + coefficients[o + 1]! + coefficients[o + 2]! * x + coefficients[o + 3]! * y;
        if (coupled) v += coefficients[o + 4]! * coupling[r]!;
        v += inputV[r]!;
      }
      V[r] = v > supply ? supply : v < 0 ? 0 : v;
      // The step input is 0 without events: adding it leaves the products as they are.
      xE[r] = x * coefficients[o + 6]! + input[r]!;
      xI[r] = y * coefficients[o + 7]! + input[n2 + r]!;
      inputV[r] = input[r] = input[n2 + r] = 0;
    }
    return deferredCount;
  };
}
