import {
  AtomicNeuronOnDLS,
  BlockPostPulseOnDLS,
  NeuronColumnOnDLS,
  SynapseDriverOnDLS,
  SynapseOnDLS,
  SynapseOnSynapseRow,
  SynapseOnSynram,
  SynapseQuadOnDLS,
  SynapseQuadOnSynram,
  SynapseRowOnSynram,
  SynramOnDLS,
} from '@bss2/halco';
import { BlockPostPulse, CorrelationReset, NeuronResetQuad, SynapseCorrelationCalibQuad, SynapseDriverConfig, nominal } from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import { CORRELATION_TRIM_STEP, defaultCorrelationParameters } from '../../src/index.js';
import { type Bench, bench } from './helpers.js';
import { circuitOf, openEventPath, writeSynapse } from './fixtures.js';

const TAU = defaultCorrelationParameters.tau_us * nominal.fpgaClockCyclesPerUs;
const A = defaultCorrelationParameters.amplitude_lsb;
const BASELINE = defaultCorrelationParameters.baseline_lsb;

const synapse = (synram: number, row: number, column: number) =>
  new SynapseOnDLS(new SynapseOnSynram(new SynapseOnSynapseRow(column), new SynapseRowOnSynram(row)), new SynramOnDLS(synram)).value;
const quadOf = (synram: number, row: number, column: number) =>
  new SynapseQuadOnDLS(new SynapseQuadOnSynram(new NeuronColumnOnDLS(column).toSynapseQuadColumnOnDLS(), new SynapseRowOnSynram(row)), new SynramOnDLS(synram));

/** Driver 0 drives row 1 (top) and row 0 (bottom) of synram 0; synapses at `columns` of both rows carry label 0. */
function sensors(columns: readonly number[], options: Parameters<typeof bench>[0] = {}): Bench {
  const b = bench(options);
  openEventPath(b, { recording: false });
  b.write(new SynapseDriverOnDLS(0), new SynapseDriverConfig({ enableReceiver: true }));
  for (const c of columns) {
    writeSynapse(b, 0, 1, c, c % 2 === 0 ? 0 : 40, 0); // weight does not matter to the sensor
    writeSynapse(b, 0, 0, c, 10, 0);
  }
  return b;
}

const pre = (b: Bench, cycle: number) => b.router.routeExternalEvent(0, cycle);
const post = (b: Bench, column: number, cycle: number) => b.router.routeNeuronSpike(circuitOf(0, column), cycle);

