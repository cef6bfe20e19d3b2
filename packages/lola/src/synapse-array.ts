import { type Coordinate, type CoordinateType, SynapseQuadColumnOnDLS, type SynapseQuadOnDLS } from '@bss2/halco';
import { Container, expectJSONType, expectWordCount, rejectUnknownKeys } from './container.js';
import { ContainerSerializationError, FieldRangeError } from './errors.js';
import { type AnyField, type FieldType, isArrayField } from './field.js';
import { ENTRIES_PER_QUAD } from './synapse-quad.js';

/** Synapse columns per row (= neuron columns per hemisphere) and quads per row (hardware.md §1, §2.7). */
export const SYNAPSE_COLUMNS = 256;
export const QUADS_PER_ROW = 64;
const LANES_PER_ROW = QUADS_PER_ROW * ENTRIES_PER_QUAD;

/** A synapse value out of range, naming where it sits: `SynapseMatrix.weights[row 5, column 9]`. */
export class SynapseRangeError extends FieldRangeError {
  override name = 'SynapseRangeError';
  constructor(
    field: string,
    /** Row inside the container (absent for a single SynapseRow). */
    readonly row: number | undefined,
    /** Synapse column = neuron column (SynapseOnSynapseRow). */
    readonly column: number,
    value: unknown,
    rule: string,
  ) {
    super(`${field}[${row === undefined ? '' : `row ${row}, `}column ${column}]`, value, rule);
  }
}

/**
 * Column of each (quad column, entry) lane, `lane = 4·q + e`, taken from halco's quad mapping (the columns
 * of a quad are non-adjacent, hardware.md §2.7); never re-derived here.
 */
const columnOfLane: Uint8Array = (() => {
  const table = new Uint8Array(LANES_PER_ROW);
  for (const quad of SynapseQuadColumnOnDLS.all()) {
    quad.toNeuronColumnOnDLS().forEach((column, entry) => {
      table[ENTRIES_PER_QUAD * quad.value + entry] = column.value;
    });
  }
  return table;
})();

/**
 * Where one per-entry field of a quad leaf sits, read from the leaf's own layout (style.md: one definition),
 * unrolled over the 256 columns of a row: the value of column `c` is at word `offset[c]` of the row, bit
 * `shift[c]` (column `c` is lane `4·q + e` of `columnOfLane`).
 */
interface Lane {
  readonly name: string;
  readonly type: FieldType<number>;
  /** The field's values are exactly `0..max` (checked against the leaf's value type at definition). */
  readonly max: number;
  readonly mask: number;
  readonly offset: Uint16Array;
  readonly shift: Uint8Array;
}

function laneOf(leaf: QuadLeaf, name: string): Lane {
  const field: AnyField | undefined = leaf.fields[name];
  const perEntry = field !== undefined && isArrayField(field) && field.slices.length === ENTRIES_PER_QUAD;
  if (!perEntry || field.slices.some((s) => s.length !== 1)) {
    throw new Error(`${leaf.typeName}.${name} is not a per-entry field of one bit slice each`);
  }
  const slices = field.slices.map((s) => s[0]!);
  const type = field.element as FieldType<number>;
  const mask = 2 ** slices[0]!.width - 1;
  let max = -1;
  while (max < mask && type.accept(max + 1) !== undefined) max++;
  if (max < 0 || type.default > max) throw new Error(`${leaf.typeName}.${name} does not hold the values 0..n`);
  const offset = new Uint16Array(SYNAPSE_COLUMNS);
  const shift = new Uint8Array(SYNAPSE_COLUMNS);
  for (let lane = 0; lane < LANES_PER_ROW; lane++) {
    const slice = slices[lane % ENTRIES_PER_QUAD]!;
    const column = columnOfLane[lane]!;
    offset[column] = Math.floor(lane / ENTRIES_PER_QUAD) * leaf.wordCount + slice.word;
    shift[column] = slice.bit;
  }
  return { name, type, max, mask, offset, shift };
}

/** The quad leaf a synapse array is made of (SynapseQuad, SynapseWeightQuad…). */
export interface QuadLeaf {
  readonly typeName: string;
  readonly wordCount: number;
  readonly fields: Record<string, AnyField>;
  addresses(coord: SynapseQuadOnDLS): readonly number[];
}

export interface SynapseArraySpec<N extends string, Coord extends Coordinate> {
  typeName: string;
  coordinateType: CoordinateType<Coord>;
  /** Synapse rows held: 1 (SynapseRow) or 256 (a whole synram). */
  rows: number;
  leaf: QuadLeaf;
  /** Per-entry fields of the leaf held as typed arrays, in the order of the leaf's layout. */
  fields: readonly N[];
  /** The quads visited at `coord`, row by row, quad columns 0..63 within a row. */
  quads(coord: Coord): Iterable<SynapseQuadOnDLS>;
}

