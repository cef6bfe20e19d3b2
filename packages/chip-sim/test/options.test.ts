// The chip's option schemas (src/options.ts): the documented values, the same verdict as SimulatedChip's own
// checks, and an entry (`@bss2/chip-sim/options`) that loads nothing of the simulator.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type AnalogChipModelOptions, ChipSimArgumentError, DEFAULT_CHIP_SEED, DigitalOnlyModel, SimulatedChip, analogOptionsSchema, chipSeedSchema } from '../src/index.js';
import { SEED } from './helpers.js';

const accepts = (schema: { safeParse(value: unknown): { success: boolean } }, value: unknown) => schema.safeParse(value).success;

/** The ChipSimArgumentError `build` throws, or undefined. */
function argumentError(build: () => unknown): ChipSimArgumentError | undefined {
  try {
    build();
    return undefined;
  } catch (error) {
    if (error instanceof ChipSimArgumentError) return error;
    throw error;
  }
}

describe('chipSeedSchema', () => {
  it('takes the integers 0..2^32 − 1, the default among them', () => {
    for (const seed of [0, 1, DEFAULT_CHIP_SEED, 2 ** 32 - 1]) expect(accepts(chipSeedSchema, seed)).toBe(true);
    for (const seed of [-1, 2 ** 32, 1.5, NaN, Infinity, '1', null, undefined]) expect(accepts(chipSeedSchema, seed)).toBe(false);
    expect(DEFAULT_CHIP_SEED).toBe(1);
  });

  it('is what SimulatedChip checks its seed with: the same verdict, the same message', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -(2 ** 33), max: 2 ** 33 }), fc.double()), (seed) => {
        const error = argumentError(() => new SimulatedChip({ seed, model: () => new DigitalOnlyModel() }));
        const valid = accepts(chipSeedSchema, seed);
        expect(error?.argument === 'seed').toBe(!valid);
        if (!valid) expect(error!.message).toBe(`seed = ${seed} is invalid: expected an integer in 0..4294967295`);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('analogOptionsSchema', () => {
  it('takes an even positive step in ns and two booleans, each optional, and nothing else', () => {
    for (const options of [{}, { analogStep_ns: 2 }, { analogStep_ns: 100 }, { idealChip: true, temporalNoise: false, analogStep_ns: 1000 }]) {
      expect(accepts(analogOptionsSchema, options)).toBe(true);
    }
    const refused = [{ analogStep_ns: 0 }, { analogStep_ns: 3 }, { analogStep_ns: -2 }, { analogStep_ns: 2.5 }, { analogStep_ns: '2' }, { idealChip: 'yes' }, { temporalNoise: 1 }, { step_ns: 2 }, null, 5];
    for (const options of refused) expect(accepts(analogOptionsSchema, options)).toBe(false);
  });

  it('is what the analog model checks its options with: the same verdict, naming the option', () => {
    const value = fc.oneof(fc.integer({ min: -4, max: 1000 }), fc.double({ min: 0, max: 10 }), fc.boolean(), fc.constant('2'));
    const options = fc.record({ analogStep_ns: value, idealChip: value, temporalNoise: value, foreign: value }, { requiredKeys: [] });
    fc.assert(
      fc.property(options, (analog) => {
        const error = argumentError(() => new SimulatedChip({ seed: 1, analog: analog as AnalogChipModelOptions }));
        const parsed = analogOptionsSchema.safeParse(analog);
        expect(error === undefined).toBe(parsed.success);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          expect(error!.argument).toBe(issue.code === 'unrecognized_keys' ? 'analog' : issue.path[0]);
          expect(error!.message).toContain(`is invalid: expected ${issue.message}`);
        }
      }),
      { seed: SEED, numRuns: 200 },
    );
    expect(argumentError(() => new SimulatedChip({ seed: 1, analog: { analogStep_ns: 3 } }))!.message).toBe(
      'analogStep_ns = 3 is invalid: expected a positive multiple of 2 ns (the 500 MHz MADC clock)',
    );
  });
});

describe('the @bss2/chip-sim/options entry', () => {
  it('is declared in package.json and its build imports nothing but zod (no simulator code)', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { exports: Record<string, { default: string }>; dependencies: Record<string, string> };
    const entry = manifest.exports['./options']!.default;
    expect(entry).toBe('./dist/options.js');
    expect(manifest.dependencies.zod).toBeDefined();
    const code = readFileSync(new URL(`../${entry}`, import.meta.url), 'utf8');
    const specifiers = [...code.matchAll(/^\s*(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/gm)].map((m) => m[1] ?? m[2]);
    expect(specifiers).toEqual(['zod']);
  });

  it('resolves by name to the same schemas as the main entry', async () => {
    const entry = await import('@bss2/chip-sim/options');
    expect(entry.DEFAULT_CHIP_SEED).toBe(DEFAULT_CHIP_SEED);
    expect(Object.keys(entry.analogOptionsSchema.shape)).toEqual(Object.keys(analogOptionsSchema.shape));
    expect(entry.chipSeedSchema.safeParse(2 ** 32).success).toBe(false);
  });
});
