// setup(): its options and their errors, connections pynn opens or is given, the calibration modes short of
// measuring ('nominal', a given CalibrationResult, a provider; 'calibrate' is calibrated.test.ts), and where
// SpikeSourcePoisson populations run (on-chip background generators or host-generated trains).
import { connectInProcess } from '@bss2/hxcomm/in-process';
import { nominalCalibration, type CalibrationResult, type LIFCalibrationTarget } from '@bss2/calibration';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';
import { IDEAL, rejected, spikeTimes, thrown } from './support/network.js';

describe('setup options', () => {
  afterEach(() => pynn.end());

  it('an unknown option is a SetupError naming it (the reference raises KeyError)', () => {
    const error = thrown(pynn.SetupError, () => pynn.setup({ timestep: 0.1 } as pynn.SetupOptions));
    expect(error).toMatchObject({ parameter: 'timestep', value: 0.1 });
    expect(error.message).toMatch(/setup\(\) has no option 'timestep'; options: chipSeed, connection, /);
  });

  it('invalid values are SetupErrors naming the option', () => {
    const cases: [pynn.SetupOptions, string][] = [
      [{ calibration: 'fast' as 'nominal' }, 'calibration'],
      [{ onChipPoisson: 'sometimes' as 'auto' }, 'onChipPoisson'],
      [{ seed: 1.5 }, 'seed'],
      [{ chipSeed: -1 }, 'chipSeed'],
      [{ chipSeed: 2 ** 32 }, 'chipSeed'],
    ];
    for (const [options, parameter] of cases) expect(thrown(pynn.SetupError, () => pynn.setup(options)).parameter).toBe(parameter);
    expect(() => pynn.setup({ analogStep_ns: 3 })).toThrow(/the simulated chip refused its options/);
    expect(() => pynn.setup(null as unknown as pynn.SetupOptions)).toThrow(pynn.SetupError);
  });

  it('options of the built-in chip cannot be combined with a connection', async () => {
    const connection = connectInProcess({ seed: 3 });
    for (const key of ['chipSeed', 'idealChip', 'temporalNoise', 'analogStep_ns'] as const) {
      const value = key === 'idealChip' || key === 'temporalNoise' ? true : 100;
      const error = thrown(pynn.SetupError, () => pynn.setup({ connection, [key]: value }));
      expect(error.parameter).toBe(key);
      expect(error.message).toMatch(/configure the built-in simulated chip and cannot be combined with a connection/);
    }
    await connection.close();
  });

  it('pynn closes the chip it opened, not a connection it was given', async () => {
    const own = pynn.setup(IDEAL).connection;
    expect(own.closed).toBe(false);
    await pynn.end();
    expect(own.closed).toBe(true);
    const given = connectInProcess({ seed: 3, analog: { idealChip: true } });
    expect(pynn.setup({ connection: given, calibration: 'nominal' }).connection).toBe(given);
    expect(pynn.simulator().connection.identity.chipSeed).toBe(3);
    await pynn.end();
    expect(given.closed).toBe(false);
    await given.close();
  });

  it('setup() again ends the previous simulator: its populations are gone', async () => {
    pynn.setup(IDEAL);
    const old = new pynn.Population(1, new pynn.IF_curr_exp(), { label: 'old' });
    const first = pynn.simulator();
    pynn.setup(IDEAL);
    expect(pynn.simulator()).not.toBe(first);
    expect(pynn.simulator().populations).toEqual([]);
    expect(() => old.getData()).toThrow(pynn.NotSetUpError);
    // The label is free again in the new simulator.
    expect(new pynn.Population(1, new pynn.IF_curr_exp(), { label: 'old' }).label).toBe('old');
  });
});

describe('calibration modes', () => {
  const cell = { tau_m: 10, v_thresh: -55, v_reset: -70, tau_refrac: 2 };
  const input = [5, 6, 7, 8, 9, 10, 11, 12];
  let nominalResult: CalibrationResult;
  let nominalSpikes: number[][];

  /** One IF_curr_exp neuron driven by `input`, recorded. */
  function network(parameters: Record<string, number> = cell): pynn.Population {
    const neuron = new pynn.Population(1, new pynn.IF_curr_exp(parameters), { label: 'neuron' });
    const source = new pynn.Population(1, new pynn.SpikeSourceArray({ spike_times: input }), { label: 'input' });
    new pynn.Projection(source, neuron, new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: 40 }));
    neuron.record('spikes');
    return neuron;
  }

  beforeAll(async () => {
    pynn.setup(IDEAL);
    const neuron = network();
    await pynn.run(30);
    nominalSpikes = spikeTimes(neuron);
    nominalResult = pynn.simulator().calibration!;
  });
  afterAll(() => pynn.end());

  it("'nominal': the transfer functions of §8.3, no calibration run; the neuron fires", () => {
    expect(nominalSpikes[0]!.length).toBeGreaterThan(0);
    expect(pynn.getBackendStatistics().calibration).toEqual({ mode: 'nominal', runs: 0, duration_s: 0 });
    expect(nominalResult).toBeDefined();
  });

  it('a CalibrationResult made for these parameters is used as given: the same spikes', async () => {
    pynn.setup({ idealChip: true, calibration: nominalResult });
    const neuron = network();
    await pynn.run(30);
    expect(spikeTimes(neuron)).toEqual(nominalSpikes);
    expect(pynn.getBackendStatistics().calibration).toMatchObject({ mode: 'given', runs: 0 });
    expect(pynn.simulator().calibration).toBe(nominalResult);
  });

  it('a CalibrationResult made for other parameters is a SetupError naming population, neuron and parameter', async () => {
    pynn.setup({ idealChip: true, calibration: nominalResult });
    network({ ...cell, tau_m: 15 });
    const error = await rejected(pynn.SetupError, () => pynn.prepare());
    expect(error).toMatchObject({ population: 'neuron', parameter: 'tauMembrane_us', value: 15 });
    expect(error.message).toMatch(/was made for tauMembrane_us = 10 on circuit 0, but population 'neuron' neuron 0 placed there needs 15/);
  });

  it('a provider is asked once per set of parameters, and again when they change', async () => {
    const asked: LIFCalibrationTarget[] = [];
    pynn.setup({
      idealChip: true,
      calibration: async (_connection, target) => {
        asked.push(target);
        return nominalCalibration(target);
      },
    });
    const neuron = network();
    await pynn.run(30);
    expect(spikeTimes(neuron)).toEqual(nominalSpikes);
    await pynn.run(10);
    // The target is per circuit: the neuron sits on circuit 0.
    const tauOnCircuit0 = (target: LIFCalibrationTarget) => (typeof target.tauMembrane_us === 'number' ? target.tauMembrane_us : target.tauMembrane_us[0]);
    expect(asked).toHaveLength(1);
    expect(tauOnCircuit0(asked[0]!)).toBe(10);
    neuron.set({ tau_m: 12 });
    await pynn.run(10);
    expect(asked).toHaveLength(2);
    expect(tauOnCircuit0(asked[1]!)).toBe(12);
    expect(pynn.getBackendStatistics().calibration).toMatchObject({ mode: 'provider', runs: 2 });
  });
});

