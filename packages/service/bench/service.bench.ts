// `service.*`: the scheduling service under load (issue 16's acceptance): --users clients (default 16), each
// writing and reading back --programs small programs (default 1,000; a register write and read each, distinct
// values per user, 4 in flight per client) through the service over TCP on 127.0.0.1, with --chips chip
// workers (default 2).
//
// `service.programs_per_s`: programs answered per wall second, all users together (from the first program
// sent to the last answer). `service.fairness`: Jain's index over per-user completions when the first user
// finished (every user active until then). `service.p99_wait_ms`: 99th percentile of the time a program waited
// in the queue before a chip started it (the service's own metric).
//
// Options (`pnpm bench service [options]`): --users N, --programs N, --chips N.
import { parseArgs } from 'node:util';
import type { Benchmark } from '@bss2/bench';
import { runLoad } from '../test/load.js';
import { startTestService } from '../test/service-harness.js';

function wholeNumber(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new RangeError(`service bench: ${flag} takes a whole number ≥ 1, got '${value}'`);
  return Number(value);
}

export const benchmarks: Benchmark[] = [
  {
    name: 'service.load',
    async run(options) {
      const text = { type: 'string' } as const;
      const { values } = parseArgs({ args: [...options], options: { users: text, programs: text, chips: text }, strict: true });
      const users = wholeNumber('--users', values.users, 16);
      const programs = wholeNumber('--programs', values.programs, 1000);
      const chips = wholeNumber('--chips', values.chips, 2);
      const service = await startTestService({ chips });
      try {
        const result = await runLoad(service, users, programs);
        if (result.lost !== 0 || result.wrong !== 0) throw new Error(`service bench: ${result.lost} lost and ${result.wrong} wrong answers`);
        const metrics = service.metrics();
        const inputs = { users, programs_per_user: programs, chips, in_flight_per_client: 4, transport: 'tcp 127.0.0.1', program: 'omnibus write + read + halt (32 bytes)' };
        return [
          { name: 'service.programs_per_s', value: Math.round(result.programs / (result.elapsed_ms / 1000)), unit: 'programs/s', inputs, programs: result.programs, elapsed_ms: Math.round(result.elapsed_ms) },
          { name: 'service.fairness', value: Math.round(result.fairness * 10_000) / 10_000, unit: "Jain's index", inputs, completed_at_first_finish: result.completedAtFirstFinish },
          { name: 'service.p99_wait_ms', value: Math.round(metrics.wait_ms.p99 * 1000) / 1000, unit: 'ms', inputs, p50_wait_ms: metrics.wait_ms.p50, p99_run_ms: Math.round(metrics.run_ms.p99 * 1000) / 1000 },
        ];
      } finally {
        await service.close();
      }
    },
  },
];
