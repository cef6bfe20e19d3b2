import type { NeuronParameters } from './neuron-parameters.js';
import { type CompartmentTopology, buildTopology } from './topology.js';
import { NEURON_COUNT } from './variation.js';

// Everything the stepping loop needs that only changes with the configuration: the node structure, each
// node's summed membrane parameters, and the exact one-step propagators of the linear dynamics (Rotter &
// Diesmann 1999). Units inside the engine: mV, nA, µS (= nA/mV), pF, µs; a rate λ = G/C is in 1/µs.

/**
 * `(1 − e^{−a·t}) / a`, the integral of e^{−a·s} over [0, t]; `t` at a = 0, well-conditioned for small a·t
 * and valid for negative a (growing modes, e.g. the linearised exponential term).
 */
export function phi(a: number, t: number): number {
  return a === 0 ? t : -Math.expm1(-a * t) / a;
}

const f64 = (): Float64Array => new Float64Array(NEURON_COUNT);
const u8 = (): Uint8Array => new Uint8Array(NEURON_COUNT);

/**
 * Derived per-node and per-circuit constants. Node quantities are stored at the node's representative circuit
 * (its lowest index), so a single-circuit node uses the same index everywhere.
 */
export class NodeModel {
  readonly topology: CompartmentTopology;
  readonly step_us: number;

  // Per node (at its representative)
  readonly capacitance_pF = f64();
  /** Leak plus the sum of the node's inter-compartment conductances (the coupling enters frozen, see README). */
  readonly conductance_uS = f64();
  /** Constant drive in the free phase: Σ g_L·E_L + I_const + CUBA offset currents g_m·o_shift. */
  readonly drive_nA = f64();
  /** CUBA offset currents alone (they flow during reset unless enable_pause). */
  readonly shiftDrive_nA = f64();
  /** The circuit whose comparator, reset and backend act for the node: see `controlCircuit`. */
  readonly control = new Int32Array(NEURON_COUNT);
  /** Threshold of the control circuit, Infinity when it cannot fire. */
  readonly threshold_mV = f64();
  readonly resetConductance_uS = f64();
  readonly resetPotential_mV = f64();
  /** 1 when synaptic input and exponential term are switched off during reset (enable_pause). */
  readonly pause = u8();
  /** Linear node: no exponential term, no adaptation, no COBA input; eligible for the precomputed propagator. */
  readonly linear = u8();
  readonly single = u8();
  /** Ordinals of the nodes with conductance couplings. */
  readonly coupledNodes: Int32Array;
  /** Representatives of the single-circuit linear nodes (the fast path), ascending. */
  fastNodes!: Int32Array;
  /** Ordinals of the other nodes (merged or nonlinear: always the general path). */
  generalNodes!: Int32Array;

  // One full step, free phase (also the refractory phase after reset) and reset phase
  readonly membraneDecay = f64();
  readonly membraneDrive_mV = f64();
  readonly couplingGain_mVperNA = f64();
  readonly resetMembraneDecay = f64();
  readonly resetMembraneDrive_mV = f64();
  /** σ·sqrt(1 − P²): the exact per-step increment of an Ornstein–Uhlenbeck membrane noise of std σ. */
  readonly noiseAmplitude_mV = f64();

  // Per circuit
  /** g_m if the input is enabled, else 0 (a disabled input carries no current). */
  readonly gmExc = f64();
  readonly gmInh = f64();
  readonly cobaExc = u8();
  readonly cobaInh = u8();
  readonly rateExc = f64();
  readonly rateInh = f64();
  readonly rateAdaptation = f64();
  readonly decayExc = f64();
  readonly decayInh = f64();
  readonly decayAdaptation = f64();
  /** Voltage change over one step per nA of x at the step start (signed: inhibition negative). */
  readonly kernelExc = f64();
  readonly kernelInh = f64();
  readonly resetKernelExc = f64();
  readonly resetKernelInh = f64();

