export { AnalogChipModel, DEFAULT_ANALOG_STEP_NS, analogChipModel, type AnalogChipModelOptions, type AnalogModelStatistics } from './analog-chip-model.js';
export { CAPMEM_SETTLING_TAU_NS, CAPMEM_UPDATE_PERIOD_NS, CapMemSettling } from './capmem-settling.js';
export { NeuronConfiguration } from './neuron-configuration.js';
