// The chip a PyNN script gets when `setup()` is given no connection, opened on first use. As in the reference
// (hardware.md §6.3), the environment chooses: under Node, `BSS2_CONNECTION`, `QUIGGELDY_ENABLED` (the scheduling
// service), `FLANGE_SIMULATION_RCF_PORT` or `HXCOMM_ENABLE_ZERO_MOCK` select a connection, so an unchanged script
// runs through a served simulator or the service; otherwise (and always in a browser) it is the built-in
// simulated chip with the setup's chip options. `@bss2/hxcomm/in-process` (and with it the simulator) is imported
// only when that chip is used, so a script that connects to a remote chip never loads it.
import { type Connection, type ConnectionIdentity, ConnectionClosedError, type ConnectionSelection, type Environment, type ExecuteOptions, connectSelection, selectConnection } from '@bss2/hxcomm';
import type { AnalogOptions } from '@bss2/chip-sim/options';

/** The process environment under Node; undefined elsewhere (browsers, workers). */
function processEnvironment(): Environment | undefined {
  return (globalThis as { process?: { env?: Environment } }).process?.env;
}

/**
 * The connection the environment selects, or undefined for the built-in chip. Checked at `setup()`, so a bad
 * variable is reported there (`ConnectionConfigError` naming it), not at the first run.
 */
function environmentSelection(env: Environment | undefined): ConnectionSelection | undefined {
  if (env === undefined) return undefined;
  const selection = selectConnection(env);
  return selection.kind === 'in-process' ? undefined : selection;
}

/** Opens a selection; TCP (a served simulator, the service) needs Node's sockets, from hxcomm's Node entry. */
async function openSelection(selection: ConnectionSelection, env: Environment): Promise<Connection> {
  if (selection.kind === 'tcp' || selection.kind === 'service' || selection.kind === 'websocket') {
    // A computed specifier: browser bundlers must not pull the Node entry (node:net) into pynn's core.
    const nodeEntry = '@bss2/hxcomm/node';
    const { connectFromEnv } = (await import(/* @vite-ignore */ nodeEntry)) as { connectFromEnv(env: Environment): Promise<Connection> };
    return connectFromEnv(env);
  }
  return connectSelection(selection);
}

export interface BuiltInChipOptions {
  readonly seed: number;
  readonly analog: Readonly<AnalogOptions>;
}

export class BuiltInChip implements Connection {
  readonly #options: BuiltInChipOptions;
  readonly #env: Environment | undefined;
  readonly #selection: ConnectionSelection | undefined;
  #loading: Promise<Connection> | undefined;
  #chip: Connection | undefined;
  #closed = false;

  /** `env`: the environment that may select another connection (default: Node's `process.env`, if any). */
  constructor(options: BuiltInChipOptions, env: Environment | undefined = processEnvironment()) {
    this.#options = options;
    this.#env = env;
    this.#selection = environmentSelection(env);
  }

  /** What the environment selected instead of the built-in chip (e.g. the service), or undefined. */
  get selection(): ConnectionSelection | undefined {
    return this.#selection;
  }

  /** The chip's identity, known once it is loaded (after the first run, prepare() or `await chip()`). */
  get identity(): ConnectionIdentity {
    if (this.#chip === undefined) throw new Error('the built-in simulated chip is still loading: its identity is known after the first run, prepare() or `await connection.chip()`');
    return this.#chip.identity;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The chip (the environment's connection, or the built-in simulated chip), opened on the first call. */
  async chip(): Promise<Connection> {
    if (this.#closed) throw new ConnectionClosedError('the built-in simulated chip', 'pynn.end() closed it');
    this.#loading ??=
      this.#selection === undefined
        ? import('@bss2/hxcomm/in-process').then(({ connectInProcess }) => (this.#chip = connectInProcess({ seed: this.#options.seed, analog: this.#options.analog })))
        : openSelection(this.#selection, this.#env!).then((connection) => (this.#chip = connection));
    return this.#loading;
  }

  async execute(instructions: Uint8Array, options?: ExecuteOptions): Promise<Uint8Array> {
    return (await this.chip()).execute(instructions, options);
  }

  async reset(options?: ExecuteOptions): Promise<void> {
    return (await this.chip()).reset(options);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#loading !== undefined) await (await this.#loading).close();
  }
}
