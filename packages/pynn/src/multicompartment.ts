// Multi-compartment neurons (hardware.md §4, §11.1; the reference's `pynn_brainscales.brainscales2.morphology`):
// compartments of neuron circuits placed by hand, joined to the shared (somatic) line directly or through the
// inter-compartment conductance, the line laid with shared-line connections; `createMcNeuron` checks the
// morphology with lola's `Morphology` and returns a cell type class whose parameters are the HXNeuron's, per
// compartment and circuit.
import { AtomicNeuronOnLogicalNeuron, NeuronColumnOnLogicalNeuron, NeuronRowOnLogicalNeuron } from '@bss2/halco';
import { type LogicalNeuron, type LogicalNeuronCompartments, Morphology, MorphologyError, nominal } from '@bss2/lola';
import { CellType, type ParameterSpec, hxSpecs } from './cells.js';
import { describeValue } from './describe.js';
import { NotSupportedError, ParameterError, type PyNNErrorDetails } from './errors.js';
import { checkOptions } from './options.js';

/** The multicompartment switches: set by the morphology (`createMcNeuron`), not parameters (as the reference). */
const MORPHOLOGY_FIELDS = new Set([
  'multicompartment_connect_soma',
  'multicompartment_connect_soma_right',
  'multicompartment_connect_right',
  'multicompartment_connect_vertical',
  'multicompartment_enable_conductance',
  'multicompartment_enable_conductance_division',
  'multicompartment_enable_conductance_multiplication',
]);
const CONDUCTANCE = 'multicompartment_i_bias_nmda';

/** The parameters of a compartment's circuits: the HXNeuron's without the morphology's switches. */
export const mcParameterNames: readonly string[] = Object.keys(hxSpecs).filter((name) => !MORPHOLOGY_FIELDS.has(name));

/**
 * `singleActiveCircuit` (the reference's `single_active_circuit`): every circuit of a compartment but the first
 * has no leak (bias 0, ÷8), no capacitance of its own and no threshold, so a compartment of several circuits
 * acts as one.
 */
const PASSIVE_CIRCUIT: Readonly<Record<string, unknown>> = Object.freeze({
  leak_i_bias: 0,
  leak_enable_division: true,
  leak_enable_multiplication: false,
  membrane_capacitance_capacitance: 0,
  threshold_enable: false,
});

const POSITION_COUNT = AtomicNeuronOnLogicalNeuron.size;
const POSITION_RULE = `an AtomicNeuronOnLogicalNeuron enum 0..${POSITION_COUNT - 1} (row · 128 + column)`;

function isPosition(x: unknown): x is number {
  return Number.isSafeInteger(x) && (x as number) >= 0 && (x as number) < POSITION_COUNT;
}

/** One circuit's value of a parameter, checked by the HXNeuron's field rule. */
function checkedScalar(name: string, value: unknown, where: string): unknown {
  const checked = hxSpecs[name]!.check(value);
  if (!checked.ok) throw new ParameterError(`${name} = ${describeValue(value)} of ${where} is invalid: must be ${checked.rule}`, { parameter: name, value });
  return checked.value;
}

/** The reference's `SharedLineConnection(start, stop, row)`: the shared line of `row` laid from column `start` to `stop`. */
export class SharedLineConnection {
  readonly start: number;
  readonly stop: number;
  readonly row: number;

  constructor(connection: { readonly start: number; readonly stop: number; readonly row: number }) {
    checkOptions(connection, 'SharedLineConnection', ['start', 'stop', 'row'], { Unknown: ParameterError, NotSupported: NotSupportedError });
    const { start, stop, row } = connection ?? ({} as never);
    for (const [key, value, max] of [['start', start, NeuronColumnOnLogicalNeuron.max], ['stop', stop, NeuronColumnOnLogicalNeuron.max], ['row', row, NeuronRowOnLogicalNeuron.max]] as const) {
      if (!Number.isSafeInteger(value) || value < 0 || value > max) {
        throw new ParameterError(`SharedLineConnection ${key} = ${describeValue(value)} is invalid: must be an integer in 0..${max} (a ${key === 'row' ? 'row' : 'column'} of the logical neuron)`, { parameter: key, value });
      }
    }
    this.start = start;
    this.stop = stop;
    this.row = row;
  }
}

