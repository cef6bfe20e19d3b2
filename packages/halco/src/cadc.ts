import { grid, nested, ranged, requirePart } from './coordinate.js';
import { SynramOnDLS } from './hemisphere.js';
import { NeuronColumnOnDLS, NeuronConfigBlockOnDLS } from './neuron.js';
import { SynapseQuadOnSynram, SynapseQuadOnDLS } from './synapse-quad.js';
import { SynapseRowOnDLS, SynapseRowOnSynram } from './synapse.js';

/** Which correlation branch a CADC channel samples (hardware.md §2.1: causal = 0, acausal = 1). */
export class CADCChannelType extends ranged('CADCChannelType', 0, 1) {
  static readonly causal = new CADCChannelType(0);
  static readonly acausal = new CADCChannelType(1);
}

/** How a CADC sample is read (§3.9): `triggerRead` starts a conversion, `buffered` returns the last result. */
export class CADCReadoutType extends ranged('CADCReadoutType', 0, 1) {
  static readonly triggerRead = new CADCReadoutType(0);
  static readonly buffered = new CADCReadoutType(1);
}

/** A CADC channel column; the same index as the synapse and neuron column (§2.2). */
export class CADCChannelColumnOnSynram extends ranged('CADCChannelColumnOnSynram', 0, 255) {
  toNeuronColumnOnDLS(): NeuronColumnOnDLS {
    return new NeuronColumnOnDLS(this.value);
  }
}

/** A channel of one CADC: grid (column, channel type), `256·type + column`. */
export class CADCChannelConfigOnSynram extends grid('CADCChannelConfigOnSynram', CADCChannelColumnOnSynram, CADCChannelType) {
  toCADCChannelColumnOnSynram(): CADCChannelColumnOnSynram {
    return this.x;
  }
  toCADCChannelType(): CADCChannelType {
    return this.y;
  }
}

/** A CADC channel of the chip: `512·synram + CADCChannelConfigOnSynram` (1024 channels). */
export class CADCChannelConfigOnDLS extends nested('CADCChannelConfigOnDLS', CADCChannelConfigOnSynram, () => SynramOnDLS) {
  toCADCChannelConfigOnSynram(): CADCChannelConfigOnSynram {
    return this.local;
  }
  toSynramOnDLS(): SynramOnDLS {
    return this.outer;
  }
  /** §2.3: the neuron quadrant of the channel's column, `2·synram + col / 128`. */
  toNeuronConfigBlockOnDLS(): NeuronConfigBlockOnDLS {
    return new NeuronConfigBlockOnDLS(2 * this.outer.value + Math.floor(this.local.x.value / 128));
  }
}

/** One CADC sample row per synapse row: `256·synram + row` (§2.2). */
export class CADCSampleRowOnDLS extends nested('CADCSampleRowOnDLS', () => SynapseRowOnSynram, () => SynramOnDLS) {
  toSynapseRowOnDLS(): SynapseRowOnDLS {
    return new SynapseRowOnDLS(this.value);
  }
  toSynramOnDLS(): SynramOnDLS {
    return this.outer;
  }
}

const quadsPerSynram = 64 * 256;

/**
 * Four samples read at once: a synapse quad × channel type × readout type, enum
 * `(2·readout + channelType)·16384 + quad` — the order of the address windows of §3.11.
 */
export class CADCSampleQuadOnSynram extends ranged('CADCSampleQuadOnSynram', 0, 4 * quadsPerSynram - 1) {
  constructor(quadOrEnum: SynapseQuadOnSynram | number, channelType?: CADCChannelType, readoutType?: CADCReadoutType) {
    if (typeof quadOrEnum === 'number' && channelType === undefined && readoutType === undefined) {
      super(quadOrEnum);
    } else {
      const quad = requirePart('CADCSampleQuadOnSynram', SynapseQuadOnSynram, quadOrEnum);
      const type = requirePart('CADCSampleQuadOnSynram', CADCChannelType, channelType);
      const readout = requirePart('CADCSampleQuadOnSynram', CADCReadoutType, readoutType);
      super((2 * readout.value + type.value) * quadsPerSynram + quad.value);
    }
  }
  toSynapseQuadOnSynram(): SynapseQuadOnSynram {
    return new SynapseQuadOnSynram(this.value % quadsPerSynram);
  }
  toCADCChannelType(): CADCChannelType {
    return new CADCChannelType(Math.floor(this.value / quadsPerSynram) % 2);
  }
  toCADCReadoutType(): CADCReadoutType {
    return new CADCReadoutType(Math.floor(this.value / (2 * quadsPerSynram)));
  }
}

/** A CADC sample quad of the chip: `65536·synram + CADCSampleQuadOnSynram` (131 072). */
export class CADCSampleQuadOnDLS extends nested('CADCSampleQuadOnDLS', CADCSampleQuadOnSynram, () => SynramOnDLS) {
  toCADCSampleQuadOnSynram(): CADCSampleQuadOnSynram {
    return this.local;
  }
  toSynramOnDLS(): SynramOnDLS {
    return this.outer;
  }
  toSynapseQuadOnDLS(): SynapseQuadOnDLS {
    return new SynapseQuadOnDLS(this.local.toSynapseQuadOnSynram(), this.outer);
  }
  toCADCChannelType(): CADCChannelType {
    return this.local.toCADCChannelType();
  }
  toCADCReadoutType(): CADCReadoutType {
    return this.local.toCADCReadoutType();
  }
  /** The 4 channels sampled, indexed by EntryOnQuad. */
  toCADCChannelConfigOnDLS(): CADCChannelConfigOnDLS[] {
    const type = this.toCADCChannelType();
    return this.local
      .toSynapseQuadOnSynram()
      .x.toNeuronColumnOnDLS()
      .map((col) => new CADCChannelConfigOnDLS(new CADCChannelConfigOnSynram(col.toCADCChannelColumnOnSynram(), type), this.outer));
  }
}
