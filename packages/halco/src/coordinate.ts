import { CoordinateParseError, CoordinateRangeError, CoordinateTypeError } from './errors.js';

/** The static side of every coordinate class. */
export interface CoordinateType<T extends Coordinate = Coordinate> {
  new (value: number): T;
  readonly typeName: string;
  readonly min: number;
  readonly max: number;
  readonly size: number;
}

function describe(value: unknown): string {
  if (value instanceof Coordinate) return value.toString();
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return `${typeof value} ${String(value)}`;
}

/**
 * An immutable ranged integer: the enum value of one addressable unit of the chip.
 * Concrete types come from `ranged`, `grid`, `sparseGrid` and `nested`.
 */
export abstract class Coordinate {
  static readonly typeName: string = 'Coordinate';
  static readonly min: number = 0;
  static readonly max: number = 0;
  static readonly size: number = 1;

  /**
   * The enum value; for grids and nested types the row-major, outer-first index. Assigned in the constructor
   * rather than declared as a class field: a field is defined anew on each of the many coordinate classes'
   * instances, which V8 does far more slowly than a plain assignment.
   */
  declare readonly value: number;

  constructor(value: number) {
    const type = new.target as unknown as CoordinateType;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < type.min || value > type.max) {
      throw new CoordinateRangeError(type.typeName, value, type.min, type.max);
    }
    this.value = value;
  }

  /** The static side of this coordinate's class. */
  get type(): CoordinateType<this> {
    return this.constructor as CoordinateType<this>;
  }

  toEnum(): number {
    return this.value;
  }

  /** Same type and same value. Coordinates of different types are never equal. */
  equals(other: unknown): boolean {
    return other instanceof Coordinate && other.constructor === this.constructor && other.value === this.value;
  }

  /** Orders by enum value (outer coordinate first for nested types). */
  compare(other: this): number {
    return this.value - other.value;
  }

  toString(): string {
    return `${this.type.typeName}(${this.value})`;
  }

  toJSON(): string {
    return this.toString();
  }

  /** Every value of the type in enum order. */
  static *all<T extends Coordinate>(this: CoordinateType<T>): IterableIterator<T> {
    for (let v = this.min; v <= this.max; v++) yield new this(v);
  }

  /** Parses `Type(enum)` as printed by `toString`/`toJSON`; a bare integer is accepted too. */
  static parse<T extends Coordinate>(this: CoordinateType<T>, text: string): T {
    const trimmed = text.trim();
    const match = /^(?:([A-Za-z0-9_]+)\()?\s*(-?\d+)\s*\)?$/.exec(trimmed);
    const hasParen = trimmed.includes('(');
    if (match === null || (hasParen && match[1] === undefined) || (match[1] !== undefined && !trimmed.endsWith(')'))) {
      throw new CoordinateParseError(text, `${this.typeName}(<${this.min}..${this.max}>)`);
    }
    if (match[1] !== undefined && match[1] !== this.typeName) {
      throw new CoordinateParseError(text, `a ${this.typeName}, not a ${match[1]}`);
    }
    return new this(Number(match[2]));
  }

  /** Inverse of `toJSON`. */
  static fromJSON<T extends Coordinate>(this: CoordinateType<T>, json: unknown): T {
    if (typeof json === 'number') return new this(json);
    if (typeof json === 'string') return (this as unknown as typeof Coordinate).parse.call(this, json) as T;
    throw new CoordinateParseError(String(json), `${this.typeName}(<enum>) or an integer`);
  }
}

/** A plain ranged integer type `min..max`. */
export function ranged<const Name extends string>(typeName: Name, min: number, max: number) {
  class Ranged extends Coordinate {
    static override readonly typeName: Name = typeName;
    static override readonly min: number = min;
    static override readonly max: number = max;
    static override readonly size: number = max - min + 1;
    /** Nominal brand: two types with equal ranges never mix. */
    declare readonly __coordinate: Name;

    /** `value` may be left out for a type with a single value (`new TimerOnDLS()`, as upstream halco). */
    constructor(value?: number) {
      super(value === undefined && min === max ? min : (value as number));
    }
  }
  return Ranged;
}

/**
 * A part of a composite type: the class itself, or a thunk returning it. Parts from another module are passed
 * as thunks, resolved on first use, so that a class is never read while an import cycle still evaluates it.
 */
export type PartType<T extends Coordinate> = CoordinateType<T> | (() => CoordinateType<T>);

function resolver<T extends Coordinate>(part: PartType<T>): () => CoordinateType<T> {
  let resolved: CoordinateType<T> | undefined;
  return () => {
    if (resolved === undefined) {
      resolved = (part as { prototype?: unknown }).prototype instanceof Coordinate
        ? (part as CoordinateType<T>)
        : (part as () => CoordinateType<T>)();
    }
    return resolved;
  };
}

/**
 * Installs static read-only properties computed on first access (the parts may not exist before); the first
 * access turns each into a plain read-only value, which every constructor then reads without a call.
 */
function defineLazyStatics(target: object, statics: Record<string, () => unknown>): void {
  for (const [key, compute] of Object.entries(statics)) {
    Object.defineProperty(target, key, {
      enumerable: true,
      configurable: true,
      get: () => {
        const value = compute();
        Object.defineProperty(target, key, { value, enumerable: true, writable: false, configurable: false });
        return value;
      },
    });
  }
}

