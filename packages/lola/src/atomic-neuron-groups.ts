import { booleanType, enumType, integerType } from './field.js';
import { capMemValueMax } from './capmem.js';
import { neuronReadoutSources } from './neuron-config.js';
import { validatedRecord } from './validated-record.js';

export { type GroupClass, type GroupRecord, type GroupValues, rejectUnknownProperties, validatedRecord } from './validated-record.js';

// ---- the groups of hardware.md §3.2 ---------------------------------------------------------------------------

/** A CapMem-backed parameter: CapMem LSB 0..1022, default 0 (§3.2: analog fields default to 0). */
const analog = integerType(0, capMemValueMax);
const flag = (defaultValue = false) => booleanType(defaultValue);

/** Excitatory or inhibitory synaptic input (CapMem rows 10–13 / 14–17, reversal potential row 3 / 4). */
export class AtomicNeuronSynapticInput extends validatedRecord('synapticInput', {
  iBiasTau: analog,
  iBiasCoba: analog,
  iShiftReference: analog,
  iBiasGm: analog,
  vRevCoba: analog,
  enable: flag(),
  enableSmallCapacitance: flag(true),
  enableHighResistance: flag(),
  enableCobaMode: flag(),
}) {}

/** Leak OTA: potential (row 0), bias (row 8), conductance range switches (÷8 / ×8). */
export class AtomicNeuronLeak extends validatedRecord('leak', {
  vLeak: analog,
  iBias: analog,
  enableDegeneration: flag(),
  enableDivision: flag(),
  enableMultiplication: flag(),
}) {}

/** Reset OTA: potential (row 1), bias (row 9), conductance range switches (÷8 / ×8). */
export class AtomicNeuronReset extends validatedRecord('reset', {
  vReset: analog,
  iBias: analog,
  enableDegeneration: flag(),
  enableDivision: flag(),
  enableMultiplication: flag(),
}) {}

/** Spike threshold comparator (row 2). */
export class AtomicNeuronThreshold extends validatedRecord('threshold', {
  enable: flag(),
  vThreshold: analog,
}) {}

/** Switches to neighbouring compartments and the inter-compartment conductance (row 23), §4. */
export class AtomicNeuronMulticompartment extends validatedRecord('multicompartment', {
  connectSoma: flag(),
  connectSomaRight: flag(),
  connectRight: flag(),
  connectVertical: flag(),
  enableConductance: flag(),
  enableConductanceDivision: flag(),
  enableConductanceMultiplication: flag(),
  iBiasNmda: analog,
}) {}

export const constantCurrentTypes = ['source', 'sink'] as const;

/** Constant membrane current (row 22); `sink` sets `invert_current`. */
export class AtomicNeuronConstantCurrent extends validatedRecord('constantCurrent', {
  enable: flag(),
  iOffset: analog,
  type: enumType(constantCurrentTypes),
}) {}

/** Membrane capacitor size 0..63 (`mem_cap_size`). */
export class AtomicNeuronMembraneCapacitance extends validatedRecord('membraneCapacitance', {
  capacitance: integerType(0, 63),
}) {}

/** Adaptation: reference (row 7), time constant (18), a (19), b (20), leak potential (5). */
export class AtomicNeuronAdaptation extends validatedRecord('adaptation', {
  enable: flag(),
  enablePulse: flag(),
  invertA: flag(),
  invertB: flag(),
  vRef: analog,
  iBiasTau: analog,
  iBiasA: analog,
  iBiasB: analog,
  vLeak: analog,
}) {}

/** Exponential term: onset potential (row 6) and strength (row 21). */
export class AtomicNeuronExponential extends validatedRecord('exponential', {
  enable: flag(),
  vExp: analog,
  iBias: analog,
}) {}

/** `off` ↔ (en_fire, en_strong_fire) = (0, 0), `normal` ↔ (1, 0), `strong` ↔ (1, 1). */
export const analogOutputModes = ['off', 'normal', 'strong'] as const;

