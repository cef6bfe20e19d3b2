import { MAX_TOKEN_CHARS, MAX_USER_CHARS } from './control.js';
import { ConnectionConfigError } from './errors.js';
import { checkWebSocketUrl } from './websocket-connection.js';

/** Environment variables as Node's `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Which connection the environment asks for (hardware.md §6.3, project column). */
export type ConnectionSelection =
  | { readonly kind: 'in-process'; readonly seed: number | undefined; readonly source: string }
  | { readonly kind: 'zero-mock'; readonly source: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly source: string }
  | { readonly kind: 'websocket'; readonly url: string; readonly source: string }
  | {
      readonly kind: 'service';
      readonly host: string;
      readonly port: number;
      readonly user: string | undefined;
      readonly token: string | undefined;
      readonly source: string;
    };

const UINT32_MAX = 0xffff_ffff;

/**
 * Chooses the connection from environment variables, first match wins (hardware.md §6.3, adapted):
 *
 * 1. `BSS2_CONNECTION` = `sim` | `tcp://host:port` | `ws://host:port[/path]` (`wss://` too): the project's
 *    explicit choice, so it outranks the reference's variables.
 * 2. `HXCOMM_ENABLE_ZERO_MOCK` ≠ 0 → zero mock.
 * 3. `QUIGGELDY_ENABLED` ≠ 0 → the scheduling service (`@bss2/service`, hardware.md §6.4) over TCP at
 *    `QUIGGELDY_IP` (default 127.0.0.1) : `QUIGGELDY_PORT` (required), as `QUIGGELDY_USER` with the token
 *    `QUIGGELDY_TOKEN` (or `BSS2_SERVICE_TOKEN`).
 * 4. `SLURM_FPGA_IPS` → error: no hardware in this project.
 * 5. `FLANGE_SIMULATION_RCF_PORT` (+ `FLANGE_SIMULATION_RCF_HOST`, default 127.0.0.1) → simulator over TCP.
 * 6. nothing → in-process simulator, chip seed `BSS2_CHIP_SEED` (default: chip-sim's `DEFAULT_CHIP_SEED`, 1).
 *
 * Empty values count as unset. Invalid values throw `ConnectionConfigError` naming variable and value.
 * Pure: it reads nothing but `env`, so browsers can use it with their own settings.
 */
export function selectConnection(env: Environment): ConnectionSelection {
  const explicit = value(env, 'BSS2_CONNECTION');
  if (explicit !== undefined) return parseConnection(explicit, env);
  if (flag(env, 'HXCOMM_ENABLE_ZERO_MOCK')) return { kind: 'zero-mock', source: 'HXCOMM_ENABLE_ZERO_MOCK' };
  if (flag(env, 'QUIGGELDY_ENABLED')) return service(env);
  const fpgas = value(env, 'SLURM_FPGA_IPS');
  if (fpgas !== undefined) {
    throw new ConnectionConfigError(
      'SLURM_FPGA_IPS',
      fpgas,
      'hardware connections are not available in this project; unset it to use the simulated chip',
    );
  }
  const port = value(env, 'FLANGE_SIMULATION_RCF_PORT');
  if (port !== undefined) {
    const host = value(env, 'FLANGE_SIMULATION_RCF_HOST') ?? '127.0.0.1';
    return { kind: 'tcp', host: checkHost('FLANGE_SIMULATION_RCF_HOST', host), port: parsePort('FLANGE_SIMULATION_RCF_PORT', port), source: 'FLANGE_SIMULATION_RCF_PORT' };
  }
  return inProcess(env, 'default');
}

function parseConnection(text: string, env: Environment): ConnectionSelection {
  if (text === 'sim') return inProcess(env, 'BSS2_CONNECTION');
  const tcp = /^tcp:\/\/(\[[0-9A-Fa-f:.]+\]|[^\s/:[\]]+):([^/]*)$/.exec(text);
  if (tcp !== null) {
    const host = tcp[1]!.replace(/^\[(.*)\]$/, '$1');
    return { kind: 'tcp', host, port: parsePort('BSS2_CONNECTION', tcp[2]!, text), source: 'BSS2_CONNECTION' };
  }
  if (/^wss?:\/\//.test(text)) return { kind: 'websocket', url: checkWebSocketUrl('BSS2_CONNECTION', text), source: 'BSS2_CONNECTION' };
  throw new ConnectionConfigError('BSS2_CONNECTION', text, 'expected sim, tcp://host:port or ws://host:port');
}

function service(env: Environment): ConnectionSelection {
  const host = checkHost('QUIGGELDY_IP', value(env, 'QUIGGELDY_IP') ?? '127.0.0.1');
  const portText = value(env, 'QUIGGELDY_PORT');
  if (portText === undefined) {
    throw new ConnectionConfigError('QUIGGELDY_PORT', env['QUIGGELDY_PORT'], 'QUIGGELDY_ENABLED selects the scheduling service, which needs its TCP port 1..65535');
  }
  const port = parsePort('QUIGGELDY_PORT', portText);
  const user = value(env, 'QUIGGELDY_USER');
  if (user !== undefined && !(user.length <= MAX_USER_CHARS && /^[A-Za-z0-9._-]+$/.test(user))) {
    throw new ConnectionConfigError('QUIGGELDY_USER', user, `expected 1..${MAX_USER_CHARS} of letters, digits, '.', '_', '-'`);
  }
  const tokenSource = value(env, 'QUIGGELDY_TOKEN') !== undefined ? 'QUIGGELDY_TOKEN' : 'BSS2_SERVICE_TOKEN';
  const token = value(env, tokenSource);
  if (token !== undefined && !(token.length <= MAX_TOKEN_CHARS && /^[A-Za-z0-9_.-]+$/.test(token))) {
    throw new ConnectionConfigError(tokenSource, `${token.slice(0, 12)}…`, `expected a token of at most ${MAX_TOKEN_CHARS} base64url characters and dots (from 'bss2 service token')`);
  }
  return { kind: 'service', host, port, user, token, source: 'QUIGGELDY_ENABLED' };
}

function inProcess(env: Environment, source: string): ConnectionSelection {
  const text = value(env, 'BSS2_CHIP_SEED');
  if (text === undefined) return { kind: 'in-process', seed: undefined, source };
  const seed = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(seed <= UINT32_MAX)) throw new ConnectionConfigError('BSS2_CHIP_SEED', text, `expected an integer in 0..${UINT32_MAX}`);
  return { kind: 'in-process', seed, source };
}

function value(env: Environment, name: string): string | undefined {
  const text = env[name];
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}

/** The reference's "≠ 0" switches: an integer, 0 meaning off. */
function flag(env: Environment, name: string): boolean {
  const text = value(env, name);
  if (text === undefined) return false;
  if (!/^[+-]?\d+$/.test(text)) throw new ConnectionConfigError(name, text, 'expected an integer (0 = off, anything else = on)');
  return Number(text) !== 0;
}

function parsePort(name: string, text: string, whole = text): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) throw new ConnectionConfigError(name, whole, 'expected a TCP port 1..65535');
  return port;
}

function checkHost(name: string, host: string): string {
  if (!/^(\[[0-9A-Fa-f:.]+\]|[^\s/:[\]]+|[0-9A-Fa-f:.]+)$/.test(host)) throw new ConnectionConfigError(name, host, 'expected a host name or IP address');
  return host.replace(/^\[(.*)\]$/, '$1');
}
