import { SynapseDriverOnDLS, SynapseOnDLS, SynapseRowOnDLS } from '@bss2/halco';
import { CrossbarNode } from '@bss2/lola';
import { buildFixedChunks, synapsesBySource, type Chunk } from './chunks.js';
import { splitConnections } from './connection-split.js';
import { checkConstraints } from './constraints.js';
import { allocateDrivers, type DriverAllocation } from './driver-allocation.js';
import { RoutingError, UnsuccessfulRouting } from './errors.js';
import { configureEvents } from './event-configuration.js';
import type { Network, RouterName, RoutingOptions } from './network.js';
import { place } from './placement.js';
import { RoutingResult } from './result.js';
import type { RoutingStatistics } from './routed-state.js';
import { SourceKind, collectSources } from './sources.js';
import { distributeExternalSources } from './source-distribution.js';
import { placeSynapses } from './synapse-placement.js';
import { validateNetwork } from './validate.js';

const ROUTERS: readonly RouterName[] = ['greedy', 'backtracking'];
export const DEFAULT_PORTFOLIO: readonly RouterName[] = ROUTERS;
export const DEFAULT_BACKTRACKING_NODE_LIMIT = 20_000;

/** `performance.now()` where the platform has it (Node and browsers do); lib ES2022 does not declare it. */
const clock = (globalThis as { performance?: { now(): number } }).performance;
const now: () => number = clock === undefined ? () => Date.now() : () => clock.now();

/**
 * Places and routes a network (hardware.md §10): validation, placement (§10.1), then the greedy router's
 * steps 0–8 (§10.2). Step 5 runs each router of the portfolio until one succeeds. Throws a RoutingError
 * naming the offending projection or population and the exceeded limit when the network does not fit.
 */
export function routeNetwork(network: Network, options: RoutingOptions = {}): RoutingResult {
  const t0 = now();
  const portfolio = options.portfolio ?? DEFAULT_PORTFOLIO;
  const nodeLimit = options.backtrackingNodeLimit ?? DEFAULT_BACKTRACKING_NODE_LIMIT;
  if (!Array.isArray(portfolio) || portfolio.length === 0 || portfolio.some((r) => !ROUTERS.includes(r))) {
    throw new RoutingError(`portfolio must be a non-empty list of ${ROUTERS.map((r) => `'${r}'`).join(', ')}, got ${JSON.stringify(portfolio)}`);
  }
  if (!Number.isSafeInteger(nodeLimit) || nodeLimit < 1) {
    throw new RoutingError(`backtrackingNodeLimit must be a positive integer, got ${String(nodeLimit)}`, { value: nodeLimit });
  }
  const indexed = validateNetwork(network);
  const t1 = now();
  const placement = place(indexed, options.neuronPermutation);
  const t2 = now();
  const sources = collectSources(indexed, placement);
  const synapses = splitConnections(indexed, placement, sources);
  checkConstraints(indexed, placement, sources, synapses);
  const bySource = synapsesBySource(sources, synapses);
  const chunking = buildFixedChunks(indexed, placement, sources, synapses, bySource);
  distributeExternalSources(indexed, sources, synapses, bySource, chunking);

  const names = (chunk: Chunk) => `'${indexed.populations[sources.population[chunk.members[0]!]!]!.name}'`;
  const failures: UnsuccessfulRouting[] = [];
  let allocation: DriverAllocation | undefined;
  let router: RouterName | undefined;
  for (const member of portfolio) {
    try {
      allocation = allocateDrivers(chunking, member, nodeLimit, names);
      router = member;
      break;
    } catch (error) {
      if (!(error instanceof UnsuccessfulRouting)) throw error;
      failures.push(error);
    }
  }
  if (allocation === undefined || router === undefined) {
    if (failures.length === 1) throw failures[0]!;
    throw new UnsuccessfulRouting(
      'portfolio',
      `No router of portfolio was successful. ${failures.map((f, i) => `${portfolio[i]}: ${f.message}`).join(' | ')}`,
      { limit: failures[0]?.limit, value: failures[0]?.value },
      failures,
      failures[0]?.bus,
    );
  }
  const t3 = now();
  const synapseConfig = placeSynapses(chunking, allocation, synapses, bySource);
  const events = configureEvents(indexed, sources, synapses, chunking, allocation, bySource);
  const t4 = now();

  let externalSources = 0;
  let backgroundSources = 0;
  for (let s = 0; s < sources.count; s++) {
    const sends = bySource.start[s + 1]! > bySource.start[s]!;
    if (sends && sources.kind[s] === SourceKind.external) externalSources++;
    if (sends && sources.kind[s] === SourceKind.background) backgroundSources++;
  }
  // `CrossbarNode.drop` builds a new node on every read.
  const drop = CrossbarNode.drop;
  const circuits = placement.circuitPopulation.reduce((n, p) => n + (p >= 0 ? 1 : 0), 0);
  const statistics: RoutingStatistics = {
    populations: indexed.populations.length,
    neurons: placement.neurons.reduce((n, list) => n + (list?.length ?? 0), 0),
    circuits,
    externalSources,
    backgroundSources,
    projections: indexed.network.projections.length,
    connections: indexed.network.projections.reduce((n, p) => n + p.connections.length, 0),
    synapses: synapses.count,
    synapseRows: synapseConfig.rowsUsed,
    synapseDrivers: synapseConfig.driversUsed,
    labelGroups: chunking.chunks.length,
    crossbarNodes: events.crossbar.filter((node) => !node.equals(drop)).length,
    synapseUtilisation: synapses.count / SynapseOnDLS.size,
    rowUtilisation: synapseConfig.rowsUsed / SynapseRowOnDLS.size,
    driverUtilisation: synapseConfig.driversUsed / SynapseDriverOnDLS.size,
    router,
    searchNodes: allocation.nodes,
    durations: {
      validation_ms: t1 - t0,
      placement_ms: t2 - t1,
      routing_ms: t3 - t2,
      construction_ms: t4 - t3,
      total_ms: t4 - t0,
    },
  };
  return new RoutingResult({ indexed, options, placement, sources, synapses, bySource, chunking, allocation, synapseConfig, events, statistics });
}
