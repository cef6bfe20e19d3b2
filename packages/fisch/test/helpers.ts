// Test helpers: arbitraries written from hardware.md §5.2/§5.3 by hand (not from the package's layout tables,
// so that a wrong table fails the tests), and calls of the typed appenders for an object-form value.
import fc from 'fast-check';
import type { Instruction, InstructionStream, Response, ResponseStreamWriter } from '../src/index.js';

/** Seeded runs: deterministic and fast (style.md, "Tests and benchmarks"). */
export const RUNS = { numRuns: 1000, seed: 42 } as const;

/** Any unsigned integer of `bits` bits (up to 53). */
export function uint(bits: number): fc.Arbitrary<number> {
  return fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n }).map(Number);
}

export const instructionArbitraries: Record<Instruction['kind'], fc.Arbitrary<Instruction>> = {
  JtagInit: fc.constant({ kind: 'JtagInit' }),
  JtagScaler: uint(8).map((value) => ({ kind: 'JtagScaler', value })),
  JtagIns: uint(7).map((value) => ({ kind: 'JtagIns', value })),
  JtagData: fc.integer({ min: 3, max: 33 }).chain((numBits) =>
    fc.record({ keepResponse: fc.boolean(), data: uint(numBits) }).map(({ keepResponse, data }) => ({
      kind: 'JtagData' as const,
      keepResponse,
      numBits,
      data,
    })),
  ),
  TimingSetup: fc.constant({ kind: 'TimingSetup' }),
  WaitUntil: uint(32).map((value) => ({ kind: 'WaitUntil', value })),
  SystimeInit: fc.boolean().map((value) => ({ kind: 'SystimeInit', value })),
  Barrier: uint(5).map((mask) => ({ kind: 'Barrier', mask })),
  PollingOmnibusBlock: fc.boolean().map((value) => ({ kind: 'PollingOmnibusBlock', value })),
  Reset: fc.boolean().map((value) => ({ kind: 'Reset', value })),
  Loopback: uint(1).map((value) => ({ kind: 'Loopback', value })),
  OmnibusAddress: fc
    .record({ address: uint(32), byteEnables: uint(4), isRead: fc.boolean() })
    .map((r) => ({ kind: 'OmnibusAddress' as const, ...r })),
  OmnibusData: uint(32).map((value) => ({ kind: 'OmnibusData', value })),
  SpikePack1: fc.tuple(uint(16)).map((labels) => ({ kind: 'SpikePack1', labels })),
  SpikePack2: fc.tuple(uint(16), uint(16)).map((labels) => ({ kind: 'SpikePack2', labels })),
  SpikePack3: fc.tuple(uint(16), uint(16), uint(16)).map((labels) => ({ kind: 'SpikePack3', labels })),
};

export const anyInstruction: fc.Arbitrary<Instruction> = fc.oneof(...Object.values(instructionArbitraries));

const spike = fc.record({ label: uint(16), timestamp: uint(8) });
const sample = fc.record({ value: uint(10), channel: uint(1), timestamp: uint(8) });

export const responseArbitraries: Record<Response['kind'], fc.Arbitrary<Response>> = {
  JtagData: uint(33).map((value) => ({ kind: 'JtagData', value })),
  OmnibusData: uint(32).map((value) => ({ kind: 'OmnibusData', value })),
  Loopback: uint(1).map((value) => ({ kind: 'Loopback', value })),
  HighspeedLinkNotification: uint(8).map((value) => ({ kind: 'HighspeedLinkNotification', value })),
  TimeoutNotification: fc
    .record({ value: uint(32), traceStallCount: uint(7), omnibusReadsInFlight: uint(6) })
    .map((r) => ({ kind: 'TimeoutNotification' as const, ...r })),
  Systime: uint(43).map((value) => ({ kind: 'Systime', value })),
  Sysdelta: uint(8).map((value) => ({ kind: 'Sysdelta', value })),
  MADCSamplePack1: fc.tuple(sample).map((samples) => ({ kind: 'MADCSamplePack1', samples })),
  MADCSamplePack2: fc.tuple(sample, sample).map((samples) => ({ kind: 'MADCSamplePack2', samples })),
  MADCSamplePack3: fc.tuple(sample, sample, sample).map((samples) => ({ kind: 'MADCSamplePack3', samples })),
  SpikePack1: fc.tuple(spike).map((spikes) => ({ kind: 'SpikePack1', spikes })),
  SpikePack2: fc.tuple(spike, spike).map((spikes) => ({ kind: 'SpikePack2', spikes })),
  SpikePack3: fc.tuple(spike, spike, spike).map((spikes) => ({ kind: 'SpikePack3', spikes })),
};

