import {
  AtomicNeuronOnDLS,
  CapMemBlockOnDLS,
  CapMemCellOnCapMemBlock,
  CapMemCellOnDLS,
  CapMemRowOnCapMemBlock,
  NeuronConfigOnDLS,
  NeuronResetOnDLS,
  NeuronResetQuadOnDLS,
} from '@bss2/halco';
import { atomicNeuronCapMemRows } from '@bss2/lola';

/** Owner of a CapMem cell in `NeuronWiring.ownerOf`: no circuit reads it (§2.6: stored, without effect). */
export const NO_OWNER = -1000;
/** Owner code of quadrant q's `syn_i_bias_dac`: `DAC_OWNER − q`. */
export const DAC_OWNER = -1;

/**
 * The fixed wiring of the neuron configuration as flat tables, computed once per process from halco's
 * conversions (hardware.md §2.3, §2.6) so that nothing positional is re-derived in the model.
 */
export class NeuronWiring {
  readonly neurons = AtomicNeuronOnDLS.size;
  readonly cellsPerNeuron = atomicNeuronCapMemRows.length;
  /** Per circuit: its NeuronConfigOnDLS and NeuronBackendConfigOnDLS. */
  readonly configIndex: Int32Array;
  readonly backendIndex: Int32Array;
  /** Per NeuronConfigOnDLS / NeuronResetOnDLS: its circuit. Per NeuronResetQuadOnDLS q: circuits `4q .. 4q + 3`. */
  readonly circuitOfConfig: Int32Array;
  readonly circuitOfReset: Int32Array;
  readonly circuitsOfResetQuad: Int32Array;
  /** CapMemCellOnDLS of circuit n's row r (in `atomicNeuronCapMemRows` order) at `n · 24 + r`. */
  readonly cellOf: Int32Array;
  /** Per CapMemCellOnDLS: `circuit · 24 + r`, `DAC_OWNER − quadrant` or `NO_OWNER`. */
  readonly ownerOf: Int32Array;
  readonly blockOfCell: Uint8Array;
  /** Per quadrant (= CapMemBlockOnDLS): its syn_i_bias_dac cell. */
  readonly dacCell: Int32Array;

  constructor() {
    const n = this.neurons;
    this.configIndex = new Int32Array(n);
    this.backendIndex = new Int32Array(n);
    this.cellOf = new Int32Array(n * this.cellsPerNeuron);
    const cells = CapMemCellOnDLS.size;
    this.ownerOf = new Int32Array(cells).fill(NO_OWNER);
    const cellsPerBlock = CapMemCellOnCapMemBlock.size;
    this.blockOfCell = Uint8Array.from({ length: cells }, (_, cell) => Math.floor(cell / cellsPerBlock));
    if (new CapMemCellOnDLS(cellsPerBlock).toCapMemBlockOnDLS().value !== 1) throw new Error('@bss2/halco CapMemCellOnDLS is not block-major');
    const rows = atomicNeuronCapMemRows.map(([row]) => new CapMemRowOnCapMemBlock(row.value));
    for (const neuron of AtomicNeuronOnDLS.all()) {
      const c = neuron.value;
      this.configIndex[c] = neuron.toNeuronConfigOnDLS().value;
      this.backendIndex[c] = neuron.toNeuronBackendConfigOnDLS().value;
      rows.forEach((row, r) => {
        const cell = neuron.toCapMemCellOnDLS(row).value;
        this.cellOf[c * this.cellsPerNeuron + r] = cell;
        this.ownerOf[cell] = c * this.cellsPerNeuron + r;
      });
    }
    this.dacCell = Int32Array.from(CapMemBlockOnDLS.all(), (block) => new CapMemCellOnDLS(CapMemCellOnCapMemBlock.synIBiasDac, block).value);
    // CapMem block q holds the cells of neuron quadrant q (§2.3), its syn_i_bias_dac included.
    this.dacCell.forEach((cell, q) => (this.ownerOf[cell] = DAC_OWNER - q));
    this.circuitOfConfig = Int32Array.from(NeuronConfigOnDLS.all(), (c) => c.toAtomicNeuronOnDLS().value);
    this.circuitOfReset = Int32Array.from(NeuronResetOnDLS.all(), (r) => r.toAtomicNeuronOnDLS().value);
    this.circuitsOfResetQuad = Int32Array.from([...NeuronResetQuadOnDLS.all()].flatMap((q) => q.toAtomicNeuronOnDLS().map((a) => a.value)));
  }
}

let shared: NeuronWiring | undefined;

/** The process-wide wiring tables (immutable; built on first use). */
export function neuronWiring(): NeuronWiring {
  shared ??= new NeuronWiring();
  return shared;
}
