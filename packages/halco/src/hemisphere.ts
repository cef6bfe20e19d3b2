import { ranged } from './coordinate.js';

// hardware.md §2.1: the 23 two-valued per-hemisphere types. Value 0 is the top hemisphere (or the left backend
// half), 1 the bottom (right); every one converts to every other by identity, so the conversions live in one
// shared base and each type only adds its named constants.
function hemisphereFamily<const Name extends string>(typeName: Name) {
  class TwoValued extends ranged(typeName, 0, 1) {
    toHemisphereOnDLS(): HemisphereOnDLS {
      return new HemisphereOnDLS(this.value);
    }
    toSynramOnDLS(): SynramOnDLS {
      return new SynramOnDLS(this.value);
    }
    toPPUOnDLS(): PPUOnDLS {
      return new PPUOnDLS(this.value);
    }
    toNeuronRowOnDLS(): NeuronRowOnDLS {
      return new NeuronRowOnDLS(this.value);
    }
    toSynapseDriverBlockOnDLS(): SynapseDriverBlockOnDLS {
      return new SynapseDriverBlockOnDLS(this.value);
    }
    toPADIBusBlockOnDLS(): PADIBusBlockOnDLS {
      return new PADIBusBlockOnDLS(this.value);
    }
    toCADCOnDLS(): CADCOnDLS {
      return new CADCOnDLS(this.value);
    }
    toCADCConfigOnDLS(): CADCConfigOnDLS {
      return new CADCConfigOnDLS(this.value);
    }
    toCommonSynramConfigOnDLS(): CommonSynramConfigOnDLS {
      return new CommonSynramConfigOnDLS(this.value);
    }
    toCommonPADIBusConfigOnDLS(): CommonPADIBusConfigOnDLS {
      return new CommonPADIBusConfigOnDLS(this.value);
    }
    toCommonSTPConfigOnDLS(): CommonSTPConfigOnDLS {
      return new CommonSTPConfigOnDLS(this.value);
    }
    toNeuronBackendConfigBlockOnDLS(): NeuronBackendConfigBlockOnDLS {
      return new NeuronBackendConfigBlockOnDLS(this.value);
    }
    toCommonNeuronBackendConfigOnDLS(): CommonNeuronBackendConfigOnDLS {
      return new CommonNeuronBackendConfigOnDLS(this.value);
    }
    toBlockPostPulseOnDLS(): BlockPostPulseOnDLS {
      return new BlockPostPulseOnDLS(this.value);
    }
    toPADIEventOnDLS(): PADIEventOnDLS {
      return new PADIEventOnDLS(this.value);
    }
    toPPUControlRegisterOnDLS(): PPUControlRegisterOnDLS {
      return new PPUControlRegisterOnDLS(this.value);
    }
    toPPUStatusRegisterOnDLS(): PPUStatusRegisterOnDLS {
      return new PPUStatusRegisterOnDLS(this.value);
    }
    toPPUMemoryOnDLS(): PPUMemoryOnDLS {
      return new PPUMemoryOnDLS(this.value);
    }
    toSynapseBlockOnDLS(): SynapseBlockOnDLS {
      return new SynapseBlockOnDLS(this.value);
    }
    toColumnCorrelationRowOnDLS(): ColumnCorrelationRowOnDLS {
      return new ColumnCorrelationRowOnDLS(this.value);
    }
    toColumnCurrentRowOnDLS(): ColumnCurrentRowOnDLS {
      return new ColumnCurrentRowOnDLS(this.value);
    }
    toSynapseDriverSRAMTimingConfigOnDLS(): SynapseDriverSRAMTimingConfigOnDLS {
      return new SynapseDriverSRAMTimingConfigOnDLS(this.value);
    }
    toNeuronBackendSRAMTimingConfigOnDLS(): NeuronBackendSRAMTimingConfigOnDLS {
      return new NeuronBackendSRAMTimingConfigOnDLS(this.value);
    }
  }
  return TwoValued;
}

