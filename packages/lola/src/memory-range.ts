import {
  Coordinate,
  type CoordinateType,
  CoordinateRangeError,
  ExternalPPUMemoryByteOnFPGA,
  PPUMemoryWordOnDLS,
  PPUMemoryWordOnPPU,
  PPUOnDLS,
  requirePart,
} from '@bss2/halco';

// halco has no coordinate for a range of memory words yet (upstream: PPUMemoryBlockOnDLS as a pair of first
// and last word); lola models the ranges its composite memory containers need here, as halco-style coordinates.

/** Enum of the range `[first, first + length)` of memory `memory`, validated (see `memoryRange`). */
function rangeEnum(typeName: string, unitCount: number, memory: number, first: number, length: number): number {
  if (!Number.isInteger(length) || length < 1 || first + length > unitCount) {
    throw new CoordinateRangeError(typeName, `(first ${first}, length ${length})`, 1, unitCount - first, 'length of a range inside the memory');
  }
  return (memory * unitCount + first) * unitCount + (length - 1);
}

/**
 * A contiguous range `[first, first + length)` of the `unitCount` units of one of `memoryCount` memories, as a
 * ranged integer: `enum = (memory·unitCount + first)·unitCount + (length − 1)`. Enum values whose range would
 * run past the end of the memory do not exist (range error); `all()` yields only existing ranges.
 */
function memoryRange<const Name extends string>(typeName: Name, unitCount: number, memoryCount: number) {
  class MemoryRange extends Coordinate {
    static override readonly typeName: Name = typeName;
    static override readonly min: number = 0;
    static override readonly max: number = memoryCount * unitCount * unitCount - 1;
    static override readonly size: number = memoryCount * unitCount * unitCount;
    declare readonly __coordinate: Name;

    constructor(value: number) {
      super(value);
      if (this.firstIndex + this.length > unitCount) {
        throw new CoordinateRangeError(typeName, value, MemoryRange.min, MemoryRange.max,
          `first ${this.firstIndex} + length ${this.length} runs past unit ${unitCount - 1}`);
      }
    }

    /** Index of the first unit. */
    get firstIndex(): number {
      return Math.floor(this.value / unitCount) % unitCount;
    }

    /** Number of units (1..unitCount). */
    get length(): number {
      return (this.value % unitCount) + 1;
    }

    /** Index of the memory (0 when there is only one). */
    get memoryIndex(): number {
      return Math.floor(this.value / (unitCount * unitCount));
    }

    /** Every existing range, in enum order. */
    static override *all<T extends Coordinate>(this: CoordinateType<T>): IterableIterator<T> {
      for (let memory = 0; memory < memoryCount; memory++) {
        for (let first = 0; first < unitCount; first++) {
          for (let length = 1; first + length <= unitCount; length++) {
            yield new this((memory * unitCount + first) * unitCount + (length - 1));
          }
        }
      }
    }
  }
  return MemoryRange;
}

/** A range of words of one PPU's memory (hardware.md §3.10 PPUMemoryBlock): `(PPUOnDLS, first word, length)`. */
export class PPUMemoryBlockOnDLS extends memoryRange('PPUMemoryBlockOnDLS', PPUMemoryWordOnPPU.size, PPUOnDLS.size) {
  constructor(ppuOrEnum: PPUOnDLS | number, first?: PPUMemoryWordOnPPU, length?: number) {
    if (typeof ppuOrEnum === 'number' && first === undefined && length === undefined) {
      super(ppuOrEnum);
    } else {
      const ppu = requirePart('PPUMemoryBlockOnDLS', PPUOnDLS, ppuOrEnum);
      const begin = requirePart('PPUMemoryBlockOnDLS', PPUMemoryWordOnPPU, first);
      super(rangeEnum('PPUMemoryBlockOnDLS', PPUMemoryWordOnPPU.size, ppu.value, begin.value, length as number));
    }
  }

  /** The whole memory of `ppu`. */
  static whole(ppu: PPUOnDLS): PPUMemoryBlockOnDLS {
    return new PPUMemoryBlockOnDLS(ppu, new PPUMemoryWordOnPPU(0), PPUMemoryWordOnPPU.size);
  }

  toPPUOnDLS(): PPUOnDLS {
    return new PPUOnDLS(this.memoryIndex);
  }

  get first(): PPUMemoryWordOnPPU {
    return new PPUMemoryWordOnPPU(this.firstIndex);
  }

  /** The words of the range, in order. */
  toPPUMemoryWordOnDLS(): PPUMemoryWordOnDLS[] {
    const ppu = this.toPPUOnDLS();
    return Array.from({ length: this.length }, (_, i) => new PPUMemoryWordOnDLS(new PPUMemoryWordOnPPU(this.firstIndex + i), ppu));
  }
}

/** A range of bytes of the FPGA's 128 KiB SRAM (hardware.md §7): `(first byte, length)`. */
export class ExternalPPUMemoryBlockOnFPGA extends memoryRange('ExternalPPUMemoryBlockOnFPGA', ExternalPPUMemoryByteOnFPGA.size, 1) {
  constructor(firstOrEnum: ExternalPPUMemoryByteOnFPGA | number, length?: number) {
    if (typeof firstOrEnum === 'number' && length === undefined) {
      super(firstOrEnum);
    } else {
      const first = requirePart('ExternalPPUMemoryBlockOnFPGA', ExternalPPUMemoryByteOnFPGA, firstOrEnum);
      super(rangeEnum('ExternalPPUMemoryBlockOnFPGA', ExternalPPUMemoryByteOnFPGA.size, 0, first.value, length as number));
    }
  }

  get first(): ExternalPPUMemoryByteOnFPGA {
    return new ExternalPPUMemoryByteOnFPGA(this.firstIndex);
  }

  /** The bytes of the range, in order. */
  toExternalPPUMemoryByteOnFPGA(): ExternalPPUMemoryByteOnFPGA[] {
    return Array.from({ length: this.length }, (_, i) => new ExternalPPUMemoryByteOnFPGA(this.firstIndex + i));
  }
}
