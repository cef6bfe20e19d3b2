import { grid, nested, ranged } from './coordinate.js';
import {
  HemisphereOnDLS,
  NeuronBackendConfigBlockOnDLS,
  NeuronRowOnDLS,
  SynramOnDLS,
} from './hemisphere.js';
import { CapMemBlockOnDLS, CapMemCellOnCapMemBlock, CapMemCellOnDLS, CapMemColumnOnCapMemBlock, CapMemRowOnCapMemBlock } from './capmem.js';
import { CADCChannelColumnOnSynram } from './cadc.js';
import {
  NeuronBackendConfigOnDLS,
  NeuronEventOutputOnDLS,
  NeuronEventOutputOnNeuronBackendBlock,
  NeuronResetOnDLS,
  NeuronResetQuadOnDLS,
  SpikeCounterReadOnDLS,
  SpikeCounterResetOnDLS,
} from './neuron-backend.js';
import { EntryOnQuad, SynapseQuadColumnOnDLS } from './synapse-quad.js';
import { SynapseOnSynapseRow } from './synapse.js';

/** A neuron column; the same index as the synapse column above it (hardware.md §2.3). */
export class NeuronColumnOnDLS extends ranged('NeuronColumnOnDLS', 0, 255) {
  toSynapseOnSynapseRow(): SynapseOnSynapseRow {
    return new SynapseOnSynapseRow(this.value);
  }
  toCADCChannelColumnOnSynram(): CADCChannelColumnOnSynram {
    return new CADCChannelColumnOnSynram(this.value);
  }
  /** §2.7: `q = (col % 2)·32 + ⌊col / 8⌋` — quads hold non-adjacent columns. */
  toSynapseQuadColumnOnDLS(): SynapseQuadColumnOnDLS {
    return new SynapseQuadColumnOnDLS((this.value % 2) * 32 + Math.floor(this.value / 8));
  }
  /** §2.7: `e = ⌊col / 2⌋ % 4`. */
  toEntryOnQuad(): EntryOnQuad {
    return new EntryOnQuad(Math.floor(this.value / 2) % 4);
  }
  /** §2.3: one event output per 32 columns, shared by both rows. */
  toNeuronEventOutputOnDLS(): NeuronEventOutputOnDLS {
    return new NeuronEventOutputOnDLS(Math.floor(this.value / 32));
  }
  toNeuronEventOutputOnNeuronBackendBlock(): NeuronEventOutputOnNeuronBackendBlock {
    return new NeuronEventOutputOnNeuronBackendBlock(Math.floor((this.value % 128) / 32));
  }
  /** §1: left backend half = columns 0–127. */
  toNeuronBackendConfigBlockOnDLS(): NeuronBackendConfigBlockOnDLS {
    return new NeuronBackendConfigBlockOnDLS(Math.floor(this.value / 128));
  }
  /** §2.3: CapMem column = `col % 128`. */
  toCapMemColumnOnCapMemBlock(): CapMemColumnOnCapMemBlock {
    return new CapMemColumnOnCapMemBlock(this.value % 128);
  }
}

// The conversions of each neuron that composite containers use per word (the addresses and leaves of an
// AtomicNeuron), made once per neuron: coordinates are immutable values, so one instance serves every caller.
const neuronConfigOf: NeuronConfigOnDLS[] = [];
const neuronBackendConfigOf: NeuronBackendConfigOnDLS[] = [];
const capMemColumnOf: CapMemColumnOnCapMemBlock[] = [];
const capMemBlockOf: CapMemBlockOnDLS[] = [];
const capMemCellOf: CapMemCellOnDLS[] = [];

