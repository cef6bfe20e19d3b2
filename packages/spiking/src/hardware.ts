// Hardware in the loop (hardware.md §11.2): the experiment's layers become an execution-layer graph — input
// layers external populations, LIF/LI/AELIF layers calibrated neurons (AELIF with its AdEx terms patched in,
// nominally), each synapse layer one excitatory and one
// inhibitory projection of every (out, in) pair (zeros included, so new weights never need a new routing) —
// one batch becomes one batch of entries, and the chip's spikes and CADC traces come back on the time grid.
import { spikingTarget } from '@bss2/calibration';
import { type AtomicNeuronPatch, type EntryResult, Executor, type NetworkGraph, type NeuronRef, type NeuronTarget, type RunRequest, neuronTarget } from '@bss2/execution';
import type { Connection } from '@bss2/hxcomm';
import { nominal } from '@bss2/lola';
import type { Projection } from '@bss2/routing';
import { ExperimentRunError, HardwareMappingError, ModuleMisuseError } from './errors.js';
import type { Experiment, ExperimentEdge } from './experiment.js';
import { NeuronHandle } from './handles.js';
import type { Module } from './module.js';
import { AELIF, BatchDropout, CHIP_EXP_SLOPE_LSB, InputNeuron, LI, LIF, type LayerObservables, Synapse } from './modules.js';
import { type LIParameters, hardwareValue, modelValue } from './parameters.js';

const CYCLES_PER_US = nominal.fpgaClockCyclesPerUs;
/** The weight of a chip synapse, 6 bit. */
const MAX_WEIGHT = nominal.synapseWeightMax;
/** Default wait between entries: this many of the slowest time constant. */
const DEFAULT_WAIT_TIME_CONSTANTS = 5;

/** 1 ms of biological time is 1 µs on the chip (architecture.md, "Units"). */
export function chipMicroseconds(ms: number): number {
  return ms;
}

/** Layers of spiking neurons on the chip. */
type SpikingLayer = LIF | AELIF;

function isSpiking(m: Module): m is SpikingLayer {
  return m instanceof LIF || m instanceof AELIF;
}

/** Layers of calibrated neurons: the spiking ones and the LI readout. */
function isNeuronLayer(m: Module): m is SpikingLayer | LI {
  return isSpiking(m) || m instanceof LI;
}

/** The calibration target of a LIF, AELIF or LI layer (LI: its threshold is switched off by a patch). */
export function layerTarget(layer: LIF | AELIF | LI): NeuronTarget {
  const p = layer.parameters;
  const base = neuronTarget(spikingTarget);
  const leak = hardwareValue(p.leak);
  return {
    ...base,
    leak_lsb: leak,
    reset_lsb: layer instanceof LI ? leak : hardwareValue(layer.parameters.reset),
    threshold_lsb: hardwareValue(p.threshold),
    tauMembrane_us: chipMicroseconds(p.tauMem_ms),
    tauSynExc_us: chipMicroseconds(p.tauSyn_ms),
    tauSynInh_us: chipMicroseconds(p.tauSyn_ms),
    refractoryTime_us: layer instanceof LI ? base.refractoryTime_us : chipMicroseconds(layer.parameters.refractory_ms),
  };
}

/** Whether an AELIF layer's adaptation is on on the chip (a or b non-zero there). */
function chipAdaptation(layer: AELIF): boolean {
  return hardwareValue(layer.parameters.adaptationA) !== 0 || hardwareValue(layer.parameters.adaptationB) !== 0;
}

/** Δ_T is fixed on the chip; a chip-side expSlope within this relative distance of it is taken as meaning it. */
const EXP_SLOPE_TOLERANCE = 0.01;

