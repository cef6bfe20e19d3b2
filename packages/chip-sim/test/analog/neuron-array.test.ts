// The neuron engine: exact linear integration, events at their exact time, threshold, reset and refractory
// period (§8.1) with enable_pause, bypass, leaky and pure integrators, COBA, configuration changes.
import fc from 'fast-check';
import { nominal } from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import { NeuronArray, NeuronParameters, NeuronPhase, Receptor } from '../../src/analog/index.js';
import { createWasmEngine } from '../../src/analog/wasm-engine.js';
import { datasheetChip as chip, neuron, spikesOf } from './analog-helpers.js';

const C_PF = 0.1 + (2.1 * 18) / 63; // capacitance code 18 = 0.7 pF

/** A LIF circuit firing on a constant current (refractory 100 cycles, hold-off 15: reset 99 cycles). */
const lif = (overrides: Parameters<typeof neuron>[0] = {}) =>
  neuron({
    leak: { vLeak: 400, iBias: 70 },
    reset: { vReset: 350, iBias: 1022, enableMultiplication: true },
    threshold: { enable: true, vThreshold: 480 },
    membraneCapacitance: { capacitance: 18 },
    excitatoryInput: { enable: true, iBiasTau: 60, iBiasGm: 500, iShiftReference: 500 },
    inhibitoryInput: { enable: true, iBiasTau: 60, iBiasGm: 500, iShiftReference: 500 },
    constantCurrent: { enable: true, iOffset: 300 },
    refractoryPeriod: { refractoryTime: 100, resetHoldoff: 15, enablePause: true },
    eventRouting: { analogOutput: 'normal' },
    ...overrides,
  });

