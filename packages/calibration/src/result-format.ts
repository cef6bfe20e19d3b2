import { Packr } from 'msgpackr';
import { type CalibrationOptions, CalibrationResult, type ChipIdentity, type ParameterReport, type SharedSettings } from './calibration-result.js';
import { crc32Utf8 } from './checksum.js';
import { CalibrationResultFormatError } from './errors.js';
import { type NeuronSettings, neuronSettingFields } from './neuron-settings.js';
import { type LIFCalibrationTarget, NEURON_COUNT, targetParameters, targetToJSON } from './targets.js';

/**
 * Name and version of the portable file format (JSON or msgpack of the same document). Version 2 added the
 * `checksum`; documents of older versions are refused (a cache treats them as stale).
 */
export const RESULT_FORMAT = 'bss2-calibration-lif';
export const RESULT_FORMAT_VERSION = 2;

/** Prefix of the `checksum` field: names the algorithm, so a later format can change it visibly. */
const CHECKSUM_ALGORITHM = 'crc32';

// Plain maps and arrays, no msgpackr records: readable by any msgpack implementation.
const packr = new Packr({ useRecords: false, moreTypes: false });

export type Json = Record<string, unknown>;

/**
 * The checksum of a document: CRC-32 (`checksum.ts`) of the canonical JSON of every field but `checksum`, so it
 * depends on the content only — not on key order, JSON whitespace or the msgpack encoding chosen for a number.
 */
export function resultChecksum(doc: Json): string {
  const { checksum: _ignored, ...content } = doc;
  return `${CHECKSUM_ALGORITHM}:${crc32Utf8(canonicalJSON(content)).toString(16).padStart(8, '0')}`;
}

/** The JSON document of a result: plain numbers and arrays only, with the checksum of its content. */
export function resultToJSON(result: CalibrationResult): Json {
  const doc: Json = {
    format: RESULT_FORMAT,
    formatVersion: RESULT_FORMAT_VERSION,
    softwareVersion: result.softwareVersion,
    identity: { ...result.identity },
    target: targetToJSON(result.target),
    options: optionsToJSON(result.options),
    duration_s: result.duration_s,
    neurons: Object.fromEntries(neuronSettingFields.map((f) => [f, Array.from(result.neurons[f])])),
    shared: {
      cadcChannelOffsets: Array.from(result.shared.cadcChannelOffsets),
      synapseDacBias: Array.from(result.shared.synapseDacBias),
      clockScaleFast: Array.from(result.shared.clockScaleFast),
      clockScaleSlow: Array.from(result.shared.clockScaleSlow),
    },
    parameters: result.parameters.map((p) => ({
      parameter: p.parameter,
      unit: p.unit,
      target: Array.from(p.target),
      before: Array.from(p.before),
      achieved: Array.from(p.achieved),
      success: Array.from(p.success),
    })),
  };
  doc.checksum = resultChecksum(doc);
  return doc;
}

/** Options as plain JSON with a fixed key order (also the cache key's form). */
export function optionsToJSON(options: CalibrationOptions): Json {
  const out: Json = {};
  if (options.cadcSamples !== undefined) out.cadcSamples = options.cadcSamples;
  if (options.adex !== undefined) out.adex = JSON.parse(JSON.stringify(options.adex)) as unknown;
  return out;
}

function fail(path: string, rule: string): never {
  throw new CalibrationResultFormatError(`calibration result: ${path} ${rule}`);
}

function object(value: unknown, path: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, 'must be an object');
  return value as Json;
}

function numbers(value: unknown, path: string, length?: number): number[] {
  if (!Array.isArray(value) || !value.every((x) => typeof x === 'number')) fail(path, 'must be an array of numbers');
  if (length !== undefined && value.length !== length) fail(path, `must have ${length} entries, has ${value.length}`);
  return value as number[];
}

function integers(value: unknown, path: string, length: number): Int32Array {
  const list = numbers(value, path, length);
  if (!list.every(Number.isInteger)) fail(path, 'must hold integers');
  return Int32Array.from(list);
}

/**
 * Inverse of `resultToJSON`; rejects other formats, older (stale) or newer versions, documents whose checksum does
 * not match their content and malformed documents with a typed error.
 */
