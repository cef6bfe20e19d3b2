/** The service's metrics: counters, gauges and wait/run time summaries, with a Prometheus text rendering. */

/** Percentiles over the most recent samples (a ring buffer: memory stays bounded however long the service runs). */
export class RecentSamples {
  private readonly ring: Float64Array;
  private filled = 0;
  private next = 0;
  sum = 0;
  count = 0;

  constructor(readonly capacity = 65_536) {
    this.ring = new Float64Array(capacity);
  }

  add(value: number): void {
    this.ring[this.next] = value;
    this.next = (this.next + 1) % this.capacity;
    this.filled = Math.min(this.filled + 1, this.capacity);
    this.sum += value;
    this.count++;
  }

  /** The q-quantile (0..1, nearest rank) of the recent samples; 0 without samples. */
  quantile(q: number): number {
    if (this.filled === 0) return 0;
    const sorted = this.ring.slice(0, this.filled).sort();
    return sorted[Math.min(this.filled - 1, Math.max(0, Math.ceil(q * this.filled) - 1))]!;
  }
}

export type UnitOutcome = 'ok' | 'rejected' | 'failed' | 'cancelled';

export interface MetricsSnapshot {
  readonly queueDepth: number;
  readonly runningUnits: number;
  readonly openConnections: number;
  readonly chips: number;
  readonly units: Readonly<Record<UnitOutcome, number>>;
  readonly restores: number;
  readonly authenticationFailures: number;
  readonly quotaRefusals: number;
  readonly wait_ms: { readonly p50: number; readonly p99: number; readonly count: number };
  readonly run_ms: { readonly p50: number; readonly p99: number; readonly count: number };
  readonly unitsPerUser: Readonly<Record<string, number>>;
}

export class ServiceMetrics {
  readonly wait = new RecentSamples();
  readonly run = new RecentSamples();
  readonly units: Record<UnitOutcome, number> = { ok: 0, rejected: 0, failed: 0, cancelled: 0 };
  readonly unitsPerUser = new Map<string, number>();
  restores = 0;
  authenticationFailures = 0;
  quotaRefusals = 0;

  unitDone(user: string, outcome: UnitOutcome, wait_ms: number, run_ms: number): void {
    this.units[outcome]++;
    if (outcome === 'cancelled') return;
    this.wait.add(wait_ms);
    this.run.add(run_ms);
    this.unitsPerUser.set(user, (this.unitsPerUser.get(user) ?? 0) + 1);
  }

  snapshot(gauges: { queueDepth: number; runningUnits: number; openConnections: number; chips: number }): MetricsSnapshot {
    return {
      ...gauges,
      units: { ...this.units },
      restores: this.restores,
      authenticationFailures: this.authenticationFailures,
      quotaRefusals: this.quotaRefusals,
      wait_ms: { p50: this.wait.quantile(0.5), p99: this.wait.quantile(0.99), count: this.wait.count },
      run_ms: { p50: this.run.quantile(0.5), p99: this.run.quantile(0.99), count: this.run.count },
      unitsPerUser: Object.fromEntries(this.unitsPerUser),
    };
  }
}

/** The metrics in the Prometheus text exposition format (version 0.0.4). */
export function metricsText(m: MetricsSnapshot, wait?: RecentSamples, run?: RecentSamples): string {
  const lines: string[] = [];
  const metric = (name: string, type: 'gauge' | 'counter' | 'summary', help: string, samples: Array<[labels: string, value: number]>) => {
    lines.push(`# HELP bss2_service_${name} ${help}`, `# TYPE bss2_service_${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`bss2_service_${name}${labels} ${Number.isFinite(value) ? value : 0}`);
  };
  metric('queue_depth', 'gauge', 'Units queued, not yet running.', [['', m.queueDepth]]);
  metric('running_units', 'gauge', 'Units running on a chip now.', [['', m.runningUnits]]);
  metric('open_connections', 'gauge', 'Client connections open now.', [['', m.openConnections]]);
  metric('chips', 'gauge', 'Chips served.', [['', m.chips]]);
  metric('units_total', 'counter', 'Units finished, by outcome.', Object.entries(m.units).map(([outcome, n]) => [`{outcome="${outcome}"}`, n]));
  metric('user_units_total', 'counter', 'Units run, by user.', Object.entries(m.unitsPerUser).map(([user, n]) => [`{user="${user}"}`, n]));
  metric('restores_total', 'counter', 'Chip state restores (a chip changed users).', [['', m.restores]]);
  metric('authentication_failures_total', 'counter', 'Connections refused for their token.', [['', m.authenticationFailures]]);
  metric('quota_refusals_total', 'counter', 'Programs refused over quota.', [['', m.quotaRefusals]]);
  metric('wait_ms', 'summary', 'Time from a unit being queued to it starting on a chip, ms (recent units).', [
    ['{quantile="0.5"}', m.wait_ms.p50],
    ['{quantile="0.99"}', m.wait_ms.p99],
    ['_sum', wait?.sum ?? 0],
    ['_count', m.wait_ms.count],
  ]);
  metric('run_ms', 'summary', 'Time a unit occupied its chip (restore, program, snapshot), ms (recent units).', [
    ['{quantile="0.5"}', m.run_ms.p50],
    ['{quantile="0.99"}', m.run_ms.p99],
    ['_sum', run?.sum ?? 0],
    ['_count', m.run_ms.count],
  ]);
  return `${lines.join('\n')}\n`;
}
