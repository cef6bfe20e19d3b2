// Throughput of the instruction encoder/decoder and of the response decoder (style.md, "Tests and benchmarks").
import { bestOf, type BenchRecord, type Benchmark, seededUniform } from '@bss2/bench';
import {
  InstructionStream,
  ResponseDecoder,
  ResponseStreamWriter,
  TimeAnnotator,
  type ResponseVisitor,
} from '../src/index.js';

const INSTRUCTIONS = 1_000_000;
const RESPONSE_MESSAGES = 1_000_000;
const REPEATS = 5;

const random = seededUniform;

/** What a configuration-plus-experiment program looks like: mostly omnibus writes, then timed spikes. */
const INSTRUCTION_MIX = 'omnibus write 40%, read 10%, spike pack 1/2/3 25%, wait-until 20%, jtag/barrier/misc 5%';

interface Program {
  readonly op: Uint8Array;
  readonly a: Uint32Array;
  readonly b: Uint32Array;
  readonly c: Uint32Array;
  readonly calls: number;
}

/** Pregenerated calls, so the timed loop measures the encoder and not the random generator. */
function program(): Program {
  const next = random(42);
  const op = new Uint8Array(INSTRUCTIONS);
  const a = new Uint32Array(INSTRUCTIONS);
  const b = new Uint32Array(INSTRUCTIONS);
  const c = new Uint32Array(INSTRUCTIONS);
  let words = 0;
  let calls = 0;
  let time = 0;
  while (words < INSTRUCTIONS - 1) {
    const r = next();
    const i = calls++;
    a[i] = Math.floor(next() * 2 ** 32);
    b[i] = Math.floor(next() * 2 ** 32);
    c[i] = Math.floor(next() * 2 ** 16);
    if (r < 0.4) {
      op[i] = 0;
      words += 2;
    } else if (r < 0.5) {
      op[i] = 1;
      words += 1;
    } else if (r < 0.75) {
      op[i] = 2 + Math.floor(next() * 3);
      a[i] = a[i]! & 0xffff;
      b[i] = b[i]! & 0xffff;
      words += 1;
    } else if (r < 0.95) {
      op[i] = 5;
      time += 1 + Math.floor(next() * 1000);
      a[i] = time;
      words += 1;
    } else {
      op[i] = 6 + Math.floor(next() * 3);
      words += 1;
    }
  }
  return { op, a, b, c, calls };
}

function encode(p: Program, stream: InstructionStream): Uint8Array {
  stream.clear();
  const { op, a, b, c } = p;
  for (let i = 0; i < p.calls; i++) {
    switch (op[i]) {
      case 0: stream.omnibusWrite(a[i]!, b[i]!); break;
      case 1: stream.omnibusRead(a[i]!); break;
      case 2: stream.spikePack1(a[i]!); break;
      case 3: stream.spikePack2(a[i]!, b[i]!); break;
      case 4: stream.spikePack3(a[i]!, b[i]!, c[i]!); break;
      case 5: stream.waitUntil(a[i]!); break;
      case 6: stream.jtagData(a[i]!, 32); break;
      case 7: stream.barrier(1); break;
      default: stream.timingSetup();
    }
  }
  return stream.toBytes();
}

function records(name: string, count: number, unit: string, bytes: number, seconds: number, inputs: Record<string, unknown>): BenchRecord[] {
  return [
    { name, value: Math.round(count / seconds), unit, inputs },
    { name, value: Math.round((bytes / seconds / 1e6) * 10) / 10, unit: 'MB/s', inputs },
  ];
}

/** A visitor that only folds the fields, so that decoding is all that is measured. */
class Checksum implements ResponseVisitor {
  sum = 0;
  jtagData(value: number): void { this.sum += value; }
  omnibusData(value: number): void { this.sum += value; }
  loopback(value: number): void { this.sum += value; }
  highspeedLinkNotification(value: number): void { this.sum += value; }
  timeoutNotification(value: number): void { this.sum += value; }
  systime(value: number): void { this.sum += value; }
  sysdelta(value: number): void { this.sum += value; }
  madcSamplePack(values: ArrayLike<number>, _c: ArrayLike<number>, _t: ArrayLike<number>, count: number): void {
    for (let i = 0; i < count; i++) this.sum += values[i]!;
  }
  spikePack(labels: ArrayLike<number>, _t: ArrayLike<number>, count: number): void {
    for (let i = 0; i < count; i++) this.sum += labels[i]!;
  }
}

