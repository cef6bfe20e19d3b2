// A minimal device for testing run() without chip-sim (layering: stadls must not import it). It decodes the
// instruction stream with fisch, keeps omnibus words in a Map, answers reads with fisch's response writer and
// counts FPGA cycles one per instruction, so tickets, time stamps and the checks of run() can be exercised.
import {
  InstructionStream,
  Loopback,
  ResponseStreamWriter,
  eventTimestamp,
  type InstructionVisitor,
} from '@bss2/fisch';
import { TimerOnDLS, omnibusAddresses } from '@bss2/halco';
import type { PlaybackExecutor } from '../../src/index.js';

export interface FakeExecutorOptions {
  /** Answer every PollingOmnibusBlock with a TimeoutNotification. */
  readonly timeoutOnPolling?: boolean;
  /** Return every injected spike label as a recorded spike at the time it was injected. */
  readonly echoSpikes?: boolean;
  /** Return every injected spike label's low 10 bits as an MADC sample on channel 1. */
  readonly echoMadc?: boolean;
  /** Leave out the halt echo. */
  readonly omitHalt?: boolean;
  /** Send this many extra OmnibusData words before the halt echo. */
  readonly extraOmnibusData?: number;
  /** Drop this many OmnibusData answers (the last ones). */
  readonly droppedOmnibusData?: number;
  /** Send a HighspeedLinkNotification with this value at the start. */
  readonly linkNotification?: number;
}

const TIMER_ADDRESS = omnibusAddresses.Timer(new TimerOnDLS(0))[0]!;

export class FakeExecutor implements PlaybackExecutor {
  readonly memory = new Map<number, number>();
  /** Every instruction stream received, as sent. */
  readonly received: Uint8Array[] = [];
  systime = 1000;
  timer = 0;
  resets = 0;
  readonly injected: number[] = [];

  constructor(readonly options: FakeExecutorOptions = {}) {}

  async execute(instructions: Uint8Array): Promise<Uint8Array> {
    this.received.push(instructions);
    const stream = InstructionStream.fromBytes(instructions);
    const writer = new ResponseStreamWriter();
    writer.systime(this.systime);
    if (this.options.linkNotification !== undefined) writer.highspeedLinkNotification(this.options.linkNotification);
    const reads = countReads(stream);
    stream.visit(new Device(this, writer, reads - (this.options.droppedOmnibusData ?? 0)));
    return writer.toBytes();
  }
}

function countReads(stream: InstructionStream): number {
  let reads = 0;
  const counter: InstructionVisitor = {
    jtagInit() {},
    jtagScaler() {},
    jtagIns() {},
    jtagData() {},
    timingSetup() {},
    waitUntil() {},
    systimeInit() {},
    barrier() {},
    pollingOmnibusBlock() {},
    reset() {},
    loopback() {},
    omnibusAddress(_address, _byteEnables, isRead) {
      if (isRead) reads++;
    },
    omnibusData() {},
    spikePack() {},
  };
  stream.visit(counter);
  return reads;
}

class Device implements InstructionVisitor {
  private address = 0;
  private answered = 0;

  constructor(
    private readonly fake: FakeExecutor,
    private readonly writer: ResponseStreamWriter,
    private readonly answers: number,
  ) {}

  private tick(cycles = 1): void {
    this.fake.timer += cycles;
    this.fake.systime += cycles;
  }

  jtagInit(): void { this.tick(); }
  jtagScaler(): void { this.tick(); }
  jtagIns(): void { this.tick(); }
  jtagData(): void { this.tick(); }
  systimeInit(): void { this.tick(); }
  barrier(): void { this.tick(); }

  timingSetup(): void {
    this.fake.timer = 0;
    this.tick();
  }

  waitUntil(cycles: number): void {
    if (this.fake.timer < cycles) this.tick(cycles - this.fake.timer);
    this.tick();
  }

  pollingOmnibusBlock(): void {
    if (this.fake.options.timeoutOnPolling === true) {
      this.tick(1_250_000);
      this.writer.systime(this.fake.systime);
      this.writer.timeoutNotification(1_250_000, 0, 0);
    }
    this.tick();
  }

  reset(value: boolean): void {
    if (value) {
      // The reset line resets the chip; FPGA-side registers (address bit 31, hardware.md §3.11) keep their words.
      for (const address of this.fake.memory.keys()) if (address < 0x8000_0000) this.fake.memory.delete(address);
      this.fake.resets++;
    }
    this.tick();
  }

  loopback(value: number): void {
    if (value === Loopback.halt) {
      for (let i = 0; i < (this.fake.options.extraOmnibusData ?? 0); i++) this.writer.omnibusData(0xdead0000 + i);
      if (this.fake.options.omitHalt === true) return;
    }
    this.writer.loopback(value);
    this.tick();
  }

  omnibusAddress(address: number, _byteEnables: number, isRead: boolean): void {
    this.address = address;
    if (isRead && this.answered++ < this.answers) {
      const value = address === TIMER_ADDRESS ? this.fake.timer : (this.fake.memory.get(address) ?? 0);
      this.writer.systime(this.fake.systime);
      this.writer.omnibusData(value >>> 0);
    }
    this.tick();
  }

  omnibusData(value: number): void {
    this.fake.memory.set(this.address, value);
    this.tick();
  }

  spikePack(labels: ArrayLike<number>, count: number): void {
    const time = this.fake.systime;
    const timestamps = Array.from({ length: count }, () => eventTimestamp(time));
    for (let i = 0; i < count; i++) this.fake.injected.push(labels[i]!);
    if (this.fake.options.echoSpikes === true) {
      this.writer.systime(time);
      this.writer.spikePack(labels, timestamps, count);
    }
    if (this.fake.options.echoMadc === true) {
      this.writer.systime(time);
      const values = Array.from({ length: count }, (_, i) => labels[i]! & 0x3ff);
      this.writer.madcSamplePack(values, values.map(() => 1), timestamps, count);
    }
    this.tick();
  }
}
