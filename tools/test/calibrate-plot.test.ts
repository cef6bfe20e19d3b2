// `bss2 calibrate`'s plot: one histogram panel per parameter on @bss2/pynn's plotting module, before and after
// over common bins, the target as a marker, one shared legend.
import { CalibrationResult, nominalCalibration, targetPresets } from '@bss2/calibration';
import { describe, expect, it } from 'vitest';
import { distributionsSvg } from '../cli/calibrate.js';

/** A result with the nominal settings and made-up reports: 512 circuits spread before, tight after. */
function result(): CalibrationResult {
  const spread = (centre: number, width: number) => Float64Array.from({ length: 512 }, (_, i) => centre + width * Math.sin(i * 1.7));
  const report = (parameter: string, unit: string, target: number) => ({
    parameter,
    unit,
    target: new Float64Array(512).fill(target),
    before: spread(target, target / 5),
    achieved: spread(target, target / 200),
    success: new Uint8Array(512).fill(1),
  });
  return new CalibrationResult({
    ...nominalCalibration(targetPresets.spiking),
    parameters: [report('leak_lsb', 'CADC LSB', 80), report('tauMembrane_us', 'µs', 10), { ...report('single', 'x', 1), achieved: Float64Array.of(1) }],
  });
}

describe('distributionsSvg', () => {
  it('draws a panel per parameter with more than one value, each with before, after and the target', () => {
    const svg = distributionsSvg(result());
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
    const panels = [...svg.matchAll(/<g class="panel">(.*?)<rect class="frame"/g)].map((m) => m[1]!);
    expect(panels).toHaveLength(2);
    for (const [k, title] of ['leak_lsb', 'tauMembrane_us'].entries()) {
      expect(panels[k]).toContain(`>${title}</text>`);
      expect(panels[k]).toContain('<g class="series" data-label="before"');
      expect(panels[k]).toContain('<g class="series" data-label="after"');
      expect(panels[k]).toContain('<line class="marker" data-label="target"');
    }
    // The legend every panel shares, once, in the heading.
    expect(svg.match(/class="legend"/g)).toHaveLength(1);
    expect(svg).toContain(`LIF calibration, chip seed ${result().identity.chipSeed}: before and after`);
  });

  it('the target marker sits where the after histogram peaks', () => {
    const svg = distributionsSvg(result());
    const panel = [...svg.matchAll(/<g class="panel">(.*?)<rect class="frame"/g)][0]![1]!;
    const marker = Number(/<line class="marker"[^>]* x1="([\d.]+)"/.exec(panel)![1]);
    const after = /<g class="series" data-label="after"[^>]*>(.*?)<\/g>/.exec(panel)![1]!;
    const bars = [...after.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g)].map(([, x, w]) => [Number(x), Number(x) + Number(w)] as const);
    expect(bars.length).toBeGreaterThan(0);
    expect(Math.min(...bars.map(([x0]) => x0))).toBeLessThanOrEqual(marker);
    expect(Math.max(...bars.map(([, x1]) => x1))).toBeGreaterThanOrEqual(marker);
  });
});
