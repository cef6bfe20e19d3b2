import { AtomicNeuronOnDLS, CapMemRowOnCapMemBlock, type Coordinate } from '@bss2/halco';
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
  rejectUnknownProperties,
} from './atomic-neuron-groups.js';
import { CapMemCell, capMemDisableRefresh, capMemValueMax } from './capmem.js';
import { Container, concatWords, expectJSONType, expectWordCount, registerContainer, rejectUnknownKeys } from './container.js';
import { ContainerDecodeError, FieldRangeError } from './errors.js';
import { NeuronBackendConfig } from './neuron-backend.js';
import { NeuronConfig } from './neuron-config.js';

type Row = CapMemRowOnCapMemBlock;
const R = CapMemRowOnCapMemBlock;

/**
 * The 24 CapMem cells of a neuron (hardware.md §2.6), in row order: which AtomicNeuron field each row holds.
 * The cell is at block = quadrant, column = `col % 128`, this row (halco `AtomicNeuronOnDLS.toCapMemCellOnDLS`).
 */
export const atomicNeuronCapMemRows: ReadonlyArray<readonly [row: Row, group: AtomicNeuronGroupName, field: string]> = [
  [R.vLeak, 'leak', 'vLeak'],
  [R.vReset, 'reset', 'vReset'],
  [R.vThreshold, 'threshold', 'vThreshold'],
  [R.eSyninExcRev, 'excitatoryInput', 'vRevCoba'],
  [R.eSyninInhRev, 'inhibitoryInput', 'vRevCoba'],
  [R.vAdaptLeak, 'adaptation', 'vLeak'],
  [R.vExp, 'exponential', 'vExp'],
  [R.vAdaptRef, 'adaptation', 'vRef'],
  [R.iBiasLeak, 'leak', 'iBias'],
  [R.iBiasReset, 'reset', 'iBias'],
  [R.iBiasSyninExcTau, 'excitatoryInput', 'iBiasTau'],
  [R.iBiasSyninExcCoba, 'excitatoryInput', 'iBiasCoba'],
  [R.iBiasSyninExcShift, 'excitatoryInput', 'iShiftReference'],
  [R.iBiasSyninExcGm, 'excitatoryInput', 'iBiasGm'],
  [R.iBiasSyninInhTau, 'inhibitoryInput', 'iBiasTau'],
  [R.iBiasSyninInhCoba, 'inhibitoryInput', 'iBiasCoba'],
  [R.iBiasSyninInhShift, 'inhibitoryInput', 'iShiftReference'],
  [R.iBiasSyninInhGm, 'inhibitoryInput', 'iBiasGm'],
  [R.iBiasAdaptTau, 'adaptation', 'iBiasTau'],
  [R.iBiasAdaptA, 'adaptation', 'iBiasA'],
  [R.iBiasAdaptB, 'adaptation', 'iBiasB'],
  [R.iBiasExp, 'exponential', 'iBias'],
  [R.iMemOffset, 'constantCurrent', 'iOffset'],
  [R.iBiasNmda, 'multicompartment', 'iBiasNmda'],
];

type LeafField<C> = C extends { values(): infer V } ? keyof V & string : never;

