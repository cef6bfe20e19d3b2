import { BarrierOnFPGA, TimerOnDLS } from '@bss2/halco';
import { expectJSONType, rejectUnknownKeys } from './container.js';
import { FieldRangeError } from './errors.js';
import { nominal } from './nominal.js';

// Block-until conditions (hardware.md §5.1): not omnibus registers, so no addresses and no word encoding;
// stadls turns them into fisch timing instructions (WaitUntil, Barrier). They are immutable values with
// validation and a JSON form `{ type, … }` like containers.

/**
 * A point in time of the executor timer, in FPGA cycles (32 bit, 125 MHz = 8 ns; hardware.md §1.1, §3.10),
 * upstream `Timer::Value`. As a block-until condition at TimerOnDLS: stall until the timer reaches it.
 */
export class TimerValue {
  static readonly typeName = 'TimerValue';
  static readonly coordinateType = TimerOnDLS;
  /** Largest value: a realtime section lasts at most 2^32 cycles ≈ 34.36 s (hardware.md §1.1). */
  static readonly max = 0xffffffff;

  readonly value: number;

  constructor(value_cycles = 0) {
    if (typeof value_cycles !== 'number' || !Number.isInteger(value_cycles) || value_cycles < 0 || value_cycles > TimerValue.max) {
      throw new FieldRangeError('TimerValue.value', value_cycles, `an integer number of FPGA cycles in 0..${TimerValue.max}`);
    }
    this.value = value_cycles;
    Object.freeze(this);
  }

  /** The timer value closest to `time_us` microseconds of chip time. */
  static fromMicroseconds(time_us: number): TimerValue {
    return new TimerValue(Math.round(time_us * nominal.fpgaClockCyclesPerUs));
  }

  toMicroseconds(): number {
    return this.value / nominal.fpgaClockCyclesPerUs;
  }

  equals(other: unknown): boolean {
    return other instanceof TimerValue && other.value === this.value;
  }

  toString(): string {
    return `TimerValue(${this.value})`;
  }

  toJSON(): { type: 'TimerValue'; value: number } {
    return { type: 'TimerValue', value: this.value };
  }

  static fromJSON(json: unknown): TimerValue {
    const record = expectJSONType(json, 'TimerValue');
    rejectUnknownKeys('TimerValue', record, ['value']);
    return new TimerValue(record.value as number);
  }
}

/** The traffic classes a Barrier can wait for, with their bit in the instruction's 5-bit mask (§5.2). */
const barrierBits = {
  enableOmnibus: 1,
  enableJtag: 2,
  enableSystime: 4,
  enableMultiFpga: 8,
  enableSystimeCorrection: 16,
} as const;

type BarrierFlag = keyof typeof barrierBits;
const barrierFlags = Object.keys(barrierBits) as BarrierFlag[];

/**
 * Stall the executor until the selected traffic has drained (hardware.md §3.10, §5.2 opcode 7): omnibus
 * (mask bit 1), JTAG (2), systime (4), multi-FPGA (8), systime correction (16). Upstream field names; all
 * false by default (a no-op barrier). The canonical end of an experiment is `Barrier.omnibus`.
 */
export class Barrier {
  static readonly typeName = 'Barrier';
  static readonly coordinateType = BarrierOnFPGA;

  readonly enableOmnibus: boolean;
  readonly enableJtag: boolean;
  readonly enableSystime: boolean;
  readonly enableMultiFpga: boolean;
  readonly enableSystimeCorrection: boolean;

  constructor(init: Partial<Record<BarrierFlag, boolean>> = {}) {
    rejectUnknownKeys('Barrier', init, barrierFlags);
    const flag = (name: BarrierFlag): boolean => {
      const value: unknown = init[name] === undefined ? false : init[name];
      if (typeof value !== 'boolean') throw new FieldRangeError(`Barrier.${name}`, value, 'a boolean');
      return value;
    };
    this.enableOmnibus = flag('enableOmnibus');
    this.enableJtag = flag('enableJtag');
    this.enableSystime = flag('enableSystime');
    this.enableMultiFpga = flag('enableMultiFpga');
    this.enableSystimeCorrection = flag('enableSystimeCorrection');
    Object.freeze(this);
  }

  static readonly omnibus = new Barrier({ enableOmnibus: true });
  static readonly jtag = new Barrier({ enableJtag: true });
  static readonly systime = new Barrier({ enableSystime: true });
  static readonly multiFpga = new Barrier({ enableMultiFpga: true });
  static readonly systimeCorrection = new Barrier({ enableSystimeCorrection: true });

  /** The barrier of a 5-bit instruction mask (hardware.md §5.2). */
  static fromMask(mask: number): Barrier {
    if (!Number.isInteger(mask) || mask < 0 || mask > 31) throw new FieldRangeError('Barrier.mask', mask, 'an integer in 0..31');
    return new Barrier(Object.fromEntries(barrierFlags.map((name) => [name, (mask & barrierBits[name]) !== 0])));
  }

  /** The 5-bit instruction mask: omnibus 1, jtag 2, systime 4, multi_fpga 8, systime_correction 16. */
  get mask(): number {
    return barrierFlags.reduce((mask, name) => (this[name] ? mask | barrierBits[name] : mask), 0);
  }

  /** A barrier waiting for everything either barrier waits for. */
  union(other: Barrier): Barrier {
    return Barrier.fromMask(this.mask | other.mask);
  }

  equals(other: unknown): boolean {
    return other instanceof Barrier && other.mask === this.mask;
  }

  toString(): string {
    const names = barrierFlags.filter((name) => this[name]);
    return `Barrier(${names.length === 0 ? 'none' : names.join(', ')})`;
  }

  toJSON(): { type: 'Barrier' } & Record<BarrierFlag, boolean> {
    return {
      type: 'Barrier',
      enableOmnibus: this.enableOmnibus,
      enableJtag: this.enableJtag,
      enableSystime: this.enableSystime,
      enableMultiFpga: this.enableMultiFpga,
      enableSystimeCorrection: this.enableSystimeCorrection,
    };
  }

  static fromJSON(json: unknown): Barrier {
    const { type: _type, ...init } = expectJSONType(json, 'Barrier');
    return new Barrier(init as Partial<Record<BarrierFlag, boolean>>);
  }
}
