import type { Chunking } from './chunks.js';
import type { SynapseList } from './connection-split.js';
import type { DriverAllocation } from './driver-allocation.js';
import type { EventConfiguration } from './event-configuration.js';
import type { RouterName, RoutingOptions } from './network.js';
import type { Placement } from './placement.js';
import type { Sources } from './sources.js';
import type { SynapseConfiguration } from './synapse-placement.js';
import type { IndexedNetwork } from './validate.js';

/** Wall times of the stages, in milliseconds (§10.2 "Statistics"). */
export interface RoutingDurations {
  readonly validation_ms: number;
  readonly placement_ms: number;
  /** Steps 0–5: connection split, constraint checks, source distribution, driver allocation. */
  readonly routing_ms: number;
  /** Steps 6–8: synapses, drivers, column switches, labels, crossbar, generators as containers. */
  readonly construction_ms: number;
  readonly total_ms: number;
}

/** Entity counts and utilisation of a routed network. */
export interface RoutingStatistics {
  readonly populations: number;
  /** Logical neurons placed and neuron circuits they use. */
  readonly neurons: number;
  readonly circuits: number;
  /** External and background sources that have synapses. */
  readonly externalSources: number;
  readonly backgroundSources: number;
  readonly projections: number;
  readonly connections: number;
  /** Hardware synapses (a weight above 63 takes several, §10.2 step 0). */
  readonly synapses: number;
  readonly synapseRows: number;
  readonly synapseDrivers: number;
  /** Groups of ≤ 64 sources sharing a row-select address. */
  readonly labelGroups: number;
  /** Crossbar nodes that pass events. */
  readonly crossbarNodes: number;
  /** Used fraction of the 131 072 synapses, 512 rows and 256 drivers. */
  readonly synapseUtilisation: number;
  readonly rowUtilisation: number;
  readonly driverUtilisation: number;
  /** The portfolio member that succeeded and the search nodes it visited. */
  readonly router: RouterName;
  readonly searchNodes: number;
  readonly durations: RoutingDurations;
}

/** Everything a RoutingResult is made of; shared (not copied) between a result and its weight updates. */
export interface RoutedState {
  readonly indexed: IndexedNetwork;
  readonly options: RoutingOptions;
  readonly placement: Placement;
  readonly sources: Sources;
  readonly synapses: SynapseList;
  readonly bySource: { readonly start: Int32Array; readonly ids: Int32Array };
  readonly chunking: Chunking;
  readonly allocation: DriverAllocation;
  readonly synapseConfig: SynapseConfiguration;
  readonly events: EventConfiguration;
  readonly statistics: RoutingStatistics;
}
