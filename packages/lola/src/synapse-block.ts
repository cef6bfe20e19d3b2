import { CapMemBlockOnDLS, CapMemCellOnCapMemBlock, CapMemCellOnDLS, SynapseBlockOnDLS } from '@bss2/halco';
import { type CapMemCellValue, CapMemCell, capMemCellValueType } from './capmem.js';
import { Container, concatWords, expectJSONType, expectWordCount, registerContainer, rejectUnknownKeys } from './container.js';
import { ContainerSerializationError, FieldRangeError } from './errors.js';
import { check } from './field.js';
import { SynapseMatrix } from './synapse-matrix.js';

/** The two CapMem blocks (quadrants) of a hemisphere, west then east (hardware.md §2.2). */
const BLOCKS_PER_HEMISPHERE = 2;

function capMemBlocksOf(block: SynapseBlockOnDLS): CapMemBlockOnDLS[] {
  const hemisphere = block.toHemisphereOnDLS();
  return [...CapMemBlockOnDLS.all()].filter((b) => b.toHemisphereOnDLS().equals(hemisphere));
}

/** The `syn_i_bias_dac` cells of the block's quadrants, west then east. */
function biasCellsOf(block: SynapseBlockOnDLS): CapMemCellOnDLS[] {
  return capMemBlocksOf(block).map((b) => new CapMemCellOnDLS(CapMemCellOnCapMemBlock.synIBiasDac, b));
}

export interface SynapseBlockInit {
  matrix?: SynapseMatrix;
  iBiasDac?: readonly CapMemCellValue[];
}

function checkBiases(value: unknown): readonly CapMemCellValue[] {
  const rule = `an array of ${BLOCKS_PER_HEMISPHERE} × ${capMemCellValueType.rule}`;
  if (!Array.isArray(value) || value.length !== BLOCKS_PER_HEMISPHERE) throw new FieldRangeError('SynapseBlock.iBiasDac', value, rule);
  return Object.freeze(value.map((v, i) => check(capMemCellValueType, v, `SynapseBlock.iBiasDac[${i}]`)));
}

/**
 * The synapses of one hemisphere with their weight scale (lola, hardware.md §3.5; as upstream lola
 * `SynapseBlock`): the SynapseMatrix of its synram and `iBiasDac`, the `syn_i_bias_dac` CapMem cell (§2.6)
 * of each of its two quadrants, west then east, that scales every weight of that quadrant. Words: the
 * matrix's, then the two CapMemCells.
 */
export class SynapseBlock extends Container {
  static readonly typeName = 'SynapseBlock';
  static readonly coordinateType = SynapseBlockOnDLS;
  static readonly wordCount = SynapseMatrix.wordCount + BLOCKS_PER_HEMISPHERE * CapMemCell.wordCount;
  static readonly readable = true;
  static readonly writable = true;

  readonly matrix: SynapseMatrix;
  #iBiasDac: readonly CapMemCellValue[];

  constructor(init: SynapseBlockInit = {}) {
    super();
    rejectUnknownKeys(SynapseBlock.typeName, init, ['matrix', 'iBiasDac']);
    if (init.matrix !== undefined && !(init.matrix instanceof SynapseMatrix)) {
      throw new FieldRangeError('SynapseBlock.matrix', init.matrix, 'a SynapseMatrix');
    }
    this.matrix = init.matrix ?? new SynapseMatrix();
    this.#iBiasDac = init.iBiasDac === undefined ? Object.freeze([0, 0]) : checkBiases(init.iBiasDac);
  }

  /** `syn_i_bias_dac` of the west and east quadrant: 0..1022 CapMem LSB or `CapMemCell.disableRefresh`. */
  get iBiasDac(): readonly CapMemCellValue[] {
    return this.#iBiasDac;
  }

  set iBiasDac(value: readonly CapMemCellValue[]) {
    this.#iBiasDac = checkBiases(value);
  }

  static addresses(coord: SynapseBlockOnDLS): readonly number[] {
    return [...SynapseMatrix.addresses(coord.toSynramOnDLS()), ...biasCellsOf(coord).flatMap((cell) => CapMemCell.addresses(cell))];
  }

  static defaults(): SynapseBlock {
    return new SynapseBlock();
  }

  static decode(words: Uint32Array): SynapseBlock {
    expectWordCount(SynapseBlock.typeName, words, SynapseBlock.wordCount);
    const cells = words.subarray(SynapseMatrix.wordCount);
    return new SynapseBlock({
      matrix: SynapseMatrix.decode(words.subarray(0, SynapseMatrix.wordCount)),
      iBiasDac: Array.from({ length: BLOCKS_PER_HEMISPHERE }, (_, i) => CapMemCell.decode(cells.subarray(i, i + 1)).value),
    });
  }

  static fromJSON(json: unknown): SynapseBlock {
    const { type: _type, matrix, ...rest } = expectJSONType(json, SynapseBlock.typeName);
    if (matrix === undefined) throw new ContainerSerializationError('SynapseBlock.matrix is missing');
    return new SynapseBlock({ ...rest, matrix: SynapseMatrix.fromJSON(matrix) });
  }

  encode(): Uint32Array {
    return concatWords([this.matrix.encode(), ...this.#iBiasDac.map((value) => new CapMemCell({ value }).encode())]);
  }

  override equals(other: unknown): boolean {
    return (
      other instanceof SynapseBlock &&
      other.matrix.equals(this.matrix) &&
      other.iBiasDac.every((value, i) => value === this.#iBiasDac[i])
    );
  }

  toJSON(): { type: string } & Record<string, unknown> {
    return { type: SynapseBlock.typeName, matrix: this.matrix.toJSON(), iBiasDac: [...this.#iBiasDac] };
  }
}
registerContainer(SynapseBlock);
