import { grid, nested, ranged } from './coordinate.js';
import { SynramOnDLS } from './hemisphere.js';
import { CapMemBlockOnDLS } from './capmem.js';
import { NeuronColumnOnDLS, NeuronConfigBlockOnDLS } from './neuron.js';
import { SynapseOnDLS, SynapseOnSynapseRow, SynapseOnSynram, SynapseRowOnDLS, SynapseRowOnSynram } from './synapse.js';

/**
 * A synapse quad column: 4 **non-adjacent** columns `8·(q % 32) + 2·e + ⌊q / 32⌋`, e = 0..3 (hardware.md §2.7).
 * Quads 0..31 hold even columns, 32..63 odd ones — the PPU's even/odd vector split.
 */
export class SynapseQuadColumnOnDLS extends ranged('SynapseQuadColumnOnDLS', 0, 63) {
  /** The column of one entry. */
  neuronColumnOf(entry: EntryOnQuad): NeuronColumnOnDLS {
    return new NeuronColumnOnDLS(8 * (this.value % 32) + 2 * entry.value + Math.floor(this.value / 32));
  }
  /** The 4 columns, indexed by EntryOnQuad. */
  toNeuronColumnOnDLS(): NeuronColumnOnDLS[] {
    return [...EntryOnQuad.all()].map((e) => this.neuronColumnOf(e));
  }
  toSynapseOnSynapseRow(): SynapseOnSynapseRow[] {
    return this.toNeuronColumnOnDLS().map((c) => c.toSynapseOnSynapseRow());
  }
  /** Quad column within its synram's quadrants: `q % 32 ≥ 16` is the right half (§2.7). */
  isRightHalf(): boolean {
    return this.value % 32 >= 16;
  }
}

/** The position of a synapse inside its quad; entry 0 is the most significant byte of a quad word (§3.5). */
export class EntryOnQuad extends ranged('EntryOnQuad', 0, 3) {}

/** A synapse quad of an array: grid (quad column, row), `64·row + q`. */
export class SynapseQuadOnSynram extends grid('SynapseQuadOnSynram', SynapseQuadColumnOnDLS, () => SynapseRowOnSynram) {
  toSynapseQuadColumnOnDLS(): SynapseQuadColumnOnDLS {
    return this.x;
  }
  toSynapseRowOnSynram(): SynapseRowOnSynram {
    return this.y;
  }
  /** The 4 synapses, indexed by EntryOnQuad. */
  toSynapseOnSynram(): SynapseOnSynram[] {
    const row = this.y;
    return this.x.toSynapseOnSynapseRow().map((col) => new SynapseOnSynram(col, row));
  }
}

/** A synapse quad of the chip: `16384·synram + SynapseQuadOnSynram`; also addresses weight, label and trim quads. */
export class SynapseQuadOnDLS extends nested('SynapseQuadOnDLS', SynapseQuadOnSynram, () => SynramOnDLS) {
  toSynapseQuadOnSynram(): SynapseQuadOnSynram {
    return this.local;
  }
  toSynramOnDLS(): SynramOnDLS {
    return this.outer;
  }
  toSynapseRowOnDLS(): SynapseRowOnDLS {
    return new SynapseRowOnDLS(this.local.y, this.outer);
  }
  toSynapseOnDLS(): SynapseOnDLS[] {
    const synram = this.outer;
    return this.local.toSynapseOnSynram().map((s) => new SynapseOnDLS(s, synram));
  }
  /** §2.7: quad → neuron quadrant `2·synram + (q % 32 ≥ 16)`. */
  toNeuronConfigBlockOnDLS(): NeuronConfigBlockOnDLS {
    return new NeuronConfigBlockOnDLS(2 * this.outer.value + (this.local.x.isRightHalf() ? 1 : 0));
  }
  /** The CapMem block holding the quadrant's `syn_i_bias_dac` weight scale (§2.6). */
  toCapMemBlockOnDLS(): CapMemBlockOnDLS {
    return new CapMemBlockOnDLS(this.toNeuronConfigBlockOnDLS().value);
  }
}

/** Correlation switches of one quad column: `64·synram + q` (§3.5). */
export class ColumnCorrelationQuadOnDLS extends nested(
  'ColumnCorrelationQuadOnDLS',
  SynapseQuadColumnOnDLS,
  () => SynramOnDLS,
) {
  toSynapseQuadColumnOnDLS(): SynapseQuadColumnOnDLS {
    return this.local;
  }
  toSynramOnDLS(): SynramOnDLS {
    return this.outer;
  }
  toColumnCurrentQuadOnDLS(): ColumnCurrentQuadOnDLS {
    return new ColumnCurrentQuadOnDLS(this.value);
  }
}

/** Current switches (synaptic input enables) of one quad column: `64·synram + q` (§3.5). */
export class ColumnCurrentQuadOnDLS extends nested('ColumnCurrentQuadOnDLS', SynapseQuadColumnOnDLS, () => SynramOnDLS) {
  toSynapseQuadColumnOnDLS(): SynapseQuadColumnOnDLS {
    return this.local;
  }
  toSynramOnDLS(): SynramOnDLS {
    return this.outer;
  }
  toColumnCorrelationQuadOnDLS(): ColumnCorrelationQuadOnDLS {
    return new ColumnCorrelationQuadOnDLS(this.value);
  }
}
