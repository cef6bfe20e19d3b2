export { BackgroundGenerators, LFSR_TAPS, type BackgroundEventTarget } from './background-generator.js';
export {
  CORRELATION_TRIM_STEP,
  CorrelationSensors,
  defaultCorrelationParameters,
  type CorrelationGains,
  type CorrelationParameters,
  type GainTable,
} from './correlation.js';
export {
  ShortTermPlasticity,
  hagenActivationFactor,
  hagenDacThreshold,
  HAGEN_DAC_OFFSET_STEPS_PER_LSB,
  offsetPulseFactor,
  pulseExtensionFactor,
  stpRecoveryTime_us,
  stpUtilization,
} from './driver-pulse.js';
export {
  EventRouter,
  type EventPathVariation,
  type EventRouterOptions,
  type SpikeRecorder,
  type SynapticInputSink,
} from './event-router.js';
export { RECEPTOR_EXCITATORY, RECEPTOR_INHIBITORY, RoutingTable } from './routing-table.js';
export { SynapseRowTable } from './synapse-rows.js';
export { EventTopology, eventTopology } from './topology.js';