describe('correlation sensors (hardware.md §8.2 Choice)', () => {
  it('pre then post adds A·exp(−Δt/τ_c) to the causal channel; post then pre to the acausal one', () => {
    const b = sensors([4, 5]);
    pre(b, 1000);
    post(b, 4, 1000 + 300);
    post(b, 5, 5000);
    pre(b, 5000 + 100);
    const c = b.router.correlation;
    const s4 = synapse(0, 1, 4);
    const s5 = synapse(0, 1, 5);
    expect(c.causal[s4]).toBeCloseTo(A * Math.exp(-300 / TAU), 5);
    // Column 5's post at 5000 pairs with the pre at 1000 (its last pre): causal, far in the past.
    expect(c.causal[s5]).toBeCloseTo(A * Math.exp(-4000 / TAU), 5);
    expect(c.acausal[s5]).toBeCloseTo(A * Math.exp(-100 / TAU), 5);
    // Column 4's last post (1300) also pairs with the pre at 5100, acausally.
    expect(c.acausal[s4]).toBeCloseTo(A * Math.exp(-3800 / TAU), 5);
    expect(c.causalCode(s4)).toBe(Math.round(BASELINE - A * Math.exp(-300 / TAU)));
    expect(c.acausalCode(s5)).toBe(Math.round(BASELINE - A * Math.exp(-100 / TAU)));
    // Both rows of the driver saw the pre event; other columns did not.
    expect(c.causal[synapse(0, 0, 4)]).toBeCloseTo(A * Math.exp(-300 / TAU), 5);
    expect(c.causal[synapse(0, 1, 6)]).toBe(0);
  });

  it('decays with τ_c: the causal contribution falls exponentially in Δt', () => {
    const delays = [0, 100, 250, 500, 1000, 2000];
    const values = delays.map((delay) => {
      const b = sensors([8]);
      pre(b, 10);
      post(b, 8, 10 + delay);
      return b.router.correlation.causal[synapse(0, 1, 8)]!;
    });
    values.forEach((v, i) => expect(v).toBeCloseTo(A * Math.exp(-delays[i]! / TAU), 5));
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeLessThan(values[i - 1]!);
  });

  it('codes fall as correlation accumulates and floor at 0', () => {
    const b = sensors([2]);
    const s = synapse(0, 1, 2);
    const codes: number[] = [];
    for (let k = 0; k < 150; k++) {
      pre(b, 10_000 * k);
      post(b, 2, 10_000 * k + 1);
      codes.push(b.router.correlation.causalCode(s));
    }
    for (let i = 1; i < codes.length; i++) expect(codes[i]!).toBeLessThanOrEqual(codes[i - 1]!);
    expect(codes[codes.length - 1]).toBe(0);
    // Each pre follows the previous post by 16 τ_c: a tiny acausal contribution, invisible in the code.
    expect(b.router.correlation.acausal[s]).toBeGreaterThan(0);
    expect(b.router.correlation.acausalCode(s)).toBe(BASELINE);
  });

  it('time_calib shortens τ_c, amp_calib lowers A, the per-sensor gains multiply', () => {
    const ones = () => new Float32Array(131072).fill(1);
    const correlationSensors = { tauGainCausal: ones(), tauGainAcausal: ones(), amplitudeGainCausal: ones(), amplitudeGainAcausal: new Float64Array(131072).fill(1) };
    correlationSensors.tauGainCausal[synapse(0, 1, 9)] = 1.5;
    correlationSensors.amplitudeGainCausal[synapse(0, 1, 9)] = 0.5;
    correlationSensors.amplitudeGainAcausal[synapse(0, 1, 9)] = 0.25;
    const b = sensors([8, 9, 10], { variation: { correlationSensors } });
    const quad = quadOf(0, 1, 8);
    const trims = new SynapseCorrelationCalibQuad(); // columns 8, 10 share a quad (§2.7): entries 0 and 1
    const entry8 = new NeuronColumnOnDLS(8).toEntryOnQuad().value;
    b.write(quad, trims.with({ timeCalibs: [0, 0, 0, 0].map((_, e) => (e === entry8 ? 3 : 0)), ampCalibs: [0, 0, 0, 0].map((_, e) => (e === entry8 ? 2 : 0)) }));
    pre(b, 0);
    for (const column of [8, 9, 10]) post(b, column, 400);
    const c = b.router.correlation;
    expect(c.causal[synapse(0, 1, 8)]).toBeCloseTo(A * CORRELATION_TRIM_STEP ** 2 * Math.exp(-400 / (TAU * CORRELATION_TRIM_STEP ** 3)), 5);
    expect(c.causal[synapse(0, 1, 9)]).toBeCloseTo(A * 0.5 * Math.exp(-400 / (TAU * 1.5)), 5);
    expect(c.causal[synapse(0, 1, 10)]).toBeCloseTo(A * Math.exp(-400 / TAU), 5);
    // The acausal branch has its own gains.
    pre(b, 500);
    expect(c.acausal[synapse(0, 1, 9)]).toBeCloseTo(A * 0.25 * Math.exp(-100 / TAU), 5);
    expect(c.acausal[synapse(0, 1, 10)]).toBeCloseTo(A * Math.exp(-100 / TAU), 5);
  });

  it('rejects gain tables of the wrong length', () => {
    expect(() => bench({ variation: { synapseWeightGain: new Float32Array(10) } })).toThrow(/synapseWeightGain .*131072 gains/);
  });

  it('CorrelationReset clears its quad; NeuronResetQuad clears row 0 of its quad (switchable); BlockPostPulse posts a half', () => {
    for (const clears of [true, false]) {
      const b = sensors([0, 2, 4, 6, 130], { neuronResetQuadClearsCorrelation: clears });
      pre(b, 0);
      b.write(new BlockPostPulseOnDLS(0), new BlockPostPulse(), 50);
      const c = b.router.correlation;
      const expected = A * Math.exp(-50 / TAU);
      for (const column of [0, 2, 4, 6]) expect(c.causal[synapse(0, 1, column)]).toBeCloseTo(expected, 5);
      expect(c.causal[synapse(0, 1, 130)]).toBe(0); // right half: no post-pulse
      // Columns 0, 2, 4, 6 form quad column 0 (§2.7).
      b.write(quadOf(0, 1, 0), new CorrelationReset());
      for (const column of [0, 2, 4, 6]) expect(c.causal[synapse(0, 1, column)]).toBe(0);
      expect(c.causal[synapse(0, 0, 0)]).toBeCloseTo(expected, 5);
      b.write(new AtomicNeuronOnDLS(circuitOf(0, 2)).toNeuronResetQuadOnDLS(), new NeuronResetQuad());
      for (const column of [0, 2, 4, 6]) {
        if (clears) expect(c.causal[synapse(0, 0, column)]).toBe(0);
        else expect(c.causal[synapse(0, 0, column)]).toBeCloseTo(expected, 5);
      }
    }
  });
});
