/** What an error names: the offending projection and/or population, the limit and the value that broke it. */
export interface RoutingErrorDetails {
  /** The projection's name; names joined by ', ' where several share the exceeded limit. */
  readonly projection?: string | undefined;
  readonly population?: string | undefined;
  readonly limit?: number | undefined;
  readonly value?: number | undefined;
}

/**
 * Root of every error thrown by `@bss2/routing` (style.md: one hierarchy per package). Each carries the
 * projection and/or population it concerns and, for capacity errors, the exceeded limit and the value.
 */
export class RoutingError extends Error {
  override name = 'RoutingError';
  readonly projection: string | undefined;
  readonly population: string | undefined;
  readonly limit: number | undefined;
  readonly value: number | undefined;

  constructor(message: string, details: RoutingErrorDetails = {}) {
    super(message);
    this.projection = details.projection;
    this.population = details.population;
    this.limit = details.limit;
    this.value = details.value;
  }
}

/** The network description breaks a rule checked before routing (hardware.md §10.2, "Rejected before routing"). */
export class NetworkError extends RoutingError {
  override name = 'NetworkError';
  constructor(
    /** Which rule, e.g. `duplicate connection` (see `NetworkRule`). */
    readonly rule: NetworkRule,
    message: string,
    details: RoutingErrorDetails = {},
  ) {
    super(message, details);
  }
}

/** The rules a network description is checked against before placement. */
export const NetworkRule = {
  invalidName: 'invalid name',
  duplicateName: 'duplicate name',
  invalidSize: 'invalid size',
  unknownPopulation: 'unknown population',
  offChipTarget: 'projection onto an off-chip population',
  indexOutOfRange: 'index out of range',
  invalidWeight: 'invalid weight',
  duplicateConnection: 'duplicate connection',
  invalidCompartment: 'invalid compartment',
  invalidReceptors: 'invalid receptors',
  invalidBackground: 'invalid background population',
  unreachableHemisphere: 'background source cannot reach the target hemisphere',
  invalidRecording: 'invalid recording',
  invalidPlacement: 'invalid placement',
} as const;
export type NetworkRule = (typeof NetworkRule)[keyof typeof NetworkRule];

/**
 * Placement failed (hardware.md §10.1): no free circuit left ("Cannot register more than N neuron circuits"),
 * no anchor for a logical neuron ("LogicalNeuron cannot be placed"), an invalid neuron permutation, a circuit
 * claimed twice, or more background populations than buses.
 */
export class PlacementError extends RoutingError {
  override name = 'PlacementError';
}

/** Step 0 of §10.2: no circuit of the target compartment carries the projection's receptor. */
export class ReceptorError extends RoutingError {
  override name = 'ReceptorError';
}

/** Step 1 of §10.2: more hardware synapses onto one circuit than it has synapse rows (256). */
export class InDegreeError extends RoutingError {
  override name = 'InDegreeError';
}

/** Step 1 of §10.2: more than 64 synapses onto one circuit from sources on one PADI bus (its 64 rows). */
export class BusInDegreeError extends RoutingError {
  override name = 'BusInDegreeError';
  constructor(
    message: string,
    details: RoutingErrorDetails,
    /** PADIBusOnDLS value (4·hemisphere + bus). */
    readonly bus: number,
  ) {
    super(message, details);
  }
}

/** Step 1 of §10.2: the synapse rows needed on one PADI bus, summed over receptor types, exceed its 64 rows. */
export class BusRowsError extends RoutingError {
  override name = 'BusRowsError';
  constructor(
    message: string,
    details: RoutingErrorDetails,
    /** PADIBusOnDLS value (4·hemisphere + bus). */
    readonly bus: number,
  ) {
    super(message, details);
  }
}

/** The routing step that failed (§10.2 error table, `UnsuccessfulRouting`). */
export type RoutingStep = 'source distribution' | 'driver allocation' | 'portfolio';

/**
 * A router gave up (§10.2): step 4 "Source distribution not successful…", step 5 "Synapse driver allocations
 * not successful.", or "No router of portfolio was successful." with every member's failure in `failures`.
 */
export class UnsuccessfulRouting extends RoutingError {
  override name = 'UnsuccessfulRouting';
  constructor(
    readonly step: RoutingStep,
    message: string,
    details: RoutingErrorDetails = {},
    /** The portfolio members' own failures (step `portfolio` only). */
    readonly failures: readonly UnsuccessfulRouting[] = [],
    /** PADIBusOnDLS value where a bus is at fault. */
    readonly bus?: number,
  ) {
    super(message, details);
  }
}

/** A weight update that the existing routing cannot realise (`requiresRouting` would be true): route again. */
export class WeightUpdateError extends RoutingError {
  override name = 'WeightUpdateError';
}
