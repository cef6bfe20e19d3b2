// Issue 18, item 3: the disk cache must not trust its file names. A damaged file, a file of an older format or a
// result copied under another chip's key is rejected with a warning naming the file and recalibrated — never
// served as a different calibration.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection, ConnectionIdentity } from '@bss2/hxcomm';
import { connectInProcess } from '@bss2/hxcomm/in-process';
import { Packr } from 'msgpackr';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CalibrationCache,
  CalibrationResultFormatError,
  type CalibrationResult,
  type ChipIdentity,
  cacheKey,
  calibrateLIFCached,
  nominalCalibration,
  resultFromJSON,
  resultToJSON,
  spikingTarget,
} from '../src/node/index.js';
import { SeededRandom } from '../src/random.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bss2-cache-integrity-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

// One ideal chip, the only one that is ever calibrated (once, in the seed-2 test); other identities are its own
// with another seed, for results that are never measured.
const chip = connectInProcess({ seed: 2, analog: { idealChip: true } });
const identityOf = (id: ConnectionIdentity): ChipIdentity => ({ chipSeed: id.chipSeed, simulatorVersion: id.simulatorVersion, protocolVersion: id.protocolVersion });
const withSeed = (chipSeed: number): ConnectionIdentity => ({ ...chip.identity, chipSeed });

/** Forwards to the ideal chip and counts the programs that reach it. */
function counting(identity: ConnectionIdentity = chip.identity): Connection & { programs: number } {
  const connection = {
    identity,
    closed: false,
    programs: 0,
    execute: (instructions: Uint8Array) => {
      connection.programs++;
      return chip.execute(instructions);
    },
    reset: () => chip.reset(),
    close: () => Promise.resolve(),
  };
  return connection;
}