  private readonly membraneNoise_mV: number;

  constructor(p: NeuronParameters, step_us: number, membraneNoise_mV: number) {
    this.step_us = step_us;
    this.membraneNoise_mV = membraneNoise_mV;
    const topo = buildTopology(p);
    this.topology = topo;
    for (let c = 0; c < NEURON_COUNT; c++) this.computeCircuit(p, c);
    const coupled: number[] = [];
    for (let k = 0; k < topo.nodeCount; k++) {
      this.computeNode(p, k);
      if (topo.couplingStart[k + 1]! > topo.couplingStart[k]!) coupled.push(k);
    }
    this.coupledNodes = Int32Array.from(coupled);
    this.classify();
  }

  /**
   * Recomputes what depends on the given circuits (their own constants and their nodes'), for a configuration
   * change that leaves the compartment topology as it is. Returns the representatives of the nodes touched.
   */
  update(p: NeuronParameters, circuits: Iterable<number>): number[] {
    const topo = this.topology;
    const nodes = new Set<number>();
    for (const c of circuits) {
      this.computeCircuit(p, c);
      nodes.add(topo.nodeOf[c]!);
    }
    const reps: number[] = [];
    for (const k of nodes) {
      this.computeNode(p, k);
      reps.push(topo.nodeRep[k]!);
    }
    this.classify();
    return reps;
  }

  private computeCircuit(p: NeuronParameters, c: number): void {
    const h = this.step_us;
    this.gmExc[c] = p.synapticInputEnabledExc[c] ? p.gmExc[c]! : 0;
    this.gmInh[c] = p.synapticInputEnabledInh[c] ? p.gmInh[c]! : 0;
    this.cobaExc[c] = p.cobaExc[c]! & (this.gmExc[c] !== 0 ? 1 : 0);
    this.cobaInh[c] = p.cobaInh[c]! & (this.gmInh[c] !== 0 ? 1 : 0);
    this.rateExc[c] = 1 / p.tauSynExc_us[c]!;
    this.rateInh[c] = 1 / p.tauSynInh_us[c]!;
    this.rateAdaptation[c] = 1 / p.tauAdaptation_us[c]!;
    this.decayExc[c] = Math.exp(-h * this.rateExc[c]!);
    this.decayInh[c] = Math.exp(-h * this.rateInh[c]!);
    this.decayAdaptation[c] = Math.exp(-h * this.rateAdaptation[c]!);
  }

