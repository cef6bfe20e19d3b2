// Recording: every recordable of every cell type with its units, the MADC's sampling periods, the MADC's limits
// (hardware.md §3.9, §11.1: two neurons, distinct readout lines, one analog variable per neuron), record(null),
// getData's variable filter and clear option, and the neo-like Block structure with its annotations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';
import { IDEAL, bypassNeuron, circuitOf, extremaIn, rejected, thrown } from './support/network.js';

const MADC_PERIOD_MS = pynn.MADC_BASE_PERIOD_NS / 1000;

/** Mean spacing of the sample times (the MADC clock is finer than the FPGA cycle the times are given in). */
function meanSpacing(signal: pynn.AnalogSignal): number {
  return (signal.times.at(-1)! - signal.times[0]!) / (signal.times.length - 1);
}

describe('what each cell type records', () => {
  it('recordables per cell type; anything else is a RecordingError naming population and variable', () => {
    pynn.setup(IDEAL);
    const expected: [pynn.CellType, string[]][] = [
      [new pynn.IF_curr_exp(), ['spikes', 'v']],
      [new pynn.IF_cond_exp(), ['spikes', 'v']],
      [new pynn.EIF_cond_exp_isfa_ista(), ['spikes', 'v', 'w']],
      [new pynn.HXNeuron(), ['spikes', 'v', 'exc_synin', 'inh_synin', 'adaptation']],
      [new pynn.SpikeSourceArray(), ['spikes']],
      [new pynn.SpikeSourcePoisson(), ['spikes']],
    ];
    for (const [cellType, recordables] of expected) {
      expect(cellType.recordables).toEqual(recordables);
      const p = new pynn.Population(1, cellType, { label: cellType.modelName });
      p.record(recordables.filter((v) => v === 'spikes' || v === 'v'));
      const error = thrown(pynn.RecordingError, () => p.record('gsyn_exc'));
      expect(error).toMatchObject({ population: cellType.modelName, parameter: 'gsyn_exc' });
      expect(error.message).toMatch(new RegExp(`cannot record 'gsyn_exc'; recordables: ${recordables.join(', ')}`));
    }
    expect(() => pynn.simulator().populations[0]!.record(['spikes', 'w'])).toThrow(pynn.RecordingError);
  });

  afterAll(() => pynn.end());
});

