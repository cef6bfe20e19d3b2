// Fuzzes a served simulator (hardware.md §6.1, §6.2; architecture.md "Errors"): every case must end in a typed
// answer (response frames, an error frame, a version mismatch) within its timeout, the chip must be untouched
// by a rejected client, and a fresh client's known program must still be answered correctly afterwards.
//
//   npx tsx tools/fuzz/serve-fuzz.ts --cases 100000 --seed 1
import { InstructionStream, decodeInstructions, decodeResponses, type Response } from '@bss2/fisch';
import { FrameDecoder, FrameKind, RemoteError, decodeControl, type Frame } from '@bss2/hxcomm';
import { connectTcp, serveSimulator, type SimulatorServer } from '@bss2/hxcomm/node';
import { Presets, SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { connect } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Random, knownProgram, mutate, randomBytes, validConversation, validProgram } from './fuzz-inputs.js';

export type CaseKind = 'random-bytes' | 'mutated-frames' | 'mutated-stream';
const KINDS: readonly CaseKind[] = ['random-bytes', 'mutated-frames', 'mutated-stream'];

export interface FuzzOptions {
  cases: number;
  seed: number;
  /** Longest wait for one case's answer (default 5000 ms). */
  caseTimeoutMs?: number;
  /** Fuzz this server instead of starting one on 127.0.0.1 (it must serve TCP). */
  server?: SimulatorServer;
  /** Called after every case (progress bars). */
  onCase?: (index: number) => void;
}

export interface FuzzFailure {
  case: number;
  kind: CaseKind;
  problem: string;
  /** The input as hex, shortened to 256 bytes. */
  input: string;
}

export interface FuzzSummary {
  cases: number;
  seed: number;
  duration_s: number;
  cases_per_s: number;
  byKind: Record<CaseKind, number>;
  /** How cases ended: answered (valid input), rejected (error frame / RemoteError), version-mismatch, closed. */
  outcomes: Record<string, number>;
  knownProgramChecks: number;
  chipUntouchedChecks: number;
  failures: number;
  firstFailures: FuzzFailure[];
}

type Outcome = { outcome: string; rejected: boolean; chipMayChange: boolean; problem?: string };

const FIRST_FAILURES = 20;

export async function runServeFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const { cases, seed } = options;
  const caseTimeoutMs = options.caseTimeoutMs ?? 5000;
  const server = options.server ?? (await serveSimulator({ host: '127.0.0.1', port: 0, transport: 'tcp', seed }));
  const port = server.address.port;
  const random = new Random(seed);
  const summary: FuzzSummary = {
    cases,
    seed,
    duration_s: 0,
    cases_per_s: 0,
    byKind: { 'random-bytes': 0, 'mutated-frames': 0, 'mutated-stream': 0 },
    outcomes: {},
    knownProgramChecks: 0,
    chipUntouchedChecks: 0,
    failures: 0,
    firstFailures: [],
  };
  const fail = (index: number, kind: CaseKind, input: Uint8Array, problem: string) => {
    summary.failures++;
    if (summary.firstFailures.length < FIRST_FAILURES) summary.firstFailures.push({ case: index, kind, problem, input: hex(input) });
  };
  const start = performance.now();
  try {
    let digest = server.chip.stateDigest();
    for (let index = 0; index < cases; index++) {
      const kind = KINDS[random.below(KINDS.length)]!;
      summary.byKind[kind]++;
      let input: Uint8Array;
      let result: Outcome;
      if (kind === 'mutated-stream') {
        input = mutate(random, validProgram(random), random.below(2) === 0);
        result = await streamCase(port, input, caseTimeoutMs);
      } else {
        input = kind === 'random-bytes' ? randomBytes(random) : mutate(random, validConversation(random));
        result = await rawCase(port, input, caseTimeoutMs);
      }
      summary.outcomes[result.outcome] = (summary.outcomes[result.outcome] ?? 0) + 1;
      if (result.problem !== undefined) fail(index, kind, input, result.problem);
      // The digest costs milliseconds: take it only where a check needs it (the state before the next case).
      if (!result.chipMayChange) {
        summary.chipUntouchedChecks++;
        if (server.chip.stateDigest() !== digest) fail(index, kind, input, 'a client without an answered program or reset changed the chip state');
      }
      if (result.rejected) {
        summary.knownProgramChecks++;
        const problem = await checkKnownProgram(port, random.uint32(), caseTimeoutMs);
        if (problem !== undefined) fail(index, kind, input, `after this client: ${problem}`);
      }
      if (result.rejected || result.chipMayChange) digest = server.chip.stateDigest();
      options.onCase?.(index);
    }
  } finally {
    if (options.server === undefined) await server.close();
  }
  summary.duration_s = round((performance.now() - start) / 1000, 3);
  summary.cases_per_s = Math.round(cases / Math.max(summary.duration_s, 1e-9));
  return summary;
}

