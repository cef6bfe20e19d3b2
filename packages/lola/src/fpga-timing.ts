import {
  EventRecordingConfigOnFPGA,
  InstructionTimeoutConfigOnFPGA,
  PollingOmnibusBlockConfigOnFPGA,
  SystimeSyncBaseOnDLS,
  SystimeSyncOnFPGA,
  TimerOnDLS,
  omnibusAddresses,
} from '@bss2/halco';
import { TimerValue } from './block-until.js';
import { registerContainer } from './container.js';
import { FieldRangeError } from './errors.js';
import { at, bool, uint } from './field.js';
import { nominal } from './nominal.js';
import { register } from './register.js';

/**
 * The FPGA executor's timer in FPGA cycles (125 MHz; hardware.md §3.10). Reading returns the current count.
 * Writing is how a program resets it: only value 0 may be written, so `encode()` of any other value throws
 * (a FieldRangeError naming the rule). `Timer.Value` (TimerValue) is the block-until condition "stall until
 * the timer reaches a value"; it is not written to this register.
 */
export class Timer extends register({
  typeName: 'Timer',
  coordinateType: TimerOnDLS,
  wordCount: 1,
  readable: true,
  writable: true,
  addresses: (c: TimerOnDLS) => omnibusAddresses.Timer(c),
  fields: {
    value: uint(at(0, 0, 32)),
  },
}) {
  /** The block-until condition of this timer (upstream `Timer::Value`). */
  static readonly Value = TimerValue;

  override encode(): Uint32Array {
    if (this.value !== 0) {
      throw new FieldRangeError('Timer.value', this.value, '0 when written (writing the timer resets it; hardware.md §3.10)');
    }
    return super.encode();
  }

  /** Compares values, so that timers read back (non-zero, hence not encodable) compare too. */
  override equals(other: unknown): boolean {
    return other instanceof Timer && other.value === this.value;
  }
}
registerContainer(Timer);

/**
 * Start value of the 43-bit systime counters (FPGA cycles), loaded when chip and FPGA time are synchronised
 * (hardware.md §3.10). Word 0 holds bits 31..0, word 1 bits 42..32 (leaf-containers contract: low word first).
 */
export class SystimeSyncBase extends register({
  typeName: 'SystimeSyncBase',
  coordinateType: SystimeSyncBaseOnDLS,
  wordCount: 2,
  readable: true,
  writable: true,
  addresses: (c: SystimeSyncBaseOnDLS) => omnibusAddresses.SystimeSyncBase(c),
  fields: {
    value: uint([at(0, 0, 32), at(1, 0, 11)]),
  },
}) {}
registerContainer(SystimeSyncBase);

/** Write-only: `doSync` (bit 0) synchronises chip and FPGA systime to SystimeSyncBase (hardware.md §3.10). */
export class SystimeSync extends register({
  typeName: 'SystimeSync',
  coordinateType: SystimeSyncOnFPGA,
  wordCount: 1,
  readable: false,
  writable: true,
  addresses: (c: SystimeSyncOnFPGA) => omnibusAddresses.SystimeSync(c),
  fields: {
    doSync: bool(at(0, 0)),
  },
}) {}
registerContainer(SystimeSync);

/**
 * `enableEventRecording` (bit 0): spikes and MADC samples are returned to the host only when set (hardware.md
 * §3.10); reset false, ChipInit sets it.
 */
export class EventRecordingConfig extends register({
  typeName: 'EventRecordingConfig',
  coordinateType: EventRecordingConfigOnFPGA,
  wordCount: 1,
  readable: true,
  writable: true,
  addresses: (c: EventRecordingConfigOnFPGA) => omnibusAddresses.EventRecordingConfig(c),
  fields: {
    enableEventRecording: bool(at(0, 0)),
  },
}) {}
registerContainer(EventRecordingConfig);

/** 10 ms in FPGA cycles: the executor's default instruction timeout (hardware.md §3.10). */
export const defaultInstructionTimeout_cycles = 10_000 * nominal.fpgaClockCyclesPerUs;

/**
 * How long (FPGA cycles, 32 bit) one instruction may stall the executor before it gives up and reports a
 * TimeoutNotification (hardware.md §3.10, §5.3). Reset: 1 250 000 cycles = 10 ms.
 */
export class InstructionTimeoutConfig extends register({
  typeName: 'InstructionTimeoutConfig',
  coordinateType: InstructionTimeoutConfigOnFPGA,
  wordCount: 1,
  readable: true,
  writable: true,
  addresses: (c: InstructionTimeoutConfigOnFPGA) => omnibusAddresses.InstructionTimeoutConfig(c),
  fields: {
    value: uint(at(0, 0, 32), { default: defaultInstructionTimeout_cycles }),
  },
}) {}
registerContainer(InstructionTimeoutConfig);

/**
 * The omnibus condition a PollingOmnibusBlock instruction waits for (hardware.md §3.10): poll the word at
 * `address` until `(word & mask) == target` (or `!=`, chosen by the instruction). Words 0, 1, 2 = address,
 * mask, target, 32 bit each; reset all 0.
 */
export class PollingOmnibusBlockConfig extends register({
  typeName: 'PollingOmnibusBlockConfig',
  coordinateType: PollingOmnibusBlockConfigOnFPGA,
  wordCount: 3,
  readable: true,
  writable: true,
  addresses: (c: PollingOmnibusBlockConfigOnFPGA) => omnibusAddresses.PollingOmnibusBlockConfig(c),
  fields: {
    address: uint(at(0, 0, 32)),
    mask: uint(at(1, 0, 32)),
    target: uint(at(2, 0, 32)),
  },
}) {}
registerContainer(PollingOmnibusBlockConfig);

