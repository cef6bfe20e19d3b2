// Pre events recorded per (row, address) group until the first post-pulse must leave the correlation sensors
// exactly where per-synapse bookkeeping leaves them, through label changes, chip resets and post-pulses. Few runs:
// each chip reset recompiles the whole routing table on the next event (tens of ms).
import { BlockPostPulseOnDLS, SynapseDriverOnDLS } from '@bss2/halco';
import { BlockPostPulse, SynapseDriverConfig } from '@bss2/lola';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Bench, SEED, bench } from './helpers.js';
import { circuitOf, openEventPath, writeSynapse } from './fixtures.js';

type Operation =
  | { kind: 'event'; label: number }
  | { kind: 'label'; row: number; column: number; weight: number; label: number }
  | { kind: 'post'; column: number }
  | { kind: 'blockPost'; block: number }
  | { kind: 'reset' };

const ROWS = 4;
const COLUMNS = [0, 1, 2, 3, 32, 33];

const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('event' as const), label: fc.integer({ min: 0, max: 3 }) }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('label' as const),
      row: fc.integer({ min: 0, max: ROWS - 1 }),
      column: fc.constantFrom(...COLUMNS),
      weight: fc.integer({ min: 0, max: 63 }),
      label: fc.integer({ min: 0, max: 3 }),
    }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('post' as const), column: fc.constantFrom(...COLUMNS) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('blockPost' as const), block: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reset' as const }) },
);

/** Drivers 0 and 1 (rows 0..3 of synram 0) take every event; synapses at COLUMNS carry labels 0..3. */
function chip(groupPreEvents: boolean): Bench {
  const b = bench({ groupPreEvents });
  openEventPath(b, { recording: false });
  for (const d of [0, 1]) b.write(new SynapseDriverOnDLS(d), new SynapseDriverConfig({ enableReceiver: true }));
  return b;
}

function apply(b: Bench, op: Operation, cycle: number): void {
  switch (op.kind) {
    case 'event':
      b.router.routeExternalEvent(op.label, cycle);
      break;
    case 'label':
      writeSynapse(b, 0, op.row, op.column, op.weight, op.label);
      break;
    case 'post':
      b.router.routeNeuronSpike(circuitOf(0, op.column), cycle);
      break;
    case 'blockPost':
      b.write(new BlockPostPulseOnDLS(op.block), new BlockPostPulse(), cycle);
      break;
    case 'reset':
      b.router.onReset(cycle);
      break;
  }
}

describe('correlation sensors: pre events grouped per (row, address)', () => {
  it('give bit-identical causal and acausal accumulators to per-synapse bookkeeping', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(operation, fc.integer({ min: 0, max: 400 })), { minLength: 10, maxLength: 30 }), (ops) => {
        const grouped = chip(true);
        const reference = chip(false);
        let cycle = 10;
        for (const [op, gap] of ops) {
          cycle += gap;
          apply(grouped, op, cycle);
          apply(reference, op, cycle);
        }
        expect(grouped.router.correlation.causal).toEqual(reference.router.correlation.causal);
        expect(grouped.router.correlation.acausal).toEqual(reference.router.correlation.acausal);
      }),
      { seed: SEED, numRuns: 8 },
    );
  });
});