/** Top (0) or bottom (1) half of the chip. */
export class HemisphereOnDLS extends hemisphereFamily('HemisphereOnDLS') {
  static readonly top = new HemisphereOnDLS(0);
  static readonly bottom = new HemisphereOnDLS(1);
}

/** The synapse array of a hemisphere. */
export class SynramOnDLS extends hemisphereFamily('SynramOnDLS') {
  static readonly top = new SynramOnDLS(0);
  static readonly bottom = new SynramOnDLS(1);
}

/** The plasticity processor of a hemisphere. */
export class PPUOnDLS extends hemisphereFamily('PPUOnDLS') {
  static readonly top = new PPUOnDLS(0);
  static readonly bottom = new PPUOnDLS(1);
}

/** The neuron row of a hemisphere (row 0 = top). */
export class NeuronRowOnDLS extends hemisphereFamily('NeuronRowOnDLS') {
  static readonly top = new NeuronRowOnDLS(0);
  static readonly bottom = new NeuronRowOnDLS(1);
}

/** The 128 synapse drivers of a hemisphere. */
export class SynapseDriverBlockOnDLS extends hemisphereFamily('SynapseDriverBlockOnDLS') {
  static readonly top = new SynapseDriverBlockOnDLS(0);
  static readonly bottom = new SynapseDriverBlockOnDLS(1);
}

/** The 4 PADI buses of a hemisphere. */
export class PADIBusBlockOnDLS extends hemisphereFamily('PADIBusBlockOnDLS') {
  static readonly top = new PADIBusBlockOnDLS(0);
  static readonly bottom = new PADIBusBlockOnDLS(1);
}

/** The column-parallel ADC of a hemisphere. */
export class CADCOnDLS extends hemisphereFamily('CADCOnDLS') {
  static readonly top = new CADCOnDLS(0);
  static readonly bottom = new CADCOnDLS(1);
}

/** The CADC bus register of a hemisphere. */
export class CADCConfigOnDLS extends hemisphereFamily('CADCConfigOnDLS') {
  static readonly top = new CADCConfigOnDLS(0);
  static readonly bottom = new CADCConfigOnDLS(1);
}

/** SRAM timing of a synapse array. */
export class CommonSynramConfigOnDLS extends hemisphereFamily('CommonSynramConfigOnDLS') {
  static readonly top = new CommonSynramConfigOnDLS(0);
  static readonly bottom = new CommonSynramConfigOnDLS(1);
}

/** Bus configuration of a PADI bus block. */
export class CommonPADIBusConfigOnDLS extends hemisphereFamily('CommonPADIBusConfigOnDLS') {
  static readonly top = new CommonPADIBusConfigOnDLS(0);
  static readonly bottom = new CommonPADIBusConfigOnDLS(1);
}

/** STP recovery clock of a driver block. */
export class CommonSTPConfigOnDLS extends hemisphereFamily('CommonSTPConfigOnDLS') {
  static readonly top = new CommonSTPConfigOnDLS(0);
  static readonly bottom = new CommonSTPConfigOnDLS(1);
}

/** Backend half: left = columns 0–127, right = 128–255 (hardware.md §1). */
export class NeuronBackendConfigBlockOnDLS extends hemisphereFamily('NeuronBackendConfigBlockOnDLS') {
  static readonly left = new NeuronBackendConfigBlockOnDLS(0);
  static readonly right = new NeuronBackendConfigBlockOnDLS(1);
}

/** Common backend configuration of a backend half. */
export class CommonNeuronBackendConfigOnDLS extends hemisphereFamily('CommonNeuronBackendConfigOnDLS') {
  static readonly left = new CommonNeuronBackendConfigOnDLS(0);
  static readonly right = new CommonNeuronBackendConfigOnDLS(1);
}

/** Post-pulse trigger of a backend half. */
export class BlockPostPulseOnDLS extends hemisphereFamily('BlockPostPulseOnDLS') {
  static readonly left = new BlockPostPulseOnDLS(0);
  static readonly right = new BlockPostPulseOnDLS(1);
}