describe('NeuronArray', () => {
  it('takes a step that is a positive multiple of 2 ns', () => {
    const p = new NeuronParameters(undefined, undefined, 'datasheet');
    for (const step_ns of [0, -2, 3, 8.5, NaN]) expect(() => new NeuronArray(p, { step_ns })).toThrow(/multiple of 2 ns/);
    for (const step_ns of [2, 8, 10, 100]) expect(new NeuronArray(p, { step_ns }).step_ns).toBe(step_ns);
  });

  it('refuses an unknown engine and an engine instance made for another step, naming them', () => {
    const p = new NeuronParameters(undefined, undefined, 'datasheet');
    expect(() => new NeuronArray(p, { step_ns: 100, engine: 'gpu' as 'wasm' })).toThrow(/engine.*gpu.*'auto', 'wasm' or 'typescript'/);
    expect(new NeuronArray(p, { step_ns: 100, engine: 'typescript' }).engine).toBe('typescript');
    const made = createWasmEngine({ kernelSize: 6, fanOut: false });
    if (made !== undefined) expect(() => new NeuronArray(p, { step_ns: 100, wasmEngine: made })).toThrow(/wasmEngine.*6.*kernel size 51/);
  });

  it('leak off: a pure integrator, V = V0 + I·t / C exactly, until the supply rail', () => {
    const integrator = (iOffset: number) => neuron({ membraneCapacitance: { capacitance: 18 }, constantCurrent: { enable: true, iOffset } });
    const array = chip(new Map([[3, integrator(10)], [4, integrator(500)]]), { step_ns: 10 });
    array.setMembrane_mV(3, 100);
    array.advanceTo(5000);
    expect(array.membrane_mV[3]).toBeCloseTo(100 + (1 * 5) / C_PF, 9); // 1 nA for 5 µs on 0.7 pF
    array.advanceTo(20_000);
    expect(array.membrane_mV[4]).toBe(1200); // 50 nA: 71 mV/µs
  });

  it('threshold off: a leaky integrator on the exact exponential', () => {
    const array = chip(new Map([[9, lif({ threshold: { enable: false, vThreshold: 480 } })]]), { step_ns: 100 });
    const e = nominal.capMemVoltage_mV(400);
    const vInf = e + 30 / 0.07; // 30 nA on 70 nS
    array.advanceTo(7300);
    expect(array.membrane_mV[9]).toBeCloseTo(vInf + (e - vInf) * Math.exp(-7.3 / 10), 9);
    expect(array.spikeCount).toBe(0);
  });

  it('analog output off: the comparator fires nothing', () => {
    const array = chip(new Map([[9, lif({ eventRouting: { analogOutput: 'off' } })]]), { step_ns: 100 });
    array.advanceTo(50_000);
    expect(array.spikeCount).toBe(0);
  });

  it('reset and refractory phases follow the backend clock (input clock, scale, hold-off)', () => {
    const p = new NeuronParameters(undefined, undefined, 'datasheet');
    p.setNeuron(200, lif({ refractoryPeriod: { refractoryTime: 100, resetHoldoff: 4, inputClock: 1, enablePause: true } }));
    p.setBackendClocks(1, { enClocks: true, clockScaleSlow: 0, clockScaleFast: 2 }); // fast clock: 32 ns
    const array = new NeuronArray(p, { step_ns: 2 });
    array.advanceTo(40_000);
    const [spike] = spikesOf(array, 200);
    expect(spike).toBeDefined();
    const resetEnd = spike! + (100 - (31 - 8)) * 32;
    const refractoryEnd = spike! + 100 * 32;
    const phaseAt = (t: number): number => {
      const a = new NeuronArray(p, { step_ns: 2 });
      a.advanceTo(t);
      return a.phaseOf(200);
    };
    expect(phaseAt(Math.ceil(spike!) + 2)).toBe(NeuronPhase.reset);
    expect(phaseAt(Math.floor(resetEnd) - 2)).toBe(NeuronPhase.reset);
    expect(phaseAt(Math.ceil(resetEnd) + 2)).toBe(NeuronPhase.refractory);
    expect(phaseAt(Math.floor(refractoryEnd) - 2)).toBe(NeuronPhase.refractory);
    expect(phaseAt(Math.ceil(refractoryEnd) + 2)).toBe(NeuronPhase.free);
  });

  it('the refractory counter counts from 0xFF − refractory_time up to 0xFF', () => {
    const array = chip(new Map([[5, lif()]]), { step_ns: 2 });
    while (array.spikeCount === 0) array.advance();
    expect(array.refractoryCounter(5)).toBe(0xff - 100);
    array.advance(200); // 400 ns = 50 cycles of 8 ns
    expect(array.refractoryCounter(5)).toBe(0xff - 50);
    array.advance(400);
    expect(array.refractoryCounter(5)).toBe(0xff);
  });

  it('stopped backend clocks hold a fired circuit in reset', () => {
    const p = new NeuronParameters(undefined, undefined, 'datasheet');
    p.setNeuron(5, lif());
    p.setBackendClocks(0, { enClocks: false, clockScaleSlow: 0, clockScaleFast: 0 });
    const array = new NeuronArray(p, { step_ns: 100 });
    array.advanceTo(100_000);
    expect(array.spikeCount).toBe(1);
    expect(array.phaseOf(5)).toBe(NeuronPhase.reset);
    expect(array.membrane_mV[5]).toBeCloseTo(nominal.capMemVoltage_mV(350), 6);
  });

  it('enable_pause keeps synaptic input off the membrane during reset', () => {
    const run = (enablePause: boolean): number => {
      const array = chip(new Map([[7, lif({ refractoryPeriod: { refractoryTime: 100, resetHoldoff: 15, enablePause } })]]), { step_ns: 10 });
      while (array.spikeCount === 0) array.advance();
      array.injectSynapticInput(7, Receptor.excitatory, 1, array.time_ns + 100);
      array.advanceTo(array.time_ns + 740); // still in reset (99 cycles = 792 ns), ≥ 8.6 τ_reset (86 ns) after the spike
      expect(array.phaseOf(7)).toBe(NeuronPhase.reset);
      return array.membrane_mV[7]! - nominal.capMemVoltage_mV(350);
    };
    expect(Math.abs(run(true))).toBeLessThan(0.05);
    expect(run(false)).toBeGreaterThan(1); // 100 nA against the 8176 nS reset conductance
  });

  it('bypass relays each event as a spike at its exact time, unless refractory', () => {
    const array = chip(new Map([[40, lif({ eventRouting: { analogOutput: 'normal', enableBypassExcitatory: true }, constantCurrent: { enable: false } })]]), { step_ns: 100 });
    array.injectSynapticInput(40, Receptor.excitatory, 0.1, 1234.5);
    array.injectSynapticInput(40, Receptor.excitatory, 0.1, 1500); // inside the 800 ns refractory period
    array.injectSynapticInput(40, Receptor.excitatory, 0.1, 3000.25);
    array.injectSynapticInput(40, Receptor.inhibitory, 1, 5000); // not bypassed
    array.advanceTo(10_000);
    expect(spikesOf(array, 40)).toEqual([1234.5, 3000.25]);
  });

  it('disabled synaptic input ignores events; a zero τ bias holds the integrator', () => {
    const array = chip(
      new Map([
        [1, lif({ excitatoryInput: { enable: false, iBiasTau: 60, iBiasGm: 500 }, constantCurrent: { enable: false } })],
        [2, lif({ excitatoryInput: { enable: true, iBiasTau: 0, iBiasGm: 0 }, constantCurrent: { enable: false } })],
      ]),
      { step_ns: 100 },
    );
    array.injectSynapticInput(1, Receptor.excitatory, 1, 0);
    array.injectSynapticInput(2, Receptor.excitatory, 1, 0);
    array.advanceTo(10_000);
    expect(array.synapticExc_nA[1]).toBe(0);
    expect(array.membrane_mV[1]).toBeCloseTo(nominal.capMemVoltage_mV(400), 9);
    expect(array.synapticExc_nA[2]).toBe(100);
  });

  it('events arrive at their exact time: the same trajectory at every step size', () => {
    const event = fc.record({
      circuit: fc.constantFrom(0, 129, 300),
      receptor: fc.constantFrom(Receptor.excitatory, Receptor.inhibitory),
      amount: fc.double({ min: 0, max: 1, noNaN: true }),
      time_ns: fc.double({ min: 0, max: 20_000, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 12 }), fc.integer({ min: 0, max: 200 }), (events, current) => {
        const run = (step_ns: number) => {
          const n = lif({ constantCurrent: { enable: true, iOffset: current }, threshold: { enable: true, vThreshold: 700 } });
          const array = chip(new Map([0, 129, 300].map((c) => [c, n])), { step_ns });
          for (const e of events) array.injectSynapticInput(e.circuit, e.receptor, e.amount, e.time_ns);
          array.advanceTo(20_000);
          return { v: Array.from([0, 129, 300], (c) => array.membrane_mV[c]!), spikes: Array.from(array.spikeTime_ns.subarray(0, array.spikeCount)) };
        };
        const fine = run(10);
        const coarse = run(100);
        coarse.v.forEach((v, i) => expect(v).toBeCloseTo(fine.v[i]!, 7));
        expect(coarse.spikes).toHaveLength(fine.spikes.length);
        coarse.spikes.forEach((t, i) => expect(t).toBeCloseTo(fine.spikes[i]!, 4));
      }),
      { seed: 0xe7e, numRuns: 25 },
    );
  });

  it('events injected out of order are applied in time order; late events act now', () => {
    const run = (times: number[]) => {
      const array = chip(new Map([[0, lif({ constantCurrent: { enable: false } })]]), { step_ns: 100 });
      array.advanceTo(1000);
      for (const t of times) array.injectSynapticInput(0, Receptor.excitatory, 0.3, t);
      array.advanceTo(10_000);
      return array.membrane_mV[0];
    };
    expect(run([5000, 2000, 3500, 2500])).toBe(run([2000, 2500, 3500, 5000]));
    expect(run([0, 2000])).toBe(run([1000, 2000]));
  });

  it('spikes of one step are reported in time order', () => {
    const array = chip(new Map([0, 1, 2, 3].map((c) => [c, lif({ eventRouting: { analogOutput: 'normal', enableBypassExcitatory: true } })])), { step_ns: 1000 });
    [900, 100, 500, 300].forEach((t, c) => array.injectSynapticInput(c, Receptor.excitatory, 0, t));
    array.advance();
    expect(Array.from(array.spikeTime_ns.subarray(0, array.spikeCount))).toEqual([100, 300, 500, 900]);
    expect(Array.from(array.spikeCircuit.subarray(0, array.spikeCount))).toEqual([1, 3, 2, 0]);
  });

  it('COBA input pulls the membrane toward its reversal potential and converges with the step', () => {
    const coba = (vRevCoba: number) =>
      lif({
        constantCurrent: { enable: false },
        threshold: { enable: false, vThreshold: 0 },
        excitatoryInput: { enable: true, iBiasTau: 60, iBiasGm: 500, iBiasCoba: 500, vRevCoba, enableCobaMode: true },
      });
    const run = (step_ns: number, vRev: number): number => {
      const array = chip(new Map([[0, coba(vRev)]]), { step_ns });
      array.injectSynapticInput(0, Receptor.excitatory, 1, 1000);
      array.advanceTo(4000);
      return array.membrane_mV[0]! - nominal.capMemVoltage_mV(400);
    };
    expect(run(10, 300)).toBeLessThan(-1); // reversal below rest: shunting inhibition
    expect(run(10, 800)).toBeGreaterThan(1);
    const fine = run(2, 800);
    console.log(`COBA PSP at 3 µs: ${fine.toFixed(3)} mV; step 100 ns − step 2 ns: ${(run(100, 800) - fine).toExponential(2)} mV, step 10 ns: ${(run(10, 800) - fine).toExponential(2)} mV`);
    expect(Math.abs(run(100, 800) - fine)).toBeLessThan(0.05);
  });

  it('recomputes only when the configuration changes', () => {
    const p = new NeuronParameters(undefined, undefined, 'datasheet');
    const n = lif();
    expect(p.setNeuron(3, n)).toBe(true);
    const version = p.version;
    expect(p.setNeuron(3, n.clone())).toBe(false);
    expect(p.setSynapseDacBias(0, 0)).toBe(false);
    expect(p.version).toBe(version);
    expect(p.setSynapseDacBias(0, 600)).toBe(true);
    expect(p.eventChargeExc_nA[3]).toBe(100);
    expect(p.eventChargeExc_nA[128]).toBe(0); // quadrant 1 still at DAC bias 0
  });

  it('rejects bad input events with typed errors', () => {
    const array = chip(new Map(), { step_ns: 10 });
    expect(() => array.injectSynapticInput(512, Receptor.excitatory, 1, 0)).toThrow(/circuit/);
    expect(() => array.injectSynapticInput(0, 2 as Receptor, 1, 0)).toThrow(/receptor/);
    expect(() => array.injectSynapticInput(0, Receptor.excitatory, NaN, 0)).toThrow(/amount/);
    expect(() => array.injectSynapticInput(0, Receptor.excitatory, 1, Infinity)).toThrow(/time_ns/);
  });
});

