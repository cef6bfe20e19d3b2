import {
  BlockPostPulseOnDLS,
  CommonNeuronBackendConfigOnDLS,
  type Coordinate,
  type CoordinateType,
  NeuronBackendConfigOnDLS,
  NeuronResetOnDLS,
  NeuronResetQuadOnDLS,
  SpikeCounterReadOnDLS,
  SpikeCounterResetOnDLS,
  omnibusAddresses,
} from '@bss2/halco';
import { registerContainer } from './container.js';
import { array, at, bool, booleanType, uint } from './field.js';
import { register } from './register.js';

/**
 * Digital backend of one neuron (hardware.md §3.4): 4 SRAM words of 8 bits. The datasheet fixes only the
 * splits (address_out 6 + 2 over words 0/1, reset_holdoff 2 + 2, refractory_time 4 + 4); the remaining
 * positions are the lead's compact choice — fields packed LSB-first in datasheet order (layout table in the
 * lola README). `selectInputClock` 0 = slow, 1 = fast clock of the CommonNeuronBackendConfig.
 * Readable here although the reference simulation cannot read it back (leaf-containers.md note).
 */
export class NeuronBackendConfig extends register({
  typeName: 'NeuronBackendConfig',
  coordinateType: NeuronBackendConfigOnDLS,
  wordCount: 4,
  readable: true,
  writable: true,
  addresses: (c: NeuronBackendConfigOnDLS) => omnibusAddresses.NeuronBackendConfig(c),
  fields: {
    addressOut: uint([at(0, 0, 6), at(1, 0, 2)]),
    resetHoldoff: uint([at(0, 6, 2), at(1, 2, 2)]),
    refractoryTime: uint([at(1, 4, 4), at(2, 0, 4)]),
    postOverwrite: bool(at(2, 4)),
    selectInputClock: uint(at(2, 5)),
    enAdaptPulse: bool(at(2, 6)),
    enBayesianExtension: bool(at(2, 7), true),
    enNeuronSlave: bool(at(3, 0)),
    enNeuronMaster: bool(at(3, 1)),
    connectFireBottom: bool(at(3, 2)),
    connectFireFromRight: bool(at(3, 3)),
    connectFireToRight: bool(at(3, 4)),
    enSpikeOut: bool(at(3, 5)),
    en0Bayesian: bool(at(3, 6)),
    en1Bayesian: bool(at(3, 7)),
  },
}) {}
registerContainer(NeuronBackendConfig);

/**
 * Settings shared by one backend half (hardware.md §3.4), 2 × 32 bit. Word 0 packs the enables, the four
 * clock scalers (`f = 250 MHz / 2^(s+1)`, §1.1) and the per-event-output `samplePosEdge` LSB-first in
 * datasheet order; word 1 holds the four 8-bit wait counters. Reset values as in §3.4.
 */
export class CommonNeuronBackendConfig extends register({
  typeName: 'CommonNeuronBackendConfig',
  coordinateType: CommonNeuronBackendConfigOnDLS,
  wordCount: 2,
  readable: true,
  writable: true,
  addresses: (c: CommonNeuronBackendConfigOnDLS) => omnibusAddresses.CommonNeuronBackendConfig(c),
  fields: {
    enEventRegs: bool(at(0, 0), true),
    forceReset: bool(at(0, 1)),
    enClocks: bool(at(0, 2), true),
    clockScaleSlow: uint(at(0, 3, 4)),
    clockScaleFast: uint(at(0, 7, 4)),
    clockScaleAdaptPulse: uint(at(0, 11, 4)),
    clockScalePostPulse: uint(at(0, 15, 4)),
    samplePosEdge: array(4, booleanType(true), (i) => at(0, 19 + i)),
    waitGlobalPostPulse: uint(at(1, 0, 8), { default: 1 }),
    waitSpikeCounterReset: uint(at(1, 8, 8), { default: 4 }),
    waitSpikeCounterRead: uint(at(1, 16, 8), { default: 112 }),
    waitFireNeuron: uint(at(1, 24, 8), { default: 4 }),
  },
}) {}
registerContainer(CommonNeuronBackendConfig);

/**
 * The word every trigger register writes. The write itself acts (§3.4); **Choice:** lola writes bit 0 set so
 * that a trigger is visible in a word dump, and the simulator acts on any written value.
 */
export const triggerWord = 1;

/** A write-only register without fields whose write triggers an action. */
function trigger<Coord extends Coordinate>(typeName: string, coordinateType: CoordinateType<Coord>, addresses: (c: Coord) => readonly number[]) {
  return class Trigger extends register({ typeName, coordinateType, wordCount: 1, readable: false, writable: true, addresses, fields: {} }) {
    override encode(): Uint32Array {
      return Uint32Array.of(triggerWord);
    }
  };
}

/** Resets one neuron's membrane (write-only, §3.4). */
export class NeuronReset extends trigger('NeuronReset', NeuronResetOnDLS, (c: NeuronResetOnDLS) => omnibusAddresses.NeuronReset(c)) {}
registerContainer(NeuronReset);

/**
 * Resets the 4 neurons of one quad (write-only, §3.4); like the real chip, the simulated one also clears the
 * correlation of synapse row 0 in that quad (switchable in the simulator, not in this container).
 */
export class NeuronResetQuad extends trigger('NeuronResetQuad', NeuronResetQuadOnDLS, (c: NeuronResetQuadOnDLS) => omnibusAddresses.NeuronResetQuad(c)) {}
registerContainer(NeuronResetQuad);

/** Sends a post-pulse to every synapse column of one backend half (write-only, §3.4). */
export class BlockPostPulse extends trigger('BlockPostPulse', BlockPostPulseOnDLS, (c: BlockPostPulseOnDLS) => omnibusAddresses.BlockPostPulse(c)) {}
registerContainer(BlockPostPulse);

/** Clears one neuron's spike counter (write-only, §3.4). */
export class SpikeCounterReset extends trigger('SpikeCounterReset', SpikeCounterResetOnDLS, (c: SpikeCounterResetOnDLS) =>
  omnibusAddresses.SpikeCounterReset(c),
) {}
registerContainer(SpikeCounterReset);

/** One neuron's spike counter (read-only, §3.4): count in bits 7..0, overflow (count passed 255) in bit 8. */
export class SpikeCounterRead extends register({
  typeName: 'SpikeCounterRead',
  coordinateType: SpikeCounterReadOnDLS,
  wordCount: 1,
  readable: true,
  writable: false,
  addresses: (c: SpikeCounterReadOnDLS) => omnibusAddresses.SpikeCounterRead(c),
  fields: {
    count: uint(at(0, 0, 8)),
    overflow: bool(at(0, 8)),
  },
}) {}
registerContainer(SpikeCounterRead);