/**
 * The AdEx terms of an AELIF layer (hardware.md §8.1) as a patch over its calibrated LIF configuration.
 * **Choice:** set nominally — lola's §8.3 transfer functions inverted, nothing measured — not calibrated: on a
 * varied chip a, b, τ_w and I_0 carry their circuits' fixed-pattern gains and V_exp and the adaptation's
 * V_leak their voltage offsets. g_L is the target's nominal C_m / τ_mem. The chip-side values: a as a / g_L,
 * b as b / g_L in CADC LSB, v_T in CADC LSB, Δ_T must be the chip's fixed 15 mV (≈ 3.33 CADC LSB); I_0 is
 * set near g_L·Δ_T and V_exp shifted by Δ_T·ln(I_0 / (g_L·Δ_T)), so the term is g_L·Δ_T·exp((V − v_T)/Δ_T).
 * Out of reach → HardwareMappingError naming the layer, parameter, value and reachable range.
 *
 * `armed` false (the weight-scale probe, which measures every layer as a LIF): threshold, adaptation and
 * exponential off, but the same CapMem values, so that arming later changes configuration bits only. (While
 * CapMem cells settle the executor keeps the exponential term off itself, with threshold and offset current.)
 */
function aelifPatch(layer: AELIF, target: NeuronTarget, armed: boolean): AtomicNeuronPatch {
  const p = layer.parameters;
  const max = nominal.capMemValueMax_lsb;
  const capacitance_pF = nominal.membraneCapacitance_pF(target.membraneCapacitance_lsb);
  const leakConductance_nS = (1000 * capacitance_pF) / target.tauMembrane_us;
  const cadcLsb_mV = 1000 * nominal.cadcLsb_V;
  const potentialSetting = (code: number) => nominal.voltageToCapMem_lsb(nominal.cadcCodeToVoltage_V(code));
  const setting = (parameter: string, value: number, lsb: number, min: number, reachable: string): number => {
    const rounded = Math.round(lsb);
    if (rounded >= min && rounded <= max) return rounded;
    throw new HardwareMappingError(`${layer.name}: ${parameter} = ${value} on the chip needs CapMem ${lsb.toFixed(1)} LSB, outside ${min}..${max}; reachable: ${reachable}`, {
      module: layer.name,
      parameter,
      value,
      rule: reachable,
    });
  };
  const g = `g_L = ${leakConductance_nS.toPrecision(4)} nS (C_m ${capacitance_pF.toPrecision(3)} pF, τ_mem ${target.tauMembrane_us} µs)`;

  let adaptation: Record<string, unknown> = { enable: false };
  if (chipAdaptation(layer)) {
    const a = hardwareValue(p.adaptationA);
    const b = hardwareValue(p.adaptationB);
    const aMax = (nominal.adaptationConductance_nS(max) / leakConductance_nS).toPrecision(3);
    const bMax = (nominal.adaptationIncrement_nA(max) / (leakConductance_nS * cadcLsb_mV / 1000)).toPrecision(3);
    const vLeak = Math.round(potentialSetting(hardwareValue(p.leak)));
    adaptation = {
      enable: true,
      enablePulse: b !== 0,
      invertA: a < 0,
      invertB: b < 0,
      iBiasA: setting('adaptationA', a, (Math.abs(a) * leakConductance_nS) / nominal.adaptationConductance_nS(1), 0, `|adaptationA| ≤ ${aMax} (a ≤ ${nominal.adaptationConductance_nS(max)} nS, ${g})`),
      iBiasB: setting('adaptationB', b, (Math.abs(b) * cadcLsb_mV * leakConductance_nS) / 1000 / nominal.adaptationIncrement_nA(1), 0, `|adaptationB| ≤ ${bMax} CADC LSB (b ≤ ${nominal.adaptationIncrement_nA(max)} nA, ${g})`),
      iBiasTau: setting('tauAdaptation_ms', p.tauAdaptation_ms, nominal.adaptationTimeConstant_us(1) / chipMicroseconds(p.tauAdaptation_ms), 1, `${nominal.adaptationTimeConstant_us(max).toPrecision(3)}..${nominal.adaptationTimeConstant_us(1)} ms (µs on the chip)`),
      vLeak,
      vRef: vLeak,
    };
  }

  let exponential: Record<string, unknown> = { enable: false };
  if (p.exponential) {
    const slope = hardwareValue(p.expSlope);
    if (!(Math.abs(slope - CHIP_EXP_SLOPE_LSB) <= EXP_SLOPE_TOLERANCE * CHIP_EXP_SLOPE_LSB)) {
      const rule = `the chip's Δ_T is fixed at ${nominal.exponentialSlope_mV} mV = ${CHIP_EXP_SLOPE_LSB.toPrecision(4)} CADC LSB (±${100 * EXP_SLOPE_TOLERANCE} %); give expSlope as mixed(model, ${CHIP_EXP_SLOPE_LSB.toPrecision(4)})`;
      throw new HardwareMappingError(`${layer.name}: expSlope = ${slope} CADC LSB on the chip is out of reach: ${rule}`, { module: layer.name, parameter: 'expSlope', value: slope, rule });
    }
    const slope_V = nominal.exponentialSlope_mV / 1000;
    const wanted_nA = (leakConductance_nS * nominal.exponentialSlope_mV) / 1000;
    const iBias = setting('expSlope', slope, wanted_nA / nominal.exponentialCurrent_nA(1), 1, `I_0 = g_L·Δ_T within ${nominal.exponentialCurrent_nA(1)}..${nominal.exponentialCurrent_nA(max)} nA, i.e. a shorter or longer τ_mem (${g})`);
    const shift_V = slope_V * Math.log(nominal.exponentialCurrent_nA(iBias) / wanted_nA);
    const onset = hardwareValue(p.expThreshold);
    const [lo, hi] = [0, max].map((lsb) => nominal.voltageToCadcCode(nominal.capMemVoltage_V(lsb) - shift_V)) as [number, number];
    const vExp = setting('expThreshold', onset, nominal.voltageToCapMem_lsb(nominal.cadcCodeToVoltage_V(onset) + shift_V), 0, `${lo.toFixed(1)}..${hi.toFixed(1)} CADC LSB`);
    exponential = { enable: true, iBias, vExp };
  }
  if (armed) return { adaptation, exponential };
  return { threshold: { enable: false }, adaptation: { ...adaptation, enable: false, enablePulse: false }, exponential: { ...exponential, enable: false } };
}