/** What a PlacedCompartment takes: its circuits and connections, and HXNeuron parameters for its circuits. */
export interface PlacedCompartmentOptions {
  /** Circuits, as AtomicNeuronOnLogicalNeuron enums (`row · 128 + column`), contiguous column-major (hardware.md §4). */
  readonly positions: readonly number[];
  /** Selects the compartment in `record(…, { locations })` and connectors' `locationSelector`. */
  readonly label?: string;
  /** Circuits switched directly onto the shared line (`connect_soma`). */
  readonly connectSharedLine?: readonly number[];
  /** Circuits joined to the shared line through the conductance, with its bias (`i_bias_nmda`, CapMem LSB). */
  readonly connectConductance?: readonly (readonly [number, number])[];
  /** HXNeuron parameters of the compartment's circuits: one value, or one per circuit. */
  readonly [parameter: string]: unknown;
}

const COMPARTMENT_OPTIONS = ['positions', 'label', 'connectSharedLine', 'connectConductance'] as const;

/**
 * One iso-potential compartment (the reference's `PlacedCompartment`): its circuits, its label, how it joins the
 * shared line, and HXNeuron parameters of its circuits (`leak_i_bias: 200` or one value per circuit).
 */
export class PlacedCompartment {
  readonly positions: readonly number[];
  readonly label: string;
  readonly connectSharedLine: readonly number[];
  readonly connectConductance: readonly (readonly [number, number])[];
  /** Parameters given for this compartment, per circuit (checked by the HXNeuron's rules). */
  readonly parameters: Readonly<Record<string, readonly unknown[]>>;

