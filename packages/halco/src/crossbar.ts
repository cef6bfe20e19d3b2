import { ranged, sparseGrid } from './coordinate.js';
import { BackgroundSpikeSourceOnDLS } from './background-spike-source.js';
import { NeuronEventOutputOnDLS } from './neuron-backend.js';
import { PADIBusOnDLS } from './padi.js';

/** Crossbar inputs (hardware.md §2.5): 0..7 neuron event outputs, 8..11 FPGA links, 12..19 background generators. */
export class CrossbarInputOnDLS extends ranged('CrossbarInputOnDLS', 0, 19) {
  toNeuronEventOutputOnDLS(): NeuronEventOutputOnDLS | undefined {
    return this.value < 8 ? new NeuronEventOutputOnDLS(this.value) : undefined;
  }
  /** §2.3: FPGA link a enters at input `8 + a`. */
  toSPL1Address(): SPL1Address | undefined {
    return this.value >= 8 && this.value < 12 ? new SPL1Address(this.value - 8) : undefined;
  }
  /** §2.3: generator i enters at input `12 + i`. */
  toBackgroundSpikeSourceOnDLS(): BackgroundSpikeSourceOnDLS | undefined {
    return this.value >= 12 ? new BackgroundSpikeSourceOnDLS(this.value - 12) : undefined;
  }
  /** The nodes of this input, in enum order (= ascending output). */
  toCrossbarNodeOnDLS(): CrossbarNodeOnDLS[] {
    return [...CrossbarNodeOnDLS.all()].filter((n) => n.y.value === this.value);
  }
}

/** Crossbar outputs (§2.5): 0..7 the PADI buses (0..3 top, 4..7 bottom), 8..11 the FPGA links (recording). */
export class CrossbarOutputOnDLS extends ranged('CrossbarOutputOnDLS', 0, 11) {
  /** §2.3: PADI bus p is output p. */
  toPADIBusOnDLS(): PADIBusOnDLS | undefined {
    return this.value < 8 ? new PADIBusOnDLS(this.value) : undefined;
  }
  toCrossbarL2OutputOnDLS(): CrossbarL2OutputOnDLS | undefined {
    return this.value >= 8 ? new CrossbarL2OutputOnDLS(this.value - 8) : undefined;
  }
  toSPL1Address(): SPL1Address | undefined {
    return this.value >= 8 ? new SPL1Address(this.value - 8) : undefined;
  }
  /** The nodes feeding this output, ascending by input. */
  toCrossbarNodeOnDLS(): CrossbarNodeOnDLS[] {
    return [...CrossbarNodeOnDLS.all()].filter((n) => n.x.value === this.value);
  }
}

// §2.5: the 76 existing nodes as (output, input), listed in enum order: by input, then by output.
function crossbarCells(): Array<readonly [output: number, input: number]> {
  const cells: Array<readonly [number, number]> = [];
  const add = (input: number, outputs: number[]) => {
    for (const output of [...outputs].sort((a, b) => a - b)) cells.push([output, input]);
  };
  for (let e = 0; e < 8; e++) add(e, [e % 4, 4 + (e % 4), 8 + (e % 4)]);
  for (let k = 8; k < 12; k++) add(k, [0, 1, 2, 3, 4, 5, 6, 7, 8 + (k - 8)]);
  for (let j = 12; j < 20; j++) add(j, [j - 12, 8 + ((j - 12) % 4)]);
  return cells;
}

/**
 * A crossbar node: sparse grid (x = output, y = input) of exactly the 76 nodes of §2.5, enum = index in
 * input-major order. Each node forwards iff `(neuron_label & mask) == target`.
 */
export class CrossbarNodeOnDLS extends sparseGrid('CrossbarNodeOnDLS', CrossbarOutputOnDLS, CrossbarInputOnDLS, crossbarCells()) {
  toCrossbarInputOnDLS(): CrossbarInputOnDLS {
    return this.y;
  }
  toCrossbarOutputOnDLS(): CrossbarOutputOnDLS {
    return this.x;
  }
  /** The node joining an input to an output, if the crossbar has one (partial: 76 of 240 pairs exist). */
  static find(input: CrossbarInputOnDLS, output: CrossbarOutputOnDLS): CrossbarNodeOnDLS | undefined {
    return CrossbarNodeOnDLS.has(output, input) ? new CrossbarNodeOnDLS(output, input) : undefined;
  }
}

/** One of the 4 FPGA link outputs of the crossbar (recorded spikes); crossbar output `8 + a` (§2.3). */
export class CrossbarL2OutputOnDLS extends ranged('CrossbarL2OutputOnDLS', 0, 3) {
  toCrossbarOutputOnDLS(): CrossbarOutputOnDLS {
    return new CrossbarOutputOnDLS(8 + this.value);
  }
  toSPL1Address(): SPL1Address {
    return new SPL1Address(this.value);
  }
}

/** The FPGA link channel of a spike label (§2.4 bits 15..14): crossbar input and output `8 + a` (§2.3). */
export class SPL1Address extends ranged('SPL1Address', 0, 3) {
  toCrossbarInputOnDLS(): CrossbarInputOnDLS {
    return new CrossbarInputOnDLS(8 + this.value);
  }
  toCrossbarOutputOnDLS(): CrossbarOutputOnDLS {
    return new CrossbarOutputOnDLS(8 + this.value);
  }
  toCrossbarL2OutputOnDLS(): CrossbarL2OutputOnDLS {
    return new CrossbarL2OutputOnDLS(this.value);
  }
}

/** The crossbar's single output configuration register. */
export class CrossbarOutputConfigOnDLS extends ranged('CrossbarOutputConfigOnDLS', 0, 0) {}
