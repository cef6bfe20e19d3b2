import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CalibrationCache, CalibrationError, cacheKey, defaultCachePaths, resultCacheKey, resultToJSON, spikingTarget } from '../src/node/index.js';
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
    const key = resultCacheKey(syntheticResult());
    const file = cache.store(key, syntheticResult());
    expect(file).toBe(join(dir, `lif-${key}.msgpack`));
    expect(readdirSync(dir)).toEqual([`lif-${key}.msgpack`]);
    expect(resultToJSON(cache.load(key)!)).toEqual(resultToJSON(syntheticResult()));
    expect(cache.load(resultCacheKey(syntheticResult(spikingTarget, 4)))).toBeUndefined();
  });

  it('refuses to store a result under a key that is not its own', () => {
    const cache = new CalibrationCache({ paths: [tempDir()] });
    expect(() => cache.store(resultCacheKey(syntheticResult(spikingTarget, 4)), syntheticResult())).toThrow(CalibrationError);
  });

  it('looks in a shared directory first and writes to the first that accepts', () => {
    const shared = tempDir();
    const user = tempDir();
    const older = syntheticResult(spikingTarget, 4);
    const newer = syntheticResult({ ...spikingTarget }, 4);
    newer.neurons['leak.vLeak'][0] = 123;
    const key = resultCacheKey(older);
    new CalibrationCache({ paths: [user] }).store(key, older);
    const cache = new CalibrationCache({ paths: [shared, user] });
    expect(cache.load(key)!.neurons['leak.vLeak'][0]).toBe(older.neurons['leak.vLeak'][0]);
    new CalibrationCache({ paths: [shared] }).store(key, newer);
    expect(cache.load(key)!.neurons['leak.vLeak'][0]).toBe(123);
  });

  it('read-only mode never writes; an empty path list disables caching', () => {
    const dir = tempDir();
    const key = resultCacheKey(syntheticResult());
    expect(new CalibrationCache({ paths: [dir], readOnly: true }).store(key, syntheticResult())).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
    const off = new CalibrationCache({ paths: [] });
    expect(off.enabled).toBe(false);
    expect(off.store(key, syntheticResult())).toBeUndefined();
  });

  it('treats a corrupt file as a miss, with a warning naming it, and skips directories it cannot write', () => {
    const dir = tempDir();
    const warnings: string[] = [];
    writeFileSync(join(dir, 'lif-bad.msgpack'), Uint8Array.of(1, 2, 3));
    expect(new CalibrationCache({ paths: [dir], warn: (m) => warnings.push(m) }).load('bad')).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(join(dir, 'lif-bad.msgpack'));
    const locked = tempDir();
    chmodSync(locked, 0o500);
    const fallback = tempDir();
    const key = resultCacheKey(syntheticResult());
    const file = new CalibrationCache({ paths: [join(locked, 'sub'), fallback] }).store(key, syntheticResult());
    // root may write anywhere; either way the result lands in one of the two.
    expect(file === join(fallback, `lif-${key}.msgpack`) || file === join(locked, 'sub', `lif-${key}.msgpack`)).toBe(true);
    chmodSync(locked, 0o700);
  });

  it('defaults to $BSS2_CALIBRATION_CACHE, else the user cache directory', () => {
    expect(defaultCachePaths({ BSS2_CALIBRATION_CACHE: '/a:/b' })).toEqual(['/a', '/b']);
    expect(defaultCachePaths({ XDG_CACHE_HOME: '/c' })).toEqual(['/c/bss2/calibration']);
  });
});
