import { InstructionStream, Loopback } from '@bss2/fisch';
import { RemoteError, connectNodeWebSocket, connectTcp } from '@bss2/hxcomm/node';
import { afterEach, describe, expect, it } from 'vitest';
import { issueToken } from '../src/index.js';
import type { Service } from '../src/node/index.js';
import { PPU_WORD, connectAs, serviceKeys, readProgram, readValues, startTestService, tokenFor, writeReadProgram } from './service-harness.js';

const services: Service[] = [];
afterEach(async () => {
  for (const service of services.splice(0)) await service.close();
});

async function started(options: Parameters<typeof startTestService>[0] = {}): Promise<Service> {
  const service = await startTestService(options);
  services.push(service);
  return service;
}

describe('startService', () => {
  it('serves an authenticated client: write, read back, in order', async () => {
    const service = await started();
    const client = await connectAs(service, 'alice');
    expect(client.identity).toMatchObject({ kind: 'tcp', chipSeed: 1 });
    const answers = await Promise.all([1, 2, 3].map((v) => client.execute(writeReadProgram(v))));
    expect(answers.map(readValues)).toEqual([[1], [2], [3]]);
    await client.close();
    expect(service.metrics().units.ok).toBe(3);
  });

  it('serves TCP and WebSocket at once, tokens in the hello of both', async () => {
    const service = await started({ transport: 'both' });
    expect(service.addresses.map((a) => a.transport)).toEqual(['tcp', 'ws']);
    const ws = await connectNodeWebSocket(service.addresses[1]!.url, { user: 'wsuser', token: await tokenFor('wsuser') });
    expect(readValues(await ws.execute(writeReadProgram(77)))).toEqual([77]);
    await ws.close();
    await expect(connectNodeWebSocket(service.addresses[1]!.url, {})).rejects.toThrow(/AuthenticationError/);
  });

  it('refuses a missing, forged or expired token before anything is queued', async () => {
    const service = await started();
    const { host, port } = service.address;
    await expect(connectTcp(host, port, { user: 'alice' })).rejects.toThrow(/AuthenticationError: connection .*: no token given/);
    await expect(connectTcp(host, port, { user: 'alice', token: 'a.b.c' })).rejects.toThrow(/AuthenticationError/);
    await expect(connectTcp(host, port, { user: 'bob', token: await tokenFor('alice') })).rejects.toThrow(/token is for user 'alice', the hello names 'bob'/);
    const expired = await issueToken((await serviceKeys()).privateKey, { user: 'alice', expiresIn_s: 60, now_s: Math.floor(Date.now() / 1000) - 120 });
    await expect(connectTcp(host, port, { token: expired })).rejects.toThrow(/AuthenticationError: connection .*: token expired/);
    expect(service.metrics()).toMatchObject({ authenticationFailures: 4, queueDepth: 0, units: { ok: 0 } });
  });

  it('two users alternating writes to the same register each read back only their own state', async () => {
    const service = await started({ chips: 1 });
    const alice = await connectAs(service, 'alice');
    const bob = await connectAs(service, 'bob');
    for (let i = 0; i < 20; i++) {
      await alice.execute(writeReadProgram(1000 + i));
      await bob.execute(writeReadProgram(2000 + i));
      expect(readValues(await alice.execute(readProgram()))).toEqual([1000 + i]);
      expect(readValues(await bob.execute(readProgram()))).toEqual([2000 + i]);
    }
    // A user who never wrote sees the power-on value, not another user's.
    const carol = await connectAs(service, 'carol');
    const powerOn = readValues(await carol.execute(readProgram()));
    expect(powerOn).not.toEqual([2019]);
    expect(powerOn).not.toEqual([1019]);
    await Promise.all([alice.close(), bob.close(), carol.close()]);
    expect(service.metrics().restores).toBeGreaterThan(40);
  });

  it('reset powers on the user\'s own state only', async () => {
    const service = await started({ chips: 1 });
    const alice = await connectAs(service, 'alice');
    const bob = await connectAs(service, 'bob');
    const powerOn = readValues(await alice.execute(readProgram()))[0];
    await alice.execute(writeReadProgram(7));
    await bob.execute(writeReadProgram(8));
    await bob.reset();
    expect(readValues(await bob.execute(readProgram()))).toEqual([powerOn]);
    expect(readValues(await alice.execute(readProgram()))).toEqual([7]);
    await Promise.all([alice.close(), bob.close()]);
  });

  it('an uploaded reinit program takes precedence; a snapshot program must hold reads only', async () => {
    const service = await started({ chips: 1 });
    const alice = await connectAs(service, 'alice');
    const bob = await connectAs(service, 'bob');
    const other = PPU_WORD + 1;
    // Alice's reinit writes 55 to the other word; her snapshot reads PPU_WORD and is replayed after it.
    await alice.uploadReinit(new InstructionStream().omnibusWrite(other, 55).loopback(Loopback.halt).toBytes(), readProgram());
    await alice.execute(writeReadProgram(9));
    await bob.execute(writeReadProgram(10, other));
    expect(readValues(await alice.execute(new InstructionStream().omnibusRead(PPU_WORD).omnibusRead(other).loopback(Loopback.halt).toBytes()))).toEqual([9, 55]);
    await expect(alice.uploadReinit(readProgram(), writeReadProgram(1))).rejects.toThrow(/ProgramRejectedError: the snapshot program may hold omnibus reads.*instruction 0 is an omnibus write/);
    await bob.close();
  });

  it('refuses an invalid program and a quota breach with a typed error frame', async () => {
    const service = await started({ quotas: { default: { maxProgramBytes: 64 }, users: { rate: { programsPerSecond: 1, burstPrograms: 2 } } } });
    const alice = await connectAs(service, 'alice');
    await expect(alice.execute(new Uint8Array(128))).rejects.toThrow(/QuotaExceededError: user alice: a program of 128 bytes exceeds the limit of 64 bytes/);
    const bob = await connectAs(service, 'bob');
    await expect(bob.execute(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff))).rejects.toBeInstanceOf(RemoteError);
    const rate = await connectAs(service, 'rate');
    await rate.execute(writeReadProgram(1));
    await rate.execute(writeReadProgram(2));
    await expect(rate.execute(writeReadProgram(3))).rejects.toThrow(/QuotaExceededError: user rate: more than 1 programs per second/);
    expect(service.metrics().quotaRefusals).toBe(2);
  });

  it('writes an audit line per unit and renders Prometheus metrics', async () => {
    const lines: string[] = [];
    const service = await started({ auditLog: (line) => lines.push(line) });
    const alice = await connectAs(service, 'alice');
    await alice.execute(writeReadProgram(5));
    await alice.close();
    const record = JSON.parse(lines[0]!);
    expect(record).toMatchObject({ user: 'alice', sequence: 1, kind: 'program', instruction_bytes: 32, outcome: 'ok', restored: true });
    expect(record.response_bytes).toBeGreaterThan(0);
    expect(typeof record.chip).toBe('number');
    const text = service.metricsText();
    expect(text).toMatch(/^# TYPE bss2_service_queue_depth gauge$/m);
    expect(text).toMatch(/^bss2_service_units_total\{outcome="ok"\} 1$/m);
    expect(text).toMatch(/^bss2_service_user_units_total\{user="alice"\} 1$/m);
    expect(text).toMatch(/^bss2_service_wait_ms\{quantile="0.99"\} [\d.]+$/m);
  });
});
