// The plasticity pages' experiments through @bss2/pynn (in the worker and in Node alike): short-term plasticity
// (TsodyksMarkramSynapse against a static synapse) and STDP (the built-in rule on the plasticity processors).
// codegen-plasticity.ts writes the same steps as TypeScript; the tests run it and compare.
import { nominal } from '@bss2/lola';
import * as pynn from '@bss2/pynn';
import type { LabRaster, LabSeries, LabTrace, StdpSettings, StpSettings } from './experiment.js';
import { UTILIZATION_STEPS, stdpSchedule } from './pages.js';

type Progress = (step: string, fraction: number) => void;

/**
 * Per input spike: the membrane's rise from its value just before the spike (the last sample in the ms before) to
 * its peak before the next spike (or within 50 ms): the PSP height even when PSPs overlap.
 */
export function trainPspHeights(times_ms: readonly number[], values: readonly number[], spikes_ms: readonly number[]): number[] {
  return spikes_ms.map((spike, k) => {
    const end = Math.min(spikes_ms[k + 1] ?? Infinity, spike + 50);
    let before = Number.NaN;
    let peak = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < times_ms.length; i++) {
      const t = times_ms[i]!;
      if (t < spike && t >= spike - 1) before = values[i]!;
      if (t >= spike && t < end) peak = Math.max(peak, values[i]!);
    }
    return peak - before;
  });
}

/** The STP page: the train through a depressing synapse, then (a fresh chip) through a static one. */
export async function runStp(s: StpSettings, onProgress: Progress): Promise<{ traces: LabTrace[]; rasters: LabRaster[]; series: LabSeries[] }> {
  const traces: LabTrace[] = [];
  const heights: number[][] = [];
  for (const [k, kind] of (['depressing', 'static'] as const).entries()) {
    onProgress(`${kind} synapse`, k / 2);
    pynn.setup({ idealChip: true, calibration: 'nominal' });
    try {
      const input = new pynn.Population(1, new pynn.SpikeSourceArray({ spike_times: [[...s.spikeTimes_ms]] }), { label: 'input' });
      const neuron = new pynn.Population(1, new pynn.IF_curr_exp({ tau_m: s.tau_m_ms, tau_syn_E: s.tau_syn_ms, v_thresh: -20 }), { label: 'neuron' });
      neuron.record('v');
      const synapse = kind === 'depressing' ? new pynn.TsodyksMarkramSynapse({ U: s.utilization / UTILIZATION_STEPS, tau_rec: s.tau_rec_ms, weight: s.weight }) : new pynn.StaticSynapse({ weight: s.weight });
      new pynn.Projection(input, neuron, new pynn.OneToOneConnector(), synapse, 'excitatory', { label: kind });
      await pynn.run(s.run_ms);
      const signal = neuron.getData('v').segments[0]!.analogsignals[0]!;
      const trace = { label: `neuron v (${kind} synapse)`, variable: 'v', units: signal.units, segment: 0, times_ms: Array.from(signal.times), values: Array.from(signal.values) };
      traces.push(trace);
      heights.push(trainPspHeights(trace.times_ms, trace.values, s.spikeTimes_ms));
    } finally {
      await pynn.end();
    }
  }
  return { traces, rasters: [{ label: 'input', segment: 0, spikes_ms: [[...s.spikeTimes_ms]] }], series: stpSeries(s, traces[0]!.units, heights[0]!, heights[1]!) };
}

/**
 * The PSP heights of both synapses in one chart, and the depressing one relative to the static one beside the
 * chip's Tsodyks-Markram form U·R_k (R₁ = 1, R_{k+1} = 1 − (1 − R_k(1 − U))·e^(−Δt/τ_rec), with the slider's τ_rec;
 * the chip realises the nearest recovery setting).
 */
