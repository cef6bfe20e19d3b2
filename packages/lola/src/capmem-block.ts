import { CapMemBlockOnDLS, CapMemCellOnCapMemBlock, CapMemCellOnDLS, type Coordinate } from '@bss2/halco';
import { CapMemCell, type CapMemCellValue, capMemCellValueType, capMemValueOfCode } from './capmem.js';
import { Container, expectJSONType, expectWordCount, registerContainer, rejectUnknownKeys } from './container.js';
import { FieldRangeError } from './errors.js';
import { check } from './field.js';

const cellCount = CapMemCellOnCapMemBlock.size;
// Each word holds the code exactly as the CapMemCell leaf does (one definition of the bits).
const codeSlice = CapMemCell.fields.value.slices[0]!;
const codeMask = 2 ** codeSlice.width - 1;

// 3120 halco look-ups per block: computed once per block and kept (addresses never change).
const addressesByBlock = new Map<number, readonly number[]>();

function cellOf(block: CapMemBlockOnDLS, cell: CapMemCellOnCapMemBlock): CapMemCellOnDLS {
  return new CapMemCellOnDLS(cell, block);
}

/**
 * All 3120 cells of one CapMem block (hardware.md §3.8), one word each in the enum order of
 * CapMemCellOnCapMemBlock (`130·row + column`). Values are kept as raw codes in a Uint16Array (1023 =
 * disableRefresh); `get`/`set` speak CapMemCell values and validate. Reset: every cell 0.
 */
export class CapMemBlock extends Container {
  static readonly typeName = 'CapMemBlock';
  static readonly coordinateType = CapMemBlockOnDLS;
  static readonly wordCount = cellCount;
  static readonly readable = true;
  static readonly writable = true;

  private readonly codes = new Uint16Array(cellCount);

  /** Optionally from a list of all 3120 values in cell enum order. */
  constructor(values?: readonly CapMemCellValue[]) {
    super();
    if (values === undefined) return;
    if (!Array.isArray(values) || values.length !== cellCount) {
      throw new FieldRangeError('CapMemBlock.cells', values, `an array of ${cellCount} CapMem cell values`);
    }
    for (let i = 0; i < cellCount; i++) {
      const value = values[i];
      const accepted = capMemCellValueType.accept(value) ?? check(capMemCellValueType, value, `CapMemBlock.cells[${i}]`);
      this.codes[i] = capMemCellValueType.toRaw(accepted);
    }
  }

  static addresses(coord: CapMemBlockOnDLS): readonly number[] {
    let addresses = addressesByBlock.get(coord.value);
    if (addresses === undefined) {
      addresses = Object.freeze([...CapMemCellOnCapMemBlock.all()].flatMap((cell) => CapMemCell.addresses(cellOf(coord, cell))));
      addressesByBlock.set(coord.value, addresses);
    }
    return addresses;
  }

  static defaults(): CapMemBlock {
    return new CapMemBlock();
  }

  static decode(words: Uint32Array): CapMemBlock {
    expectWordCount(CapMemBlock.typeName, words, cellCount);
    const block = new CapMemBlock();
    // Every 10-bit code is a valid cell value (1023 = disableRefresh).
    for (let i = 0; i < cellCount; i++) block.codes[i] = (words[i]! >>> codeSlice.bit) & codeMask;
    return block;
  }

  static fromJSON(json: unknown): CapMemBlock {
    const record = expectJSONType(json, CapMemBlock.typeName);
    rejectUnknownKeys(CapMemBlock.typeName, record, ['cells']);
    return new CapMemBlock(record.cells as CapMemCellValue[]);
  }

  /** The value of one cell. */
  get(cell: CapMemCellOnCapMemBlock): CapMemCellValue {
    return capMemValueOfCode(this.codes[this.indexOf(cell)]!)!;
  }

  /** Sets one cell; `value` is 0..1022 or `CapMemCell.disableRefresh`. */
  set(cell: CapMemCellOnCapMemBlock, value: CapMemCellValue): void {
    const index = this.indexOf(cell);
    this.codes[index] = capMemCellValueType.toRaw(check(capMemCellValueType, value, `CapMemBlock.cells[${index}]`));
  }

  /** Every cell value in enum order. */
  values(): CapMemCellValue[] {
    const values = new Array<CapMemCellValue>(cellCount);
    for (let i = 0; i < cellCount; i++) values[i] = capMemValueOfCode(this.codes[i]!)!;
    return values;
  }

  /** The (coordinate, CapMemCell) pairs of this block at `coord`, in the order of `addresses(coord)`. */
  toLeaves(coord: CapMemBlockOnDLS): Array<readonly [Coordinate, Container]> {
    return [...CapMemCellOnCapMemBlock.all()].map((cell) => [cellOf(coord, cell), new CapMemCell({ value: this.get(cell) })] as const);
  }

  encode(): Uint32Array {
    const words = new Uint32Array(cellCount);
    for (let i = 0; i < cellCount; i++) words[i] = this.codes[i]! << codeSlice.bit;
    return words;
  }

  override equals(other: unknown): boolean {
    if (!(other instanceof CapMemBlock)) return false;
    return this.codes.every((code, i) => code === other.codes[i]);
  }

  toJSON(): { type: string } & Record<string, unknown> {
    return { type: CapMemBlock.typeName, cells: this.values() };
  }

  private indexOf(cell: CapMemCellOnCapMemBlock): number {
    if (!(cell instanceof CapMemCellOnCapMemBlock)) {
      throw new FieldRangeError('CapMemBlock cell', cell, 'a CapMemCellOnCapMemBlock');
    }
    return cell.value;
  }
}
registerContainer(CapMemBlock);
