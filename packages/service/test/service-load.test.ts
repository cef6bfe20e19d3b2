import { afterEach, describe, expect, it } from 'vitest';
import type { Service } from '../src/node/index.js';
import { runLoad } from './load.js';
import { startTestService } from './service-harness.js';

let service: Service | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

describe('service under load (16 users, 2 chip workers)', () => {
  it('loses, duplicates and mixes up nothing, and serves users fairly', async () => {
    const audit: Array<{ user: string; sequence: number; outcome: string }> = [];
    service = await startTestService({ chips: 2, auditLog: (line) => audit.push(JSON.parse(line)) });
    const programsPerUser = 250;
    const result = await runLoad(service, 16, programsPerUser);
    expect(result).toMatchObject({ programs: 16 * programsPerUser, lost: 0, wrong: 0 });
    // Exactly once: every user's sequence numbers 1..n, each once, all ok.
    const perUser = new Map<string, number[]>();
    for (const line of audit) perUser.set(line.user, [...(perUser.get(line.user) ?? []), line.sequence]);
    expect(perUser.size).toBe(16);
    for (const sequences of perUser.values()) expect(sequences).toEqual(Array.from({ length: programsPerUser }, (_, i) => i + 1));
    expect(audit.every((line) => line.outcome === 'ok')).toBe(true);
    expect(result.fairness).toBeGreaterThanOrEqual(0.95);
    expect(service.metrics()).toMatchObject({ queueDepth: 0, runningUnits: 0, units: { ok: 16 * programsPerUser } });
  });
});