  constructor(options: PlacedCompartmentOptions) {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new ParameterError(`PlacedCompartment takes an options object { positions, label?, connectSharedLine?, connectConductance?, …parameters }, got ${describeValue(options)}`, { value: options });
    }
    const label = options.label ?? '';
    if (typeof label !== 'string') throw new ParameterError(`PlacedCompartment label must be a string, got ${describeValue(label)}`, { parameter: 'label', value: label });
    const where = `compartment '${label}'`;
    const positions = options.positions;
    if (!Array.isArray(positions) || positions.length === 0 || !positions.every(isPosition)) {
      throw new ParameterError(`${where}: positions must be a non-empty list of circuits, each ${POSITION_RULE}; got ${describeValue(positions)}`, { parameter: 'positions', value: positions });
    }
    if (new Set(positions).size !== positions.length) throw new ParameterError(`${where}: positions ${describeValue(positions)} repeat a circuit`, { parameter: 'positions', value: positions });
    const shared = options.connectSharedLine ?? [];
    if (!Array.isArray(shared) || !shared.every((p) => positions.includes(p)) || new Set(shared).size !== shared.length) {
      throw new ParameterError(`${where}: connectSharedLine must list distinct circuits of its positions ${describeValue(positions)}, got ${describeValue(shared)}`, { parameter: 'connectSharedLine', value: shared });
    }
    const conductance = options.connectConductance ?? [];
    const conductanceRule = `a list of [position, i_bias_nmda] pairs, positions distinct, of ${describeValue(positions)}, not switched directly (connectSharedLine), biases CapMem 0..${nominal.capMemValueMax_lsb}`;
    if (
      !Array.isArray(conductance) ||
      !conductance.every((e) => Array.isArray(e) && e.length === 2 && positions.includes(e[0]) && !shared.includes(e[0]) && hxSpecs[CONDUCTANCE]!.check(e[1]).ok) ||
      new Set(conductance.map((e) => e[0])).size !== conductance.length
    ) {
      throw new ParameterError(`${where}: connectConductance must be ${conductanceRule}; got ${describeValue(conductance)}`, { parameter: 'connectConductance', value: conductance });
    }
    const parameters: Record<string, unknown[]> = {};
    for (const [name, value] of Object.entries(options)) {
      if ((COMPARTMENT_OPTIONS as readonly string[]).includes(name)) continue;
      if (MORPHOLOGY_FIELDS.has(name)) {
        throw new ParameterError(`${where}: ${name} is set by the morphology (connectSharedLine, connectConductance, SharedLineConnection), not as a parameter`, { parameter: name, value });
      }
      if (!Object.hasOwn(hxSpecs, name)) {
        throw new ParameterError(`${where} has no option or parameter '${name}'; options: ${COMPARTMENT_OPTIONS.join(', ')}; parameters: the HXNeuron's (${mcParameterNames.slice(0, 4).join(', ')}, …)`, {
          parameter: name,
          value,
        });
      }
      const perCircuit = Array.isArray(value) ? value : positions.map(() => value);
      if (perCircuit.length !== positions.length) throw new ParameterError(`${where}: ${name} has ${perCircuit.length} values for ${positions.length} circuits`, { parameter: name, value });
      parameters[name] = perCircuit.map((v) => checkedScalar(name, v, where));
    }
    if (conductance.length > 0) {
      const given = parameters[CONDUCTANCE] ?? positions.map(() => hxSpecs[CONDUCTANCE]!.default);
      parameters[CONDUCTANCE] = positions.map((p, i) => conductance.find((e) => e[0] === p)?.[1] ?? given[i]);
    }
    this.positions = [...positions];
    this.label = label;
    this.connectSharedLine = [...shared];
    this.connectConductance = conductance.map((e) => [e[0], e[1]] as const);
    this.parameters = parameters;
  }

  get size(): number {
    return this.positions.length;
  }
}

/** A parameter of a multi-compartment neuron: one value for every circuit, or per compartment (one value or one per circuit). */
export type McParameterValue = unknown;

/** Everything a multi-compartment cell type class shares. */
export interface McMorphology {
  readonly name: string;
  /** The compartments as given; compartment c of the logical neuron is `compartments[c]` for c below their count. */
  readonly compartments: readonly PlacedCompartment[];
  /** The shape (every compartment of the logical neuron, bridges included) and the switches. */
  readonly shape: LogicalNeuronCompartments;
  readonly logicalNeuron: LogicalNeuron;
  readonly singleActiveCircuit: boolean;
  /** Per circuit k (compartments in order, positions in order): its compartment and position in it. */
  readonly circuits: readonly { readonly compartment: number; readonly position: number }[];
  /** Per compartment: its circuits k. */
  readonly compartmentCircuits: readonly (readonly number[])[];
}

/** A class made by `createMcNeuron`: `new Cls({ …parameters })`, and PyNN's class method `Cls.getParameterNames()`. */
export type McNeuronClass = (new (parameters?: Readonly<Record<string, unknown>>) => McNeuron) & { getParameterNames(): string[] };

export interface CreateMcNeuronOptions {
  readonly compartments: readonly PlacedCompartment[];
  readonly connections?: readonly SharedLineConnection[];
  readonly singleActiveCircuit?: boolean;
}

/** The value of `name` on circuit k of a neuron whose (checked) value is `value`. */
export function circuitValue(morphology: McMorphology, name: string, value: unknown, k: number): unknown {
  if (!Array.isArray(value)) return value;
  const { compartment, position } = morphology.circuits[k]!;
  if (compartment >= value.length) return hxSpecs[name]!.default;
  const entry: unknown = value[compartment];
  return Array.isArray(entry) ? entry[position] : entry;
}

