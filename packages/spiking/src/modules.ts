// The layers of a spiking network (hardware.md §11.2): InputNeuron, Synapse, SparseSynapse, LIF, LI,
// BatchDropout and AELIF. Calling a layer records an edge; `run` computes every layer's forward pass in call order —
// in software (mock) or with the chip's observables injected (hardware in the loop).
import { nominal } from '@bss2/lola';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { ModuleMisuseError, SpikingParameterError, describeValue } from './errors.js';
import type { Experiment } from './experiment.js';
import { type Handle, NeuronHandle, SynapseHandle } from './handles.js';
import { Module } from './module.js';
import { aelifScan, lifScan, liScan } from './ops/index.js';
import { type LIFParameters, type LIParameters, type Parameter, checkParameter, hardwareValue, lifParameters, mixed, modelValue } from './parameters.js';
import { tf } from '@bss2/tensor';

/** What the chip measured for a layer in one run, dense [steps, batch, neurons]. */
export interface LayerObservables {
  readonly spikes?: Float32Array;
  readonly v?: Float32Array;
}

/** What a layer's forward pass is given. */
export interface ForwardContext {
  readonly steps: number;
  readonly batch: number;
  readonly hardware: LayerObservables | undefined;
}

function check3d(module: string, what: string, t: tf.Tensor, size: number, steps?: number, batch?: number): void {
  const ok = t.rank === 3 && t.shape[2] === size && (steps === undefined || t.shape[0] === steps) && (batch === undefined || t.shape[1] === batch);
  if (!ok) {
    const want = `[${steps ?? 'steps'}, ${batch ?? 'batch'}, ${size}]`;
    throw new ModuleMisuseError(`${module}: ${what} has shape [${t.shape.join(', ')}], expected ${want} (time steps, batch, neurons)`, { module, value: t.shape });
  }
}

/** Spike sources: the network's input, given per run as a dense [steps, batch, size] tensor of 0/1. */
export class InputNeuron extends Module {
  constructor(experiment: Experiment, size: number) {
    super(experiment, 'InputNeuron', size);
  }

  call(spikes: tf.Tensor3D): NeuronHandle {
    if (!(spikes instanceof tf.Tensor)) throw new ModuleMisuseError(`${this.name}: call() takes a tensor [steps, batch, ${this.size}], got ${describeValue(spikes)}`, { module: this.name, value: spikes });
    check3d(this.name, 'the input', spikes, this.size);
    const out = new NeuronHandle(this);
    this.experiment.connect(this, [], out, spikes);
    return out;
  }

  forward(_inputs: readonly Handle[], ctx: ForwardContext, data: tf.Tensor3D, out: NeuronHandle): void {
    check3d(this.name, 'the input', data, this.size, ctx.steps, ctx.batch);
    out.spikes = data;
  }
}

export interface SynapseOptions {
  /** Initial weights (out, in); default: uniform in ±1/√in (the reference's Kaiming-uniform), or `init`. */
  readonly weight?: tf.Tensor2D | Float32Array | readonly number[][];
  /** Normal initialisation instead of the default uniform one. */
  readonly init?: { readonly mean: number; readonly std: number };
  /** Seed of the initialisation (default: the experiment's seed mixed with the layer's position). */
  readonly seed?: number;
}

/** All-to-all synapses with trainable weights (out, in); on the chip one excitatory and one inhibitory row per input. */
export class Synapse extends Module {
  readonly inFeatures: number;
  readonly weight: tf.Variable<tf.Rank.R2>;
  /** Which connections exist (out, in), 1 or 0; all ones for a dense layer. */
  readonly mask: Float32Array;
  /** Whether some connection is missing (the forward pass then masks the weights). */
  readonly #sparse: boolean;

  constructor(experiment: Experiment, inFeatures: number, outFeatures: number, options: SynapseOptions = {}, kind = 'Synapse', mask?: Float32Array) {
    super(experiment, kind, outFeatures);
    if (!Number.isSafeInteger(inFeatures) || inFeatures < 1) throw new ModuleMisuseError(`${this.name}: inFeatures is a whole number ≥ 1, got ${describeValue(inFeatures)}`, { module: this.name, parameter: 'inFeatures', value: inFeatures });
    this.inFeatures = inFeatures;
    this.mask = mask ?? new Float32Array(inFeatures * outFeatures).fill(1);
    this.#sparse = this.mask.includes(0);
    const initial = initialWeights(this.name, inFeatures, outFeatures, options, options.seed ?? experiment.seedFor(this));
    for (let k = 0; k < initial.length; k++) initial[k]! *= this.mask[k]!;
    this.weight = tf.variable(tf.tensor2d(initial, [outFeatures, inFeatures]), true, `exp${experiment.id}/${this.name}.weight`);
  }