/** Software event trigger register of a PADI bus block. */
export class PADIEventOnDLS extends hemisphereFamily('PADIEventOnDLS') {
  static readonly top = new PADIEventOnDLS(0);
  static readonly bottom = new PADIEventOnDLS(1);
}

/** Control register of a PPU. */
export class PPUControlRegisterOnDLS extends hemisphereFamily('PPUControlRegisterOnDLS') {
  static readonly top = new PPUControlRegisterOnDLS(0);
  static readonly bottom = new PPUControlRegisterOnDLS(1);
}

/** Status register of a PPU. */
export class PPUStatusRegisterOnDLS extends hemisphereFamily('PPUStatusRegisterOnDLS') {
  static readonly top = new PPUStatusRegisterOnDLS(0);
  static readonly bottom = new PPUStatusRegisterOnDLS(1);
}

/** The whole 16 KiB memory of a PPU. */
export class PPUMemoryOnDLS extends hemisphereFamily('PPUMemoryOnDLS') {
  static readonly top = new PPUMemoryOnDLS(0);
  static readonly bottom = new PPUMemoryOnDLS(1);
}

/** The synapse block (array and its switches) of a hemisphere. */
export class SynapseBlockOnDLS extends hemisphereFamily('SynapseBlockOnDLS') {
  static readonly top = new SynapseBlockOnDLS(0);
  static readonly bottom = new SynapseBlockOnDLS(1);
}

/** The row of column correlation switches of a synapse array. */
export class ColumnCorrelationRowOnDLS extends hemisphereFamily('ColumnCorrelationRowOnDLS') {
  static readonly top = new ColumnCorrelationRowOnDLS(0);
  static readonly bottom = new ColumnCorrelationRowOnDLS(1);
}

/** The row of column current switches of a synapse array. */
export class ColumnCurrentRowOnDLS extends hemisphereFamily('ColumnCurrentRowOnDLS') {
  static readonly top = new ColumnCurrentRowOnDLS(0);
  static readonly bottom = new ColumnCurrentRowOnDLS(1);
}

/** SRAM timing of a driver block. */
export class SynapseDriverSRAMTimingConfigOnDLS extends hemisphereFamily('SynapseDriverSRAMTimingConfigOnDLS') {
  static readonly top = new SynapseDriverSRAMTimingConfigOnDLS(0);
  static readonly bottom = new SynapseDriverSRAMTimingConfigOnDLS(1);
}

/** SRAM timing of a backend half. */
export class NeuronBackendSRAMTimingConfigOnDLS extends hemisphereFamily('NeuronBackendSRAMTimingConfigOnDLS') {
  static readonly left = new NeuronBackendSRAMTimingConfigOnDLS(0);
  static readonly right = new NeuronBackendSRAMTimingConfigOnDLS(1);
}

/** The 23 types of the family, for inventory listings and tests. */
export const hemisphereFamilyTypes = [
  HemisphereOnDLS,
  SynramOnDLS,
  PPUOnDLS,
  NeuronRowOnDLS,
  SynapseDriverBlockOnDLS,
  PADIBusBlockOnDLS,
  CADCOnDLS,
  CADCConfigOnDLS,
  CommonSynramConfigOnDLS,
  CommonPADIBusConfigOnDLS,
  CommonSTPConfigOnDLS,
  NeuronBackendConfigBlockOnDLS,
  CommonNeuronBackendConfigOnDLS,
  BlockPostPulseOnDLS,
  PADIEventOnDLS,
  PPUControlRegisterOnDLS,
  PPUStatusRegisterOnDLS,
  PPUMemoryOnDLS,
  SynapseBlockOnDLS,
  ColumnCorrelationRowOnDLS,
  ColumnCurrentRowOnDLS,
  SynapseDriverSRAMTimingConfigOnDLS,
  NeuronBackendSRAMTimingConfigOnDLS,
] as const;
