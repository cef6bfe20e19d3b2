// `bss2 run` as a user runs it: a child process that reads an experiment file, writes results and plots, and
// exits 2 with path-pointed issues on an invalid file.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bss2 } from './bss2-cli.js';

const out = mkdtempSync(join(tmpdir(), 'bss2-run-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('bss2 run', () => {
  it('runs single-neuron.json: results.json, raster.svg, traces.svg and a summary', async () => {
    const dir = join(out, 'single');
    const { code, stdout, stderr } = await bss2(['run', 'test-fixtures/experiments/single-neuron.json', '--out', dir, '--calibration', 'nominal', '--seed', '3']);
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as {
      experiment: string;
      setup: { seed: number; calibration: string };
      segments: { populations: Record<string, { spikes: number[][]; signals: { variable: string }[] }> }[];
    };
    expect(results.experiment).toBe('single-neuron');
    expect(results.setup).toMatchObject({ seed: 3, calibration: 'nominal' });
    expect(results.segments[0]!.populations.input!.spikes).toEqual([[10, 12, 14, 16, 18, 40]]);
    expect(results.segments[0]!.populations.neuron!.signals.map((s) => s.variable)).toEqual(['v']);
    const neuronSpikes = results.segments[0]!.populations.neuron!.spikes[0]!.length;
    for (const plot of ['raster.svg', 'traces.svg']) {
      const svg = readFileSync(join(dir, plot), 'utf8');
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    }
    expect(stdout).toMatch(/single-neuron: 1 segment\(s\), calibration nominal/);
    expect(stdout).toMatch(new RegExp(`neuron\\s*│\\s*IF_curr_exp\\s*│\\s*1\\s*│\\s*${neuronSpikes}\\s*│`));
    expect(stdout).toContain(`written: ${join(dir, 'results.json')}, ${join(dir, 'raster.svg')}, ${join(dir, 'traces.svg')}`);
  });

  it('writes no traces.svg when nothing analog was recorded', async () => {
    const dir = join(out, 'balanced');
    const { code, stdout } = await bss2(['run', 'test-fixtures/experiments/balanced-network.json', '--out', dir]);
    expect(code).toBe(0);
    expect(existsSync(join(dir, 'raster.svg'))).toBe(true);
    expect(existsSync(join(dir, 'traces.svg'))).toBe(false);
    expect(stdout).toMatch(/exc\s*│\s*IF_curr_exp\s*│\s*64/);
  });

  it('an invalid file: every issue by path on stderr, exit 2, nothing written', async () => {
    const dir = join(out, 'invalid');
    const { code, stderr } = await bss2(['run', 'test-fixtures/experiments/invalid-references.json', '--out', dir]);
    expect(code).toBe(2);
    expect(stderr).toContain('test-fixtures/experiments/invalid-references.json is invalid (14 issues):');
    expect(stderr).toContain("  projections[2].pre: unknown population 'inputs'; populations: 'input', 'exc'");
    expect(stderr).toContain('  schedule[1].setWeights.projection: ');
    expect(existsSync(dir)).toBe(false);
  });

  it('a missing file or bad JSON exits 2; a bad option is a usage error', async () => {
    const missing = await bss2(['run', 'test-fixtures/experiments/no-such-file.json', '--out', join(out, 'missing')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no-such-file\.json: ENOENT/);
    const usage = await bss2(['run', 'test-fixtures/experiments/single-neuron.json', '--calibration', 'measured']);
    expect(usage.code).not.toBe(0);
    expect(usage.stderr).toMatch(/--calibration <mode>' argument 'measured' is invalid\. Allowed choices are nominal, calibrate/);
  });
});

describe('bss2 run --calibration calibrate', () => {
  const cache = join(out, 'calibration-cache');
  const env = { BSS2_CALIBRATION_CACHE: cache };
  const run = (dir: string) => bss2(['run', 'test-fixtures/experiments/single-neuron.json', '--out', join(out, dir), '--calibration', 'calibrate'], env);
  const entries = () => readdirSync(cache).filter((f) => f.endsWith('.msgpack'));
  type Neuron = { spikes: number[][]; signals: { values: number[] }[] };
  const results = (dir: string) =>
    JSON.parse(readFileSync(join(out, dir, 'results.json'), 'utf8')) as { segments: { populations: { neuron: Neuron } }[]; statistics: { calibration: { mode: string; runs: number } } };
  let first: Awaited<ReturnType<typeof bss2>>;

  // The first run measures the whole chip (a few seconds); both tests look at what it did.
  beforeAll(async () => {
    first = await run('cal1');
  }, 300_000);

  it('measures the chip on the first run and stores the calibration in the disk cache', () => {
    expect(first.stderr).not.toMatch(/Error/);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/calibration calibrate/);
    expect(entries()).toHaveLength(1);
    expect(results('cal1').statistics.calibration).toMatchObject({ mode: 'provider', runs: 1 });
  });

  it('reads the disk cache on the second run: no new entry, the same spikes, the same membrane trace', async () => {
    // A miss would calibrate again and store through a temporary file and a rename: a new file in its place.
    const stored = () => statSync(join(cache, entries()[0]!)).ino;
    const before = stored();
    const second = await run('cal2');
    expect(second.code).toBe(0);
    expect(entries()).toHaveLength(1);
    expect(stored()).toBe(before);
    const neuron = (dir: string) => results(dir).segments[0]!.populations.neuron;
    // The same calibration either way. A chip that has just been calibrated has run for a different time than a
    // fresh one, so the experiment sits at another phase of the 100 ns analog step grid (chip-sim integrates on a
    // fixed step; events and samples between step ends are interpolated): single MADC samples near a reset may
    // differ by several codes (0.09 mV each, up to ≈ 0.5 mV on the steep part of a reset); spikes do not.
    expect(neuron('cal2').spikes).toEqual(neuron('cal1').spikes);
    const [v1, v2] = [neuron('cal1').signals[0]!.values, neuron('cal2').signals[0]!.values];
    expect(v2).toHaveLength(v1.length);
    for (let k = 0; k < v1.length; k++) expect(Math.abs(v2[k]! - v1[k]!)).toBeLessThan(1);
  });
});
