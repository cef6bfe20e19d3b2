import { grid, nested, ranged } from './coordinate.js';
import { HemisphereOnDLS } from './hemisphere.js';
import { NeuronConfigBlockOnDLS } from './neuron.js';

/** A CapMem block = the neuron quadrant it serves: `2·hemisphere + side`, 0 NW, 1 NE, 2 SW, 3 SE (hardware.md §2.2). */
export class CapMemBlockOnDLS extends ranged('CapMemBlockOnDLS', 0, 3) {
  static readonly northWest = new CapMemBlockOnDLS(0);
  static readonly northEast = new CapMemBlockOnDLS(1);
  static readonly southWest = new CapMemBlockOnDLS(2);
  static readonly southEast = new CapMemBlockOnDLS(3);
  toHemisphereOnDLS(): HemisphereOnDLS {
    return new HemisphereOnDLS(Math.floor(this.value / 2));
  }
  /** §2.3: identity with the neuron quadrant. */
  toNeuronConfigBlockOnDLS(): NeuronConfigBlockOnDLS {
    return new NeuronConfigBlockOnDLS(this.value);
  }
  toCapMemBlockConfigOnDLS(): CapMemBlockConfigOnDLS {
    return new CapMemBlockConfigOnDLS(this.value);
  }
}

/** A CapMem column: 0..127 one per neuron of the quadrant (`col % 128`), 128 and 129 shared (§2.6). */
export class CapMemColumnOnCapMemBlock extends ranged('CapMemColumnOnCapMemBlock', 0, 129) {
  static readonly shared = new CapMemColumnOnCapMemBlock(128);
  static readonly shared1 = new CapMemColumnOnCapMemBlock(129);
  /** Whether the column belongs to one neuron (columns 0..127). */
  isPerNeuron(): boolean {
    return this.value < 128;
  }
}

/** A CapMem row; in columns 0..127 each row is one parameter of the column's neuron (§2.6). */
export class CapMemRowOnCapMemBlock extends ranged('CapMemRowOnCapMemBlock', 0, 23) {
  static readonly vLeak = new CapMemRowOnCapMemBlock(0);
  static readonly vReset = new CapMemRowOnCapMemBlock(1);
  static readonly vThreshold = new CapMemRowOnCapMemBlock(2);
  static readonly eSyninExcRev = new CapMemRowOnCapMemBlock(3);
  static readonly eSyninInhRev = new CapMemRowOnCapMemBlock(4);
  static readonly vAdaptLeak = new CapMemRowOnCapMemBlock(5);
  static readonly vExp = new CapMemRowOnCapMemBlock(6);
  static readonly vAdaptRef = new CapMemRowOnCapMemBlock(7);
  static readonly iBiasLeak = new CapMemRowOnCapMemBlock(8);
  static readonly iBiasReset = new CapMemRowOnCapMemBlock(9);
  static readonly iBiasSyninExcTau = new CapMemRowOnCapMemBlock(10);
  static readonly iBiasSyninExcCoba = new CapMemRowOnCapMemBlock(11);
  static readonly iBiasSyninExcShift = new CapMemRowOnCapMemBlock(12);
  static readonly iBiasSyninExcGm = new CapMemRowOnCapMemBlock(13);
  static readonly iBiasSyninInhTau = new CapMemRowOnCapMemBlock(14);
  static readonly iBiasSyninInhCoba = new CapMemRowOnCapMemBlock(15);
  static readonly iBiasSyninInhShift = new CapMemRowOnCapMemBlock(16);
  static readonly iBiasSyninInhGm = new CapMemRowOnCapMemBlock(17);
  static readonly iBiasAdaptTau = new CapMemRowOnCapMemBlock(18);
  static readonly iBiasAdaptA = new CapMemRowOnCapMemBlock(19);
  static readonly iBiasAdaptB = new CapMemRowOnCapMemBlock(20);
  static readonly iBiasExp = new CapMemRowOnCapMemBlock(21);
  static readonly iMemOffset = new CapMemRowOnCapMemBlock(22);
  static readonly iBiasNmda = new CapMemRowOnCapMemBlock(23);
  /** The per-neuron parameter names of §2.6, indexed by row. */
  static readonly perNeuronNames: readonly string[] = [
    'v_leak',
    'v_reset',
    'v_threshold',
    'e_synin_exc_rev',
    'e_synin_inh_rev',
    'v_adapt_leak',
    'v_exp',
    'v_adapt_ref',
    'i_bias_leak',
    'i_bias_reset',
    'i_bias_synin_exc_tau',
    'i_bias_synin_exc_coba',
    'i_bias_synin_exc_shift',
    'i_bias_synin_exc_gm',
    'i_bias_synin_inh_tau',
    'i_bias_synin_inh_coba',
    'i_bias_synin_inh_shift',
    'i_bias_synin_inh_gm',
    'i_bias_adapt_tau',
    'i_bias_adapt_a',
    'i_bias_adapt_b',
    'i_bias_exp',
    'i_mem_offset',
    'i_bias_nmda',
  ];
  /** The per-neuron parameter stored in this row of columns 0..127. */
  get perNeuronName(): string {
    return CapMemRowOnCapMemBlock.perNeuronNames[this.value]!;
  }
}

