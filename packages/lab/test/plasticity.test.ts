// The plasticity pages in Node: STP on the PSP page (depressing PSP heights as the chip's Tsodyks-Markram form
// predicts, the static synapse undepressed) and the STDP page (the weight trajectory moves with the sign of Δt,
// the window's Δw has the sign of Δt and shrinks with |Δt|). The generated TypeScript, run in Node, gives exactly
// the runner's traces, heights, weights and spikes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { LabRequestError, STDP_WINDOW_DTS_MS, type LabExperiment, checkedValues, experimentCode, pspPage, runLabExperiment, stdpPage, stdpSchedule, trainPspHeights } from '../src/index.js';

const generatedDir = new URL('../test-results/generated/', import.meta.url);

/** Transpiles `code`, imports it next to the package (so `@bss2/pynn` resolves) and returns its exports. */
async function runGenerated(code: string, name: string): Promise<Record<string, unknown>> {
  mkdirSync(generatedDir, { recursive: true });
  const { outputText, diagnostics } = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  expect(diagnostics ?? []).toEqual([]);
  const file = new URL(`${name}.mjs`, generatedDir);
  writeFileSync(file, outputText);
  return (await import(/* @vite-ignore */ `${pathToFileURL(file.pathname).href}?${Date.now()}`)) as Record<string, unknown>;
}

const stdpOf = (experiment: LabExperiment) => {
  if (experiment.kind !== 'stdp') throw new Error(`an STDP experiment, not ${experiment.kind}`);
  return experiment.stdp;
};

describe('PSP page: short-term plasticity', () => {
  it('depresses the PSPs as U·R with recovery τ_rec; the static synapse’s PSPs stay equal; the code gives the same', async () => {
    const experiment = pspPage.build(checkedValues(pspPage, { tau_rec: 130, rate: 20, utilization: 6 }));
    expect(experiment.kind).toBe('stp');
    const results = await runLabExperiment(experiment);
    const [heights, relative] = results.series;
    const depressing = heights!.y;
    const plain = heights!.others![0]!.y;
    expect(results.series.map((s) => s.title)).toEqual(['PSP heights', 'Depressing ÷ static PSP height']);
    // The chip's form beside the measurement, within the tolerance of pynn's own STP test.
    relative!.y.forEach((r, k) => expect(Math.abs(r - relative!.others![0]!.y[k]!), `spike ${k + 1}`).toBeLessThan(0.06));
    expect(plain![0]!).toBeGreaterThan(1);
    for (const h of plain!) expect(Math.abs(h / plain![0]! - 1)).toBeLessThan(0.05);
    // The chip's form: R₁ = 1, R_{k+1} = 1 − (1 − R_k(1 − U))·e^(−Δt/τ_rec), first PSP U of the static one.
    const u = 6 / 15;
    const expected = [1];
    for (let k = 1; k < depressing!.length; k++) expected.push(1 - (1 - expected[k - 1]! * (1 - u)) * Math.exp(-50 / 130));
    depressing!.forEach((h, k) => expect(Math.abs(h / depressing![0]! - expected[k]!), `spike ${k + 1}`).toBeLessThan(0.06));
    expect(Math.abs(depressing![0]! / plain![0]! - u)).toBeLessThan(0.06);

    const generated = (await runGenerated(experimentCode(experiment), 'stp')).data as { synapse: string; signal: { values: ArrayLike<number> }; heights: number[] }[];
    expect(generated.map((d) => d.synapse)).toEqual(['depressing', 'static']);
    expect(generated.map((d) => Array.from(d.signal.values))).toEqual(results.traces.map((t) => t.values));
    expect(generated.map((d) => d.heights)).toEqual([depressing, plain]);
  }, 60_000);

  it('trainPspHeights: a PSP on a baseline is found in its window, the rise from just before the spike', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.5, max: 10, noNaN: true }), { minLength: 1, maxLength: 6 }), fc.double({ min: -70, max: -40, noNaN: true }), (amplitudes, rest) => {
        const spikes = amplitudes.map((_, k) => 10 + 20 * k);
        const times = Array.from({ length: 40 * amplitudes.length + 40 }, (_, i) => i * 0.5);
        // A PSP of height a, 2 ms after its spike, back to rest 8 ms later.
        const values = times.map((t) => rest + spikes.reduce((v, s, k) => v + (t >= s + 2 && t < s + 8 ? amplitudes[k]! : 0), 0));
        const heights = trainPspHeights(times, values, spikes);
        heights.forEach((h, k) => expect(h).toBeCloseTo(amplitudes[k]!, 9));
      }),
      { seed: 1, numRuns: 100 },
    );
  });

  it('the static variant is still an experiment file with the weight and τ sliders', () => {
    const experiment = pspPage.build(checkedValues(pspPage, { variant: 'static', weight: 20 }));
    if (experiment.kind !== 'file') throw new Error('an experiment file');
    expect(experiment.file.projections![0]!.synapse).toEqual({ weight: 20 });
  });
});

