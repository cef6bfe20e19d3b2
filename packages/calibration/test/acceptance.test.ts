// Acceptance (issue 6): on a simulated chip with fixed-pattern variation, calibrate all 512 neurons to the
// standard LIF target set, then measure every calibrated parameter with independent programs
// (test/support/independent.ts) on the uncalibrated and on the calibrated chip.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '@bss2/hxcomm';
import { connectInProcess } from '@bss2/hxcomm/in-process';
import type { AtomicNeuron } from '@bss2/lola';
import { PlaybackProgramBuilder, run } from '@bss2/stadls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CalibrationResult, spikingTarget } from '../src/index.js';
import { calibrateLIFCached } from '../src/node/index.js';
import {
  N,
  cadcPotentials,
  cadcSynapticTau,
  cadcResetPotentials,
  cadcThresholds,
  configureTestStimulus,
  madcTraces,
  nominalCell,
  std,
  traceTau,
  uncalibratedNeurons,
  writeUncalibratedShared,
} from './support/independent.js';

/**
 * Expected precision after calibration (hardware.md leaves numbers open; these are this package's): potentials
 * within the CADC's own resolution (std ≤ 1 LSB), time constants and PSP amplitudes within 3 % (std relative to
 * the mean), i.e. well inside the ±20 % the fixed pattern spreads them.
 */
const precision = { potential_lsb: 1, relative: 0.03 };

/** One independent measurement of every neuron, on the chip as the last chip-wide writes left it. */
type Measurement = (connection: Connection, neurons: readonly AtomicNeuron[]) => Promise<Float64Array>;

const off = (n: AtomicNeuron) => (n.threshold.enable = false);
const tauOf = (tr: { t: Float64Array[]; v: Float64Array[] }) => Float64Array.from({ length: N }, (_, i) => traceTau(tr.t[i]!, tr.v[i]!));
const psp = (tr: { v: Float64Array[] }, sign: 1 | -1) => Float64Array.from(tr.v, (v) => sign * (sign > 0 ? Math.max(...v) - v[0]! : Math.min(...v) - v[0]!) / 4.5);

const parameters = ['leak_lsb', 'reset_lsb', 'threshold_lsb', 'tauMembrane_us', 'tauSynExc_us', 'tauSynInh_us', 'synapticGmExc_lsb', 'synapticGmInh_lsb'] as const;
type Parameter = (typeof parameters)[number];

const measurements: Record<Parameter, Measurement> = {
  leak_lsb: (c, neurons) => cadcPotentials(c, neurons, off),
  reset_lsb: (c, neurons) => cadcResetPotentials(c, neurons),
  threshold_lsb: (c, neurons) => cadcThresholds(c, neurons),
  // A reset far below rest: a decay of ≈ 40 LSB on every neuron, calibrated or not (τ does not depend on it).
  tauMembrane_us: async (c, neurons) => tauOf(await madcTraces(c, neurons, (n) => { off(n); n.reset.vReset = nominalCell(40, 'reset'); }, 'reset', 20)),
  tauSynExc_us: (c, neurons) => cadcSynapticTau(c, neurons, 'excitatory'),
  tauSynInh_us: (c, neurons) => cadcSynapticTau(c, neurons, 'inhibitory'),
  synapticGmExc_lsb: async (c, neurons) => psp(await madcTraces(c, neurons, off, 'excitatory', 16), 1),
  synapticGmInh_lsb: async (c, neurons) => psp(await madcTraces(c, neurons, off, 'inhibitory', 16), -1),
};

const relative = new Set(['tauMembrane_us', 'tauSynExc_us', 'tauSynInh_us', 'synapticGmExc_lsb', 'synapticGmInh_lsb']);
const spread = (name: string, values: Float64Array) => (relative.has(name) ? std(values) / Math.abs(values.reduce((a, b) => a + b, 0) / values.length) : std(values));

