import { SynapseQuadOnDLS, omnibusAddresses } from '@bss2/halco';
import { registerContainer } from './container.js';
import { type BitSlice, array, at, integerType } from './field.js';
import { register } from './register.js';

/** Synapses (and column switches) per quad: EntryOnQuad 0..3 (hardware.md §2.7). */
export const ENTRIES_PER_QUAD = 4;

/**
 * Bits of one entry inside a quad word: entry `e` owns the byte `3 − e`, i.e. **entry 0 is the most
 * significant byte** (hardware.md §3.5); `bit` and `width` are relative to that byte.
 */
export function quadEntryBits(word: number, entry: number, bit: number, width = 1): BitSlice {
  if (bit + width > 8) throw new RangeError(`quad entry field ${bit}+${width} does not fit its byte`);
  return at(word, 8 * (ENTRIES_PER_QUAD - 1 - entry) + bit, width);
}

const sixBit = integerType(0, 63);
const twoBit = integerType(0, 3);

/** Four synapses of one row: weight and label (6 bit each) and the two correlation trims (2 bit each). */
export class SynapseQuad extends register({
  typeName: 'SynapseQuad',
  coordinateType: SynapseQuadOnDLS,
  wordCount: 2,
  readable: true,
  writable: true,
  addresses: (c: SynapseQuadOnDLS) => omnibusAddresses.SynapseQuad(c),
  // §3.5: word 0 byte = time_calib << 6 | weight, word 1 byte = amp_calib << 6 | label.
  fields: {
    weights: array(ENTRIES_PER_QUAD, sixBit, (e) => quadEntryBits(0, e, 0, 6)),
    labels: array(ENTRIES_PER_QUAD, sixBit, (e) => quadEntryBits(1, e, 0, 6)),
    timeCalibs: array(ENTRIES_PER_QUAD, twoBit, (e) => quadEntryBits(0, e, 6, 2)),
    ampCalibs: array(ENTRIES_PER_QUAD, twoBit, (e) => quadEntryBits(1, e, 6, 2)),
  },
}) {}
registerContainer(SynapseQuad);

/** The weights of a quad through their own window (an alias of SynapseQuad word 0 without the trims). */
export class SynapseWeightQuad extends register({
  typeName: 'SynapseWeightQuad',
  coordinateType: SynapseQuadOnDLS,
  wordCount: 1,
  readable: true,
  writable: true,
  addresses: (c: SynapseQuadOnDLS) => omnibusAddresses.SynapseWeightQuad(c),
  fields: {
    weights: array(ENTRIES_PER_QUAD, sixBit, (e) => quadEntryBits(0, e, 0, 6)),
  },
}) {}
registerContainer(SynapseWeightQuad);

/** The labels (6-bit synapse addresses) of a quad through their own window. */
export class SynapseLabelQuad extends register({
  typeName: 'SynapseLabelQuad',
  coordinateType: SynapseQuadOnDLS,
  wordCount: 1,
  readable: true,
  writable: true,
  addresses: (c: SynapseQuadOnDLS) => omnibusAddresses.SynapseLabelQuad(c),
  fields: {
    labels: array(ENTRIES_PER_QUAD, sixBit, (e) => quadEntryBits(0, e, 0, 6)),
  },
}) {}
registerContainer(SynapseLabelQuad);

/**
 * The correlation trims of a quad through the two trim windows: time_calib in word 0, amp_calib in word 1,
 * each in the 2 LSBs of its entry's byte (hardware.md §3.5, §3.11). More bits set: shorter correlation time
 * constant, lower amplitude.
 */
export class SynapseCorrelationCalibQuad extends register({
  typeName: 'SynapseCorrelationCalibQuad',
  coordinateType: SynapseQuadOnDLS,
  wordCount: 2,
  readable: true,
  writable: true,
  addresses: (c: SynapseQuadOnDLS) => omnibusAddresses.SynapseCorrelationCalibQuad(c),
  fields: {
    timeCalibs: array(ENTRIES_PER_QUAD, twoBit, (e) => quadEntryBits(0, e, 0, 2)),
    ampCalibs: array(ENTRIES_PER_QUAD, twoBit, (e) => quadEntryBits(1, e, 0, 2)),
  },
}) {}
registerContainer(SynapseCorrelationCalibQuad);

/**
 * Resets the correlation sensors of the four synapses of a quad (write-only, hardware.md §3.5). The write
 * itself is the command; its word carries no fields and is written as 0.
 */
export class CorrelationReset extends register({
  typeName: 'CorrelationReset',
  coordinateType: SynapseQuadOnDLS,
  wordCount: 1,
  readable: false,
  writable: true,
  addresses: (c: SynapseQuadOnDLS) => omnibusAddresses.CorrelationReset(c),
  fields: {},
}) {}
registerContainer(CorrelationReset);
