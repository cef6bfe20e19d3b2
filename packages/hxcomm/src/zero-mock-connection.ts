import { type InstructionVisitor, InstructionStream, Loopback, PROTOCOL_VERSION, ResponseStreamWriter } from '@bss2/fisch';
import { SynchronousConnection } from './synchronous-connection.js';

/**
 * Answers every read with zeros and drops every other instruction (hardware.md §6.2, "Zero mock"): omnibus
 * reads → OmnibusData 0, JTAG data with keepResponse → JtagData 0, Loopback echoed (tick and halt; the halt
 * echo ends the answer, later instructions are ignored as on the chip). Invalid streams are rejected with
 * fisch's `DecodeError` (as `RemoteError`). For timing the host side without a simulator.
 */
export class ZeroMockConnection extends SynchronousConnection {
  private readonly stream = new InstructionStream();
  private readonly responder = new ZeroResponder();

  constructor() {
    // It sends no spikes or MADC samples: nothing to wait for.
    super({ protocolVersion: PROTOCOL_VERSION, chipSeed: 0, simulatorVersion: 'zero-mock', responseLatency_cycles: 0, kind: 'zero-mock' }, 'the zero mock');
  }

  protected run(instructions: Uint8Array): Uint8Array {
    const stream = this.stream;
    stream.clear();
    stream.appendBytes(instructions);
    const responder = this.responder;
    responder.start();
    for (let i = 0, n = stream.length; i < n && !responder.halted; i++) stream.visitAt(i, responder);
    return responder.writer.toBytes();
  }

  protected powerOn(): void {}
}

class ZeroResponder implements InstructionVisitor {
  readonly writer = new ResponseStreamWriter();
  halted = false;

  start(): void {
    this.writer.clear();
    this.halted = false;
  }

  jtagData(_data: number, _numBits: number, keepResponse: boolean): void {
    if (keepResponse) this.writer.jtagData(0);
  }

  omnibusAddress(_address: number, _byteEnables: number, isRead: boolean): void {
    if (isRead) this.writer.omnibusData(0);
  }

  loopback(value: number): void {
    this.writer.loopback(value);
    if (value === Loopback.halt) this.halted = true;
  }

  jtagInit(): void {}
  jtagScaler(): void {}
  jtagIns(): void {}
  timingSetup(): void {}
  waitUntil(): void {}
  systimeInit(): void {}
  barrier(): void {}
  pollingOmnibusBlock(): void {}
  reset(): void {}
  omnibusData(): void {}
  spikePack(): void {}
}
