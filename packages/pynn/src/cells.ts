// Cell types: PyNN's standard models with their names, defaults and units, the chip's own HXNeuron, and the
// spike sources. A cell type is a parameter template; a Population expands it into per-neuron values.
import { type FieldType, atomicNeuronGroups, nominal } from '@bss2/lola';
import { describeValue } from './describe.js';
import { ParameterError } from './errors.js';
import { PlasticityRule } from './plasticity/rule.js';

/** A parameter value as given: one value for all neurons, or one per neuron. */
export type ParameterValue = number | boolean | string | readonly number[] | readonly (readonly number[])[] | readonly boolean[] | readonly string[];

/** How a parameter is checked and what unit it has. */
export interface ParameterSpec {
  readonly default: unknown;
  readonly unit: string;
  /** The checked value of one neuron, or a rule text when invalid. */
  check(value: unknown): { ok: true; value: unknown } | { ok: false; rule: string };
}

const finite = (unit: string, defaultValue: number, min = -Infinity, max = Infinity): ParameterSpec => ({
  default: defaultValue,
  unit,
  check: (value) =>
    typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max
      ? { ok: true, value }
      : { ok: false, rule: `a finite number${min > -Infinity ? ` ≥ ${min}` : ''}${max < Infinity ? ` ≤ ${max}` : ''}` },
});

const positive = (unit: string, defaultValue: number): ParameterSpec => ({
  default: defaultValue,
  unit,
  check: (value) => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? { ok: true, value } : { ok: false, rule: 'a finite number > 0' }),
});

const spikeTimes: ParameterSpec = {
  default: [],
  unit: 'ms',
  check(value) {
    if (!Array.isArray(value)) return { ok: false, rule: 'an array of spike times in ms' };
    for (let i = 0; i < value.length; i++) {
      const t: unknown = value[i];
      if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) return { ok: false, rule: `spike times ≥ 0 ms (entry ${i} is ${String(t)})` };
      if (i > 0 && t < (value[i - 1] as number)) return { ok: false, rule: `spike times sorted ascending (entry ${i}: ${t} < ${String(value[i - 1])})` };
    }
    return { ok: true, value: Float64Array.from(value as number[]) };
  },
};

/** The receptor types of every neuron model here (hardware.md §11.1: other receptors are rejected). */
export const RECEPTOR_TYPES = ['excitatory', 'inhibitory'] as const;
export type ReceptorType = (typeof RECEPTOR_TYPES)[number];

/**
 * What the simulator does with a cell: a model neuron calibrated from PyNN parameters, a raw HXNeuron, a
 * multi-compartment neuron of HXNeuron circuits (`createMcNeuron`), or a source.
 */
export type CellKind = 'lif' | 'hx' | 'mc' | 'spike-array' | 'poisson' | 'poisson-on-chip';

/** A model neuron's synaptic input: PyNN's exponential (`_exp`) or alpha-shaped (`_alpha`) synapses, current or conductance based. */
export interface SynapseModel {
  readonly shape: 'exp' | 'alpha';
  readonly conductanceBased: boolean;
}

/** What distinguishes one cell type: its PyNN name, kind, recordables and parameters. */
export interface CellTypeDescriptor {
  readonly kind: CellKind;
  /** PyNN's name of the model (`IF_curr_exp`, …). */
  readonly modelName: string;
  readonly recordables: readonly string[];
  readonly specs: Readonly<Record<string, ParameterSpec>>;
  /** Model neurons: their synapses (default exponential, current based). */
  readonly synapses?: SynapseModel;
}

/** A cell type class, as PyNN's `Population(n, IF_curr_exp, cellparams={…})` takes it. */
export type CellTypeClass = new (parameters?: Readonly<Record<string, unknown>>) => CellType;

/** Base of every cell type: `new IF_curr_exp({ tau_m: 10 })`. Unknown parameters → ParameterError. */
export abstract class CellType {
  readonly kind: CellKind;
  readonly modelName: string;
  readonly recordables: readonly string[];
  readonly synapses: SynapseModel;
  readonly #specs: Readonly<Record<string, ParameterSpec>>;
  readonly #given: Record<string, unknown>;
  /**
   * The cell's `plasticity_rule` (hardware.md §11.1): a rule whose kernel gets the population's placed neurons
   * (`KernelPlacement.neurons`); LIF models and HXNeurons only.
   */
  readonly plasticityRule: PlasticityRule | undefined;

