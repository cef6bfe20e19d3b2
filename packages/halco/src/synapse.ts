import { grid, nested, ranged } from './coordinate.js';
import { SynapseDriverBlockOnDLS, SynramOnDLS } from './hemisphere.js';
import { NeuronColumnOnDLS } from './neuron.js';
import { CADCSampleRowOnDLS } from './cadc.js';
import { EntryOnQuad, SynapseQuadColumnOnDLS, SynapseQuadOnDLS, SynapseQuadOnSynram } from './synapse-quad.js';
import { SynapseDriverOnDLS, SynapseDriverOnSynapseDriverBlock, SynapseRowOnSynapseDriver } from './synapse-driver.js';

/** A synapse row of a synapse array; driver `⌊r / 2⌋` drives it, as its top row if r is odd (hardware.md §2.7). */
export class SynapseRowOnSynram extends ranged('SynapseRowOnSynram', 0, 255) {
  toSynapseDriverOnSynapseDriverBlock(): SynapseDriverOnSynapseDriverBlock {
    return new SynapseDriverOnSynapseDriverBlock(Math.floor(this.value / 2));
  }
  /** Odd rows are a driver's top row (0), even rows its bottom row (1). */
  toSynapseRowOnSynapseDriver(): SynapseRowOnSynapseDriver {
    return this.value % 2 === 1 ? SynapseRowOnSynapseDriver.top : SynapseRowOnSynapseDriver.bottom;
  }
}

/** A synapse column; the same index as the neuron column below it (§2.3). */
export class SynapseOnSynapseRow extends ranged('SynapseOnSynapseRow', 0, 255) {
  toNeuronColumnOnDLS(): NeuronColumnOnDLS {
    return new NeuronColumnOnDLS(this.value);
  }
  toSynapseQuadColumnOnDLS(): SynapseQuadColumnOnDLS {
    return this.toNeuronColumnOnDLS().toSynapseQuadColumnOnDLS();
  }
  toEntryOnQuad(): EntryOnQuad {
    return this.toNeuronColumnOnDLS().toEntryOnQuad();
  }
}

/** One synapse of an array: grid (column, row), `256·row + column`. */
export class SynapseOnSynram extends grid('SynapseOnSynram', SynapseOnSynapseRow, SynapseRowOnSynram) {
  toSynapseOnSynapseRow(): SynapseOnSynapseRow {
    return this.x;
  }
  toSynapseRowOnSynram(): SynapseRowOnSynram {
    return this.y;
  }
  toSynapseQuadOnSynram(): SynapseQuadOnSynram {
    return new SynapseQuadOnSynram(this.x.toSynapseQuadColumnOnDLS(), this.y);
  }
  toEntryOnQuad(): EntryOnQuad {
    return this.x.toEntryOnQuad();
  }
}

/** One synapse of the chip: `65536·synram + SynapseOnSynram`. */
export class SynapseOnDLS extends nested('SynapseOnDLS', SynapseOnSynram, () => SynramOnDLS) {
  toSynapseOnSynram(): SynapseOnSynram {
    return this.local;
  }
  toSynramOnDLS(): SynramOnDLS {
    return this.outer;
  }
  toSynapseRowOnDLS(): SynapseRowOnDLS {
    return new SynapseRowOnDLS(this.local.y, this.outer);
  }
  toSynapseQuadOnDLS(): SynapseQuadOnDLS {
    return new SynapseQuadOnDLS(this.local.toSynapseQuadOnSynram(), this.outer);
  }
  toNeuronColumnOnDLS(): NeuronColumnOnDLS {
    return this.local.x.toNeuronColumnOnDLS();
  }
}

/** A synapse row of the chip: `256·synram + row`. */
export class SynapseRowOnDLS extends nested('SynapseRowOnDLS', SynapseRowOnSynram, () => SynramOnDLS) {
  toSynapseRowOnSynram(): SynapseRowOnSynram {
    return this.local;
  }
  toSynramOnDLS(): SynramOnDLS {
    return this.outer;
  }
  /** The driver feeding this row: driver `⌊r / 2⌋` of the same hemisphere (§2.7). */
  toSynapseDriverOnDLS(): SynapseDriverOnDLS {
    return new SynapseDriverOnDLS(this.local.toSynapseDriverOnSynapseDriverBlock(), new SynapseDriverBlockOnDLS(this.outer.value));
  }
  toSynapseRowOnSynapseDriver(): SynapseRowOnSynapseDriver {
    return this.local.toSynapseRowOnSynapseDriver();
  }
  /** One CADC sample row per synapse row (§2.2). */
  toCADCSampleRowOnDLS(): CADCSampleRowOnDLS {
    return new CADCSampleRowOnDLS(this.value);
  }
}

/** The 6-bit address a synapse compares with incoming events (§2.4 bits 5..0). */
export class SynapseLabel extends ranged('SynapseLabel', 0, 63) {}

/** The two synaptic inputs of a neuron; a row's mode selects which one its synapses drive. */
export class SynapticInputOnNeuron extends ranged('SynapticInputOnNeuron', 0, 1) {
  static readonly excitatory = new SynapticInputOnNeuron(0);
  static readonly inhibitory = new SynapticInputOnNeuron(1);
}