/** A chip that refuses every program: a call that reaches it has started a calibration. */
function refusing(identity: ConnectionIdentity): Connection {
  return {
    identity,
    closed: false,
    execute: () => Promise.reject(new Error('calibration started')),
    reset: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

const fileOf = (dir: string, key: string) => join(dir, `lif-${key}.msgpack`);
const keyOf = (id: ConnectionIdentity) => cacheKey(spikingTarget, {}, identityOf(id));

/** Stores the (unmeasured) nominal result of chip `seed` under its own key; returns the file and the result. */
function storeNominal(dir: string, seed: number): { file: string; result: CalibrationResult } {
  const result = nominalCalibration(spikingTarget, {}, identityOf(withSeed(seed)));
  const file = new CalibrationCache({ paths: [dir] }).store(keyOf(withSeed(seed)), result)!;
  return { file, result };
}

describe('calibration cache integrity (issue 18)', () => {
  it('never serves a different calibration from a file with one bit flipped: rejected with a warning naming the file', () => {
    const dir = tempDir();
    const { file, result } = storeNominal(dir, 11);
    const original = readFileSync(file);
    const expected = resultToJSON(result);
    const random = new SeededRandom(18);
    let rejected = 0;
    for (let n = 0; n < 300; n++) {
      const bit = random.integer(0, 8 * original.length - 1);
      const flipped = Uint8Array.from(original);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      writeFileSync(file, flipped);
      const warnings: string[] = [];
      const loaded = new CalibrationCache({ paths: [dir], warn: (m) => warnings.push(m) }).load(keyOf(withSeed(11)));
      if (loaded === undefined) {
        expect(warnings, `bit ${bit}`).toHaveLength(1);
        expect(warnings[0], `bit ${bit}`).toContain(file);
        rejected++;
      } else {
        // Only a flip that leaves the content as it was may load, and then it is exactly the original.
        expect(resultToJSON(loaded), `bit ${bit}`).toEqual(expected);
        expect(warnings, `bit ${bit}`).toEqual([]);
      }
    }
    // A msgpack document has no insignificant bytes: every flip changes the content, the checksum or the structure.
    expect(rejected).toBe(300);
  });

  it('reads a JSON document with one bit flipped as exactly the original or not at all', () => {
    const result = nominalCalibration(spikingTarget, {}, identityOf(withSeed(15)));
    const expected = resultToJSON(result);
    const original = Buffer.from(JSON.stringify(expected, null, 1), 'utf8');
    const random = new SeededRandom(3);
    const outcomes = { rejected: 0, same: 0 };
    for (let n = 0; n < 300; n++) {
      const bit = random.integer(0, 8 * original.length - 1);
      const flipped = Buffer.from(original);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      let loaded: CalibrationResult;
      try {
        loaded = resultFromJSON(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(flipped)));
      } catch (error) {
        expect(error, `bit ${bit}`).toSatisfy((e) => e instanceof SyntaxError || e instanceof TypeError || e instanceof CalibrationResultFormatError);
        outcomes.rejected++;
        continue;
      }
      // Loaded: the flip landed where JSON does not look (whitespace), so the result is the original.
      expect(resultToJSON(loaded), `bit ${bit}`).toEqual(expected);
      outcomes.same++;
    }
    expect(outcomes.rejected + outcomes.same).toBe(300);
    expect(outcomes.rejected).toBeGreaterThan(0);
  });

  it('recalibrates when the file under the key is damaged (the rejected load is a miss)', async () => {
    const dir = tempDir();
    const { file } = storeNominal(dir, 14);
    const damaged = readFileSync(file);
    damaged[damaged.length >> 1]! ^= 0x10;
    writeFileSync(file, damaged);
    const warnings: string[] = [];
    await expect(calibrateLIFCached(refusing(withSeed(14)), spikingTarget, {}, { paths: [dir], warn: (m) => warnings.push(m) })).rejects.toThrow('calibration started');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(file);
    expect(warnings[0]).toMatch(/checksum/);
  });

  it('rejects a result of chip seed 1 copied under seed 2’s key; seed 2 gets its own calibration, stored in its place', async () => {
    const dir = tempDir();
    const seed1 = storeNominal(dir, 1);
    const seed2File = fileOf(dir, keyOf(chip.identity));
    copyFileSync(seed1.file, seed2File);
    // The copy's source is a valid entry for seed 1.
    expect(new CalibrationCache({ paths: [dir] }).load(keyOf(withSeed(1)))).toBeDefined();

    const warnings: string[] = [];
    const connection = counting();
    const first = await calibrateLIFCached(connection, spikingTarget, {}, { paths: [dir], warn: (m) => warnings.push(m) });
    expect(first.cached).toBe(false);
    expect(connection.programs).toBeGreaterThan(0);
    expect(first.result.identity).toEqual(identityOf(chip.identity));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(seed2File);
    expect(warnings[0]).toContain('chip seed 1');
    expect(first.file).toBe(seed2File);

    // (c) The round trip holds and the next call is a hit that sends nothing to the chip.
    const before = connection.programs;
    const again = await calibrateLIFCached(connection, spikingTarget, {}, { paths: [dir], warn: (m) => warnings.push(m) });
    expect(again.cached).toBe(true);
    expect(connection.programs).toBe(before);
    expect(warnings).toHaveLength(1);
    expect(resultToJSON(again.result)).toEqual(resultToJSON(first.result));
  });

  it('treats a file of the older format (version 1, no checksum) as stale: warns and recalibrates', async () => {
    const dir = tempDir();
    const { file, result } = storeNominal(dir, 12);
    const { checksum: _none, ...document } = resultToJSON(result);
    writeFileSync(file, new Packr({ useRecords: false, moreTypes: false }).pack({ ...document, formatVersion: 1 }));
    const warnings: string[] = [];
    await expect(calibrateLIFCached(refusing(withSeed(12)), spikingTarget, {}, { paths: [dir], warn: (m) => warnings.push(m) })).rejects.toThrow('calibration started');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(file);
    expect(warnings[0]).toMatch(/stale/);
  });

  it('warns through console.warn by default', async () => {
    const dir = tempDir();
    const { file } = storeNominal(dir, 13);
    writeFileSync(file, Uint8Array.of(0xc1));
    const messages: unknown[] = [];
    const original = console.warn;
    console.warn = (message: unknown) => messages.push(message);
    try {
      expect(new CalibrationCache({ paths: [dir] }).load(keyOf(withSeed(13)))).toBeUndefined();
    } finally {
      console.warn = original;
    }
    expect(messages).toHaveLength(1);
    expect(String(messages[0])).toContain(file);
  });
});
