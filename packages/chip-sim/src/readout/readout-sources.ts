import { SUPPLY_MAX_MV, type NeuronArray, type NeuronParameters } from '../analog/index.js';

/** Indices of lola `neuronReadoutSources` (NeuronConfig `readout_select`, hardware.md §3.2). */
export const ReadoutSource = Object.freeze({ membrane: 0, excitatorySynapticInput: 1, inhibitorySynapticInput: 2, adaptation: 3 });

/**
 * **Choice** (the datasheet gives no readout scale for these sources): the synaptic input lines show their
 * integrator state x (§8.2, the PSC at g_m = 1) as `SYNAPTIC_INPUT_READOUT_BASELINE_MV` + 1 mV per nA — a
 * full-weight nominal event (x += 100 nA) lifts the line by 100 mV; the line decays with τ_syn. Both receptors
 * rise with their input.
 */
export const SYNAPTIC_INPUT_READOUT_BASELINE_MV = 300;
export const SYNAPTIC_INPUT_READOUT_MV_PER_NA = 1;
/** **Choice:** the adaptation readout is `v_ref` (the voltage that stands for w = 0, §8.1) + 10 mV per nA of w. */
export const ADAPTATION_READOUT_MV_PER_NA = 10;

/**
 * The voltage (mV, clamped to the supply rails) that circuit `circuit` puts on its readout when `source` is
 * selected, from the neuron engine's state at its current time.
 */
export function readoutVoltage_mV(array: NeuronArray, parameters: NeuronParameters, circuit: number, source: number): number {
  let v: number;
  switch (source) {
    case ReadoutSource.membrane:
      v = array.membrane_mV[circuit]!;
      break;
    case ReadoutSource.excitatorySynapticInput:
      v = SYNAPTIC_INPUT_READOUT_BASELINE_MV + SYNAPTIC_INPUT_READOUT_MV_PER_NA * array.synapticExc_nA[circuit]!;
      break;
    case ReadoutSource.inhibitorySynapticInput:
      v = SYNAPTIC_INPUT_READOUT_BASELINE_MV + SYNAPTIC_INPUT_READOUT_MV_PER_NA * array.synapticInh_nA[circuit]!;
      break;
    default:
      v = parameters.adaptationReference_mV[circuit]! + ADAPTATION_READOUT_MV_PER_NA * array.adaptation_nA[circuit]!;
  }
  return v <= SUPPLY_MAX_MV ? (v >= 0 ? v : 0) : SUPPLY_MAX_MV;
}
