import { type Coordinate, type CoordinateType, SpikePack1ToChipOnDLS, SpikePack2ToChipOnDLS, SpikePack3ToChipOnDLS } from '@bss2/halco';
import { expectJSONType, rejectUnknownKeys } from './container.js';
import { FieldRangeError } from './errors.js';

/** Largest 16-bit spike label (hardware.md §2.4: spl1_address in bits 15..14, neuron_label in 13..0). */
const spikeLabelMax = 0xffff;

/**
 * 1–3 spike labels injected into the chip at the current program time (hardware.md §3.10). Not an omnibus
 * register: stadls turns it into one fisch event instruction (SpikePack1/2/3, opcodes 13..15, §5.2), so it
 * has a coordinate but no addresses or words. Immutable; labels are full 16-bit spike labels.
 */
export abstract class SpikePackToChip {
  readonly labels: readonly number[];

  protected constructor(typeName: string, size: number, labels: readonly number[] | undefined) {
    const given: unknown = labels === undefined ? new Array<number>(size).fill(0) : labels;
    if (!Array.isArray(given) || given.length !== size) {
      throw new FieldRangeError(`${typeName}.labels`, given, `an array of ${size} spike labels`);
    }
    this.labels = Object.freeze(
      given.map((label: unknown, i) => {
        if (typeof label !== 'number' || !Number.isInteger(label) || label < 0 || label > spikeLabelMax) {
          throw new FieldRangeError(`${typeName}.labels[${i}]`, label, `an integer in 0..${spikeLabelMax}`);
        }
        return label;
      }),
    );
    Object.freeze(this);
  }

  /** The type name (`SpikePack2ToChip`, …). */
  abstract get typeName(): string;

  equals(other: unknown): boolean {
    return (
      other instanceof SpikePackToChip &&
      other.constructor === this.constructor &&
      other.labels.every((label, i) => label === this.labels[i])
    );
  }

  toString(): string {
    return `${this.typeName}(${this.labels.map((l) => `0x${l.toString(16).padStart(4, '0')}`).join(', ')})`;
  }

  toJSON(): { type: string; labels: number[] } {
    return { type: this.typeName, labels: [...this.labels] };
  }
}

/** The class of an N-label spike pack (N = 1, 2, 3) with its coordinate type. */
function spikePack<const Name extends string, C extends Coordinate>(typeName: Name, size: number, coordinateType: CoordinateType<C>) {
  class SpikePack extends SpikePackToChip {
    static readonly typeName: Name = typeName;
    static readonly coordinateType = coordinateType;
    /** Number of labels. */
    static readonly size = size;

    /** `labels`: exactly `size` 16-bit spike labels; all 0 when omitted. */
    constructor(labels?: readonly number[]) {
      super(typeName, size, labels);
    }

    get typeName(): Name {
      return typeName;
    }

    static fromJSON(json: unknown): SpikePack {
      const record = expectJSONType(json, typeName);
      rejectUnknownKeys(typeName, record, ['labels']);
      return new this(record.labels as number[]);
    }
  }
  return SpikePack;
}

export class SpikePack1ToChip extends spikePack('SpikePack1ToChip', 1, SpikePack1ToChipOnDLS) {}
export class SpikePack2ToChip extends spikePack('SpikePack2ToChip', 2, SpikePack2ToChipOnDLS) {}
export class SpikePack3ToChip extends spikePack('SpikePack3ToChip', 3, SpikePack3ToChipOnDLS) {}
