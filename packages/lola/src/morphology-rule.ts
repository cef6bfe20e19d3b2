/**
 * The rules of hardware.md §4 a Morphology, LogicalNeuron or placement can break; every rejection throws a
 * `MorphologyError` whose `rule` is one of these strings, so callers (PyNN placement, tests) can tell them apart
 * without parsing messages.
 */
export const MorphologyRule = {
  /** An argument is not the coordinate or value the method takes. */
  invalidArgument: 'invalid argument',
  /** `createCompartment([])`, or a compartment without neurons handed to LogicalNeuronCompartments. */
  emptyCompartment: 'empty compartment',
  /** `createCompartment` with a neuron of an earlier compartment or one listed twice. */
  neuronAlreadyUsed: 'neuron already used',
  /** The neurons of `createCompartment` do not form a column-major walk joined by direct membrane switches. */
  notContiguousColumnMajor: 'not contiguous column-major',
  /** `connect_soma` and `enable_conductance` on one neuron (a switch and a conductance to the same segment). */
  somaSwitchWithConductance: 'connect_soma with enable_conductance',
  /** `connectSomaLine(start, end, row)` with `end` left of `start`. */
  reversedSomaLine: 'soma line reversed',
  /** `done()` with no neuron at all, or LogicalNeuronCompartments without compartments. */
  emptyMorphology: 'empty morphology',
  /** More compartments than CompartmentOnLogicalNeuron (0..254) can number. */
  tooManyCompartments: 'too many compartments',
  /** A compartment grew: it is joined to other neurons through the somatic line without a conductance. */
  compartmentsShorted: 'compartments shorted',
  /** The switches given for a compartment do not join all of its neurons (LogicalNeuron built by hand). */
  compartmentNotConnected: 'compartment not connected',
  /** A horizontal switch leads to a position that is not part of the logical neuron (or off the grid). */
  switchLeavesNeuron: 'switch leaves the logical neuron',
  /** Some compartment is not joined to the others through the somatic line (conductances allowed). */
  notContiguous: 'LogicalNeuron not contiguous',
  /** LogicalNeuronCompartments with one neuron in two compartments. */
  neuronInTwoCompartments: 'neuron in two compartments',
  /** `getNeighbor` left of column 0 or right of column 127. */
  neighborOffGrid: 'neighbor off grid',
  /** The anchored bounding box leaves the 2 × 256 neuron grid. */
  placementOutsideGrid: 'placement outside the neuron grid',
  /** The anchored bounding box contains both column 127 and column 128. */
  placementSpansHalves: 'placement spans columns 127 and 128',
  /** A LogicalNeuron written to a placement that is not of its compartments (or a flip of them). */
  placementMismatch: 'placement does not match the logical neuron',
} as const;

export type MorphologyRule = (typeof MorphologyRule)[keyof typeof MorphologyRule];