  call(input: NeuronHandle): SynapseHandle {
    this.checkInput(input, 'the input');
    if (this.weight.isDisposed) throw new ModuleMisuseError(`${this.name}: its experiment was closed`, { module: this.name });
    if (!(input instanceof NeuronHandle)) throw new ModuleMisuseError(`${this.name}: takes the spikes of a neuron layer, not the current of '${(input as Handle).producer.name}'`, { module: this.name, value: (input as Handle).producer.name });
    if (input.producer.size !== this.inFeatures) {
      throw new ModuleMisuseError(`${this.name}: '${input.producer.name}' has ${input.producer.size} neurons, the synapse ${this.inFeatures} inputs`, { module: this.name, parameter: 'inFeatures', value: input.producer.size });
    }
    if (input.producer instanceof LI) throw new ModuleMisuseError(`${this.name}: '${input.producer.name}' is a leaky integrator without spikes; a synapse needs a spiking source`, { module: this.name, value: input.producer.name });
    const out = new SynapseHandle(this);
    this.experiment.connect(this, [input], out);
    return out;
  }

  /** The weights the forward pass uses: masked and, in mock mode with quantisation, on the chip's 6-bit grid. */
  effectiveWeight(): tf.Tensor2D {
    const masked = this.#sparse ? tf.mul(this.weight, tf.tensor2d(this.mask, this.weight.shape)) : this.weight;
    const e = this.experiment;
    if (!e.mock || !e.mockOptions.quantizeWeights) return masked as tf.Tensor2D;
    // Straight-through estimator: the forward value is on the chip's grid, the gradient passes unchanged.
    const scale = e.weightScale;
    const quantise = tf.customGrad(((w: tf.Tensor) => ({ value: tf.div(tf.round(tf.clipByValue(tf.mul(w, scale), -nominal.synapseWeightMax, nominal.synapseWeightMax)), scale), gradFunc: (dy: tf.Tensor) => dy })) as unknown as Parameters<typeof tf.customGrad>[0]);
    return quantise(masked) as tf.Tensor2D;
  }


  forward(inputs: readonly Handle[], ctx: ForwardContext, _data: undefined, out: SynapseHandle): void {
    const spikes = (inputs[0] as NeuronHandle).spikes!;
    const flat = tf.reshape(spikes, [ctx.steps * ctx.batch, this.inFeatures]) as tf.Tensor2D;
    out.current = tf.reshape(tf.matMul(flat, this.effectiveWeight(), false, true), [ctx.steps, ctx.batch, this.size]) as tf.Tensor3D;
  }
}

/** Synapses only where `connectivity` (out, in) is non-zero; the others stay 0 and are not routed on the chip. */
export class SparseSynapse extends Synapse {
  constructor(experiment: Experiment, connectivity: tf.Tensor2D | readonly (readonly number[])[], options: SynapseOptions = {}) {
    const rows = connectivity instanceof tf.Tensor ? (connectivity.arraySync() as number[][]) : connectivity;
    if (!Array.isArray(rows) || rows.length === 0 || !Array.isArray(rows[0]) || rows[0].length === 0 || rows.some((r) => !Array.isArray(r) || r.length !== rows[0]!.length)) {
      throw new ModuleMisuseError('SparseSynapse: connectivity is a non-empty (out, in) matrix of 0/1', { module: 'SparseSynapse', value: connectivity });
    }
    const mask = Float32Array.from(rows.flat(), (x) => (x !== 0 ? 1 : 0));
    super(experiment, rows[0].length, rows.length, options, 'SparseSynapse', mask);
  }
}

/** Layers that integrate synaptic currents. */
abstract class NeuronLayer extends Module {
  call(...inputs: SynapseHandle[]): NeuronHandle {
    if (inputs.length === 0) throw new ModuleMisuseError(`${this.name}: call() takes at least one synapse handle`, { module: this.name });
    for (const [k, input] of inputs.entries()) {
      this.checkInput(input, `input ${k}`);
      if (!(input instanceof SynapseHandle)) throw new ModuleMisuseError(`${this.name}: input ${k} is the spikes of '${(input as Handle).producer.name}'; a neuron layer takes synapse currents`, { module: this.name, value: (input as Handle).producer.name });
      if (input.producer.size !== this.size) throw new ModuleMisuseError(`${this.name}: '${input.producer.name}' has ${input.producer.size} outputs, the layer ${this.size} neurons`, { module: this.name, value: input.producer.size });
    }
    const out = new NeuronHandle(this);
    this.experiment.connect(this, inputs, out);
    return out;
  }

