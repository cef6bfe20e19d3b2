import { grid, nested, ranged } from './coordinate.js';
import { CrossbarInputOnDLS } from './crossbar.js';
import { HemisphereOnDLS, NeuronBackendConfigBlockOnDLS } from './hemisphere.js';
import { AtomicNeuronOnDLS, NeuronColumnOnDLS } from './neuron.js';
import { SynapseQuadColumnOnDLS } from './synapse-quad.js';

/** A neuron's index inside its backend half: `row·128 + col % 128` (hardware.md §2.3). */
export class NeuronBackendConfigOnNeuronBackendConfigBlock extends ranged(
  'NeuronBackendConfigOnNeuronBackendConfigBlock',
  0,
  255,
) {}

// The per-neuron backend registers (config, reset, spike counter read / reset) share one layout (§2.3):
// enum `256·b + local` with b = col / 128 and local = row·128 + col % 128; they convert into each other by identity.
function backendIndexed<const Name extends string>(typeName: Name) {
  class BackendIndexed extends nested(typeName, NeuronBackendConfigOnNeuronBackendConfigBlock, () => NeuronBackendConfigBlockOnDLS) {
    toNeuronBackendConfigBlockOnDLS(): NeuronBackendConfigBlockOnDLS {
      return this.outer;
    }
    toNeuronBackendConfigOnNeuronBackendConfigBlock(): NeuronBackendConfigOnNeuronBackendConfigBlock {
      return this.local;
    }
    /** §2.3 inverse: `col = local % 128 + 128·b`, `row = local / 128`. */
    toAtomicNeuronOnDLS(): AtomicNeuronOnDLS {
      const b = Math.floor(this.value / 256);
      const local = this.value % 256;
      return new AtomicNeuronOnDLS(256 * Math.floor(local / 128) + (local % 128) + 128 * b);
    }
    toNeuronBackendConfigOnDLS(): NeuronBackendConfigOnDLS {
      return new NeuronBackendConfigOnDLS(this.value);
    }
    toNeuronResetOnDLS(): NeuronResetOnDLS {
      return new NeuronResetOnDLS(this.value);
    }
    toSpikeCounterReadOnDLS(): SpikeCounterReadOnDLS {
      return new SpikeCounterReadOnDLS(this.value);
    }
    toSpikeCounterResetOnDLS(): SpikeCounterResetOnDLS {
      return new SpikeCounterResetOnDLS(this.value);
    }
  }
  return BackendIndexed;
}

/** Backend configuration of one neuron. */
export class NeuronBackendConfigOnDLS extends backendIndexed('NeuronBackendConfigOnDLS') {}
/** Reset trigger of one neuron. */
export class NeuronResetOnDLS extends backendIndexed('NeuronResetOnDLS') {}
/** Spike counter of one neuron, read side. */
export class SpikeCounterReadOnDLS extends backendIndexed('SpikeCounterReadOnDLS') {}
/** Spike counter of one neuron, reset side. */
export class SpikeCounterResetOnDLS extends backendIndexed('SpikeCounterResetOnDLS') {}

/**
 * Resets the 4 neurons of one synapse quad column in one hemisphere: `64·hemisphere + quad column` (§2.2). The
 * quad's columns are non-adjacent (§2.7), which is why the real chip's quad reset also touches the correlation
 * sensors of that synapse quad (§3.4).
 */
export class NeuronResetQuadOnDLS extends grid('NeuronResetQuadOnDLS', () => SynapseQuadColumnOnDLS, () => HemisphereOnDLS) {
  toSynapseQuadColumnOnDLS(): SynapseQuadColumnOnDLS {
    return this.x;
  }
  toHemisphereOnDLS(): HemisphereOnDLS {
    return this.y;
  }
  /** Quads 0..15 and 32..47 hold columns of the left half (§2.7: quad → quadrant via `q % 32 ≥ 16`). */
  toNeuronBackendConfigBlockOnDLS(): NeuronBackendConfigBlockOnDLS {
    return new NeuronBackendConfigBlockOnDLS(this.x.value % 32 >= 16 ? 1 : 0);
  }
  /** The 4 neurons, indexed by EntryOnQuad. */
  toAtomicNeuronOnDLS(): AtomicNeuronOnDLS[] {
    const row = this.y.value;
    return this.x.toNeuronColumnOnDLS().map((col) => new AtomicNeuronOnDLS(256 * row + col.value));
  }
}

/** One of the 4 event outputs of a backend half. */
export class NeuronEventOutputOnNeuronBackendBlock extends ranged('NeuronEventOutputOnNeuronBackendBlock', 0, 3) {}

/** One event output per 32 neuron columns, shared by both rows: `4·block + local` = `col / 32` (§2.3). */
export class NeuronEventOutputOnDLS extends nested(
  'NeuronEventOutputOnDLS',
  NeuronEventOutputOnNeuronBackendBlock,
  () => NeuronBackendConfigBlockOnDLS,
) {
  toNeuronEventOutputOnNeuronBackendBlock(): NeuronEventOutputOnNeuronBackendBlock {
    return this.local;
  }
  toNeuronBackendConfigBlockOnDLS(): NeuronBackendConfigBlockOnDLS {
    return this.outer;
  }
  /** §2.3: neuron event output e feeds crossbar input e. */
  toCrossbarInputOnDLS(): CrossbarInputOnDLS {
    return new CrossbarInputOnDLS(this.value);
  }
  /** The 32 columns sharing this output. */
  toNeuronColumnOnDLS(): NeuronColumnOnDLS[] {
    return Array.from({ length: 32 }, (_, i) => new NeuronColumnOnDLS(32 * this.value + i));
  }
}

/** The per-neuron low byte of the spike label (backend `address_out`, §2.4). */
export class NeuronBackendAddressOut extends ranged('NeuronBackendAddressOut', 0, 255) {}

