// The generated TypeScript is the page's experiment: transpiled and run in Node it records exactly the spikes and
// samples the lab's runner returns for the same settings. `literal` prints values that read back as themselves.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { type LabExperiment, type LabResults, chainPage, checkedValues, experimentCode, literal, pages, runLabExperiment, singleNeuronPage } from '../src/index.js';

const generatedDir = new URL('../test-results/generated/', import.meta.url);
const example = JSON.parse(readFileSync(new URL('../../../test-fixtures/experiments/single-neuron.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** Transpiles `code` and imports it (next to the package, so `@bss2/pynn` resolves), returning its `data` export. */
async function runGenerated(code: string, name: string): Promise<unknown> {
  mkdirSync(generatedDir, { recursive: true });
  const { outputText, diagnostics } = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  expect(diagnostics ?? []).toEqual([]);
  const file = new URL(`${name}.mjs`, generatedDir);
  writeFileSync(file, outputText);
  const module = (await import(/* @vite-ignore */ `${pathToFileURL(file.pathname).href}?${Date.now()}`)) as { data: unknown };
  return module.data;
}

// The runner's rounding (pynn's runExperiment): times to 1e-6 ms, samples to 9 significant digits.
const roundTime = (t: number) => Math.round(t * 1e6) / 1e6;
const roundSample = (v: number) => Number(v.toPrecision(9));

interface BlockLike {
  segments: { spiketrains: { times: ArrayLike<number>; annotations: { source_index: number } }[]; analogsignals: { values: ArrayLike<number>; annotations: { source_index: number } }[] }[];
}

function expectFileDataEqual(data: Record<string, BlockLike>, results: LabResults): void {
  for (const raster of results.rasters) {
    const block = data[raster.label]!;
    const trains = block.segments[raster.segment]!.spiketrains;
    const spikes = raster.spikes_ms.map((_, i) => Array.from(trains.find((t) => t.annotations.source_index === i)!.times, roundTime));
    expect(spikes, raster.label).toEqual(raster.spikes_ms);
  }
  for (const trace of results.traces) {
    const [, label, index] = /^(.+)\[(\d+)\] /.exec(trace.label)!;
    const signal = data[label!]!.segments[trace.segment]!.analogsignals.find((s) => s.annotations.source_index === Number(index))!;
    expect(Array.from(signal.values, roundSample), trace.label).toEqual(trace.values);
  }
}

describe('generated TypeScript', () => {
  const cases: [string, LabExperiment][] = [
    ...pages.map((p) => [p.id, p.build(checkedValues(p, {}))] as [string, LabExperiment]).filter(([, experiment]) => experiment.kind === 'file'),
    ['ten-neurons', singleNeuronPage.build(checkedValues(singleNeuronPage, { variant: 'ten-neurons', tracePair: '2' }))],
    ['calibrated-psp', singleNeuronPage.build(checkedValues(singleNeuronPage, { variant: 'calibrated-psp', excWeight: 50 }))],
    ['editor-example', { kind: 'file', title: 'single-neuron', file: example as never }],
  ];

  it.each(cases)('%s: running the code gives the runner’s spikes and traces', async (name, experiment) => {
    const results = await runLabExperiment(experiment);
    expect(results.traces.length + results.rasters.length).toBeGreaterThan(0);
    const data = (await runGenerated(experimentCode(experiment), name)) as Record<string, BlockLike>;
    expectFileDataEqual(data, results);
  });

  it('chain: running the code gives the runner’s traces, compartment by compartment', async () => {
    const experiment = chainPage.build(checkedValues(chainPage, { compartments: 3, conductance: 400, inputCompartment: 1 }));
    const results = await runLabExperiment(experiment);
    const data = (await runGenerated(experimentCode(experiment), 'chain')) as { values: ArrayLike<number>; annotations: { source_location: string } }[];
    expect(data.map((s) => `chain ${s.annotations.source_location} v`)).toEqual(results.traces.map((t) => t.label));
    expect(data.map((s) => Array.from(s.values))).toEqual(results.traces.map((t) => t.values));
    // The EPSP starts in compartment 1 and is smaller in both neighbours.
    const heights = results.series[0]!.y;
    expect(heights[1]!).toBeGreaterThan(heights[0]!);
    expect(heights[1]!).toBeGreaterThan(heights[2]!);
  });

  it('literal() prints JSON-like values as TypeScript that evaluates to the same value', () => {
    const key = fc.oneof(fc.constantFrom('tau_m', 'spike_times', 'a-b', 'class', '0x'), fc.string());
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.double({ noNaN: false }), fc.integer(), fc.boolean(), fc.string(), fc.constant(null), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(key, tie('value'), { maxKeys: 4, noNullPrototype: true })),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        const back = new Function(`return (${literal(value)});`)() as unknown;
        expect(Object.is(back, value) || JSON.stringify(back) === JSON.stringify(value)).toBe(true);
        expect(back).toStrictEqual(value);
      }),
      { seed: 1, numRuns: 300 },
    );
  });
});