/** A CapMem cell of a block: grid (column, row), `130·row + column` (§2.2). */
export class CapMemCellOnCapMemBlock extends grid('CapMemCellOnCapMemBlock', CapMemColumnOnCapMemBlock, CapMemRowOnCapMemBlock) {
  // Shared cells in column 128 of every block (§2.6); rows 6 and 21–23 are block-specific and stay unnamed.
  static readonly stpVCharge0 = CapMemCellOnCapMemBlock.at(128, 0);
  static readonly stpVCharge1 = CapMemCellOnCapMemBlock.at(128, 1);
  static readonly stpVRecover0 = CapMemCellOnCapMemBlock.at(128, 2);
  static readonly stpVRecover1 = CapMemCellOnCapMemBlock.at(128, 3);
  static readonly cadcVRampOffset = CapMemCellOnCapMemBlock.at(128, 4);
  static readonly cadcVBiasRampBuf = CapMemCellOnCapMemBlock.at(128, 5);
  static readonly neuronVBiasCascN = CapMemCellOnCapMemBlock.at(128, 7);
  static readonly synIBiasDac = CapMemCellOnCapMemBlock.at(128, 8);
  static readonly synIBiasRamp = CapMemCellOnCapMemBlock.at(128, 9);
  static readonly synIBiasStore = CapMemCellOnCapMemBlock.at(128, 10);
  static readonly synIBiasCorout = CapMemCellOnCapMemBlock.at(128, 11);
  static readonly stpIBiasComparator = CapMemCellOnCapMemBlock.at(128, 12);
  static readonly stpIRamp = CapMemCellOnCapMemBlock.at(128, 13);
  static readonly stpICalib = CapMemCellOnCapMemBlock.at(128, 14);
  static readonly cadcIRampSlope = CapMemCellOnCapMemBlock.at(128, 15);
  static readonly cadcIBiasComp = CapMemCellOnCapMemBlock.at(128, 16);
  static readonly cadcIBiasVresetBuf = CapMemCellOnCapMemBlock.at(128, 17);
  static readonly neuronIBiasReadoutAmp = CapMemCellOnCapMemBlock.at(128, 18);
  static readonly neuronIBiasLeakSourceFollower = CapMemCellOnCapMemBlock.at(128, 19);
  static readonly neuronIBiasSpikeComparator = CapMemCellOnCapMemBlock.at(128, 20);
  /** Column 129, row 23 (§2.6). */
  static readonly neuronIBiasSyninDrop = CapMemCellOnCapMemBlock.at(129, 23);

  /** The cell at (column, row) given as plain numbers. */
  static at(column: number, row: number): CapMemCellOnCapMemBlock {
    return new CapMemCellOnCapMemBlock(new CapMemColumnOnCapMemBlock(column), new CapMemRowOnCapMemBlock(row));
  }

