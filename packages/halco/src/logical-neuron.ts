import { grid, ranged } from './coordinate.js';
import { AtomicNeuronOnDLS } from './neuron.js';

/** A column inside a logical neuron's bounding box (hardware.md §4). */
export class NeuronColumnOnLogicalNeuron extends ranged('NeuronColumnOnLogicalNeuron', 0, 127) {}

/** A row inside a logical neuron's bounding box. */
export class NeuronRowOnLogicalNeuron extends ranged('NeuronRowOnLogicalNeuron', 0, 1) {
  static readonly top = new NeuronRowOnLogicalNeuron(0);
  static readonly bottom = new NeuronRowOnLogicalNeuron(1);
}

/** A position inside a logical neuron: grid (column, row), `128·row + column` (§4). */
export class AtomicNeuronOnLogicalNeuron extends grid('AtomicNeuronOnLogicalNeuron', NeuronColumnOnLogicalNeuron, NeuronRowOnLogicalNeuron) {
  toNeuronColumnOnLogicalNeuron(): NeuronColumnOnLogicalNeuron {
    return this.x;
  }
  toNeuronRowOnLogicalNeuron(): NeuronRowOnLogicalNeuron {
    return this.y;
  }
  /**
   * The circuit at this position when the bounding box's top-left is `anchor`; partial: `undefined` off the chip
   * (§4: placement is invalid if `anchor.row + height > 2`).
   */
  toAtomicNeuronOnDLS(anchor: AtomicNeuronOnDLS): AtomicNeuronOnDLS | undefined {
    const column = anchor.value % 256 + this.x.value;
    const row = Math.floor(anchor.value / 256) + this.y.value;
    return column < 256 && row < 2 ? new AtomicNeuronOnDLS(256 * row + column) : undefined;
  }
}

/** A compartment index of a logical neuron. */
export class CompartmentOnLogicalNeuron extends ranged('CompartmentOnLogicalNeuron', 0, 254) {}
