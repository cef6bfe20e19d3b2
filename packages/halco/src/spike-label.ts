import { ranged, type Coordinate, type CoordinateType } from './coordinate.js';
import { SPL1Address } from './crossbar.js';
import { NeuronBackendAddressOut, NeuronEventOutputOnDLS } from './neuron-backend.js';
import { PADIRowSelectAddress } from './padi.js';
import { SynapseLabel } from './synapse.js';

/** A bit field of the label: `offset` is its LSB (hardware.md §2.4). */
interface LabelField {
  readonly offset: number;
  readonly width: number;
}

// hardware.md §2.4, each field defined once; both the accessors and the builders read these.
export const spikeLabelFields = {
  spl1Address: { offset: 14, width: 2 },
  neuronLabel: { offset: 0, width: 14 },
  neuronEventOutput: { offset: 8, width: 3 },
  addressOut: { offset: 0, width: 8 },
  rowSelectAddress: { offset: 6, width: 5 },
  synapseLabel: { offset: 0, width: 6 },
} as const satisfies Record<string, LabelField>;

function read(value: number, field: LabelField): number {
  return (value >>> field.offset) & ((1 << field.width) - 1);
}

function write(value: number, field: LabelField, part: number): number {
  const mask = ((1 << field.width) - 1) << field.offset;
  return (value & ~mask) | ((part << field.offset) & mask);
}

/** A copy of `label` with one field replaced. */
function withField<T extends Coordinate>(label: T, field: LabelField, part: Coordinate): T {
  return new (label.constructor as CoordinateType<T>)(write(label.value, field, part.value));
}

// The fields below bit 14 are shared by NeuronLabel (what the crossbar compares) and SpikeLabel (with the link
// channel on top); one base keeps their accessors identical.
function labelFields<const Name extends string>(typeName: Name, max: number) {
  class LabelFields extends ranged(typeName, 0, max) {
    /** Bits 10..8: the emitting neuron's event output (`column / 32`). */
    get neuronEventOutput(): NeuronEventOutputOnDLS {
      return new NeuronEventOutputOnDLS(read(this.value, spikeLabelFields.neuronEventOutput));
    }
    /** Bits 7..0: the emitting neuron's backend `address_out`. */
    get addressOut(): NeuronBackendAddressOut {
      return new NeuronBackendAddressOut(read(this.value, spikeLabelFields.addressOut));
    }
    /** Bits 10..6: compared by synapse drivers with their bus index. */
    get rowSelectAddress(): PADIRowSelectAddress {
      return new PADIRowSelectAddress(read(this.value, spikeLabelFields.rowSelectAddress));
    }
    /** Bits 5..0: compared with every synapse's label. */
    get synapseLabel(): SynapseLabel {
      return new SynapseLabel(read(this.value, spikeLabelFields.synapseLabel));
    }
    withNeuronEventOutput(output: NeuronEventOutputOnDLS): this {
      return withField(this, spikeLabelFields.neuronEventOutput, output);
    }
    withAddressOut(address: NeuronBackendAddressOut): this {
      return withField(this, spikeLabelFields.addressOut, address);
    }
    withRowSelectAddress(address: PADIRowSelectAddress): this {
      return withField(this, spikeLabelFields.rowSelectAddress, address);
    }
    withSynapseLabel(label: SynapseLabel): this {
      return withField(this, spikeLabelFields.synapseLabel, label);
    }
  }
  return LabelFields;
}

/** The 14-bit label the crossbar filters compare (§2.4 bits 13..0). */
export class NeuronLabel extends labelFields('NeuronLabel', 0x3fff) {
  /**
   * The label a neuron emits: `(column / 32) << 8 | address_out` (§1.3). **Choice** (§2.4): bits 13..11 are 0.
   */
  static fromNeuron(output: NeuronEventOutputOnDLS, address: NeuronBackendAddressOut): NeuronLabel {
    return new NeuronLabel(0).withNeuronEventOutput(output).withAddressOut(address);
  }
  toSpikeLabel(spl1Address: SPL1Address = new SPL1Address(0)): SpikeLabel {
    return new SpikeLabel(0).withSpl1Address(spl1Address).withNeuronLabel(this);
  }
}

/** The full 16-bit event label: FPGA link channel (bits 15..14) over the neuron label (§2.4). */
export class SpikeLabel extends labelFields('SpikeLabel', 0xffff) {
  get spl1Address(): SPL1Address {
    return new SPL1Address(read(this.value, spikeLabelFields.spl1Address));
  }
  get neuronLabel(): NeuronLabel {
    return new NeuronLabel(read(this.value, spikeLabelFields.neuronLabel));
  }
  withSpl1Address(address: SPL1Address): SpikeLabel {
    return withField(this, spikeLabelFields.spl1Address, address);
  }
  withNeuronLabel(label: NeuronLabel): SpikeLabel {
    return withField(this, spikeLabelFields.neuronLabel, label);
  }
  toNeuronLabel(): NeuronLabel {
    return this.neuronLabel;
  }
  toSPL1Address(): SPL1Address {
    return this.spl1Address;
  }
}
