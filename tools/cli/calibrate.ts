// `bss2 calibrate`: the LIF calibration of a chip (hardware.md §9), cached, with a progress bar, a summary
// table (per parameter: target, spread before, spread after) and an SVG of the before/after distributions
// (drawn by @bss2/pynn's plotting module, as `bss2 run` draws its plots).
import { readFileSync, writeFileSync } from 'node:fs';
import { type CalibrationResult, type LIFCalibrationTarget, targetPresets } from '@bss2/calibration';
import { calibrateLIFCached, defaultCachePaths } from '@bss2/calibration/node';
import type { Connection } from '@bss2/hxcomm';
import { connectInProcess } from '@bss2/hxcomm/in-process';
import { connectFromEnv } from '@bss2/hxcomm/node';
import { type HistogramPanel, categoricalColour, plotColours, svgFigure } from '@bss2/pynn';
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

/**
 * The before/after distributions of every parameter, one histogram panel each: the uncalibrated chip (grey),
 * the calibrated one (blue) and the target (red line).
 */
export function distributionsSvg(result: CalibrationResult): string {
  const panels = result.parameters
    .filter((p) => p.achieved.length > 1)
    .map(
      (p): HistogramPanel => ({
        kind: 'histogram',
        title: p.parameter,
        xLabel: p.unit,
        yLabel: 'circuits',
        series: [
          { label: 'before', values: p.before, colour: plotColours.neutral },
          { label: 'after', values: p.achieved, colour: categoricalColour(0) },
        ],
        markers: [{ label: 'target', x: stats(p.target).mean, colour: categoricalColour(2) }],
      }),
    );
  return svgFigure({ title: `LIF calibration, chip seed ${result.identity.chipSeed}: before and after`, panels, columns: 3, width_px: 1050 });
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
