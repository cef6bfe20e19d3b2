// An experiment's recorded network as a NIR graph (hardware.md §11.3; the reference's hxtorch `to_nir.py`):
// InputNeuron → Input, Synapse → Linear, LIF → CubaLIF, LI → CubaLI, an Output after every layer nothing consumes.
import type { Experiment } from '../experiment.js';
import type { Module } from '../module.js';
import { BatchDropout, InputNeuron, LI, LIF, Synapse } from '../modules.js';
import { nirArray } from '../nir/array.js';
import type { NIRGraph, NIRNode } from '../nir/graph.js';
import { checkGraph } from '../nir/validate.js';
import { hardwareValue, modelValue } from '../parameters.js';
import { filled, metadataKeys, msToSeconds, outputNames, scalar } from './conventions.js';
import { NIRConversionError } from './errors.js';

/**
 * The graph of the layers' last calls (call them once, as for `run`): nodes named after the layers
 * (`InputNeuron_0`, `Synapse_0`, `LIF_0`, …), edges in call order.
 *
 * - Time constants in seconds (τ_ms / 1000); potentials in the model's unit; `r` = 1 and `w_in` = 1, so a
 *   spike through weight w raises the synaptic current by w, as in the model.
 * - Linear weights are the model's (out, in) float32 weights, masked for a SparseSynapse (the mask itself is
 *   not kept: zeros import as zero weights), unquantised.
 * - BatchDropout is inference's identity: its consumers are connected to its source.
 * - What CubaLIF/CubaLI have no field for goes into node metadata (`metadataKeys`): the refractory period,
 *   the SuperSpike α and the chip-side values of the mixed parameters, so fromNIR rebuilds the same layers.
 */
export function toNIR(experiment: Experiment): NIRGraph {
  const edges = experiment.edges();
  if (edges.length === 0) {
    throw new NIRConversionError('toNIR: the experiment has no recorded calls; call the layers once (as for run) so that their connections are known', {});
  }
  const sourceOfDropout = new Map<Module, Module>();
  const resolve = (m: Module): Module => sourceOfDropout.get(m) ?? m;
  const consumed = new Set<Module>();
  const nodes: Record<string, NIRNode> = {};
  const nirEdges: [string, string][] = [];
  for (const { module, inputs } of edges) {
    for (const input of inputs) consumed.add(input.producer);
    if (module instanceof BatchDropout) {
      sourceOfDropout.set(module, resolve(inputs[0]!.producer));
      continue;
    }
    nodes[module.name] = nodeOf(module);
    for (const input of inputs) nirEdges.push([resolve(input.producer).name, module.name]);
  }
  const sinks = [...new Set(edges.filter((e) => !consumed.has(e.module)).map((e) => resolve(e.module)))];
  for (const [sink, name] of outputNames(sinks.map((m) => m.name), new Set(Object.keys(nodes)))) {
    nodes[name] = { type: 'Output', shape: [experiment.modules.find((m) => m.name === sink)!.size] };
    nirEdges.push([sink, name]);
  }
  const graph: NIRGraph = { nodes, edges: nirEdges };
  checkGraph('/node', graph);
  return graph;
}

function nodeOf(m: Module): NIRNode {
  if (m instanceof InputNeuron) return { type: 'Input', shape: [m.size] };
  if (m instanceof Synapse) {
    const weight = m.weight.dataSync() as Float32Array;
    const masked = weight.map((w, k) => (m.mask[k] === 0 ? 0 : w));
    return { type: 'Linear', weight: nirArray([m.size, m.inFeatures], masked, 'float32') };
  }
  if (m instanceof LIF) {
    const p = m.parameters;
    return {
      type: 'CubaLIF',
      tau_syn: filled(m.size, msToSeconds(p.tauSyn_ms)),
      tau_mem: filled(m.size, msToSeconds(p.tauMem_ms)),
      r: filled(m.size, 1),
      v_leak: filled(m.size, modelValue(p.leak)),
      v_threshold: filled(m.size, modelValue(p.threshold)),
      v_reset: filled(m.size, modelValue(p.reset)),
      w_in: filled(m.size, 1),
      metadata: {
        [metadataKeys.refractoryPeriod]: scalar(msToSeconds(p.refractory_ms)),
        [metadataKeys.superSpikeAlpha]: scalar(p.alpha),
        [metadataKeys.chipLeak]: scalar(hardwareValue(p.leak)),
        [metadataKeys.chipReset]: scalar(hardwareValue(p.reset)),
        [metadataKeys.chipThreshold]: scalar(hardwareValue(p.threshold)),
      },
    };
  }
  if (m instanceof LI) {
    const p = m.parameters;
    return {
      type: 'CubaLI',
      tau_syn: filled(m.size, msToSeconds(p.tauSyn_ms)),
      tau_mem: filled(m.size, msToSeconds(p.tauMem_ms)),
      r: filled(m.size, 1),
      v_leak: filled(m.size, modelValue(p.leak)),
      w_in: filled(m.size, 1),
      metadata: {
        [metadataKeys.threshold]: scalar(modelValue(p.threshold)),
        [metadataKeys.chipLeak]: scalar(hardwareValue(p.leak)),
        [metadataKeys.chipThreshold]: scalar(hardwareValue(p.threshold)),
      },
    };
  }
  throw new NIRConversionError(`toNIR: ${m.name} (${m.constructor.name}) has no NIR node; NIR export covers InputNeuron, Synapse, SparseSynapse, LIF, LI and BatchDropout`, { module: m.name });
}
