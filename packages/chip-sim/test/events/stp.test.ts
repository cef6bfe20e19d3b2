import { CommonPADIBusConfigOnDLS, CommonSTPConfigOnDLS, SynapseDriverOnDLS } from '@bss2/halco';
import { CommonPADIBusConfig, CommonSTPConfig, SynapseDriverConfig, nominal } from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import {
  ShortTermPlasticity,
  offsetPulseFactor,
  pulseExtensionFactor,
  stpRecoveryTime_us,
} from '../../src/index.js';
import { bench } from './helpers.js';
import { openEventPath, writeSynapse } from './fixtures.js';

const UTILIZATION = 6;
const U = UTILIZATION / 15;
const RECOVERY = 3;
const SPEED = 7;
const TAU_CYCLES = stpRecoveryTime_us(RECOVERY, SPEED) * nominal.fpgaClockCyclesPerUs;

/** Driver 0 (bus 0, index 0) with STP, its top row's column 0 excitatory with weight 63, label 0. */
function stpBench(options: { recoveryClock?: boolean; stp?: boolean } = {}) {
  const b = bench();
  openEventPath(b, { recording: false });
  b.write(new CommonSTPConfigOnDLS(0), new CommonSTPConfig({ enableRecoveryClock: options.recoveryClock ?? true, recoveryClockSpeed: SPEED }));
  b.write(
    new SynapseDriverOnDLS(0),
    new SynapseDriverConfig({
      enableReceiver: true,
      rowModeTop: 'excitatory',
      enableStp: options.stp ?? true,
      enableRecovery: true,
      utilization: UTILIZATION,
      recovery: RECOVERY,
    }),
  );
  writeSynapse(b, 0, 1, 0, 63, 0);
  const amplitudes = (cycles: readonly number[]): number[] => {
    b.recorder.clear();
    for (const cycle of cycles) b.router.routeExternalEvent(0, cycle);
    return b.recorder.inputs.map((d) => d.amount);
  };
  return amplitudes;
}

describe('short-term plasticity (hardware.md §8.2 Choice, Tsodyks–Markram)', () => {
  it('pins the τ_rec mapping: (recovery + 1) · 2 µs · 2^(7 − speed)', () => {
    expect(stpRecoveryTime_us(0, 7)).toBe(2);
    expect(stpRecoveryTime_us(15, 7)).toBe(32);
    expect(stpRecoveryTime_us(3, 6)).toBe(16);
    expect(stpRecoveryTime_us(3, 8)).toBe(4);
  });

  it('successive events at short ISI give decreasing amplitudes U·R that recover with τ_rec', () => {
    const amplitude = stpBench();
    const isi = 40;
    const train = Array.from({ length: 8 }, (_, i) => 100 + i * isi);
    const last = train[train.length - 1]!;
    const probe = last + Math.round(10 * TAU_CYCLES);
    const got = amplitude([...train, probe]);
    // Exact Tsodyks–Markram recursion.
    let r = 1;
    let previous = train[0]!;
    const expected = [...train, probe].map((t) => {
      r = 1 - (1 - r) * Math.exp(-(t - previous) / TAU_CYCLES);
      previous = t;
      const a = U * r;
      r -= a;
      return a;
    });
    got.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, 6));
    for (let i = 1; i < train.length; i++) expect(got[i]!).toBeLessThan(got[i - 1]!);
    expect(got[0]).toBeCloseTo(U, 6);
    expect(got[train.length]! / U).toBeGreaterThan(0.9999);
  });

  it('recovery is facilitation-free: after one event a(Δ) = U·(1 − U·e^(−Δ/τ_rec)), never above U', () => {
    const rate = 1 / TAU_CYCLES;
    let previous = 0;
    for (const delay of [0, 50, 200, 500, 1000, 2000, 4000, 8000, 20000]) {
      const stp = new ShortTermPlasticity(1);
      stp.transmit(0, 1000, U, rate);
      const a = stp.transmit(0, 1000 + delay, U, rate);
      expect(a).toBeCloseTo(U * (1 - U * Math.exp(-delay / TAU_CYCLES)), 10);
      expect(a).toBeLessThanOrEqual(U);
      expect(a).toBeGreaterThanOrEqual(previous);
      previous = a;
    }
  });

  it('without the recovery clock the resource stays depleted; STP off gives the full amplitude', () => {
    const depleted = stpBench({ recoveryClock: false })([0, 1_000_000]);
    expect(depleted[1]).toBeCloseTo(U * (1 - U), 10);
    expect(stpBench({ stp: false })([0, 1, 2, 3])).toEqual([1, 1, 1, 1]);
  });

  it('pulse factors: offset trim shortens, the bus pulse extension stretches, the driver gain multiplies', () => {
    expect(offsetPulseFactor(0)).toBe(1);
    expect(offsetPulseFactor(8)).toBe(0.75);
    expect(pulseExtensionFactor(0)).toBe(1);
    expect(pulseExtensionFactor(15)).toBe(2);
    const driverPulseGain = new Float32Array(256).fill(1);
    driverPulseGain[0] = 1.25;
    const b = bench({ variation: { driverPulseGain } });
    openEventPath(b, { recording: false });
    b.write(new CommonPADIBusConfigOnDLS(0), new CommonPADIBusConfig({ enableSpl1: [true, true, true, true], dacenPulseExtension: [3, 0, 0, 0] }));
    b.write(new SynapseDriverOnDLS(0), new SynapseDriverConfig({ enableReceiver: true, rowModeTop: 'inhibitory', offset: 4 }));
    writeSynapse(b, 0, 1, 0, 21, 0);
    b.router.routeExternalEvent(0, 0);
    expect(b.recorder.inputs).toEqual([{ circuit: 0, receptor: 1, amount: expect.closeTo((21 / 63) * (1 - 4 / 32) * (1 + 3 / 15) * 1.25, 6) as number, cycle: 0 }]);
  });
});