/** Sends `input` on a raw socket, half-closes, and reads until the server closes; checks what came back. */
async function rawCase(port: number, input: Uint8Array, timeoutMs: number): Promise<Outcome> {
  const reply = await exchange(port, input, timeoutMs);
  if (reply === 'hang') return { outcome: 'hang', rejected: true, chipMayChange: true, problem: `no close within ${timeoutMs} ms` };
  const decoder = new FrameDecoder();
  let frames: Frame[];
  try {
    frames = decoder.push(reply);
    decoder.finish();
  } catch (error) {
    return { outcome: 'invalid-reply', rejected: true, chipMayChange: true, problem: `the server's reply is not a frame sequence: ${(error as Error).message}` };
  }
  let chipMayChange = false;
  for (const [i, frame] of frames.entries()) {
    const last = i === frames.length - 1;
    if (frame.kind === FrameKind.responses) {
      chipMayChange = true;
      try {
        decodeResponses(frame.payload);
      } catch (error) {
        return { outcome: 'invalid-reply', rejected: true, chipMayChange, problem: `a response frame does not decode: ${(error as Error).message}` };
      }
    } else if (frame.kind === FrameKind.error) {
      if (!last) return { outcome: 'invalid-reply', rejected: true, chipMayChange, problem: 'frames after an error frame' };
      return { outcome: 'rejected', rejected: true, chipMayChange };
    } else if (frame.kind === FrameKind.control) {
      const message = decodeControl(frame.payload);
      if (message.type === 'reset') chipMayChange = true;
      if (message.type === 'version-mismatch') return { outcome: 'version-mismatch', rejected: true, chipMayChange };
    } else {
      return { outcome: 'invalid-reply', rejected: true, chipMayChange, problem: 'the server sent an instructions frame' };
    }
  }
  return { outcome: frames.length === 0 ? 'closed' : 'answered', rejected: false, chipMayChange };
}

function exchange(port: number, input: Uint8Array, timeoutMs: number): Promise<Uint8Array | 'hang'> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('hang');
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset by the server after its error frame is an ordinary end of the case.
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(new Uint8Array(Buffer.concat(chunks)));
    });
    socket.end(input);
  });
}

/** Executes `input` through a real client; the local fisch decoder says what the answer must be. */
async function streamCase(port: number, input: Uint8Array, timeoutMs: number): Promise<Outcome> {
  let expected: { offset: number } | { reads: number; jtag: number; loopbacks: number; halted: boolean };
  try {
    expected = expectedCounts(InstructionStream.fromBytes(input));
  } catch (error) {
    expected = { offset: (error as { offset: number }).offset };
  }
  const connection = await connectTcp('127.0.0.1', port, { timeoutMs });
  try {
    const answer = await connection.execute(input);
    if ('offset' in expected) return { outcome: 'answered', rejected: true, chipMayChange: true, problem: `an invalid stream (byte ${expected.offset}) was executed` };
    let responses: Response[];
    try {
      responses = decodeResponses(answer);
    } catch (error) {
      return { outcome: 'invalid-reply', rejected: true, chipMayChange: true, problem: `the response stream does not decode: ${(error as Error).message}` };
    }
    const count = (kind: Response['kind']) => responses.filter((r) => r.kind === kind).length;
    const got = { reads: count('OmnibusData'), jtag: count('JtagData'), loopbacks: count('Loopback') };
    if (got.reads !== expected.reads || got.jtag !== expected.jtag || got.loopbacks !== expected.loopbacks) {
      return { outcome: 'answered', rejected: false, chipMayChange: true, problem: `expected ${JSON.stringify(expected)}, received ${JSON.stringify(got)}` };
    }
    return { outcome: 'answered', rejected: false, chipMayChange: true };
  } catch (error) {
    if (!(error instanceof RemoteError)) {
      return { outcome: 'unexpected-error', rejected: true, chipMayChange: true, problem: `${(error as Error).name}: ${(error as Error).message}` };
    }
    if (!('offset' in expected)) return { outcome: 'rejected', rejected: true, chipMayChange: false, problem: `a valid stream was rejected: ${error.message}` };
    if (error.remoteName !== 'InstructionStreamRejectedError' || !error.remoteMessage.includes(`at byte ${expected.offset}:`)) {
      return { outcome: 'rejected', rejected: true, chipMayChange: false, problem: `expected a rejection at byte ${expected.offset}, received ${error.message}` };
    }
    return { outcome: 'rejected', rejected: true, chipMayChange: false };
  } finally {
    await connection.close();
  }
}

