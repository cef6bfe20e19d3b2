import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  CALIBRATION_SOFTWARE_VERSION,
  CalibrationError,
  type CalibrationOptions,
  type CalibrationResult,
  type ChipIdentity,
  type LIFCalibrationTarget,
  cacheKeyMaterial,
  resultFromMsgpack,
  resultToMsgpack,
} from '../index.js';

/** Where cached results are looked up and stored (hardware.md §9.4). */
export interface CalibrationCacheOptions {
  /**
   * Directories searched in order (e.g. a shared directory, then the user's); the first writable one stores
   * new results. An empty list disables caching. Default: `defaultCachePaths()`.
   */
  readonly paths?: readonly string[];
  /** Look up only; never write. */
  readonly readOnly?: boolean;
  /** Where a rejected cache file is reported (one line naming the file and the reason). Default: `console.warn`. */
  readonly warn?: (message: string) => void;
}

/** `$BSS2_CALIBRATION_CACHE` if set (colon-separated), else `~/.cache/bss2/calibration`. */
export function defaultCachePaths(env: Record<string, string | undefined> = process.env): string[] {
  const configured = env.BSS2_CALIBRATION_CACHE;
  if (configured !== undefined && configured !== '') return configured.split(':').filter((p) => p !== '');
  return [join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'bss2', 'calibration')];
}

/** SHA-256 (hex) of the target, options, chip identity and software version (hardware.md §9.4). */
export function cacheKey(target: LIFCalibrationTarget, options: CalibrationOptions, identity: ChipIdentity, softwareVersion = CALIBRATION_SOFTWARE_VERSION): string {
  return createHash('sha256').update(cacheKeyMaterial(target, options, identity, softwareVersion)).digest('hex');
}

/** The key a result belongs under: the one computed from its own target, options, chip identity and software version. */
export function resultCacheKey(result: CalibrationResult): string {
  return cacheKey(result.target, result.options, result.identity, result.softwareVersion);
}

const fileName = (key: string) => `lif-${key}.msgpack`;

// Distinguishes temporary files of one process written in the same millisecond.
let temporaryCount = 0;

/**
 * The disk cache of calibration results: one msgpack file per key. Reads try every path in order; a file is
 * trusted only if its format version is current, its checksum matches its content and the key computed from
 * the identity it carries (chip, software version, target, options) is the key it was looked up under.
 * Anything else — damaged, stale, or copied under another chip's name — is a miss, reported through `warn`
 * with the file named; the calibration that follows is stored in the first writable directory (replacing the
 * rejected file when it lies there). Writes go to a temporary file that is renamed
 * into place, so a reader never sees half a file and concurrent writers do not clash.
 */
export class CalibrationCache {
  readonly paths: readonly string[];
  readonly readOnly: boolean;
  private readonly warn: (message: string) => void;

  constructor(options: CalibrationCacheOptions = {}) {
    this.paths = options.paths ?? defaultCachePaths();
    this.readOnly = options.readOnly ?? false;
    this.warn = options.warn ?? ((message) => console.warn(message));
  }

  get enabled(): boolean {
    return this.paths.length > 0;
  }

  /** The cached result for `key`, or undefined; rejected files are reported through `warn`. */
  load(key: string): CalibrationResult | undefined {
    for (const dir of this.paths) {
      const file = join(dir, fileName(key));
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.reject(file, `unreadable (${(error as Error).message})`);
        continue;
      }
      let result: CalibrationResult;
      try {
        result = resultFromMsgpack(bytes);
      } catch (error) {
        this.reject(file, (error as Error).message);
        continue;
      }
      const own = resultCacheKey(result);
      if (own !== key) {
        const id = result.identity;
        this.reject(file, `it holds the result of chip seed ${id.chipSeed} (simulator ${id.simulatorVersion}, protocol ${id.protocolVersion}, software ${result.softwareVersion}), whose key is ${own}, not ${key}`);
        continue;
      }
      return result;
    }
    return undefined;
  }

  private reject(file: string, reason: string): void {
    const then = this.readOnly ? 'read-only cache: nothing is rewritten' : 'a new calibration is stored in the first writable cache directory';
    this.warn(`calibration cache: rejected ${file}: ${reason}; treated as a miss (${then})`);
  }

  /**
   * Stores `result` under `key` in the first directory that accepts it; returns the file or undefined. The key
   * must be the result's own (`resultCacheKey`): a result filed under another key would be rejected by every load.
   */
  store(key: string, result: CalibrationResult): string | undefined {
    const own = resultCacheKey(result);
    if (own !== key) throw new CalibrationError(`CalibrationCache.store: key ${key} is not the key of this result (${own}, from its chip identity, software version, target and options)`);
    if (this.readOnly) return undefined;
    return storeInFirstWritable(this.paths, fileName(key), resultToMsgpack(result));
  }
}

/**
 * Writes `bytes` as `name` into the first of `paths` that accepts it, through a temporary file and a rename, so
 * that concurrent writers never clash and readers never see half a file; the file written, or undefined.
 */
export function storeInFirstWritable(paths: readonly string[], name: string, bytes: Uint8Array | string): string | undefined {
  for (const dir of paths) {
    const file = join(dir, name);
    const temporary = `${file}.${process.pid}.${Date.now()}.${temporaryCount++}.tmp`;
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(temporary, bytes);
      renameSync(temporary, file);
      return file;
    } catch {
      rmSync(temporary, { force: true });
    }
  }
  return undefined;
}
