export * from './errors.js';
export * from './network.js';
export { validateNetwork, SINGLE_CIRCUIT, MAX_BACKGROUND_SIZE, type IndexedNetwork } from './validate.js';
export { checkPermutation, type Placement } from './placement.js';
export { MAX_SYNAPSE_WEIGHT, splitWeight, synapsesForWeight } from './connection-split.js';
export { ROWS_PER_BUS, ROWS_PER_HEMISPHERE } from './bus-load.js';
export { CHUNK_SIZE } from './chunks.js';
export { compareMask, driverServes, matchDrivers, DRIVERS_PER_BUS } from './driver-matching.js';
export { BACKGROUND_BIT, EXTERNAL_HEMISPHERE_BIT } from './labels.js';
export { DEFAULT_BACKGROUND_SEED } from './event-configuration.js';
export type { RoutingDurations, RoutingStatistics } from './routed-state.js';
export {
  RoutingResult,
  applyBackendPatch,
  type ConfigWrite,
  type HardwareLocation,
  type NeuronBackendPatch,
  type PlacedConnection,
  type PlacedSynapse,
} from './result.js';
export { DEFAULT_BACKTRACKING_NODE_LIMIT, DEFAULT_PORTFOLIO, routeNetwork } from './route.js';
export { requiresRouting, updateWeights, type WeightUpdate } from './update-weights.js';
export { realisedConnectivity, requestedConnectivity, writtenConfiguration, type ConfigurationLookup, type NetworkNeuron, type RealisedConnectivity, type ReachedSynapse, type RecordedEvent, type RoutedPlacement, type WeightedConnection } from './realised-connectivity.js';