/** Model value of a CADC code: the layer's leak at the first sample, scaled by (θ − leak) model / chip. */
function traceScale(p: LIParameters): number {
  return (modelValue(p.threshold) - modelValue(p.leak)) / (hardwareValue(p.threshold) - hardwareValue(p.leak));
}

/** The chip weights of a synapse layer: `round-half-away(clamp(scale · w, ±63))`, split by sign (§11.2). */
export function chipWeights(weight: Float32Array, scale: number): { excitatory: Uint8Array; inhibitory: Uint8Array } {
  const excitatory = new Uint8Array(weight.length);
  const inhibitory = new Uint8Array(weight.length);
  for (let k = 0; k < weight.length; k++) {
    const w = Math.min(MAX_WEIGHT, Math.max(-MAX_WEIGHT, scale * weight[k]!));
    excitatory[k] = Math.trunc(Math.max(w, 0) + 0.5);
    inhibitory[k] = -Math.trunc(Math.min(w, 0) - 0.5);
  }
  return { excitatory, inhibitory };
}

/** Follows a spike handle through dropout layers to the neuron layer that emits it, with the product of masks. */
function spikeSource(handle: NeuronHandle): { layer: Module; mask: Float32Array | undefined } {
  let producer = handle.producer;
  let mask: Float32Array | undefined;
  const edges = producer.experiment.edges();
  while (producer instanceof BatchDropout) {
    const m = producer.mask;
    mask = mask === undefined ? Float32Array.from(m) : mask.map((x, i) => x * m[i]!);
    const input = edges.find((e) => e.module === producer)?.inputs[0] as NeuronHandle | undefined;
    if (input === undefined) throw new ModuleMisuseError(`${producer.name} was not called in this run`, { module: producer.name });
    producer = input.producer;
  }
  return { layer: producer, mask };
}

export class HardwareSession {
  #executor: Executor | undefined;
  #connection: Connection | undefined;
  #ownsConnection = false;

  constructor(readonly experiment: Experiment) {}