/** Responses a valid stream must produce: one per read, JTAG read and loopback up to the first halt. */
function expectedCounts(stream: InstructionStream): { reads: number; jtag: number; loopbacks: number; halted: boolean } {
  const counts = { reads: 0, jtag: 0, loopbacks: 0, halted: false };
  for (const instruction of decodeInstructions(stream.toBytes())) {
    if (instruction.kind === 'OmnibusAddress' && instruction.isRead) counts.reads++;
    else if (instruction.kind === 'JtagData' && instruction.keepResponse) counts.jtag++;
    else if (instruction.kind === 'Loopback') {
      counts.loopbacks++;
      if (instruction.value === 0) {
        counts.halted = true;
        break;
      }
    }
  }
  return counts;
}

/** A fresh client writes `value` and reads it back; returns what went wrong, if anything. */
async function checkKnownProgram(port: number, value: number, timeoutMs: number): Promise<string | undefined> {
  try {
    const connection = await connectTcp('127.0.0.1', port, { timeoutMs });
    try {
      const responses = decodeResponses(await connection.execute(knownProgram(value)));
      const data = responses.filter((r) => r.kind === 'OmnibusData');
      if (data.length !== 1 || data[0]!.value !== value) return `the known program read ${JSON.stringify(data)}, expected ${value}`;
    } finally {
      await connection.close();
    }
  } catch (error) {
    return `the known program failed: ${(error as Error).name}: ${(error as Error).message}`;
  }
  return undefined;
}

function hex(bytes: Uint8Array): string {
  const shown = Buffer.from(bytes.subarray(0, 256)).toString('hex');
  return bytes.length > 256 ? `${shown}… (${bytes.length} bytes)` : shown;
}

function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

async function main(): Promise<void> {
  const program = new Command('serve-fuzz')
    .description('fuzz a served simulator with random bytes, mutated frames and mutated instruction streams')
    .option('--cases <n>', 'number of cases', (v) => Number.parseInt(v, 10), 10_000)
    .option('--seed <s>', 'seed of the case generator and of the served chip', (v) => Number.parseInt(v, 10), 1)
    .option('--case-timeout-ms <ms>', 'longest wait for one case', (v) => Number.parseInt(v, 10), 5000)
    .parse();
  const { cases, seed, caseTimeoutMs } = program.opts<{ cases: number; seed: number; caseTimeoutMs: number }>();
  for (const [name, value] of Object.entries({ cases, seed, caseTimeoutMs })) {
    if (!Number.isInteger(value) || value < 0) program.error(`--${name}: expected a non-negative integer, got ${value}`);
  }
  // The server runs in this process: an exception escaping it is the crash this fuzzer looks for.
  process.on('uncaughtException', (error) => {
    console.log(JSON.stringify({ cases, seed, crash: `${error.name}: ${error.message}`, stack: error.stack }));
    process.exit(1);
  });
  // A progress bar on a terminal only: stdout stays one JSON line for scripts.
  const bar = process.stderr.isTTY ? new SingleBar({ stream: process.stderr, etaBuffer: 1000 }, Presets.shades_classic) : undefined;
  bar?.start(cases, 0);
  const summary = await runServeFuzz({ cases, seed, caseTimeoutMs, onCase: (index) => index % 100 === 99 && bar?.update(index + 1) });
  bar?.update(cases);
  bar?.stop();
  console.log(JSON.stringify(summary));
  process.exitCode = summary.failures === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