/** NeuronConfig fields that equal one AtomicNeuron field (§3.2 "Backed by"); the rest is converted below. */
const neuronConfigFields: ReadonlyArray<readonly [LeafField<NeuronConfig>, AtomicNeuronGroupName, string]> = [
  ['enResetDeg', 'reset', 'enableDegeneration'],
  ['enResetDiv', 'reset', 'enableDivision'],
  ['enResetMul', 'reset', 'enableMultiplication'],
  ['enLeakDeg', 'leak', 'enableDegeneration'],
  ['enLeakDiv', 'leak', 'enableDivision'],
  ['enLeakMul', 'leak', 'enableMultiplication'],
  ['enSyninCobaInh', 'inhibitoryInput', 'enableCobaMode'],
  ['enSyninCobaExc', 'excitatoryInput', 'enableCobaMode'],
  ['enUnbufAccess', 'readout', 'enableUnbufferedAccess'],
  ['enReadoutAmp', 'readout', 'enableAmplifier'],
  ['readoutSelect', 'readout', 'source'],
  ['enReadout', 'readout', 'enableBufferedAccess'],
  ['invertAdaptB', 'adaptation', 'invertB'],
  ['invertAdaptA', 'adaptation', 'invertA'],
  ['enAdapt', 'adaptation', 'enable'],
  ['enExp', 'exponential', 'enable'],
  ['enSyninInhSmallCap', 'inhibitoryInput', 'enableSmallCapacitance'],
  ['enSyninExcSmallCap', 'excitatoryInput', 'enableSmallCapacitance'],
  ['enSyninInhHighRes', 'inhibitoryInput', 'enableHighResistance'],
  ['enSyninExcHighRes', 'excitatoryInput', 'enableHighResistance'],
  ['enMemOff', 'constantCurrent', 'enable'],
  ['memCapSize', 'membraneCapacitance', 'capacitance'],
  ['enThreshComp', 'threshold', 'enable'],
  ['enSyninInh', 'inhibitoryInput', 'enable'],
  ['enSyninExc', 'excitatoryInput', 'enable'],
  ['enBypInh', 'eventRouting', 'enableBypassInhibitory'],
  ['enBypExc', 'eventRouting', 'enableBypassExcitatory'],
  ['connectSomata', 'multicompartment', 'connectSomaRight'],
  ['connectBottom', 'multicompartment', 'connectVertical'],
  ['enCompCond', 'multicompartment', 'enableConductance'],
  ['connectMembraneRight', 'multicompartment', 'connectRight'],
  ['connectSoma', 'multicompartment', 'connectSoma'],
  ['enCompCondMul', 'multicompartment', 'enableConductanceMultiplication'],
  ['enCompCondDiv', 'multicompartment', 'enableConductanceDivision'],
  ['enPause', 'refractoryPeriod', 'enablePause'],
];

/** NeuronBackendConfig fields that equal one AtomicNeuron field; en_0/en_1 are converted below. */
const backendFields: ReadonlyArray<readonly [LeafField<NeuronBackendConfig>, AtomicNeuronGroupName, string]> = [
  ['addressOut', 'eventRouting', 'address'],
  ['resetHoldoff', 'refractoryPeriod', 'resetHoldoff'],
  ['refractoryTime', 'refractoryPeriod', 'refractoryTime'],
  ['postOverwrite', 'eventRouting', 'enablePostOverwrite'],
  ['selectInputClock', 'refractoryPeriod', 'inputClock'],
  ['enAdaptPulse', 'adaptation', 'enablePulse'],
  ['enBayesianExtension', 'bayesian', 'toPostPulse'],
  ['enNeuronSlave', 'bayesian', 'enableSlave'],
  ['enNeuronMaster', 'bayesian', 'enableMaster'],
  ['connectFireBottom', 'bayesian', 'connectFireVertical'],
  ['connectFireFromRight', 'bayesian', 'connectFireFromRight'],
  ['connectFireToRight', 'bayesian', 'connectFireToRight'],
  ['enSpikeOut', 'eventRouting', 'enableDigital'],
];

// (en_fire, en_strong_fire) per analog output mode and (en_0, en_1) per Bayesian operation, index-aligned
// with analogOutputModes / bayesianOperations (§3.2).
const fireBits: ReadonlyArray<readonly [boolean, boolean]> = [[false, false], [true, false], [true, true]];
const bayesianBits: ReadonlyArray<readonly [boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];

