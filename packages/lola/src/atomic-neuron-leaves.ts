// How the groups of an AtomicNeuron map onto its leaves (hardware.md §3.2): the tables of the datasheet, and the
// conversions and encoder built on them, reading the groups' values as flat arrays (`GroupState`).
import { CapMemRowOnCapMemBlock } from '@bss2/halco';
import { type AtomicNeuronGroupName, analogOutputModes, atomicNeuronGroups, bayesianOperations } from './atomic-neuron-groups.js';
import { CapMemCell } from './capmem.js';
import { NeuronBackendConfig } from './neuron-backend.js';
import { NeuronConfig } from './neuron-config.js';
import { FieldEncoder, createRegister, layoutOf } from './register-layout.js';

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
export const neuronConfigFields: ReadonlyArray<readonly [LeafField<NeuronConfig>, AtomicNeuronGroupName, string]> = [
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
export const backendFields: ReadonlyArray<readonly [LeafField<NeuronBackendConfig>, AtomicNeuronGroupName, string]> = [
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
export const fireBits: ReadonlyArray<readonly [boolean, boolean]> = [[false, false], [true, false], [true, true]];
export const bayesianBits: ReadonlyArray<readonly [boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];

export function indexOfPair(pairs: ReadonlyArray<readonly [boolean, boolean]>, a: boolean, b: boolean): number {
  return pairs.findIndex(([x, y]) => x === a && y === b);
}

/** The field values of one group in declaration order (the storage of its record). */
export type GroupState = unknown[];

const groupNames = Object.keys(atomicNeuronGroups) as AtomicNeuronGroupName[];
const capMemRowCount = atomicNeuronCapMemRows.length;
const groupIndex = (name: AtomicNeuronGroupName) => groupNames.indexOf(name);
const fieldIndex = (group: AtomicNeuronGroupName, field: string) => Object.keys(atomicNeuronGroups[group].fields).indexOf(field);

const configLayout = layoutOf(NeuronConfig);
const backendLayout = layoutOf(NeuronBackendConfig);
const capMemLayout = layoutOf(CapMemCell);
const cellsOffset = NeuronConfig.wordCount + NeuronBackendConfig.wordCount;
/** Words of an AtomicNeuron: its leaves' words, in this order. */
export const leafWordCount = cellsOffset + capMemRowCount;

/**
 * The fields of the leaves in word order (NeuronConfig, NeuronBackendConfig, the CapMem cells in row order),
 * checked and encoded as one. Its values: those of each leaf in declaration order, one leaf after another.
 */
const leafEncoder = new FieldEncoder([
  [configLayout, 0],
  [backendLayout, NeuronConfig.wordCount],
  ...atomicNeuronCapMemRows.map((_, row) => [capMemLayout, cellsOffset + row] as const),
]);
const backendStart = configLayout.fields.length;
const cellsStart = backendStart + backendLayout.fields.length;

/** Per value of `leafEncoder`: the group and group field it copies; -1 for the fields converted in code. */
const sourceGroup = new Int8Array(leafEncoder.fields.length).fill(-1);
const sourceField = new Int8Array(leafEncoder.fields.length).fill(-1);
for (const [leafField, g, f] of neuronConfigFields) {
  sourceGroup[configLayout.indexOf(leafField)] = groupIndex(g);
  sourceField[configLayout.indexOf(leafField)] = fieldIndex(g, f);
}
for (const [leafField, g, f] of backendFields) {
  sourceGroup[backendStart + backendLayout.indexOf(leafField)] = groupIndex(g);
  sourceField[backendStart + backendLayout.indexOf(leafField)] = fieldIndex(g, f);
}
atomicNeuronCapMemRows.forEach(([, g, f], row) => {
  sourceGroup[cellsStart + row] = groupIndex(g);
  sourceField[cellsStart + row] = fieldIndex(g, f);
});
const enFireIndex = configLayout.indexOf('enFire');
const enStrongFireIndex = configLayout.indexOf('enStrongFire');
const invertCurrentIndex = configLayout.indexOf('invertCurrent');
const en0BayesianIndex = backendLayout.indexOf('en0Bayesian');
const en1BayesianIndex = backendLayout.indexOf('en1Bayesian');
const eventRoutingIndex = groupIndex('eventRouting');
const analogOutputIndex = fieldIndex('eventRouting', 'analogOutput');
const constantCurrentIndex = groupIndex('constantCurrent');
const currentTypeIndex = fieldIndex('constantCurrent', 'type');
const bayesianIndex = groupIndex('bayesian');
const operationIndex = fieldIndex('bayesian', 'operation');

/** Copies the group values behind encoder values `from..from + count` to `values[at..]`. */
function copyFields(groups: readonly GroupState[], values: unknown[], at: number, from: number, count: number): void {
  for (let j = 0; j < count; j++) {
    const g = sourceGroup[from + j]!;
    if (g >= 0) values[at + j] = groups[g]![sourceField[from + j]!];
  }
}

/** The NeuronConfig field values (declaration order) of a neuron's groups, written to `values[at..]`. */
function configValues(groups: readonly GroupState[], values: unknown[], at: number): unknown[] {
  copyFields(groups, values, at, 0, backendStart);
  const [enFire, enStrongFire] = fireBits[analogOutputModes.indexOf(groups[eventRoutingIndex]![analogOutputIndex] as never)]!;
  values[at + enFireIndex] = enFire;
  values[at + enStrongFireIndex] = enStrongFire;
  values[at + invertCurrentIndex] = groups[constantCurrentIndex]![currentTypeIndex] === 'sink';
  return values;
}

/** The NeuronBackendConfig field values (declaration order) of a neuron's groups, written to `values[at..]`. */
function backendValues(groups: readonly GroupState[], values: unknown[], at: number): unknown[] {
  copyFields(groups, values, at, backendStart, cellsStart - backendStart);
  const [en0Bayesian, en1Bayesian] = bayesianBits[bayesianOperations.indexOf(groups[bayesianIndex]![operationIndex] as never)]!;
  values[at + en0BayesianIndex] = en0Bayesian;
  values[at + en1BayesianIndex] = en1Bayesian;
  return values;
}

/** The value of CapMem row `row`. */
function capMemValue(groups: readonly GroupState[], row: number): unknown {
  return groups[sourceGroup[cellsStart + row]!]![sourceField[cellsStart + row]!];
}

// Reused by encodeLeaves (synchronous, never re-entered), so that encoding allocates only the words it returns;
// each encoding overwrites every value.
const leafScratch = [...configLayout.defaults(), ...backendLayout.defaults(), ...atomicNeuronCapMemRows.map(() => capMemLayout.defaults()[0])];

/**
 * Writes the words of a neuron's leaves into `words` (zero): NeuronConfig, NeuronBackendConfig, the CapMem
 * cells. Each leaf's values are checked as its constructor checks them, as when the leaves are built.
 */
export function encodeLeaves(groups: readonly GroupState[], words: Uint32Array): void {
  configValues(groups, leafScratch, 0);
  backendValues(groups, leafScratch, backendStart);
  copyFields(groups, leafScratch, cellsStart, cellsStart, capMemRowCount);
  leafEncoder.checkAll(leafScratch);
  leafEncoder.encodeInto(leafScratch, words, 0);
}

/** The NeuronConfig leaf of a neuron's groups. */
export function neuronConfigOf(groups: readonly GroupState[]): NeuronConfig {
  return createRegister(NeuronConfig, configValues(groups, configLayout.defaults(), 0));
}

/** The NeuronBackendConfig leaf of a neuron's groups. */
export function neuronBackendConfigOf(groups: readonly GroupState[]): NeuronBackendConfig {
  return createRegister(NeuronBackendConfig, backendValues(groups, backendLayout.defaults(), 0));
}

/** The CapMem cells of a neuron's groups, in row order. */
export function capMemCellsOf(groups: readonly GroupState[]): CapMemCell[] {
  const cells = new Array<CapMemCell>(capMemRowCount);
  for (let row = 0; row < capMemRowCount; row++) cells[row] = createRegister(CapMemCell, [capMemValue(groups, row)]);
  return cells;
}