describe('STDP page', () => {
  it('trajectory: causal pairs potentiate, acausal depress, step by step; post spikes Δt after pre; the code gives the same', async () => {
    const trajectories: number[][] = [];
    for (const dt of [5, -5]) {
      const experiment = stdpPage.build(checkedValues(stdpPage, { dt, pairs: 20 }));
      const s = stdpOf(experiment);
      const results = await runLabExperiment(experiment);
      const [pre, post] = results.rasters;
      expect(pre!.spikes_ms[0]!.length).toBe(20);
      expect(post!.spikes_ms[0]!.map((t) => Math.round(t))).toEqual(pre!.spikes_ms[0]!.map((t) => Math.round(t) + dt));
      const series = results.series[0]!;
      expect(series.x).toEqual([0, 5, 10, 15, 20]);
      expect(series.y[0]).toBe(s.initialWeight);
      trajectories.push(series.y);
      if (dt === 5) {
        const generated = await runGenerated(experimentCode(experiment), 'stdp-trajectory');
        expect((generated.weights as number[][]).map((w) => w[0])).toEqual(series.y);
        expect(generated.spikes).toEqual(results.rasters.map((r) => r.spikes_ms));
      }
    }
    const steps = (y: number[]) => y.slice(1).map((w, k) => w - y[k]!);
    for (const d of steps(trajectories[0]!)) expect(d).toBeGreaterThan(0);
    for (const d of steps(trajectories[1]!)) expect(d).toBeLessThan(0);
  }, 60_000);

  it('window: Δw has the sign of Δt and shrinks with |Δt| on each side; the code gives the same', async () => {
    const experiment = stdpPage.build(checkedValues(stdpPage, { mode: 'window' }));
    expect(stdpOf(experiment).dts_ms).toEqual(STDP_WINDOW_DTS_MS);
    const results = await runLabExperiment(experiment);
    const { x, y } = results.series[0]!;
    expect(x).toEqual([...STDP_WINDOW_DTS_MS]);
    x.forEach((dt, i) => expect(Math.sign(dt) * y[i]!, `Δt ${dt}`).toBeGreaterThanOrEqual(0));
    // Nonzero where the pairings accumulate well over a weight LSB (|Δt| ≤ 5 ms).
    x.forEach((dt, i) => (Math.abs(dt) <= 5 ? expect(Math.sign(y[i]!), `Δt ${dt}`).toBe(Math.sign(dt)) : undefined));
    for (const side of [1, -1]) {
      const points = x.map((dt, i) => [Math.abs(dt), Math.abs(y[i]!)] as const).filter((_, i) => Math.sign(x[i]!) === side).sort((a, b) => a[0] - b[0]);
      points.slice(1).forEach(([, dw], k) => expect(dw).toBeLessThanOrEqual(points[k]![1]));
    }
    const generated = await runGenerated(experimentCode(experiment), 'stdp-window');
    expect((generated.weights as number[][]).at(-1)!.map((w) => w - stdpOf(experiment).initialWeight)).toEqual(y);
  }, 60_000);

  it('refuses STDP settings whose schedule would not work, naming the field, value and rule', () => {
    const s = stdpOf(stdpPage.build(checkedValues(stdpPage, {})));
    expect(() => stdpSchedule({ ...s, pairs: 12 })).toThrow(/pairsPerUpdate 5 must be an integer ≥ 1 dividing pairs \(12\)/);
    expect(() => stdpSchedule({ ...s, dts_ms: [25] })).toThrow(/dts_ms 25 must be within ±25 ms/);
    expect(() => stdpSchedule({ ...s, dts_ms: [1, 2] })).toThrow(/dts_ms \[1,2\] must be one Δt/);
    expect(() => stdpSchedule({ ...s, first_ms: 10 })).toThrow(LabRequestError);
    expect(() => stdpSchedule({ ...s, gap_ms: Number.NaN })).toThrow(/gap_ms NaN must be a time > 0 ms/);
    // Every allowed page setting schedules (pages.test.ts checks the spacing).
    expect(stdpSchedule(s).invocations_ms).toEqual([35, 285, 535, 785, 1035, 1285, 1535]);
  });

  it('an unknown experiment kind is refused by name', async () => {
    await expect(runLabExperiment({ kind: 'hebb', title: 'x' } as never)).rejects.toThrow(LabRequestError);
    await expect(runLabExperiment({ kind: 'hebb', title: 'x' } as never)).rejects.toThrow(/unknown experiment kind "hebb"; known: file, chain, stp, stdp/);
  });
});
