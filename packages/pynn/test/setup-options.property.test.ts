// setup() and an experiment file's `setup` share one schema: on the JSON-able options they accept and refuse the
// same objects, name the same option when they refuse, and setup() passes accepted values on unchanged.
import { DEFAULT_CHIP_SEED } from '@bss2/chip-sim/options';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SetupError } from '../src/errors.js';
import { setupSchema } from '../src/experiment/schema.js';
import { type CheckedSetup, type SetupOptions, checkSetupOptions, setupFileShape, setupOptionsSchema } from '../src/setup-options.js';

const SHARED_KEYS = Object.keys(setupFileShape);

// Values each option documents as valid; a key without an entry gets only the mixed values below.
const documented: Record<string, fc.Arbitrary<unknown>> = {
  chipSeed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  idealChip: fc.boolean(),
  temporalNoise: fc.boolean(),
  analogStep_ns: fc.integer({ min: 1, max: 5000 }).map((half) => 2 * half),
  calibration: fc.constantFrom('calibrate', 'nominal'),
  neuronPermutation: fc.array(fc.nat(511), { maxLength: 4 }),
  onChipPoisson: fc.constantFrom('auto', 'never'),
  engine: fc.constantFrom('auto', 'wasm', 'typescript'),
  voltageTransfer: fc.constantFrom('perParameter', 'datasheet'),
  ppuTimeout_cycles: fc.integer({ min: 1, max: 2 ** 40 }),
  seed: fc.integer(),
  enableNeuronBypass: fc.boolean(),
  initialConfig: fc.constant('calibration'),
};

// JSON values of every kind, near the edges of the rules (negative, odd, 2^32, fractions, foreign strings).
const mixed = fc.oneof(
  fc.integer({ min: -3, max: 2 ** 32 + 3 }),
  fc.constantFrom(-1, 0, 1, 3, 1.5, 2 ** 32 - 1, 2 ** 32, 2 ** 53),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constantFrom('calibrate', 'nominal', 'auto', 'never', 'fast', ''),
  fc.array(fc.integer({ min: -2, max: 600 }), { maxLength: 3 }),
  fc.constant(null),
);

const setupArbitrary = fc.record(
  Object.fromEntries(SHARED_KEYS.map((key) => [key, documented[key] === undefined ? mixed : fc.oneof({ arbitrary: documented[key], weight: 6 }, { arbitrary: mixed, weight: 1 })])),
  { requiredKeys: [] },
);

function checked(options: Record<string, unknown>): CheckedSetup | SetupError {
  try {
    return checkSetupOptions(options as SetupOptions);
  } catch (error) {
    if (error instanceof SetupError) return error;
    throw error;
  }
}

describe('setup() options and an experiment file’s setup: one schema', () => {
  it('the same objects are accepted and refused; a refusal names an option the file schema names too', () => {
    const outcomes = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(setupArbitrary, (options) => {
        const file = setupSchema.safeParse(options);
        const result = checked(options);
        expect(result instanceof SetupError).toBe(!file.success);
        if (result instanceof SetupError) {
          outcomes.refused++;
          const named = file.error!.issues.map((issue) => String(issue.path[0]));
          expect(named).toContain(result.parameter!.split('.')[0]);
          expect(result.value).toEqual(options[result.parameter as keyof typeof options]);
        } else {
          outcomes.accepted++;
          expect(result.chip.seed).toBe(options.chipSeed ?? DEFAULT_CHIP_SEED);
          for (const key of ['idealChip', 'temporalNoise', 'analogStep_ns'] as const) expect(result.chip.analog[key]).toBe(options[key]);
        }
      }),
      { seed: 0x5e7, numRuns: 1000 },
    );
    // Both sides of the equivalence were exercised.
    expect(outcomes.accepted).toBeGreaterThan(100);
    expect(outcomes.refused).toBeGreaterThan(100);
  });

  it('a key neither knows is refused by both; setup() names it when the known options are valid', () => {
    const unknownKey = fc.string({ minLength: 1 }).filter((key) => !(key in setupOptionsSchema.shape) && !(key in Object.prototype));
    fc.assert(
      fc.property(setupArbitrary, unknownKey, fc.integer(), (options, key, value) => {
        const extended = { ...options, [key]: value };
        expect(setupSchema.safeParse(extended).success).toBe(false);
        const result = checked(extended);
        expect(result).toBeInstanceOf(SetupError);
        if (setupSchema.safeParse(options).success) {
          expect(result).toMatchObject({ parameter: key, value });
          expect((result as SetupError).message).toContain(`setup() has no option '${key}'; options: chipSeed, connection, `);
        }
      }),
      { seed: 0x5e8, numRuns: 300 },
    );
  });
});
