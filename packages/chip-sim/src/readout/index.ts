export { Cadc } from './cadc.js';
export { MADC_CLOCK_PERIOD_NS, Madc } from './madc.js';
export {
  ADAPTATION_READOUT_MV_PER_NA,
  ReadoutSource,
  SYNAPTIC_INPUT_READOUT_BASELINE_MV,
  SYNAPTIC_INPUT_READOUT_MV_PER_NA,
  readoutVoltage_mV,
} from './readout-sources.js';