  private computeNode(p: NeuronParameters, k: number): void {
    const topo = this.topology;
    const h = this.step_us;
    const rep = topo.nodeRep[k]!;
    const m0 = topo.memberStart[k]!;
    const m1 = topo.memberStart[k + 1]!;
    let capacitance = 0;
    let conductance = 0;
    let drive = 0;
    let shift = 0;
    let linear = 1;
    for (let j = m0; j < m1; j++) {
      const c = topo.members[j]!;
      capacitance += p.capacitance_pF[c]!;
      const gLeak = p.leakConductance_nS[c]! / 1000;
      conductance += gLeak;
      drive += gLeak * p.leakPotential_mV[c]! + p.constantCurrent_nA[c]!;
      if (!this.cobaExc[c]) shift += this.gmExc[c]! * p.shiftExc_nA[c]!;
      if (!this.cobaInh[c]) shift -= this.gmInh[c]! * p.shiftInh_nA[c]!;
      if (p.exponentialEnabled[c] || p.adaptationEnabled[c] || this.cobaExc[c] || this.cobaInh[c]) linear = 0;
    }
    for (let j = topo.couplingStart[k]!; j < topo.couplingStart[k + 1]!; j++) conductance += topo.couplingConductance_nS[j]! / 1000;

    const control = controlCircuit(p, topo, k);
    this.capacitance_pF[rep] = capacitance;
    this.conductance_uS[rep] = conductance;
    this.drive_nA[rep] = drive + shift;
    this.shiftDrive_nA[rep] = shift;
    this.control[rep] = control;
    this.threshold_mV[rep] = p.fireEnabled[control] ? p.thresholdPotential_mV[control]! : Infinity;
    this.resetConductance_uS[rep] = p.resetConductance_nS[control]! / 1000;
    this.resetPotential_mV[rep] = p.resetPotential_mV[control]!;
    this.pause[rep] = p.enablePause[control]!;
    this.linear[rep] = linear;
    this.single[rep] = m1 - m0 === 1 ? 1 : 0;

    const rate = conductance / capacitance;
    this.membraneDecay[rep] = Math.exp(-rate * h);
    this.membraneDrive_mV[rep] = (phi(rate, h) * (drive + shift)) / capacitance;
    this.couplingGain_mVperNA[rep] = phi(rate, h) / capacitance;
    this.noiseAmplitude_mV[rep] = this.membraneNoise_mV * Math.sqrt(Math.max(0, 1 - this.membraneDecay[rep]! ** 2));
    const resetG = this.resetConductance_uS[rep]!;
    const resetRate = resetG / capacitance;
    const synDuringReset = this.pause[rep] ? 0 : 1;
    this.resetMembraneDecay[rep] = Math.exp(-resetRate * h);
    this.resetMembraneDrive_mV[rep] = (phi(resetRate, h) * (resetG * this.resetPotential_mV[rep]! + synDuringReset * shift)) / capacitance;
    for (let j = m0; j < m1; j++) {
      const c = topo.members[j]!;
      // Exact response of V to an exponentially decaying current x·e^{−r t} (Rotter & Diesmann 1999).
      const exc = this.cobaExc[c] ? 0 : this.gmExc[c]! / capacitance;
      const inh = this.cobaInh[c] ? 0 : -this.gmInh[c]! / capacitance;
      this.kernelExc[c] = exc * this.decayExc[c]! * phi(rate - this.rateExc[c]!, h);
      this.kernelInh[c] = inh * this.decayInh[c]! * phi(rate - this.rateInh[c]!, h);
      this.resetKernelExc[c] = synDuringReset * exc * this.decayExc[c]! * phi(resetRate - this.rateExc[c]!, h);
      this.resetKernelInh[c] = synDuringReset * inh * this.decayInh[c]! * phi(resetRate - this.rateInh[c]!, h);
    }
  }

  /** Single-circuit linear nodes take the fast path (by representative, ascending); the others the general. */
  private classify(): void {
    const topo = this.topology;
    const fast: number[] = [];
    const general: number[] = [];
    for (let k = 0; k < topo.nodeCount; k++) {
      const rep = topo.nodeRep[k]!;
      if (this.linear[rep] && this.single[rep]) fast.push(rep);
      else general.push(k);
    }
    this.fastNodes = Int32Array.from(fast);
    this.generalNodes = Int32Array.from(general);
  }
}

/**
 * The circuit that fires for a node (Choice for merged membranes): the member with a routed comparator and the
 * lowest threshold — the first to trip; else the first member with a bypass; else the representative. Its
 * reset conductance/potential, enable_pause and backend timing govern the node's reset and refractory period.
 */
function controlCircuit(p: NeuronParameters, topo: CompartmentTopology, k: number): number {
  let best = -1;
  let bypass = -1;
  for (let j = topo.memberStart[k]!; j < topo.memberStart[k + 1]!; j++) {
    const c = topo.members[j]!;
    if (p.fireEnabled[c] && (best < 0 || p.thresholdPotential_mV[c]! < p.thresholdPotential_mV[best]!)) best = c;
    if (bypass < 0 && (p.bypassExc[c] || p.bypassInh[c])) bypass = c;
  }
  if (best >= 0) return best;
  return bypass >= 0 ? bypass : topo.nodeRep[k]!;
}
