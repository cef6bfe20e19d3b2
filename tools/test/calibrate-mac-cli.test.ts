// `bss2 calibrate --mode mac` as a user runs it: the integrator-mode calibration of an in-process chip, cached
// in a directory of the test's own, its summary table, plot and result document; a second run is served from
// the cache; a bad target is refused before anything runs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { macResultFromJSON } from '@bss2/calibration';
import { bss2 } from './bss2-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'bss2-calibrate-mac-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bss2 calibrate --mode mac', () => {
  it('calibrates, prints the per-parameter table, writes the plot and a result document, then serves the cache', async () => {
    const args = ['calibrate', '--mode', 'mac', '--seed', '2', '--cache', join(dir, 'cache'), '--out', join(dir, 'mac.json'), '--plot', join(dir, 'mac.svg')];
    const first = await bss2(args);
    expect(first.stderr).not.toMatch(/Error/);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/MAC calibration of chip seed 2, simulator .*; calibrated in \d+\.\d s, stored in .*mac-[0-9a-f]{64}\.json/);
    for (const parameter of ['hagenDacThreshold_lsb', 'driverGain', 'gainExcitatory', 'gainInhibitory', 'baseline_lsb']) expect(first.stdout).toContain(parameter);
    const result = macResultFromJSON(JSON.parse(readFileSync(join(dir, 'mac.json'), 'utf8')));
    expect(result.identity.chipSeed).toBe(2);
    expect(readFileSync(join(dir, 'mac.svg'), 'utf8')).toContain('MAC calibration, chip seed 2');
    const second = await bss2(args);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('cached result');
  }, 120_000);

  it('refuses a target out of range, naming the field', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ baseline_lsb: 300 }));
    const run = await bss2(['calibrate', '--mode', 'mac', '--seed', '2', '--no-cache', '--target', join(dir, 'bad.json'), '--plot', join(dir, 'bad.svg')]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/baseline_lsb = 300 is not achievable: expected an integer in 32\.\.224/);
  }, 60_000);
});