export function stpSeries(s: StpSettings, units: string, depressing: number[], plain: number[]): LabSeries[] {
  const x = s.spikeTimes_ms.map((_, k) => k + 1);
  const u = s.utilization / UTILIZATION_STEPS;
  const model = [u];
  for (let k = 1; k < x.length; k++) {
    const r = model[k - 1]! / u;
    model.push(u * (1 - (1 - r * (1 - u)) * Math.exp(-(s.spikeTimes_ms[k]! - s.spikeTimes_ms[k - 1]!) / s.tau_rec_ms)));
  }
  return [
    { title: 'PSP heights', xLabel: 'input spike', yLabel: `PSP height (${units})`, label: 'depressing synapse', x, y: depressing, others: [{ label: 'static synapse', y: plain }] },
    {
      title: 'Depressing ÷ static PSP height',
      xLabel: 'input spike',
      yLabel: 'relative height',
      label: 'measured',
      x,
      y: depressing.map((h, k) => h / plain[k]!),
      others: [{ label: 'U·R (Tsodyks-Markram)', y: model }],
    },
  ];
}

/**
 * The STDP page. Each synapse gets a pre source and a teacher: the post neuron (threshold off) fires exactly when
 * its teacher's event arrives (inhibitory bypass), so Δt is exact and the plastic synapse never drives it. The
 * rule runs once before the first pair (resetting the sensors) and then after every `pairsPerUpdate` pairs; the
 * run is cut after each invocation, so the weights pynn reports after each piece are the trajectory.
 */
export async function runStdp(s: StdpSettings, onProgress: Progress): Promise<{ traces: LabTrace[]; rasters: LabRaster[]; series: LabSeries[] }> {
  const schedule = stdpSchedule(s);
  pynn.setup({ idealChip: true, calibration: 'nominal' });
  try {
    const n = s.dts_ms.length;
    const pre = new pynn.Population(n, new pynn.SpikeSourceArray({ spike_times: s.dts_ms.map(() => [...schedule.pre_ms]) }), { label: 'pre' });
    pre.record('spikes');
    const teacher = new pynn.Population(n, new pynn.SpikeSourceArray({ spike_times: schedule.post_ms.map((t) => [...t]) }), { label: 'teacher' });
    const post = new pynn.Population(n, new pynn.HXNeuron({ threshold_enable: false, event_routing_enable_bypass_inhibitory: true, inhibitory_input_enable: true, bayesian_to_post_pulse: true }), { label: 'post' });
    post.record('spikes');
    const timer = new pynn.Timer({ start: schedule.invocations_ms[0]!, period: schedule.period_ms, numPeriods: schedule.invocations_ms.length });
    const rule = new pynn.STDP({ timer, variant: 'additive', etaPlus: s.etaPlus, etaMinus: s.etaMinus });
    const plastic = new pynn.Projection(pre, post, new pynn.OneToOneConnector(), new pynn.PlasticSynapse({ weight: s.initialWeight, plasticityRule: rule }), 'excitatory', { label: 'plastic' });
    new pynn.Projection(teacher, post, new pynn.OneToOneConnector(), new pynn.StaticSynapse({ weight: -nominal.synapseWeightMax }), 'inhibitory', { label: 'teacher' });
    const weights: number[][] = [];
    for (const [k, piece] of schedule.runs_ms.entries()) {
      onProgress(`run ${k + 1} of ${schedule.runs_ms.length}`, k / schedule.runs_ms.length);
      await pynn.run(piece);
      weights.push(plastic.get('weight', { withAddress: false }) as number[]);
    }
    const rasters: LabRaster[] = [pre, post].map((population) => ({
      label: population.label,
      segment: 0,
      spikes_ms: population.getData('spikes').segments[0]!.spiketrains.map((train) => Array.from(train.times)),
    }));
    return { traces: [], rasters, series: stdpSeries(s, schedule.invocations_ms, weights) };
  } finally {
    await pynn.end();
  }
}

/** Trajectory: the weight after each invocation; window: Δw = w_final − w₀ per Δt. */
export function stdpSeries(s: StdpSettings, invocations_ms: readonly number[], weights: readonly (readonly number[])[]): LabSeries[] {
  if (s.mode === 'trajectory') {
    return [{ title: `Weight at Δt = ${s.dts_ms[0]} ms`, xLabel: 'pairings', yLabel: 'weight', x: invocations_ms.map((_, k) => k * s.pairsPerUpdate), y: weights.map((w) => w[0]!) }];
  }
  const last = weights.at(-1)!;
  return [{ title: `STDP window: Δw after ${s.pairs} pairings`, xLabel: 'Δt (ms)', yLabel: 'Δw', x: [...s.dts_ms], y: last.map((w) => w - s.initialWeight) }];
}
