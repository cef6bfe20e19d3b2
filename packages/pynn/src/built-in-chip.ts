// The built-in simulated chip, loaded on first use: `@bss2/hxcomm/in-process` (and with it the simulator) is
// imported only when a program is run on it, so a PyNN script that connects to a remote chip never loads it.
import { type Connection, type ConnectionIdentity, ConnectionClosedError, type ExecuteOptions } from '@bss2/hxcomm';
import type { AnalogOptions } from '@bss2/chip-sim/options';

export interface BuiltInChipOptions {
  readonly seed: number;
  readonly analog: Readonly<AnalogOptions>;
}

export class BuiltInChip implements Connection {
  readonly #options: BuiltInChipOptions;
  #loading: Promise<Connection> | undefined;
  #chip: Connection | undefined;
  #closed = false;

  constructor(options: BuiltInChipOptions) {
    this.#options = options;
  }

  /** The chip's identity, known once it is loaded (after the first run, prepare() or `await chip()`). */
  get identity(): ConnectionIdentity {
    if (this.#chip === undefined) throw new Error('the built-in simulated chip is still loading: its identity is known after the first run, prepare() or `await connection.chip()`');
    return this.#chip.identity;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The simulated chip, loaded and started on the first call. */
  async chip(): Promise<Connection> {
    if (this.#closed) throw new ConnectionClosedError('the built-in simulated chip', 'pynn.end() closed it');
    this.#loading ??= import('@bss2/hxcomm/in-process').then(({ connectInProcess }) => (this.#chip = connectInProcess({ seed: this.#options.seed, analog: this.#options.analog })));
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
