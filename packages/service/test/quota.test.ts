import { describe, expect, it } from 'vitest';
import { QuotaExceededError, RecentSamples, ServiceConfigError, ServiceMetrics, UserQuota, metricsText } from '../src/index.js';

describe('UserQuota', () => {
  it('admits a burst, then the sustained rate (token bucket)', () => {
    const quota = new UserQuota('u', { programsPerSecond: 2, burstPrograms: 3 }, 0);
    for (let i = 0; i < 3; i++) quota.admit(8, 0);
    expect(() => quota.admit(8, 0)).toThrow(QuotaExceededError);
    expect(() => quota.admit(8, 400)).toThrow(/more than 2 programs per second \(burst 3\)/);
    quota.admit(8, 500);
    expect(() => quota.admit(8, 500)).toThrow(QuotaExceededError);
  });

  it('refuses programs over the size limit and after the chip time of a window, until the window ends', () => {
    const quota = new UserQuota('u', { maxProgramBytes: 16, chipTimePerWindow_ms: 10, window_ms: 1000 }, 0);
    expect(() => quota.admit(24, 0)).toThrow(/user u: a program of 24 bytes exceeds the limit of 16 bytes/);
    quota.admit(16, 0);
    quota.charge(10, 5);
    expect(() => quota.admit(8, 900)).toThrow(/used 10.0 ms of chip time of 10 ms per 1000 ms window; try again in 100 ms/);
    quota.admit(8, 1000);
  });

  it('is unlimited by default and refuses invalid settings by name', () => {
    const quota = new UserQuota('u', {}, 0);
    for (let i = 0; i < 1000; i++) quota.admit(2 ** 25, 0);
    expect(() => new UserQuota('u', { programsPerSecond: -1 }, 0)).toThrow(ServiceConfigError);
    expect(() => new UserQuota('u', { window_ms: 0 }, 0)).toThrow(/quotas for u.window_ms = 0: expected a positive number/);
  });
});

describe('metrics', () => {
  it('quantiles by nearest rank over the recent samples only', () => {
    const samples = new RecentSamples(100);
    for (let i = 1; i <= 100; i++) samples.add(i);
    expect([samples.quantile(0.5), samples.quantile(0.99)]).toEqual([50, 99]);
    for (let i = 0; i < 100; i++) samples.add(1000);
    expect(samples.quantile(0.5)).toBe(1000);
    expect(samples.count).toBe(200);
  });

  it('renders every metric with HELP and TYPE lines', () => {
    const metrics = new ServiceMetrics();
    metrics.unitDone('a', 'ok', 2, 1);
    metrics.unitDone('b', 'cancelled', 0, 0);
    const text = metricsText(metrics.snapshot({ queueDepth: 3, runningUnits: 1, openConnections: 2, chips: 2 }), metrics.wait, metrics.run);
    expect(text).toContain('bss2_service_queue_depth 3\n');
    expect(text).toContain('bss2_service_units_total{outcome="cancelled"} 1\n');
    expect(text).toContain('bss2_service_wait_ms_count 1\n');
    expect(text).not.toContain('user="b"');
    for (const line of text.trim().split('\n')) expect(line).toMatch(/^(# (HELP|TYPE) bss2_service_\w+ .+|bss2_service_\w+(\{[^}]*\})? [\d.]+)$/);
  });
});
