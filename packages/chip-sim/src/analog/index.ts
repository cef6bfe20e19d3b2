// The analog neuron engine of the simulated chip (hardware.md §8): its own transfer Choices (the datasheet's
// are lola `nominal`), fixed-pattern variation, per-circuit parameters and the 512-circuit integrator.
export { Random, streamSeed } from './random.js';
export * from './transfer.js';
export {
  ChipVariation,
  biasGains,
  temporalNoiseMagnitudes,
  variationMagnitudes,
  voltageCells,
  type BiasGain,
  type CorrelationSensorVariation,
  type VoltageCell,
} from './variation.js';
export { NeuronParameters, halfOf, quadrantOf, type BackendClockSettings, type NeuronConfigurationView, type VoltageTransferChoice } from './neuron-parameters.js';
export { buildTopology, type CompartmentTopology } from './topology.js';
export { NeuronArray, NeuronPhase, Receptor, type NeuronArrayOptions } from './neuron-array.js';
export { wasmEngineAvailable } from './wasm-engine.js';
