import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CalibrationCache, cacheKey, defaultCachePaths, resultToJSON, spikingTarget } from '../src/node/index.js';
import { syntheticResult } from './support/synthetic-result.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bss2-cache-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const identity = { chipSeed: 3, simulatorVersion: 'test', protocolVersion: 1 };

describe('CalibrationCache (hardware.md §9.4)', () => {
  it('keys by SHA-256 and changes the key with the target', () => {
    const key = cacheKey(spikingTarget, {}, identity);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey(spikingTarget, {}, identity)).toBe(key);
    expect(cacheKey({ ...spikingTarget, threshold_lsb: 126 }, {}, identity)).not.toBe(key);
  });

  it('stores through a temporary file and a rename, and loads it back', () => {
    const dir = tempDir();
    const cache = new CalibrationCache({ paths: [dir] });
    const file = cache.store('k1', syntheticResult());
    expect(file).toBe(join(dir, 'lif-k1.msgpack'));
    expect(readdirSync(dir)).toEqual(['lif-k1.msgpack']);
    expect(resultToJSON(cache.load('k1')!)).toEqual(resultToJSON(syntheticResult()));
    expect(cache.load('other')).toBeUndefined();
  });

  it('looks in a shared directory first and writes to the first that accepts', () => {
    const shared = tempDir();
    const user = tempDir();
    new CalibrationCache({ paths: [user] }).store('k', syntheticResult(spikingTarget, 4));
    const cache = new CalibrationCache({ paths: [shared, user] });
    expect(cache.load('k')!.identity.chipSeed).toBe(4);
    new CalibrationCache({ paths: [shared] }).store('k', syntheticResult(spikingTarget, 5));
    expect(cache.load('k')!.identity.chipSeed).toBe(5);
  });

  it('read-only mode never writes; an empty path list disables caching', () => {
    const dir = tempDir();
    expect(new CalibrationCache({ paths: [dir], readOnly: true }).store('k', syntheticResult())).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
    const off = new CalibrationCache({ paths: [] });
    expect(off.enabled).toBe(false);
    expect(off.store('k', syntheticResult())).toBeUndefined();
  });

  it('treats a corrupt file as a miss and skips directories it cannot write', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'lif-bad.msgpack'), Uint8Array.of(1, 2, 3));
    expect(new CalibrationCache({ paths: [dir] }).load('bad')).toBeUndefined();
    const locked = tempDir();
    chmodSync(locked, 0o500);
    const fallback = tempDir();
    const file = new CalibrationCache({ paths: [join(locked, 'sub'), fallback] }).store('k', syntheticResult());
    // root may write anywhere; either way the result lands in one of the two.
    expect(file === join(fallback, 'lif-k.msgpack') || file === join(locked, 'sub', 'lif-k.msgpack')).toBe(true);
    chmodSync(locked, 0o700);
  });

  it('defaults to $BSS2_CALIBRATION_CACHE, else the user cache directory', () => {
    expect(defaultCachePaths({ BSS2_CALIBRATION_CACHE: '/a:/b' })).toEqual(['/a', '/b']);
    expect(defaultCachePaths({ XDG_CACHE_HOME: '/c' })).toEqual(['/c/bss2/calibration']);
  });
});
