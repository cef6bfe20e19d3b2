import { CommonSynramConfigOnDLS, SynapseBiasSelectionOnDLS, omnibusAddresses } from '@bss2/halco';
import { registerContainer } from './container.js';
import { array, at, booleanType, uint } from './field.js';
import { register } from './register.js';

/**
 * SRAM timing of one hemisphere's synapse array (hardware.md §3.5), separately for its west and east half.
 * Higher pc_conf / w_conf values mean shorter precharge / wordline delays. Reset values and bit layout follow
 * upstream haldls `CommonSynramConfig` (pc_conf 8, w_conf 3, wait_ctr_clear 4).
 */
export class CommonSynramConfig extends register({
  typeName: 'CommonSynramConfig',
  coordinateType: CommonSynramConfigOnDLS,
  wordCount: 3,
  readable: true,
  writable: true,
  addresses: (c: CommonSynramConfigOnDLS) => omnibusAddresses.CommonSynramConfig(c),
  fields: {
    pcConfWest: uint(at(0, 0, 4), { default: 8 }),
    pcConfEast: uint(at(0, 4, 4), { default: 8 }),
    wConfWest: uint(at(1, 0, 8), { default: 3 }),
    wConfEast: uint(at(1, 8, 8), { default: 3 }),
    waitCtrClear: uint(at(2, 0, 3), { default: 4 }),
  },
}) {}
registerContainer(CommonSynramConfig);

/** CapMem blocks (quadrants) on the chip; one enable of each bias per block. */
const CAPMEM_BLOCKS = 4;

function perBlock(firstBit: number) {
  return array(CAPMEM_BLOCKS, booleanType(true), (block) => at(0, firstBit + block));
}

/**
 * Chooses, per CapMem block, whether the synapses take their DAC, correlation-ramp, -store and -output bias
 * currents from the internal source (hardware.md §3.5). Write-only: reading it is an error on every backend
 * (§3.1). Reset: every internal bias enabled (upstream haldls). Layout: four bits per bias, block 0 first.
 */
export class SynapseBiasSelection extends register({
  typeName: 'SynapseBiasSelection',
  coordinateType: SynapseBiasSelectionOnDLS,
  wordCount: 1,
  readable: false,
  writable: true,
  addresses: (c: SynapseBiasSelectionOnDLS) => omnibusAddresses.SynapseBiasSelection(c),
  fields: {
    enableInternalDacBias: perBlock(0),
    enableInternalRampBias: perBlock(4),
    enableInternalStoreBias: perBlock(8),
    enableInternalOutputBias: perBlock(12),
  },
}) {}
registerContainer(SynapseBiasSelection);
