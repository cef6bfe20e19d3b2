import { NeuronConfigOnDLS, omnibusAddresses } from '@bss2/halco';
import { registerContainer } from './container.js';
import { type BitSlice, at, bool, enumeration, uint } from './field.js';
import { register } from './register.js';

/**
 * A bit of NeuronConfig addressed as in the datasheet table (hardware.md §3.3): the register's words are the
 * datasheet's words 2..7, so datasheet word `n` is container word `n − 2`.
 */
function datasheetWord(n: number, bit: number, width = 1): BitSlice {
  return at(n - 2, bit, width);
}

/** Readout multiplexer of a neuron (`readout_select`, hardware.md §3.2 readout.source). */
export const neuronReadoutSources = ['membrane', 'excSynin', 'inhSynin', 'adaptation'] as const;
export type NeuronReadoutSource = (typeof neuronReadoutSources)[number];

/**
 * The digital configuration SRAM of one neuron circuit: 6 words of 8 bits, exactly the bit table of
 * hardware.md §3.3 (unlisted bits are unused and written as 0). Raw reset: all zero, readout source membrane.
 * Most users configure a neuron through the lola `AtomicNeuron`, which maps onto this register.
 */
export class NeuronConfig extends register({
  typeName: 'NeuronConfig',
  coordinateType: NeuronConfigOnDLS,
  wordCount: 6,
  readable: true,
  writable: true,
  addresses: (c: NeuronConfigOnDLS) => omnibusAddresses.NeuronConfig(c),
  fields: {
    // datasheet word 2
    enResetDeg: bool(datasheetWord(2, 0)),
    enResetDiv: bool(datasheetWord(2, 1)),
    enResetMul: bool(datasheetWord(2, 2)),
    enLeakDeg: bool(datasheetWord(2, 3)),
    enLeakDiv: bool(datasheetWord(2, 4)),
    enLeakMul: bool(datasheetWord(2, 5)),
    enStrongFire: bool(datasheetWord(2, 6)),
    // datasheet word 3
    enSyninCobaInh: bool(datasheetWord(3, 1)),
    enSyninCobaExc: bool(datasheetWord(3, 2)),
    enUnbufAccess: bool(datasheetWord(3, 3)),
    enReadoutAmp: bool(datasheetWord(3, 4)),
    readoutSelect: enumeration(neuronReadoutSources, datasheetWord(3, 5, 2)),
    enReadout: bool(datasheetWord(3, 7)),
    // datasheet word 4
    invertAdaptB: bool(datasheetWord(4, 0)),
    invertAdaptA: bool(datasheetWord(4, 1)),
    enAdapt: bool(datasheetWord(4, 2)),
    enExp: bool(datasheetWord(4, 3)),
    enSyninInhSmallCap: bool(datasheetWord(4, 4)),
    enSyninExcSmallCap: bool(datasheetWord(4, 5)),
    enSyninInhHighRes: bool(datasheetWord(4, 6)),
    enSyninExcHighRes: bool(datasheetWord(4, 7)),
    // datasheet word 5
    enMemOff: bool(datasheetWord(5, 0)),
    memCapSize: uint(datasheetWord(5, 2, 6)),
    // datasheet word 6
    invertCurrent: bool(datasheetWord(6, 0)),
    enFire: bool(datasheetWord(6, 2)),
    enThreshComp: bool(datasheetWord(6, 3)),
    enSyninInh: bool(datasheetWord(6, 4)),
    enSyninExc: bool(datasheetWord(6, 5)),
    enBypInh: bool(datasheetWord(6, 6)),
    enBypExc: bool(datasheetWord(6, 7)),
    // datasheet word 7
    connectSomata: bool(datasheetWord(7, 0)),
    connectBottom: bool(datasheetWord(7, 1)),
    enCompCond: bool(datasheetWord(7, 2)),
    connectMembraneRight: bool(datasheetWord(7, 3)),
    connectSoma: bool(datasheetWord(7, 4)),
    enCompCondMul: bool(datasheetWord(7, 5)),
    enCompCondDiv: bool(datasheetWord(7, 6)),
    enPause: bool(datasheetWord(7, 7)),
  },
}) {}
registerContainer(NeuronConfig);
