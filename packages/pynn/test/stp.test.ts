// TsodyksMarkramSynapse (hardware.md §3.6, §8.2): a regular spike train through a depressing synapse driver. The
// PSP height of spike k relative to the first follows the chip's STP: R₁ = 1, R_{k+1} = 1 − (1 − R_k(1 − U))
// · e^(−Δt/τ_rec) — measured on the membrane (MADC), the spikes far enough apart for each PSP to decay first.
import { describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';
import { IDEAL, signalOf, thrown } from './support/network.js';

const SPIKES = 8;
const FIRST_MS = 20;
const ISI_MS = 100;

/** Per input spike: the membrane's rise from just before it to its peak in the following ISI. */
async function pspHeights(synapse: pynn.StaticSynapse): Promise<number[]> {
  pynn.setup(IDEAL);
  const times = Array.from({ length: SPIKES }, (_, k) => FIRST_MS + k * ISI_MS);
  const source = new pynn.Population(1, new pynn.SpikeSourceArray({ spike_times: [times] }), { label: 'source' });
  const neuron = new pynn.Population(1, new pynn.IF_curr_exp({ v_thresh: -20 }), { label: 'neuron' });
  neuron.record('v');
  new pynn.Projection(source, neuron, new pynn.OneToOneConnector(), synapse, 'excitatory', { label: 'train' });
  await pynn.run(FIRST_MS + SPIKES * ISI_MS);
  const v = signalOf(neuron, 'v');
  await pynn.end();
  const t = v.times;
  return times.map((spike) => {
    let before = Number.NaN;
    let peak = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < t.length; i++) {
      if (t[i]! < spike && t[i]! >= spike - 2) before = v.values[i]!;
      if (t[i]! >= spike && t[i]! < spike + ISI_MS / 2) peak = Math.max(peak, v.values[i]!);
    }
    return peak - before;
  });
}

describe('TsodyksMarkramSynapse', () => {
  it('depresses PSP heights as U·R with recovery τ_rec; without STP every PSP is the same', async () => {
    const U = 0.4;
    const tau_rec = 128;
    const stp = new pynn.TsodyksMarkramSynapse({ U, tau_rec, weight: 63 });
    const depressed = await pspHeights(stp);
    const plain = await pspHeights(new pynn.StaticSynapse({ weight: 63 }));
    expect(plain[0]!).toBeGreaterThan(1);
    for (const h of plain) expect(Math.abs(h / plain[0]! - 1)).toBeLessThan(0.05);
    // The chip's U and τ_rec (6/15 and speed / recovery that give 128 µs exactly).
    const u = stp.utilization / 15;
    expect(u).toBeCloseTo(U, 5);
    const expected = [1];
    for (let k = 1; k < SPIKES; k++) expected.push(1 - (1 - expected[k - 1]! * (1 - u)) * Math.exp(-ISI_MS / tau_rec));
    depressed.forEach((h, k) => expect(Math.abs(h / depressed[0]! - expected[k]!), `spike ${k}: ${(h / depressed[0]!).toFixed(3)} vs ${expected[k]!.toFixed(3)}`).toBeLessThan(0.06));
    // First PSP: U of the full amplitude.
    expect(Math.abs(depressed[0]! / plain[0]! - u)).toBeLessThan(0.06);
  }, 60_000);

  it('refuses facilitation and out-of-range parameters by name', () => {
    pynn.setup(IDEAL);
    expect(thrown(pynn.PlasticityError, () => new pynn.TsodyksMarkramSynapse({ U: 0.5, tau_rec: 100, tau_facil: 50 })).message).toMatch(/no facilitation/);
    expect(thrown(pynn.PlasticityError, () => new pynn.TsodyksMarkramSynapse({ U: 0, tau_rec: 100 })).message).toMatch(/U 0/);
    expect(thrown(pynn.PlasticityError, () => new pynn.TsodyksMarkramSynapse({ U: 0.5, tau_rec: 1e6 })).message).toMatch(/tau_rec/);
    expect(pynn.recoveryTime_us(15, 0)).toBe(4096);
  });
});