describe('SpikeSourcePoisson: on-chip generators or host trains', () => {
  const DURATION_MS = 1000;
  /** Allowed deviation of a Poisson count from its mean `n`: 4σ (σ = √n), plus `relative` of n. */
  const tolerance = (n: number, relative = 0) => 4 * Math.sqrt(n) + relative * n;
  const total = (p: pynn.Population) => spikeTimes(p).reduce((sum, train) => sum + train.length, 0);
  let auto: Record<string, number>;
  let autoOdd: number[][];
  let autoOnChip: readonly string[];

  /**
   * 64 sources at 100 Hz fit a generator; 64 at 200 Hz exceed what generators give (≈ 191 Hz per source for 64);
   * 3 sources are no power of two; a source starting later is not homogeneous.
   */
  function network(): Record<string, pynn.Population> {
    const populations = {
      onChip: new pynn.Population(64, new pynn.SpikeSourcePoisson({ rate: 100 }), { label: 'on chip' }),
      fast: new pynn.Population(64, new pynn.SpikeSourcePoisson({ rate: 200 }), { label: 'fast' }),
      odd: new pynn.Population(3, new pynn.SpikeSourcePoisson({ rate: 1000 }), { label: 'odd' }),
      late: new pynn.Population(64, new pynn.SpikeSourcePoisson({ rate: 100, start: 500 }), { label: 'late' }),
    };
    for (const p of Object.values(populations)) p.record('spikes');
    return populations;
  }

  beforeAll(async () => {
    pynn.setup(IDEAL);
    const populations = network();
    await pynn.run(DURATION_MS);
    auto = Object.fromEntries(Object.entries(populations).map(([k, p]) => [k, total(p)]));
    autoOdd = spikeTimes(populations.odd!);
    autoOnChip = pynn.getBackendStatistics().onChipPoisson;
    await pynn.end();
  });

  it('generator settings exist for 64 sources at 100 Hz, not at 200 Hz, never for 3 sources', () => {
    const settings = pynn.backgroundSettings(100, 64) as pynn.BackgroundSettings;
    expect(Math.abs(settings.achievedRate_hz - 100) / 100).toBeLessThan(0.01);
    expect(pynn.backgroundSettings(200, 64)).toMatch(/no generator setting gives 200 Hz per source for 64 sources/);
    expect(pynn.backgroundSettings(100, 3)).toMatch(/size 3 is not a power of two/);
  });

  it("'auto': the feasible population runs on a generator, the others on the host", () => {
    expect(autoOnChip).toEqual(['on chip']);
  });

  it('every population fires at its requested rate, on chip (within the settings’ 1 %) and on the host', () => {
    expect(Math.abs(auto.onChip! - 64 * 100)).toBeLessThan(tolerance(6400, 0.01));
    expect(Math.abs(auto.fast! - 64 * 200)).toBeLessThan(tolerance(12_800));
    expect(Math.abs(auto.odd! - 3 * 1000)).toBeLessThan(tolerance(3000));
    // From 500 ms on only.
    expect(Math.abs(auto.late! - 64 * 50)).toBeLessThan(tolerance(3200));
  });

  it("onChipPoisson: 'never' keeps every population on the host, at the same rates; host trains follow the seed", async () => {
    pynn.setup({ ...IDEAL, onChipPoisson: 'never' });
    const populations = network();
    await pynn.run(DURATION_MS);
    expect(pynn.getBackendStatistics().onChipPoisson).toEqual([]);
    expect(Math.abs(total(populations.onChip!) - 6400)).toBeLessThan(tolerance(6400));
    const late = spikeTimes(populations.late!).flat();
    expect(Math.min(...late)).toBeGreaterThanOrEqual(500);
    // The same seed (default 1) and creation order: the host population is the same.
    expect(spikeTimes(populations.odd!)).toEqual(autoOdd);
    await pynn.end();
  });
});
