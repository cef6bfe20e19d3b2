// The golden instruction and response streams of test-fixtures/fisch/. Imported by golden.test.ts; run it to
// regenerate the fixtures on purpose:  npx tsx packages/fisch/test/golden.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  BarrierMask,
  InstructionStream,
  JtagRegister,
  Loopback,
  ResponseStreamWriter,
  eventTimestamp,
  type Response,
} from '../src/index.js';

export const FIXTURE_DIR = fileURLToPath(new URL('../../../test-fixtures/fisch/', import.meta.url));
export const INSTRUCTIONS_FILE = 'instructions.hex';
export const RESPONSES_FILE = 'responses.hex';

/** A small canonical experiment (hardware.md §5.1) that uses every one of the 16 instructions. */
export function goldenProgram(): InstructionStream {
  return new InstructionStream()
    .reset(true).timingSetup().waitUntil(10) // reset high 10 cycles, then low 100 (hardware.md §3.10)
    .reset(false).timingSetup().waitUntil(100)
    .jtagInit().jtagScaler(3).jtagIns(JtagRegister.IDCODE).jtagData(0, 32, true)
    .systimeInit(true).barrier(BarrierMask.systime)
    .omnibusWrite(0x16_0000, 0x1234_5678)
    .omnibusWrite(0x14_0000, 0x3ff, 0b0011)
    .omnibusRead(0x16_0000)
    .timingSetup()
    .waitUntil(1000).spikePack1(0x0001)
    .waitUntil(1010).spikePack2(0x0102, 0x4203)
    .waitUntil(1020).spikePack3(0xc001, 0x0002, 0xffff)
    .pollingOmnibusBlock(true)
    .barrier(BarrierMask.omnibus | BarrierMask.jtag)
    .loopback(Loopback.tick)
    .loopback(Loopback.halt);
}

const T0 = 1_000_000;

/** What a device could answer, using every one of the 13 responses, with a mid-stream flush ('pad'). */
export function goldenResponses(): (Response | 'pad')[] {
  const spike = (label: number, chipTime: number) => ({ label, timestamp: eventTimestamp(chipTime) });
  const sample = (value: number, channel: number, chipTime: number) => ({ value, channel, timestamp: eventTimestamp(chipTime, 1) });
  return [
    { kind: 'JtagData', value: 0x1_0000_abcd },
    { kind: 'Systime', value: T0 },
    { kind: 'OmnibusData', value: 0x1234_5678 },
    { kind: 'Sysdelta', value: 10 },
    { kind: 'SpikePack1', spikes: [spike(0x0001, T0 + 5)] },
    { kind: 'SpikePack2', spikes: [spike(0x0102, T0 + 8), spike(0x4203, T0 + 10)] },
    { kind: 'MADCSamplePack1', samples: [sample(0x3ff, 0, T0 + 9)] },
    { kind: 'Sysdelta', value: 200 },
    // now = T0 + 210 = 7814·128 + 18: T0 + 190 lies in the previous 128-cycle period (the minus-128 branch).
    { kind: 'MADCSamplePack2', samples: [sample(1, 1, T0 + 200), sample(2, 0, T0 + 209)] },
    { kind: 'SpikePack3', spikes: [spike(0xc001, T0 + 190), spike(0x0002, T0 + 208), spike(0xffff, T0 + 210)] },
    'pad',
    { kind: 'MADCSamplePack3', samples: [sample(100, 0, T0 + 205), sample(200, 1, T0 + 206), sample(300, 0, T0 + 207)] },
    { kind: 'HighspeedLinkNotification', value: 0x01 },
    { kind: 'TimeoutNotification', value: 1_250_000, traceStallCount: 3, omnibusReadsInFlight: 1 },
    { kind: 'Loopback', value: Loopback.tick },
    { kind: 'Loopback', value: Loopback.halt },
  ];
}

export function responseBytes(items: readonly (Response | 'pad')[]): Uint8Array {
  const writer = new ResponseStreamWriter();
  for (const item of items) {
    if (item === 'pad') writer.pad();
    else writer.write(item);
  }
  return writer.toBytes();
}

function words(bytes: Uint8Array): string[] {
  return Array.from({ length: bytes.length / 8 }, (_, i) =>
    Array.from(bytes.subarray(8 * i, 8 * i + 8), (b) => b.toString(16).padStart(2, '0')).join(''),
  );
}

const HEADER = [
  '# Regenerate on purpose only: npx tsx packages/fisch/test/golden.ts (see README.md beside this file).',
  '# One 64-bit big-endian word per line as 16 hex digits; text after # is ignored.',
];

export function formatInstructions(stream: InstructionStream): string {
  const lines = words(stream.toBytes()).map((word, i) => `${word}  # ${JSON.stringify(stream.at(i))}`);
  return [...HEADER, '# Golden instruction stream to the FPGA (hardware.md §5.2, §6.1).', ...lines, ''].join('\n');
}

export function formatResponses(items: readonly (Response | 'pad')[]): string {
  const listing = items.map((item) => `#   ${item === 'pad' ? 'comma padding to the word boundary' : JSON.stringify(item)}`);
  return [...HEADER, '# Golden response stream from the FPGA (hardware.md §5.3, §6.1); messages span words:', ...listing, ...words(responseBytes(items)), ''].join('\n');
}

/** Bytes of a fixture file: hex words, comments after `#`. */
export function parseHexWords(text: string): Uint8Array {
  const hex = text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .join('');
  if (!/^([0-9a-f]{16})*$/i.test(hex)) throw new Error('a fixture holds whole 64-bit words of hex digits');
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(FIXTURE_DIR + INSTRUCTIONS_FILE, formatInstructions(goldenProgram()));
  writeFileSync(FIXTURE_DIR + RESPONSES_FILE, formatResponses(goldenResponses()));
  console.log(`wrote ${FIXTURE_DIR}${INSTRUCTIONS_FILE} and ${RESPONSES_FILE}`);
}
