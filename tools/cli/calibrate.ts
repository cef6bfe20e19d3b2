// `bss2 calibrate`: the LIF calibration of a chip (hardware.md §9), cached, with a progress bar, a summary
// table (per parameter: target, spread before, spread after) and an SVG of the before/after distributions.
import { readFileSync, writeFileSync } from 'node:fs';
import { type CalibrationResult, type LIFCalibrationTarget, type ParameterReport, targetPresets } from '@bss2/calibration';
import { calibrateLIFCached, defaultCachePaths } from '@bss2/calibration/node';
import { type Connection, connectInProcess } from '@bss2/hxcomm';
import { connectFromEnv } from '@bss2/hxcomm/node';
import { Presets, SingleBar } from 'cli-progress';
import Table from 'cli-table3';

export interface CalibrateCommandOptions {
  /** `spiking` or `spiking2` (hardware.md §9.3). */
  preset: string;
  /** JSON file with fields of LIFCalibrationTarget overriding the preset. */
  target?: string;
  /** In-process chip seed; without it the connection comes from the environment (hardware.md §6.3). */
  seed?: number;
  /** Cache directories; [] disables the cache. */
  cache: string[];
  readOnly: boolean;
  /** Where to write the result (JSON) and the plot (SVG). */
  out?: string;
  plot: string;
}

function loadTarget(options: CalibrateCommandOptions): LIFCalibrationTarget {
  const preset = (targetPresets as Record<string, LIFCalibrationTarget>)[options.preset];
  if (preset === undefined) throw new Error(`unknown preset '${options.preset}'; known: ${Object.keys(targetPresets).join(', ')}`);
  if (options.target === undefined) return preset;
  return { ...preset, ...(JSON.parse(readFileSync(options.target, 'utf8')) as Partial<LIFCalibrationTarget>) };
}

async function connect(seed: number | undefined): Promise<Connection> {
  return seed === undefined ? connectFromEnv(process.env) : connectInProcess({ seed });
}

function stats(values: Float64Array): { mean: number; std: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std };
}

const fixed = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(1) : Math.abs(x) >= 1 ? x.toFixed(3) : x.toFixed(4));

/** The summary table: target (mean), spread (std) before and after, successes, per parameter. */
export function summaryTable(result: CalibrationResult): string {
  const table = new Table({ head: ['parameter', 'unit', 'target', 'spread before', 'spread after', 'ratio', 'success'] });
  for (const p of result.parameters) {
    const before = stats(p.before);
    const after = stats(p.achieved);
    const ok = p.success.reduce((a, b) => a + b, 0);
    table.push([p.parameter, p.unit, fixed(stats(p.target).mean), fixed(before.std), fixed(after.std), after.std > 1e-12 ? `${(before.std / after.std).toFixed(1)}×` : '–', `${ok}/${p.success.length}`]);
  }
  return table.toString();
}

const WIDTH = 320;
const HEIGHT = 150;
const BINS = 40;

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One panel: histograms of before (grey) and after (blue) on a common axis, the target as a red line. */
function panel(p: ParameterReport, x: number, y: number): string {
  const all = [...p.before, ...p.achieved, ...p.target];
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi - lo < 1e-9) {
    lo -= 1;
    hi += 1;
  }
  const bin = (v: number) => Math.min(BINS - 1, Math.floor(((v - lo) / (hi - lo)) * BINS));
  const count = (values: Float64Array) => {
    const h = new Array<number>(BINS).fill(0);
    for (const v of values) h[bin(v)]!++;
    return h;
  };
  const before = count(p.before);
  const after = count(p.achieved);
  const top = Math.max(...before, ...after, 1);
  const plotH = HEIGHT - 40;
  const barW = (WIDTH - 20) / BINS;
  const bars = (h: number[], color: string, opacity: number) =>
    h
      .map((c, k) => (c === 0 ? '' : `<rect x="${(x + 10 + k * barW).toFixed(1)}" y="${(y + 20 + plotH - (c / top) * plotH).toFixed(1)}" width="${barW.toFixed(1)}" height="${((c / top) * plotH).toFixed(1)}" fill="${color}" fill-opacity="${opacity}"/>`))
      .join('');
  const target = stats(p.target).mean;
  const tx = x + 10 + ((target - lo) / (hi - lo)) * (WIDTH - 20);
  return [
    `<text x="${x + 10}" y="${y + 14}" font-size="12">${escape(p.parameter)} (${escape(p.unit)})</text>`,
    bars(before, '#888888', 0.6),
    bars(after, '#1f5fbf', 0.8),
    `<line x1="${tx.toFixed(1)}" x2="${tx.toFixed(1)}" y1="${y + 20}" y2="${y + 20 + plotH}" stroke="#c00000" stroke-width="1"/>`,
    `<text x="${x + 10}" y="${y + HEIGHT - 6}" font-size="10">${fixed(lo)}</text>`,
    `<text x="${x + WIDTH - 10}" y="${y + HEIGHT - 6}" font-size="10" text-anchor="end">${fixed(hi)}</text>`,
  ].join('');
}

/**
 * The before/after distributions of every parameter as one small SVG (written by hand: a few rectangles per
 * panel; the project lists no plotting library for Node).
 */
export function distributionsSvg(result: CalibrationResult): string {
  const params = result.parameters.filter((p) => p.achieved.length > 1);
  const columns = 3;
  const rows = Math.ceil(params.length / columns);
  const width = columns * WIDTH;
  const height = rows * HEIGHT + 30;
  const panels = params.map((p, k) => panel(p, (k % columns) * WIDTH, 30 + Math.floor(k / columns) * HEIGHT)).join('\n');
  const title = `LIF calibration, chip seed ${result.identity.chipSeed}: before (grey) and after (blue), target (red)`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n<text x="10" y="18" font-size="14">${escape(title)}</text>\n${panels}\n</svg>\n`;
}

export async function calibrate(options: CalibrateCommandOptions): Promise<void> {
  const target = loadTarget(options);
  const connection = await connect(options.seed);
  const bar = new SingleBar({ format: 'calibrating [{bar}] {percentage}% | {step}', hideCursor: true }, Presets.shades_classic);
  bar.start(100, 0, { step: 'starting' });
  try {
    const { result, cached, file } = await calibrateLIFCached(
      connection,
      target,
      { onProgress: (step, fraction) => bar.update(Math.round(100 * fraction), { step }) },
      { paths: options.cache, readOnly: options.readOnly },
    );
    bar.update(100, { step: cached ? 'from cache' : 'done' });
    bar.stop();
    const id = result.identity;
    console.log(`chip seed ${id.chipSeed}, simulator ${id.simulatorVersion}; ${cached ? 'cached result' : `calibrated in ${result.duration_s.toFixed(1)} s`}${file === undefined ? '' : `, stored in ${file}`}`);
    console.log(summaryTable(result));
    writeFileSync(options.plot, distributionsSvg(result));
    console.log(`distributions: ${options.plot}`);
    if (options.out !== undefined) {
      const { resultToJSON } = await import('@bss2/calibration');
      writeFileSync(options.out, JSON.stringify(resultToJSON(result)));
      console.log(`result: ${options.out}`);
    }
  } finally {
    bar.stop();
    await connection.close();
  }
}

export { defaultCachePaths };
