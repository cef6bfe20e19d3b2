// Multi-compartment neurons through PyNN (hardware.md §4, §11.1; the reference's create_mc_neuron): the
// reference's dendritic chain (compartments of two circuits, joined by the conductance onto the shared line)
// shows an EPSP attenuating along the chain, with a length constant that grows with the inter-compartment
// conductance and shrinks with the leak; per-compartment recording and projections; and every mistake of the
// morphology, the labels and the options refused by name.
import { afterEach, describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';
import { createChainClass, multicompartmentExample } from '../examples/multicompartment.js';
import { IDEAL, rejected, thrown } from './support/network.js';

const LENGTH = 4;
const INPUT_MS = 20;

/** The reference's chain (examples/multicompartment.ts): compartment n on circuits 2n, 2n + 1 of row 0. */
const chainClass = (conductance: number): pynn.McNeuronClass => createChainClass(LENGTH, conductance);

/** Every compartment's first circuit leaks with `leak` (the others are passive), threshold off, input enabled. */
const chainParameters = (leak: number) => ({
  leak_i_bias: Array.from({ length: LENGTH }, () => [leak, 0]),
  leak_v_leak: 500,
  membrane_capacitance_capacitance: Array.from({ length: LENGTH }, () => [63, 0]),
  excitatory_input_enable: true,
  excitatory_input_i_bias_tau: 100,
  excitatory_input_i_bias_gm: 500,
});

/** EPSP heights (MADC codes) in every compartment: three inputs at once onto compartment 0, two compartments per segment. */
async function epsps(conductance: number, leak: number): Promise<number[]> {
  pynn.setup(IDEAL);
  const Chain = chainClass(conductance);
  const chain = new pynn.Population(1, new Chain(chainParameters(leak)), { label: 'chain' });
  const input = new pynn.Population(3, new pynn.SpikeSourceArray({ spike_times: [INPUT_MS] }), { label: 'input' });
  new pynn.Projection(input, chain, new pynn.AllToAllConnector({ locationSelector: 'comp0' }), new pynn.StaticSynapse({ weight: 63 }));
  const heights: number[] = [];
  for (let pair = 0; pair < LENGTH; pair += 2) {
    chain.record(null);
    chain.record('v', { locations: [`comp${pair}`, `comp${pair + 1}`] });
    await pynn.run(80);
    const signals = chain.getData('v').segments.at(-1)!.analogsignals;
    expect(signals.map((s) => s.annotations.source_location)).toEqual([`comp${pair}`, `comp${pair + 1}`]);
    expect(signals.map((s) => s.annotations.source_compartment)).toEqual([pair, pair + 1]);
    for (const s of signals) {
      const before = Array.from(s.values).filter((_, i) => s.times[i]! < INPUT_MS);
      const rest = before.reduce((a, b) => a + b, 0) / before.length;
      heights.push(Math.max(...s.values) - rest);
    }
    pynn.reset();
  }
  await pynn.end();
  return heights;
}

/** Length constant (compartments) of heights falling as e^(−k/λ): least-squares slope of ln(height) over k. */
function lengthConstant(heights: readonly number[]): number {
  const k = heights.map((_, i) => i);
  const y = heights.map(Math.log);
  const mk = k.reduce((a, b) => a + b, 0) / k.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  const slope = k.reduce((s, x, i) => s + (x - mk) * (y[i]! - my), 0) / k.reduce((s, x) => s + (x - mk) ** 2, 0);
  return -1 / slope;
}

afterEach(() => pynn.end());

describe('the dendritic chain: EPSPs attenuate along it', () => {
  it('an EPSP in compartment 0 falls from compartment to compartment; λ grows with the conductance and shrinks with the leak', async () => {
    const reference = await epsps(200, 100);
    const strongCoupling = await epsps(800, 100);
    const leaky = await epsps(200, 300);
    for (const heights of [reference, strongCoupling, leaky]) {
      expect(heights[LENGTH - 1]!).toBeGreaterThan(0);
      for (let k = 1; k < LENGTH; k++) expect(heights[k]!).toBeLessThan(heights[k - 1]!);
    }
    const lambda = { reference: lengthConstant(reference), strongCoupling: lengthConstant(strongCoupling), leaky: lengthConstant(leaky) };
    // Measured: ≈ 1.2, 2.5 and 0.76 compartments.
    expect(lambda.strongCoupling).toBeGreaterThan(1.5 * lambda.reference);
    expect(lambda.leaky).toBeLessThan(lambda.reference / 1.25);
    // The input compartment loses charge to a stronger-coupled chain: its own EPSP is smaller.
    expect(strongCoupling[0]!).toBeLessThan(reference[0]!);
  });
});

describe('the reference’s example, ported (examples/multicompartment.ts)', () => {
  it('each compartment responds most to its own input, on the CADC', async () => {
    const { input_ms, traces } = await multicompartmentExample();
    expect(traces.map((t) => t.annotations.device)).toEqual(['cadc', 'cadc', 'cadc']);
    traces.forEach((trace, n) => {
      const peak = trace.times[trace.values.indexOf(Math.max(...trace.values))]!;
      expect(peak).toBeGreaterThan(input_ms[n]!);
      expect(peak).toBeLessThan(input_ms[n]! + 15);
    });
  });
});

describe('on a calibrated chip (initialConfig)', () => {
  it('every compartment starts from the calibration, the morphology’s passive circuits and the values given over it', async () => {
    pynn.setup({ ...IDEAL, initialConfig: 'calibration' });
    const Chain = chainClass(300);
    const chain = new pynn.Population(1, new Chain({ threshold_enable: false }), { label: 'chain' });
    const input = new pynn.Population(3, new pynn.SpikeSourceArray({ spike_times: [INPUT_MS] }), { label: 'input' });
    new pynn.Projection(input, chain, new pynn.AllToAllConnector({ locationSelector: 'comp0' }), new pynn.StaticSynapse({ weight: 63 }));
    chain.record('v', { locations: ['comp0', 'comp1'] });
    await pynn.run(60);
    const [first, second] = chain.getData('v').segments[0]!.analogsignals.map((s) => s.values);
    // Both rest at the spiking preset's leak (80 CADC LSB ≈ 358 MADC LSB); the EPSP reaches the neighbour smaller.
    for (const v of [first!, second!]) expect(Math.abs(v[0]! - 358)).toBeLessThan(5);
    const rise = (v: Float32Array) => Math.max(...v) - v[0]!;
    expect(rise(first!)).toBeGreaterThan(50);
    expect(rise(second!)).toBeGreaterThan(10);
    expect(rise(second!)).toBeLessThan(rise(first!));
  });
});

describe('per-compartment recording and projections', () => {
  it('spikes of a compartment, recorded at its location; a projection from a compartment (sourceLocationSelector) reaches the target', async () => {
    pynn.setup(IDEAL);
    const Chain = chainClass(200);
    // Compartment 0 fires on its offset current (threshold on at the first circuit only: single active circuit).
    const chain = new pynn.Population(1, new Chain({ ...chainParameters(100), threshold_enable: true, threshold_v_threshold: 300, constant_current_enable: [[true, false], false, false, false], constant_current_i_offset: 600, refractory_period_refractory_time: 100 }), { label: 'chain' });
    const relay = new pynn.Population(1, new pynn.HXNeuron({ event_routing_enable_bypass_excitatory: true }), { label: 'relay' });
    new pynn.Projection(chain, relay, new pynn.AllToAllConnector({ sourceLocationSelector: 'comp0' }), new pynn.StaticSynapse({ weight: 63 }));
    chain.record('spikes', { locations: ['comp0', 'comp3'] });
    relay.record('spikes');
    await pynn.run(50);
    const trains = chain.getData('spikes').segments[0]!.spiketrains;
    expect(trains.map((t) => [t.annotations.source_location, t.annotations.source_compartment])).toEqual([['comp0', 0], ['comp3', 3]]);
    expect(trains[0]!.times.length).toBeGreaterThan(3);
    expect(trains[1]!.times.length).toBe(0);
    // The relay re-emits every spike of compartment 0, at its time.
    const relayed = relay.getData('spikes').segments[0]!.spiketrains[0]!.times;
    expect(relayed.length).toBe(trains[0]!.times.length);
    relayed.forEach((t, i) => expect(Math.abs(t - trains[0]!.times[i]!)).toBeLessThan(0.05));
  });

  it('the circuits of a neuron are placed as the shape, every neuron of a population on circuits of its own', async () => {
    pynn.setup(IDEAL);
    const Chain = chainClass(200);
    const chains = new pynn.Population(3, new Chain(chainParameters(100)), { label: 'chains' });
    const other = new pynn.Population(2, new pynn.IF_curr_exp(), { label: 'other' });
    expect(chains.cellType.circuitsPerNeuron).toBe(2 * LENGTH);
    await pynn.prepare();
    const circuits = pynn.simulator().routing!.logicalNeurons('chains').map((n) => n.atomicNeurons()[0]!.value);
    expect(circuits).toEqual(Array.from({ length: 3 * 2 * LENGTH }, (_, i) => i));
    const taken = new Set(circuits);
    for (const n of pynn.simulator().routing!.logicalNeurons(other.label)) expect(taken.has(n.atomicNeurons()[0]!.value)).toBe(false);
  });
});

describe('parameters and mistakes', () => {
  it('parameters are the HXNeuron’s per circuit, without the morphology’s switches; arrays list compartments', () => {
    pynn.setup(IDEAL);
    const Chain = chainClass(300);
    const names = Chain.getParameterNames();
    expect(names).toContain('leak_i_bias');
    expect(names).toContain('multicompartment_i_bias_nmda');
    expect(names).not.toContain('multicompartment_connect_soma');
    const pop = new pynn.Population(2, new Chain(), { label: 'chain' });
    // The class defaults: the conductance bias of each compartment's second circuit, passive circuits (single active).
    expect(pop.get('multicompartment_i_bias_nmda')).toEqual([[0, 300], [0, 300], [0, 300], [0, 0]]);
    // Passive circuits' leak bias is 0, the AtomicNeuron's default anyway: one value for all circuits.
    expect(pop.get('leak_i_bias')).toBe(0);
    expect(pop.get('leak_enable_division')).toEqual([[false, true], [false, true], [false, true], [false, true]]);
    pop.set({ leak_i_bias: [100, [200, 0], 300, 400] });
    expect(pop.get('leak_i_bias')).toEqual([100, [200, 0], 300, 400]);
    const error = thrown(pynn.ParameterError, () => pop.set({ leak_i_bias: [100, 200] }));
    expect(error.message).toMatch(/list of 4 compartment values/);
    thrown(pynn.ParameterError, () => pop.set({ leak_i_bias: [1, 2, 3, 1023] }));
    // A chain of 64 neurons fills the chip's 512 circuits; one more does not fit.
    expect(thrown(pynn.ParameterError, () => new pynn.Population(63, new Chain(), { label: 'too many' }))).toMatchObject({ population: 'too many', limit: 512 });
  });

  it('morphology and compartment mistakes are ParameterErrors naming what and where', () => {
    const at = (positions: number[], extra: Record<string, unknown> = {}) => new pynn.PlacedCompartment({ positions, label: 'c', ...extra });
    expect(thrown(pynn.ParameterError, () => pynn.createMcNeuron('Gap', { compartments: [at([0, 2])] })).message).toMatch(/morphology is invalid: .*contiguous/);
    expect(thrown(pynn.ParameterError, () => at([0, 1], { connectSharedLine: [0], connectConductance: [[0, 100]] })).parameter).toBe('connectConductance');
    expect(thrown(pynn.ParameterError, () => at([0], { connect_shared_line: [0] })).message).toMatch(/no option or parameter 'connect_shared_line'/);
    expect(thrown(pynn.ParameterError, () => at([0], { multicompartment_connect_soma: true })).message).toMatch(/set by the morphology/);
    expect(thrown(pynn.ParameterError, () => at([0, 256]))).toMatchObject({ parameter: 'positions' });
    expect(thrown(pynn.ParameterError, () => at([0, 1], { leak_i_bias: [1, 2, 3] })).message).toMatch(/3 values for 2 circuits/);
    expect(thrown(pynn.ParameterError, () => pynn.createMcNeuron('X', { compartments: [] })).parameter).toBe('compartments');
    expect(thrown(pynn.ParameterError, () => pynn.createMcNeuron('X', { compartments: [at([0])], single_active_circuit: true } as never)).parameter).toBe('single_active_circuit');
    expect(thrown(pynn.ParameterError, () => new pynn.SharedLineConnection({ start: 0, stop: 128, row: 0 })).parameter).toBe('stop');
  });

  it('locations: unknown and ambiguous labels, and locations of one-location cell types, are refused by name', async () => {
    pynn.setup(IDEAL);
    const Twin = pynn.createMcNeuron('Twin', {
      compartments: [new pynn.PlacedCompartment({ positions: [0], label: 'dendrite', connectConductance: [[0, 100]] }), new pynn.PlacedCompartment({ positions: [1], label: 'dendrite', connectSharedLine: [1] })],
      connections: [new pynn.SharedLineConnection({ start: 0, stop: 1, row: 0 })],
    });
    const twin = new pynn.Population(1, new Twin(), { label: 'twin' });
    const lif = new pynn.Population(1, new pynn.IF_curr_exp(), { label: 'lif' });
    const input = new pynn.Population(1, new pynn.SpikeSourceArray({ spike_times: [1] }), { label: 'input' });
    expect(thrown(pynn.RecordingError, () => twin.record('v', { locations: ['soma'] }))).toMatchObject({ population: 'twin', parameter: 'locations', value: 'soma' });
    expect(thrown(pynn.RecordingError, () => twin.record('v', { locations: 'dendrite' })).message).toMatch(/2 compartments are labelled "dendrite"/);
    expect(thrown(pynn.RecordingError, () => lif.record('v', { locations: ['soma'] })).message).toMatch(/IF_curr_exp of population 'lif' has one location/);
    expect(thrown(pynn.ConnectionError, () => new pynn.Projection(input, lif, new pynn.AllToAllConnector({ locationSelector: 'soma' })))).toMatchObject({ parameter: 'locationSelector', population: 'lif' });
    expect(thrown(pynn.ConnectionError, () => new pynn.Projection(input, twin, new pynn.AllToAllConnector({ sourceLocationSelector: 'dendrite' })))).toMatchObject({ parameter: 'sourceLocationSelector', population: 'input' });
    expect(thrown(pynn.ConnectionError, () => new pynn.Projection(input, twin, new pynn.OneToOneConnector({ locationSelector: 'dendrite' }))).message).toMatch(/2 compartments/);
    await rejected(pynn.RunError, () => pynn.run(null, pynn.RunCommand.EXECUTE));
  });
});
