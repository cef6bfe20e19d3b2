import { AtomicNeuronOnDLS, type Coordinate } from '@bss2/halco';
import {
  type AtomicNeuronGroupName,
  AtomicNeuronAdaptation,
  AtomicNeuronBayesian,
  AtomicNeuronConstantCurrent,
  AtomicNeuronEventRouting,
  AtomicNeuronExponential,
  AtomicNeuronLeak,
  AtomicNeuronMembraneCapacitance,
  AtomicNeuronMulticompartment,
  AtomicNeuronReadout,
  AtomicNeuronRefractoryPeriod,
  AtomicNeuronReset,
  AtomicNeuronSynapticInput,
  AtomicNeuronThreshold,
  type GroupRecord,
  analogOutputModes,
  atomicNeuronGroups,
  bayesianOperations,
} from './atomic-neuron-groups.js';
import { CapMemCell, capMemDisableRefresh, capMemValueMax } from './capmem.js';
import { Container, expectJSONType, expectWordCount, registerContainer, rejectUnknownKeys } from './container.js';
import { ContainerDecodeError, FieldRangeError } from './errors.js';
import { NeuronBackendConfig } from './neuron-backend.js';
import { NeuronConfig } from './neuron-config.js';
import {
  type GroupState,
  atomicNeuronCapMemRows,
  backendFields,
  bayesianBits,
  capMemCellsOf,
  encodeLeaves,
  fireBits,
  indexOfPair,
  leafWordCount,
  neuronBackendConfigOf,
  neuronConfigFields,
  neuronConfigOf,
} from './atomic-neuron-leaves.js';
import { guardUnknownProperties, recordOf, recordState, stateCheckerOf } from './validated-record.js';

export { atomicNeuronCapMemRows } from './atomic-neuron-leaves.js';

/** Constructor input: per group either a group instance or a partial plain object (missing fields: defaults). */
export type AtomicNeuronInit = {
  [K in AtomicNeuronGroupName]?: Partial<ReturnType<InstanceType<(typeof atomicNeuronGroups)[K]>['values']>>;
};

/** The leaves of one AtomicNeuron. */
export interface AtomicNeuronLeaves {
  neuronConfig: NeuronConfig;
  neuronBackendConfig: NeuronBackendConfig;
  /** The 24 per-neuron cells in row order (§2.6). */
  capMemCells: readonly CapMemCell[];
}

const groupNames = Object.keys(atomicNeuronGroups) as AtomicNeuronGroupName[];
const knownGroups: ReadonlySet<string> = new Set(groupNames);
const capMemRowCount = atomicNeuronCapMemRows.length;

type Group = GroupRecord<never> & Record<string, unknown>;
type GroupType = new (init?: object, path?: string) => Group;

// The groups by index (declaration order of atomicNeuronGroups).
const groupTypes = groupNames.map((name) => atomicNeuronGroups[name] as unknown as GroupType);
const groupPaths = groupNames.map((name) => `AtomicNeuron.${name}`);
const groupCheckers = groupTypes.map(stateCheckerOf);
const groupDefaults: readonly GroupState[] = groupCheckers.map((check, i) => check({}, groupPaths[i]!));

/** Whether two neurons' groups hold identical values. */
function sameStates(a: readonly GroupState[], b: readonly GroupState[]): boolean {
  for (let g = 0; g < a.length; g++) {
    const x = a[g]!;
    const y = b[g]!;
    for (let f = 0; f < x.length; f++) if (x[f] !== y[f]) return false;
  }
  return true;
}

/**
 * Everything one neuron circuit is configured by (hardware.md §3.2), grouped as the datasheet table: one
 * NeuronConfig, one NeuronBackendConfig and the neuron's 24 CapMem cells. Groups are validated records; a bad
 * value throws a FieldRangeError naming e.g. `AtomicNeuron.leak.vLeak`.
 *
 * The conversion to leaves is a bijection between valid AtomicNeurons and leaf contents in which no CapMem
 * cell holds `disableRefresh` and `enStrongFire` is not set without `enFire`; `fromLeaves` rejects the rest
 * with a ContainerDecodeError. Words: NeuronConfig (6) ++ NeuronBackendConfig (4) ++ 24 CapMem cells (row order).
 */
export class AtomicNeuron extends Container {
  static readonly typeName = 'AtomicNeuron';
  static readonly coordinateType = AtomicNeuronOnDLS;
  static readonly wordCount = leafWordCount;
  static readonly readable = true;
  static readonly writable = true;

