// The neurons as the registers configure them (hardware.md §3.2–§3.4, §3.8, §4, §8.1): CapMem cells settle on
// their staircase, NeuronReset pulls a membrane to its reset potential, the multi-compartment switches couple
// membranes, and idle chip time costs no integration. Read back through the CADC (neuron readout switches).
import { AtomicNeuronOnDLS, CADCConfigOnDLS, CapMemRowOnCapMemBlock, ColumnCorrelationQuadOnDLS, NeuronResetQuadOnDLS } from '@bss2/halco';
import { CADCConfig, CADCSampleQuad, CapMemCell, ColumnCorrelationQuad, NeuronReset, NeuronResetQuad } from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import { type AnalogChipModel, CAPMEM_SETTLING_TAU_NS, CAPMEM_UPDATE_PERIOD_NS, SimulatedChip } from '../../src/index.js';
import { CYCLES_PER_US, Program, SETTLE_CYCLES, cadcCodeOf, cadcQuad, passiveNeuron, writeNeuron } from './program.js';

const NEURON_READOUT = new ColumnCorrelationQuad({ enableCadcNeuronReadoutCausal: [true, true, true, true] });

/** CADC on, every column's neuron on its causal channel. */
function cadcOnNeurons(p: Program): Program {
  for (const synram of [0, 1]) p.write(new CADCConfigOnDLS(synram), new CADCConfig({ enable: true }));
  for (const quad of ColumnCorrelationQuadOnDLS.all()) p.write(quad, NEURON_READOUT);
  return p;
}

/** Reads the CADC code of the membrane of `circuit` (a trigger read of its causal channel). */
function readMembrane(p: Program, circuit: number): Program {
  const neuron = new AtomicNeuronOnDLS(circuit);
  return p.read(cadcQuad(neuron.toSynramOnDLS().value, 0, neuron.toNeuronColumnOnDLS().value, 'causal', 'trigger'), CADCSampleQuad);
}

const codeOf_mV = (v_mV: number): number => Math.max(0, Math.min(255, Math.round((v_mV / 1000 - 0.06) / 0.0045)));
const capMem_mV = (lsb: number): number => (1200 * lsb) / 1022;
const ideal = (seed = 1): SimulatedChip => new SimulatedChip({ seed, analog: { idealChip: true, voltageTransfer: 'datasheet' } });

