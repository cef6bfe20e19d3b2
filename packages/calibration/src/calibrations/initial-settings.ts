import { RESET_BIAS_LSB, type NeuronSettings, emptyNeuronSettings } from '../neuron-settings.js';
import { NEURON_COUNT, type ResolvedTarget } from '../targets.js';
import { leakBias, potentialSetting, synapticTauBias } from './nominal.js';

/** `i_shift_reference` at which the nominal synaptic offset current is zero (§8.2 o_shift). */
const SHIFT_REFERENCE_NOMINAL_LSB = 500;

/**
 * The uncalibrated configuration: every setting at the value an ideal chip needs for the target (§8.3). The
 * flow starts here; each step replaces its own settings with calibrated ones.
 */
export function initialSettings(target: ResolvedTarget): NeuronSettings {
  const s = emptyNeuronSettings();
  for (let i = 0; i < NEURON_COUNT; i++) {
    s['leak.vLeak'][i] = potentialSetting(target.leak_lsb[i]!, 'leak');
    s['reset.vReset'][i] = potentialSetting(target.reset_lsb[i]!, 'reset');
    s['threshold.vThreshold'][i] = potentialSetting(target.threshold_lsb[i]!, 'threshold');
    s['reset.iBias'][i] = RESET_BIAS_LSB;
    const capacitance = target.membraneCapacitance_lsb[i]!;
    s['membraneCapacitance.capacitance'][i] = capacitance;
    const leak = leakBias(target.tauMembrane_us[i]!, capacitance);
    s['leak.iBias'][i] = leak.iBias;
    s['leak.enableDivision'][i] = leak.division ? 1 : 0;
    s['leak.enableMultiplication'][i] = leak.multiplication ? 1 : 0;
    const exc = synapticTauBias(target.tauSynExc_us[i]!);
    s['excitatoryInput.iBiasTau'][i] = exc.iBias;
    s['excitatoryInput.enableHighResistance'][i] = exc.highResistance ? 1 : 0;
    const inh = synapticTauBias(target.tauSynInh_us[i]!);
    s['inhibitoryInput.iBiasTau'][i] = inh.iBias;
    s['inhibitoryInput.enableHighResistance'][i] = inh.highResistance ? 1 : 0;
    s['excitatoryInput.iBiasGm'][i] = target.synapticGm_lsb[i]!;
    s['inhibitoryInput.iBiasGm'][i] = target.synapticGm_lsb[i]!;
    s['excitatoryInput.iShiftReference'][i] = SHIFT_REFERENCE_NOMINAL_LSB;
    s['inhibitoryInput.iShiftReference'][i] = SHIFT_REFERENCE_NOMINAL_LSB;
  }
  return s;
}
