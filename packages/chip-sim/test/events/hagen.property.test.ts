import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HAGEN_DAC_OFFSET_STEPS_PER_LSB, hagenActivationFactor, hagenDacThreshold } from '../../src/events/index.js';
import { ChipVariation } from '../../src/analog/variation.js';

describe('integrator-mode DAC (hardware.md §3.6, chip-sim Choice)', () => {
  it('scales the pulse by activation / 31 on the ideal chip, and loses the threshold otherwise, never below 0', () => {
    for (let a = 0; a <= 31; a++) expect(hagenActivationFactor(a)).toBe(a / 31);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 31 }), fc.double({ min: -2, max: 5, noNaN: true }), (a, threshold) => {
        const f = hagenActivationFactor(a, threshold);
        expect(f).toBeGreaterThanOrEqual(0);
        expect(f).toBeCloseTo(Math.max(0, a - threshold) / 31, 12);
        // Monotonic in the activation.
        if (a < 31) expect(hagenActivationFactor(a + 1, threshold)).toBeGreaterThanOrEqual(f);
      }),
      { seed: 3, numRuns: 300 },
    );
  });

  it('lets hagen_dac_offset cancel the fixed-pattern offset to within 1/32 LSB across its reach', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 63 / HAGEN_DAC_OFFSET_STEPS_PER_LSB, noNaN: true }), (offset) => {
        const trim = Math.round(offset * HAGEN_DAC_OFFSET_STEPS_PER_LSB);
        expect(Math.abs(hagenDacThreshold(offset, trim))).toBeLessThanOrEqual(1 / (2 * HAGEN_DAC_OFFSET_STEPS_PER_LSB) + 1e-12);
      }),
      { seed: 4, numRuns: 200 },
    );
    expect(hagenDacThreshold(0, 0)).toBe(0);
  });

  it('draws each driver its own DAC offset from the chip seed; the ideal chip has none', () => {
    const chip = ChipVariation.fromSeed(9);
    expect(ChipVariation.fromSeed(9).hagenDacOffset).toEqual(chip.hagenDacOffset);
    const values = Array.from(chip.hagenDacOffset);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeGreaterThan(1.3);
    expect(mean).toBeLessThan(1.7);
    expect(Array.from(ChipVariation.ideal().hagenDacOffset).every((v) => v === 0)).toBe(true);
  });
});
