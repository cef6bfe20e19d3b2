/**
 * `startService`: the scheduling service (quiggeldy analogue, hardware.md §6.4). Simulated chips in worker
 * threads, clients speaking hxcomm's protocol over the hardened listener (TCP and/or WebSocket), tokens checked
 * in the hello, users served round-robin (`Scheduler`), each user's chip state restored when a chip changes
 * hands (`UserChipState`), quotas, an audit log and metrics.
 */
import { DEFAULT_CHIP_SEED } from '@bss2/chip-sim';
import { MAX_INSTRUCTION_PAYLOAD_BYTES } from '@bss2/hxcomm';
import { listenFramed, type Listener, type SessionTransport } from '@bss2/hxcomm/node';
import { AuthenticationError, checkServiceKey, verifyToken, type ServicePublicKey } from '../auth.js';
import { UserChipState, scanProgram, type ProgramScan } from '../chip-state.js';
import { ServiceConfigError } from '../errors.js';
import { ServiceMetrics, metricsText, type MetricsSnapshot, type UnitOutcome } from '../metrics.js';
import { QuotaExceededError, UserQuota, checkQuotaSettings, type Quotas } from '../quota.js';
import { Scheduler, type Assignment } from '../scheduler.js';
import { ChipJobError, ChipWorker, type ChipIdentity, type ChipJob } from './chip-worker.js';
import { ServiceSession, type SessionHost, type UnitResult } from './service-session.js';

export interface ServiceOptions {
  /** Simulated chips, each in its own worker thread (default 1). */
  chips?: number;
  /** Seed of every chip (default chip-sim's DEFAULT_CHIP_SEED): identical chips, so a user may run on any. */
  seed?: number;
  /** One seed per chip instead (the identity a client sees is chip 0's). */
  chipSeeds?: readonly number[];
  /** chip-sim's analog model options for every chip (e.g. `{ ideal: true }`, temporal noise off). */
  analog?: Record<string, unknown>;
  /** Interface (default 127.0.0.1; anything else is logged as a warning). */
  host?: string;
  /** TCP port (default 0: a free one). */
  port?: number;
  /** `tcp` (default), `ws`, or `both` (WebSocket on `wsPort`). */
  transport?: 'tcp' | 'ws' | 'both';
  /** WebSocket port with `transport: 'both'` (default 0: a free one). */
  wsPort?: number;
  /** Verifies the tokens in the hello (required). */
  publicKey: ServicePublicKey;
  quotas?: Quotas;
  /** Receives one JSON line per finished unit (time, user, connection, sequence, bytes, chip, wait_ms, run_ms, outcome). */
  auditLog?: (line: string) => void;
  /** Receives operational lines (connections, refusals, warnings). */
  log?: (line: string) => void;
  maxConnections?: number;
  handshakeTimeout_ms?: number;
  idleTimeout_ms?: number;
  allowedOrigins?: readonly string[];
  /** Largest instruction frame (default 32 MiB). */
  maxPayloadBytes?: number;
}

export interface ServiceAddress {
  readonly host: string;
  readonly port: number;
  readonly transport: 'tcp' | 'ws';
  readonly url: string;
}

export interface Service {
  /** The first listener's address (TCP unless only WebSocket). */
  readonly address: ServiceAddress;
  readonly addresses: readonly ServiceAddress[];
  readonly identity: ChipIdentity;
  metrics(): MetricsSnapshot;
  /** The metrics in Prometheus text format. */
  metricsText(): string;
  close(): Promise<void>;
}

interface Unit {
  readonly kind: 'program' | 'reset';
  readonly bytes: Uint8Array | undefined;
  readonly scan: ProgramScan | undefined;
  readonly session: ServiceSession;
  readonly enqueuedAt_ms: number;
  readonly done: (result: UnitResult) => void;
}

interface UserRecord {
  readonly state: UserChipState;
  readonly quota: UserQuota;
}

