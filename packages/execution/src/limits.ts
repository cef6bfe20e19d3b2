// What the chip and its input path can take, checked before anything is allocated or built: neurons on the
// chip, external sources the labels can address, and spikes one run can deliver.
import { PADIRowSelectAddress, SynapseLabel } from '@bss2/halco';
import { nominal } from '@bss2/lola';
import { MAX_PROGRAM_SIZE } from '@bss2/stadls';
import type { InputSource } from './graph.js';
import { LOOKAHEAD_CYCLES, usToCycles } from './timing.js';

/** Neuron circuits of the chip (hardware.md §3): no network places more neurons. */
export const NEURON_COUNT = nominal.neuronCount;
/** How many labels one spike-pack instruction carries (hardware.md §5.2). */
export const SPIKE_PACK_SIZE = 3;
/** FPGA links (SPL1 addresses): link k feeds PADI bus k of each hemisphere (@bss2/routing README, "External labels"). */
export const INPUT_LINKS = nominal.padiBusesPerHemisphere;
/**
 * External sources the input path can address: per FPGA link (= bus index) 32 row-select addresses, each a
 * group of 64 synapse labels (@bss2/routing README, items 5–6). Neuron groups on a bus share the addresses, so
 * routing may fit fewer; more can never be told apart.
 */
export const MAX_EXTERNAL_SOURCES = INPUT_LINKS * PADIRowSelectAddress.size * SynapseLabel.size;

/**
 * Input spikes one run of `duration_us` can deliver: one spike pack (≤ 3 labels) per FPGA cycle of its send
 * window (the run and the lookahead sent with it), and no more packs than one program holds.
 */
export function maxInputSpikes(duration_us: number): number {
  const windowCycles = usToCycles(duration_us) + LOOKAHEAD_CYCLES;
  return SPIKE_PACK_SIZE * Math.min(windowCycles, MAX_PROGRAM_SIZE);
}

/**
 * Spikes `source` sends in [from_us, to_us): given times counted exactly, host Poisson trains by their expected
 * count (rate × overlap of [start, stop) with the window).
 */
export function inputSpikeCount(source: InputSource, from_us: number, to_us: number): number {
  let count = 0;
  if (source.kind === 'array') {
    for (const times of source.times_us) {
      for (let k = 0; k < times.length; k++) {
        const t = times[k]!;
        if (t >= from_us && t < to_us) count++;
      }
    }
    return count;
  }
  for (let i = 0; i < source.rate_hz.length; i++) {
    const overlap_us = Math.min(to_us, source.stop_us[i]!) - Math.max(from_us, source.start_us[i]!);
    if (overlap_us > 0) count += (source.rate_hz[i]! * overlap_us) / 1e6;
  }
  return count;
}
