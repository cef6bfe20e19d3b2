// `bss2 service …`: the scheduling service (@bss2/service): keys, tokens, and the service itself.
import { createWriteStream } from 'node:fs';
import { generateServiceKeys, issueToken, USER_NAME_PATTERN } from '@bss2/service';
import { ExperimentQueue, type JobsApiServer, defaultServiceKeyPath, readServiceKeyFile, serveJobsApi, startService, writeServiceKeyFile } from '@bss2/service/node';
import { type Command, InvalidArgumentError } from 'commander';

const DURATION_UNITS_S: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `30d`, `12h`, `90m`, `3600s` or plain seconds → seconds. */
export function parseDuration_s(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  const seconds = match === null ? NaN : Number(match[1]) * DURATION_UNITS_S[match[2] || 's']!;
  if (!(Number.isSafeInteger(seconds) && seconds >= 1)) throw new InvalidArgumentError(`expected a duration like 30d, 12h, 90m or 3600s (at least 1 s), got '${text}'.`);
  return seconds;
}

function wholeNumber(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(parsed >= min && parsed <= max)) throw new InvalidArgumentError(`${name} must be an integer in ${min}..${max}.`);
    return parsed;
  };
}

function userName(value: string): string {
  if (!USER_NAME_PATTERN.test(value)) throw new InvalidArgumentError(`user names are 1..64 of letters, digits, '.', '_', '-'; got '${value}'.`);
  return value;
}

export async function keygenCommand(options: { key?: string; force?: boolean }): Promise<number> {
  const path = options.key ?? defaultServiceKeyPath();
  if (options.force !== true) {
    try {
      await readServiceKeyFile(path);
      console.error(`bss2 service keygen: ${path} already holds a key pair; tokens issued with it stop working if it is replaced (use --force)`);
      return 1;
    } catch {
      // No (valid) key there: write one.
    }
  }
  await writeServiceKeyFile(path, await generateServiceKeys());
  console.log(path);
  return 0;
}

export async function tokenCommand(options: { user: string; expires: number; key?: string }): Promise<number> {
  const { privateKey } = await readServiceKeyFile(options.key ?? defaultServiceKeyPath());
  console.log(await issueToken(privateKey, { user: options.user, expiresIn_s: options.expires }));
  return 0;
}

export interface StartCommandOptions {
  chips: number;
  port: number;
  host: string;
  ws?: boolean;
  key?: string;
  audit?: string;
  seed?: number;
  idleTimeout?: number;
  maxConnections?: number;
  allowOrigin?: string[];
  programsPerSecond?: number;
  maxProgramBytes?: number;
  chipMsPerMinute?: number;
  /** The batch-job queue's Redis: with it, the jobs API (HTTP) is served too, on `httpPort`. */
  redis?: string;
  httpPort?: number;
  verbose?: boolean;
}

export async function startCommand(options: StartCommandOptions): Promise<void> {
  const { publicKey } = await readServiceKeyFile(options.key ?? defaultServiceKeyPath());
  const audit = options.audit === undefined ? undefined : createWriteStream(options.audit, { flags: 'a' });
  const service = await startService({
    chips: options.chips,
    host: options.host,
    port: options.port,
    transport: options.ws === true ? 'ws' : 'tcp',
    publicKey,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.idleTimeout === undefined ? {} : { idleTimeout_ms: options.idleTimeout * 1000 }),
    ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
    ...(options.allowOrigin === undefined ? {} : { allowedOrigins: options.allowOrigin }),
    ...(audit === undefined ? {} : { auditLog: (line: string) => audit.write(`${line}\n`) }),
    quotas: {
      default: {
        ...(options.programsPerSecond === undefined ? {} : { programsPerSecond: options.programsPerSecond }),
        ...(options.maxProgramBytes === undefined ? {} : { maxProgramBytes: options.maxProgramBytes }),
        ...(options.chipMsPerMinute === undefined ? {} : { chipTimePerWindow_ms: options.chipMsPerMinute, window_ms: 60_000 }),
      },
    },
    // Warnings (a non-loopback host) always; client events with --verbose.
    log: (line: string) => {
      if (options.verbose === true || line.startsWith('warning:')) console.error(line);
    },
  });
  const { host, port, url } = service.address;
  // With a Redis, the jobs API (bss2 submit / sweep) is served beside the chips, its /metrics the service's.
  const queue = options.redis === undefined ? undefined : new ExperimentQueue({ redis: options.redis });
  let jobs: JobsApiServer | undefined;
  if (queue !== undefined) {
    jobs = await serveJobsApi({ queue, publicKey, host: options.host, port: options.httpPort ?? 0, metrics: () => service.metricsText(), onWarning: (message) => console.error(`warning: ${message}`) });
  }
  // First line: the address alone, so scripts can read it (`--port 0` picks a free port).
  console.log(url);
  if (jobs !== undefined) console.log(`jobs API: ${jobs.url} (bss2 submit / bss2 sweep --server ${jobs.url}; workers: bss2 service worker --redis ${options.redis})`);
  console.log(`serving ${options.chips} simulated chip${options.chips === 1 ? '' : 's'} (seed ${service.identity.chipSeed}, simulator ${service.identity.simulatorVersion})`);
  if (options.ws === true) {
    console.log(`clients: connectWebSocket('${url}', { user, token }) with a token from 'bss2 service token --user <name>'`);
  } else {
    console.log(`clients: QUIGGELDY_ENABLED=1 QUIGGELDY_IP=${host} QUIGGELDY_PORT=${port} QUIGGELDY_USER=<name> QUIGGELDY_TOKEN=$(bss2 service token --user <name>${options.key === undefined ? '' : ` --key ${options.key}`})`);
  }
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const metrics = service.metrics();
  console.error(`${signal}: stopping after ${metrics.units.ok} programs (${metrics.authenticationFailures} authentication failures, ${metrics.quotaRefusals} quota refusals)`);
  await jobs?.close();
  await queue?.close();
  await service.close();
  await new Promise<void>((resolve) => (audit === undefined ? resolve() : audit.end(resolve)));
}

