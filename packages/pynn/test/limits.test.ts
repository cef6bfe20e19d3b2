// Limits checked before any allocation or work (tracker issue 18): population sizes against the chip's neurons
// and the input path's sources, spikes per run, experiment files' size and nesting; and messages that show
// non-finite numbers as such.
import { MAX_EXTERNAL_SOURCES, NEURON_COUNT, maxInputSpikes } from '@bss2/execution';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';
import { describeValue } from '../src/describe.js';
import { IDEAL } from './support/network.js';

function thrownBy<E extends Error>(type: new (...args: never[]) => E, f: () => unknown): E {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error('expected a throw');
}

const experiment = (populations: unknown[]) => ({ populations, duration_ms: 1 });

describe('population sizes', () => {
  afterEach(() => pynn.end());

  it('Population(1e9) is refused at once, naming the size and the chip limit', () => {
    pynn.setup(IDEAL);
    const error = thrownBy(pynn.ParameterError, () => new pynn.Population(1e9, new pynn.IF_curr_exp(), { label: 'huge' }));
    expect(error).toMatchObject({ population: 'huge', parameter: 'size', value: 1e9, limit: NEURON_COUNT });
    expect(error.message).toMatch(/1000000000 IF_curr_exp neurons exceeds the chip's 512 neurons/);
    expect(pynn.simulator().populations).toHaveLength(0);
  });

  it('the neuron populations of a simulator together fit the chip; sources do not count', () => {
    pynn.setup(IDEAL);
    new pynn.Population(300, new pynn.IF_curr_exp(), { label: 'a' });
    new pynn.Population(1000, new pynn.SpikeSourceArray(), { label: 'src' });
    new pynn.Population(212, new pynn.HXNeuron(), { label: 'b' });
    const error = thrownBy(pynn.ParameterError, () => new pynn.Population(1, new pynn.IF_cond_exp(), { label: 'c' }));
    expect(error).toMatchObject({ population: 'c', value: 513, limit: 512 });
    expect(error.message).toMatch(/'c' of 1 neurons would bring .* to 513 neurons; the chip has 512 \(512 are taken by 'a', 'b'\)/);
    expect(pynn.simulator().populations.map((p) => p.label)).toEqual(['a', 'src', 'b']);
  });

  it('spike sources are limited by the external labels the input path can address', () => {
    pynn.setup(IDEAL);
    expect(MAX_EXTERNAL_SOURCES).toBe(4 * 32 * 64);
    expect(new pynn.Population(MAX_EXTERNAL_SOURCES, new pynn.SpikeSourcePoisson(), { label: 'ok' }).size).toBe(8192);
    const error = thrownBy(pynn.ParameterError, () => new pynn.Population(MAX_EXTERNAL_SOURCES + 1, new pynn.SpikeSourceArray(), { label: 'many' }));
    expect(error).toMatchObject({ population: 'many', value: 8193, limit: 8192 });
  });

  it('random sizes either construct or throw the typed error, never anything else', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -5, max: 10_000 }), fc.constantFrom(1e9, 2 ** 53, NaN, Infinity, -Infinity, 0.5)),
        fc.constantFrom('lif', 'hx', 'array', 'poisson'),
        (size, kind) => {
          pynn.setup(IDEAL);
          try {
            const cell = kind === 'lif' ? new pynn.IF_curr_exp() : kind === 'hx' ? new pynn.HXNeuron() : kind === 'array' ? new pynn.SpikeSourceArray() : new pynn.SpikeSourcePoisson();
            const fits = Number.isSafeInteger(size) && size >= 1 && size <= pynn.maxPopulationSize(cell);
            try {
              expect(new pynn.Population(size, cell).size).toBe(size);
              expect(fits).toBe(true);
            } catch (error) {
              expect(error).toBeInstanceOf(pynn.ParameterError);
              expect(fits).toBe(false);
            }
          } finally {
            void pynn.end();
          }
        },
      ),
      { seed: 18, numRuns: 60 },
    );
  });

  it('experiment files: a size beyond the limit is a path-pointed issue', () => {
    const error = thrownBy(pynn.ExperimentError, () => pynn.parseExperiment(experiment([{ label: 'n', size: 1000000000, cellType: 'IF_curr_exp', record: ['spikes'] }])));
    expect(error.issues).toEqual([{ path: 'populations[0].size', message: expect.stringMatching(/at most 512 members.*\(got 1000000000\)/) as unknown }]);
    const sources = thrownBy(pynn.ExperimentError, () => pynn.parseExperiment(experiment([{ label: 's', size: 8193, cellType: 'SpikeSourceArray' }])));
    expect(sources.issues[0]).toMatchObject({ path: 'populations[0].size' });
    const total = thrownBy(pynn.ExperimentError, () =>
      pynn.parseExperiment(experiment([{ label: 'a', size: 400, cellType: 'IF_curr_exp' }, { label: 's', size: 600, cellType: 'SpikeSourceArray' }, { label: 'b', size: 113, cellType: 'HXNeuron' }])),
    );
    expect(total.issues).toEqual([{ path: 'populations[2].size', message: expect.stringMatching(/to 513 neurons; the chip has 512/) as unknown }]);
  });
});

