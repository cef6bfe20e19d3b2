/**
 * Per-user chip state (hardware.md §6.4, reinit and snapshot), kept by the service so that unchanged clients
 * never see another user's configuration. By default the service records which omnibus addresses a user's
 * programs wrote (decoded with @bss2/fisch), reads them after each of the user's units (the snapshot) and,
 * when the user next runs on a chip that another user had, restores them: power-on reset, the writes, an
 * omnibus barrier, and the CapMem settling wait if CapMem cells are among them. A user may upload its own reinit
 * program and snapshot program instead (`reinit-upload`); those take precedence.
 */
import { memoryMap } from '@bss2/chip-sim';
import { SETTLE_CYCLES } from '@bss2/execution';
import { BarrierMask, DecodeError, InstructionStream, Loopback, decodeInstructions, decodeResponses, type Instruction } from '@bss2/fisch';

/** A program the service refuses before queueing it; `name` and message go to the client's error frame. */
export class ProgramRejectedError extends Error {
  override readonly name = 'ProgramRejectedError';
}

/** What the service needs to know of a program: the state addresses it writes. */
export interface ProgramScan {
  /** Omnibus addresses of readable and writable (state) containers written, in first-write order, no repeats. */
  readonly writes: readonly number[];
  readonly instructionCount: number;
}

type AddressKind = 'state' | 'timer' | 'capmem' | 'other';

const addressKinds = new Map<number, AddressKind>();

/** State containers are readable and writable; write-only ones are commands (resets, events, syncs), not state. */
function addressKind(address: number): AddressKind {
  let kind = addressKinds.get(address);
  if (kind === undefined) {
    const found = memoryMap().lookup(address);
    if (found === undefined || !found.container.readable || !found.container.writable) kind = 'other';
    else if (found.container.name === 'Timer') kind = 'timer';
    else if (found.container.name === 'CapMemCell') kind = 'capmem';
    else kind = 'state';
    // Bounded: the memo holds the addresses programs actually use.
    if (addressKinds.size < 1_000_000) addressKinds.set(address, kind);
  }
  return kind;
}

function decode(bytes: Uint8Array, what: string): Instruction[] {
  try {
    return decodeInstructions(bytes);
  } catch (error) {
    if (error instanceof DecodeError) throw new ProgramRejectedError(`${what} is not a valid instruction stream, nothing was queued: ${error.message}`);
    throw error;
  }
}

/** Decodes a program (refusing an invalid one) and lists the state addresses it writes. */
export function scanProgram(bytes: Uint8Array): ProgramScan {
  const instructions = decode(bytes, 'the program');
  const writes: number[] = [];
  const seen = new Set<number>();
  let pendingWrite: number | undefined;
  for (const instruction of instructions) {
    if (instruction.kind === 'OmnibusAddress') {
      pendingWrite = instruction.isRead ? undefined : instruction.address >>> 0;
    } else if (instruction.kind === 'OmnibusData' && pendingWrite !== undefined) {
      if (!seen.has(pendingWrite) && addressKind(pendingWrite) !== 'other') {
        seen.add(pendingWrite);
        writes.push(pendingWrite);
      }
      pendingWrite = undefined;
    }
  }
  return { writes, instructionCount: instructions.length };
}

/**
 * Checks an uploaded snapshot program: omnibus reads only (barriers allowed), ending in Loopback(halt).
 * Returns the addresses read, in order. Anything else is a `ProgramRejectedError`.
 */
export function checkSnapshotProgram(bytes: Uint8Array): number[] {
  const instructions = decode(bytes, 'the snapshot program');
  const reads: number[] = [];
  instructions.forEach((instruction, index) => {
    const last = index === instructions.length - 1;
    if (instruction.kind === 'OmnibusAddress' && instruction.isRead && !last) reads.push(instruction.address >>> 0);
    else if (instruction.kind === 'Barrier' && !last) return;
    else if (instruction.kind === 'Loopback' && instruction.value === Loopback.halt && last) return;
    else {
      throw new ProgramRejectedError(
        `the snapshot program may hold omnibus reads (and barriers) only, ending in Loopback(halt); instruction ${index} is ${describe(instruction)}`,
      );
    }
  });
  if (instructions.length === 0) throw new ProgramRejectedError('the snapshot program is empty; it must end in Loopback(halt)');
  return reads;
}

function describe(instruction: Instruction): string {
  if (instruction.kind === 'OmnibusAddress') return `an omnibus ${instruction.isRead ? 'read' : 'write'} of 0x${instruction.address.toString(16)}`;
  if (instruction.kind === 'Loopback') return `Loopback(${instruction.value === Loopback.halt ? 'halt, not last' : 'tick'})`;
  return instruction.kind;
}

/** The OmnibusData values of a response stream, in order; `expected` of them, else a typed error. */
function readValues(responses: Uint8Array, expected: number, what: string): Uint32Array {
  const values = new Uint32Array(expected);
  let n = 0;
  for (const response of decodeResponses(responses)) {
    if (response.kind !== 'OmnibusData') continue;
    if (n < expected) values[n] = response.value;
    n++;
  }
  if (n !== expected) throw new ProgramRejectedError(`${what} answered ${n} omnibus reads, expected ${expected}`);
  return values;
}