  protected inputCurrent(inputs: readonly Handle[], _ctx: ForwardContext): tf.Tensor3D {
    const currents = inputs.map((h) => (h as SynapseHandle).current!);
    let sum = currents.length === 1 ? currents[0]! : (tf.addN(currents) as tf.Tensor3D);
    const noise = this.experiment.mock ? this.experiment.mockOptions.currentNoise : 0;
    if (noise > 0) sum = tf.add(sum, tf.randomNormal(sum.shape, 0, noise, 'float32', this.experiment.nextNoiseSeed())) as tf.Tensor3D;
    return sum;
  }

  /** A hardware trace as a tensor, or undefined. */
  protected traced(values: Float32Array | undefined, ctx: ForwardContext): tf.Tensor3D | undefined {
    return values === undefined ? undefined : tf.tensor3d(values, [ctx.steps, ctx.batch, this.size]);
  }
}

export interface LIFOptions extends Partial<LIFParameters> {
  /** Record the membranes through the CADC in hardware runs (gradients then use the chip's v; default true). */
  readonly cadc?: boolean;
}

/** The model side of a layer's LIF parameters, as the fused scans take them. */
function lifOpParameters(p: LIFParameters, dt_ms: number) {
  return {
    tauMem: p.tauMem_ms,
    tauSyn: p.tauSyn_ms,
    dt: dt_ms,
    leak: modelValue(p.leak),
    reset: modelValue(p.reset),
    threshold: modelValue(p.threshold),
    refractorySteps: Math.round(p.refractory_ms / dt_ms),
    alpha: p.alpha,
  };
}

/** Current-based leaky integrate-and-fire neurons (SuperSpike surrogate gradient). */
export class LIF extends NeuronLayer {
  readonly parameters: LIFParameters;
  readonly cadc: boolean;
  constructor(experiment: Experiment, size: number, options: LIFOptions = {}) {
    super(experiment, 'LIF', size);
    const { cadc, ...parameters } = options;
    this.parameters = lifParameters(this.name, parameters, experiment.dt_ms);
    this.cadc = cadc ?? true;
  }

  forward(inputs: readonly Handle[], ctx: ForwardContext, _data: undefined, out: NeuronHandle): void {
    const p = this.parameters;
    const current = this.inputCurrent(inputs, ctx);
    const hw = ctx.hardware;
    const result = lifScan(
      current,
      lifOpParameters(p, this.experiment.dt_ms),
      { v: this.traced(hw?.v, ctx), z: this.traced(hw?.spikes, ctx) },
    );
    out.current = current;
    out.v = result.v;
    out.spikes = result.z;
  }
}

/** Leaky integrators (no spikes): the readout, measured through the CADC on the chip. */
export class LI extends NeuronLayer {
  readonly parameters: LIParameters;
  constructor(experiment: Experiment, size: number, options: Partial<LIParameters> = {}) {
    super(experiment, 'LI', size);
    const p = lifParameters(this.name, options, experiment.dt_ms);
    this.parameters = { leak: p.leak, threshold: p.threshold, tauMem_ms: p.tauMem_ms, tauSyn_ms: p.tauSyn_ms };
  }

  forward(inputs: readonly Handle[], ctx: ForwardContext, _data: undefined, out: NeuronHandle): void {
    const p = this.parameters;
    const current = this.inputCurrent(inputs, ctx);
    out.current = current;
    out.v = liScan(current, { tauMem: p.tauMem_ms, tauSyn: p.tauSyn_ms, dt: this.experiment.dt_ms, leak: modelValue(p.leak) }, { v: this.traced(ctx.hardware?.v, ctx) });
  }
}

/**
 * Drops each neuron of a layer with probability `p` for a whole batch (the same neurons for every entry and
 * step, as the chip runs a batch with one configuration); on the chip the dropped neurons' outgoing synapses
 * are written as 0 for that batch. `training = false` passes everything.
 */
export class BatchDropout extends Module {
  training = true;
  readonly p: number;
  #mask: Float32Array | undefined;
  constructor(experiment: Experiment, size: number, p: number) {
    super(experiment, 'BatchDropout', size);
    if (!(typeof p === 'number' && p >= 0 && p < 1)) throw new SpikingParameterError(`${this.name}: the dropout probability is a number in [0, 1), got ${describeValue(p)}`, { module: this.name, parameter: 'p', value: p });
    this.p = p;
  }

