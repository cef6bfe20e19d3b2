import {
  SynapseQuadColumnOnDLS,
  SynapseQuadOnDLS,
  SynapseQuadOnSynram,
  SynapseRowOnDLS,
  SynapseRowOnSynram,
  SynramOnDLS,
} from '@bss2/halco';
import { registerContainer } from './container.js';
import { SYNAPSE_COLUMNS, synapseArray } from './synapse-array.js';
import { SynapseQuad, SynapseWeightQuad } from './synapse-quad.js';

/** Quad columns 0..63 (coordinates are immutable values: made once, used for every row). */
const quadColumns = [...SynapseQuadColumnOnDLS.all()];

/** The 64 quads of one row, quad columns 0..63. */
function* quadsOfRow(row: SynapseRowOnDLS): Generator<SynapseQuadOnDLS> {
  const onSynram = row.toSynapseRowOnSynram();
  const synram = row.toSynramOnDLS();
  for (const column of quadColumns) yield new SynapseQuadOnDLS(new SynapseQuadOnSynram(column, onSynram), synram);
}

/** Every quad of a synram, row by row. */
function* quadsOfSynram(synram: SynramOnDLS): Generator<SynapseQuadOnDLS> {
  for (const row of SynapseRowOnSynram.all()) yield* quadsOfRow(new SynapseRowOnDLS(row, synram));
}

const SYNAPSE_FIELDS = ['weights', 'labels', 'timeCalibs', 'ampCalibs'] as const;

/**
 * The 256 synapses of one row, in neuron-column order: `weights[c]`, `labels[c]`, `timeCalibs[c]`,
 * `ampCalibs[c]` for column c (hardware.md §3.5). Its words are the row's 64 SynapseQuads in quad-column
 * order; a quad holds four non-adjacent columns (§2.7).
 */
export class SynapseRow extends synapseArray({
  typeName: 'SynapseRow',
  coordinateType: SynapseRowOnDLS,
  rows: 1,
  leaf: SynapseQuad,
  fields: SYNAPSE_FIELDS,
  quads: quadsOfRow,
}) {}
registerContainer(SynapseRow);

/**
 * All 256 × 256 synapses of one synram (hardware.md §3.5): arrays indexed `row · 256 + column`. Its words
 * are every SynapseQuad of the synram, row by row (32 768 words).
 */
export class SynapseMatrix extends synapseArray({
  typeName: 'SynapseMatrix',
  coordinateType: SynramOnDLS,
  rows: 256,
  leaf: SynapseQuad,
  fields: SYNAPSE_FIELDS,
  quads: quadsOfSynram,
}) {
  /** A copy of one row. */
  getRow(row: SynapseRowOnSynram): SynapseRow {
    const start = row.value * SYNAPSE_COLUMNS;
    const slice = (values: Uint8Array) => values.subarray(start, start + SYNAPSE_COLUMNS);
    return new SynapseRow({
      weights: slice(this.weights),
      labels: slice(this.labels),
      timeCalibs: slice(this.timeCalibs),
      ampCalibs: slice(this.ampCalibs),
    });
  }

  /** Overwrites one row with the values of `synapses`. */
  setRow(row: SynapseRowOnSynram, synapses: SynapseRow): void {
    const start = row.value * SYNAPSE_COLUMNS;
    for (const field of SYNAPSE_FIELDS) this[field].set(synapses[field], start);
  }
}
registerContainer(SynapseMatrix);

/**
 * Only the 6-bit weights of one synram, written through the weight window (SynapseWeightQuad, 16 384
 * words) so labels and trims stay untouched; `weights[row · 256 + column]`.
 */
export class SynapseWeightMatrix extends synapseArray({
  typeName: 'SynapseWeightMatrix',
  coordinateType: SynramOnDLS,
  rows: 256,
  leaf: SynapseWeightQuad,
  fields: ['weights'],
  quads: quadsOfSynram,
}) {}
registerContainer(SynapseWeightMatrix);