function indexOfPair(pairs: ReadonlyArray<readonly [boolean, boolean]>, a: boolean, b: boolean): number {
  return pairs.findIndex(([x, y]) => x === a && y === b);
}

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
const capMemRowCount = atomicNeuronCapMemRows.length;

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
  static readonly wordCount = NeuronConfig.wordCount + NeuronBackendConfig.wordCount + capMemRowCount;
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

  /** Group storage; the public group properties are validating accessors over it. */
  private readonly groups = {} as Record<AtomicNeuronGroupName, GroupRecord<never> & Record<string, unknown>>;

  constructor(init: AtomicNeuronInit = {}) {
    super();
    rejectUnknownKeys('AtomicNeuron', init, groupNames);
    for (const name of groupNames) {
      const given = (init as Record<string, unknown>)[name];
      this.groups[name] = ownGroup(name, given === undefined ? {} : given);
    }
    return rejectUnknownProperties(this, 'AtomicNeuron', groupNames);
  }

  static addresses(coord: AtomicNeuronOnDLS): readonly number[] {
    return [
      ...NeuronConfig.addresses(coord.toNeuronConfigOnDLS()),
      ...NeuronBackendConfig.addresses(coord.toNeuronBackendConfigOnDLS()),
      ...atomicNeuronCapMemRows.flatMap(([row]) => CapMemCell.addresses(coord.toCapMemCellOnDLS(row))),
    ];
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
    const init: Record<string, unknown> = {};
    for (const [leafField, group, field] of neuronConfigFields) init[leafField] = this.groups[group][field];
    const [enFire, enStrongFire] = fireBits[analogOutputModes.indexOf(this.eventRouting.analogOutput)]!;
    return new NeuronConfig({ ...init, enFire, enStrongFire, invertCurrent: this.constantCurrent.type === 'sink' });
  }

  /** The NeuronBackendConfig leaf. */
  toNeuronBackendConfig(): NeuronBackendConfig {
    const init: Record<string, unknown> = {};
    for (const [leafField, group, field] of backendFields) init[leafField] = this.groups[group][field];
    const [en0Bayesian, en1Bayesian] = bayesianBits[bayesianOperations.indexOf(this.bayesian.operation)]!;
    return new NeuronBackendConfig({ ...init, en0Bayesian, en1Bayesian });
  }

  /** The 24 CapMem cells in row order (§2.6). */
  toCapMemCells(): CapMemCell[] {
    return atomicNeuronCapMemRows.map(([, group, field]) => new CapMemCell({ value: this.groups[group][field] as number }));
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
    return concatWords([this.toNeuronConfig().encode(), this.toNeuronBackendConfig().encode(), ...this.toCapMemCells().map((c) => c.encode())]);
  }

  toJSON(): { type: string } & Record<string, unknown> {
    const out: { type: string } & Record<string, unknown> = { type: AtomicNeuron.typeName };
    for (const name of groupNames) out[name] = this.groups[name].values();
    return out;
  }

  /** A deep copy. */
  clone(): AtomicNeuron {
    return AtomicNeuron.fromJSON(this.toJSON());
  }
}

/** A fresh group owned by one neuron (never shared), validated and named `AtomicNeuron.<group>`. */
function ownGroup(name: AtomicNeuronGroupName, value: unknown): GroupRecord<never> & Record<string, unknown> {
  const Group = atomicNeuronGroups[name];
  const path = `AtomicNeuron.${name}`;
  if (value instanceof Group) return new Group(value.values(), path) as never;
  const prototype: unknown = value !== null && typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (prototype !== Object.prototype && prototype !== null) {
    throw new FieldRangeError(path, value, `an ${Group.name} or a plain object of its fields`);
  }
  return new Group(value as never, path) as never;
}

for (const name of groupNames) {
  Object.defineProperty(AtomicNeuron.prototype, name, {
    enumerable: true,
    get(this: AtomicNeuron) {
      return (this as unknown as { groups: Record<string, unknown> }).groups[name];
    },
    set(this: AtomicNeuron, value: unknown) {
      (this as unknown as { groups: Record<string, unknown> }).groups[name] = ownGroup(name, value);
    },
  });
}

registerContainer(AtomicNeuron);
