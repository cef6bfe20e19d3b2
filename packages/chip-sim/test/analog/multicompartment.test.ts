// Multi-compartment coupling (hardware.md §4, §8.1): direct switches merge membranes into one node (C and g
// add); conductance connections couple nodes through g_ic (frozen-neighbour exponential Euler, see README).
import fc from 'fast-check';
import { nominal } from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import { NeuronParameters, NeuronArray, buildTopology } from '../../src/analog/index.js';
import { datasheetChip as chip, neuron, spikesOf } from './analog-helpers.js';

const E_LEAK_LSB = 400;
const E_LEAK_MV = nominal.capMemVoltage_mV(E_LEAK_LSB);

/** A passive compartment: leak g (nS) to 400 LSB, capacitance code, optional offset current and switches. */
function compartment(leak_nS: number, capacitance: number, current_lsb = 0, multicompartment = {}) {
  return neuron({
    leak: { vLeak: E_LEAK_LSB, iBias: leak_nS },
    membraneCapacitance: { capacitance },
    constantCurrent: { enable: current_lsb > 0, iOffset: current_lsb },
    multicompartment,
  });
}

describe('conductance coupling', () => {
  // A (circuit 0) reaches the somatic line through g_ic = 100 nS; the line runs to B (circuit 1), switched on it.
  const gLeak_nS = 50;
  const gCouple_nS = 100;
  const current_nA = 10;
  const coupled = (step_ns = 100) =>
    chip(
      new Map([
        [0, compartment(gLeak_nS, 18, 100, { enableConductance: true, iBiasNmda: gCouple_nS, connectSomaRight: true })],
        [1, compartment(gLeak_nS, 18, 0, { connectSoma: true })],
      ]),
      { step_ns },
    );

  it('two nodes share voltage with the steady-state ratio g_ic / (g_ic + g_L)', () => {
    const array = coupled();
    array.advanceTo(400_000);
    const dA = array.membrane_mV[0]! - E_LEAK_MV;
    const dB = array.membrane_mV[1]! - E_LEAK_MV;
    expect(dB / dA).toBeCloseTo(gCouple_nS / (gCouple_nS + gLeak_nS), 9);
    // Input resistance seen by A: g_L + g_ic·g_L / (g_ic + g_L).
    expect(dA).toBeCloseTo(current_nA / ((gLeak_nS + (gCouple_nS * gLeak_nS) / (gCouple_nS + gLeak_nS)) / 1000), 6);
  });

  it('the transient converges to the exact two-node solution as the step shrinks', () => {
    // Exact: modes of the symmetric 2×2 system with equal C, g_L: sum decays with g_L, difference with g_L + 2 g_ic.
    const C_pF = 0.1 + (2.1 * 18) / 63;
    const t_us = 2;
    const inf = current_nA / (gLeak_nS / 1000);
    const sumInf = inf; // ΔA + ΔB at rest
    const diffInf = current_nA / ((gLeak_nS + 2 * gCouple_nS) / 1000);
    const sum = sumInf * (1 - Math.exp((-t_us * gLeak_nS) / 1000 / C_pF));
    const diff = diffInf * (1 - Math.exp((-t_us * (gLeak_nS + 2 * gCouple_nS)) / 1000 / C_pF));
    const exactA = (sum + diff) / 2;
    const errors = [100, 10, 2].map((step_ns) => {
      const array = coupled(step_ns);
      array.advanceTo(t_us * 1000);
      return Math.abs(array.membrane_mV[0]! - E_LEAK_MV - exactA);
    });
    expect(errors[1]!).toBeLessThan(errors[0]!);
    expect(errors[2]!).toBeLessThan(errors[1]!);
    expect(errors[1]!).toBeLessThan(0.5); // mV, against a 50 mV transient: first order in h / τ_fast
  });

  it('a floating somatic line couples every pair through its star-mesh equivalent', () => {
    // Three circuits on one line segment run (0..2) by conductance only: nobody switches onto the line.
    const g = [100, 200, 300];
    const p = new NeuronParameters(undefined, undefined, 'datasheet');
    g.forEach((gi, i) => p.setNeuron(i, compartment(50, 18, 0, { enableConductance: true, iBiasNmda: gi, connectSomaRight: i < 2 })));
    const topo = buildTopology(p);
    const total = g.reduce((s, x) => s + x, 0);
    const coupling = (a: number, b: number): number | undefined => {
      for (let j = topo.couplingStart[a]!; j < topo.couplingStart[a + 1]!; j++) if (topo.couplingNode[j] === b) return topo.couplingConductance_nS[j];
      return undefined;
    };
    expect(coupling(0, 1)).toBeCloseTo((g[0]! * g[1]!) / total, 12);
    expect(coupling(0, 2)).toBeCloseTo((g[0]! * g[2]!) / total, 12);
    expect(coupling(2, 1)).toBeCloseTo((g[2]! * g[1]!) / total, 12);
  });

  it('switches never cross the boundary between columns 127 and 128', () => {
    const p = new NeuronParameters(undefined, undefined, 'datasheet');
    p.setNeuron(127, compartment(50, 18, 0, { connectRight: true }));
    p.setNeuron(126, compartment(50, 18, 0, { connectRight: true }));
    const topo = buildTopology(p);
    expect(topo.nodeOf[126]).toBe(topo.nodeOf[127]);
    expect(topo.nodeOf[128]).not.toBe(topo.nodeOf[127]);
  });
});

