// `bss2 submit` and `bss2 service worker` as users run them: a real Redis, a `bss2 service worker` process, the jobs API with a
// service token; the results written are those `bss2 run` writes for the same file.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisServerAvailable } from '@bss2/service/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobsStack } from '../testing/jobs-stack.js';
import { bss2 } from './bss2-cli.js';

const available = redisServerAvailable();
if (!available) console.warn('SKIPPED: bss2 submit tests need redis-server (Debian package redis-server: apt-get install -y redis-server)');

const out = mkdtempSync(join(tmpdir(), 'bss2-submit-'));

/** What two runs of the same experiment share: all but wall-clock durations and timing statistics. */
const comparable = (file: string) => {
  const { durations: _d, statistics: _s, ...rest } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  return rest;
};

describe.skipIf(!available)('bss2 submit through the jobs API', () => {
  let stack: JobsStack;

  beforeAll(async () => {
    stack = await JobsStack.start({ user: 'cli-test' });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(out, { recursive: true, force: true });
  });


  it('writes results.json, raster.svg, traces.svg and the summary exactly like bss2 run', async () => {
    const file = 'test-fixtures/experiments/single-neuron.json';
    const submitted = await bss2(['submit', file, '--server', stack.server.url, '--out', join(out, 'submitted')], { BSS2_SERVICE_TOKEN: stack.token });
    expect(submitted.stderr).toMatch(/submitted as e-[0-9a-f-]{36}/);
    expect(submitted.code).toBe(0);
    const ran = await bss2(['run', file, '--out', join(out, 'ran')]);
    expect(ran.code).toBe(0);
    expect(comparable(join(out, 'submitted', 'results.json'))).toEqual(comparable(join(out, 'ran', 'results.json')));
    for (const plot of ['raster.svg', 'traces.svg']) expect(readFileSync(join(out, 'submitted', plot), 'utf8')).toBe(readFileSync(join(out, 'ran', plot), 'utf8'));
    expect(submitted.stdout).toMatch(/single-neuron: 1 segment\(s\), calibration nominal/);
    expect(submitted.stdout).toMatch(/neuron\s*│\s*IF_curr_exp\s*│\s*1\s*│/);
  });

  it('an invalid file exits 2 with its issues and submits nothing; no token exits 1 with the refusal', async () => {
    const invalid = await bss2(['submit', 'test-fixtures/experiments/invalid-references.json', '--server', stack.server.url, '--out', join(out, 'invalid')], { BSS2_SERVICE_TOKEN: stack.token });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("projections[2].pre: unknown population 'inputs'");
    expect(existsSync(join(out, 'invalid'))).toBe(false);
    const refused = await bss2(['submit', 'test-fixtures/experiments/single-neuron.json', '--server', stack.server.url, '--out', join(out, 'refused')], { BSS2_SERVICE_TOKEN: '' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/AuthenticationError \(HTTP 401\): HTTP Authorization header: no token given/);
    expect(existsSync(join(out, 'refused'))).toBe(false);
  });
});
