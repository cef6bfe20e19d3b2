import {
  CADCChannelType,
  CADCConfigOnDLS,
  CADCReadoutType,
  CADCSampleQuadOnDLS,
  CADCSampleQuadOnSynram,
  ColumnCorrelationQuadOnDLS,
  SynapseQuadColumnOnDLS,
  SynapseQuadOnSynram,
  SynapseRowOnSynram,
  SynramOnDLS,
} from '@bss2/halco';
import { CADCConfig, CADCSampleQuad, ColumnCorrelationQuad, nominal } from '@bss2/lola';
import type { ContainerTicket, PlaybackProgramBuilder } from '@bss2/stadls';
import { CalibrationHardwareError } from '../errors.js';
import { NEURON_COUNT } from '../targets.js';

const QUAD_COLUMNS = SynapseQuadColumnOnDLS.size;
/** Reads per sweep: every quad column of both CADCs (hardware.md §3.9). */
export const CADC_READS_PER_SWEEP = nominal.cadcReadsPerSweep;

/** The neuron (AtomicNeuronOnDLS enum) each entry of each read of a sweep samples: `[read · 4 + entry]`. */
const neuronOfEntry = (() => {
  const table = new Int32Array(CADC_READS_PER_SWEEP * 4);
  for (let k = 0; k < CADC_READS_PER_SWEEP; k++) {
    const synram = Math.floor(k / QUAD_COLUMNS);
    const quad = new SynapseQuadColumnOnDLS(k % QUAD_COLUMNS);
    quad.toNeuronColumnOnDLS().forEach((column, entry) => {
      table[4 * k + entry] = 256 * synram + column.value;
    });
  }
  return table;
})();

/** `CadcNeuronReadout.neuronsOfRead`, made once: decoding calls it for every read. */
const neuronsOfReads: readonly (readonly number[])[] = Array.from({ length: CADC_READS_PER_SWEEP }, (_, k) => Object.freeze(Array.from(neuronOfEntry.subarray(4 * k, 4 * k + 4))));

/** Position of each neuron's read within a sweep (a sweep reads one quad per FPGA cycle, §5.1). */
export const sweepPositionOf: Int32Array = (() => {
  const out = new Int32Array(NEURON_COUNT);
  for (let k = 0; k < neuronOfEntry.length; k++) out[neuronOfEntry[k]!] = Math.floor(k / 4);
  return out;
})();

/** The trigger-read coordinates of one sweep, causal channels, sample row 0. */
const sweepCoordinates: readonly CADCSampleQuadOnDLS[] = Array.from({ length: CADC_READS_PER_SWEEP }, (_, k) => {
  const quad = new SynapseQuadOnSynram(new SynapseQuadColumnOnDLS(k % QUAD_COLUMNS), new SynapseRowOnSynram(0));
  return new CADCSampleQuadOnDLS(
    new CADCSampleQuadOnSynram(quad, CADCChannelType.causal, CADCReadoutType.triggerRead),
    new SynramOnDLS(Math.floor(k / QUAD_COLUMNS)),
  );
});

/**
 * Reading every neuron through the CADC (hardware.md §3.5, §3.9): each column's causal channel is switched to
 * the neuron below it (`enable_cadc_neuron_readout_causal`), and a sweep of 128 trigger reads converts all 512
 * channels, one quad per instruction. What a channel sees is the neuron's selected readout source (membrane,
 * or a synaptic input line), so the same sweep serves potentials and synaptic-input traces.
 */
export class CadcNeuronReadout {
  /** CADC on and every causal channel connected to its neuron. */
  static configure(builder: PlaybackProgramBuilder): void {
    for (const synram of [0, 1]) builder.write(new CADCConfigOnDLS(synram), new CADCConfig({ enable: true }));
    const switches = new ColumnCorrelationQuad({ enableCadcNeuronReadoutCausal: [true, true, true, true] });
    for (let q = 0; q < ColumnCorrelationQuadOnDLS.size; q++) builder.write(new ColumnCorrelationQuadOnDLS(q), switches);
  }

  /** Appends read `k` (0..127) of a sweep alone: a trigger read of one quad, four neurons. */
  static readAt(builder: PlaybackProgramBuilder, k: number): ContainerTicket<CADCSampleQuad> {
    return builder.read(sweepCoordinates[k]!, CADCSampleQuad);
  }

  /** The neurons (AtomicNeuronOnDLS enum) read `k` samples, and the code of each in its word, by entry. */
  static neuronsOfRead(k: number): readonly number[] {
    return neuronsOfReads[k]!;
  }

  /** The code of entry `e` (0..3) in a CADCSampleQuad word. */
  static codeOf(word: number, e: number): number {
    return (word >>> (24 - 8 * e)) & 0xff;
  }

  /** Appends one sweep of trigger reads; returns its tickets (in sweep order). */
  static sweep(builder: PlaybackProgramBuilder): ContainerTicket<CADCSampleQuad>[] {
    return sweepCoordinates.map((coord) => builder.read(coord, CADCSampleQuad));
  }

  /** Per neuron, the code one sweep read. */
  static decode(tickets: readonly ContainerTicket<CADCSampleQuad>[], out = new Float64Array(NEURON_COUNT)): Float64Array {
    for (let k = 0; k < tickets.length; k++) {
      const word = tickets[k]!.words[0]!;
      // CADCSampleQuad: entry 0 in the most significant byte (lola docs/io.md).
      for (let e = 0; e < 4; e++) out[neuronOfEntry[4 * k + e]!] = (word >>> (24 - 8 * e)) & 0xff;
    }
    return out;
  }

  /** Per neuron, the mean, minimum or maximum over several sweeps. */
  static reduce(sweeps: readonly (readonly ContainerTicket<CADCSampleQuad>[])[], how: 'mean' | 'min' | 'max'): Float64Array {
    const out = new Float64Array(NEURON_COUNT).fill(how === 'min' ? Infinity : how === 'max' ? -Infinity : 0);
    const one = new Float64Array(NEURON_COUNT);
    for (const tickets of sweeps) {
      CadcNeuronReadout.decode(tickets, one);
      for (let i = 0; i < NEURON_COUNT; i++) out[i] = how === 'min' ? Math.min(out[i]!, one[i]!) : how === 'max' ? Math.max(out[i]!, one[i]!) : out[i]! + one[i]!;
    }
    if (how === 'mean') for (let i = 0; i < NEURON_COUNT; i++) out[i]! /= sweeps.length;
    return out;
  }

  static mean(sweeps: readonly (readonly ContainerTicket<CADCSampleQuad>[])[]): Float64Array {
    return CadcNeuronReadout.reduce(sweeps, 'mean');
  }
}

/**
 * Guards against a chip whose CADC returns nothing: every channel at 0 means the readout is not connected or
 * not modelled, and no search can make sense of it (calix HardwareError).
 */
export function requireLiveReadout(values: Float64Array, what: string): void {
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) return;
  throw new CalibrationHardwareError(
    `${what}: every CADC channel read 0 — the chip's CADC does not convert the neuron readout (CADCConfig enable, ColumnCorrelationQuad enable_cadc_neuron_readout_causal, hardware.md §3.5, §3.9)`,
  );
}