  call(input: NeuronHandle): NeuronHandle {
    this.checkInput(input, 'the input');
    if (!(input instanceof NeuronHandle) || input.producer.size !== this.size) {
      throw new ModuleMisuseError(`${this.name}: takes the spikes of a layer of ${this.size} neurons`, { module: this.name, value: input.producer.name });
    }
    // A new mask per call, i.e. per batch.
    const rng = xoroshiro128plus(this.experiment.nextNoiseSeed());
    this.#mask = Float32Array.from({ length: this.size }, () => (this.training && uniformFloat64(rng) < this.p ? 0 : 1));
    const out = new NeuronHandle(this);
    this.experiment.connect(this, [input], out);
    return out;
  }

  /** The neurons kept in the last call (1) and dropped (0). */
  get mask(): Float32Array {
    return this.#mask ?? new Float32Array(this.size).fill(1);
  }

  forward(inputs: readonly Handle[], _ctx: ForwardContext, _data: undefined, out: NeuronHandle): void {
    const input = inputs[0] as NeuronHandle;
    const mask = tf.tensor1d(this.mask);
    out.spikes = tf.mul(input.spikes!, mask) as tf.Tensor3D;
    out.v = input.v;
  }
}

/** Uniform in ±1/√in (the reference's default), or normal, seeded. */
function initialWeights(module: string, inFeatures: number, outFeatures: number, options: SynapseOptions, seed: number): Float32Array {
  const n = inFeatures * outFeatures;
  if (options.weight !== undefined) {
    const w = options.weight;
    const values = w instanceof tf.Tensor ? (w.dataSync() as Float32Array) : w instanceof Float32Array ? w : Float32Array.from((w as number[][]).flat());
    if (values.length !== n || (w instanceof tf.Tensor && (w.shape[0] !== outFeatures || w.shape[1] !== inFeatures))) {
      throw new ModuleMisuseError(`${module}: the initial weight has ${values.length} values, the layer (${outFeatures}, ${inFeatures}) needs ${n}`, { module, parameter: 'weight', value: values.length });
    }
    for (const x of values) if (!Number.isFinite(x)) throw new SpikingParameterError(`${module}: initial weights must be finite, got ${describeValue(x)}`, { module, parameter: 'weight', value: x });
    return Float32Array.from(values);
  }
  const rng = xoroshiro128plus(seed);
  // In (0, 1]: the logarithm of the Box–Muller transform needs u > 0.
  const uniform = () => 1 - uniformFloat64(rng);
  const out = new Float32Array(n);
  if (options.init !== undefined) {
    const { mean, std } = options.init;
    if (!Number.isFinite(mean) || !(std >= 0)) throw new SpikingParameterError(`${module}: init is { mean, std ≥ 0 }, got ${describeValue(mean)}, ${describeValue(std)}`, { module, parameter: 'init', value: options.init });
    for (let k = 0; k < n; k++) out[k] = mean + std * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  } else {
    const bound = 1 / Math.sqrt(inFeatures);
    for (let k = 0; k < n; k++) out[k] = (2 * uniform() - 1) * bound;
  }
  return out;
}

export { hardwareValue };

/**
 * AELIF parameters on top of LIF's (hardware.md §8.1 AdEx, §11.2). Model side as the LIF model: potentials
 * (`expThreshold`, `expSlope`) and the adaptation `w` in the membrane's unit, so `adaptationB` too;
 * `adaptationA` is dimensionless (w per unit of v − leak). Chip side: potentials in CADC LSB as LIF's,
 * `adaptationB` as the membrane shift one increment holds (b / g_L, CADC LSB), `adaptationA` as a / g_L —
 * dimensionless, so a plain number means the same on both sides. `tauAdaptation_ms` in biological ms
 * (1 ms ≙ 1 µs on the chip). `exponential: false` drops the exponential term (and ignores its two parameters).
 */
export interface AELIFParameters extends LIFParameters {
  readonly expSlope: Parameter;
  readonly expThreshold: Parameter;
  readonly adaptationA: Parameter;
  readonly adaptationB: Parameter;
  readonly tauAdaptation_ms: number;
  readonly exponential: boolean;
}

/** Δ_T of every chip circuit (§8.3: 15 mV, not settable) in CADC LSB (4.5 mV): ≈ 3.33. */
export const CHIP_EXP_SLOPE_LSB = nominal.exponentialSlope_mV / (1000 * nominal.cadcLsb_V);

