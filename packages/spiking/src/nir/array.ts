/**
 * An n-dimensional numeric array as NIR stores it (a numpy array in an HDF5 dataset): row-major `data`, its
 * `shape` (`[]` for a scalar) and the element type it has in the file. Values are held as float64 whatever
 * the file type; `dtype` says how they are written back, so reading and writing a file keeps its dtypes
 * (NIR writes `dtype=v.dtype`: float32 from PyTorch exporters, float64 from numpy).
 */
export interface NIRArray {
  shape: number[];
  data: Float64Array;
  /** Element type in the file; absent means `float64`. */
  dtype?: NIRDType;
}

/**
 * The element types the NIR layer reads and writes. `bool` is numpy's bool, which h5py stores as an HDF5 enum
 * `{FALSE: 0, TRUE: 1}` over int8; it is read (values 0/1) but h5wasm cannot create enum types, so writing it is
 * refused: convert to `uint8` or `float32` first.
 */
export type NIRDType = 'float64' | 'float32' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint32' | 'uint16' | 'uint8' | 'bool';

interface DTypeInfo {
  /** HDF5 class: integer or float (bool is an enum whose base is int8). */
  readonly float: boolean;
  readonly bytes: number;
  readonly signed: boolean;
  /** Whether a float64 value is stored exactly by this type. */
  fits(x: number): boolean;
}

function integerRange(min: number, max: number): (x: number) => boolean {
  // -0 would come back as 0: refused so that a round trip is exact.
  return (x) => Number.isInteger(x) && x >= min && x <= max && !Object.is(x, -0);
}

/** Every dtype defined once; reader, writer and validation all read this table. */
export const nirDTypes: Readonly<Record<NIRDType, DTypeInfo>> = {
  float64: { float: true, bytes: 8, signed: true, fits: () => true },
  float32: { float: true, bytes: 4, signed: true, fits: (x) => Object.is(Math.fround(x), x) },
  // int64 values beyond 2^53 have no exact float64; such files are refused on read.
  int64: { float: false, bytes: 8, signed: true, fits: integerRange(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER) },
  int32: { float: false, bytes: 4, signed: true, fits: integerRange(-(2 ** 31), 2 ** 31 - 1) },
  int16: { float: false, bytes: 2, signed: true, fits: integerRange(-(2 ** 15), 2 ** 15 - 1) },
  int8: { float: false, bytes: 1, signed: true, fits: integerRange(-128, 127) },
  uint32: { float: false, bytes: 4, signed: false, fits: integerRange(0, 2 ** 32 - 1) },
  uint16: { float: false, bytes: 2, signed: false, fits: integerRange(0, 2 ** 16 - 1) },
  uint8: { float: false, bytes: 1, signed: false, fits: integerRange(0, 255) },
  bool: { float: false, bytes: 1, signed: true, fits: (x) => x === 0 || x === 1 },
};

/** The dtype of an HDF5 integer or float type, or `undefined` for one the layer does not read. */
export function dtypeOf(float: boolean, bytes: number, signed: boolean): NIRDType | undefined {
  for (const [name, info] of Object.entries(nirDTypes) as [NIRDType, DTypeInfo][]) {
    if (name !== 'bool' && info.float === float && info.bytes === bytes && (float || info.signed === signed)) return name;
  }
  return undefined;
}

/** Number of elements of an array of this shape. */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, extent) => product * extent, 1);
}

/** A NIRArray from nested or flat values: `nirArray([8], values)`, `nirArray([], [0.5])` for a scalar. */
export function nirArray(shape: number[], values: ArrayLike<number>, dtype: NIRDType = 'float64'): NIRArray {
  return { shape: [...shape], data: Float64Array.from(values), dtype };
}

/** `shape` as numpy prints it, for messages. */
export function formatShape(shape: readonly number[]): string {
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}

/** Whether two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((extent, i) => extent === b[i]);
}

/** Whether `value` is a NIRArray (its `data` is a Float64Array, which no other NIR value has). */
export function isNIRArray(value: unknown): value is NIRArray {
  return typeof value === 'object' && value !== null && (value as { data?: unknown }).data instanceof Float64Array;
}
