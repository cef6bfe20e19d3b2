import {
  ColumnCurrentQuadOnDLS,
  CommonPADIBusConfigOnDLS,
  CrossbarNodeOnDLS,
  NeuronResetQuadOnDLS,
  SpikePack1ToChipOnDLS,
  SpikePack2ToChipOnDLS,
  SynapseDriverBlockOnDLS,
  SynapseDriverOnDLS,
  SynapseDriverOnSynapseDriverBlock,
  SynapseQuadColumnOnDLS,
  SynapseQuadOnDLS,
  SynapseQuadOnSynram,
  SynapseRowOnSynram,
  SynramOnDLS,
} from '@bss2/halco';
import {
  ColumnCurrentQuad,
  CommonPADIBusConfig,
  CrossbarNode,
  NeuronResetQuad,
  SpikePack1ToChip,
  SpikePack2ToChip,
  SynapseDriverConfig,
  SynapseQuad,
  nominal,
} from '@bss2/lola';
import type { CADCSampleQuad } from '@bss2/lola';
import type { ContainerTicket, PlaybackProgramBuilder } from '@bss2/stadls';
import { CadcNeuronReadout } from '../measurement/cadc-readout.js';

// Integrator ("hagen") mode on the event path (hardware.md §3.6, §8.1, §11.2): one 128-row block per
// hemisphere. Input i of the block of hemisphere h is synapse driver i of that hemisphere; its top row holds the
// positive weights (excitatory), its bottom row the magnitudes of the negative ones (inhibitory), column c of
// the block is neuron column c of the hemisphere. One event per input and send carries the 5-bit activation.

/** Inputs of one block: the synapse drivers of one hemisphere. */
export const MAC_ROWS = nominal.synapseDriverCount / 2;
/** Outputs of one pass: the neuron columns of one hemisphere. */
export const MAC_COLUMNS = nominal.neuronCount / 2;
/** Blocks one program computes at once: one per hemisphere. */
export const MAC_BLOCKS_PER_RUN = 2;
/** Largest 5-bit activation (§3.6) and largest 6-bit weight magnitude (§3.5). */
export const MAC_ACTIVATION_MAX = 31;
export const MAC_WEIGHT_MAX = nominal.synapseWeightMax;

/** PADI buses per hemisphere, and drivers per bus (the row-select address range). */
const BUSES_PER_BLOCK = 4;
/** Crossbar label bits 12..11 name the PADI bus of an event (bits 13..11 are free for FPGA events, §2.4 Choice). */
const BUS_SHIFT = 11;
const ROW_SELECT_SHIFT = 6;
const SPL1_SHIFT = 14;
/** FPGA link input of hemisphere h's events: crossbar input 8 + h (§2.5). */
const LINK_INPUT_BASE = 8;

/** The 16-bit spike label of one activation on input `row` of the block of hemisphere `block` (§2.4). */
export function macLabel(block: number, row: number, activation: number): number {
  const bus = row % BUSES_PER_BLOCK;
  const select = Math.floor(row / BUSES_PER_BLOCK);
  return ((block << SPL1_SHIFT) | (bus << BUS_SHIFT) | (select << ROW_SELECT_SHIFT) | activation) >>> 0;
}

/** Per-driver trims of integrator mode, indexed by SynapseDriverOnDLS (256). */
export interface MacDriverSettings {
  /** `hagen_dac_offset` 0..63: lowers the DAC threshold (§3.6). */
  readonly hagenDacOffset: Int32Array;
  /** The 4-bit pulse-width trim `offset` (§3.6): equalises the drivers' gains. */
  readonly pulseOffset: Int32Array;
}

/**
 * The event path of integrator mode: link input 8 + h reaches only the four PADI buses of hemisphere h, each bus
 * only the events whose label names it (bits 12..11); every driver in hagen mode (DAC and modulation on, address
 * forwarding off, row-select compare on all 5 bits) with excitatory top and inhibitory bottom row; every column's
 * synaptic current switches on. Neuron spikes are not routed (their nodes drop everything).
 */
export function configureMacEventPath(builder: PlaybackProgramBuilder, drivers: MacDriverSettings): void {
  for (const node of CrossbarNodeOnDLS.all()) {
    const input = node.toCrossbarInputOnDLS().value;
    const output = node.toCrossbarOutputOnDLS().value;
    const block = input - LINK_INPUT_BASE;
    let config = CrossbarNode.drop;
    if ((block === 0 || block === 1) && output < 2 * BUSES_PER_BLOCK && Math.floor(output / BUSES_PER_BLOCK) === block) {
      config = new CrossbarNode({ mask: (BUSES_PER_BLOCK - 1) << BUS_SHIFT, target: (output % BUSES_PER_BLOCK) << BUS_SHIFT });
    }
    builder.write(node, config);
  }
  for (const block of [0, 1]) builder.write(new CommonPADIBusConfigOnDLS(block), new CommonPADIBusConfig({ enableSpl1: [true, true, true, true] }));
  for (const block of [0, 1]) {
    for (let d = 0; d < MAC_ROWS; d++) {
      const coord = new SynapseDriverOnDLS(new SynapseDriverOnSynapseDriverBlock(d), new SynapseDriverBlockOnDLS(block));
      builder.write(
        coord,
        new SynapseDriverConfig({
          enableReceiver: true,
          rowAddressCompareMask: 0b11111,
          enableAddressOut: false,
          enableHagenDac: true,
          enableHagenModulation: true,
          hagenDacOffset: drivers.hagenDacOffset[coord.value]!,
          offset: drivers.pulseOffset[coord.value]!,
          rowModeTop: 'excitatory',
          rowModeBottom: 'inhibitory',
        }),
      );
    }
  }
  const switches = new ColumnCurrentQuad({ enableSynapticCurrentExcitatory: [true, true, true, true], enableSynapticCurrentInhibitory: [true, true, true, true] });
  for (let q = 0; q < ColumnCurrentQuadOnDLS.size; q++) builder.write(new ColumnCurrentQuadOnDLS(q), switches);
  CadcNeuronReadout.configure(builder);
}