  async executor(): Promise<Executor> {
    if (this.#executor !== undefined) return this.#executor;
    const options = this.experiment.options;
    let connection = options.connection;
    if (connection === undefined) {
      const { connectInProcess } = await import('@bss2/hxcomm/in-process');
      connection = connectInProcess({ seed: options.chip?.seed ?? 1, analog: options.chip?.analog ?? {} });
      this.#ownsConnection = true;
    }
    this.#connection = connection;
    this.#executor = new Executor({ connection, calibration: options.calibration ?? 'calibrate', routing: { neuronPermutation: layerPlacement(this.experiment.modules) } });
    return this.#executor;
  }

  /**
   * The graph of the recorded edges with the current weights; with `probe`, only the neuron layers, disarmed
   * (the weight-scale probe adds its own source, synapses and recording).
   */
  graph(edges: readonly ExperimentEdge[], options: { probe?: boolean } = {}): NetworkGraph {
    const e = this.experiment;
    const populations: NetworkGraph['populations'][number][] = [];
    const projections: Projection[] = [];
    const cadc: NeuronRef[] = [];
    for (const edge of edges) {
      const m = edge.module;
      if (m instanceof InputNeuron) populations.push({ kind: 'external', name: m.name, size: m.size });
      else if (isNeuronLayer(m)) {
        const disarmed = m instanceof LI || options.probe === true;
        const target = layerTarget(m);
        // The probe measures every layer as a LIF (AdEx terms off), so the weight scale means the same for all.
        const patch = m instanceof AELIF ? aelifPatch(m, target, !disarmed) : disarmed ? { threshold: { enable: false } } : undefined;
        populations.push({
          kind: 'neurons',
          name: m.name,
          size: m.size,
          neurons: { kind: 'calibrated', target, ...(patch === undefined ? {} : { patch }) },
          recordSpikes: isSpiking(m) && !disarmed,
        });
        if (m instanceof LI || m.cadc) for (let index = 0; index < m.size; index++) cadc.push({ population: m.name, index });
      }
    }
    // The probe's synapses and recording are its own (`measureWeightScale`): it takes the neuron layers only.
    if (options.probe === true) return { populations, projections };
    for (const edge of edges) {
      const m = edge.module;
      if (!(m instanceof Synapse)) continue;
      const { layer: pre, mask } = spikeSource(edge.inputs[0] as NeuronHandle);
      if (!(pre instanceof InputNeuron || isSpiking(pre))) throw new HardwareMappingError(`${m.name}: its input '${pre.name}' emits no spikes on the chip`, { module: m.name, value: pre.name });
      const consumers = edges.filter((x) => x.inputs.includes(edge.output));
      if (consumers.length !== 1 || !isNeuronLayer(consumers[0]!.module)) {
        throw new HardwareMappingError(`${m.name}: on the chip a synapse layer feeds exactly one LIF, AELIF or LI layer, this one feeds ${consumers.length}`, { module: m.name, value: consumers.length });
      }
      const post = consumers[0]!.module;
      const weight = m.weight.dataSync() as Float32Array;
      const { excitatory, inhibitory } = chipWeights(weight, e.weightScale);
      const exc: Projection['connections'][number][] = [];
      const inh: Projection['connections'][number][] = [];
      for (let o = 0; o < m.size; o++) {
        for (let i = 0; i < m.inFeatures; i++) {
          const k = o * m.inFeatures + i;
          if (m.mask[k] === 0) continue;
          const kept = mask === undefined ? 1 : mask[i]!;
          exc.push({ pre: i, post: o, weight: kept * excitatory[k]! });
          inh.push({ pre: i, post: o, weight: kept * inhibitory[k]! });
        }
      }
      projections.push({ name: `${m.name}_exc`, pre: pre.name, post: post.name, receptor: 'excitatory', connections: exc });
      projections.push({ name: `${m.name}_inh`, pre: pre.name, post: post.name, receptor: 'inhibitory', connections: inh });
    }
    const interval_cycles = Math.round(chipMicroseconds(e.dt_ms) * CYCLES_PER_US);
    return { populations, projections, ...(cadc.length === 0 ? {} : { recording: { cadc: { neurons: cadc, interval_cycles, sweep: 'recorded' as const } } }) };
  }

  /**
   * Measures the chip weight LSB per model weight unit: every neuron of the first LIF (or LI) layer, threshold
   * off, gets one event of a full-weight synapse; the median PSP peak (CADC LSB, in model units through the
   * layer's trace scale) against the model's PSP peak for a unit weight.
   */
  async measureWeightScale(edges: readonly ExperimentEdge[]): Promise<number> {
    const layer = edges.map((x) => x.module).find(isNeuronLayer);
    if (layer === undefined) throw new ExperimentRunError('the network has no LIF, AELIF or LI layer to measure the weight scale on', {});
    // The probe graph keeps the neuron layers in the same order and targets: the same placement and calibration.
    const base = this.graph(edges, { probe: true });
    const probe = `${layer.name}_probe`;
    const p = layer.parameters;
    const spike_us = 2;
    const duration_us = spike_us + 6 * chipMicroseconds(Math.max(p.tauMem_ms, p.tauSyn_ms));
    const graph: NetworkGraph = {
      populations: [...base.populations, { kind: 'external', name: probe, size: 1 }],
      projections: [{ name: `${probe}_synapses`, pre: probe, post: layer.name, receptor: 'excitatory', connections: Array.from({ length: layer.size }, (_, post) => ({ pre: 0, post, weight: MAX_WEIGHT })) }],
      recording: { cadc: { neurons: Array.from({ length: layer.size }, (_, index) => ({ population: layer.name, index })), interval_cycles: 16 * Math.ceil(layer.size / 64), sweep: 'recorded' } },
    };
    const executor = await this.executor();
    const report = await executor.runBatch(graph, [{ duration_us, inputs: { [probe]: { kind: 'array', times_us: [[spike_us]] } } }], this.#batchOptions());
    const peaks: number[] = [];
    for (const trace of report.entries[0]!.cadc) {
      const before = trace.code.filter((_, k) => trace.time_us[k]! < spike_us);
      if (before.length === 0) continue;
      const baseline = before.reduce((a, b) => a + b, 0) / before.length;
      peaks.push(Math.max(...trace.code) - baseline);
    }
    peaks.sort((a, b) => a - b);
    const peak_lsb = peaks[Math.floor(peaks.length / 2)] ?? 0;
    if (!(peak_lsb > 1)) throw new ExperimentRunError(`a full-weight synapse moved the membranes of '${layer.name}' by ${peak_lsb} CADC LSB: the chip's synaptic input does not reach the neurons`, { module: layer.name, value: peak_lsb });
    return (MAX_WEIGHT * modelUnitPspPeak(p, this.experiment.dt_ms)) / (peak_lsb * traceScale(p));
  }

  /** Runs one batch: entry b sends the spikes of batch index b of every input layer. */
  async run(edges: readonly ExperimentEdge[], steps: number, batch: number): Promise<Map<Module, LayerObservables>> {
    const e = this.experiment;
    const executor = await this.executor();
    if (!e.weightScaleKnown) e.setWeightScale(await this.measureWeightScale(edges));
    const graph = this.graph(edges);
    const dt_us = chipMicroseconds(e.dt_ms);
    const inputs = edges.filter((x) => x.module instanceof InputNeuron).map((x) => ({ name: x.module.name, size: x.module.size, data: x.data!.dataSync() as Float32Array }));
    const entries: RunRequest[] = [];
    for (let b = 0; b < batch; b++) {
      const request: Record<string, { kind: 'array'; times_us: number[][] }> = {};
      for (const input of inputs) {
        const times: number[][] = Array.from({ length: input.size }, () => []);
        for (let t = 0; t < steps; t++) {
          const row = (t * batch + b) * input.size;
          for (let n = 0; n < input.size; n++) if (input.data[row + n]! > 0) times[n]!.push(t * dt_us);
        }
        request[input.name] = { kind: 'array', times_us: times };
      }
      entries.push({ duration_us: steps * dt_us, inputs: request });
    }
    const report = await executor.runBatch(graph, entries, this.#batchOptions());
    const out = new Map<Module, LayerObservables>();
    for (const edge of edges) {
      const m = edge.module;
      if (!isNeuronLayer(m)) continue;
      out.set(m, {
        ...(isSpiking(m) ? { spikes: denseSpikes(report.entries, m, steps, batch, dt_us) } : {}),
        ...(m instanceof LI || m.cadc ? { v: denseTraces(report.entries, m, steps, batch, dt_us) } : {}),
      });
    }
    return out;
  }

  #batchOptions(): { interEntryWait_us: number } {
    const e = this.experiment;
    if (e.options.interEntryWait_us !== undefined) return { interEntryWait_us: e.options.interEntryWait_us };
    let slowest = 0;
    for (const m of e.modules) if (isNeuronLayer(m)) slowest = Math.max(slowest, m.parameters.tauMem_ms, m.parameters.tauSyn_ms);
    // The adaptation must decay between entries too.
    for (const m of e.modules) if (m instanceof AELIF && chipAdaptation(m)) slowest = Math.max(slowest, m.parameters.tauAdaptation_ms);
    return { interEntryWait_us: DEFAULT_WAIT_TIME_CONSTANTS * chipMicroseconds(slowest) };
  }

  async close(): Promise<void> {
    this.#executor?.close();
    if (this.#ownsConnection) await this.#connection?.close();
  }
}

/**
 * Where the layers' neurons go: consecutive layers on alternating hemispheres, so that a layer's synapse rows
 * (one excitatory and one inhibitory row per source) and those of the next layer share no hemisphere's 256 rows
 * (e.g. 25 inputs → 120 LIF → 3 LI: 50 rows on one, 240 on the other). The circuits left over follow.
 */
export function layerPlacement(modules: readonly Module[]): number[] {
  const HALF = 256;
  const next = [0, HALF];
  const order: number[] = [];
  let hemisphere = 0;
  for (const m of modules) {
    if (!isNeuronLayer(m)) continue;
    // A layer that no longer fits its hemisphere takes the other's circuits.
    if (next[hemisphere]! + m.size > HALF * (hemisphere + 1)) hemisphere = 1 - hemisphere;
    for (let k = 0; k < m.size && next[hemisphere]! < HALF * (hemisphere + 1); k++) order.push(next[hemisphere]!++);
    hemisphere = 1 - hemisphere;
  }
  const used = new Set(order);
  for (let c = 0; c < 2 * HALF; c++) if (!used.has(c)) order.push(c);
  return order;
}

/** Spikes on the time grid: the nearest bin, 1 per bin and neuron. */
function denseSpikes(entries: readonly EntryResult[], layer: SpikingLayer, steps: number, batch: number, dt_us: number): Float32Array {
  const out = new Float32Array(steps * batch * layer.size);
  entries.forEach((entry, b) => {
    const s = entry.spikes.get(layer.name);
    if (s === undefined) return;
    for (let k = 0; k < s.index.length; k++) {
      const bin = Math.round(s.time_us[k]! / dt_us);
      if (bin >= 0 && bin < steps) out[(bin * batch + b) * layer.size + s.index[k]!] = 1;
    }
  });
  return out;
}

/**
 * CADC traces on the time grid, linearly interpolated (edge-padded), in model units: the first sample of each
 * neuron and entry stands for the leak (it removes the CADC's per-channel offset), differences scale by the
 * layer's trace scale.
 */
function denseTraces(entries: readonly EntryResult[], layer: SpikingLayer | LI, steps: number, batch: number, dt_us: number): Float32Array {
  const p = layer.parameters;
  const scale = traceScale(p);
  const leak = modelValue(p.leak);
  const out = new Float32Array(steps * batch * layer.size).fill(leak);
  entries.forEach((entry, b) => {
    for (const trace of entry.cadc) {
      if (trace.population !== layer.name || trace.code.length === 0) continue;
      const { time_us: time, code } = trace;
      const first = code[0]!;
      let j = 0;
      for (let t = 0; t < steps; t++) {
        const at = t * dt_us;
        while (j < time.length - 1 && time[j + 1]! <= at) j++;
        let c: number;
        if (at <= time[0]!) c = code[0]!;
        else if (j >= time.length - 1) c = code[time.length - 1]!;
        else c = code[j]! + ((code[j + 1]! - code[j]!) * (at - time[j]!)) / (time[j + 1]! - time[j]!);
        out[(t * batch + b) * layer.size + trace.index] = leak + (c - first) * scale;
      }
    }
  });
  return out;
}

/** The model's PSP peak above the leak for one input of unit weight at step 0 (its own Euler scheme). */
export function modelUnitPspPeak(p: LIParameters, dt_ms: number): number {
  const a = dt_ms / p.tauMem_ms;
  const d = 1 - dt_ms / p.tauSyn_ms;
  let v = 0;
  let i = 0;
  let peak = 0;
  const horizon = Math.ceil((20 * Math.max(p.tauMem_ms, p.tauSyn_ms)) / dt_ms);
  for (let t = 0; t < horizon; t++) {
    v += a * (i - v);
    peak = Math.max(peak, v);
    i = i * d + (t === 0 ? 1 : 0);
  }
  return peak;
}

export { NeuronHandle };