  static readonly SynapticInput = AtomicNeuronSynapticInput;
  static readonly Leak = AtomicNeuronLeak;
  static readonly Reset = AtomicNeuronReset;
  static readonly Threshold = AtomicNeuronThreshold;
  static readonly Multicompartment = AtomicNeuronMulticompartment;
  static readonly ConstantCurrent = AtomicNeuronConstantCurrent;
  static readonly MembraneCapacitance = AtomicNeuronMembraneCapacitance;
  static readonly Adaptation = AtomicNeuronAdaptation;
  static readonly Exponential = AtomicNeuronExponential;
  static readonly EventRouting = AtomicNeuronEventRouting;
  static readonly Readout = AtomicNeuronReadout;
  static readonly RefractoryPeriod = AtomicNeuronRefractoryPeriod;
  static readonly Bayesian = AtomicNeuronBayesian;

  declare excitatoryInput: AtomicNeuronSynapticInput;
  declare inhibitoryInput: AtomicNeuronSynapticInput;
  declare leak: AtomicNeuronLeak;
  declare reset: AtomicNeuronReset;
  declare threshold: AtomicNeuronThreshold;
  declare multicompartment: AtomicNeuronMulticompartment;
  declare constantCurrent: AtomicNeuronConstantCurrent;
  declare membraneCapacitance: AtomicNeuronMembraneCapacitance;
  declare adaptation: AtomicNeuronAdaptation;
  declare exponential: AtomicNeuronExponential;
  declare eventRouting: AtomicNeuronEventRouting;
  declare readout: AtomicNeuronReadout;
  declare refractoryPeriod: AtomicNeuronRefractoryPeriod;
  declare bayesian: AtomicNeuronBayesian;

  /** Field values per group (declaration order of atomicNeuronGroups), each owned by this neuron. */
  private readonly states: GroupState[];
  /**
   * The group records handed out by the group properties, each made on first access over its `states` entry: most
   * neurons are built, converted and compared without a group being read.
   */
  readonly #records: (Group | undefined)[] = new Array<Group | undefined>(groupNames.length).fill(undefined);

  constructor(init: AtomicNeuronInit = {}) {
    super();
    rejectUnknownKeys('AtomicNeuron', init, groupNames, knownGroups);
    const states = new Array<GroupState>(groupNames.length);
    for (let i = 0; i < groupNames.length; i++) {
      const given = (init as Record<string, unknown>)[groupNames[i]!];
      states[i] = given === undefined ? groupDefaults[i]!.slice() : ownState(i, given);
    }
    this.states = states;
  }

  static addresses(coord: AtomicNeuronOnDLS): readonly number[] {
    const out = [...NeuronConfig.addresses(coord.toNeuronConfigOnDLS()), ...NeuronBackendConfig.addresses(coord.toNeuronBackendConfigOnDLS())];
    for (const [row] of atomicNeuronCapMemRows) for (const address of CapMemCell.addresses(coord.toCapMemCellOnDLS(row))) out.push(address);
    return out;
  }

  static defaults(): AtomicNeuron {
    return new AtomicNeuron();
  }

  static decode(words: Uint32Array): AtomicNeuron {
    expectWordCount(AtomicNeuron.typeName, words, AtomicNeuron.wordCount);
    const configEnd = NeuronConfig.wordCount;
    const backendEnd = configEnd + NeuronBackendConfig.wordCount;
    return AtomicNeuron.fromLeaves({
      neuronConfig: NeuronConfig.decode(words.subarray(0, configEnd)),
      neuronBackendConfig: NeuronBackendConfig.decode(words.subarray(configEnd, backendEnd)),
      capMemCells: Array.from({ length: capMemRowCount }, (_, i) => CapMemCell.decode(words.subarray(backendEnd + i, backendEnd + i + 1))),
    });
  }

  static fromJSON(json: unknown): AtomicNeuron {
    const { type: _type, ...init } = expectJSONType(json, AtomicNeuron.typeName);
    return new AtomicNeuron(init as AtomicNeuronInit);
  }

  /** Inverse of `toLeaves`/`toNeuronConfig`…; rejects leaf contents no AtomicNeuron has (see class doc). */
  static fromLeaves(leaves: AtomicNeuronLeaves): AtomicNeuron {
    const { neuronConfig, neuronBackendConfig, capMemCells } = leaves;
    if (capMemCells.length !== capMemRowCount) {
      throw new ContainerDecodeError(AtomicNeuron.typeName, `expected ${capMemRowCount} CapMem cells, got ${capMemCells.length}`);
    }
    const init: Record<string, Record<string, unknown>> = Object.fromEntries(groupNames.map((name) => [name, {}]));
    const config = neuronConfig.values() as Record<string, unknown>;
    const backend = neuronBackendConfig.values() as Record<string, unknown>;
    for (const [leafField, group, field] of neuronConfigFields) init[group]![field] = config[leafField];
    for (const [leafField, group, field] of backendFields) init[group]![field] = backend[leafField];

    const output = indexOfPair(fireBits, neuronConfig.enFire, neuronConfig.enStrongFire);
    if (output < 0) {
      throw new ContainerDecodeError(AtomicNeuron.typeName, 'NeuronConfig sets enStrongFire without enFire; no eventRouting.analogOutput has that');
    }
    init.eventRouting!.analogOutput = analogOutputModes[output];
    init.constantCurrent!.type = neuronConfig.invertCurrent ? 'sink' : 'source';
    init.bayesian!.operation = bayesianOperations[indexOfPair(bayesianBits, neuronBackendConfig.en0Bayesian, neuronBackendConfig.en1Bayesian)];

    atomicNeuronCapMemRows.forEach(([row, group, field], i) => {
      const value = capMemCells[i]!.value;
      if (value === capMemDisableRefresh) {
        throw new ContainerDecodeError(
          AtomicNeuron.typeName,
          `CapMem row ${row.value} (${row.perNeuronName}) is disableRefresh; AtomicNeuron.${group}.${field} holds 0..${capMemValueMax} only`,
          NeuronConfig.wordCount + NeuronBackendConfig.wordCount + i,
        );
      }
      init[group]![field] = value;
    });
    return new AtomicNeuron(init as AtomicNeuronInit);
  }

