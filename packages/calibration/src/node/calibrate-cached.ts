import type { Connection } from '@bss2/hxcomm';
import { type CalibrateOptions, CalibrationResult, type LIFCalibrationTarget, calibrateLIF, resolveTarget } from '../index.js';
import { CalibrationCache, type CalibrationCacheOptions, cacheKey } from './cache.js';

/** A result and where it came from. */
export interface CachedCalibration {
  readonly result: CalibrationResult;
  /** True when the result was read from the cache (no measurement ran). */
  readonly cached: boolean;
  readonly key: string;
  /** The file written, when a new result was stored. */
  readonly file?: string;
}

/**
 * `calibrateLIF` behind the disk cache (hardware.md §9.4): the key is the SHA-256 of target, options, chip
 * identity (as the connection reports it) and software version; a hit — a file whose checksum and carried
 * identity match that key — returns the stored result without touching the chip; a miss, including a
 * rejected file (reported through `cacheOptions.warn`), calibrates and stores, replacing the rejected entry.
 * The target is checked first, so an impossible one fails the same way with or without a cache.
 */
export async function calibrateLIFCached(
  connection: Connection,
  target: LIFCalibrationTarget,
  options: CalibrateOptions = {},
  cacheOptions: CalibrationCacheOptions = {},
): Promise<CachedCalibration> {
  resolveTarget(target);
  const { onProgress: _onProgress, requireSuccess: _requireSuccess, ...keyOptions } = options;
  const identity = connection.identity;
  const key = cacheKey(target, keyOptions, { chipSeed: identity.chipSeed, simulatorVersion: identity.simulatorVersion, protocolVersion: identity.protocolVersion });
  const cache = new CalibrationCache(cacheOptions);
  if (cache.enabled) {
    const hit = cache.load(key);
    if (hit !== undefined) return { result: hit, cached: true, key };
  }
  const result = await calibrateLIF(connection, target, options);
  const file = cache.enabled ? cache.store(key, result) : undefined;
  return file === undefined ? { result, cached: false, key } : { result, cached: false, key, file };
}