describe('incremental configuration updates', () => {
  // A batch arms and disarms its neurons per entry, one circuit per cycle; the engine updates only the nodes a
  // change touches. That must be invisible: the same trajectory as rebuilding everything on every change.
  it('switching configurations circuit by circuit gives what rebuilding every time gives', () => {
    // Driven by synaptic events alone (no offset current): free between events, so every event meets the
    // kernels of the configuration in force.
    const quiet = { constantCurrent: { enable: false, iOffset: 0 } };
    const armed = lif(quiet);
    const disarmed = lif({ ...quiet, threshold: { enable: false } });
    const slow = lif({ ...quiet, membraneCapacitance: { capacitance: 40 } });
    const trace = (incrementalUpdates: boolean) => {
      const p = new NeuronParameters(undefined, undefined, 'datasheet');
      const array = new NeuronArray(p, { step_ns: 10, incrementalUpdates });
      const membrane: number[] = [];
      for (let round = 0; round < 4; round++) {
        for (const n of [disarmed, armed, slow]) {
          for (const c of [5, 6, 300]) {
            p.setNeuron(c, c === 6 && round % 2 === 1 ? disarmed : n);
            array.advance(3);
          }
          p.setBackendClocks(round % 2, { enClocks: true, clockScaleSlow: round, clockScaleFast: 2 });
          // Events between step boundaries use the per-node kernels of the configuration.
          for (const c of [5, 6, 300]) for (const dt of [1234, 1500, 2002]) array.injectSynapticInput(c, Receptor.excitatory, 4, array.time_ns + dt);
          array.advance(700);
          membrane.push(array.membrane_mV[5]!, array.membrane_mV[6]!, array.membrane_mV[300]!);
        }
      }
      return { membrane, spikes: [...spikesOf(array, 5), ...spikesOf(array, 6), ...spikesOf(array, 300)] };
    };
    const rebuilt = trace(false);
    expect(Math.max(...rebuilt.membrane) - Math.min(...rebuilt.membrane)).toBeGreaterThan(5); // the events act
    expect(trace(true)).toEqual(rebuilt);
  });

  it('the change log names the circuits changed after a version, or nothing when it no longer reaches back', () => {
    const p = new NeuronParameters(undefined, undefined, 'datasheet');
    const v0 = p.version;
    p.setNeuron(3, lif());
    p.setNeuron(3, lif());
    p.setNeuron(7, lif());
    expect(new Set(p.changedSince(v0))).toEqual(new Set([3, 7]));
    const v1 = p.version;
    expect(p.changedSince(v1)).toEqual([]);
    p.setSynapseDacBias(2, 700);
    expect(p.changedSince(v1)!.length).toBe(128);
    for (let round = 0; round < 20; round++) p.setBackendClocks(round % 2, { enClocks: true, clockScaleSlow: round % 3, clockScaleFast: round % 5 });
    expect(p.changedSince(v0)).toBeUndefined();
    expect(() => new NeuronArray(p, { step_ns: 10, incrementalUpdates: 1 as unknown as boolean })).toThrow(/incrementalUpdates/);
  });
});