  protected constructor(descriptor: CellTypeDescriptor, parameters: Readonly<Record<string, unknown>>) {
    this.kind = descriptor.kind;
    this.modelName = descriptor.modelName;
    this.recordables = descriptor.recordables;
    this.synapses = descriptor.synapses ?? { shape: 'exp', conductanceBased: false };
    this.#specs = descriptor.specs;
    if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) {
      throw new ParameterError(`${this.modelName} parameters must be an object of name → value, got ${String(parameters)}`, { value: parameters });
    }
    const { plasticity_rule: rule, ...given } = parameters;
    if (rule !== undefined) {
      if (this.kind !== 'lif' && this.kind !== 'hx') {
        throw new ParameterError(`${this.modelName} has no parameter 'plasticity_rule': only neuron models and HXNeurons carry a rule (a multi-compartment neuron or a source has none)`, { parameter: 'plasticity_rule', value: rule });
      }
      if (!(rule instanceof PlasticityRule)) {
        throw new ParameterError(`${this.modelName} plasticity_rule must be a PlasticityRule, got ${describeValue(rule)}`, { parameter: 'plasticity_rule', value: rule });
      }
    }
    this.plasticityRule = rule as PlasticityRule | undefined;
    for (const name of Object.keys(given)) this.specOf(name, `new ${this.modelName}()`);
    this.#given = given;
  }

  get parameterNames(): string[] {
    return Object.keys(this.#specs);
  }

  /** PyNN's `get_parameter_names()`: the names of the parameters, in their order. */
  getParameterNames(): string[] {
    return this.parameterNames;
  }

  /** PyNN's class method `IF_curr_exp.get_parameter_names()`: the same without an instance at hand. */
  static getParameterNames(this: new () => CellType): string[] {
    return new this().getParameterNames();
  }

  /** The names given at construction (the rest are defaults). */
  get givenNames(): string[] {
    return Object.keys(this.#given);
  }

  /** Neuron circuits one neuron of this type takes (several for a multi-compartment neuron). */
  get circuitsPerNeuron(): number {
    return 1;
  }

  /** Whether the cells are neurons on the chip (not spike sources). */
  get isNeuron(): boolean {
    return this.kind === 'lif' || this.kind === 'hx' || this.kind === 'mc';
  }

  /**
   * Whether `value` for `name` lists one value per neuron (PyNN: an array is per neuron; spike times: an array
   * of arrays). Multi-compartment neurons override it: their arrays list compartments.
   */
  isPerNeuron(name: string, value: unknown): boolean {
    const isList = (v: unknown) => Array.isArray(v) || ArrayBuffer.isView(v);
    return name === 'spike_times' ? isList(value) && Array.from(value as ArrayLike<unknown>).some(isList) : isList(value);
  }

  /** Defaults of every parameter. */
  get defaults(): Record<string, unknown> {
    return Object.fromEntries(Object.entries(this.#specs).map(([name, spec]) => [name, spec.default]));
  }

  unitOf(name: string): string {
    return this.specOf(name, 'unitOf').unit;
  }

  get isSource(): boolean {
    return this.kind === 'spike-array' || this.kind === 'poisson' || this.kind === 'poisson-on-chip';
  }

  /** The value given for `name` at construction, or its default. */
  initialValue(name: string): unknown {
    return name in this.#given ? this.#given[name] : this.specOf(name, 'initialValue').default;
  }

  /**
   * Per-neuron values of `name` from a value as the user gives it: a scalar (all neurons) or an array of `size`
   * (per neuron). Spike times: one array (all neurons) or an array of arrays.
   */
  expand(name: string, value: unknown, size: number, where: string): unknown[] {
    const spec = this.specOf(name, where);
    const perNeuron = this.isPerNeuron(name, value);
    const values = perNeuron ? Array.from(value as ArrayLike<unknown>) : Array.from({ length: size }, () => value);
    if (values.length !== size) {
      throw new ParameterError(`${name} of ${where} has ${values.length} values for ${size} neurons`, { population: where, parameter: name, value: values.length });
    }
    return values.map((v, i) => {
      const checked = spec.check(ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v);
      if (!checked.ok) {
        throw new ParameterError(`${name} = ${describeValue(v)} of ${where}${perNeuron ? ` neuron ${i}` : ''} is invalid: must be ${checked.rule}`, {
          population: where,
          parameter: name,
          value: v,
        });
      }
      return checked.value;
    });
  }

  protected specOf(name: string, where: string): ParameterSpec {
    const spec = Object.hasOwn(this.#specs, name) ? this.#specs[name] : undefined;
    if (spec === undefined) {
      throw new ParameterError(`${this.modelName} has no parameter '${name}' (${where}); parameters: ${this.parameterNames.join(', ')}`, { parameter: name, population: where });
    }
    return spec;
  }
}

// tau_refrac defaults to 2 ms, not PyNN's 0.1 ms: the chip's reset needs ≈ 1.2 ms (biological) to pull a 1 nF
// membrane to v_reset (see minimumRefractoryTime); 2 ms is also the reference's default refractory time.
const lifSpecs = {
  cm: positive('nF', 1.0),
  tau_m: positive('ms', 20),
  tau_refrac: finite('ms', 2, 0),
  tau_syn_E: positive('ms', 5),
  tau_syn_I: positive('ms', 5),
  v_rest: finite('mV', -65),
  v_reset: finite('mV', -65),
  v_thresh: finite('mV', -50),
  i_offset: finite('nA', 0),
};

/** PyNN's current-based LIF neuron with exponential synaptic currents; calibrated (hardware.md §9). */
export class IF_curr_exp extends CellType {
  constructor(parameters: Readonly<Record<string, unknown>> = {}) {
    super({ kind: 'lif', modelName: 'IF_curr_exp', recordables: ['spikes', 'v'], specs: lifSpecs }, parameters);
  }
}

const cobaSpecs = {
  ...lifSpecs,
  // PyNN's 0 mV lies above the chip's voltage range (−7.3 mV at most with 3 CADC LSB per mV): −10 mV instead.
  e_rev_E: finite('mV', -10),
  e_rev_I: finite('mV', -70),
};

/** PyNN's conductance-based LIF neuron with exponential synaptic conductances (COBA mode of the synaptic inputs). */
export class IF_cond_exp extends CellType {
  constructor(parameters: Readonly<Record<string, unknown>> = {}) {
    super({ kind: 'lif', modelName: 'IF_cond_exp', recordables: ['spikes', 'v'], specs: cobaSpecs, synapses: { shape: 'exp', conductanceBased: true } }, parameters);
  }
}

// PyNN's alpha-synapse defaults: tau_syn 0.5 ms (0.3 ms excitatory for IF_cond_alpha); tau_refrac and e_rev_E as above.
const alphaCurrentSpecs = { ...lifSpecs, tau_syn_E: positive('ms', 0.5), tau_syn_I: positive('ms', 0.5) };
const alphaConductanceSpecs = { ...cobaSpecs, tau_syn_E: positive('ms', 0.3), tau_syn_I: positive('ms', 0.5) };

/**
 * PyNN's current-based LIF neuron with alpha-shaped synaptic currents. The chip's synaptic inputs are
 * exponential: each alpha PSC (peak = the weight's current at `tau_syn`) is realised as the exponential PSC of
 * the same peak and the same charge, `tau_syn` × e (README, Choices: alpha synapses).
 */
export class IF_curr_alpha extends CellType {
  constructor(parameters: Readonly<Record<string, unknown>> = {}) {
    super({ kind: 'lif', modelName: 'IF_curr_alpha', recordables: ['spikes', 'v'], specs: alphaCurrentSpecs, synapses: { shape: 'alpha', conductanceBased: false } }, parameters);
  }
}

/** PyNN's conductance-based LIF neuron with alpha-shaped synaptic conductances, realised as IF_curr_alpha's currents are. */
export class IF_cond_alpha extends CellType {
  constructor(parameters: Readonly<Record<string, unknown>> = {}) {
    super({ kind: 'lif', modelName: 'IF_cond_alpha', recordables: ['spikes', 'v'], specs: alphaConductanceSpecs, synapses: { shape: 'alpha', conductanceBased: true } }, parameters);
  }
}

const adexSpecs = {
  cm: positive('nF', 0.281),
  tau_m: positive('ms', 9.3667),
  tau_refrac: finite('ms', 2, 0),
  tau_syn_E: positive('ms', 5),
  tau_syn_I: positive('ms', 5),
  v_rest: finite('mV', -70.6),
  v_reset: finite('mV', -70.6),
  v_thresh: finite('mV', -50.4),
  v_spike: finite('mV', -40),
  delta_T: positive('mV', 2),
  tau_w: positive('ms', 144),
  a: finite('nS', 4),
  b: finite('nA', 0.0805),
  i_offset: finite('nA', 0),
  e_rev_E: finite('mV', -10),
  e_rev_I: finite('mV', -80),
};

/** PyNN's adaptive exponential neuron (AdEx) with conductance synapses; adaptation and exponential written nominally. */
export class EIF_cond_exp_isfa_ista extends CellType {
  constructor(parameters: Readonly<Record<string, unknown>> = {}) {
    super({ kind: 'lif', modelName: 'EIF_cond_exp_isfa_ista', recordables: ['spikes', 'v', 'w'], specs: adexSpecs, synapses: { shape: 'exp', conductanceBased: true } }, parameters);
  }
}

/** Spikes at given times (ms): `spike_times` one array for all neurons or one per neuron. */
export class SpikeSourceArray extends CellType {
  constructor(parameters: Readonly<Record<string, unknown>> = {}) {
    super({ kind: 'spike-array', modelName: 'SpikeSourceArray', recordables: ['spikes'], specs: { spike_times: spikeTimes } }, parameters);
  }
}

/** Poisson spike trains: `rate` (Hz), from `start` for `duration` (ms). On-chip background generators where possible. */
export class SpikeSourcePoisson extends CellType {
  constructor(parameters: Readonly<Record<string, unknown>> = {}) {
    super({ kind: 'poisson', modelName: 'SpikeSourcePoisson', recordables: ['spikes'], specs: {
    rate: finite('Hz', 1.0, 0),
    start: finite('ms', 0, 0),
    duration: finite('ms', 1e10, 0),
  } }, parameters);
  }
}

const seedSpec: ParameterSpec = {
  default: 1,
  unit: '',
  check: (value) => (Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= nominal.backgroundSeedMax ? { ok: true, value } : { ok: false, rule: `an integer in 1..${nominal.backgroundSeedMax} (the LFSR seed)` }),
};

/**
 * Poisson sources on the chip's background generators (the reference's SpikeSourcePoissonOnChip, hardware.md
 * §3.7): one `rate` (Hz) for all neurons and one LFSR `seed`; size a power of two ≤ 256; a rate no generator
 * setting gives within 1 % is a ParameterError. Runs from the segment's start, without end.
 */
export class SpikeSourcePoissonOnChip extends CellType {
  constructor(parameters: Readonly<Record<string, unknown>> = {}) {
    super({ kind: 'poisson-on-chip', modelName: 'SpikeSourcePoissonOnChip', recordables: ['spikes'], specs: { rate: finite('Hz', 1.0, 0), seed: seedSpec } }, parameters);
  }
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** AtomicNeuron fields the HXNeuron does not expose: pynn sets spike output and readout (hardware.md §11.1). */
const HIDDEN_FIELDS = new Set(['eventRouting.analogOutput', 'eventRouting.enableDigital', 'eventRouting.address']);
const HIDDEN_GROUPS = new Set(['readout']);

/** HXNeuron parameter name → [group, field] of the AtomicNeuron. */
export const hxNeuronFields: ReadonlyMap<string, readonly [string, string]> = new Map(
  Object.entries(atomicNeuronGroups).flatMap(([group, Group]) =>
    HIDDEN_GROUPS.has(group)
      ? []
      : Object.keys(Group.fields)
          .filter((field) => !HIDDEN_FIELDS.has(`${group}.${field}`))
          .map((field) => [`${snake(group)}_${snake(field)}`, [group, field] as const] as const),
  ),
);

/** The HXNeuron's parameters: each AtomicNeuron field's default and rule (multi-compartment neurons use them per circuit). */
export const hxSpecs: Readonly<Record<string, ParameterSpec>> = Object.fromEntries(
  [...hxNeuronFields].map(([name, [group, field]]) => {
    const type = (atomicNeuronGroups as unknown as Record<string, { fields: Record<string, FieldType<unknown>> }>)[group]!.fields[field]!;
    const spec: ParameterSpec = {
      default: type.default,
      unit: typeof type.default === 'number' ? 'hardware' : '',
      check: (value) => {
        const accepted = type.accept(value);
        return accepted === undefined ? { ok: false, rule: type.rule } : { ok: true, value: accepted };
      },
    };
    return [name, spec];
  }),
);

/**
 * The chip's own neuron (hardware.md §11.1): every AtomicNeuron field as `<group>_<field>` in hardware units
 * (CapMem LSB, switches), defaults the AtomicNeuron's; not calibrated. Recordables in raw MADC codes.
 */
export class HXNeuron extends CellType {
  constructor(parameters: Readonly<Record<string, unknown>> = {}) {
    super({ kind: 'hx', modelName: 'HXNeuron', recordables: ['spikes', 'v', 'exc_synin', 'inh_synin', 'adaptation'], specs: hxSpecs }, parameters);
  }
}