export interface AELIFOptions extends LIFOptions, Partial<Omit<AELIFParameters, keyof LIFParameters>> {}

/**
 * Validated AELIF parameters with defaults: no adaptation (a = b = 0), τ_w = 100 ms, the exponential on with
 * v_T 80 % of the way from leak to threshold and Δ_T the chip's fixed 15 mV, each on both sides (the model's Δ_T
 * scaled by the layer's (θ − leak) model / chip).
 */
function aelifParameters(module: string, given: Partial<AELIFParameters>, dt_ms: number): AELIFParameters {
  const { expSlope, expThreshold, adaptationA, adaptationB, tauAdaptation_ms, exponential, ...lif } = given;
  const base = lifParameters(module, lif, dt_ms);
  const [leakModel, leakChip] = [modelValue(base.leak), hardwareValue(base.leak)];
  const [spanModel, spanChip] = [modelValue(base.threshold) - leakModel, hardwareValue(base.threshold) - leakChip];
  const p: AELIFParameters = {
    ...base,
    expSlope: expSlope ?? mixed((CHIP_EXP_SLOPE_LSB * spanModel) / spanChip, CHIP_EXP_SLOPE_LSB),
    expThreshold: expThreshold ?? mixed(leakModel + 0.8 * spanModel, leakChip + 0.8 * spanChip),
    adaptationA: adaptationA ?? 0,
    adaptationB: adaptationB ?? 0,
    tauAdaptation_ms: tauAdaptation_ms ?? 100,
    exponential: exponential ?? true,
  };
  checkParameter(module, 'expSlope', p.expSlope, (x) => x > 0, 'a slope factor Δ_T > 0 (model unit / CADC LSB)');
  checkParameter(module, 'expThreshold', p.expThreshold, () => true, 'finite');
  checkParameter(module, 'adaptationA', p.adaptationA, () => true, 'finite (dimensionless, either sign)');
  checkParameter(module, 'adaptationB', p.adaptationB, () => true, 'finite (either sign)');
  if (typeof p.tauAdaptation_ms !== 'number' || !(p.tauAdaptation_ms > dt_ms) || !Number.isFinite(p.tauAdaptation_ms)) {
    const rule = `a time constant in ms above the time step dt = ${dt_ms} ms`;
    throw new SpikingParameterError(`${module}: tauAdaptation_ms = ${describeValue(p.tauAdaptation_ms)} breaks the rule: ${rule}`, { module, parameter: 'tauAdaptation_ms', value: p.tauAdaptation_ms, rule });
  }
  if (typeof p.exponential !== 'boolean') throw new SpikingParameterError(`${module}: exponential is a boolean, got ${describeValue(p.exponential)}`, { module, parameter: 'exponential', value: p.exponential, rule: 'a boolean' });
  return p;
}

/**
 * Adaptive exponential LIF neurons (AdEx; SuperSpike surrogate gradient): LIF plus the exponential term
 * Δ_T·exp((v − v_T)/Δ_T), subthreshold adaptation a and spike-triggered adaptation b with time constant
 * τ_w (`aelifScan`). On the chip a calibrated LIF neuron with its AdEx terms set nominally (`hardware.ts`).
 */
export class AELIF extends NeuronLayer {
  readonly parameters: AELIFParameters;
  readonly cadc: boolean;
  constructor(experiment: Experiment, size: number, options: AELIFOptions = {}) {
    super(experiment, 'AELIF', size);
    const { cadc, ...parameters } = options;
    this.parameters = aelifParameters(this.name, parameters, experiment.dt_ms);
    this.cadc = cadc ?? true;
  }

  forward(inputs: readonly Handle[], ctx: ForwardContext, _data: undefined, out: NeuronHandle): void {
    const p = this.parameters;
    const current = this.inputCurrent(inputs, ctx);
    const hw = ctx.hardware;
    const result = aelifScan(
      current,
      {
        ...lifOpParameters(p, this.experiment.dt_ms),
        tauAdaptation: p.tauAdaptation_ms,
        adaptationA: modelValue(p.adaptationA),
        adaptationB: modelValue(p.adaptationB),
        exponential: p.exponential,
        expSlope: modelValue(p.expSlope),
        expThreshold: modelValue(p.expThreshold),
      },
      { v: this.traced(hw?.v, ctx), z: this.traced(hw?.spikes, ctx) },
    );
    out.current = current;
    out.v = result.v;
    out.spikes = result.z;
  }
}