  toCapMemColumnOnCapMemBlock(): CapMemColumnOnCapMemBlock {
    return this.x;
  }
  toCapMemRowOnCapMemBlock(): CapMemRowOnCapMemBlock {
    return this.y;
  }
}

/** The named shared cells (snake_case names of §2.6) → cell, valid in every block. */
export const sharedCapMemCellNames: ReadonlyMap<string, CapMemCellOnCapMemBlock> = new Map([
  ['stp_v_charge_0', CapMemCellOnCapMemBlock.stpVCharge0],
  ['stp_v_charge_1', CapMemCellOnCapMemBlock.stpVCharge1],
  ['stp_v_recover_0', CapMemCellOnCapMemBlock.stpVRecover0],
  ['stp_v_recover_1', CapMemCellOnCapMemBlock.stpVRecover1],
  ['cadc_v_ramp_offset', CapMemCellOnCapMemBlock.cadcVRampOffset],
  ['cadc_v_bias_ramp_buf', CapMemCellOnCapMemBlock.cadcVBiasRampBuf],
  ['neuron_v_bias_casc_n', CapMemCellOnCapMemBlock.neuronVBiasCascN],
  ['syn_i_bias_dac', CapMemCellOnCapMemBlock.synIBiasDac],
  ['syn_i_bias_ramp', CapMemCellOnCapMemBlock.synIBiasRamp],
  ['syn_i_bias_store', CapMemCellOnCapMemBlock.synIBiasStore],
  ['syn_i_bias_corout', CapMemCellOnCapMemBlock.synIBiasCorout],
  ['stp_i_bias_comparator', CapMemCellOnCapMemBlock.stpIBiasComparator],
  ['stp_i_ramp', CapMemCellOnCapMemBlock.stpIRamp],
  ['stp_i_calib', CapMemCellOnCapMemBlock.stpICalib],
  ['cadc_i_ramp_slope', CapMemCellOnCapMemBlock.cadcIRampSlope],
  ['cadc_i_bias_comp', CapMemCellOnCapMemBlock.cadcIBiasComp],
  ['cadc_i_bias_vreset_buf', CapMemCellOnCapMemBlock.cadcIBiasVresetBuf],
  ['neuron_i_bias_readout_amp', CapMemCellOnCapMemBlock.neuronIBiasReadoutAmp],
  ['neuron_i_bias_leak_source_follower', CapMemCellOnCapMemBlock.neuronIBiasLeakSourceFollower],
  ['neuron_i_bias_spike_comparator', CapMemCellOnCapMemBlock.neuronIBiasSpikeComparator],
  ['neuron_i_bias_synin_drop', CapMemCellOnCapMemBlock.neuronIBiasSyninDrop],
]);

/** A CapMem cell of the chip: `3120·block + CapMemCellOnCapMemBlock`. */
export class CapMemCellOnDLS extends nested('CapMemCellOnDLS', CapMemCellOnCapMemBlock, CapMemBlockOnDLS) {
  /** §2.6: the MADC input bias at (129, 13) of block 0. */
  static readonly readoutMadcIn500na = new CapMemCellOnDLS(CapMemCellOnCapMemBlock.at(129, 13), CapMemBlockOnDLS.northWest);

  toCapMemCellOnCapMemBlock(): CapMemCellOnCapMemBlock {
    return this.local;
  }
  toCapMemBlockOnDLS(): CapMemBlockOnDLS {
    return this.outer;
  }
}

/** The configuration registers of a CapMem block (refresh timing, debug readout; §3.8). */
export class CapMemBlockConfigOnDLS extends ranged('CapMemBlockConfigOnDLS', 0, 3) {
  toCapMemBlockOnDLS(): CapMemBlockOnDLS {
    return new CapMemBlockOnDLS(this.value);
  }
}

/** The single reference generator supplying the CapMem reference current (§3.8). */
export class ReferenceGeneratorConfigOnDLS extends ranged('ReferenceGeneratorConfigOnDLS', 0, 0) {}

/** The single chip-wide synapse bias selection (per CapMem block internal bias enables, §3.5). */
export class SynapseBiasSelectionOnDLS extends ranged('SynapseBiasSelectionOnDLS', 0, 0) {}
