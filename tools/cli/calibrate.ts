// `bss2 calibrate`: the LIF or the MAC (integrator-mode) calibration of a chip (hardware.md §9), cached, with a progress bar, a summary
// table (per parameter: target, spread before, spread after) and an SVG of the before/after distributions
// (drawn by @bss2/pynn's plotting module, as `bss2 run` draws its plots).
import { readFileSync, writeFileSync } from 'node:fs';
import { type ChipIdentity, type LIFCalibrationTarget, type MacCalibrationTarget, type ParameterReport, macResultToJSON, resultToJSON, targetPresets } from '@bss2/calibration';
import { calibrateLIFCached, calibrateMACCached, defaultCachePaths } from '@bss2/calibration/node';
import type { Connection } from '@bss2/hxcomm';
import { connectInProcess } from '@bss2/hxcomm/in-process';
import { connectFromEnv } from '@bss2/hxcomm/node';
import { type HistogramPanel, categoricalColour, plotColours, svgFigure } from '@bss2/pynn';
import { Presets, SingleBar } from 'cli-progress';
import Table from 'cli-table3';

export interface CalibrateCommandOptions {
  /** `lif` (spiking neurons, the default) or `mac` (integrator mode for matrix multiplication, §9.1). */
  mode?: 'lif' | 'mac';
  /** `spiking` or `spiking2` (hardware.md §9.3); LIF mode only. */
  preset: string;
  /** JSON file with fields of LIFCalibrationTarget overriding the preset (MAC mode: MacCalibrationTarget fields). */
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

function loadMacTarget(options: CalibrateCommandOptions): MacCalibrationTarget {
  return options.target === undefined ? {} : (JSON.parse(readFileSync(options.target, 'utf8')) as MacCalibrationTarget);
}

/** What the table and the plot need of a LIF or a MAC result. */
interface ReportedResult {
  readonly parameters: readonly Pick<ParameterReport, 'parameter' | 'unit' | 'target' | 'before' | 'achieved' | 'success'>[];
  readonly identity: ChipIdentity;
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
export function summaryTable(result: ReportedResult): string {
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
export function distributionsSvg(result: ReportedResult, title = 'LIF calibration'): string {
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
  return svgFigure({ title: `${title}, chip seed ${result.identity.chipSeed}: before and after`, panels, columns: 3, width_px: 1050 });
}

export async function calibrate(options: CalibrateCommandOptions): Promise<void> {
  const mac = options.mode === 'mac';
  const lifTarget = mac ? undefined : loadTarget(options);
  const macTarget = mac ? loadMacTarget(options) : undefined;
  const connection = await connect(options.seed);
  const bar = new SingleBar({ format: 'calibrating [{bar}] {percentage}% | {step}', hideCursor: true }, Presets.shades_classic);
  bar.start(100, 0, { step: 'starting' });
  try {
    const onProgress = (step: string, fraction: number) => bar.update(Math.round(100 * fraction), { step });
    const cacheOptions = { paths: options.cache, readOnly: options.readOnly };
    const outcome =
      macTarget !== undefined
        ? await calibrateMACCached(connection, macTarget, { onProgress }, cacheOptions)
        : await calibrateLIFCached(connection, lifTarget!, { onProgress }, cacheOptions);
    const { result, cached, file } = outcome;
    bar.update(100, { step: cached ? 'from cache' : 'done' });
    bar.stop();
    const id = result.identity;
    console.log(`${mac ? 'MAC' : 'LIF'} calibration of chip seed ${id.chipSeed}, simulator ${id.simulatorVersion}; ${cached ? 'cached result' : `calibrated in ${result.duration_s.toFixed(1)} s`}${file === undefined ? '' : `, stored in ${file}`}`);
    console.log(summaryTable(result));
    writeFileSync(options.plot, distributionsSvg(result, mac ? 'MAC calibration' : 'LIF calibration'));
    console.log(`distributions: ${options.plot}`);
    if (options.out !== undefined) {
      const doc = 'kind' in result ? macResultToJSON(result) : resultToJSON(result);
      writeFileSync(options.out, JSON.stringify(doc));
      console.log(`result: ${options.out}`);
    }
  } finally {
    bar.stop();
    await connection.close();
  }
}

export { defaultCachePaths };
