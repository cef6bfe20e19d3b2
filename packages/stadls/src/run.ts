import { InstructionStream, Loopback, ResponseDecoder } from '@bss2/fisch';
import { MissingHaltError, ResponseCountError, RunTimeoutError } from './errors.js';
import {
  programInternals,
  type Notification,
  type PlaybackProgram,
  type RunResults,
  type RunTiming,
  type TimeoutNotification,
} from './playback-program.js';
import { ResponseSorter } from './response-sorter.js';

/**
 * What run() needs of a connection to a chip (hxcomm's connections satisfy it structurally). `execute` sends a
 * complete instruction stream (fisch bytes, 64-bit big-endian words, ending in Loopback(halt)) and resolves with
 * the complete response byte stream, ending after the halt echo. All or nothing.
 */
export interface PlaybackExecutor {
  execute(instructions: Uint8Array): Promise<Uint8Array>;
}

/** What one run() reports; the program itself holds the results (spikes, samples, tickets). */
export interface RunResult {
  readonly timing: RunTiming;
  /** Instructions sent, the appended halt included. */
  readonly instructionsSent: number;
  readonly responseBytes: number;
  readonly spikes: number;
  readonly madcSamples: number;
}

/** `performance.now()` where the platform has it (Node and browsers do); lib ES2022 does not declare it. */
const clock = (globalThis as { performance?: { now(): number } }).performance;
const now: () => number = clock === undefined ? () => Date.now() : () => clock.now();

/**
 * Runs a program (hardware.md §5.4): appends Loopback(halt), executes, decodes and time-annotates the
 * responses with fisch, refills the program's read queue (the tickets) in order and its results. Then checks,
 * in this order: no TimeoutNotification (`RunTimeoutError` carrying it), the halt echo present
 * (`MissingHaltError`), every expected response there and no more (`ResponseCountError`). The results are
 * delivered before the checks, so what did arrive can be inspected after an error; tickets whose words are
 * missing stay invalid. A malformed response stream throws fisch's `DecodeError` and delivers nothing.
 * Running a program again is allowed and replaces its results.
 */
export async function run(executor: PlaybackExecutor, program: PlaybackProgram): Promise<RunResult> {
  const start = now();
  const internals = programInternals(program);
  const stream = internals.stream;
  const instructions = new InstructionStream(stream.length + 1).appendStream(stream).loopback(Loopback.halt).toBytes();
  const encoded = now();

  const responses = await executor.execute(instructions);
  const executed = now();

  const expected = program.expectedResponses;
  const sorter = new ResponseSorter(expected.omnibusData);
  const decoder = new ResponseDecoder(sorter);
  decoder.push(responses);
  decoder.finish();
  const annotator = sorter.annotator;
  const notifications: Notification[] = [];
  const jtagData: RunResults['jtagData'][number][] = [];
  for (const response of annotator.responses) {
    if (response.kind === 'TimeoutNotification' || response.kind === 'HighspeedLinkNotification') notifications.push(response);
    else if (response.kind === 'JtagData') jtagData.push(response);
  }
  const queue = internals.queue;
  queue.words = sorter.words;
  queue.times = sorter.times;
  queue.filled = Math.min(sorter.omnibusDataCount, expected.omnibusData);
  queue.runs++;
  const decoded = now();

  const timing: RunTiming = {
    encode_ms: encoded - start,
    execute_ms: executed - encoded,
    decode_ms: decoded - executed,
    total_ms: decoded - start,
  };
  internals.deliver({
    spikes: annotator.spikes,
    madcSamples: annotator.madcSamples,
    notifications,
    jtagData,
    spikePackCounts: [...annotator.spikePackCounts],
    madcSamplePackCounts: [...annotator.madcSamplePackCounts],
    timing,
  });

  const timeout = notifications.find((n): n is TimeoutNotification => n.kind === 'TimeoutNotification');
  if (timeout !== undefined) throw new RunTimeoutError(timeout);
  if (sorter.haltCount === 0) throw new MissingHaltError(responses.length);
  if (sorter.omnibusDataCount !== expected.omnibusData) {
    throw new ResponseCountError('OmnibusData', expected.omnibusData, sorter.omnibusDataCount);
  }
  if (sorter.jtagDataCount !== expected.jtagData) throw new ResponseCountError('JtagData', expected.jtagData, sorter.jtagDataCount);
  if (sorter.loopbackTickCount !== expected.loopback) {
    throw new ResponseCountError('Loopback', expected.loopback, sorter.loopbackTickCount);
  }
  return {
    timing,
    instructionsSent: stream.length + 1,
    responseBytes: responses.length,
    spikes: annotator.spikes.length,
    madcSamples: annotator.madcSamples.length,
  };
}
