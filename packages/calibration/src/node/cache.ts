import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  CALIBRATION_SOFTWARE_VERSION,
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

const fileName = (key: string) => `lif-${key}.msgpack`;

/**
 * The disk cache of calibration results: one msgpack file per key. Reads try every path in order and skip
 * files that are missing or unreadable (a corrupt file is a miss, not an error); writes go to a temporary
 * file that is renamed into place, so a reader never sees half a file and concurrent writers do not clash.
 */
export class CalibrationCache {
  readonly paths: readonly string[];
  readonly readOnly: boolean;

  constructor(options: CalibrationCacheOptions = {}) {
    this.paths = options.paths ?? defaultCachePaths();
    this.readOnly = options.readOnly ?? false;
  }

  get enabled(): boolean {
    return this.paths.length > 0;
  }

  /** The cached result for `key`, or undefined. */
  load(key: string): CalibrationResult | undefined {
    for (const dir of this.paths) {
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(join(dir, fileName(key)));
      } catch {
        continue;
      }
      try {
        return resultFromMsgpack(bytes);
      } catch {
        continue;
      }
    }
    return undefined;
  }

  /** Stores `result` under `key` in the first directory that accepts it; returns the file or undefined. */
  store(key: string, result: CalibrationResult): string | undefined {
    if (this.readOnly) return undefined;
    const bytes = resultToMsgpack(result);
    for (const dir of this.paths) {
      const file = join(dir, fileName(key));
      const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
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
}