/**
 * Writes a block of signed weights into hemisphere `block`: `weights[row · columns + column]` in −63..63 for
 * rows < `rows` and columns < `columns` (checked by the caller); every other synapse of the hemisphere gets
 * weight 0. Labels are 0: address forwarding is off, so every event reaches its rows with address 0 (§3.6).
 * With `previous` (the block written last, same layout, full 128 × 256) only the quads that change are written.
 */
export function writeMacWeights(builder: PlaybackProgramBuilder, block: number, full: Int8Array, previous?: Int8Array): void {
  const synram = new SynramOnDLS(block);
  const top = [0, 0, 0, 0];
  const bottom = [0, 0, 0, 0];
  const labels = [0, 0, 0, 0];
  for (let row = 0; row < MAC_ROWS; row++) {
    for (let q = 0; q < SynapseQuadColumnOnDLS.size; q++) {
      // The four columns of quad q: 8·(q % 32) + 2·e + ⌊q / 32⌋.
      let changed = previous === undefined;
      for (let e = 0; e < 4; e++) {
        const column = 8 * (q % 32) + 2 * e + Math.floor(q / 32);
        const w = full[row * MAC_COLUMNS + column]!;
        if (previous !== undefined && previous[row * MAC_COLUMNS + column] !== w) changed = true;
        top[e] = w > 0 ? w : 0;
        bottom[e] = w < 0 ? -w : 0;
      }
      if (!changed) continue;
      const quadColumn = new SynapseQuadColumnOnDLS(q);
      builder.write(new SynapseQuadOnDLS(new SynapseQuadOnSynram(quadColumn, new SynapseRowOnSynram(2 * row + 1)), synram), new SynapseQuad({ weights: top, labels }));
      builder.write(new SynapseQuadOnDLS(new SynapseQuadOnSynram(quadColumn, new SynapseRowOnSynram(2 * row)), synram), new SynapseQuad({ weights: bottom, labels }));
    }
  }
}

/** A full 128 × 256 block (zeros outside `rows` × `columns`) from a row-major `rows × columns` part of `weights`. */
export function macWeightBlock(weights: Int8Array, columns: number, rowOffset: number, blockRows: number, columnOffset: number, blockColumns: number): Int8Array {
  const out = new Int8Array(MAC_ROWS * MAC_COLUMNS);
  for (let r = 0; r < blockRows; r++) {
    const from = (rowOffset + r) * columns + columnOffset;
    out.set(weights.subarray(from, from + blockColumns), r * MAC_COLUMNS);
  }
  return out;
}

/** Timing of one multiply (FPGA cycles of 8 ns). */
export interface MacTiming {
  /** How often the whole input vector is sent (§11.2 `num_sends`), 1.. */
  readonly numSends: number;
  /** Cycles between two consecutive events of one hemisphere (`wait_between_events`). */
  readonly waitBetweenEvents: number;
  /** Cycles from the reset to the first event: the reset phase must be over (refractory time). */
  readonly resetWait: number;
  /** Cycles from the last event to the CADC read: the synaptic currents must have decayed. */
  readonly settleWait: number;
}

/**
 * Appends one multiply of up to two blocks (one per hemisphere) at the builder's current time: reset every
 * neuron (NeuronResetQuad), wait `resetWait`, send the inputs (`activations[block][row]`, 0 is not sent) `numSends`
 * times, one event per `waitBetweenEvents` cycles per hemisphere, both hemispheres side by side in one spike
 * pack, wait `settleWait`, then read every column by one CADC sweep. The timer is reset at the start; the
 * returned tickets decode with `CadcNeuronReadout.decode`.
 */
export function appendMacVector(
  builder: PlaybackProgramBuilder,
  activations: readonly (Uint8Array | undefined)[],
  timing: MacTiming,
  waitUntil: (builder: PlaybackProgramBuilder, cycle: number) => void,
  resetTimer: (builder: PlaybackProgramBuilder) => void,
): ContainerTicket<CADCSampleQuad>[] {
  resetTimer(builder);
  for (let q = 0; q < NeuronResetQuadOnDLS.size; q++) builder.write(new NeuronResetQuadOnDLS(q), new NeuronResetQuad());
  const labels: number[][] = [[], []];
  for (let block = 0; block < MAC_BLOCKS_PER_RUN; block++) {
    const a = activations[block];
    if (a === undefined) continue;
    for (let row = 0; row < a.length; row++) if (a[row]! > 0) labels[block]!.push(macLabel(block, row, a[row]!));
  }
  let cycle = timing.resetWait;
  const events = Math.max(labels[0]!.length, labels[1]!.length);
  for (let send = 0; send < timing.numSends; send++) {
    for (let k = 0; k < events; k++) {
      waitUntil(builder, cycle);
      const pack = [labels[0]![k], labels[1]![k]].filter((l): l is number => l !== undefined);
      if (pack.length === 1) builder.write(new SpikePack1ToChipOnDLS(0), new SpikePack1ToChip(pack));
      else builder.write(new SpikePack2ToChipOnDLS(0), new SpikePack2ToChip(pack));
      cycle += timing.waitBetweenEvents;
    }
  }
  waitUntil(builder, cycle + timing.settleWait);
  return CadcNeuronReadout.sweep(builder);
}

