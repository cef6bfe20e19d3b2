import { grid, ranged } from './coordinate.js';
import { HemisphereOnDLS } from './hemisphere.js';

export class NeuronColumnOnDLS extends ranged('NeuronColumnOnDLS', 0, 255) {}

export class NeuronRowOnDLS extends ranged('NeuronRowOnDLS', 0, 1) {
  static readonly top = new NeuronRowOnDLS(0);
  static readonly bottom = new NeuronRowOnDLS(1);
  toHemisphereOnDLS(): HemisphereOnDLS {
    return new HemisphereOnDLS(this.value);
  }
}

/** One neuron circuit: `256·row + column`. */
export class AtomicNeuronOnDLS extends grid('AtomicNeuronOnDLS', NeuronColumnOnDLS, NeuronRowOnDLS) {
  toNeuronColumnOnDLS(): NeuronColumnOnDLS {
    return this.x;
  }
  toNeuronRowOnDLS(): NeuronRowOnDLS {
    return this.y;
  }
}
