import h5wasm, { Dataset, Group, type File as H5File } from 'h5wasm';
import { dtypeOf, elementCount, formatShape, nirDTypes, type NIRArray, type NIRDType } from './array.js';
import { NIRError, NIRFormatError } from './errors.js';

/**
 * The HDF5 plumbing of the NIR layer on h5wasm's in-memory file system: bytes in, bytes out, no Node
 * built-ins. Every value read is checked here and every h5wasm failure becomes a NIRFormatError (reading) or
 * NIRError (writing) naming the path.
 */

// HDF5 datatype classes (H5Tpublic.h, stable across versions).
const H5T_INTEGER = 0;
const H5T_FLOAT = 1;
const H5T_STRING = 3;
const H5T_ENUM = 8;

let scratchFiles = 0;
function scratchName(): string {
  scratchFiles += 1;
  return `/bss2-nir-${scratchFiles}.h5`;
}

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

function littleEndianAddress(bytes: Uint8Array, offset: number, size: number): number {
  let value = 0;
  for (let i = size - 1; i >= 0; i--) value = value * 256 + bytes[offset + i]!;
  return value;
}

/**
 * Checks the superblock before HDF5 sees the bytes: the signature (at 0, 512, 1024, … after a user block) and
 * the end-of-file address it declares (HDF5 File Format Specification §II.A). Bytes that are not HDF5, or a file
 * cut short, get a precise error here instead of an HDF5 diagnostic dump on the console.
 */
function checkContainer(bytes: Uint8Array): void {
  let base = -1;
  for (let offset = 0; offset + 8 <= bytes.length; offset = offset === 0 ? 512 : offset * 2) {
    if (HDF5_SIGNATURE.every((b, i) => bytes[offset + i] === b)) {
      base = offset;
      break;
    }
  }
  if (base < 0) throw new NIRFormatError('/', `${bytes.length} bytes`, 'not an HDF5 file (no HDF5 signature)');
  const version = bytes[base + 8];
  if (version === undefined) throw new NIRFormatError('/', `${bytes.length} bytes`, 'truncated HDF5 file: the superblock is incomplete');
  // Offsets of "size of offsets" and of the end-of-file address, per superblock version.
  const layout = version === 0 ? { sizeAt: 13, eofAt: 24 } : version === 1 ? { sizeAt: 13, eofAt: 28 } : version === 2 || version === 3 ? { sizeAt: 9, eofAt: 12 } : undefined;
  if (layout === undefined) throw new NIRFormatError('/', `superblock version ${version}`, 'unknown HDF5 superblock version');
  const offsetSize = bytes[base + layout.sizeAt] ?? 0;
  const eofField = base + layout.eofAt + 2 * offsetSize;
  if (![2, 4, 8].includes(offsetSize) || eofField + offsetSize > bytes.length) {
    throw new NIRFormatError('/', `${bytes.length} bytes`, 'truncated HDF5 file: the superblock is incomplete');
  }
  const declared = base + littleEndianAddress(bytes, eofField, offsetSize);
  if (declared > bytes.length) {
    throw new NIRFormatError('/', `${bytes.length} bytes`, `truncated HDF5 file: its superblock declares ${declared} bytes`);
  }
}

/** Opens `bytes` as an HDF5 file for `read`, then frees it. */
export async function withFileBytes<T>(bytes: Uint8Array, read: (root: Group) => T): Promise<T> {
  if (!(bytes instanceof Uint8Array)) throw new NIRFormatError('/', typeof bytes, 'expected the file as a Uint8Array');
  checkContainer(bytes);
  const { FS } = await h5wasm.ready;
  const name = scratchName();
  FS.writeFile(name, bytes);
  let file: H5File | undefined;
  try {
    file = new h5wasm.File(name, 'r');
    if (file.file_id < 0n) throw new NIRFormatError('/', `${bytes.length} bytes`, 'HDF5 cannot open the file (corrupt superblock)');
    return read(file);
  } finally {
    if (file !== undefined && file.file_id >= 0n) file.close();
    FS.unlink(name);
  }
}