/** Whether the morphology sets `name` on circuit k (its compartment's parameters, a passive circuit): such values override a calibration. */
export function morphologySets(morphology: McMorphology, name: string, k: number): boolean {
  const { compartment, position } = morphology.circuits[k]!;
  const c = morphology.compartments[compartment];
  if (c === undefined) return false;
  if (morphology.singleActiveCircuit && position > 0 && Object.hasOwn(PASSIVE_CIRCUIT, name)) return true;
  return Object.hasOwn(c.parameters, name);
}

function mcSpec(name: string, morphology: Omit<McMorphology, 'name'>, defaultValue: unknown): ParameterSpec {
  const counts = morphology.compartments.map((c) => c.size);
  const rule = `one value for every circuit, or a list of ${counts.length} compartment values (each one value or one per circuit: ${counts.join(', ')})`;
  return {
    default: defaultValue,
    unit: hxSpecs[name]!.unit,
    check(value) {
      const scalar = (v: unknown) => hxSpecs[name]!.check(v);
      if (!Array.isArray(value)) return scalar(value);
      if (value.length !== counts.length) return { ok: false, rule };
      const out: unknown[] = [];
      for (let c = 0; c < counts.length; c++) {
        const entry: unknown = value[c];
        const list = Array.isArray(entry) ? entry : undefined;
        if (list !== undefined && list.length !== counts[c]) return { ok: false, rule };
        const checked = (list ?? [entry]).map(scalar);
        const bad = checked.find((x) => !x.ok);
        if (bad !== undefined && !bad.ok) return { ok: false, rule: `${rule}; compartment ${c}: ${bad.rule}` };
        const values = checked.map((x) => (x.ok ? x.value : undefined));
        out.push(list === undefined ? values[0] : values);
      }
      return { ok: true, value: out };
    },
  };
}

/** The class defaults: per compartment and circuit, its compartment's parameters over the HXNeuron's defaults, passive circuits last. */
function defaultsOf(name: string, morphology: Omit<McMorphology, 'name'>): unknown {
  const fallback = hxSpecs[name]!.default;
  const passive = morphology.singleActiveCircuit && Object.hasOwn(PASSIVE_CIRCUIT, name);
  const perCircuit = morphology.compartments.map((c) => c.positions.map((_, j) => (passive && j > 0 ? PASSIVE_CIRCUIT[name] : (c.parameters[name]?.[j] ?? fallback))));
  return perCircuit.every((list) => list.every((v) => v === fallback)) ? fallback : perCircuit;
}

/**
 * A multi-compartment neuron type: HXNeuron parameters per circuit (`mcParameterNames`), a value for all circuits
 * or a list per compartment (arrays never list neurons: give different neurons different populations).
 */
export abstract class McNeuron extends CellType {
  readonly morphology: McMorphology;

  protected constructor(morphology: McMorphology, specs: Readonly<Record<string, ParameterSpec>>, parameters: Readonly<Record<string, unknown>>) {
    super({ kind: 'mc', modelName: morphology.name, recordables: ['spikes', 'v', 'exc_synin', 'inh_synin', 'adaptation'], specs }, parameters);
    this.morphology = morphology;
  }

  override get circuitsPerNeuron(): number {
    return this.morphology.circuits.length;
  }

  override isPerNeuron(): boolean {
    return false;
  }

  /** The labels of the compartments, in order (the reference's `get_labels`). */
  getLabels(): string[] {
    return this.morphology.compartments.map((c) => c.label);
  }

  /**
   * The compartment labelled `label`; an unknown or ambiguous label is an error of `ErrorClass` naming the
   * labels (the reference: ValueError).
   */
  compartmentOf(label: unknown, where: string, ErrorClass: new (message: string, details?: PyNNErrorDetails) => Error = ParameterError, details: PyNNErrorDetails = {}): number {
    const labels = this.getLabels();
    const matches = labels.flatMap((l, c) => (l === label ? [c] : []));
    if (matches.length === 1) return matches[0]!;
    const what = matches.length === 0 ? 'no compartment is labelled' : `${matches.length} compartments are labelled`;
    throw new ErrorClass(`${where}: ${what} ${describeValue(label)} in ${this.modelName}; labels: ${labels.map((l) => describeValue(l)).join(', ')}`, { ...details, value: label });
  }
}

