// The simulated chip's options, described once: chip-sim checks its own with these schemas, and pynn's setup()
// and experiment files build theirs from them. Nothing but zod here, so `@bss2/chip-sim/options` gives the
// rules without loading the simulator. Each message is the rule alone ("a boolean"): every consumer frames it
// with the option's name and value in its own error.
import * as z from 'zod';

const UINT32_MAX = 0xffff_ffff;

/** The chip seed when none is given: pynn's built-in chip, experiment files and `bss2 sim serve` share it. */
export const DEFAULT_CHIP_SEED = 1;

const SEED_RULE = `an integer in 0..${UINT32_MAX}`;

/** The chip's identity; it seeds the fixed-pattern variation (architecture.md). */
export const chipSeedSchema = z
  .int({ error: SEED_RULE })
  .min(0, { error: SEED_RULE })
  .max(UINT32_MAX, { error: SEED_RULE })
  .meta({ description: "the chip's identity, seeding its fixed-pattern variation" });

// Analog steps fall on the 2 ns grid of the 500 MHz MADC clock (hardware.md §1.1).
const STEP_RULE = 'a positive multiple of 2 ns (the 500 MHz MADC clock)';
const FLAG_RULE = 'a boolean';

const analogShape = {
  idealChip: z.boolean({ error: FLAG_RULE }).optional().meta({ description: 'no fixed-pattern variation: exactly the nominal transfer functions of hardware.md §8.3 (default false)' }),
  temporalNoise: z.boolean({ error: FLAG_RULE }).optional().meta({ description: 'seeded temporal noise of hardware.md §8.4 (default false)' }),
  analogStep_ns: z
    .int({ error: STEP_RULE })
    .positive({ error: STEP_RULE })
    .multipleOf(2, { error: STEP_RULE })
    .optional()
    .meta({ description: 'the fixed step of the analog model, ns (default 100)' }),
  engine: z
    .enum(['auto', 'wasm', 'typescript'], { error: "'auto', 'wasm' or 'typescript'" })
    .optional()
    .meta({ description: "the neuron engine's hot loops: WebAssembly SIMD or TypeScript, bit-identical results ('auto', the default: WebAssembly where the runtime has SIMD)" }),
  ppuTimeout_cycles: z
    .int({ error: 'a positive integer number of PPU cycles' })
    .positive({ error: 'a positive integer number of PPU cycles' })
    .optional()
    .meta({ description: 'the PPU instruction timeout: PPU cycles (250 per µs) a core may run after its start without halting (default 2 500 000, 10 ms)' }),
  voltageTransfer: z
    .enum(['perParameter', 'datasheet'], { error: "'perParameter' or 'datasheet'" })
    .optional()
    .meta({ description: "how the leak, reset and threshold settings become potentials: each its own transfer ('perParameter', the default, as the reference chip and its tutorials) or hardware.md §8.3's one formula for every voltage cell ('datasheet')" }),
};

const ANALOG_KEYS = Object.keys(analogShape);

/** Options of the analog chip model (`SimulatedChip({ analog })`); unknown keys are refused. */
export const analogOptionsSchema = z.strictObject(analogShape, {
  error: (issue) =>
    issue.code === 'unrecognized_keys'
      ? `only the options ${ANALOG_KEYS.join(', ')} (not ${issue.keys.join(', ')})`
      : issue.code === 'invalid_type'
        ? `an object { ${ANALOG_KEYS.map((key) => `${key}?`).join(', ')} }`
        : undefined,
});

/** The analog options as checked (the type the schema gives): one source for every consumer's type. */
export type AnalogOptions = z.output<typeof analogOptionsSchema>;
