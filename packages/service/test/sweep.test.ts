// Sweep grids: `path=v1,v2` specs, paths into the experiment JSON, the cartesian product, and every point checked
// against the experiment schema before anything could be enqueued.
import { ExperimentError } from '@bss2/pynn';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SWEEP_POINTS, SweepGridError, parseGridPath, parseGridSpec, sweepPoints } from '../src/node/index.js';
import { tinyExperiment } from './redis-harness.js';

describe('grid specs and paths', () => {
  it('parses values as JSON where they parse, text otherwise', () => {
    expect(parseGridSpec('populations[1].cellParams.tau_m=5, 10,2.5e1')).toEqual({ path: 'populations[1].cellParams.tau_m', values: [5, 10, 25] });
    expect(parseGridSpec('setup.calibration=nominal,"calibrate",true')).toEqual({ path: 'setup.calibration', values: ['nominal', 'calibrate', true] });
  });

  it('cellParams is a population’s parameters; other names stay', () => {
    expect(parseGridPath('populations[0].cellParams.tau_m')).toEqual(['populations', 0, 'parameters', 'tau_m']);
    expect(parseGridPath('projections[0].synapse.weight')).toEqual(['projections', 0, 'synapse', 'weight']);
    expect(parseGridPath('setup.cellParams')).toEqual(['setup', 'cellParams']);
  });

  it('refuses malformed specs and paths with SweepGridError naming them', () => {
    expect(() => parseGridSpec('tau_m')).toThrow(/grid 'tau_m': expected path=v1,v2/);
    expect(() => parseGridSpec('=5,10')).toThrow(SweepGridError);
    expect(() => parseGridSpec('setup.seed=1,,2')).toThrow(/value 2 is empty/);
    expect(() => parseGridPath('populations[x].size')).toThrow(/cannot read '\[x\]\.size'/);
    expect(() => parseGridPath('populations..size')).toThrow(SweepGridError);
  });

  it('a path printed from its segments parses back to them (property)', () => {
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/).filter((s) => s !== 'cellParams');
    const segments = fc.tuple(name, fc.array(fc.oneof(name, fc.nat({ max: 99 })), { maxLength: 5 })).map(([first, rest]) => [first, ...rest]);
    fc.assert(
      fc.property(segments, (path) => {
        const text = path.map((s, k) => (typeof s === 'number' ? `[${s}]` : k === 0 ? s : `.${s}`)).join('');
        expect(parseGridPath(text)).toEqual(path);
      }),
      { seed: 1, numRuns: 300 },
    );
  });
});

describe('sweepPoints', () => {
  it('the cartesian product, first axis outermost, each point named and checked', () => {
    const points = sweepPoints(tinyExperiment(), [parseGridSpec('setup.seed=1,2'), parseGridSpec('populations[1].cellParams.tau_m=5,10,20')]);
    expect(points.map((p) => [p.index, p.assignments['setup.seed'], p.assignments['populations[1].cellParams.tau_m']])).toEqual([
      [0, 1, 5], [1, 1, 10], [2, 1, 20], [3, 2, 5], [4, 2, 10], [5, 2, 20],
    ]);
    const point = points[4]!.experiment as { name: string; setup: { seed: number }; populations: { parameters: { tau_m: number } }[] };
    expect(point.name).toBe('tiny.point-4');
    expect(point.setup.seed).toBe(2);
    expect(point.populations[1]!.parameters.tau_m).toBe(10);
  });

  it('sets a key the file leaves at its default, and never changes the given experiment', () => {
    const experiment = tinyExperiment();
    const before = structuredClone(experiment);
    const [point] = sweepPoints(experiment, [parseGridSpec('populations[1].parameters.tau_refrac=3')]);
    expect((point!.experiment.populations as { parameters: Record<string, number> }[])[1]!.parameters.tau_refrac).toBe(3);
    expect(experiment).toEqual(before);
  });

  it('a path that does not exist is a SweepGridError naming it', () => {
    const error = (grid: string) => {
      try {
        sweepPoints(tinyExperiment(), [parseGridSpec(grid)]);
      } catch (e) {
        return e as SweepGridError;
      }
      throw new Error(`${grid} was accepted`);
    };
    expect(error('populations[2].parameters.tau_m=5')).toMatchObject({ name: 'SweepGridError', path: 'populations[2].parameters.tau_m' });
    expect(error('populations[2].parameters.tau_m=5').message).toBe("grid path 'populations[2].parameters.tau_m': populations[2] does not exist (the array has 2 element(s))");
    expect(error('setup.missing.deeper=1').message).toBe("grid path 'setup.missing.deeper': setup.missing does not exist in the experiment");
    expect(error('duration_ms[0]=1').message).toMatch(/duration_ms is not an array/);
  });

  it('a value the schema refuses is a SweepGridError at its grid path, listing the issues', () => {
    const grid = [parseGridSpec('setup.seed=1,2'), parseGridSpec('populations[1].cellParams.tau_m=5,-1')];
    let error: unknown;
    try {
      sweepPoints(tinyExperiment(), grid);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SweepGridError);
    expect((error as SweepGridError).path).toBe('populations[1].cellParams.tau_m');
    expect((error as Error).message).toMatch(/^sweep point 1 \(setup\.seed=1, populations\[1\]\.cellParams\.tau_m=-1\) is not a valid experiment at grid path 'populations\[1\]\.cellParams\.tau_m':\n {2}populations\[1\]\.parameters\.tau_m: /);
    // An unknown parameter name: the schema's strict objects refuse it.
    expect(() => sweepPoints(tinyExperiment(), [parseGridSpec('populations[1].parameters.tau_x=1')])).toThrow(/at grid path 'populations\[1\]\.parameters\.tau_x'/);
  });

  it('an invalid base experiment, an empty grid, repeated paths and oversized grids are refused', () => {
    expect(() => sweepPoints({ populations: [] }, [parseGridSpec('setup.seed=1')])).toThrow(ExperimentError);
    expect(() => sweepPoints(tinyExperiment(), [])).toThrow(/at least one grid axis/);
    expect(() => sweepPoints(tinyExperiment(), [parseGridSpec('populations[1].cellParams.tau_m=5'), parseGridSpec('populations[1].parameters.tau_m=6')])).toThrow(/is given twice/);
    const big = Array.from({ length: 101 }, (_, k) => k).join(',');
    expect(() => sweepPoints(tinyExperiment(), [parseGridSpec(`setup.seed=${big}`), parseGridSpec(`populations[1].cellParams.v_thresh=${big}`)])).toThrow(
      new RegExp(`10201 points \\(101 × 101\\); a sweep has at most ${MAX_SWEEP_POINTS}`),
    );
  });

  it('point count is the product of the axis lengths and every point carries its assignments (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 4 }), fc.array(fc.double({ min: 2, max: 50, noNaN: true }), { minLength: 1, maxLength: 3 }), (seeds, taus) => {
        const points = sweepPoints(tinyExperiment(), [{ path: 'setup.seed', values: seeds }, { path: 'populations[1].parameters.tau_m', values: taus }]);
        expect(points).toHaveLength(seeds.length * taus.length);
        for (const point of points) {
          expect((point.experiment.setup as { seed: number }).seed).toBe(seeds[Math.floor(point.index / taus.length)]);
          expect((point.experiment.populations as { parameters: { tau_m: number } }[])[1]!.parameters.tau_m).toBe(taus[point.index % taus.length]);
        }
      }),
      { seed: 1, numRuns: 30 },
    );
  });
});