/** One neuron circuit: `256·row + column` (hardware.md §2.3). */
export class AtomicNeuronOnDLS extends grid('AtomicNeuronOnDLS', NeuronColumnOnDLS, () => NeuronRowOnDLS) {
  toNeuronColumnOnDLS(): NeuronColumnOnDLS {
    return this.x;
  }
  toNeuronRowOnDLS(): NeuronRowOnDLS {
    return this.y;
  }
  toHemisphereOnDLS(): HemisphereOnDLS {
    return new HemisphereOnDLS(this.y.value);
  }
  toSynramOnDLS(): SynramOnDLS {
    return new SynramOnDLS(this.y.value);
  }
  /** Same enum: NeuronConfigOnDLS is also `256·row + column` (§2.2). */
  toNeuronConfigOnDLS(): NeuronConfigOnDLS {
    return (neuronConfigOf[this.value] ??= new NeuronConfigOnDLS(this.value));
  }
  /** The quadrant: `2·row + col / 128` (§1). */
  toNeuronConfigBlockOnDLS(): NeuronConfigBlockOnDLS {
    return new NeuronConfigBlockOnDLS(Math.floor(this.value / 128));
  }
  toNeuronBackendConfigOnDLS(): NeuronBackendConfigOnDLS {
    return (neuronBackendConfigOf[this.value] ??= new NeuronBackendConfigOnDLS(backendEnum(this)));
  }
  toNeuronResetOnDLS(): NeuronResetOnDLS {
    return new NeuronResetOnDLS(backendEnum(this));
  }
  toSpikeCounterReadOnDLS(): SpikeCounterReadOnDLS {
    return new SpikeCounterReadOnDLS(backendEnum(this));
  }
  toSpikeCounterResetOnDLS(): SpikeCounterResetOnDLS {
    return new SpikeCounterResetOnDLS(backendEnum(this));
  }
  /** The reset quad whose 4 (non-adjacent) columns include this neuron (§2.7). */
  toNeuronResetQuadOnDLS(): NeuronResetQuadOnDLS {
    return new NeuronResetQuadOnDLS(this.x.toSynapseQuadColumnOnDLS(), new HemisphereOnDLS(this.y.value));
  }
  toNeuronEventOutputOnDLS(): NeuronEventOutputOnDLS {
    return this.x.toNeuronEventOutputOnDLS();
  }
  /** §2.3: the block is the neuron's quadrant. */
  toCapMemBlockOnDLS(): CapMemBlockOnDLS {
    return (capMemBlockOf[this.value] ??= new CapMemBlockOnDLS(Math.floor(this.value / 128)));
  }
  toCapMemColumnOnCapMemBlock(): CapMemColumnOnCapMemBlock {
    return (capMemColumnOf[this.value] ??= this.x.toCapMemColumnOnCapMemBlock());
  }
  /** The neuron's own cell in a per-neuron CapMem row (§2.6), e.g. `CapMemRowOnCapMemBlock.vLeak`. */
  toCapMemCellOnDLS(row: CapMemRowOnCapMemBlock): CapMemCellOnDLS {
    // Cached for rows of the right type only: anything else goes to the cell's constructor, which refuses it.
    const key = row instanceof CapMemRowOnCapMemBlock ? this.value * CapMemRowOnCapMemBlock.size + row.value : -1;
    const cached = key < 0 ? undefined : capMemCellOf[key];
    if (cached !== undefined) return cached;
    const cell = new CapMemCellOnDLS(new CapMemCellOnCapMemBlock(this.toCapMemColumnOnCapMemBlock(), row), this.toCapMemBlockOnDLS());
    if (key >= 0) capMemCellOf[key] = cell;
    return cell;
  }
}

/**
 * §2.3 backend layout: block `b = col / 128`, local `row·128 + col % 128`, enum `256·b + local`
 * (the backend halves are split by column, not by row).
 */
function backendEnum(neuron: AtomicNeuronOnDLS): number {
  const col = neuron.value % 256;
  const row = Math.floor(neuron.value / 256);
  return 256 * Math.floor(col / 128) + 128 * row + (col % 128);
}

/** A neuron quadrant (§1): 0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right. */
export class NeuronConfigBlockOnDLS extends ranged('NeuronConfigBlockOnDLS', 0, 3) {
  static readonly topLeft = new NeuronConfigBlockOnDLS(0);
  static readonly topRight = new NeuronConfigBlockOnDLS(1);
  static readonly bottomLeft = new NeuronConfigBlockOnDLS(2);
  static readonly bottomRight = new NeuronConfigBlockOnDLS(3);
  /** §2.3: identity — the CapMem block of a quadrant has the same number. */
  toCapMemBlockOnDLS(): CapMemBlockOnDLS {
    return new CapMemBlockOnDLS(this.value);
  }
  toHemisphereOnDLS(): HemisphereOnDLS {
    return new HemisphereOnDLS(Math.floor(this.value / 2));
  }
  toNeuronBackendConfigBlockOnDLS(): NeuronBackendConfigBlockOnDLS {
    return new NeuronBackendConfigBlockOnDLS(this.value % 2);
  }
}

/** A neuron's index inside its quadrant. */
export class NeuronConfigOnNeuronConfigBlock extends ranged('NeuronConfigOnNeuronConfigBlock', 0, 127) {
  /** CapMem column = index in the quadrant (§2.3). */
  toCapMemColumnOnCapMemBlock(): CapMemColumnOnCapMemBlock {
    return new CapMemColumnOnCapMemBlock(this.value);
  }
}

/** The neuron-config SRAM slot of a neuron: `enum / 128` is its quadrant, `enum % 128` the index (§2.3). */
export class NeuronConfigOnDLS extends nested('NeuronConfigOnDLS', NeuronConfigOnNeuronConfigBlock, NeuronConfigBlockOnDLS) {
  toNeuronConfigBlockOnDLS(): NeuronConfigBlockOnDLS {
    return this.outer;
  }
  toNeuronConfigOnNeuronConfigBlock(): NeuronConfigOnNeuronConfigBlock {
    return this.local;
  }
  toAtomicNeuronOnDLS(): AtomicNeuronOnDLS {
    return new AtomicNeuronOnDLS(this.value);
  }
}