/** Checks that a part handed to a composite constructor has the expected type. */
export function requirePart<T extends Coordinate>(typeName: string, part: CoordinateType<T>, value: unknown): T {
  if (!(value instanceof (part as unknown as abstract new (...args: never[]) => T))) {
    throw new CoordinateTypeError(typeName, part.typeName, describe(value));
  }
  return value as T;
}

/**
 * A dense grid `(x, y)`: `enum = (y − Y.min) · X.size + (x − X.min)` (hardware.md §2.1).
 * Constructed either from its parts or from the enum value.
 */
export function grid<const Name extends string, X extends Coordinate, Y extends Coordinate>(
  typeName: Name,
  xPart: PartType<X>,
  yPart: PartType<Y>,
) {
  const xType = resolver(xPart);
  const yType = resolver(yPart);
  class Grid extends Coordinate {
    static override readonly typeName: Name = typeName;
    declare static readonly X: CoordinateType<X>;
    declare static readonly Y: CoordinateType<Y>;
    declare readonly __coordinate: Name;

    constructor(xOrEnum: X | number, y?: Y) {
      if (typeof xOrEnum === 'number' && y === undefined) {
        super(xOrEnum);
      } else {
        const X = xType();
        const Y = yType();
        const x = requirePart(typeName, X, xOrEnum);
        const yy = requirePart(typeName, Y, y);
        super((yy.value - Y.min) * X.size + (x.value - X.min));
      }
    }

    get x(): X {
      const X = xType();
      return new X((this.value % X.size) + X.min);
    }

    get y(): Y {
      const X = xType();
      const Y = yType();
      return new Y(Math.floor(this.value / X.size) + Y.min);
    }
  }
  defineLazyStatics(Grid, {
    max: () => xType().size * yType().size - 1,
    size: () => xType().size * yType().size,
    X: xType,
    Y: yType,
  });
  return Grid;
}

/**
 * A sparse grid: only the listed `(x, y)` cells exist; the enum is the index into that table,
 * which is given in enum order.
 */
export function sparseGrid<const Name extends string, X extends Coordinate, Y extends Coordinate>(
  typeName: Name,
  xPart: PartType<X>,
  yPart: PartType<Y>,
  cells: ReadonlyArray<readonly [x: number, y: number]>,
) {
  const xType = resolver(xPart);
  const yType = resolver(yPart);
  let enumOfCell: Map<number, number> | undefined;
  const lookup = (x: number, y: number): number | undefined => {
    if (enumOfCell === undefined) {
      const map = new Map<number, number>();
      cells.forEach(([cx, cy], index) => map.set(cy * xType().size + cx, index));
      enumOfCell = map;
    }
    return enumOfCell.get(y * xType().size + x);
  };
  class SparseGrid extends Coordinate {
    static override readonly typeName: Name = typeName;
    static override readonly min: number = 0;
    static override readonly max: number = cells.length - 1;
    static override readonly size: number = cells.length;
    declare static readonly X: CoordinateType<X>;
    declare static readonly Y: CoordinateType<Y>;
    declare readonly __coordinate: Name;

    /** Whether `(x, y)` is a cell of this sparse grid. */
    static has(x: Coordinate, y: Coordinate): boolean {
      return lookup(x.value, y.value) !== undefined;
    }

    constructor(xOrEnum: X | number, y?: Y) {
      if (typeof xOrEnum === 'number' && y === undefined) {
        super(xOrEnum);
      } else {
        const x = requirePart(typeName, xType(), xOrEnum);
        const yy = requirePart(typeName, yType(), y);
        const index = lookup(x.value, yy.value);
        if (index === undefined) {
          throw new CoordinateRangeError(typeName, `(${x.toString()}, ${yy.toString()})`, 0, cells.length - 1,
            'a cell that does not exist in this sparse grid');
        }
        super(index);
      }
    }

    get x(): X {
      return new (xType())(cells[this.value]![0]);
    }

    get y(): Y {
      return new (yType())(cells[this.value]![1]);
    }
  }
  defineLazyStatics(SparseGrid, { X: xType, Y: yType });
  return SparseGrid;
}

/**
 * A nested coordinate `XOnY(local, outer)`: `enum = outer · Local.size + local`, split by division and
 * remainder, outer compared first (hardware.md §2.1).
 */
export function nested<const Name extends string, L extends Coordinate, O extends Coordinate>(
  typeName: Name,
  localPart: PartType<L>,
  outerPart: PartType<O>,
) {
  const localType = resolver(localPart);
  const outerType = resolver(outerPart);
  class Nested extends Coordinate {
    static override readonly typeName: Name = typeName;
    declare static readonly Local: CoordinateType<L>;
    declare static readonly Outer: CoordinateType<O>;
    declare readonly __coordinate: Name;

    constructor(localOrEnum: L | number, outer?: O) {
      if (typeof localOrEnum === 'number' && outer === undefined) {
        super(localOrEnum);
      } else {
        const Local = localType();
        const Outer = outerType();
        const local = requirePart(typeName, Local, localOrEnum);
        const out = requirePart(typeName, Outer, outer);
        super((out.value - Outer.min) * Local.size + (local.value - Local.min));
      }
    }

    get local(): L {
      const Local = localType();
      return new Local((this.value % Local.size) + Local.min);
    }

    get outer(): O {
      const Local = localType();
      const Outer = outerType();
      return new Outer(Math.floor(this.value / Local.size) + Outer.min);
    }
  }
  defineLazyStatics(Nested, {
    max: () => localType().size * outerType().size - 1,
    size: () => localType().size * outerType().size,
    Local: localType,
    Outer: outerType,
  });
  return Nested;
}