describe('recorded data of every cell type', () => {
  const DURATION_MS = 30;
  let lif: pynn.Population;
  let cond: pynn.Population;
  let adex: pynn.Population;
  let hx: pynn.Population;
  let array: pynn.Population;
  let poisson: pynn.Population;
  let adexDefault: pynn.Population;
  const neurons = () => [lif, cond, adex, hx, adexDefault];

  /** Runs a new segment recording spikes of every neuron plus the analog variables given. */
  async function segment(analog: [pynn.BasePopulation, string][], options: pynn.RecordOptions = {}): Promise<void> {
    if (pynn.getCurrentTime() > 0) pynn.reset();
    for (const p of neurons()) {
      p.record(null);
      p.record('spikes');
    }
    for (const [group, variable] of analog) group.record(variable, options);
    await pynn.run(DURATION_MS);
  }

  const signals = (p: pynn.BasePopulation, segmentIndex: number) => p.getData().segments[segmentIndex]!.analogsignals;

  beforeAll(async () => {
    pynn.setup(IDEAL);
    // Offset currents drive the model neurons above threshold: regular firing without input.
    lif = new pynn.Population(2, new pynn.IF_curr_exp({ i_offset: 1, tau_refrac: 2 }), { label: 'lif' });
    cond = new pynn.Population(2, new pynn.IF_cond_exp({ i_offset: 1, tau_refrac: 2 }), { label: 'cond' });
    // v_spike −45 mV: see the test of PyNN's default (−40 mV) below.
    adex = new pynn.Population(2, new pynn.EIF_cond_exp_isfa_ista({ i_offset: 1, tau_refrac: 2, b: 0.2, v_spike: -45 }), { label: 'adex' });
    // Raw hardware settings (CapMem LSB): a leaky membrane and both synaptic inputs on.
    const synapticInputs = { i_bias_tau: 200, i_bias_gm: 500, enable: true };
    hx = new pynn.Population(
      2,
      new pynn.HXNeuron({
        ...Object.fromEntries(Object.entries(synapticInputs).flatMap(([k, v]) => [[`excitatory_input_${k}`, v], [`inhibitory_input_${k}`, v]])),
        leak_v_leak: 500,
        leak_i_bias: 200,
        membrane_capacitance_capacitance: 63,
      }),
      { label: 'hx' },
    );
    adexDefault = new pynn.Population(1, new pynn.EIF_cond_exp_isfa_ista({ i_offset: 1 }), { label: 'adex defaults' });
    array = new pynn.Population(2, new pynn.SpikeSourceArray({ spike_times: [[1.003, 5, 29.999], [2, 7.5]] }), { label: 'array' });
    poisson = new pynn.Population(3, new pynn.SpikeSourcePoisson({ rate: 300 }), { label: 'poisson' });
    new pynn.Projection(poisson, hx, new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: 40 }), 'excitatory');
    new pynn.Projection(array, hx, new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: -40 }), 'inhibitory');
    array.record('spikes');
    poisson.record('spikes');
    // Pairs recorded together lie on an even and an odd column (placement in creation order: lif 0, 1; cond 2,
    // 3; adex 4, 5; hx 6, 7).
    await segment([[lif.view([0]), 'v']]);
    await segment([[cond.view([0]), 'v'], [adex.view([1]), 'v']]);
    await segment([[adex.view([0]), 'w'], [hx.view([1]), 'v']]);
    await segment([[hx.view([0]), 'exc_synin'], [hx.view([1]), 'inh_synin']]);
    await segment([[hx.view([0]), 'adaptation']], { samplingInterval: 4 * MADC_PERIOD_MS });
    await segment([[adexDefault, 'v']]);
  });
  afterAll(() => pynn.end());

  it('placement is as the pairs assume', () => {
    expect([lif, cond, adex, hx].flatMap((p) => [circuitOf(p, 0), circuitOf(p, 1)])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('IF_curr_exp: spikes in ms, v in mV between reset and threshold, one sample per 34 ns of chip time', () => {
    const [v] = signals(lif, 0);
    expect(signals(lif, 0)).toHaveLength(1);
    expect(v).toMatchObject({ name: 'v', units: 'mV', sampling_period: MADC_PERIOD_MS, t_start: 0, t_stop: DURATION_MS });
    expect(meanSpacing(v!)).toBeCloseTo(MADC_PERIOD_MS, 4);
    expect(v!.times.length).toBeGreaterThan(0.99 * (DURATION_MS / MADC_PERIOD_MS));
    expect(v!.times.length).toBeLessThanOrEqual(DURATION_MS / MADC_PERIOD_MS + 1);
    const { min, max } = extremaIn(v!, 0, DURATION_MS);
    expect(min).toBeGreaterThan(-66);
    expect(max).toBeLessThan(-49);
    expect(max).toBeGreaterThan(-51);
    // τ_m 20 ms, 1 nA into 1 nF: v_∞ = −45 mV; from −65 mV the threshold −50 mV is reached after τ ln 4 = 27.7 ms.
    const spikes = lif.getData('spikes').segments[0]!.spiketrains;
    expect(spikes.map((st) => st.times.length)).toEqual([1, 1]);
    expect(spikes[0]!.times[0]).toBeCloseTo(27.7, 0);
    expect(spikes[0]!.units).toBe('ms');
  });

  it('IF_cond_exp and EIF_cond_exp_isfa_ista: v in mV; two neurons recorded share the MADC, each every 68 ns', () => {
    const [v] = signals(cond, 1);
    const [adexV] = signals(adex, 1);
    for (const s of [v!, adexV!]) {
      expect(s).toMatchObject({ name: 'v', units: 'mV', sampling_period: 2 * MADC_PERIOD_MS });
      expect(meanSpacing(s)).toBeCloseTo(2 * MADC_PERIOD_MS, 4);
    }
    expect(adexV!.annotations).toMatchObject({ source_population: 'adex', source_index: 1 });
    // Both start from their resting potentials (and rise with the offset current).
    expect(v!.values[0]).toBeCloseTo(-65, 0);
    expect(adexV!.values[0]).toBeCloseTo(-70.6, 0);
    // The two channels alternate: their sample times interleave.
    expect(Math.abs(v!.times[0]! - adexV!.times[0]!)).toBeLessThan(2 * MADC_PERIOD_MS);
    expect(v!.times[0]).not.toBe(adexV!.times[0]);
    for (const p of [cond, adex]) expect(p.getData('spikes').segments[1]!.spiketrains.every((st) => st.times.length > 0)).toBe(true);
  });

  it('EIF_cond_exp_isfa_ista: the membrane is reset after each spike, and adaptation (b > 0) lengthens the intervals', () => {
    const [v] = signals(adex, 1);
    const spikes = Array.from(adex.getData('spikes').segments[1]!.spiketrains[1]!.times);
    expect(spikes.length).toBeGreaterThanOrEqual(2);
    // Each spike whose next millisecond is recorded.
    for (const t of spikes.filter((s) => s + 1 <= DURATION_MS)) expect(extremaIn(v!, t + 0.2, t + 1).max).toBeLessThan(-60);
  });

  it('EIF_cond_exp_isfa_ista with PyNN\'s defaults (v_spike −40 mV) is reset after each spike too', () => {
    const [v] = signals(adexDefault, 5);
    const spikes = Array.from(adexDefault.getData('spikes').segments[5]!.spiketrains[0]!.times);
    expect(spikes.length).toBeGreaterThanOrEqual(1);
    for (const t of spikes.filter((s) => s + 1 <= DURATION_MS)) expect(extremaIn(v!, t + 0.2, t + 1).max).toBeLessThan(-60);
  });

  it('EIF_cond_exp_isfa_ista w: the adaptation readout in raw MADC codes, rising with each spike (b > 0)', () => {
    const [w] = signals(adex, 2);
    expect(w).toMatchObject({ name: 'w', units: 'dimensionless', annotations: { source_population: 'adex', source_index: 0 } });
    expect(w!.values.every((x) => Number.isInteger(x) && x >= 0 && x <= 1023)).toBe(true);
    const firstSpike = adex.getData('spikes').segments[2]!.spiketrains[0]!.times[0]!;
    const before = extremaIn(w!, 0, firstSpike - 0.1);
    const after = extremaIn(w!, firstSpike + 0.1, DURATION_MS);
    expect(Math.abs(after.max - before.max) + Math.abs(after.min - before.min)).toBeGreaterThan(2);
  });

  it('HXNeuron v, exc_synin, inh_synin, adaptation: raw MADC codes, dimensionless', () => {
    const cases: [number, number, string][] = [[2, 1, 'v'], [3, 0, 'exc_synin'], [3, 1, 'inh_synin'], [4, 0, 'adaptation']];
    for (const [segmentIndex, index, name] of cases) {
      const found = signals(hx, segmentIndex).filter((s) => s.annotations.source_index === index);
      expect(found).toHaveLength(1);
      const s = found[0]!;
      expect(s).toMatchObject({ name, units: 'dimensionless', annotations: { source_population: 'hx', source_id: hx.id(index), device: 'madc' } });
      expect(s.values.every((x) => Number.isInteger(x) && x >= 0 && x <= 1023)).toBe(true);
      expect(s.values.length).toBeGreaterThan(100);
    }
    // The synaptic inputs and the membrane see the Poisson (excitatory) and array (inhibitory) events.
    for (const [segmentIndex, index] of [[3, 0], [3, 1], [2, 1]] as const) {
      const s = signals(hx, segmentIndex).find((x) => x.annotations.source_index === index)!;
      const { min, max } = extremaIn(s, 0, DURATION_MS);
      expect(max - min).toBeGreaterThan(2);
    }
  });

  it('samplingInterval sets the MADC period (34 ns · 2(s + 1) with clock scaling)', () => {
    const [adaptation] = signals(hx, 4);
    expect(adaptation!.sampling_period).toBeCloseTo(4 * MADC_PERIOD_MS, 9);
    expect(meanSpacing(adaptation!)).toBeCloseTo(4 * MADC_PERIOD_MS, 4);
  });

  it('SpikeSourceArray: its spike times on the 8 ns cycle grid, within the run', () => {
    const trains = array.getData().segments.map((s) => s.spiketrains.map((st) => Array.from(st.times)));
    // Segments restart at 0 and replay the same times; 29.999 ms rounds to 30 ms, outside [0, 30).
    for (const segmentTrains of trains) {
      expect(segmentTrains[0]!.map((t) => t.toFixed(3))).toEqual(['1.000', '5.000']);
      expect(segmentTrains[1]!.map((t) => t.toFixed(3))).toEqual(['2.000', '7.504']);
    }
  });

  it('SpikeSourcePoisson: spikes at the requested rate, different per neuron and per segment', () => {
    const trains = poisson.getData().segments.map((s) => s.spiketrains.map((st) => Array.from(st.times)));
    const counts = trains.flat().map((t) => t.length);
    // 15 trains of 300 Hz × 30 ms: 9 expected each; all together 135 ± 3σ (σ ≈ 11.6).
    const total = counts.reduce((a, b) => a + b, 0);
    expect(Math.abs(total - 135)).toBeLessThan(35);
    expect(trains[0]![0]).not.toEqual(trains[0]![1]);
    expect(trains[0]![0]).not.toEqual(trains[1]![0]);
    for (const t of trains.flat()) expect(t.every((x, i) => x >= 0 && x < DURATION_MS && (i === 0 || x >= t[i - 1]!))).toBe(true);
  });
});

describe('MADC limits (checked when the run is prepared)', () => {
  beforeAll(() => pynn.setup(IDEAL));
  afterAll(() => pynn.end());

  it('three neurons with analog variables are a RecordingError naming them', async () => {
    const p = new pynn.Population(3, new pynn.IF_curr_exp(), { label: 'three' });
    p.record('v');
    const error = await rejected(pynn.RecordingError, () => pynn.prepare());
    expect(error.message).toMatch(/3 neurons record analog variables \('three'\[0\], 'three'\[1\], 'three'\[2\]\); the MADC records at most 2/);
    expect(error.population).toBe('three');
    await expect(pynn.run(1)).rejects.toThrow(pynn.RecordingError);
    p.record(null);
  });

  it('two neurons on the same readout line (same column parity and hemisphere) are a RecordingError naming both', async () => {
    const p = pynn.simulator().populations.find((q) => q.label === 'three')!;
    p.view([0, 2]).record('v');
    const error = await rejected(pynn.RecordingError, () => pynn.prepare());
    expect(error.message).toMatch(/'three'\[0\], 'three'\[2\] are placed on circuits 0 and 2, which share the readout line neuronEvenTop/);
    expect(error.value).toEqual([0, 2]);
    p.record(null);
  });

  it('two analog variables on one neuron are a RecordingError', async () => {
    const hx = new pynn.Population(1, new pynn.HXNeuron(), { label: 'hx-two' });
    hx.record(['v', 'exc_synin']);
    const error = await rejected(pynn.RecordingError, () => pynn.prepare());
    expect(error.message).toMatch(/population 'hx-two' neuron 0 records v and exc_synin: a neuron has one readout/);
    expect(error.population).toBe('hx-two');
    hx.record(null);
  });

  it('different sampling intervals, and intervals the MADC cannot produce, are RecordingErrors', async () => {
    const [a, b] = pynn.simulator().populations;
    a!.view([0]).record('v', { samplingInterval: 0.1 });
    b!.view([0]).record('v', { samplingInterval: 0.2 });
    await expect(pynn.prepare()).rejects.toThrow(/different sampling intervals \(0\.1, 0\.2 ms\)/);
    for (const p of [a!, b!]) p.record(null);
    a!.view([0]).record('v', { samplingInterval: 0.001 });
    await expect(pynn.prepare()).rejects.toThrow(/sampling period of .* gives an MADC period of 1 ns/);
    expect(() => a!.record('v', { samplingInterval: -1 })).toThrow(pynn.RecordingError);
    a!.record(null);
    await pynn.prepare();
  });
});

describe('record(null), getData(variables, { clear }) and the Block', () => {
  let out: pynn.Population;
  let input: pynn.Population;
  let other: pynn.Population;

  beforeAll(async () => {
    pynn.setup(IDEAL);
    input = new pynn.Population(3, new pynn.SpikeSourceArray({ spike_times: [[1, 4], [2], []] }), { label: 'input' });
    out = new pynn.Population(3, bypassNeuron(), { label: 'out' });
    other = new pynn.Population(2, new pynn.IF_curr_exp(), { label: 'other' });
    new pynn.Projection(input, out, new pynn.OneToOneConnector(), new pynn.StaticSynapse({ weight: 20 }));
    out.record(['spikes']);
    out.view([1]).record('v');
    other.record('spikes');
    other.record(null);
    await pynn.run(10);
  });
  afterAll(() => pynn.end());

  it('a Block per group: its label, one segment per reset, one SpikeTrain per member (silent ones too)', () => {
    const block = out.getData();
    expect(block.name).toBe('out');
    expect(block.annotations).toEqual({ simulator: 'bss2-simulated-chip', size: 3 });
    expect(block.segments).toHaveLength(1);
    const [segment] = block.segments;
    expect(segment).toMatchObject({ name: 'segment 0', index: 0, t_start: 0, t_stop: 10 });
    expect(segment!.spiketrains.map((st) => Array.from(st.times))).toEqual([[1, 4], [2], []]);
    segment!.spiketrains.forEach((st, i) => {
      expect(st).toMatchObject({ units: 'ms', t_start: 0, t_stop: 10, annotations: { source_population: 'out', source_id: out.id(i), source_index: i } });
    });
    expect(segment!.analogsignals.map((s) => [s.name, s.annotations.source_index, s.t_stop])).toEqual([['v', 1, 10]]);
  });

  it('record(null) stops all recording: no trains, no signals', () => {
    expect(other.getData().segments[0]!.spiketrains).toEqual([]);
    expect(other.getData().segments[0]!.analogsignals).toEqual([]);
    expect(input.getData().segments[0]!.spiketrains).toEqual([]);
  });

  it('getData(variables) returns only those variables', () => {
    const spikesOnly = out.getData('spikes').segments[0]!;
    expect(spikesOnly.spiketrains).toHaveLength(3);
    expect(spikesOnly.analogsignals).toHaveLength(0);
    const vOnly = out.getData(['v']).segments[0]!;
    expect(vOnly.spiketrains).toHaveLength(0);
    expect(vOnly.analogsignals).toHaveLength(1);
    expect(out.getData('w').segments[0]!).toMatchObject({ spiketrains: [], analogsignals: [] });
  });

  it('getSpikeCounts and meanSpikeCount of the current segment, by global id', () => {
    expect([...out.getSpikeCounts()]).toEqual([[out.id(0), 2], [out.id(1), 1], [out.id(2), 0]]);
    expect(out.meanSpikeCount()).toBe(1);
  });

  it('getData(…, { clear: true }) returns the data and drops it: the next getData has empty trains and signals', async () => {
    const cleared = out.getData(undefined, { clear: true });
    expect(cleared.segments[0]!.spiketrains.map((st) => st.times.length)).toEqual([2, 1, 0]);
    expect(cleared.segments[0]!.analogsignals[0]!.values.length).toBeGreaterThan(100);
    const after = out.getData().segments[0]!;
    expect(after.spiketrains.map((st) => st.times.length)).toEqual([0, 0, 0]);
    expect(after.analogsignals[0]!.values.length).toBe(0);
    // Recording goes on: the next run's data arrives (time continues from 10 ms; the input is over).
    input.set({ spike_times: [[1, 4, 12], [2], []] });
    await pynn.run(5);
    expect(out.getData('spikes').segments[0]!.spiketrains.map((st) => Array.from(st.times))).toEqual([[12], [], []]);
  });
});