export const anyResponse: fc.Arbitrary<Response> = fc.oneof(...Object.values(responseArbitraries));

/** A response stream item: a response, or the device flushing a partly filled word with comma bytes. */
export const responseOrPad: fc.Arbitrary<Response | 'pad'> = fc.oneof(
  { weight: 9, arbitrary: anyResponse },
  { weight: 1, arbitrary: fc.constant('pad' as const) },
);

/** Appends `instruction` through the typed appender of its kind (the hot path). */
export function appendTyped(stream: InstructionStream, instruction: Instruction): void {
  const i = instruction;
  switch (i.kind) {
    case 'JtagInit': stream.jtagInit(); break;
    case 'JtagScaler': stream.jtagScaler(i.value); break;
    case 'JtagIns': stream.jtagIns(i.value); break;
    case 'JtagData': stream.jtagData(i.data, i.numBits, i.keepResponse); break;
    case 'TimingSetup': stream.timingSetup(); break;
    case 'WaitUntil': stream.waitUntil(i.value); break;
    case 'SystimeInit': stream.systimeInit(i.value); break;
    case 'Barrier': stream.barrier(i.mask); break;
    case 'PollingOmnibusBlock': stream.pollingOmnibusBlock(i.value); break;
    case 'Reset': stream.reset(i.value); break;
    case 'Loopback': stream.loopback(i.value); break;
    case 'OmnibusAddress': stream.omnibusAddress(i.address, i.byteEnables, i.isRead); break;
    case 'OmnibusData': stream.omnibusData(i.value); break;
    case 'SpikePack1': stream.spikePack1(...i.labels); break;
    case 'SpikePack2': stream.spikePack2(...i.labels); break;
    case 'SpikePack3': stream.spikePack3(...i.labels); break;
  }
}

/** Writes `response` through the typed writer method of its kind (the device's hot path). */
export function writeTyped(writer: ResponseStreamWriter, response: Response): void {
  const r = response;
  switch (r.kind) {
    case 'JtagData': writer.jtagData(r.value); break;
    case 'OmnibusData': writer.omnibusData(r.value); break;
    case 'Loopback': writer.loopback(r.value); break;
    case 'HighspeedLinkNotification': writer.highspeedLinkNotification(r.value); break;
    case 'TimeoutNotification': writer.timeoutNotification(r.value, r.traceStallCount, r.omnibusReadsInFlight); break;
    case 'Systime': writer.systime(r.value); break;
    case 'Sysdelta': writer.sysdelta(r.value); break;
    case 'MADCSamplePack1':
    case 'MADCSamplePack2':
    case 'MADCSamplePack3':
      writer.madcSamplePack(
        r.samples.map((s) => s.value),
        r.samples.map((s) => s.channel),
        r.samples.map((s) => s.timestamp),
      );
      break;
    default:
      writer.spikePack(r.spikes.map((s) => s.label), r.spikes.map((s) => s.timestamp));
  }
}

/** Runs `f` and returns what it threw (or `undefined`). */
export function thrown(f: () => unknown): unknown {
  try {
    f();
    return undefined;
  } catch (error) {
    return error;
  }
}

/** JSON with sorted keys: structural equality that ignores key order and prototypes (fast-check makes null-prototype records). */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** Throws unless `actual` and `expected` are structurally equal (cheaper than `expect().toEqual` in hot loops). */
export function assertSame(actual: unknown, expected: unknown, what = 'value'): void {
  const a = canonical(actual);
  const e = canonical(expected);
  if (a !== e) throw new Error(`${what} differs:\n  actual   ${a}\n  expected ${e}`);
}

/** Throws unless two byte arrays are equal. */
export function assertSameBytes(actual: Uint8Array, expected: Uint8Array, what = 'bytes'): void {
  if (actual.length !== expected.length || actual.some((b, i) => b !== expected[i])) {
    throw new Error(`${what} differ:\n  actual   ${hex(actual)}\n  expected ${hex(expected)}`);
  }
}

/** Bytes as lowercase hex. */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Hex (whitespace and `_` ignored) as bytes. */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/[\s_]/g, '');
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
}