/** Initial values: per field an array of `rows · 256` values indexed `row · 256 + column`. */
export type SynapseArrayInit<N extends string> = { [K in N]?: ArrayLike<number> };

/** Instance side: the container with one typed array per field. */
export type SynapseArrayInstance<N extends string> = ConcreteContainer & { readonly [K in N]: Uint8Array };

/** `Container` with its abstract members implemented, so that classes can extend the factory's result. */
interface ConcreteContainer extends Container {
  encode(): Uint32Array;
  toJSON(): { type: string } & Record<string, unknown>;
}

export interface SynapseArrayClass<N extends string, Coord extends Coordinate> {
  new (init?: SynapseArrayInit<N>): SynapseArrayInstance<N>;
  readonly typeName: string;
  readonly coordinateType: CoordinateType<Coord>;
  readonly wordCount: number;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly rows: number;
  addresses(coord: Coord): readonly number[];
  decode<T>(this: new (init?: SynapseArrayInit<N>) => T, words: Uint32Array): T;
  fromJSON<T>(this: new (init?: SynapseArrayInit<N>) => T, json: unknown): T;
  defaults<T>(this: new (init?: SynapseArrayInit<N>) => T): T;
}

/**
 * Defines a composite of whole synapse rows held as typed arrays (one `Uint8Array` per field, indexed
 * `row · 256 + column` in neuron-column order). Its words are those of its quad leaves, row by row and
 * quad column by quad column; encode and decode work on the arrays directly with the leaf's bit layout,
 * so a whole synram (32 768 words) takes no per-quad objects.
 */
