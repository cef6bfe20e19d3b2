import { rejectUnknownKeys } from './container.js';
import { FieldRangeError, UnknownFieldError } from './errors.js';
import { type FieldType, booleanType, check, enumType, integerType } from './field.js';
import { capMemValueMax } from './capmem.js';
import { neuronReadoutSources } from './neuron-config.js';

// ---- validated records ---------------------------------------------------------------------------------------

type GroupSpec = Record<string, FieldType<unknown>>;

/** The plain values of a group, e.g. `{ vLeak: number; enableDivision: boolean; … }`. */
export type GroupValues<S extends GroupSpec> = { -readonly [K in keyof S]: S[K] extends FieldType<infer T> ? T : never };

/** Instance side of every AtomicNeuron group: validated fields (see `validatedRecord`) plus these helpers. */
export interface GroupRecord<S extends GroupSpec> {
  /** Where the group sits, for error messages: `AtomicNeuron.leak`. */
  readonly path: string;
  values(): GroupValues<S>;
  /** A copy with some fields changed (validated like the constructor). */
  with(changes: Partial<GroupValues<S>>): this;
  equals(other: unknown): boolean;
  toJSON(): GroupValues<S>;
}

export interface GroupClass<S extends GroupSpec> {
  new (init?: Partial<GroupValues<S>>, path?: string): GroupRecord<S> & GroupValues<S>;
  /** The group's property name on AtomicNeuron (camelCase of the upstream lola member). */
  readonly groupName: string;
  readonly fields: S;
}

/**
 * `target` behind a proxy whose assignments to unknown properties throw an UnknownFieldError, so that a typo
 * such as `neuron.leak.vLeek = 700` fails loudly instead of adding a property nobody reads.
 */
export function rejectUnknownProperties<T extends object>(target: T, path: string, known: readonly string[]): T {
  return new Proxy(target, {
    set(object, key, value, receiver) {
      if (typeof key === 'string' && !(key in object)) throw new UnknownFieldError(path, key, known);
      return Reflect.set(object, key, value, receiver);
    },
  });
}

/**
 * A plain record of validated fields, described by `field.ts` value types: the constructor and every setter
 * check the value and throw a FieldRangeError naming `<path>.<field>` and the rule; unknown keys (in the
 * constructor or assigned later) throw an UnknownFieldError (typo protection). Used for the groups of
 * AtomicNeuron (hardware.md §3.2).
 */
export function validatedRecord<const S extends GroupSpec>(groupName: string, fields: S): GroupClass<S> {
  const names = Object.keys(fields);

  class Group {
    static readonly groupName = groupName;
    static readonly fields = fields;
    readonly path: string;
    private readonly state: Record<string, unknown> = {};

    constructor(init: Partial<GroupValues<S>> = {}, path = `AtomicNeuron.${groupName}`) {
      this.path = path;
      if (init === null || typeof init !== 'object' || Array.isArray(init)) {
        throw new FieldRangeError(path, init, `an object with fields ${names.join(', ')}`);
      }
      rejectUnknownKeys(path, init, names);
      for (const name of names) {
        const given = (init as Record<string, unknown>)[name];
        this.state[name] = given === undefined ? fields[name]!.default : check(fields[name]!, given, `${path}.${name}`);
      }
      return rejectUnknownProperties(this, path, names);
    }

    values(): GroupValues<S> {
      return { ...this.state } as GroupValues<S>;
    }

    with(changes: Partial<GroupValues<S>>): this {
      return new (this.constructor as new (init: Partial<GroupValues<S>>, path: string) => this)({ ...this.values(), ...changes }, this.path);
    }

    equals(other: unknown): boolean {
      if (!(other instanceof Group) || other.constructor !== this.constructor) return false;
      return names.every((name) => fields[name]!.same(this.state[name], other.state[name]));
    }

    toJSON(): GroupValues<S> {
      return this.values();
    }
  }

  for (const name of names) {
    Object.defineProperty(Group.prototype, name, {
      enumerable: true,
      get(this: Group) {
        return (this as unknown as { state: Record<string, unknown> }).state[name];
      },
      set(this: Group, value: unknown) {
        (this as unknown as { state: Record<string, unknown> }).state[name] = check(fields[name]!, value, `${this.path}.${name}`);
      },
    });
  }
  return Group as unknown as GroupClass<S>;
}

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