export async function startService(options: ServiceOptions): Promise<Service> {
  const chipCount = options.chips ?? 1;
  if (!(Number.isInteger(chipCount) && chipCount >= 1 && chipCount <= 256)) throw new ServiceConfigError('chips', chipCount, 'expected an integer in 1..256');
  const seeds = options.chipSeeds ?? new Array<number>(chipCount).fill(options.seed ?? DEFAULT_CHIP_SEED);
  if (seeds.length !== chipCount || seeds.some((seed) => !(Number.isInteger(seed) && seed >= 0 && seed <= 0xffff_ffff))) {
    throw new ServiceConfigError('chipSeeds', JSON.stringify(seeds), `expected ${chipCount} integers in 0..${0xffff_ffff}`);
  }
  const publicKey = checkServiceKey(options.publicKey, 'public', 'startService publicKey');
  const transport = options.transport ?? 'tcp';
  if (transport !== 'tcp' && transport !== 'ws' && transport !== 'both') throw new ServiceConfigError('transport', transport, "expected 'tcp', 'ws' or 'both'");
  const maxPayloadBytes = options.maxPayloadBytes ?? MAX_INSTRUCTION_PAYLOAD_BYTES;
  const quotas = options.quotas ?? {};
  checkQuotaSettings(quotas.default ?? {}, 'quotas.default');
  for (const [user, settings] of Object.entries(quotas.users ?? {})) checkQuotaSettings(settings, `quotas.users.${user}`);
  const log = options.log ?? (() => {});
  const audit = options.auditLog;

  const workers: ChipWorker[] = seeds.map((seed, i) => new ChipWorker(i, { seed, ...(options.analog === undefined ? {} : { analog: options.analog }) }));
  let identity: ChipIdentity;
  try {
    identity = (await Promise.all(workers.map((w) => w.ready)))[0]!;
  } catch (error) {
    await Promise.all(workers.map((w) => w.close()));
    throw error;
  }

  const scheduler = new Scheduler<Unit>(chipCount);
  const metrics = new ServiceMetrics();
  const users = new Map<string, UserRecord>();
  const sessions = new Set<ServiceSession>();
  let closing = false;

  const userRecord = (user: string): UserRecord => {
    let record = users.get(user);
    if (record === undefined) {
      record = { state: new UserChipState(), quota: new UserQuota(user, quotas.users?.[user] ?? quotas.default ?? {}, Date.now()) };
      users.set(user, record);
    }
    return record;
  };

  const auditLine = (
    unit: Unit,
    sequence: number,
    fields: { chip: number | null; wait_ms: number; run_ms: number; restore_ms?: number; restored: boolean; responseBytes: number; outcome: UnitOutcome; error?: string },
  ) => {
    if (audit === undefined) return;
    audit(
      JSON.stringify({
        time: new Date().toISOString(),
        user: unit.session.user,
        connection: unit.session.label,
        sequence,
        kind: unit.kind,
        instruction_bytes: unit.bytes?.length ?? 0,
        response_bytes: fields.responseBytes,
        chip: fields.chip,
        restored: fields.restored,
        wait_ms: round(fields.wait_ms),
        run_ms: round(fields.run_ms),
        restore_ms: round(fields.restore_ms ?? 0),
        outcome: fields.outcome,
        ...(fields.error === undefined ? {} : { error: fields.error }),
      }),
    );
  };

  const runAssignment = (assignment: Assignment<Unit>): void => {
    const { chip, unit: scheduled, restore } = assignment;
    const unit = scheduled.payload;
    const user = scheduled.user;
    const record = userRecord(user);
    const wait_ms = Date.now() - unit.enqueuedAt_ms;
    if (unit.kind === 'reset') record.state.clear();
    const restorePrograms = restore && unit.kind === 'program' ? record.state.restorePrograms() : [];
    if (unit.scan !== undefined) record.state.record(unit.scan);
    const snapshot = unit.kind === 'program' ? record.state.snapshotRequest() : undefined;
    const job: ChipJob = {
      reset: restore || unit.kind === 'reset',
      restore: restorePrograms,
      program: unit.bytes,
      snapshot: snapshot?.kind === 'uploaded' ? snapshot.program : undefined,
      snapshotAddresses: snapshot?.kind === 'default' ? snapshot.addresses : undefined,
    };
    if (job.reset) metrics.restores++;
    const worker = workers[chip]!;
    worker.run(job).then(
      (result) => {
        let outcome: UnitOutcome = 'ok';
        let error: Error | undefined;
        try {
          if (snapshot?.kind === 'uploaded') record.state.acceptUploadedSnapshot(snapshot.reads, result.snapshotResponses!);
          if (snapshot?.kind === 'default') record.state.acceptDefaultSnapshot(result.snapshotValues!);
        } catch (failure) {
          // The user's state could not be read back: it is lost, so the next restore starts from power-on.
          outcome = 'failed';
          error = failure as Error;
          record.state.clear();
          scheduler.forgetHolder(user);
        }
        record.quota.charge(result.run_ms, Date.now());
        metrics.unitDone(user, outcome, wait_ms, result.run_ms);
        auditLine(unit, scheduled.sequence, { chip, wait_ms, run_ms: result.run_ms, restore_ms: result.restore_ms, restored: job.reset, responseBytes: result.responses?.length ?? 0, outcome, ...(error ? { error: `${error.name}: ${error.message}` } : {}) });
        unit.done(error === undefined ? { ok: true, responses: result.responses ?? new Uint8Array(0) } : { ok: false, error });
        finish(chip);
      },
      (error: Error) => {
        const rejected = error instanceof ChipJobError && worker.alive;
        metrics.unitDone(user, rejected ? 'rejected' : 'failed', wait_ms, 0);
        auditLine(unit, scheduled.sequence, { chip, wait_ms, run_ms: 0, restored: job.reset, responseBytes: 0, outcome: rejected ? 'rejected' : 'failed', error: `${error.name}: ${error.message}` });
        // The chip's state is unknown after a failed job: whoever comes next restores from power-on.
        scheduler.forgetHolder(user);
        if (!worker.alive && !closing) {
          log(`chip ${chip}: worker failed (${error.message}); starting a new one`);
          workers[chip] = new ChipWorker(chip, { seed: seeds[chip]!, ...(options.analog === undefined ? {} : { analog: options.analog }) });
        }
        unit.done({ ok: false, error: error instanceof ChipJobError ? remoteError(error) : error });
        finish(chip);
      },
    );
  };

  const finish = (chip: number): void => {
    scheduler.complete(chip);
    dispatch();
  };

  const dispatch = (): void => {
    if (closing) return;
    for (const assignment of scheduler.dispatch()) runAssignment(assignment);
  };

  const host: SessionHost = {
    get identity() {
      return identity;
    },
    async authenticate(hello, session) {
      try {
        const { user } = await verifyToken(publicKey, hello.token, `connection ${session.label}`);
        if (hello.user !== undefined && hello.user !== user) {
          throw new AuthenticationError(`connection ${session.label}: the token is for user '${user}', the hello names '${hello.user}'`);
        }
        log(`${session.label}: authenticated as ${user}`);
        return user;
      } catch (error) {
        metrics.authenticationFailures++;
        throw error;
      }
    },
    submit(session, request, done) {
      const user = session.user!;
      const record = userRecord(user);
      const now = Date.now();
      let scan: ProgramScan | undefined;
      if (request.kind === 'program') {
        try {
          record.quota.admit(request.bytes.length, now);
        } catch (error) {
          metrics.quotaRefusals++;
          throw error;
        }
        scan = scanProgram(request.bytes);
      }
      scheduler.enqueue(user, { kind: request.kind, bytes: request.kind === 'program' ? request.bytes : undefined, scan, session, enqueuedAt_ms: now, done });
      dispatch();
    },
    upload(session, reinit, snapshot) {
      userRecord(session.user!).state.upload(reinit, snapshot);
    },
    enforceReinit(session) {
      scheduler.enforceReinit(session.user!);
    },
    closed(session) {
      sessions.delete(session);
      if (session.user === undefined) return;
      for (const scheduled of scheduler.drop(session.user, (unit) => unit.payload.session === session)) {
        metrics.unitDone(scheduled.user, 'cancelled', 0, 0);
        auditLine(scheduled.payload, scheduled.sequence, { chip: null, wait_ms: Date.now() - scheduled.payload.enqueuedAt_ms, run_ms: 0, restored: false, responseBytes: 0, outcome: 'cancelled' });
      }
    },
    rejected(session, error) {
      if (error instanceof QuotaExceededError) log(`${session.label}: over quota: ${error.message}`);
      else log(`${session.label}: rejected: ${error.name}: ${error.message}`);
    },
  };

  const listenerOptions = {
    host: options.host ?? '127.0.0.1',
    maxPayloadBytes,
    ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
    ...(options.handshakeTimeout_ms === undefined ? {} : { handshakeTimeout_ms: options.handshakeTimeout_ms }),
    ...(options.idleTimeout_ms === undefined ? {} : { idleTimeout_ms: options.idleTimeout_ms }),
    ...(options.allowedOrigins === undefined ? {} : { allowedOrigins: options.allowedOrigins }),
    log,
    createSession(sessionTransport: SessionTransport, client: string, activity: () => void) {
      const session = new ServiceSession(host, sessionTransport, client, maxPayloadBytes, activity);
      sessions.add(session);
      return session;
    },
  };
  const listeners: Listener[] = [];
  try {
    if (transport === 'tcp' || transport === 'both') listeners.push(await listenFramed({ ...listenerOptions, transport: 'tcp', port: options.port ?? 0 }));
    if (transport === 'ws') listeners.push(await listenFramed({ ...listenerOptions, transport: 'ws', port: options.port ?? 0 }));
    if (transport === 'both') listeners.push(await listenFramed({ ...listenerOptions, transport: 'ws', port: options.wsPort ?? 0 }));
  } catch (error) {
    await Promise.all([...listeners.map((l) => l.close()), ...workers.map((w) => w.close())]);
    throw error;
  }
  const addresses = listeners.map((l): ServiceAddress => {
    const hostPart = l.host.includes(':') ? `[${l.host}]` : l.host;
    return Object.freeze({ host: l.host, port: l.port, transport: l.transport, url: `${l.transport}://${hostPart}:${l.port}` });
  });
  const snapshot = (): MetricsSnapshot =>
    metrics.snapshot({ queueDepth: scheduler.queueDepth, runningUnits: scheduler.runningUnits, openConnections: listeners.reduce((n, l) => n + l.connections, 0), chips: chipCount });
  let closed: Promise<void> | undefined;
  return {
    address: addresses[0]!,
    addresses,
    identity,
    metrics: snapshot,
    metricsText: () => metricsText(snapshot(), metrics.wait, metrics.run),
    close: () =>
      (closed ??= (async () => {
        closing = true;
        await Promise.all(listeners.map((l) => l.close()));
        await Promise.all(workers.map((w) => w.close()));
      })()),
  };
}

/** The chip's own error, as the client's `RemoteError` should name it. */
function remoteError(error: ChipJobError): Error {
  const named = new Error(error.remoteMessage);
  named.name = error.remoteName;
  return named;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