export function synapseArray<const N extends string, Coord extends Coordinate>(spec: SynapseArraySpec<N, Coord>): SynapseArrayClass<N, Coord> {
  const { typeName, rows, leaf } = spec;
  const size = rows * SYNAPSE_COLUMNS;
  const lanes = spec.fields.map((name) => laneOf(leaf, name));
  // Lanes encoded together, two at a time where they share their words (weight and time trim, label and
  // amplitude trim): half the read-modify-writes of the words.
  const sameWords = (a: Lane, b: Lane) => a.offset.every((o, c) => o === b.offset[c]);
  const passes: (readonly [Lane] | readonly [Lane, Lane])[] = [];
  for (const lane of lanes) {
    const open = passes.find((p): p is readonly [Lane] => p.length === 1 && sameWords(p[0], lane));
    if (open === undefined) passes.push([lane]);
    else passes[passes.indexOf(open)] = [open[0], lane];
  }
  const wordsPerRow = QUADS_PER_ROW * leaf.wordCount;
  const wordCount = rows * wordsPerRow;
  const addressCache = new Map<number, readonly number[]>();

  function elementError(field: string, index: number, value: unknown, rule: string): SynapseRangeError {
    const row = rows === 1 ? undefined : Math.floor(index / SYNAPSE_COLUMNS);
    return new SynapseRangeError(`${typeName}.${field}`, row, index % SYNAPSE_COLUMNS, value, rule);
  }

  /** Copies `source` into `target`, checking every element against the leaf's value type. */
  function fill(lane: Lane, target: Uint8Array, source: unknown): void {
    const isArrayLike = source instanceof Uint8Array || Array.isArray(source) || ArrayBuffer.isView(source);
    const list = source as ArrayLike<unknown>;
    if (!isArrayLike || list.length !== size) {
      throw new FieldRangeError(`${typeName}.${lane.name}`, source, `an array of ${size} × ${lane.type.rule}`);
    }
    if (source instanceof Uint8Array) {
      target.set(source);
      validate(lane, target);
      return;
    }
    for (let i = 0; i < size; i++) {
      const value = lane.type.accept(list[i]);
      if (value === undefined) throw elementError(lane.name, i, list[i], lane.type.rule);
      target[i] = value;
    }
  }

  /** Typed arrays accept any byte; values written into them directly are checked before they are encoded. */
  function validate(lane: Lane, values: Uint8Array): void {
    for (let i = 0; i < size; i++) {
      if (values[i]! > lane.max) throw elementError(lane.name, i, values[i], lane.type.rule);
    }
  }

  class SynapseArray extends Container {
    static readonly typeName = typeName;
    static readonly coordinateType = spec.coordinateType;
    static readonly wordCount = wordCount;
    static readonly readable = true;
    static readonly writable = true;
    static readonly rows = rows;

    constructor(init: SynapseArrayInit<N> = {}) {
      super();
      rejectUnknownKeys(typeName, init, spec.fields);
      for (const lane of lanes) {
        const values = new Uint8Array(size).fill(lane.type.default);
        const given = (init as Record<string, unknown>)[lane.name];
        if (given !== undefined) fill(lane, values, given);
        Object.defineProperty(this, lane.name, { value: values, enumerable: true });
      }
    }

    static addresses(coord: Coord): readonly number[] {
      let cached = addressCache.get(coord.value);
      if (cached === undefined) {
        const out: number[] = [];
        for (const quad of spec.quads(coord)) {
          const addresses = leaf.addresses(quad);
          for (let i = 0; i < addresses.length; i++) out.push(addresses[i]!);
        }
        if (out.length !== wordCount) throw new Error(`${typeName} at ${coord.toString()}: ${out.length} addresses, expected ${wordCount}`);
        cached = Object.freeze(out);
        addressCache.set(coord.value, cached);
      }
      return cached;
    }

    static defaults(): SynapseArray {
      return new this();
    }

    static decode(words: Uint32Array): SynapseArray {
      expectWordCount(typeName, words, wordCount);
      const result = new this();
      for (const lane of lanes) {
        const values = result.valuesOf(lane);
        const { offset, shift, mask } = lane;
        for (let row = 0; row < rows; row++) {
          const wordBase = row * wordsPerRow;
          const valueBase = row * SYNAPSE_COLUMNS;
          for (let c = 0; c < SYNAPSE_COLUMNS; c++) values[valueBase + c] = (words[wordBase + offset[c]!]! >>> shift[c]!) & mask;
        }
      }
      return result;
    }

    static fromJSON(json: unknown): SynapseArray {
      const { type: _type, ...init } = expectJSONType(json, typeName);
      for (const [key, value] of Object.entries(init)) {
        if (!Array.isArray(value)) throw new ContainerSerializationError(`${typeName}.${key} must be an array, got ${JSON.stringify(value)}`);
      }
      return new this(init as SynapseArrayInit<N>);
    }

    private valuesOf(lane: Lane): Uint8Array {
      return (this as unknown as Record<string, Uint8Array>)[lane.name]!;
    }

    encode(): Uint32Array {
      const words = new Uint32Array(wordCount);
      // Fields of the values 0..2^n − 1 are checked by the bits their values have, gathered while encoding;
      // validate() then finds the first bad value in field order, as it would have before encoding.
      const byBits = lanes.every((lane) => lane.max === lane.mask);
      if (!byBits) for (const lane of lanes) validate(lane, this.valuesOf(lane));
      const bits = new Map<Lane, number>();
      for (const pass of passes) {
        const { offset } = pass[0];
        const va = this.valuesOf(pass[0]);
        const shiftA = pass[0].shift;
        let bitsA = 0;
        if (pass.length === 1) {
          for (let row = 0; row < rows; row++) {
            const wordBase = row * wordsPerRow;
            const valueBase = row * SYNAPSE_COLUMNS;
            for (let c = 0; c < SYNAPSE_COLUMNS; c++) {
              const x = va[valueBase + c]!;
              bitsA |= x;
              const at = wordBase + offset[c]!;
              words[at] = words[at]! | (x << shiftA[c]!);
            }
          }
        } else {
          const vb = this.valuesOf(pass[1]);
          const shiftB = pass[1].shift;
          let bitsB = 0;
          for (let row = 0; row < rows; row++) {
            const wordBase = row * wordsPerRow;
            const valueBase = row * SYNAPSE_COLUMNS;
            for (let c = 0; c < SYNAPSE_COLUMNS; c++) {
              const x = va[valueBase + c]!;
              const y = vb[valueBase + c]!;
              bitsA |= x;
              bitsB |= y;
              const at = wordBase + offset[c]!;
              words[at] = words[at]! | (x << shiftA[c]!) | (y << shiftB[c]!);
            }
          }
          bits.set(pass[1], bitsB);
        }
        bits.set(pass[0], bitsA);
      }
      if (byBits) for (const lane of lanes) if (bits.get(lane)! > lane.max) validate(lane, this.valuesOf(lane));
      return words;
    }

    /** Equal container type and equal values, compared on the arrays (no encoding). */
    override equals(other: unknown): boolean {
      if (!(other instanceof SynapseArray) || other.constructor !== this.constructor) return false;
      return lanes.every((lane) => {
        const a = this.valuesOf(lane);
        const b = other.valuesOf(lane);
        for (let i = 0; i < size; i++) if (a[i] !== b[i]) return false;
        return true;
      });
    }

    toJSON(): { type: string } & Record<string, unknown> {
      const out: { type: string } & Record<string, unknown> = { type: typeName };
      for (const lane of lanes) {
        const values = this.valuesOf(lane);
        validate(lane, values);
        out[lane.name] = Array.from(values);
      }
      return out;
    }
  }

  return SynapseArray as unknown as SynapseArrayClass<N, Coord>;
}
