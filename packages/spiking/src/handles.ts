// What flows between modules: handles that name their producer and, after `run`, hold the tensors of the
// forward pass, time-major [steps, batch, neurons] (the reference's NeuronHandle / SynapseHandle).
import type { tf } from '@bss2/tensor';
import type { Module } from './module.js';

/** The output of a neuron layer or of an InputNeuron: spikes (0/1 per time bin) and, where there is one, v. */
export class NeuronHandle {
  spikes: tf.Tensor3D | undefined;
  /** Membrane in the model's unit (the chip's CADC trace mapped into it in hardware runs). */
  v: tf.Tensor3D | undefined;
  /** Synaptic current into the layer (model unit per step). */
  current: tf.Tensor3D | undefined;
  constructor(readonly producer: Module) {}
}

/** The output of a synapse layer: the current it sends (the reference's graded spikes), [steps, batch, out]. */
export class SynapseHandle {
  current: tf.Tensor3D | undefined;
  constructor(readonly producer: Module) {}
}

export type Handle = NeuronHandle | SynapseHandle;
