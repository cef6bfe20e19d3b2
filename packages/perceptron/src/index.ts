export { tf, initTensorBackend, yinYang, YIN_YANG_SPLITS, type TensorBackendName, type YinYangDataset } from '@bss2/tensor';
export * from './errors.js';
export {
  INPUT_MAX,
  WEIGHT_MAX,
  OUTPUT_MIN,
  OUTPUT_MAX,
  BLOCK_ROWS,
  PASS_COLUMNS,
  DEFAULT_WAIT_BETWEEN_EVENTS,
  NUM_SENDS_MAX,
  WAIT_BETWEEN_EVENTS_MIN,
  WAIT_BETWEEN_EVENTS_MAX,
  DEFAULT_MOCK_GAIN,
  DEFAULT_MOCK_NOISE_STD,
  DEFAULT_CONVERTING_SHIFT,
} from './limits.js';
export { type MacDevice, type MacRequest, type MacOptions, type MacResult, blockCount } from './device.js';
export { type MockParameter, mockDevice } from './mock.js';
export {
  type PerceptronBackend,
  type BackendOptions,
  type ChipBackendOptions,
  chipBackend,
  mockBackend,
  initHardware,
  releaseHardware,
  setMockParameter,
  getMockParameter,
} from './backend.js';
export { type MacCallOptions } from './validate.js';
export { quantizeWeights, quantizeInputs } from './quantize.js';
export { matmul, conv1d, conv2d, relu, convertingRelu, add, argmax, type MatmulOptions, type Conv1dOptions, type Conv2dOptions } from './ops.js';
export { injectMatmul, injectConvolution, convertingReluGradient, type LinearModel } from './autograd.js';
export { type ConvGeometry, convGeometry } from './unfold.js';
export { type Layer, type MacLayerOptions, type Conv1dLayerOptions, type Conv2dLayerOptions, Linear, Conv1d, Conv2d, ReLU, ConvertingReLU, Flatten } from './layers.js';
export { Sequential, type ValueAndGrads } from './sequential.js';
export {
  YIN_YANG_MLP_INPUTS,
  yinYangInputs,
  yinYangModel,
  evaluateYinYang,
  trainYinYang,
  type YinYangModelOptions,
  type YinYangTrainingOptions,
  type YinYangResult,
  type EpochReport,
} from './training/yin-yang.js';
