import { spikeLabelFields } from '@bss2/halco';

// Label layout (hardware.md §2.4): bits 15..14 FPGA link, 13..0 what the crossbar compares, of which drivers
// and synapses see bits 10..0: row select 10..6, synapse label 5..0. Bits 13..11 reach only the crossbar
// filters, so the router uses them to steer events there without touching what drivers see.

const ROW_SELECT_SHIFT = spikeLabelFields.rowSelectAddress.offset;
const SPL1_SHIFT = spikeLabelFields.spl1Address.offset;
const NEURON_LABEL_MASK = 2 ** spikeLabelFields.neuronLabel.width - 1;

/**
 * **Choice:** an external label carries bit 11 when its source has targets in the top hemisphere and bit 12
 * for the bottom one; the crossbar node from its FPGA link to the bus of each hemisphere passes only labels
 * with that hemisphere's bit, so no event travels a bus it has no synapse on.
 */
export const EXTERNAL_HEMISPHERE_BIT = [1 << 11, 1 << 12] as const;

/**
 * **Choice:** background labels carry bit 13 and their bus in bits 12..11, so recorded background events are
 * told apart from neuron events (bits 13..11 = 0, §2.4 Choice) and from each other by the label alone.
 */
export const BACKGROUND_BIT = 1 << 13;
const BACKGROUND_BUS_SHIFT = 11;

/** Crossbar mask covering bits 13..6: what tells one label group (row select) from another. */
export const GROUP_MASK = NEURON_LABEL_MASK & ~((1 << ROW_SELECT_SHIFT) - 1);

/** A neuron's `address_out` (§2.4 bits 7..0): row-select bits 1..0 over its 6-bit synapse label. */
export function internalAddressOut(rowSelect: number, synapseLabel: number): number {
  return ((rowSelect & 0b11) << ROW_SELECT_SHIFT) | synapseLabel;
}

/** The 14-bit label a neuron sends: `(column / 32) << 8 | address_out` (§1.3). */
export function internalNeuronLabel(eventOutput: number, addressOut: number): number {
  return (eventOutput << 8) | addressOut;
}

/**
 * The 16-bit label of an external source on bus `bus`: **Choice:** FPGA link (spl1 address) = the bus index,
 * so each link feeds one bus pair; hemisphere bits as EXTERNAL_HEMISPHERE_BIT.
 */
export function externalSpikeLabel(bus: number, rowSelect: number, synapseLabel: number, hemispheres: readonly boolean[]): number {
  let label = (bus << SPL1_SHIFT) | (rowSelect << ROW_SELECT_SHIFT) | synapseLabel;
  hemispheres.forEach((on, h) => {
    if (on) label |= EXTERNAL_HEMISPHERE_BIT[h]!;
  });
  return label;
}

/** The label a background generator on `bus` is configured with; its random mask fills the source index in. */
export function backgroundNeuronLabel(bus: number, baseRowSelect: number): number {
  return BACKGROUND_BIT | (bus << BACKGROUND_BUS_SHIFT) | (baseRowSelect << ROW_SELECT_SHIFT);
}

/** The bus a background label names (bits 12..11). */
export function busOfBackgroundLabel(neuronLabel: number): number {
  return (neuronLabel >> BACKGROUND_BUS_SHIFT) & 0b11;
}

export { NEURON_LABEL_MASK, ROW_SELECT_SHIFT };
