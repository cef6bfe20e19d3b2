// The correlation sensors behind the CADC rows (hardware.md §8.2): a post-pulse visits only the rows that saw a
// pre event since the reset, which must add exactly what visiting every row of the synram adds; and the half-row
// reset of the PPU's read-and-reset windows clears exactly the strided synapses it names.
import { nominal } from '@bss2/lola';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AnalogChipModel, CORRELATION_TRIM_STEP, ChipSimArgumentError, type CorrelationSensors, SimulatedChip } from '../src/index.js';

const HORIZON_TAUS = 40;

type Step =
  | { kind: 'pre'; row: number; column: number; dt: number }
  | { kind: 'post'; column: number; dt: number }
  | { kind: 'resetHalfRow'; row: number; parity: number }
  | { kind: 'reset' };

/** Few rows and columns, so that pairs happen; times move forward by up to a few τ_c. */
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('pre' as const), row: fc.constantFrom(0, 3, 100, 255, 256, 300, 511), column: fc.integer({ min: 0, max: 7 }), dt: fc.integer({ min: 0, max: 3000 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('post' as const), column: fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7, 256, 257, 258), dt: fc.integer({ min: 0, max: 3000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resetHalfRow' as const), row: fc.constantFrom(0, 3, 256, 300), parity: fc.constantFrom(0, 1) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reset' as const }) },
);

function sensorsOf(seed: number): { model: AnalogChipModel; correlation: CorrelationSensors } {
  const chip = new SimulatedChip({ seed, analog: { idealChip: false } });
  const model = chip.model as AnalogChipModel;
  return { model, correlation: model.router.correlation };
}

describe('correlation sensors under CADC rows', () => {
  const { model, correlation } = sensorsOf(5);
  const t = model.router.topology;
  const gains = model.variation.correlationSensors;
  const tau_cycles = correlation.parameters.tau_us * nominal.fpgaClockCyclesPerUs;

  it('a post-pulse adds what a scan of all rows of its synram adds (nearest-neighbour rule of §8.2)', () => {
    // Out of grouped mode (the event path's shortcut before the first post-pulse) so pre events are per synapse.
    correlation.reset();
    correlation.post(0, 0);
    const expected = { causal: correlation.causal.slice(), acausal: correlation.acausal.slice() };
    let cycle = 1;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        for (const s of steps) {
          if (s.kind === 'pre') {
            cycle += s.dt;
            const synapse = t.rowSynapseBase[s.row]! + s.column;
            correlation.pre(synapse, t.rowSynram[s.row]! * t.columns + s.column, cycle);
            // The acausal branch is not what changed; follow it from the sensors.
            expected.acausal[synapse] = correlation.acausal[synapse]!;
          } else if (s.kind === 'post') {
            cycle += s.dt;
            const synram = Math.floor(s.column / t.columns);
            const column = s.column % t.columns;
            const rowsPerSynram = t.rows / t.synrams;
            for (let row = synram * rowsPerSynram; row < (synram + 1) * rowsPerSynram; row++) {
              const syn = t.rowSynapseBase[row]! + column;
              const elapsed = cycle - correlation.lastPre_cycles[syn]!;
              if (!(elapsed >= 0)) continue;
              // Trims are 0 (power-on synapses): factor 1.
              const x = elapsed / (tau_cycles * CORRELATION_TRIM_STEP ** 0 * gains.tauGainCausal[syn]!);
              if (x < HORIZON_TAUS) expected.causal[syn]! += correlation.parameters.amplitude_lsb * CORRELATION_TRIM_STEP ** 0 * gains.amplitudeGainCausal[syn]! * Math.exp(-x);
            }
            correlation.post(s.column, cycle);
          } else if (s.kind === 'resetHalfRow') {
            const first = t.rowSynapseBase[s.row]! + s.parity;
            correlation.resetSynapses(first, 128, 2);
            for (let k = 0; k < 128; k++) expected.causal[first + 2 * k] = expected.acausal[first + 2 * k] = 0;
          } else {
            correlation.reset();
            correlation.post(0, cycle);
            expected.causal.fill(0);
            expected.acausal.fill(0);
          }
        }
        for (let i = 0; i < expected.causal.length; i++) {
          if (correlation.causal[i] !== expected.causal[i] || correlation.acausal[i] !== expected.acausal[i]) {
            expect.fail(`synapse ${i}: causal ${correlation.causal[i]} (expected ${expected.causal[i]}), acausal ${correlation.acausal[i]} (expected ${expected.acausal[i]})`);
          }
        }
      }),
      { seed: 1, numRuns: 60 },
    );
    // Pairs happened (else the property would hold trivially).
    expect(correlation.causal.some((v) => v > 0)).toBe(true);
  });

  it('resetSynapses clears exactly the strided synapses and refuses ranges off the array', () => {
    correlation.reset();
    correlation.causal.fill(3);
    correlation.acausal.fill(4);
    correlation.resetSynapses(65_536 + 7 * 256 + 1, 128, 2);
    for (let s = 0; s < correlation.causal.length; s++) {
      const cleared = s >= 65_536 + 7 * 256 && s < 65_536 + 8 * 256 && s % 2 === 1;
      if (correlation.causal[s] !== (cleared ? 0 : 3) || correlation.acausal[s] !== (cleared ? 0 : 4)) expect.fail(`synapse ${s}`);
    }
    const last = correlation.causal.length - 1;
    expect(() => correlation.resetSynapses(last - 10, 128, 2)).toThrow(ChipSimArgumentError);
    expect(() => correlation.resetSynapses(-2, 1, 1)).toThrow(/SynapseOnDLS values/);
    expect(() => correlation.resetSynapses(0, 2, 0)).toThrow(ChipSimArgumentError);
    expect(() => correlation.resetSynapses(0, -1, 1)).toThrow(ChipSimArgumentError);
    correlation.resetSynapses(last, 0, 1);
    expect(correlation.causal[last]).toBe(3);
    correlation.reset();
  });
});