describe('input spikes per run', () => {
  afterEach(() => pynn.end());

  it('1,000,000 spike times are refused by run() as a RunError naming the population, the count and the limit', async () => {
    pynn.setup(IDEAL);
    const spike_times = Array.from({ length: 1_000_000 }, (_, k) => k * 1e-3);
    const src = new pynn.Population(1, new pynn.SpikeSourceArray({ spike_times }), { label: 'dense' });
    const n = new pynn.Population(1, new pynn.IF_curr_exp(), { label: 'n' });
    new pynn.Projection(src, n, new pynn.OneToOneConnector());
    const error = await pynn.run(1000).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(pynn.RunError);
    // 1000 ms biological = 1000 µs of chip time.
    expect(error).toMatchObject({ population: 'dense', value: 1_000_000, limit: maxInputSpikes(1000) });
    expect((error as Error).message).toContain(`at most ${maxInputSpikes(1000)}`);
  });
});

describe('experiment file size and nesting', () => {
  it('a 200,000-deep array or object is a typed issue, not a stack overflow', () => {
    const arrays = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const objects = `${'{"a":'.repeat(200_000)}1${'}'.repeat(200_000)}`;
    for (const text of [arrays, objects]) {
      const error = thrownBy(pynn.ExperimentError, () => pynn.parseExperimentText(text, 'deep.json'));
      expect(error.issues).toHaveLength(1);
      expect(error.issues[0]!.message).toMatch(/nesting deeper than 64 levels/);
      expect(error.message).toMatch(/^deep\.json is invalid/);
    }
  });

  it('a deep parsed value is refused with the path of the first too-deep element', () => {
    let value: unknown = 1;
    for (let k = 0; k < 200_000; k++) value = { a: value };
    const error = thrownBy(pynn.ExperimentError, () => pynn.parseExperiment(value));
    expect(error.issues[0]!.path).toBe(`a${'.a'.repeat(63)}`);
    expect(error.issues[0]!.message).toMatch(/nested 65 levels deep; .* at most 64 levels/);
  });

  it('a file over the size limit is refused before parsing', () => {
    const over = ' '.repeat(pynn.EXPERIMENT_LIMITS.maxBytes + 1);
    const error = thrownBy(pynn.ExperimentError, () => pynn.parseExperimentText(over));
    expect(error.issues[0]!.message).toMatch(/more than 67108864 bytes/);
    // The limit counts UTF-8 bytes: 'é' takes two.
    const limits = { maxBytes: 10, maxDepth: 64 };
    expect(() => pynn.parseExperimentText('"éééééé"', 'x', limits)).toThrow(/more than 10 bytes/);
    expect(() => pynn.parseExperimentText('"éééé"', 'x', limits)).not.toThrow(/bytes/);
  });

  it('text that is not JSON is an issue too; a valid file parses as from its value', () => {
    expect(thrownBy(pynn.ExperimentError, () => pynn.parseExperimentText('{"populations": [')).issues[0]!.message).toMatch(/^not JSON/);
    const file = experiment([{ label: 'n', size: 2, cellType: 'IF_curr_exp' }]);
    expect(pynn.parseExperimentText(JSON.stringify(file))).toEqual(pynn.parseExperiment(file));
  });
});

describe('non-finite numbers in messages', () => {
  it('describeValue keeps NaN and ±Infinity, nested too', () => {
    expect(describeValue([1, NaN, Infinity, -Infinity])).toBe('[1,NaN,Infinity,-Infinity]');
    expect(describeValue({ w: NaN })).toBe('{"w":NaN}');
    expect(describeValue(Float64Array.of(1, Infinity))).toBe('[1,Infinity]');
    expect(describeValue('x'.repeat(100), 10)).toBe('"xxxxxx...');
  });

  it('a FromListConnector entry with NaN or Infinity shows them', () => {
    expect(() => new pynn.FromListConnector([[0, 1, NaN]])).toThrow(/got \[0,1,NaN\]/);
    expect(() => new pynn.FromListConnector([[0, Infinity]])).toThrow(/got \[0,Infinity\]/);
    expect(() => new pynn.FromListConnector([[-Infinity, 0]])).toThrow(/got \[-Infinity,0\]/);
  });

  it('an experiment issue shows the non-finite value', () => {
    const error = thrownBy(pynn.ExperimentError, () => pynn.parseExperiment({ populations: [{ label: 'n', size: 1, cellType: 'IF_curr_exp' }], duration_ms: Infinity }));
    expect(error.issues[0]).toMatchObject({ path: 'duration_ms' });
    expect(error.issues[0]!.message).toMatch(/Infinity/);
    const nan = thrownBy(pynn.ExperimentError, () => pynn.parseExperiment({ populations: [{ label: 'n', size: NaN, cellType: 'IF_curr_exp' }], duration_ms: 1 }));
    expect(nan.issues[0]!.message).toMatch(/NaN/);
  });

  it('a parameter error shows the non-finite value', () => {
    pynn.setup(IDEAL);
    try {
      expect(() => new pynn.Population(1, new pynn.SpikeSourceArray({ spike_times: [1, NaN] }))).toThrow(/spike_times = \[1,NaN\]/);
    } finally {
      void pynn.end();
    }
  });
});

describe('record() with a value that is no variable name (fuzz finding, seed 2664641519)', () => {
  afterEach(() => pynn.end());

  it('is a RecordingError naming the value, not a TypeError', () => {
    pynn.setup({ idealChip: true, calibration: 'nominal' });
    const p = new pynn.Population(2, new pynn.IF_curr_exp(), { label: 'p' });
    for (const bad of [-Infinity, 3, {}, [1], ['v', 2]]) {
      const error = (() => {
        try {
          p.record(bad as never);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(pynn.RecordingError);
    }
    expect(() => p.record(-Infinity as never)).toThrow(/got -Infinity \(population 'p'\)/);
  });
});