const eventRoutingFields = {
  analogOutput: enumType(analogOutputModes),
  enableBypassExcitatory: flag(),
  enableBypassInhibitory: flag(),
  enableDigital: flag(),
  address: integerType(0, 255),
  enablePostOverwrite: flag(),
};

/**
 * Where a spike goes: the analog fire signal, the bypass circuits, the digital backend (label low byte
 * `address`, §2.4) and post-pulse overwrite. Presets as upstream lola: `disabled`, `enabled` (analog normal +
 * digital), `bypassExc`, `bypassInh`; each access returns a fresh copy.
 */
export class AtomicNeuronEventRouting extends validatedRecord('eventRouting', eventRoutingFields) {
  static get disabled(): AtomicNeuronEventRouting {
    return new AtomicNeuronEventRouting();
  }
  static get enabled(): AtomicNeuronEventRouting {
    return new AtomicNeuronEventRouting({ analogOutput: 'normal', enableDigital: true });
  }
  static get bypassExc(): AtomicNeuronEventRouting {
    return new AtomicNeuronEventRouting({ enableBypassExcitatory: true });
  }
  static get bypassInh(): AtomicNeuronEventRouting {
    return new AtomicNeuronEventRouting({ enableBypassInhibitory: true });
  }
}

/** Neuron readout multiplexer and amplifier; `source` codes 0..3 as `readout_select`. */
export class AtomicNeuronReadout extends validatedRecord('readout', {
  enableBufferedAccess: flag(),
  enableAmplifier: flag(),
  enableUnbufferedAccess: flag(),
  source: enumType(neuronReadoutSources),
}) {}

/** Refractory counter in the backend; `inputClock` 0 = slow, 1 = fast; `enablePause` gates input during reset. */
export class AtomicNeuronRefractoryPeriod extends validatedRecord('refractoryPeriod', {
  inputClock: integerType(0, 1),
  resetHoldoff: integerType(0, 15),
  refractoryTime: integerType(0, 255),
  enablePause: flag(),
}) {}

/** local ↔ (en_0, en_1) = (0, 0), and ↔ (1, 0), xnor ↔ (0, 1), mullerC ↔ (1, 1) (§3.2). */
export const bayesianOperations = ['local', 'and', 'xnor', 'mullerC'] as const;

/**
 * Backend spike logic between neighbours; `toPostPulse` (en_bayesian_extension) defaults to true.
 * `connectFireFromRight` is broken on the real chip (§3.2): nothing may rely on it.
 */
export class AtomicNeuronBayesian extends validatedRecord('bayesian', {
  toPostPulse: flag(true),
  operation: enumType(bayesianOperations),
  connectFireVertical: flag(),
  connectFireToRight: flag(),
  connectFireFromRight: flag(),
  enableMaster: flag(),
  enableSlave: flag(),
}) {}

/** The groups of an AtomicNeuron in the order of hardware.md §3.2, by property name. */
export const atomicNeuronGroups = {
  excitatoryInput: AtomicNeuronSynapticInput,
  inhibitoryInput: AtomicNeuronSynapticInput,
  leak: AtomicNeuronLeak,
  reset: AtomicNeuronReset,
  threshold: AtomicNeuronThreshold,
  multicompartment: AtomicNeuronMulticompartment,
  constantCurrent: AtomicNeuronConstantCurrent,
  membraneCapacitance: AtomicNeuronMembraneCapacitance,
  adaptation: AtomicNeuronAdaptation,
  exponential: AtomicNeuronExponential,
  eventRouting: AtomicNeuronEventRouting,
  readout: AtomicNeuronReadout,
  refractoryPeriod: AtomicNeuronRefractoryPeriod,
  bayesian: AtomicNeuronBayesian,
} as const;

export type AtomicNeuronGroupName = keyof typeof atomicNeuronGroups;