/**
 * The reference's `create_mc_neuron(name, compartments, connections, single_active_circuit)`: checks the
 * morphology (lola `Morphology`, hardware.md §4) and returns a cell type class for `new Population(n, new Cls({…}))`.
 */
export function createMcNeuron(name: string, options: CreateMcNeuronOptions): McNeuronClass {
  if (typeof name !== 'string' || name.length === 0) throw new ParameterError(`createMcNeuron takes a non-empty name, got ${describeValue(name)}`, { value: name });
  checkOptions(options, `createMcNeuron('${name}')`, ['compartments', 'connections', 'singleActiveCircuit'], { Unknown: ParameterError, NotSupported: NotSupportedError });
  const { compartments, connections = [], singleActiveCircuit = false } = options ?? ({} as never);
  if (!Array.isArray(compartments) || compartments.length === 0 || !compartments.every((c) => c instanceof PlacedCompartment)) {
    throw new ParameterError(`createMcNeuron('${name}'): compartments must be a non-empty list of PlacedCompartment, got ${describeValue(compartments)}`, { parameter: 'compartments', value: compartments });
  }
  if (!Array.isArray(connections) || !connections.every((c) => c instanceof SharedLineConnection)) {
    throw new ParameterError(`createMcNeuron('${name}'): connections must be a list of SharedLineConnection, got ${describeValue(connections)}`, { parameter: 'connections', value: connections });
  }
  if (typeof singleActiveCircuit !== 'boolean') throw new ParameterError(`createMcNeuron('${name}'): singleActiveCircuit must be a boolean`, { parameter: 'singleActiveCircuit', value: singleActiveCircuit });
  let built: { compartments: LogicalNeuronCompartments; neuron: LogicalNeuron };
  try {
    const morphology = new Morphology();
    for (const c of compartments) {
      morphology.createCompartment(c.positions.map((p) => new AtomicNeuronOnLogicalNeuron(p)));
      for (const p of c.connectSharedLine) morphology.connectToSoma(new AtomicNeuronOnLogicalNeuron(p));
      for (const [p] of c.connectConductance) morphology.connectResistorToSoma(new AtomicNeuronOnLogicalNeuron(p));
    }
    for (const line of connections) morphology.connectSomaLine(new NeuronColumnOnLogicalNeuron(line.start), new NeuronColumnOnLogicalNeuron(line.stop), new NeuronRowOnLogicalNeuron(line.row));
    built = morphology.done();
  } catch (error) {
    if (!(error instanceof MorphologyError)) throw error;
    throw new ParameterError(`createMcNeuron('${name}'): the morphology is invalid: ${error.message}`, { value: error.rule });
  }
  const shapeCompartments = built.compartments.toArray();
  const circuits = shapeCompartments.flatMap((members, compartment) => members.map((_, position) => ({ compartment, position })));
  let k = 0;
  const compartmentCircuits = shapeCompartments.map((members) => members.map(() => k++));
  const partial = { compartments, shape: built.compartments, logicalNeuron: built.neuron, singleActiveCircuit, circuits, compartmentCircuits };
  const specs = Object.fromEntries(mcParameterNames.map((n) => [n, mcSpec(n, partial, defaultsOf(n, partial))]));
  const morphology: McMorphology = Object.freeze({ name, ...partial });
  const cls = class extends McNeuron {
    constructor(parameters: Readonly<Record<string, unknown>> = {}) {
      super(morphology, specs, parameters);
    }
  };
  Object.defineProperty(cls, 'name', { value: name });
  return cls;
}