/** Registers `bss2 service keygen | token | start`. */
export function registerServiceCommands(program: Command): Command {
  const service = program.command('service').description('the scheduling service: many users share chips round-robin, each with its own chip state (hardware.md §6.4)');
  service
    .command('keygen')
    .description('create the service key pair (Ed25519, JSON, mode 0600); prints its path')
    .option('--key <file>', `key file (default: $BSS2_SERVICE_KEY or ${defaultServiceKeyPath({})})`)
    .option('--force', 'replace an existing key pair (its tokens stop working)')
    .action(async (options: { key?: string; force?: boolean }) => {
      process.exitCode = await keygenCommand(options);
    });
  service
    .command('token')
    .description('issue a token for a user (prints it)')
    .requiredOption('--user <name>', 'the user the token is for', userName)
    .option('--expires <duration>', 'lifetime: 30d, 12h, 90m, 3600s', parseDuration_s, 30 * 86_400)
    .option('--key <file>', 'key file (default: $BSS2_SERVICE_KEY or ~/.config/bss2/service-key.json)')
    .action(async (options: { user: string; expires: number; key?: string }) => {
      process.exitCode = await tokenCommand(options);
    });
  service
    .command('start')
    .description('serve simulated chips to authenticated users until SIGINT/SIGTERM; prints the address and the client environment')
    .requiredOption('--port <n>', 'port to listen on (0: any free port)', wholeNumber('port', 0, 65535))
    .option('--chips <n>', 'simulated chips, each in its own worker thread', wholeNumber('chips', 1, 256), 1)
    .option('--host <host>', 'interface to listen on (anything but loopback is reachable from other machines)', '127.0.0.1')
    .option('--ws', 'serve WebSocket instead of plain TCP')
    .option('--key <file>', 'key file whose public key verifies tokens (default: $BSS2_SERVICE_KEY or ~/.config/bss2/service-key.json)')
    .option('--audit <file>', 'append one JSON line per program to this file')
    .option('--seed <s>', 'seed of every chip', wholeNumber('seed', 0, 0xffff_ffff))
    .option('--idle-timeout <s>', 'close connections idle this many seconds (default 300)', wholeNumber('idle timeout', 1, 2_147_483))
    .option('--max-connections <n>', 'open connections allowed (default 1024)', wholeNumber('max connections', 1, 32_768))
    .option('--allow-origin <origin>', 'a WebSocket Origin allowed (repeatable; * allows all)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--programs-per-second <n>', "every user's sustained program rate; more is refused (QuotaExceededError)", wholeNumber('programs per second', 1, 1_000_000))
    .option('--max-program-bytes <n>', "every user's largest program", wholeNumber('max program bytes', 8, 2 ** 25))
    .option('--chip-ms-per-minute <n>', "every user's chip time per minute, ms", wholeNumber('chip ms per minute', 1, 60_000 * 256))
    .option('--redis <url>', 'the batch-job queue (e.g. redis://127.0.0.1:6379): also serve the jobs API over HTTP for bss2 submit / sweep')
    .option('--http-port <n>', 'port of the jobs API (default: any free port; needs --redis)', wholeNumber('http port', 0, 65535))
    .option('--verbose', 'log every connection and refusal to stderr')
    .action(async (options: StartCommandOptions) => {
      await startCommand(options);
    });
  return service;
}