const RESPONSE_MIX = 'sysdelta 30%, spike pack 1/2/3 45%, MADC pack 1/2/3 15%, omnibus data 10%, padding every 4096 messages';

function responseStream(): Uint8Array {
  const next = random(7);
  const writer = new ResponseStreamWriter(1 << 24);
  const labels = new Uint16Array(3);
  const timestamps = new Uint8Array(3);
  const channels = new Uint8Array(3);
  writer.systime(0);
  for (let i = 1; i < RESPONSE_MESSAGES; i++) {
    const r = next();
    for (let k = 0; k < 3; k++) {
      labels[k] = Math.floor(next() * 2 ** 16);
      timestamps[k] = Math.floor(next() * 256);
      channels[k] = next() < 0.5 ? 0 : 1;
    }
    if (r < 0.3) writer.sysdelta(Math.floor(next() * 256));
    else if (r < 0.75) writer.spikePack(labels, timestamps, 1 + Math.floor(next() * 3));
    else if (r < 0.9) writer.madcSamplePack(labels.map((l) => l & 0x3ff), channels, timestamps, 1 + Math.floor(next() * 3));
    else writer.omnibusData(labels[0]! * 65536 + labels[1]!);
    if (i % 4096 === 0) writer.pad();
  }
  return writer.toBytes();
}

export const benchmarks: Benchmark[] = [
  {
    name: 'fisch.encode',
    run() {
      const p = program();
      const stream = new InstructionStream(INSTRUCTIONS);
      let bytes: Uint8Array = new Uint8Array(0);
      const seconds = bestOf(REPEATS, () => {
        bytes = encode(p, stream);
      });
      const inputs = { instructions: stream.length, mix: INSTRUCTION_MIX, what: 'typed appends + toBytes (big-endian)', repeats: REPEATS };
      return records('fisch.encode', stream.length, 'instructions/s', bytes.length, seconds, inputs);
    },
  },
  {
    name: 'fisch.decode',
    run() {
      const bytes = encode(program(), new InstructionStream(INSTRUCTIONS));
      let decoded = new InstructionStream(1);
      const seconds = bestOf(REPEATS, () => {
        decoded = InstructionStream.fromBytes(bytes);
      });
      const inputs = { instructions: decoded.length, mix: INSTRUCTION_MIX, what: 'fromBytes: validate every word into an InstructionStream', repeats: REPEATS };
      return records('fisch.decode', decoded.length, 'instructions/s', bytes.length, seconds, inputs);
    },
  },
  {
    name: 'fisch.response.decode',
    run() {
      const bytes = responseStream();
      const visitor = new Checksum();
      const seconds = bestOf(REPEATS, () => {
        const decoder = new ResponseDecoder(visitor);
        for (let at = 0; at < bytes.length; at += 65_536) decoder.push(bytes.subarray(at, at + 65_536));
        decoder.finish();
      });
      const inputs = { messages: RESPONSE_MESSAGES, bytes: bytes.length, mix: RESPONSE_MIX, chunk_bytes: 65_536, repeats: REPEATS };
      const out = records('fisch.response.decode', RESPONSE_MESSAGES, 'messages/s', bytes.length, seconds, inputs);
      let annotator = new TimeAnnotator();
      const annotated = bestOf(REPEATS, () => {
        annotator = new TimeAnnotator();
        const decoder = new ResponseDecoder(annotator);
        decoder.push(bytes);
        decoder.finish();
      });
      const annotatedInputs = { ...inputs, chunk_bytes: bytes.length, events: annotator.spikes.length + annotator.madcSamples.length };
      out.push(...records('fisch.response.annotate', RESPONSE_MESSAGES, 'messages/s', bytes.length, annotated, annotatedInputs));
      return out;
    },
  },
];
