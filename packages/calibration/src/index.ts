export * from './errors.js';
export { ParameterRange, CAPMEM_MAX_LSB } from './parameter-range.js';
export { mean, median, standardDeviation, spreadOf, type Spread } from './statistics.js';
export * from './algorithms/index.js';
export {
  NEURON_COUNT,
  feasibleRanges,
  resolveTarget,
  spiking2Target,
  spikingTarget,
  targetParameters,
  targetPresets,
  targetToJSON,
  type LIFCalibrationTarget,
  type PerNeuron,
  type ResolvedTarget,
  type TargetPresetName,
} from './targets.js';
export * from './model-units.js';
export { RESET_BIAS_LSB, RESET_MULTIPLICATION, neuronSettingFields, lifNeuronBase, type NeuronSettings, type NeuronSettingField, type RawAdExSettings } from './neuron-settings.js';
export { refractorySettings, backendClockPeriod_us, type RefractorySettings } from './calibrations/refractory.js';
export {
  CalibrationResult,
  CAPMEM_SETTLE_US,
  type ApplyOptions,
  type CalibrationOptions,
  type ChipIdentity,
  type ParameterReport,
  type SharedSettings,
} from './calibration-result.js';
export {
  RESULT_FORMAT,
  RESULT_FORMAT_VERSION,
  cacheKeyMaterial,
  canonicalJSON,
  resultFromJSON,
  resultChecksum,
  resultFromMsgpack,
  resultToJSON,
  resultToMsgpack,
} from './result-format.js';
export { CALIBRATION_SOFTWARE_VERSION } from './version.js';
export { ChipSession } from './measurement/chip-session.js';
export { CadcNeuronReadout, CADC_READS_PER_SWEEP } from './measurement/cadc-readout.js';
export { calibrateLIF, type CalibrateOptions } from './calibrate-lif.js';
export { nominalCalibration, NOMINAL_IDENTITY } from './nominal-calibration.js';
export { potentialSetting as nominalPotentialSetting, capMemPerCadcLsb, cadcCodeToVoltage_V, voltageToCadcCode, type PotentialCell } from './calibrations/nominal.js';
export { type ProgressListener } from './calibrations/context.js';
export {
  MAC_ACTIVATION_MAX,
  MAC_BLOCKS_PER_RUN,
  MAC_COLUMNS,
  MAC_ROWS,
  MAC_WEIGHT_MAX,
  appendMacVector,
  configureMacEventPath,
  macLabel,
  macWeightBlock,
  writeMacWeights,
  type MacDriverSettings,
  type MacTiming,
} from './mac/program.js';
export {
  DEFAULT_MAC_TARGET,
  MacCalibrationResult,
  macNeuron,
  macResultFromJSON,
  macCacheKeyMaterial,
  macResultToJSON,
  resolveMacTarget,
  writeMacChip,
  type MacCalibrationTarget,
  type MacNeuronSettings,
  type MacParameterReport,
  type ResolvedMacTarget,
} from './mac/mac-result.js';
export { calibrateMAC, MAC_TIMING, type CalibrateMacOptions } from './mac/calibrate-mac.js';
export { resetTimer as resetProgramTimer, waitUntil as waitUntilCycle } from './calibrations/context.js';
