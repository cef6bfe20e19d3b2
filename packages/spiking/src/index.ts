export { initTensorBackend, tf, TensorBackendError, type TensorBackendName } from '@bss2/tensor';
export * from './errors.js';
export { type LIFParameters, type LIParameters, type MixedParameter, type Parameter, DEFAULT_LIF_PARAMETERS, mixed, modelValue, hardwareValue } from './parameters.js';
export { Experiment, DEFAULT_WEIGHT_SCALE, type ExperimentOptions, type MockOptions } from './experiment.js';
export { Module } from './module.js';
export { NeuronHandle, SynapseHandle, type Handle } from './handles.js';
export { InputNeuron, Synapse, SparseSynapse, LIF, LI, BatchDropout, AELIF, CHIP_EXP_SLOPE_LSB, type LIFOptions, type AELIFOptions, type AELIFParameters, type SynapseOptions, type LayerObservables } from './modules.js';
export { chipWeights, layerTarget, modelUnitPspPeak } from './hardware.js';
export { run, runWithGradients, type GradientResult, type RunInfo } from './run.js';
export {
  lifScan,
  liScan,
  lifScanReference,
  liScanReference,
  aelifScan,
  aelifScanReference,
  superSpike,
  inject,
  detach,
  SpikingOpError,
  DEFAULT_SUPERSPIKE_ALPHA,
  type LIFHardwareTraces,
  type LIFOutput,
  type LIHardwareTraces,
  type AELIFHardwareTraces,
  type AELIFOutput,
} from './ops/index.js';
export * from './data/index.js';
export * from './nir/index.js';
export { YinYangNetwork, YIN_YANG_SETUP, encodeBatch, evaluateYinYang, trainYinYang, type EpochReport, type YinYangResult, type YinYangTrainingOptions } from './training/yin-yang-classifier.js';
export { trainSuperSpike, type SuperSpikeOptions, type SuperSpikeResult } from './training/superspike.js';
export * from './nir-convert/index.js';
