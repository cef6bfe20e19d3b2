import { DEFAULT_CHIP_SEED, SimulatedChip, type SimulatedChipOptions } from '@bss2/chip-sim';
import { SynchronousConnection } from '../synchronous-connection.js';

export interface InProcessOptions {
  /** Seed of a new simulated chip (0..2^32 − 1, default 0). */
  seed?: number;
  /** Options of the chip's analog model: step, ideal chip (no fixed-pattern variation), temporal noise. */
  analog?: SimulatedChipOptions['analog'];
}

/**
 * The project's default connection (hardware.md §6.3: "nothing → in-process simulator"): a `SimulatedChip`
 * in this process. `execute` returns exactly `chip.execute(instructions)`; the chip rejects an invalid stream
 * before running anything, which surfaces as `RemoteError` with the chip's error as `cause`.
 */
export class InProcessConnection extends SynchronousConnection {
  constructor(readonly chip: SimulatedChip) {
    super({ ...chip.identity, kind: 'in-process' }, `the in-process simulator (chip seed ${chip.identity.chipSeed})`);
  }

  protected run(instructions: Uint8Array): Uint8Array {
    return this.chip.execute(instructions);
  }

  protected powerOn(): void {
    this.chip.reset();
  }
}

/** A connection to a new in-process simulated chip. */
export function connectInProcess(options: InProcessOptions = {}): InProcessConnection {
  return new InProcessConnection(newSimulatedChip(options));
}

/** A new simulated chip (also the one `serveSimulator` serves when given none). */
export function newSimulatedChip(options: InProcessOptions = {}): SimulatedChip {
  return new SimulatedChip({ seed: options.seed ?? DEFAULT_CHIP_SEED, ...(options.analog === undefined ? {} : { analog: options.analog }) });
}
