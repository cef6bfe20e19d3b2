// `bss2 train yinyang` as a user runs it: a child process that trains the Yin-Yang classifier in mock mode,
// prints a line per epoch and writes the training plot; bad flags are usage errors that train nothing.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bss2 } from './bss2-cli.js';

const out = mkdtempSync(join(tmpdir(), 'bss2-train-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Every tag closed in order, one root element: enough to know an XML parser will take the file. */
function wellFormed(svg: string): boolean {
  const open: string[] = [];
  let roots = 0;
  for (const [, closing, name, selfClosing] of svg.matchAll(/<(\/?)([A-Za-z][\w-]*)[^<>]*?(\/?)>/g)) {
    if (closing === '/') {
      if (open.pop() !== name) return false;
      continue;
    }
    if (open.length === 0) roots++;
    if (selfClosing !== '/') open.push(name!);
  }
  return open.length === 0 && roots === 1;
}

/** The [x, y] pixel points of a series path (d3's line(): M or L before each point). */
const points = (d: string) => [...d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map(([, x, y]) => [Number(x), Number(y)] as const);

const EPOCH_LINE = /^epoch (\d+)\/2: loss (\d+\.\d{4}), train accuracy (\d+\.\d) %, test accuracy (\d+\.\d) %, (\d+\.\d) s$/gm;

describe('bss2 train yinyang', () => {
  it('--mock: a line per epoch, the final accuracy, and an SVG of loss and test accuracy per epoch', async () => {
    const dir = join(out, 'mock');
    const { code, stdout, stderr } = await bss2(['train', 'yinyang', '--mock', '--epochs', '2', '--train-samples', '300', '--test-samples', '100', '--out', dir]);
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    expect(stdout).toContain('Yin-Yang classifier (mock mode): 2 epoch(s), 300 training / 100 test samples');
    const epochs = [...stdout.matchAll(EPOCH_LINE)].map(([, epoch, loss, train, test, seconds]) => ({ epoch: Number(epoch), loss: Number(loss), train: Number(train), test: Number(test), seconds: Number(seconds) }));
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2]);
    for (const e of epochs) {
      expect(e.loss).toBeGreaterThan(0);
      for (const accuracy of [e.train, e.test]) {
        expect(accuracy).toBeGreaterThanOrEqual(0);
        expect(accuracy).toBeLessThanOrEqual(100);
      }
    }
    const plot = join(dir, 'yinyang-training.svg');
    expect(stdout).toMatch(new RegExp(`^test accuracy ${epochs[1]!.test.toFixed(1)} % after 2 epoch\\(s\\), [\\d.]+ s \\(tfjs backend (wasm|cpu)\\)$`, 'm'));
    expect(stdout).toContain(`plot: ${plot}`);

    expect(existsSync(plot)).toBe(true);
    const svg = readFileSync(plot, 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(wellFormed(svg)).toBe(true);
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
    const series = [...svg.matchAll(/<path class="series" data-label="([^"]+)" d="([^"]+)"/g)].map(([, label, d]) => ({ label, points: points(d!) }));
    expect(series.map((s) => s.label)).toEqual(['loss', 'test accuracy']);
    // One point per epoch, left to right; SVG y grows downwards, so the points order as the printed values do.
    const [loss, accuracy] = series.map((s) => s.points);
    for (const [line, values] of [
      [loss!, epochs.map((e) => e.loss)],
      [accuracy!, epochs.map((e) => e.test)],
    ] as const) {
      expect(line).toHaveLength(2);
      expect(line[1]![0]).toBeGreaterThan(line[0]![0]);
      expect(Math.sign(line[0]![1] - line[1]![1])).toBe(Math.sign(values[1]! - values[0]!));
    }
  });

  it('bad flags are usage errors: non-zero exit, the flag and its rule named, nothing written', async () => {
    const dir = join(out, 'bad');
    const cases: [string[], RegExp][] = [
      [['--epochs', '0'], /option '--epochs <n>' argument '0' is invalid\. epochs must be an integer ≥ 1\./],
      [['--train-samples', '2.5'], /option '--train-samples <n>' argument '2\.5' is invalid\. train samples must be an integer ≥ 1\./],
      [['--test-samples', '1001'], /option '--test-samples <n>' argument '1001' is invalid\. It must be at most 1000, the size of the test set\./],
      [['--chip-seed', '2'], /option '--chip-seed <n>' cannot be used with option '--mock'/],
    ];
    const results = await Promise.all(cases.map(([flags]) => bss2(['train', 'yinyang', '--mock', ...flags, '--out', dir])));
    results.forEach(({ code, stdout, stderr }, k) => {
      expect(code).not.toBe(0);
      expect(stderr).toMatch(cases[k]![1]);
      expect(stdout).not.toMatch(/^epoch/m);
    });
    expect(existsSync(dir)).toBe(false);
  });
});
