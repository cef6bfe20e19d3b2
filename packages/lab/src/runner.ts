// Runs a LabExperiment through @bss2/pynn — in the page's Web Worker and in Node alike — and returns LabResults.
import { nominal } from '@bss2/lola';
import * as pynn from '@bss2/pynn';
import { LabRequestError } from './errors.js';
import { runStdp, runStp } from './plasticity-runner.js';
import type { ChainSettings, LabExperiment, LabRaster, LabResults, LabSeries, LabTrace, PspHeights } from './experiment.js';

export type ProgressHandler = (step: string, fraction: number) => void;

const now = (): number => globalThis.performance.now();

/** Runs `experiment` on a fresh simulated chip; `onProgress` hears what is happening. pynn's errors pass through. */
export async function runLabExperiment(experiment: LabExperiment, onProgress: ProgressHandler = () => undefined): Promise<LabResults> {
  const t0 = now();
  let traces: LabTrace[];
  let rasters: LabRaster[];
  let series: LabSeries[] = [];
  if (experiment.kind === 'file') {
    const results = await pynn.runExperiment(pynn.parseExperiment(experiment.file, experiment.title), { onProgress });
    ({ traces, rasters } = fromExperimentResults(results));
    if (experiment.analysis !== undefined) series = [pspHeights(experiment.analysis, traces)];
  } else if (experiment.kind === 'chain') {
    ({ traces, series } = await runChain(experiment.chain, onProgress));
    rasters = [];
  } else if (experiment.kind === 'stp') {
    ({ traces, rasters, series } = await runStp(experiment.stp, onProgress));
  } else if (experiment.kind === 'stdp') {
    ({ traces, rasters, series } = await runStdp(experiment.stdp, onProgress));
  } else {
    throw new LabRequestError(`unknown experiment kind ${JSON.stringify((experiment as { kind?: unknown }).kind)}; known: file, chain, stp, stdp`);
  }
  onProgress('done', 1);
  return { title: experiment.title, experiment, traces, rasters, series, duration_s: Math.round(now() - t0) / 1000 };
}

/** pynn's experiment results as the lab's traces (one per recorded signal and segment) and rasters. */
export function fromExperimentResults(results: pynn.ExperimentResults): { traces: LabTrace[]; rasters: LabRaster[] } {
  const traces: LabTrace[] = [];
  const rasters: LabRaster[] = [];
  const multiSegment = results.segments.length > 1;
  for (const segment of results.segments) {
    for (const { label } of results.populations) {
      const data = segment.populations[label];
      if (data === undefined) continue;
      const suffix = multiSegment ? ` (segment ${segment.index})` : '';
      for (const signal of data.signals) {
        traces.push({ label: `${label}[${signal.index}] ${signal.variable}${suffix}`, variable: signal.variable, units: signal.units, segment: segment.index, times_ms: signal.times, values: signal.values });
      }
      if (data.spikes !== undefined) rasters.push({ label: `${label}${suffix}`, segment: segment.index, spikes_ms: data.spikes });
    }
  }
  return { traces, rasters };
}

/** The PSP height in each window of `analysis`, from the first trace of its population. */
export function pspHeights(analysis: PspHeights, traces: readonly LabTrace[]): LabSeries {
  const trace = traces.find((t) => t.label.startsWith(`${analysis.population}[`));
  if (trace === undefined) throw new LabRequestError(`psp-heights: population '${analysis.population}' recorded no trace`);
  const y = analysis.windowStarts_ms.map((start) => {
    let base = NaN;
    let peak = -Infinity;
    trace.times_ms.forEach((t, i) => {
      if (t < start || t >= start + analysis.window_ms) return;
      if (Number.isNaN(base)) base = trace.values[i]!;
      peak = Math.max(peak, trace.values[i]!);
    });
    return Number.isNaN(base) ? NaN : peak - base;
  });
  return { title: 'PSP height', xLabel: analysis.xLabel, yLabel: `PSP height (${trace.units})`, x: [...analysis.x], y };
}

/** The chain's class: compartment n on circuits 2n, 2n + 1 of row 0, as pynn's examples/multicompartment.ts. */
function chainClass(settings: ChainSettings): pynn.McNeuronClass {
  const compartments: pynn.PlacedCompartment[] = [];
  const connections: pynn.SharedLineConnection[] = [];
  for (let n = 0; n < settings.compartments; n++) {
    const first = 2 * n;
    const last = n === settings.compartments - 1;
    compartments.push(
      new pynn.PlacedCompartment({ positions: [first, first + 1], label: `comp${n}`, connectSharedLine: n > 0 ? [first] : [], connectConductance: last ? [] : [[first + 1, settings.conductance_lsb]] }),
    );
    if (!last) connections.push(new pynn.SharedLineConnection({ start: first + 1, stop: first + 2, row: 0 }));
  }
  return pynn.createMcNeuron('Chain', { compartments, connections, singleActiveCircuit: true });
}

/** The chain's per-circuit parameters: each compartment's first circuit leaks, threshold off, input enabled. */
export function chainParameters(settings: ChainSettings): Record<string, unknown> {
  return {
    leak_i_bias: Array.from({ length: settings.compartments }, () => [settings.leak_lsb, 0]),
    leak_v_leak: 500,
    membrane_capacitance_capacitance: Array.from({ length: settings.compartments }, () => [nominal.membraneCapacitanceMax, 0]),
    excitatory_input_enable: true,
    excitatory_input_i_bias_tau: 100,
    excitatory_input_i_bias_gm: 500,
  };
}

async function runChain(settings: ChainSettings, onProgress: ProgressHandler): Promise<{ traces: LabTrace[]; series: LabSeries[] }> {
  pynn.setup({ chipSeed: settings.chipSeed, idealChip: true, calibration: 'nominal' });
  try {
    const Chain = chainClass(settings);
    const chain = new pynn.Population(1, new Chain(chainParameters(settings)), { label: 'chain' });
    const input = new pynn.Population(3, new pynn.SpikeSourceArray({ spike_times: [settings.input_ms] }), { label: 'input' });
    new pynn.Projection(input, chain, new pynn.AllToAllConnector({ locationSelector: `comp${settings.inputCompartment}` }), new pynn.StaticSynapse({ weight: 63 }));
    const traces: LabTrace[] = [];
    for (let pair = 0; pair < settings.compartments; pair += 2) {
      onProgress(`compartments ${pair}–${Math.min(pair + 1, settings.compartments - 1)}`, pair / settings.compartments);
      if (pair > 0) pynn.reset();
      const locations = [`comp${pair}`, ...(pair + 1 < settings.compartments ? [`comp${pair + 1}`] : [])];
      chain.record(null);
      chain.record('v', { locations });
      await pynn.run(settings.run_ms);
      for (const signal of chain.getData('v').segments.at(-1)!.analogsignals) {
        traces.push({
          label: `chain ${signal.annotations.source_location} v`,
          variable: 'v',
          units: signal.units,
          segment: pair / 2,
          times_ms: Array.from(signal.times),
          values: Array.from(signal.values),
        });
      }
    }
    const heights = traces.map((trace) => {
      const before = trace.values.filter((_, i) => trace.times_ms[i]! < settings.input_ms);
      const rest = before.reduce((a, b) => a + b, 0) / before.length;
      return Math.max(...trace.values) - rest;
    });
    return { traces, series: [{ title: 'EPSP height along the chain', xLabel: 'compartment', yLabel: 'EPSP height (MADC LSB)', x: traces.map((_, k) => k), y: heights }] };
  } finally {
    await pynn.end();
  }
}
