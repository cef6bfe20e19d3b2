// `run` executes the recorded graph (hardware.md §11.2): on the chip (one batch of entries) unless the
// experiment is a mock, then every layer's forward pass in call order — with the chip's spikes and membranes
// injected, so forward values are the chip's and gradients flow through the model.
import { nominal } from '@bss2/lola';
import { ExperimentRunError, ModuleMisuseError, describeValue } from './errors.js';
import type { Experiment, ExperimentEdge } from './experiment.js';
import { NeuronHandle, SynapseHandle } from './handles.js';
import type { Module } from './module.js';
import { AELIF, BatchDropout, InputNeuron, LI, LIF, type LayerObservables, Synapse } from './modules.js';
import { tf } from '@bss2/tensor';

/** Wall-clock ms (the core has no Node or DOM types). */
const now = (): number => (globalThis as { performance?: { now(): number } }).performance?.now() ?? Date.now();

/** FPGA cycles per ms of biological time (1 ms ≙ 1 µs on the chip). */
const CYCLES_PER_MS = nominal.fpgaClockCyclesPerUs;
/** A run must fit the chip's 32-bit timer. */
const MAX_RUN_CYCLES = 2 ** 32;

export interface RunInfo {
  readonly steps: number;
  readonly batch: number;
  /** Host wall time of the chip part (0 in mock mode) and of the model's forward pass, ms. */
  readonly hardware_ms: number;
  readonly model_ms: number;
}

export interface GradientResult extends RunInfo {
  readonly loss: number;
  /** Gradients of the loss by variable name (e.g. `Synapse_0.weight`). */
  readonly grads: Readonly<Record<string, tf.Tensor>>;
}

/** Tensors kept on the handles of the last run, per experiment; disposed by the next run. */
const kept = new WeakMap<Experiment, tf.Tensor[]>();

/** Runs the experiment's recorded graph for `steps` time steps; fills every handle. */
export async function run(experiment: Experiment, steps: number): Promise<RunInfo> {
  const prepared = await prepare(experiment, steps);
  const t0 = now();
  tf.tidy(() => forward(experiment, prepared));
  return { steps, batch: prepared.batch, hardware_ms: prepared.hardware_ms, model_ms: now() - t0 };
}

/**
 * Runs the graph and differentiates `loss` (computed from the handles inside the callback) with respect to
 * every trainable weight; the handles stay filled for accuracy and plots.
 */
export async function runWithGradients(experiment: Experiment, steps: number, loss: () => tf.Scalar): Promise<GradientResult> {
  const prepared = await prepare(experiment, steps);
  const t0 = now();
  const { value, grads } = tf.variableGrads(() => {
    forward(experiment, prepared);
    const l = loss();
    if (!(l instanceof tf.Tensor) || l.rank !== 0) throw new ModuleMisuseError(`the loss callback must return a scalar tensor, got ${l instanceof tf.Tensor ? `shape [${l.shape.join(', ')}]` : describeValue(l)}`, { value: l });
    return l;
  });
  const lossValue = value.dataSync()[0]!;
  value.dispose();
  return { steps, batch: prepared.batch, hardware_ms: prepared.hardware_ms, model_ms: now() - t0, loss: lossValue, grads };
}

interface Prepared {
  readonly edges: ExperimentEdge[];
  readonly steps: number;
  readonly batch: number;
  readonly hardware: Map<Module, LayerObservables> | undefined;
  readonly hardware_ms: number;
}

async function prepare(experiment: Experiment, steps: number): Promise<Prepared> {
  if (experiment.closed) throw new ExperimentRunError('run(): the experiment was closed', {});
  if (!Number.isSafeInteger(steps) || steps < 1) throw new ExperimentRunError(`run(): steps is a whole number ≥ 1, got ${describeValue(steps)}`, { parameter: 'steps', value: steps });
  const cycles = steps * experiment.dt_ms * CYCLES_PER_MS;
  if (cycles >= MAX_RUN_CYCLES) {
    throw new ExperimentRunError(`run(): ${steps} steps of ${experiment.dt_ms} ms are ${cycles} FPGA cycles; a run must fit the 32-bit timer (< ${MAX_RUN_CYCLES} cycles, ≈ 34.4 s of chip time)`, { parameter: 'steps', value: steps, rule: `< 2^32 cycles` });
  }
  const edges = experiment.edges();
  if (edges.length === 0) throw new ExperimentRunError('run(): nothing to run — call the layers first (calling a layer records it)', {});
  // Every input handle must have been produced in this recording, and every input layer sized alike.
  const produced = new Set(edges.map((e) => e.output));
  let batch: number | undefined;
  for (const edge of edges) {
    for (const input of edge.inputs) {
      if (!produced.has(input)) throw new ModuleMisuseError(`${edge.module.name}: its input from '${input.producer.name}' is stale (that layer was called again since); call the layers in order for each batch`, { module: edge.module.name, value: input.producer.name });
    }
    if (edge.module instanceof InputNeuron) {
      const shape = edge.data!.shape;
      if (shape[0] !== steps) throw new ModuleMisuseError(`${edge.module.name}: the input has ${shape[0]} time steps, run() was asked for ${steps}`, { module: edge.module.name, value: shape[0] });
      if (batch !== undefined && shape[1] !== batch) throw new ModuleMisuseError(`${edge.module.name}: batch size ${shape[1]}, another input has ${batch}`, { module: edge.module.name, value: shape[1] });
      batch = shape[1];
    }
  }
  if (batch === undefined) throw new ExperimentRunError('run(): the network has no InputNeuron layer', {});
  const disposed = kept.get(experiment);
  if (disposed !== undefined) tf.dispose(disposed);
  kept.set(experiment, []);
  if (experiment.mock) return { edges, steps, batch, hardware: undefined, hardware_ms: 0 };
  const t0 = now();
  const hardware = await experiment.hardware().run(edges, steps, batch);
  return { edges, steps, batch, hardware, hardware_ms: now() - t0 };
}

function forward(experiment: Experiment, prepared: Prepared): void {
  const keep = kept.get(experiment)!;
  for (const edge of prepared.edges) {
    const m = edge.module;
    const ctx = { steps: prepared.steps, batch: prepared.batch, hardware: prepared.hardware?.get(m) };
    if (m instanceof InputNeuron) m.forward(edge.inputs, ctx, edge.data!, edge.output as NeuronHandle);
    else if (m instanceof Synapse) m.forward(edge.inputs, ctx, undefined, edge.output as SynapseHandle);
    else if (m instanceof LIF || m instanceof AELIF || m instanceof LI || m instanceof BatchDropout) m.forward(edge.inputs, ctx, undefined, edge.output as NeuronHandle);
    else throw new ModuleMisuseError(`${m.name}: no forward pass for this kind of module`, { module: m.name });
    const out = edge.output;
    for (const t of out instanceof NeuronHandle ? [out.spikes, out.v, out.current] : [out.current]) {
      if (t !== undefined && t !== edge.data) keep.push(tf.keep(t));
    }
  }
}
