import {
  ALL_BYTE_ENABLES,
  type InstructionStream,
  type InstructionVisitor,
  Loopback,
  ResponseStreamWriter,
  SYSTIME_MODULUS,
} from '@bss2/fisch';
import type { OmnibusContainerName } from '@bss2/halco';
import type { ChipModel } from './chip-model.js';
import { fieldReader, leafContainer } from './container-words.js';
import { EventBuffer } from './event-buffer.js';
import { EventResponder, systimeOf } from './event-responses.js';
import { JtagTap } from './jtag.js';
import type { MappedContainer } from './memory-map.js';
import { type RegisterFile, type RegisterSideEffects, byteEnableMask } from './register-file.js';

/** Width of the executor timer (hardware.md §3.10: `Timer::Value` is 32 bit). */
const TIMER_MODULUS = 2 ** 32;
/**
 * Cycles between two reads of the polled word while a PollingOmnibusBlock stalls (hardware.md §3.10).
 * **Choice:** the reference leaves the rate open; 16 cycles (128 ns) bounds both the timing error of a poll
 * and the number of model steps during a 10 ms timeout.
 */
export const POLL_INTERVAL_CYCLES = 16;

/** What the executor counts besides omnibus access (the Choices of the README). */
export interface ExecutionCounters {
  /** PollingOmnibusBlock instructions that ran into the instruction timeout. */
  timeouts: number;
  /** omnibus Data instructions without a preceding write Address; ignored. */
  orphanData: number;
  /** Instructions after a Loopback(halt) in the same stream; not executed. */
  ignoredAfterHalt: number;
  /** Spikes and MADC samples reported while EventRecordingConfig was off; not sent (§3.10). */
  eventsNotRecorded: number;
}

/** A reader of one field of an executor register, straight from the register file. */
function fieldOf(registers: RegisterFile, name: OmnibusContainerName, field: string): () => number {
  const offset = registers.map.container(name).offset;
  const reader = fieldReader(leafContainer(name), field);
  return () => reader(registers.words, offset);
}

/**
 * The FPGA playback executor (hardware.md §5.2, design "chip-sim digital core"): executes a decoded
 * instruction stream cycle by cycle on the 125 MHz FPGA clock and writes the responses.
 *
 * Time: `cycle` counts FPGA cycles since power-on and never jumps; every instruction takes one cycle after
 * its stall. systime (43 bit) is `cycle` plus an offset that SystimeInit / SystimeSync set; the timer
 * (32 bit) is `cycle` minus an origin that timing Setup and Timer writes set. An instruction "at t" executes
 * with `cycle = t`; WaitUntil(v) at timer value T < v stalls v − T cycles.
 */
export class Executor implements InstructionVisitor, RegisterSideEffects {
  cycle = 0;
  systimeOffset = 0;
  timerOrigin = 0;
  readonly counters: ExecutionCounters = { timeouts: 0, orphanData: 0, ignoredAfterHalt: 0, eventsNotRecorded: 0 };
  readonly jtag = new JtagTap();
  private readonly writer = new ResponseStreamWriter(1 << 16);
  private readonly events = new EventBuffer();
  private readonly responder = new EventResponder();
  private model!: ChipModel;
  private latchedAddress = 0;
  private latchedMask = 0;
  private latched = false;
  private halted = false;
  private running = false;
  private index = 0;
  private readonly timerId: number;
  private readonly systimeSyncId: number;
  private readonly eventRecording: () => number;
  private readonly timeout: () => number;
  private readonly pollAddress: () => number;
  private readonly pollMask: () => number;
  private readonly pollTarget: () => number;
  private readonly syncBase: () => number;
  private readonly doSync: () => number;

  constructor(private readonly registers: RegisterFile) {
    const map = registers.map;
    this.timerId = map.container('Timer').id;
    this.systimeSyncId = map.container('SystimeSync').id;
    this.eventRecording = fieldOf(registers, 'EventRecordingConfig', 'enableEventRecording');
    this.timeout = fieldOf(registers, 'InstructionTimeoutConfig', 'value');
    this.pollAddress = fieldOf(registers, 'PollingOmnibusBlockConfig', 'address');
    this.pollMask = fieldOf(registers, 'PollingOmnibusBlockConfig', 'mask');
    this.pollTarget = fieldOf(registers, 'PollingOmnibusBlockConfig', 'target');
    this.syncBase = fieldOf(registers, 'SystimeSyncBase', 'value');
    this.doSync = fieldOf(registers, 'SystimeSync', 'doSync');
    registers.attachSideEffects(this, ['Timer'], ['Timer', 'SystimeSync']);
  }

  /** Current systime (43 bit). */
  get systime(): number {
    return systimeOf(this.cycle, this.systimeOffset);
  }

  /** Current timer value (32 bit). */
  get timer(): number {
    return (((this.cycle - this.timerOrigin) % TIMER_MODULUS) + TIMER_MODULUS) % TIMER_MODULUS;
  }

  /** Power-on state of the executor. */
  powerOn(): void {
    this.cycle = 0;
    this.systimeOffset = 0;
    this.timerOrigin = 0;
    this.latched = false;
    this.latchedAddress = 0;
    this.latchedMask = 0;
    this.jtag.powerOn();
    this.counters.timeouts = 0;
    this.counters.orphanData = 0;
    this.counters.ignoredAfterHalt = 0;
    this.counters.eventsNotRecorded = 0;
  }