describe('LIF calibration of a chip with fixed-pattern variation (all 512 neurons)', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'bss2-calibration-'));
  let connection: Connection;
  let result: CalibrationResult;
  let firstRunCached: boolean;

  beforeAll(async () => {
    connection = connectInProcess({ seed: 7 });
    const first = await calibrateLIFCached(connection, spikingTarget, {}, { paths: [cacheDir] });
    firstRunCached = first.cached;
    result = first.result;
    const stimulus = new PlaybackProgramBuilder();
    configureTestStimulus(stimulus);
    await run(connection, stimulus.done());
  });

  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

  /**
   * Each figure is measured when a test first needs it (a test measures only its own parameter, so no test or
   * hook pays for all of them), on the uncalibrated chip (the §8.3 settings, `writeUncalibratedShared`) or on
   * the calibrated one (`result.apply`); the chip-wide settings of that state are written right before.
   */
  const figures = new Map<string, Promise<Float64Array>>();
  function figure(name: Parameter, chip: 'uncalibrated' | 'calibrated'): Promise<Float64Array> {
    const key = `${chip} ${name}`;
    let measured = figures.get(key);
    if (measured === undefined) {
      measured = (async () => {
        const b = new PlaybackProgramBuilder();
        // No CapMem wait here: every measurement writes its neurons and waits for CapMem itself.
        if (chip === 'uncalibrated') writeUncalibratedShared(b);
        else result.apply(b, { waitForCapMem: false });
        await run(connection, b.done());
        return measurements[name](connection, chip === 'uncalibrated' ? uncalibratedNeurons() : result.toAtomicNeurons());
      })();
      figures.set(key, measured);
    }
    return measured;
  }

  it('calibrates (nearly) every neuron successfully on the first, uncached run', () => {
    expect(firstRunCached).toBe(false);
    // The success mask names the circuits that missed (hardware.md §9.1); at most 2 of 512 may.
    const failed = result.parameters.flatMap((p) => Array.from(p.success).flatMap((s, i) => (s === 0 ? [`${p.parameter}[${i}]`] : [])));
    expect(failed.length, failed.join(', ')).toBeLessThanOrEqual(2);
    expect(result.identity.chipSeed).toBe(7);
  });

  it.each(parameters)('%s: independent spread after ≤ 1/10 of before and within the expected precision', async (name) => {
    const before = await figure(name, 'uncalibrated');
    const after = await figure(name, 'calibrated');
    const b = spread(name, before);
    const a = spread(name, after);
    expect(after.every(Number.isFinite), `${name} measured for all neurons`).toBe(true);
    expect(a, `${name}: spread before ${b.toFixed(4)}, after ${a.toFixed(4)}`).toBeLessThanOrEqual(b / 10);
    expect(a).toBeLessThanOrEqual(relative.has(name) ? precision.relative : precision.potential_lsb);
  });

  it('hits the targets on average, measured independently', async () => {
    const m = async (name: Parameter) => {
      const x = await figure(name, 'calibrated');
      return x.reduce((s, v) => s + v, 0) / x.length;
    };
    expect(Math.abs((await m('leak_lsb')) - 80)).toBeLessThan(1);
    expect(Math.abs((await m('reset_lsb')) - 70)).toBeLessThan(1.5);
    expect(Math.abs((await m('threshold_lsb')) - 125)).toBeLessThan(1.5);
    expect(Math.abs((await m('tauMembrane_us')) / 10 - 1)).toBeLessThan(0.05);
    expect(Math.abs((await m('tauSynExc_us')) / 10 - 1)).toBeLessThan(0.05);
    expect(Math.abs((await m('tauSynInh_us')) / 10 - 1)).toBeLessThan(0.05);
  });

  it('matches the synapse DAC of the quadrants (reported by the calibration)', () => {
    // The quadrants differ little before (their medians average 128 neurons); one DAC LSB is 1/600 of a step.
    const dac = result.parameter('synapseDacBias_lsb')!;
    const mean = dac.achieved.reduce((a, b) => a + b, 0) / 4;
    expect(std(dac.achieved)).toBeLessThanOrEqual(std(dac.before) / 4);
    expect(std(dac.achieved) / mean).toBeLessThanOrEqual(0.005);
    expect(Math.max(...result.shared.synapseDacBias)).toBe(spikingTarget.synapseDacBias_lsb);
  });

  it('reuses the cached result for the same chip and target without sending a single program', async () => {
    // "Instant" means no chip work at all: the connection counts what reaches it (no wall-time assertion).
    let programs = 0;
    const counting: Connection = {
      identity: connection.identity,
      closed: false,
      execute: (instructions) => {
        programs++;
        return connection.execute(instructions);
      },
      reset: () => connection.reset(),
      close: () => Promise.resolve(),
    };
    const again = await calibrateLIFCached(counting, spikingTarget, {}, { paths: [cacheDir] });
    expect(again.cached).toBe(true);
    expect(programs).toBe(0);
    expect(Array.from(again.result.neurons['leak.vLeak'])).toEqual(Array.from(result.neurons['leak.vLeak']));
  });

  it('misses the cache when the target changes (a calibration starts)', async () => {
    const refusing: Connection = {
      identity: connection.identity,
      closed: false,
      execute: () => Promise.reject(new Error('calibration started')),
      reset: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    await expect(calibrateLIFCached(refusing, { ...spikingTarget, leak_lsb: 85 }, {}, { paths: [cacheDir] })).rejects.toThrow('calibration started');
    await expect(calibrateLIFCached(refusing, spikingTarget, { cadcSamples: 3 }, { paths: [cacheDir] })).rejects.toThrow('calibration started');
  });
});