describe('direct switches', () => {
  /** A LIF circuit that fires on a constant current; capacitance / leak / current given. */
  const lif = (capacitance: number, leak_nS: number, current_lsb: number, multicompartment = {}) =>
    neuron({
      leak: { vLeak: 400, iBias: leak_nS },
      reset: { vReset: 350, iBias: 1022, enableMultiplication: true },
      threshold: { enable: true, vThreshold: 500 },
      membraneCapacitance: { capacitance },
      constantCurrent: { enable: current_lsb > 0, iOffset: current_lsb },
      refractoryPeriod: { refractoryTime: 100, resetHoldoff: 15, enablePause: true },
      eventRouting: { analogOutput: 'normal' },
      multicompartment,
    });

  it('connect_right merges two circuits into one with summed C and g', () => {
    // 0.7 pF + 0.7 pF = 1.4 pF = code 39 (0.1 pF offset of each circuit: c = c1 + c2 + 3); 70 + 70 nS = 140 nS.
    const array = chip(
      new Map([
        [10, lif(18, 70, 300, { connectRight: true })],
        [11, neuron({ leak: { vLeak: 400, iBias: 70 }, membraneCapacitance: { capacitance: 18 } })],
        [300, lif(39, 140, 300)],
      ]),
      { step_ns: 10 },
    );
    array.advanceTo(100_000);
    const merged = spikesOf(array, 10);
    const single = spikesOf(array, 300);
    expect(merged.length).toBeGreaterThan(5);
    expect(merged).toHaveLength(single.length);
    merged.forEach((t, i) => expect(t).toBeCloseTo(single[i]!, 6));
    expect(array.membrane_mV[11]).toBe(array.membrane_mV[10]);
  });

  it('connect_vertical on either row merges the two circuits of a column', () => {
    for (const row of [0, 1]) {
      const p = new NeuronParameters(undefined, undefined, 'datasheet');
      p.setNeuron(256 * row + 7, compartment(50, 18, 0, { connectVertical: true }));
      const topo = buildTopology(p);
      expect(topo.nodeOf[7]).toBe(topo.nodeOf[256 + 7]);
    }
  });

  it('closing a switch joins the membranes with charge conservation', () => {
    const p = new NeuronParameters(undefined, undefined, 'datasheet');
    p.setNeuron(0, compartment(0, 18));
    p.setNeuron(1, compartment(0, 60));
    const array = new NeuronArray(p, { step_ns: 10 });
    array.setMembrane_mV(0, 300);
    array.setMembrane_mV(1, 600);
    p.setNeuron(0, compartment(0, 18, 0, { connectRight: true }));
    array.advance();
    const c0 = 0.1 + (2.1 * 18) / 63;
    const c1 = 0.1 + (2.1 * 60) / 63;
    expect(array.membrane_mV[0]).toBeCloseTo((300 * c0 + 600 * c1) / (c0 + c1), 9);
    expect(array.membrane_mV[1]).toBe(array.membrane_mV[0]);
  });

  it('property: a merged pair traces the single circuit with summed parameters', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 400 }),
        (c1, c2, g1, g2, current) => {
          const array = chip(
            new Map([
              [20, compartment(g1, c1, current, { connectRight: true })],
              [21, compartment(g2, c2)],
              [400, compartment(g1 + g2, c1 + c2 + 3, current)],
            ]),
            { step_ns: 100 },
          );
          array.setMembrane_mV(20, 200);
          array.setMembrane_mV(400, 200);
          array.advance(50);
          expect(array.membrane_mV[20]).toBeCloseTo(array.membrane_mV[400]!, 8);
        },
      ),
      { seed: 0x6d6c, numRuns: 50 },
    );
  });
});