describe('configuration through the registers', () => {
  it('CapMem cells approach their value exponentially (τ = 2 ms, whole LSB on a 1 ms grid) and are exact after the 20 ms wait', () => {
    const c = ideal();
    const p = cadcOnNeurons(new Program(c));
    const target = 800;
    // The leak potential cell alone: the leak conductance (1000 nS) is settled first, so V follows v_leak at once.
    const settledLeak = passiveNeuron(0);
    writeNeuron(p, 3, settledLeak);
    const cell = new AtomicNeuronOnDLS(3).toCapMemCellOnDLS(CapMemRowOnCapMemBlock.vLeak);
    const write = p.aligned(SETTLE_CYCLES, 1);
    p.at(write - 1).write(cell, new CapMemCell({ value: target }));
    const reads = [0.5, 1.5, 2.5, 4.5, 8.5, 15.5, 16.5, 20.5].map((ms) => write + Math.round(ms * 1000 * CYCLES_PER_US));
    for (const at of reads) readMembrane(p.at(at), 3);
    const result = p.run(c);
    const written_ns = 8 * (result.timerOrigin + write);
    const codes = result.data.map((w) => cadcCodeOf(w, 3));
    reads.forEach((at, k) => {
      const read_ns = 8 * (result.timerOrigin + at);
      // The last grid update not after the read, and the cell's staircase value there.
      const update = Math.floor(read_ns / CAPMEM_UPDATE_PERIOD_NS) * CAPMEM_UPDATE_PERIOD_NS;
      const level = update <= written_ns ? 0 : target * (1 - Math.exp(-(update - written_ns) / CAPMEM_SETTLING_TAU_NS));
      const applied = Math.abs(level - target) < 0.5 ? target : Math.round(level);
      expect(codes[k], `read ${k}`).toBe(codeOf_mV(capMem_mV(applied)));
    });
    expect(codes[0]).toBe(codeOf_mV(0));
    expect(codes.at(-1)).toBe(codeOf_mV(capMem_mV(target)));
  });

  it('idle time costs no integration: a pristine chip builds no analog state, resting circuits are skipped', () => {
    const pristine = ideal();
    const p = new Program(pristine);
    p.at(125_000_000).run(pristine); // 1 s of chip time
    expect((pristine.model as AnalogChipModel).statistics).toEqual({ steps: 0, relaxationSteps: 0, skipped_ns: 0 });

    const c = ideal();
    const q = new Program(c);
    for (let n = 0; n < 512; n++) writeNeuron(q, n, passiveNeuron(200 + n, { leak: { iBias: 50 } }));
    q.at(125_000_000).run(c);
    const stats = (c.model as AnalogChipModel).statistics;
    // 1 s at 100 ns would be 10⁷ steps; settling and relaxing take a few thousand.
    expect(stats.steps + stats.relaxationSteps).toBeLessThan(10_000);
    expect(stats.skipped_ns).toBeGreaterThan(0.95e9);
  });

  it('NeuronReset pulls the membrane to its reset potential; NeuronResetQuad the four neurons of its quad', () => {
    const c = ideal();
    const p = cadcOnNeurons(new Program(c));
    // g_L = 100 nS ÷ 8: τ_m = 2.2 pF / 12.5 nS = 176 µs, slow against the reads right after the reset.
    const neuron = (vLeak: number) => passiveNeuron(vLeak, { leak: { iBias: 100, enableDivision: true }, reset: { vReset: 200, iBias: 500 } });
    const quad = new NeuronResetQuadOnDLS(5);
    const quadCircuits = quad.toAtomicNeuronOnDLS().map((n) => n.value);
    for (const n of [40, ...quadCircuits]) writeNeuron(p, n, neuron(700));
    p.at(SETTLE_CYCLES);
    readMembrane(p, 40);
    const reset = p.aligned(SETTLE_CYCLES + 100, 25);
    p.at(reset - 1).write(new AtomicNeuronOnDLS(40).toNeuronResetOnDLS(), new NeuronReset());
    p.write(quad, new NeuronResetQuad());
    p.at(reset + 25);
    readMembrane(p, 40);
    for (const n of quadCircuits) readMembrane(p, n);
    const codes = p.run(c).data.map((w, k) => cadcCodeOf(w, new AtomicNeuronOnDLS([40, 40, ...quadCircuits][k]!).toNeuronColumnOnDLS().value));
    expect(codes[0]).toBe(codeOf_mV(capMem_mV(700)));
    // Within a few hundred ns of the reset the membrane has moved < 0.2 % of the way back.
    for (const code of codes.slice(1)) expect(Math.abs(code - codeOf_mV(capMem_mV(200)))).toBeLessThanOrEqual(2);
  });

  it('multi-compartment switches: connect_right merges two membranes, a conductance couples them by g_ic / (g_ic + g_L)', () => {
    const c = ideal();
    const p = cadcOnNeurons(new Program(c));
    const E = 300;
    const gL = 100; // nS
    const I = 20; // nA: 200 mV on one circuit alone
    const compartment = (init: Parameters<typeof passiveNeuron>[1] = {}) =>
      passiveNeuron(E, { ...init, leak: { iBias: gL }, membraneCapacitance: { capacitance: 18 } });
    const driven = { constantCurrent: { enable: true, iOffset: 10 * I } };
    // Alone: 10 carries the current, 11 rests. Merged: 20 + 21 through connect_right share it.
    writeNeuron(p, 10, compartment(driven));
    writeNeuron(p, 11, compartment());
    writeNeuron(p, 20, compartment({ ...driven, multicompartment: { connectRight: true } }));
    writeNeuron(p, 21, compartment());
    // Coupled: 30 reaches the somatic line through g_ic = 100 nS, the line runs to 31, switched on it.
    const gIc = 100;
    writeNeuron(p, 30, compartment({ ...driven, multicompartment: { enableConductance: true, iBiasNmda: gIc, connectSomaRight: true } }));
    writeNeuron(p, 31, compartment({ multicompartment: { connectSoma: true } }));
    p.at(SETTLE_CYCLES);
    for (const n of [10, 11, 20, 21, 30, 31]) readMembrane(p, n);
    const [alone, rest, mergedA, mergedB, coupledA, coupledB] = p.run(c).data.map((w, k) => cadcCodeOf(w, [10, 11, 20, 21, 30, 31][k]!));
    const e_mV = capMem_mV(E);
    expect(alone).toBe(codeOf_mV(e_mV + (1000 * I) / gL));
    expect(rest).toBe(codeOf_mV(e_mV));
    expect(mergedA).toBe(codeOf_mV(e_mV + (1000 * I) / (2 * gL)));
    expect(mergedB).toBe(mergedA);
    // Steady state of two nodes: ΔA = I (g_ic + g_L) / (g_L (2 g_ic + g_L)), ΔB = ΔA · g_ic / (g_ic + g_L).
    const dA = (1000 * I * (gIc + gL)) / (gL * (2 * gIc + gL));
    expect(Math.abs(coupledA! - codeOf_mV(e_mV + dA))).toBeLessThanOrEqual(1);
    expect(Math.abs(coupledB! - codeOf_mV(e_mV + (dA * gIc) / (gIc + gL)))).toBeLessThanOrEqual(1);
  });

  it('the do-not-refresh code keeps the charge a CapMem cell holds; a later value settles again', () => {
    const c = ideal();
    const p = cadcOnNeurons(new Program(c));
    writeNeuron(p, 50, passiveNeuron(600));
    const vLeak = new AtomicNeuronOnDLS(50).toCapMemCellOnDLS(CapMemRowOnCapMemBlock.vLeak);
    p.at(SETTLE_CYCLES);
    p.write(vLeak, new CapMemCell({ value: CapMemCell.disableRefresh }));
    p.at(2 * SETTLE_CYCLES);
    readMembrane(p, 50);
    p.write(vLeak, new CapMemCell({ value: 100 }));
    p.at(3 * SETTLE_CYCLES);
    readMembrane(p, 50);
    const [frozen, moved] = p.run(c).data.map((w) => cadcCodeOf(w, 50));
    expect(frozen).toBe(codeOf_mV(capMem_mV(600)));
    expect(moved).toBe(codeOf_mV(capMem_mV(100)));
  });
});