  /** Executes `stream` until its end or a Loopback(halt) and returns the response bytes. */
  run(stream: InstructionStream, model: ChipModel): Uint8Array {
    const writer = this.writer;
    writer.clear();
    this.model = model;
    this.halted = false;
    this.running = true;
    this.responder.start(writer, this.systime);
    const n = stream.length;
    let i = 0;
    try {
      for (; i < n && !this.halted; i++) {
        this.index = i;
        this.advanceModel(this.cycle);
        stream.visitAt(i, this);
        this.cycle += 1;
      }
      this.counters.ignoredAfterHalt += n - i;
      if (!this.halted) this.advanceModel(this.cycle);
    } finally {
      this.running = false;
    }
    return writer.toBytes();
  }

  /** Lets the model simulate up to `cycle` and sends what it recorded. */
  private advanceModel(cycle: number): void {
    const model = this.model;
    model.advanceTo(cycle);
    model.drainEvents(this.events);
    if (this.events.length === 0) return;
    if (this.eventRecording() === 0) {
      this.counters.eventsNotRecorded += this.events.length;
      this.events.clear();
      return;
    }
    this.responder.flush(this.events, this.writer, this.systimeOffset);
  }

  /** Cycle at which the effect of the current access shows: the next instruction's (direct access: now). */
  private get effectCycle(): number {
    return this.running ? this.cycle + 1 : this.cycle;
  }

  // ---- register side effects (hardware.md §3.10) ----------------------------------------------------------

  readLive(container: MappedContainer): number {
    return container.id === this.timerId ? this.timer : 0;
  }

  afterWrite(container: MappedContainer, _slot: number, value: number): void {
    if (container.id === this.timerId) {
      // A write loads the timer (lola writes only 0: the timer reset of §3.10).
      this.timerOrigin = this.effectCycle - (value >>> 0);
    } else if (container.id === this.systimeSyncId && this.doSync() === 1) {
      this.syncSystime();
    }
  }

  /** systime := SystimeSyncBase, from the next instruction on. */
  private syncSystime(): void {
    const base = this.syncBase();
    this.systimeOffset = (((base - this.effectCycle) % SYSTIME_MODULUS) + SYSTIME_MODULUS) % SYSTIME_MODULUS;
  }

  /** An omnibus read: the model may produce the word first (CADC trigger reads, ChipModel.beforeRead). */
  read(address: number): number {
    this.model.beforeRead?.(address, this.cycle);
    return this.registers.read(address);
  }

  /** Direct omnibus access outside a program (same rules; effects at the current cycle). */
  write(address: number, value: number): void {
    if (this.registers.write(address, value, byteEnableMask(ALL_BYTE_ENABLES))) this.model.onWrite(address, value);
  }

  attachModel(model: ChipModel): void {
    this.model = model;
  }

  // ---- instructions (hardware.md §5.2) --------------------------------------------------------------------

  jtagInit(): void {
    this.jtag.init();
  }

  jtagScaler(value: number): void {
    this.jtag.setScaler(value);
  }

  jtagIns(register: number): void {
    this.jtag.select(register);
  }

  jtagData(data: number, numBits: number, keepResponse: boolean): void {
    const out = this.jtag.shift(data, numBits);
    if (keepResponse) this.writer.jtagData(out);
  }

  timingSetup(): void {
    this.timerOrigin = this.cycle + 1;
  }

  waitUntil(cycles: number): void {
    const timer = this.timer;
    if (timer < cycles) this.cycle += cycles - timer;
  }

  systimeInit(value: boolean): void {
    if (value) this.syncSystime();
  }

  /** The simulated FPGA has no traffic in flight: every barrier is already drained. */
  barrier(_mask: number): void {}

  pollingOmnibusBlock(expectEqual: boolean): void {
    const address = this.pollAddress();
    const mask = this.pollMask();
    const target = this.pollTarget();
    const timeout = this.timeout();
    const start = this.cycle;
    const frozen = this.model.passive === true && !this.registers.isLive(address);
    for (;;) {
      const holds = ((this.registers.peek(address) & mask) >>> 0 === target) === expectEqual;
      if (holds) return;
      // Nothing can change the word: the timeout is certain (same time and responses as polling to it).
      if (frozen) this.cycle = start + timeout;
      const waited = this.cycle - start;
      if (waited >= timeout) {
        this.counters.timeouts++;
        // Choice: value = index of the instruction in its stream; nothing is in flight in the simulator.
        this.writer.timeoutNotification(this.index, 0, 0);
        return;
      }
      this.cycle = start + Math.min(waited + POLL_INTERVAL_CYCLES, timeout);
      this.advanceModel(this.cycle);
    }
  }

  reset(value: boolean): void {
    if (!value) return;
    this.registers.resetChip();
    this.model.onReset(this.cycle);
  }

  loopback(value: number): void {
    this.writer.loopback(value);
    if (value === Loopback.halt) this.halted = true;
  }

  omnibusAddress(address: number, byteEnables: number, isRead: boolean): void {
    if (isRead) {
      this.writer.omnibusData(this.read(address));
      return;
    }
    this.latchedAddress = address;
    this.latchedMask = byteEnableMask(byteEnables);
    this.latched = true;
  }

  omnibusData(value: number): void {
    if (!this.latched) {
      this.counters.orphanData++;
      return;
    }
    if (this.registers.write(this.latchedAddress, value, this.latchedMask)) this.model.onWrite(this.latchedAddress, value);
  }

  spikePack(labels: ArrayLike<number>, count: number): void {
    this.model.injectSpikes(labels, count, this.cycle);
  }

  /** Scalars of the executor state, for the state digest. */
  snapshot(): Float64Array {
    return Float64Array.of(this.cycle, this.systimeOffset, this.timerOrigin, this.latched ? 1 : 0, this.latchedAddress, this.latchedMask);
  }
}
