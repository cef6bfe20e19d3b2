export * from './errors.js';
export {
  setup,
  run,
  runUntil,
  runFor,
  reset,
  prepare,
  end,
  getCurrentTime,
  getTimeStep,
  getBackendStatistics,
  simulator,
  getPreRealtimeRead,
  getPostRealtimeRead,
} from './api.js';
export { Simulator, RunCommand, SHORT_RUN_MS, type BackendStatistics } from './simulator.js';
export type { SetupOptions, CalibrationProvider, InjectedConfiguration, InjectedReadout, PyNNWarning, WarningHandler } from './setup-options.js';
export {
  CellType,
  IF_curr_exp,
  IF_cond_exp,
  IF_curr_alpha,
  IF_cond_alpha,
  EIF_cond_exp_isfa_ista,
  SpikeSourceArray,
  SpikeSourcePoisson,
  SpikeSourcePoissonOnChip,
  HXNeuron,
  hxNeuronFields,
  RECEPTOR_TYPES,
  type ReceptorType,
  type CellKind,
  type CellTypeClass,
  type SynapseModel,
  type ParameterValue,
} from './cells.js';
export { CurrentSource, DCSource, StepCurrentSource, type DCSourceParameters, type StepCurrentSourceParameters } from './current-sources.js';
export { createMcNeuron, McNeuron, PlacedCompartment, PlacedCompartment as Compartment, SharedLineConnection, mcParameterNames, type CreateMcNeuronOptions, type McMorphology, type McNeuronClass, type PlacedCompartmentOptions } from './multicompartment.js';
export { BasePopulation, Population, PopulationView, Assembly, MAX_NEURONS, MAX_SOURCES, maxPopulationSize, type ID, type PopulationOptions, type RecordOptions, type GetDataOptions } from './populations.js';
export {
  Connector,
  AllToAllConnector,
  OneToOneConnector,
  FixedProbabilityConnector,
  FixedNumberPreConnector,
  FixedNumberPostConnector,
  FixedTotalNumberConnector,
  FromListConnector,
  ArrayConnector,
  type ConnectorConnection,
  type ConnectorContext,
  type LocationOptions,
} from './connectors.js';
export { Projection, StaticSynapse, type MultipleSynapses, type ProjectionConnection, type ProjectionGetOptions, type ProjectionOptions, type StaticSynapseParameters } from './projection.js';
export { Timer, type TimerParameters } from './plasticity/timer.js';
export { PlasticityError } from './plasticity/errors.js';
export { PlasticityRule, type AssemblyKernel, type KernelPlacement, type KernelSource, type ObservableRecord, type PlasticityRuleParameters } from './plasticity/rule.js';
export { STDP, Homeostasis, RewardModulatedSTDP, type STDPParameters, type HomeostasisParameters, type RewardModulatedSTDPParameters } from './plasticity/builtins.js';
export { PlasticSynapse, StaticRecordingSynapse, RECORDING_OBSERVABLES, type PlasticSynapseParameters, type StaticRecordingSynapseParameters, type RecordingObservable } from './plasticity/synapses.js';
export type { ProjectionObservableData, PopulationObservableData } from './plasticity/data.js';
export { neuronParameterKernel, neuronRegisterWrites, type NeuronParameterUpdateOptions, type NeuronRegisterWrite, type PlacedNeuron } from './plasticity/neurons.js';
export { TsodyksMarkramSynapse, recoveryTime_us, type TsodyksMarkramParameters } from './plasticity/stp.js';
export type { Block, Segment, SpikeTrain, AnalogSignal, SpikeTrainAnnotations } from './data.js';
export { NumpyRNG } from './random.js';
export { backgroundSettings, type BackgroundSettings } from './network.js';
export { MADC_BASE_PERIOD_NS, MADC_CHANNELS, readoutLineOf } from '@bss2/execution';
export { CYCLES_PER_US, msToCycles, cyclesToMs, madcCodeToModelMillivolt, modelToChipMillivolt, chipToModelMillivolt, CHIP_MV_PER_MODEL_MV, CHIP_NA_PER_MODEL_NA, CHIP_NS_PER_MODEL_NS, FULL_WEIGHT_CURRENT_NA, weightForCurrent } from './units.js';
export * from './experiment/index.js';
export * from './plot/index.js';