/** Writes of `values` to `addresses`, an omnibus barrier, the CapMem settling if needed, the timer last, halt. */
function restoreWrites(addresses: readonly number[], values: Uint32Array): Uint8Array {
  const stream = new InstructionStream();
  const timers: number[] = [];
  let capMem = false;
  addresses.forEach((address, i) => {
    const kind = addressKind(address);
    if (kind === 'timer') {
      timers.push(i);
      return;
    }
    if (kind === 'capmem') capMem = true;
    stream.omnibusWrite(address, values[i]!);
  });
  stream.barrier(BarrierMask.omnibus);
  // CapMem cells need the settling time execution waits after writing them (hardware.md §3.8).
  if (capMem) stream.timingSetup().waitUntil(SETTLE_CYCLES);
  // The timer runs on: written after the wait, it holds the value the snapshot read.
  for (const i of timers) stream.omnibusWrite(addresses[i]!, values[i]!);
  if (timers.length > 0) stream.barrier(BarrierMask.omnibus);
  return stream.loopback(Loopback.halt).toBytes();
}

/** One user's chip state: what to read after its units and how to restore it on a chip. */
export class UserChipState {
  private readonly written: number[] = [];
  private readonly writtenSet = new Set<number>();
  /** Values of `written[0 .. values.length)` as the last default snapshot read them. */
  private values: Uint32Array = new Uint32Array(0);
  private uploaded: { reinit: Uint8Array; snapshot: Uint8Array | undefined; reads: number[]; values: Uint32Array | undefined } | undefined;

  /** Addresses of state the user's programs wrote so far. */
  get writtenAddresses(): readonly number[] {
    return this.written;
  }

  get hasUpload(): boolean {
    return this.uploaded !== undefined;
  }

  /** Notes the writes of a program about to run. */
  record(scan: ProgramScan): void {
    for (const address of scan.writes) {
      if (this.writtenSet.has(address)) continue;
      this.writtenSet.add(address);
      this.written.push(address);
    }
  }

  /** Stores the user's own reinit and snapshot programs (checked); they replace the default from now on. */
  upload(reinit: Uint8Array, snapshot: Uint8Array | undefined): void {
    decode(reinit, 'the reinit program');
    const reads = snapshot === undefined ? [] : checkSnapshotProgram(snapshot);
    this.uploaded = { reinit, snapshot, reads, values: undefined };
  }

  /** Power-on: forgets what was written and uploaded. */
  clear(): void {
    this.written.length = 0;
    this.writtenSet.clear();
    this.values = new Uint32Array(0);
    this.uploaded = undefined;
  }

  /**
   * What to read after the user's unit: the uploaded snapshot program, or the written addresses (read straight
   * from the chip by the worker), or nothing.
   */
  snapshotRequest():
    | { kind: 'uploaded'; program: Uint8Array; reads: number }
    | { kind: 'default'; addresses: Uint32Array }
    | undefined {
    if (this.uploaded !== undefined) {
      return this.uploaded.snapshot === undefined ? undefined : { kind: 'uploaded', program: this.uploaded.snapshot, reads: this.uploaded.reads.length };
    }
    if (this.written.length === 0) return undefined;
    return { kind: 'default', addresses: Uint32Array.from(this.written) };
  }

  /** The default snapshot as a program of omnibus reads (what a chip without direct reads would run). */
  defaultSnapshotProgram(): Uint8Array {
    const stream = new InstructionStream();
    for (const address of this.written) stream.omnibusRead(address);
    return stream.loopback(Loopback.halt).toBytes();
  }

  /** Takes the answers of the uploaded snapshot program (`reads` of them). */
  acceptUploadedSnapshot(reads: number, responses: Uint8Array): void {
    const values = readValues(responses, reads, 'the uploaded snapshot');
    if (this.uploaded !== undefined && this.uploaded.reads.length === reads) this.uploaded.values = values;
  }

  /** Takes the values the default snapshot read (of the first `values.length` written addresses). */
  acceptDefaultSnapshot(values: Uint32Array): void {
    if (values.length > this.written.length) throw new ProgramRejectedError(`the snapshot read ${values.length} words, the user wrote ${this.written.length} addresses`);
    this.values = values;
  }

  /** Takes the answers of `defaultSnapshotProgram()`. */
  acceptDefaultSnapshotResponses(responses: Uint8Array): void {
    this.acceptDefaultSnapshot(readValues(responses, this.written.length, 'the default snapshot'));
  }

  /**
   * The programs that restore the user's state after a power-on reset: the uploaded reinit program (then the
   * writes of its snapshot's values), or the writes of the default snapshot. Empty: power-on state is right.
   */
  restorePrograms(): Uint8Array[] {
    if (this.uploaded !== undefined) {
      const { reinit, reads, values } = this.uploaded;
      return values === undefined || reads.length === 0 ? [reinit] : [reinit, restoreWrites(reads, values)];
    }
    if (this.values.length === 0) return [];
    return [restoreWrites(this.written.slice(0, this.values.length), this.values)];
  }
}