  /** The NeuronConfig leaf. */
  toNeuronConfig(): NeuronConfig {
    return neuronConfigOf(this.states);
  }

  /** The NeuronBackendConfig leaf. */
  toNeuronBackendConfig(): NeuronBackendConfig {
    return neuronBackendConfigOf(this.states);
  }

  /** The 24 CapMem cells in row order (§2.6). */
  toCapMemCells(): CapMemCell[] {
    return capMemCellsOf(this.states);
  }

  /** All leaves, for `fromLeaves`. */
  leaves(): AtomicNeuronLeaves {
    return { neuronConfig: this.toNeuronConfig(), neuronBackendConfig: this.toNeuronBackendConfig(), capMemCells: this.toCapMemCells() };
  }

  /**
   * The (coordinate, leaf) pairs of this neuron at `coord`, in the order of `addresses(coord)`: for the
   * simulator and for differential writes.
   */
  toLeaves(coord: AtomicNeuronOnDLS): Array<readonly [Coordinate, Container]> {
    const cells = this.toCapMemCells();
    return [
      [coord.toNeuronConfigOnDLS(), this.toNeuronConfig()],
      [coord.toNeuronBackendConfigOnDLS(), this.toNeuronBackendConfig()],
      ...atomicNeuronCapMemRows.map(([row], i) => [coord.toCapMemCellOnDLS(row), cells[i]!] as const),
    ];
  }

  encode(): Uint32Array {
    const words = new Uint32Array(AtomicNeuron.wordCount);
    encodeLeaves(this.states, words);
    return words;
  }

  /**
   * Same type holding the same words. The words are a bijection of the group values (class doc; the round trip
   * through `encode` and `decode` is a property test), so they agree exactly when every group value does.
   */
  override equals(other: unknown): boolean {
    if (this.encode !== AtomicNeuron.prototype.encode) return super.equals(other);
    if (!(other instanceof AtomicNeuron) || other.constructor !== this.constructor) return false;
    return sameStates(this.states, other.states);
  }

  toJSON(): { type: string } & Record<string, unknown> {
    const out: { type: string } & Record<string, unknown> = { type: AtomicNeuron.typeName };
    for (let i = 0; i < groupNames.length; i++) out[groupNames[i]!] = (this as unknown as Record<string, Group>)[groupNames[i]!]!.values();
    return out;
  }

  /** A deep copy. */
  clone(): AtomicNeuron {
    const copy = new AtomicNeuron();
    for (let i = 0; i < groupNames.length; i++) copy.states[i] = this.states[i]!.slice();
    return copy;
  }

  static {
    groupNames.forEach((name, i) => {
      Object.defineProperty(AtomicNeuron.prototype, name, {
        enumerable: true,
        get(this: AtomicNeuron) {
          return (this.#records[i] ??= recordOf(groupTypes[i]!, this.states[i]!, groupPaths[i]!));
        },
        set(this: AtomicNeuron, value: unknown) {
          this.states[i] = ownState(i, value);
          this.#records[i] = undefined;
        },
      });
    });
  }
}

/** The values of a group given to a neuron, copied (never shared) and checked as `AtomicNeuron.<group>`. */
function ownState(index: number, value: unknown): GroupState {
  const Type = groupTypes[index]!;
  const path = groupPaths[index]!;
  if (value instanceof Type) {
    // A record of exactly this class holds checked values already.
    return value.constructor === Type ? recordState(value).slice() : groupCheckers[index]!(value.values(), path);
  }
  const prototype: unknown = value !== null && typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (prototype !== Object.prototype && prototype !== null) {
    throw new FieldRangeError(path, value, `an ${Type.name} or a plain object of its fields`);
  }
  return groupCheckers[index]!(value, path);
}

guardUnknownProperties(AtomicNeuron.prototype, () => 'AtomicNeuron', groupNames);

registerContainer(AtomicNeuron);