/** Creates an HDF5 file, lets `write` fill it and returns its bytes. */
export async function fileBytes(write: (root: Group) => void): Promise<Uint8Array> {
  const { FS } = await h5wasm.ready;
  const name = scratchName();
  const file = new h5wasm.File(name, 'w');
  try {
    try {
      write(file);
    } finally {
      file.close();
    }
    return FS.readFile(name);
  } finally {
    FS.unlink(name);
  }
}

/** Runs an h5wasm call; anything it throws becomes a NIRFormatError at `path`. */
function reading<T>(path: string, what: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof NIRError) throw error;
    throw new NIRFormatError(path, error instanceof Error ? error.message : String(error), `HDF5 could not read ${what}`, { cause: error });
  }
}

function writing<T>(path: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof NIRError) throw error;
    throw new NIRError(`${path}: HDF5 could not write it: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

export type Child = { kind: 'group'; group: Group } | { kind: 'dataset'; dataset: Dataset };

/** The names in a group (sorted by name, as HDF5 and h5py list them). */
export function childNames(group: Group, path: string): string[] {
  return reading(path, 'the group', () => group.keys());
}

/** The group or dataset `name` of `group`, `undefined` if absent; links and named types are refused. */
export function child(group: Group, name: string, path: string): Child | undefined {
  const entity = reading(path, 'the entry', () => group.get(name));
  if (entity === null) return undefined;
  if (entity instanceof Group) return { kind: 'group', group: entity };
  if (entity instanceof Dataset) return { kind: 'dataset', dataset: entity };
  throw new NIRFormatError(path, entity.constructor.name, 'expected a group or a dataset');
}

export function childGroup(group: Group, name: string, path: string): Group | undefined {
  const entry = child(group, name, path);
  if (entry !== undefined && entry.kind !== 'group') throw new NIRFormatError(path, 'a dataset', 'expected a group');
  return entry?.group;
}

export function childDataset(group: Group, name: string, path: string): Dataset | undefined {
  const entry = child(group, name, path);
  if (entry !== undefined && entry.kind !== 'dataset') throw new NIRFormatError(path, 'a group', 'expected a dataset');
  return entry?.dataset;
}

/** What a dataset or attribute holds: strings or numbers, with its shape. */
export type StoredValue = { kind: 'strings'; shape: number[]; strings: string[] } | { kind: 'numbers'; array: NIRArray };

interface StoredMetadata {
  type: number;
  size: number;
  signed: boolean;
  littleEndian: boolean;
  shape: number[] | null;
  enum_type?: { type: number; members: Record<string, number> };
}

function storedDType(metadata: StoredMetadata, path: string): NIRDType {
  if (metadata.type === H5T_ENUM) {
    const members = metadata.enum_type?.members ?? {};
    // h5py stores numpy bool as an enum {FALSE: 0, TRUE: 1} over int8.
    if (Object.keys(members).length === 2 && members['FALSE'] === 0 && members['TRUE'] === 1 && metadata.size === 1) return 'bool';
    throw new NIRFormatError(path, `enum ${JSON.stringify(members)}`, 'only numpy bool enums are read');
  }
  if (metadata.type !== H5T_INTEGER && metadata.type !== H5T_FLOAT) {
    throw new NIRFormatError(path, `HDF5 type class ${metadata.type}`, 'expected numbers or strings');
  }
  if (!metadata.littleEndian && metadata.size > 1) throw new NIRFormatError(path, 'big-endian data', 'only little-endian numbers are read');
  const dtype = dtypeOf(metadata.type === H5T_FLOAT, metadata.size, metadata.signed);
  if (dtype === undefined) {
    const kind = metadata.type === H5T_FLOAT ? 'float' : metadata.signed ? 'int' : 'uint';
    throw new NIRFormatError(path, `${kind}${metadata.size * 8}`, `element type must be one of ${Object.keys(nirDTypes).join(', ')}`);
  }
  return dtype;
}

function toFloat64(raw: unknown, count: number, dtype: NIRDType, path: string): Float64Array {
  const values = ArrayBuffer.isView(raw) ? (raw as unknown as ArrayLike<number | bigint>) : [raw as number | bigint];
  if (values.length !== count) throw new NIRFormatError(path, `${values.length} values`, `the dataspace needs ${count}`);
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const v = values[i]!;
    const x = Number(v);
    if (typeof v === 'bigint' && !Number.isSafeInteger(x)) {
      throw new NIRFormatError(`${path}[${i}]`, v.toString(), `${dtype} value has no exact float64`);
    }
    data[i] = x;
  }
  return data;
}

function storedValue(metadata: StoredMetadata, raw: unknown, path: string): StoredValue {
  if (metadata.shape === null) throw new NIRFormatError(path, 'an empty dataspace', 'expected a value');
  const shape = [...metadata.shape];
  const count = elementCount(shape);
  if (metadata.type === H5T_STRING) {
    const strings = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : [];
    if (strings.length !== count || !strings.every((s) => typeof s === 'string')) {
      throw new NIRFormatError(path, typeof raw, 'unreadable string data');
    }
    return { kind: 'strings', shape, strings: strings as string[] };
  }
  const dtype = storedDType(metadata, path);
  return { kind: 'numbers', array: { shape, data: toFloat64(raw, count, dtype, path), dtype } };
}

export function readDataset(dataset: Dataset, path: string): StoredValue {
  const metadata = reading(path, 'the dataset type', () => dataset.metadata as StoredMetadata);
  // Refuse an unsupported type before h5wasm reads (and perhaps misreads) the data.
  if (metadata.type !== H5T_STRING) storedDType(metadata, path);
  const raw = reading(path, 'the dataset', () => dataset.value);
  return storedValue(metadata, raw, path);
}

/** A scalar string dataset (`type`, `version`). */
export function readScalarString(dataset: Dataset | undefined, path: string, rule: string): string {
  if (dataset === undefined) throw new NIRFormatError(path, undefined, rule);
  const value = readDataset(dataset, path);
  if (value.kind !== 'strings' || value.shape.length !== 0) {
    throw new NIRFormatError(path, value.kind === 'strings' ? `strings of shape ${formatShape(value.shape)}` : `numbers of shape ${formatShape(value.array.shape)}`, rule);
  }
  return value.strings[0]!;
}

export function readNumericDataset(dataset: Dataset, path: string): NIRArray {
  const value = readDataset(dataset, path);
  if (value.kind !== 'numbers') throw new NIRFormatError(path, `strings of shape ${formatShape(value.shape)}`, 'expected a numeric array');
  return value.array;
}

/** Attribute `name` of `object`, `undefined` if absent. */
export function readAttribute(object: Group | Dataset, name: string, path: string): StoredValue | undefined {
  const at = `${path}@${name}`;
  const attrs = reading(at, 'the attributes', () => object.attrs);
  if (!Object.hasOwn(attrs, name)) return undefined;
  return reading(at, 'the attribute', () => {
    const attribute = attrs[name]!;
    return storedValue(attribute.metadata as StoredMetadata, attribute.value, at);
  });
}

// h5py's chunk guess (h5py/_hl/filters.py, guess_chunk), so that chunked datasets come out as NIR's writer makes them.
const CHUNK_BASE = 16 * 1024;
const CHUNK_MIN = 8 * 1024;
const CHUNK_MAX = 1024 * 1024;

export function guessChunks(shape: readonly number[], typeSize: number): number[] {
  const chunks = shape.map((extent) => (extent === 0 ? 1024 : extent));
  const datasetBytes = elementCount(chunks) * typeSize;
  const target = Math.min(CHUNK_MAX, Math.max(CHUNK_MIN, CHUNK_BASE * 2 ** Math.log10(datasetBytes / (1024 * 1024))));
  for (let i = 0; ; i++) {
    const chunkBytes = elementCount(chunks) * typeSize;
    if ((chunkBytes < target || Math.abs(chunkBytes - target) / target < 0.5) && chunkBytes < CHUNK_MAX) break;
    if (elementCount(chunks) === 1) break;
    const axis = i % chunks.length;
    chunks[axis] = Math.ceil(chunks[axis]! / 2);
  }
  return chunks;
}

// h5wasm's dtype strings ('<q' is int64; a digit after the letter is not a size for h5wasm).
const h5wasmDType: Readonly<Record<Exclude<NIRDType, 'bool'>, string>> = {
  float64: '<d',
  float32: '<f',
  int64: '<q',
  int32: '<i',
  int16: '<h',
  int8: '<b',
  uint32: '<I',
  uint16: '<H',
  uint8: '<B',
};

function typedData(array: NIRArray, dtype: Exclude<NIRDType, 'bool'>): Float64Array | Float32Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array | Uint8Array {
  const { data } = array;
  switch (dtype) {
    case 'float64': return data;
    case 'float32': return Float32Array.from(data);
    case 'int64': return BigInt64Array.from(data, (x) => BigInt(x));
    case 'int32': return Int32Array.from(data);
    case 'int16': return Int16Array.from(data);
    case 'int8': return Int8Array.from(data);
    case 'uint32': return Uint32Array.from(data);
    case 'uint16': return Uint16Array.from(data);
    case 'uint8': return Uint8Array.from(data);
  }
}

/**
 * A numeric dataset as NIR writes a numpy array: its own dtype, gzip level 4 with h5py's chunk guess
 * (`nir.write`'s defaults); scalars stay contiguous, since HDF5 cannot chunk them.
 */
export function writeArray(group: Group, name: string, array: NIRArray, path: string): void {
  const dtype = array.dtype ?? 'float64';
  if (dtype === 'bool') {
    throw new NIRFormatError(path, 'dtype bool', "h5wasm cannot create HDF5 enum types (numpy bool); convert the array to dtype 'uint8' or 'float32'");
  }
  const compressed = array.shape.length > 0;
  writing(path, () =>
    group.create_dataset({
      name,
      data: typedData(array, dtype),
      shape: array.shape,
      dtype: h5wasmDType[dtype],
      ...(compressed ? { chunks: guessChunks(array.shape, nirDTypes[dtype].bytes), compression: 'gzip' as const, compression_opts: 4 } : {}),
    }),
  );
}

/** A string dataset, variable-length UTF-8 like h5py's `string_dtype()`; scalar unless a shape is given. */
export function writeStrings(group: Group, name: string, strings: string[], shape: number[] | undefined, path: string): void {
  writing(path, () => group.create_dataset({ name, data: shape === undefined ? strings[0]! : strings, ...(shape === undefined ? {} : { shape }), dtype: 'S' }));
}

/** An empty list as h5py stores it (`create_dataset(data=[])`): float64 of shape (0,), contiguous. */
export function writeEmptyList(group: Group, name: string, path: string): void {
  writing(path, () => group.create_dataset({ name, data: new Float64Array(0), shape: [0], dtype: '<d' }));
}

export function createGroup(parent: Group, name: string, path: string): Group {
  return writing(path, () => parent.create_group(name));
}

/** Scalar attributes as h5py writes Python values: str → vlen UTF-8, float → float64, int → int64. */
export function writeAttribute(object: Group, name: string, value: string | { float64: number } | { int64: number }, path: string): void {
  writing(`${path}@${name}`, () => {
    if (typeof value === 'string') object.create_attribute(name, value, [], 'S');
    else if ('float64' in value) object.create_attribute(name, new Float64Array([value.float64]), [], '<d');
    else object.create_attribute(name, new BigInt64Array([BigInt(value.int64)]), [], '<q');
  });
}
