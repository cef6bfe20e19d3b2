import { initialSettings } from './calibrations/initial-settings.js';
import { refractorySettings } from './calibrations/refractory.js';
import { CalibrationResult, type CalibrationOptions, type ChipIdentity } from './calibration-result.js';
import { type LIFCalibrationTarget, resolveTarget } from './targets.js';
import { CALIBRATION_SOFTWARE_VERSION } from './version.js';

/** Identity of a nominal result: it was computed for no chip in particular. */
export const NOMINAL_IDENTITY: ChipIdentity = Object.freeze({ chipSeed: -1, simulatorVersion: 'nominal', protocolVersion: 0 });

/**
 * The settings an ideal chip needs for `target` (hardware.md §8.3 transfer functions, refractory clocks computed
 * as in the calibration), without measuring anything: the uncalibrated configuration every search starts from.
 * On a chip without fixed-pattern variation (the simulator's `idealChip`) it hits the target up to the rounding
 * of the settings; on a varied chip it is what "uncalibrated" means. No parameter reports (nothing was measured).
 */
export function nominalCalibration(target: LIFCalibrationTarget, options: CalibrationOptions = {}, identity: ChipIdentity = NOMINAL_IDENTITY): CalibrationResult {
  const resolved = resolveTarget(target);
  const neurons = initialSettings(resolved);
  const refractory = refractorySettings(resolved.refractoryTime_us, resolved.holdoffTime_us);
  neurons['refractoryPeriod.refractoryTime'].set(refractory.refractoryTime);
  neurons['refractoryPeriod.resetHoldoff'].set(refractory.resetHoldoff);
  neurons['refractoryPeriod.inputClock'].set(refractory.inputClock);
  return new CalibrationResult({
    target,
    options,
    identity,
    softwareVersion: CALIBRATION_SOFTWARE_VERSION,
    neurons,
    shared: {
      cadcChannelOffsets: new Int32Array(1024),
      synapseDacBias: new Int32Array(4).fill(resolved.synapseDacBias_lsb),
      clockScaleFast: Int32Array.from(refractory.clockScaleFast),
      clockScaleSlow: Int32Array.from(refractory.clockScaleSlow),
    },
    parameters: [],
    duration_s: 0,
  });
}
