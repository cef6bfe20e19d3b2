import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from '@bss2/hxcomm';
import {
  CALIBRATION_SOFTWARE_VERSION,
  type CalibrateMacOptions,
  type MacCalibrationResult,
  type MacCalibrationTarget,
  calibrateMAC,
  macCacheKeyMaterial,
  macResultFromJSON,
  macResultToJSON,
  resolveMacTarget,
} from '../index.js';
import { type CalibrationCacheOptions, defaultCachePaths, storeInFirstWritable } from './cache.js';

export interface CachedMacCalibration {
  readonly result: MacCalibrationResult;
  readonly cached: boolean;
  readonly key: string;
  readonly file?: string;
}

/** SHA-256 of the MAC key material (kind, resolved target, chip identity, software version). */
export function macCacheKey(result: Pick<MacCalibrationResult, 'target' | 'identity' | 'softwareVersion'>): string {
  return createHash('sha256').update(macCacheKeyMaterial(result.target, result.identity, result.softwareVersion)).digest('hex');
}

const fileName = (key: string) => `mac-${key}.json`;

/**
 * `calibrateMAC` behind the disk cache, with the LIF cache's rules (hardware.md §9.4, calibration README): one
 * `mac-<key>.json` per result in the same directories, served only if its checksum matches and the key computed
 * from the identity and target it carries is the key looked up; a rejected file is reported through `warn` and
 * recalibrated (and replaced unless `readOnly`). Files are written through a temporary file and rename.
 */
export async function calibrateMACCached(
  connection: Connection,
  target: MacCalibrationTarget = {},
  options: CalibrateMacOptions = {},
  cacheOptions: CalibrationCacheOptions = {},
): Promise<CachedMacCalibration> {
  const resolved = resolveMacTarget(target);
  const id = connection.identity;
  const key = macCacheKey({ target: resolved, identity: { chipSeed: id.chipSeed, simulatorVersion: id.simulatorVersion, protocolVersion: id.protocolVersion }, softwareVersion: CALIBRATION_SOFTWARE_VERSION });
  const paths = cacheOptions.paths ?? defaultCachePaths();
  const warn = cacheOptions.warn ?? ((message: string) => console.warn(message));
  for (const dir of paths) {
    const file = join(dir, fileName(key));
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') warn(`calibration cache: rejected ${file}: unreadable (${(error as Error).message}); treated as a miss`);
      continue;
    }
    try {
      const result = macResultFromJSON(JSON.parse(text));
      const own = macCacheKey(result);
      if (own !== key) throw new Error(`it holds the MAC result of chip seed ${result.identity.chipSeed}, whose key is ${own}, not ${key}`);
      return { result, cached: true, key };
    } catch (error) {
      warn(`calibration cache: rejected ${file}: ${(error as Error).message}; treated as a miss`);
    }
  }
  const result = await calibrateMAC(connection, resolved, options);
  if (cacheOptions.readOnly === true) return { result, cached: false, key };
  const file = storeInFirstWritable(paths, fileName(key), JSON.stringify(macResultToJSON(result)));
  return file === undefined ? { result, cached: false, key } : { result, cached: false, key, file };
}
