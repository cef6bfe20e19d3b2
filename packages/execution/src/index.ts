export * from './errors.js';
export type {
  AtomicNeuronPatch,
  BackgroundPopulation,
  ExternalPopulation,
  GraphPopulation,
  InputSource,
  MadcChannelRequest,
  NetworkGraph,
  NeuronPopulation,
  NeuronRef,
  NeuronSpec,
  NeuronTarget,
  RecordingRequest,
  RunInputs,
  SpikeRecording,
} from './graph.js';
export { CONFIGURATION_POINTS, READOUT_POINTS, type InjectedConfiguration, type InjectedReadout } from './hooks.js';
export { mix as mixSeeds, type SentSpikes } from './input-schedule.js';
export { INPUT_LINKS, MAX_EXTERNAL_SOURCES, NEURON_COUNT, SPIKE_PACK_SIZE, inputSpikeCount, maxInputSpikes } from './limits.js';
export { MADC_BASE_PERIOD_NS, MADC_CHANNELS, MADC_MAX_PERIOD_NS, madcPeriod, readoutLineOf, type ReadoutLine } from './recording-plan.js';
export { applyPatch, neuronTarget } from './neurons.js';
export { recordsSpikes, routingNetwork } from './routed-graph.js';
export { CYCLES_PER_US, ENTRY_SYSTIME_SPAN, LOOKAHEAD_CYCLES, MAX_ENTRIES_PER_PROGRAM, MAX_RUN_CYCLES, SETTLE_CYCLES, cyclesToUs, usToCycles } from './timing.js';
export {
  Executor,
  type BatchOptions,
  type BatchReport,
  type CadcTrace,
  type CalibrationProvider,
  type CalibrationSource,
  type EntryResult,
  type ExecutorOptions,
  type MadcTrace,
  type RunReport,
  type RunRequest,
  type WallTimes,
} from './executor.js';
export {
  PlasticityKernelError,
  PlasticityRuleError,
  type KernelObservable,
  type PlasticityFailure,
  type PlasticityFailureKind,
  type PlasticityKernel,
  type PlasticityResult,
  type PlasticityRuleSpec,
  type PlasticityTimer,
  type PpuInvocation,
  type RuleInvocation,
} from './plasticity/rules.js';
export { MAX_PLASTICITY_RULES, RULE_INDEX_SHIFT, RUNNING_SENTINEL } from './plasticity/program.js';
export type { ShortTermPlasticity, ShortTermPlasticitySpec } from './plasticity/stp.js';
export {
  MAC_DEFAULT_WAIT_BETWEEN_EVENTS,
  MAC_NUM_SENDS_MAX,
  MAC_OUTPUT_MAX,
  MAC_OUTPUT_MIN,
  MAC_WAIT_BETWEEN_EVENTS_MAX,
  MAC_WAIT_BETWEEN_EVENTS_MIN,
  MacExecutor,
  type MacExecutorOptions,
  type MacRequest,
  type MacResult,
  type MacRunOptions,
} from './mac-executor.js';