export function resultFromJSON(json: unknown): CalibrationResult {
  const doc = object(json, 'document');
  if (doc.format !== RESULT_FORMAT) fail('format', `must be '${RESULT_FORMAT}', is ${JSON.stringify(doc.format)}`);
  if (doc.formatVersion !== RESULT_FORMAT_VERSION) {
    const stale = typeof doc.formatVersion === 'number' && doc.formatVersion < RESULT_FORMAT_VERSION;
    fail('formatVersion', `must be ${RESULT_FORMAT_VERSION}, is ${JSON.stringify(doc.formatVersion)}${stale ? ' (an older format without a checksum: stale, recalibrate)' : ''}`);
  }
  if (typeof doc.checksum !== 'string') fail('checksum', 'must be a string');
  const expected = resultChecksum(doc);
  if (doc.checksum !== expected) fail('checksum', `${JSON.stringify(doc.checksum)} does not match the content (${expected}): the document is damaged`);
  if (typeof doc.softwareVersion !== 'string') fail('softwareVersion', 'must be a string');
  const id = object(doc.identity, 'identity');
  if (typeof id.chipSeed !== 'number' || typeof id.simulatorVersion !== 'string' || typeof id.protocolVersion !== 'number') {
    fail('identity', 'must hold chipSeed (number), simulatorVersion (string), protocolVersion (number)');
  }
  const identity: ChipIdentity = { chipSeed: id.chipSeed, simulatorVersion: id.simulatorVersion, protocolVersion: id.protocolVersion };
  const targetJson = object(doc.target, 'target');
  for (const name of targetParameters) if (!(name in targetJson)) fail(`target.${name}`, 'is missing');
  const target = targetJson as unknown as LIFCalibrationTarget;
  const options = object(doc.options, 'options') as CalibrationOptions;
  const neuronsJson = object(doc.neurons, 'neurons');
  const neurons = Object.fromEntries(neuronSettingFields.map((f) => [f, integers(neuronsJson[f], `neurons.${f}`, NEURON_COUNT)])) as NeuronSettings;
  const sharedJson = object(doc.shared, 'shared');
  const shared: SharedSettings = {
    cadcChannelOffsets: integers(sharedJson.cadcChannelOffsets, 'shared.cadcChannelOffsets', 1024),
    synapseDacBias: integers(sharedJson.synapseDacBias, 'shared.synapseDacBias', 4),
    clockScaleFast: integers(sharedJson.clockScaleFast, 'shared.clockScaleFast', 2),
    clockScaleSlow: integers(sharedJson.clockScaleSlow, 'shared.clockScaleSlow', 2),
  };
  if (!Array.isArray(doc.parameters)) fail('parameters', 'must be an array');
  const parameters: ParameterReport[] = (doc.parameters as unknown[]).map((entry, k) => {
    const p = object(entry, `parameters[${k}]`);
    if (typeof p.parameter !== 'string' || typeof p.unit !== 'string') fail(`parameters[${k}]`, 'must name parameter and unit');
    const target = numbers(p.target, `parameters[${k}].target`);
    const n = target.length;
    return {
      parameter: p.parameter,
      unit: p.unit,
      target: Float64Array.from(target),
      before: Float64Array.from(numbers(p.before, `parameters[${k}].before`, n)),
      achieved: Float64Array.from(numbers(p.achieved, `parameters[${k}].achieved`, n)),
      success: Uint8Array.from(numbers(p.success, `parameters[${k}].success`, n)),
    };
  });
  const duration = typeof doc.duration_s === 'number' ? doc.duration_s : 0;
  return new CalibrationResult({ target, options, identity, softwareVersion: doc.softwareVersion, neurons, shared, parameters, duration_s: duration });
}

/** msgpack bytes of `resultToJSON(result)`. */
export function resultToMsgpack(result: CalibrationResult): Uint8Array {
  const bytes: Uint8Array = packr.pack(resultToJSON(result));
  // msgpackr hands out a Buffer on Node; callers get exactly the bytes.
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function resultFromMsgpack(bytes: Uint8Array): CalibrationResult {
  let json: unknown;
  try {
    json = packr.unpack(bytes);
  } catch (error) {
    throw new CalibrationResultFormatError(`calibration result: invalid msgpack: ${(error as Error).message}`);
  }
  return resultFromJSON(json);
}

/** JSON with keys sorted at every level: equal documents give equal text, whatever the insertion order. */
export function canonicalJSON(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJSON).join(',')}]`;
  if (ArrayBuffer.isView(value)) return canonicalJSON(Array.from(value as unknown as ArrayLike<number>));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Json).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJSON(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The version the key material carries. It stays at 1 when the document format changes: the key says what a result
 * depends on, not how it is stored, so an entry written in an older format is found under the same name, reported
 * as stale and rewritten in place rather than lingering unseen.
 */
const CACHE_KEY_VERSION = 1;

/**
 * What a cached result depends on (hardware.md §9.4): the serialised target, options, chip identity (seed and
 * simulator version; not the transport, which does not change the chip) and software version. The node
 * entry hashes it with SHA-256.
 */
export function cacheKeyMaterial(target: LIFCalibrationTarget, options: CalibrationOptions, identity: ChipIdentity, softwareVersion: string): string {
  return canonicalJSON({
    format: RESULT_FORMAT,
    formatVersion: CACHE_KEY_VERSION,
    softwareVersion,
    identity: { chipSeed: identity.chipSeed, simulatorVersion: identity.simulatorVersion, protocolVersion: identity.protocolVersion },
    target: targetToJSON(target),
    options: optionsToJSON(options),
  });
}
